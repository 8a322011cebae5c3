package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/safetext"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

func runInspect(e *env, args []string) error {
	fs := newFlagSet("inspect")
	var f decodeFlags
	f.keys.add(fs, true)
	f.fernet.add(fs)
	f.profile = addProfile(fs)
	fs.StringVar(&f.now, "now", "", "")
	jsonOut := fs.Bool("json", false, "")
	pos, err := parseArgs("inspect", fs, args)
	if err != nil {
		return err
	}
	if err := checkProfile("inspect", f.profile); err != nil {
		return err
	}
	auto := !f.profile.set
	names := f.keys.cookieNames(f.profile.value)
	if auto {
		names = f.keys.cookieNames("")
	}
	var cookie, cookieName string
	if (auto || f.profile.value == profDjangoCookie) && len(pos) == 1 {
		// Keep the cookie's name: Django's set_signed_cookie salts with it.
		c, err := unsignCookieArg(e, pos[0], &f.keys, f.profile.value)
		if err != nil {
			return err
		}
		cookie, cookieName = c.value, c.name
	} else if cookie, err = cookieArg(e, "inspect", pos, names, !auto && f.profile.value != profFlask); err != nil {
		return err
	}
	if f.keys.given("name") {
		cookieName = f.keys.name
	}
	det := detect(cookie)
	if auto {
		// Without --profile, the cookie's text chooses; a Fernet key
		// means a sealed Flask cookie, a salt a signing.dumps token.
		switch {
		case len(f.fernet.keys) > 0 || det.prof == "" || det.prof == profSealed:
			f.profile.value = profFlask
		case det.prof == profDjangoSession && f.keys.given("salt"):
			f.profile.value = profDjango
		default:
			f.profile.value = det.prof
		}
	}
	req, err := inspectRequest(e, &f, fs, auto)
	if err != nil {
		return err
	}
	req.cookieName = cookieName
	chosen := req.profile
	if auto && req.verify {
		// The cookie's text leaves two formats open: the key tells.
		switch {
		case req.profile == profDjangoSession:
			req = otherIfVerifies(e, &f, fs, req, cookie, profDjango)
		case req.profile == profFlask && det.prof == profFlask && !det.sure && !flaskVerifies(req, cookie):
			req = otherIfVerifies(e, &f, fs, req, cookie, profStarlette)
		}
	}
	if *jsonOut {
		return inspectJSON(e, req, strings.TrimSpace(cookie), auto)
	}
	var out bytes.Buffer
	p := newPalette(e.color())
	if req.profile != profFlask {
		if err := reportOther(&out, strings.TrimSpace(cookie), req, p, auto, req.profile != chosen, det); err != nil {
			return err
		}
		_, err = e.stdout.Write(out.Bytes())
		return err
	}
	switch info, sealed, malformed := sealedShape(cookie); {
	case sealed:
		rp := reporter{&out, p}
		how := "--profile flask"
		if auto {
			how = "recognised from its text"
		}
		rp.line("format", "a sealed Flask session cookie (a Fernet token; %s)", how)
		reportSealed(&out, strings.TrimSpace(cookie), info, req, p)
		_, err = e.stdout.Write(out.Bytes())
		return err
	case malformed:
		return errNotFernet
	}
	a, err := dissect(cookie, f.keys.legacy)
	if err != nil {
		return err
	}
	formatLine(reporter{&out, p}, profFlask, auto, false, det)
	if err := a.report(&out, req, p); err != nil {
		return err
	}
	_, err = e.stdout.Write(out.Bytes())
	return err
}

// inspectRequest reads the flags for the profile inspect chose. When the
// cookie's text chose it, flags that do not fit the format are a reason
// (exit 1), not a usage error: the command line was fine.
func inspectRequest(e *env, f *decodeFlags, fs *flag.FlagSet, auto bool) (*decodeRequest, error) {
	req, err := f.request(e)
	if err == nil {
		err = req.withFernet(&f.fernet, fs)
	}
	var u *usageError
	if err != nil && auto && f.profile.value != profFlask && errors.As(err, &u) {
		return nil, fmt.Errorf("the cookie looks like %s, and %s", audit.Format(f.profile.value).Describe(), u.msg)
	}
	return req, err
}

// flaskVerifies reports whether the key or a fallback verifies cookie as
// a Flask session cookie.
func flaskVerifies(r *decodeRequest, cookie string) bool {
	a := &anatomy{Parts: &audit.Parts{}, cookie: cookie}
	which, err := a.verify(r)
	return err == nil && which >= 0
}

// otherIfVerifies returns the request for profile prof when the key
// verifies the cookie as that, else req.
func otherIfVerifies(e *env, f *decodeFlags, fs *flag.FlagSet, req *decodeRequest, cookie, prof string) *decodeRequest {
	if req.other != nil {
		alg := req.other.sigAlgorithm(cookie)
		if which, err := testKeys(req.other.scheme(alg), cookie, req.secret, req.fallbacks, alg != ""); err == nil && which >= 0 {
			return req
		}
	}
	saved := f.profile.value
	f.profile.value = prof
	alt, err := inspectRequest(e, f, fs, true)
	f.profile.value = saved
	if err != nil {
		return req
	}
	alg := alt.other.sigAlgorithm(cookie)
	if which, err := testKeys(alt.other.scheme(alg), cookie, alt.secret, alt.fallbacks, alg != ""); err == nil && which >= 0 {
		return alt
	}
	return req
}

// anatomy is a Flask cookie taken apart without any key.
type anatomy struct {
	*audit.Parts
	cookie string
}

// dissect takes a Flask cookie apart; legacy reads its timestamp from
// itsdangerous's legacy epoch.
func dissect(cookie string, legacy bool) (*anatomy, error) {
	dissect := func(c string) (*audit.Parts, error) { return audit.Dissect(audit.Flask, c) }
	if legacy {
		dissect = audit.DissectLegacy
	}
	p, err := dissect(cookie)
	if err != nil {
		return nil, err
	}
	return &anatomy{Parts: p, cookie: cookie}, nil
}

// palette colours the report on a terminal.
type palette struct{ label, good, bad, dim, reset string }

func newPalette(on bool) palette {
	if !on {
		return palette{}
	}
	return palette{label: "\x1b[1;36m", good: "\x1b[32m", bad: "\x1b[31m", dim: "\x1b[2m", reset: "\x1b[0m"}
}

func (p palette) paint(color, s string) string {
	if color == "" {
		return s
	}
	return color + s + p.reset
}

func (a *anatomy) report(w io.Writer, r *decodeRequest, p palette) error {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%s %s\n", p.paint(p.label, fmt.Sprintf("%-10s", label)), fmt.Sprintf(format, args...))
	}
	cont := func(format string, args ...any) {
		fmt.Fprintf(w, "%-10s %s\n", "", fmt.Sprintf(format, args...))
	}

	if why := audit.Truncation(a.cookie, r.keys.sigSize()); why != "" {
		line("note", "%s", p.paint(p.bad, "the cookie looks truncated: "+why))
	}

	// Size.
	size := fmt.Sprintf("%d bytes", len(a.cookie))
	if len(a.cookie) > codec.MaxCookieSize {
		line("cookie", "%s, %s", size, p.paint(p.bad, fmt.Sprintf("over Flask's limit of %d: browsers drop it", codec.MaxCookieSize)))
	} else {
		line("cookie", "%s (Flask's limit: %d)", size, codec.MaxCookieSize)
	}

	// Payload.
	switch {
	case a.PayloadErr != "":
		line("payload", "%s", p.paint(p.bad, fmt.Sprintf("%d base64 characters, %s", len(a.PayloadPart), a.PayloadErr)))
	case a.Compressed:
		line("payload", "%d bytes, zlib-compressed to %d (%d in base64)", len(a.Payload), a.CompressedLen, len(a.PayloadPart))
	default:
		line("payload", "%d bytes, not compressed (%d in base64)", len(a.Payload), len(a.PayloadPart))
	}
	if a.PayloadErr == "" {
		if utf8.Valid(a.Payload) {
			reporter{w, p}.text("", a.Payload, "decode --format tagged")
		} else {
			cont("%s", p.paint(p.bad, "not UTF-8 text: "+strconv.QuoteToASCII(string(a.Payload))))
		}
		var v any
		if err := codec.TaggedJSON.DecodePayload(a.Payload, &v, itsdangerous.Limits{MaxDepth: itsdangerous.DefaultMaxDepth}); err != nil {
			cont("%s", p.paint(p.bad, "Flask cannot load it: "+oneLine(err.Error())))
		} else if _, ok := v.(map[string]any); !ok {
			cont("%s", p.paint(p.bad, "a "+pyTypeName(v)+", not a dict: Flask's session is a dict"))
		}
	}

	// Time.
	if a.TimestampErr != "" {
		line("signed at", "%s", p.paint(p.bad, "unknown: the timestamp is "+a.TimestampErr))
	} else {
		epoch := ""
		if r.keys.legacy {
			epoch = ", counted from 2011 (--legacy)"
		}
		line("signed at", "%s (timestamp %s = %d%s)", fmtTime(a.SignedAt), safetext.Escape(a.TimestampPart), a.SignedAt.Unix(), epoch)
		age := r.now.Unix() - a.SignedAt.Unix()
		until := a.SignedAt.Add(codec.DefaultLifetime)
		switch {
		case age < 0:
			line("age", "%s", p.paint(p.bad, "signed "+fmtSeconds(age)+" in the future: Flask refuses it"))
		case age > int64(codec.DefaultLifetime/time.Second):
			line("age", "%s; %s", fmtSeconds(age), p.paint(p.bad, "expired for Flask's default lifetime of 31 days (on "+fmtTime(until)+")"))
		default:
			line("age", "%s; valid for Flask's default lifetime of 31 days until %s", fmtSeconds(age), fmtTime(until))
		}
	}

	// Signature.
	switch {
	case a.SignatureErr != "":
		line("signature", "%s", p.paint(p.bad, a.SignatureErr))
	case len(a.Signature) == 0:
		line("signature", "%s", p.paint(p.bad, "empty: no key signed this cookie"))
	default:
		d := audit.DigestForSize(len(a.Signature))
		ok := d != ""
		switch {
		case !ok && len(a.Signature) < r.keys.sigSize():
			line("signature", "%s", p.paint(p.bad, plural(len(a.Signature), "byte")+": shorter than the digest's "+strconv.Itoa(r.keys.sigSize())+", so the cookie looks truncated"))
		case !ok:
			line("signature", "%d bytes: no HMAC digest gives that length", len(a.Signature))
		case d == "sha1":
			line("signature", "%d bytes: HMAC-SHA1, Flask's default", len(a.Signature))
		default:
			line("signature", "%d bytes: HMAC-%s (use --digest %s), not Flask's default SHA-1", len(a.Signature), strings.ToUpper(d), d)
		}
	}

	// Secret.
	if r.fernet != nil {
		line("fernet key", "not used: this cookie is signed, not sealed (--secret checks it)")
		return nil
	}
	if !r.verify {
		line("secret", "not given (--secret checks it)")
		return nil
	}
	which, err := a.verify(r)
	switch {
	case err != nil:
		line("secret", "%s", p.paint(p.bad, "cannot be checked: "+oneLine(err.Error())))
	case which == 0:
		line("secret", "%s", p.paint(p.good, "verifies: --secret signed this cookie"))
	case which > 0:
		line("secret", "%s", p.paint(p.good, fmt.Sprintf("verifies with --fallback-secret %s (number %d)", describeKey(r.fallbacks[which-1]), which)))
	default:
		line("secret", "%s", p.paint(p.bad, "does not verify: wrong key, salt or digest, or a changed cookie"))
	}
	return nil
}

// verify tests the secret and then the fallbacks: 0 for the secret, i for
// the i-th fallback, -1 for none.
func (a *anatomy) verify(r *decodeRequest) (int, error) {
	opts, err := r.keys.signerOptions()
	if err != nil {
		return -1, err
	}
	kt, err := itsdangerous.NewKeyTester([]byte(a.cookie), opts...)
	if err != nil {
		if errors.Is(err, itsdangerous.ErrBadSignature) {
			return -1, nil
		}
		return -1, err
	}
	if kt.Test(r.secret) {
		return 0, nil
	}
	for i, f := range r.fallbacks {
		if kt.Test(f) {
			return i + 1, nil
		}
	}
	return -1, nil
}

// oneLineJSON shows payload text on one line, with every character that
// could act on a terminal escaped.
func oneLineJSON(b []byte) string {
	return safetext.Escape(string(b))
}

// inspectJSON prints inspect's verdict as one JSON object (--json): the
// format, whether it was recognised from the text, the verdict
// ("verified", "unverified" without a key, "refused" with the reason),
// the signing time when known and the time taken. A refused cookie exits 1.
func inspectJSON(e *env, req *decodeRequest, cookie string, auto bool) error {
	start := time.Now()
	prof := req.profile
	if _, sealed, _ := sealedShape(cookie); sealed && prof == profFlask {
		prof = profSealed
	}
	res, err := decodeCookie(req, cookie)
	var b bytes.Buffer
	b.WriteString(`{"format":`)
	writeJSONString(&b, prof)
	b.WriteString(`,"detected":`)
	b.WriteString(strconv.FormatBool(auto))
	b.WriteString(`,"verdict":`)
	switch {
	case err != nil:
		writeJSONString(&b, "refused")
		b.WriteString(`,"error":`)
		writeJSONString(&b, oneLine(err.Error()))
	case res.verified:
		writeJSONString(&b, "verified")
	default:
		writeJSONString(&b, "unverified")
	}
	if err == nil && !res.signedAt.IsZero() {
		b.WriteString(`,"signed_at":`)
		writeJSONString(&b, res.signedAt.UTC().Format(time.RFC3339))
	}
	b.WriteString(`,"seconds":`)
	b.WriteString(strconv.FormatFloat(time.Since(start).Seconds(), 'f', 3, 64))
	b.WriteString("}\n")
	if _, werr := e.stdout.Write(b.Bytes()); werr != nil {
		return werr
	}
	if err != nil {
		var u *usageError
		if errors.As(err, &u) {
			return err
		}
		return errors.New("the cookie is refused (see the JSON on standard output)")
	}
	return nil
}
