package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// Sealed cookies are Flask sessions sealed in a Fernet token instead of
// signed (compat/fernet_session, codec.NewSealed): the same tagged JSON,
// encrypted with AES-128-CBC and authenticated with HMAC-SHA256. The
// --fernet-key flag (repeatable, newest first, as SESSION_FERNET_KEYS)
// selects them in decode, encode and inspect.

// fernetFlags is the repeatable --fernet-key flag.
type fernetFlags struct {
	keys listFlag
}

func (f *fernetFlags) add(fs *flag.FlagSet) {
	fs.Var(&f.keys, "fernet-key", "")
}

// signingOnly are the flags that describe how a cookie is signed: they
// have no meaning for a sealed cookie.
var signingOnly = []string{"secret", "fallback-secret", "salt", "digest", "key-derivation", "legacy", "literal"}

// parse checks the flags given with --fernet-key and reads the keys. It
// returns nil, nil without --fernet-key.
func (f *fernetFlags) parse(cmd string, fs *flag.FlagSet) ([]fernet.Key, error) {
	if len(f.keys) == 0 {
		return nil, nil
	}
	var given []string
	fs.Visit(func(fl *flag.Flag) {
		for _, s := range signingOnly {
			if fl.Name == s {
				given = append(given, "--"+s)
			}
		}
	})
	if len(given) > 0 {
		return nil, usagef(cmd, "%s: only for signed cookies; a sealed cookie (--fernet-key) has no secret key, salt or digest", strings.Join(given, ", "))
	}
	keys := make([]fernet.Key, len(f.keys))
	for i, s := range f.keys {
		k, err := fernet.ParseKey(s)
		if err != nil {
			which := "--fernet-key"
			if len(f.keys) > 1 {
				which = fmt.Sprintf("--fernet-key number %d", i+1)
			}
			// The key is a secret: it is not repeated in the message.
			return nil, usagef(cmd, "%s is not a Fernet key: it must be 32 bytes in URL-safe base64, 44 characters as Fernet.generate_key() writes them", which)
		}
		keys[i] = k
	}
	return keys, nil
}

// newFernet returns the Fernet of keys: the first seals, all open.
func newFernet(cmd string, keys []fernet.Key) (*fernet.Fernet, error) {
	f, err := fernet.New(keys...)
	if err != nil {
		return nil, usagef(cmd, "%v", err)
	}
	return f, nil
}

// fernetPrefix starts every Fernet token of this century: the version byte
// 0x80 and the high bytes of the timestamp. A Flask cookie starts with
// "eyJ" or ".", never with it.
const fernetPrefix = "gAAAAA"

// sealedShape tells whether cookie is a sealed cookie: a Fernet token,
// without the '.' separators of a signed cookie. info is its layout, read
// without a key; malformed reports a cookie that starts like a Fernet token
// but is not one.
func sealedShape(cookie string) (info fernet.Info, sealed, malformed bool) {
	c := strings.TrimSpace(cookie)
	if strings.Contains(c, ".") {
		return fernet.Info{}, false, false
	}
	info, err := fernet.ParseUnverified(c)
	if err == nil {
		return info, true, false
	}
	return fernet.Info{}, false, strings.HasPrefix(c, fernetPrefix)
}

var errNotFernet = errors.New("malformed cookie: it starts like a sealed cookie (a Fernet token) but is not one: bad base64, length or version")

// sealedNoKey is the reason decode gives for a sealed cookie without a
// Fernet key: unlike a signed cookie, it cannot be read unverified.
func sealedNoKey(withSecret bool) error {
	how := "give the app's Fernet key with --fernet-key"
	if withSecret {
		how = "give the app's Fernet key with --fernet-key instead of --secret"
	}
	return errors.New("the cookie is sealed (a Fernet token: encrypted, not just signed), so it cannot be read without its key; " + how)
}

// decodeSealed opens a sealed cookie with the keys of r and decodes the
// session. With --max-age the age is checked as the Python session
// interface checks PERMANENT_SESSION_LIFETIME (codec.NewSealed): Fernet's
// TTL, which also refuses a cookie sealed more than 60 seconds in the
// future. Without it, nothing about time is checked, as Python's
// loads(cookie) without max_age.
func decodeSealed(r *decodeRequest, cookie string) (*decoded, error) {
	var v any
	if r.maxAge >= 0 {
		c, err := codec.NewSealed(r.fernet, codec.WithLifetime(r.maxAge), codec.WithClock(func() time.Time { return r.now }))
		if err != nil {
			return nil, err
		}
		sealedAt, err := c.DecodeAt(cookie, &v, r.now)
		if err != nil {
			return nil, explainSealed(err, cookie)
		}
		// The text, for --format tagged: the token opens, as it just did.
		plain, _, _ := r.fernet.DecryptWithTimestamp(cookie)
		return asSession(v, plain, sealedAt, true)
	}
	if len(cookie) > itsdangerous.DefaultMaxTokenSize {
		return nil, fmt.Errorf("the cookie is too large: %d bytes, more than the maximum of %d", len(cookie), itsdangerous.DefaultMaxTokenSize)
	}
	plain, sealedAt, err := r.fernet.DecryptWithTimestamp(cookie)
	if err != nil {
		return nil, explainSealed(err, cookie)
	}
	if err := codec.TaggedJSON.DecodePayload(plain, &v, itsdangerous.Limits{MaxDepth: itsdangerous.DefaultMaxDepth}); err != nil {
		return nil, fmt.Errorf("the cookie opens, but Flask could not load the payload: %v", err)
	}
	return asSession(v, plain, sealedAt, true)
}

// explainSealed turns an error of opening a sealed cookie into the reason
// printed on stderr.
func explainSealed(err error, cookie string) error {
	var te *fernet.TimeError
	switch {
	case errors.As(err, &te):
		age := te.Now.Unix() - te.Timestamp.Unix()
		if te.Future {
			return fmt.Errorf("the cookie was sealed in the future, at %s (%s ahead, more than the %d seconds of clock skew Fernet allows)",
				fmtTime(te.Timestamp), fmtSeconds(age), int(fernet.MaxClockSkew/time.Second))
		}
		return fmt.Errorf("the cookie has expired: sealed at %s, %s ago, more than --max-age %d seconds", fmtTime(te.Timestamp), fmtSeconds(age), int64(te.TTL/time.Second))
	case errors.Is(err, itsdangerous.ErrTooLarge):
		return fmt.Errorf("the cookie is too large: %d bytes, more than the maximum of %d", len(cookie), itsdangerous.DefaultMaxTokenSize)
	case errors.Is(err, itsdangerous.ErrBadPayload):
		return fmt.Errorf("the cookie opens, but Flask could not load the payload: %v", err)
	}
	c := strings.TrimSpace(cookie)
	if _, perr := fernet.ParseUnverified(c); perr != nil {
		if strings.Count(c, ".") >= 1 {
			return errors.New("malformed cookie: not a sealed cookie (a Fernet token); it looks like a signed Flask cookie: decode it with --secret, not --fernet-key")
		}
		return errors.New("malformed cookie: not a sealed cookie (a Fernet token): bad base64, length or version")
	}
	return errors.New("the cookie does not open with any --fernet-key: the key is wrong, or the cookie was changed")
}

// encodeSealed seals v at time at with the first key of f.
func encodeSealed(f *fernet.Fernet, v any, at time.Time) (string, error) {
	c, err := codec.NewSealed(f, codec.WithMaxCookieSize(0))
	if err != nil {
		return "", err
	}
	cookie, err := c.EncodeAt(v, at)
	if err != nil {
		if errors.Is(err, codec.ErrUnsupportedType) {
			return "", fmt.Errorf("a Flask session cannot hold this value: %v", err)
		}
		return "", fmt.Errorf("cannot encode the value: %v", err)
	}
	return cookie, nil
}

// reportSealed writes inspect's report of a sealed cookie: what its public
// parts show without a key and, with keys, whether one opens it and the
// session inside.
func reportSealed(w io.Writer, cookie string, info fernet.Info, r *decodeRequest, p palette) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%s %s\n", p.paint(p.label, fmt.Sprintf("%-10s", label)), fmt.Sprintf(format, args...))
	}
	cont := func(format string, args ...any) {
		fmt.Fprintf(w, "%-10s %s\n", "", fmt.Sprintf(format, args...))
	}

	// Size.
	size := fmt.Sprintf("%d bytes", len(cookie))
	if len(cookie) > codec.MaxCookieSize {
		line("cookie", "%s, %s", size, p.paint(p.bad, fmt.Sprintf("over Flask's limit of %d: browsers drop it", codec.MaxCookieSize)))
	} else {
		line("cookie", "%s (Flask's limit: %d)", size, codec.MaxCookieSize)
	}
	line("sealed", "a Fernet token, version 0x80: the session is encrypted (AES-128-CBC) and")
	cont("authenticated (HMAC-SHA256); it cannot be read without the key")
	line("token", "%d bytes: version 1, timestamp 8, IV 16, ciphertext %d, HMAC 32", info.Size, info.CiphertextSize)
	line("payload", "%d to %d bytes of tagged JSON, encrypted to %d", info.CiphertextSize-16, info.CiphertextSize-1, info.CiphertextSize)

	// Time.
	ts := info.Timestamp
	line("sealed at", "%s (timestamp %d; not verified without the key)", fmtTime(ts), ts.Unix())
	age := r.now.Unix() - ts.Unix()
	skew := int64(fernet.MaxClockSkew / time.Second)
	switch {
	case age < -skew:
		line("age", "%s", p.paint(p.bad, "sealed "+fmtSeconds(age)+" in the future, beyond the 60 seconds of clock skew Fernet allows: Flask refuses it"))
	case age < 0:
		line("age", "sealed %s in the future, within the 60 seconds of clock skew Fernet allows", fmtSeconds(age))
	case age > int64(codec.DefaultLifetime/time.Second):
		until := ts.Add(codec.DefaultLifetime)
		line("age", "%s; %s", fmtSeconds(age), p.paint(p.bad, "expired for Flask's default lifetime of 31 days (on "+fmtTime(until)+")"))
	default:
		until := ts.Add(codec.DefaultLifetime)
		line("age", "%s; valid for Flask's default lifetime of 31 days until %s", fmtSeconds(age), fmtTime(until))
	}

	// Keys.
	if r.verify {
		line("secret", "not used: a sealed cookie has no signature to check; --fernet-key opens it")
	}
	if len(r.fernetKeys) == 0 {
		line("key", "not given (--fernet-key opens it)")
		return
	}
	which, plain := -1, []byte(nil)
	for i, k := range r.fernetKeys {
		f, err := fernet.New(k)
		if err != nil {
			continue
		}
		if b, err := f.Decrypt(cookie); err == nil {
			which, plain = i, b
			break
		}
	}
	switch {
	case which < 0:
		line("key", "%s", p.paint(p.bad, "does not open: no --fernet-key sealed this cookie, or it was changed"))
		return
	case which == 0 && len(r.fernetKeys) == 1:
		line("key", "%s", p.paint(p.good, "opens: --fernet-key sealed this cookie"))
	case which == 0:
		line("key", "%s", p.paint(p.good, "opens with --fernet-key number 1, the key that seals"))
	default:
		line("key", "%s", p.paint(p.good, fmt.Sprintf("opens with --fernet-key number %d, an older key (Flask seals it again with number 1 when it saves the session)", which+1)))
	}
	line("session", "%d bytes of tagged JSON", len(plain))
	if !utf8.Valid(plain) {
		cont("%s", p.paint(p.bad, "not UTF-8 text: Flask cannot load it"))
		return
	}
	reporter{w, p}.text("", plain, "decode --fernet-key KEY --format tagged")
	var v any
	if err := codec.TaggedJSON.DecodePayload(plain, &v, itsdangerous.Limits{MaxDepth: itsdangerous.DefaultMaxDepth}); err != nil {
		cont("%s", p.paint(p.bad, "Flask cannot load it: "+oneLine(err.Error())))
	} else if _, ok := v.(map[string]any); !ok {
		cont("%s", p.paint(p.bad, "a "+pyTypeName(v)+", not a dict: Flask's session is a dict"))
	}
}
