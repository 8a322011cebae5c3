package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

// optString is a string flag that remembers whether it was given, so that
// an empty --secret "" differs from no --secret.
type optString struct {
	value string
	set   bool
}

func (o *optString) String() string { return o.value }

func (o *optString) Set(s string) error {
	o.value, o.set = s, true
	return nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// keyFlags are the flags that say how a cookie is signed.
type keyFlags struct {
	fs         *flag.FlagSet
	reprBytes  bool // a bytes literal key is used as its repr, as Starlette's str(key)
	cmd        string
	secret     optString
	fallbacks  listFlag
	salt       string
	digest     string
	derivation string
	legacy     bool
	literal    bool
	name       string
}

// add registers the flags on fs; withSecret adds --secret and
// --fallback-secret.
func (k *keyFlags) add(fs *flag.FlagSet, withSecret bool) {
	k.cmd, k.fs = fs.Name(), fs
	if withSecret {
		fs.Var(&k.secret, "secret", "")
		fs.Var(&k.fallbacks, "fallback-secret", "")
	}
	fs.StringVar(&k.salt, "salt", codec.DefaultSalt, "")
	fs.StringVar(&k.digest, "digest", "sha1", "")
	fs.StringVar(&k.derivation, "key-derivation", string(codec.DefaultKeyDerivation), "")
	fs.BoolVar(&k.legacy, "legacy", false, "")
	fs.BoolVar(&k.literal, "literal", false, "")
	fs.StringVar(&k.name, "name", "session", "")
}

// key turns a key given on the command line into bytes: as is, or as a
// Python literal with --literal.
func (k *keyFlags) key(what, s string) ([]byte, error) {
	if !k.literal {
		return []byte(s), nil
	}
	b, isStr, err := literalKey([]byte(s))
	if err != nil {
		return nil, usagef(k.cmd, "%s: %v", what, err)
	}
	if k.reprBytes && !isStr && what != "--salt" {
		return starlette.PythonBytesKey(b), nil
	}
	return b, nil
}

// cookieNames returns the names the session cookie is looked for under in
// a Cookie header: --name, else the profile's default (Django's is
// sessionid), else, for inspect (prof ""), either.
func (k *keyFlags) cookieNames(prof string) []string {
	switch {
	case k.given("name"):
		return []string{k.name}
	case isDjango(prof):
		return []string{django.SessionCookieName, k.name}
	case prof == "":
		return []string{k.name, django.SessionCookieName}
	}
	return []string{k.name}
}

// secrets returns the secret key and the fallback keys.
func (k *keyFlags) secrets() (secret []byte, fallbacks [][]byte, err error) {
	if secret, err = k.key("--secret", k.secret.value); err != nil {
		return nil, nil, err
	}
	for _, f := range k.fallbacks {
		b, err := k.key("--fallback-secret", f)
		if err != nil {
			return nil, nil, err
		}
		fallbacks = append(fallbacks, b)
	}
	return secret, fallbacks, nil
}

// sigSize is the size of a signature with --digest (SHA-1's 20 bytes
// when the name is unknown, which signerOptions refuses).
func (k *keyFlags) sigSize() int {
	if d := audit.DigestHash(strings.ToLower(k.digest)); d != nil {
		return d().Size()
	}
	return 20
}

// signerOptions returns the itsdangerous options the flags describe,
// without keys and clock.
func (k *keyFlags) signerOptions() ([]itsdangerous.Option, error) {
	d := audit.DigestHash(strings.ToLower(k.digest))
	if d == nil {
		return nil, usagef(k.cmd, "unknown --digest %q; use sha1 (Flask's), sha224, sha256, sha384, sha512 or md5", k.digest)
	}
	kd := itsdangerous.KeyDerivation(k.derivation)
	switch kd {
	case itsdangerous.HMACDerive, itsdangerous.Concat, itsdangerous.DjangoConcat, itsdangerous.NoDerivation:
	default:
		return nil, usagef(k.cmd, "unknown --key-derivation %q; use hmac (Flask's), concat, django-concat or none", k.derivation)
	}
	salt, err := k.key("--salt", k.salt)
	if err != nil {
		return nil, err
	}
	opts := []itsdangerous.Option{
		itsdangerous.WithSalt(salt),
		itsdangerous.WithDigest(d),
		itsdangerous.WithKeyDerivation(kd),
	}
	if k.legacy {
		opts = append(opts, itsdangerous.WithLegacyEpoch())
	}
	return opts, nil
}

// serializer returns Flask's session serializer for the flags, with the
// keys and a clock; format is its payload format, nil for Flask's.
func (k *keyFlags) serializer(secret []byte, fallbacks [][]byte, now func() time.Time, format itsdangerous.PayloadFormat) (*itsdangerous.TimedSerializer, error) {
	opts, err := k.signerOptions()
	if err != nil {
		return nil, err
	}
	if format == nil {
		format = codec.TaggedJSON
	}
	opts = append(opts,
		itsdangerous.WithPayloadFormat(format),
		itsdangerous.WithFallbackKeys(fallbacks...),
		itsdangerous.WithClock(now),
		// The commands decide about empty keys themselves (encode signs
		// with one, with a warning).
		itsdangerous.WithUnsafeEmptyKeys())
	s, err := itsdangerous.NewURLSafeTimedSerializer(secret, opts...)
	if err != nil {
		return nil, usagef(k.cmd, "%v", err)
	}
	return s, nil
}

// maxUnix is the last second of the year 9999, the end of Python's
// datetime: later times are refused or reported as out of range.
const maxUnix = 253402300799

// maxSeconds is the longest span a flag of seconds takes: 2^33-1 seconds,
// 272 years. A longer one would overflow time.Duration (292 years), and a
// negative result would turn the age check off; 2^33 is also where
// itsdangerous's age checks clamp an age, so every longer age is still
// seen as longer.
const maxSeconds = 1<<33 - 1

// parseSeconds parses a flag that holds a number of seconds: from 0 (or
// -maxSeconds with negative) to maxSeconds. hint says what the flag wants.
func parseSeconds(cmd, flagName, s string, negative bool, hint string) (time.Duration, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange), n < 0 && !negative:
		return 0, usagef(cmd, "%s wants %s, not %q", flagName, hint, s)
	case err != nil || n > maxSeconds || n < -maxSeconds:
		return 0, usagef(cmd, "%s %s is out of range: at most %d seconds (272 years)", flagName, s, maxSeconds)
	}
	return time.Duration(n) * time.Second, nil
}

// parseUnix parses a --now or --timestamp value: Unix seconds.
func parseUnix(cmd, flagName, s string) (time.Time, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 || n > maxUnix {
		return time.Time{}, usagef(cmd, "%s wants Unix seconds (such as 1700000000), not %q", flagName, s)
	}
	return time.Unix(n, 0).UTC(), nil
}

// errNotKey reports a literal that is neither str nor bytes.
var errNotKey = errors.New("not a str or bytes literal")

// literalKey reads a key the way Flask-Unsign reads --secret, --salt and
// wordlist lines (its helpers.parse): the text, stripped, is evaluated as a
// Python literal with ast.literal_eval; a str gives its UTF-8 bytes, bytes
// are taken as they are, and text that is not a literal (or not UTF-8) is
// the key itself, stripped. isStr tells whether Python would hold a str (as
// opposed to bytes). A literal of another type (a number, a list) is
// errNotKey, as Flask-Unsign refuses it.
func literalKey(line []byte) (key []byte, isStr bool, err error) {
	if !utf8.Valid(line) {
		// line.decode() fails: Flask-Unsign keeps the bytes, stripped.
		return stripASCII(line), false, nil
	}
	text := strings.TrimFunc(string(line), isPySpace)
	v, perr := py.ParseLiteral(text)
	if perr != nil {
		return []byte(text), true, nil
	}
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			// A lone surrogate: Python cannot encode the key to UTF-8.
			return nil, true, errors.New("the str holds a lone surrogate, which has no UTF-8 bytes")
		}
		return []byte(x), true, nil
	case []byte:
		return x, false, nil
	case py.Markup, py.UUID, time.Time:
		// Calls that ParseLiteral reads but ast.literal_eval refuses:
		// Flask-Unsign then takes the text.
		return []byte(text), true, nil
	case float64:
		if (math.IsNaN(x) || math.IsInf(x, 0)) && strings.ContainsAny(strings.ToLower(text), "nf") {
			return []byte(text), true, nil // nan, inf, float('...'): names, not literals
		}
	}
	return nil, false, errNotKey
}

// isPySpace is Python's str.isspace for one character.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// stripASCII is Python's bytes.strip(): ASCII whitespace off both ends.
func stripASCII(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// describeKey formats a key for messages.
func describeKey(b []byte) string {
	if printable(b) {
		return strconv.Quote(string(b))
	}
	return py.Repr(b)
}

// printable reports whether b is non-empty UTF-8 text without control or
// other invisible characters, safe to print as it is.
func printable(b []byte) bool {
	if len(b) == 0 || !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// asciiRepr is Python's ascii(): the repr with every non-ASCII character
// escaped.
func asciiRepr(v any) string {
	r := py.Repr(v)
	var b strings.Builder
	for _, c := range r {
		switch {
		case c < 0x80:
			b.WriteRune(c)
		case c <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			fmt.Fprintf(&b, `\U%08x`, c)
		}
	}
	return b.String()
}
