package main

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

// Profiles select the format of the cookie (or token) beside Flask's:
// --profile on decode, encode, inspect and unsign. The value inside the
// other formats is plain JSON (no Flask tags).
const (
	profFlask         = "flask"          // Flask's session cookie (the default)
	profStarlette     = "starlette"      // Starlette's (and FastAPI's) SessionMiddleware
	profDjango        = "django"         // django.core.signing.dumps / loads
	profDjangoSession = "django-session" // Django's signed_cookies session backend
	profDjangoCookie  = "django-cookie"  // Django's set_signed_cookie / get_signed_cookie values
	profJWS           = "jws"            // itsdangerous's JSONWebSignatureSerializer
	profJWSTimed      = "jws-timed"      // itsdangerous's TimedJSONWebSignatureSerializer
)

// profileNames lists the profiles in the order the help gives them.
var profileNames = []string{profFlask, profStarlette, profDjango, profDjangoSession, profDjangoCookie, profJWS, profJWSTimed}

// addProfile registers --profile on fs.
func addProfile(fs *flag.FlagSet) *optString {
	p := &optString{value: profFlask}
	fs.Var(p, "profile", "")
	return p
}

// checkProfile validates a --profile.
func checkProfile(cmd string, p *optString) error {
	for _, n := range profileNames {
		if p.value == n {
			return nil
		}
	}
	return usagef(cmd, "unknown --profile %q; use flask (the default), starlette, django, django-session, django-cookie, jws or jws-timed", p.value)
}

// framework names what reads the cookies of a profile, for messages.
func framework(prof string) string {
	switch prof {
	case profStarlette:
		return "Starlette"
	case profDjango, profDjangoSession, profDjangoCookie:
		return "Django"
	case profJWS, profJWSTimed:
		return "itsdangerous"
	}
	return "Flask"
}

// describeProfile says in a few words what a profile's cookies are.
func describeProfile(prof string) string {
	switch prof {
	case profStarlette:
		return "a Starlette session cookie (SessionMiddleware, FastAPI too)"
	case profDjango:
		return "a Django signed token (django.core.signing.dumps)"
	case profDjangoSession:
		return "a Django session cookie (the signed_cookies session backend)"
	case profDjangoCookie:
		return "a Django signed cookie value (set_signed_cookie)"
	case profJWS:
		return "an itsdangerous JWS token (JSONWebSignatureSerializer)"
	case profJWSTimed:
		return "an itsdangerous timed JWS token (TimedJSONWebSignatureSerializer)"
	}
	return "a Flask session cookie"
}

// isJWS and isDjango group the profiles.
func isJWS(prof string) bool    { return prof == profJWS || prof == profJWSTimed }
func isDjango(prof string) bool { return prof == profDjango || prof == profDjangoSession }

// otherConfig is how a cookie of a profile other than Flask is signed, from
// the flags.
type otherConfig struct {
	prof   string
	salt   []byte // django: the salt (a str); jws: the salt, nil for none
	digest string // django: a hashlib name; jws: HS256, HS384 or HS512, or "" for the header's
	given  bool   // --digest was given (else Django's digest may be read off the signature)
	legacy bool   // django: also accept legacy SHA-1 signatures
}

// given reports whether the flag name was on the command line.
func (k *keyFlags) given(name string) bool {
	if k.fs == nil {
		return false
	}
	found := false
	k.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// djangoDigests are the algorithms Django's signing accepts.
var djangoDigests = map[string]func() hash.Hash{
	"sha1":   sha1.New,
	"sha224": sha256.New224,
	"sha256": sha256.New,
	"sha384": sha512.New384,
	"sha512": sha512.New,
	"md5":    md5.New,
}

// jwsDigests maps the JWS algorithms to their hashes.
var jwsDigests = map[string]func() hash.Hash{
	jws.HS256: sha256.New,
	jws.HS384: sha512.New384,
	jws.HS512: sha512.New,
}

// jwsAlgorithm reads a --digest for a JWS profile: HS256, sha256, ...
func jwsAlgorithm(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "hs256", "sha256":
		return jws.HS256, true
	case "hs384", "sha384":
		return jws.HS384, true
	case "hs512", "sha512":
		return jws.HS512, true
	}
	return "", false
}

// otherConfig checks the flags that describe the signing against the
// profile prof (not Flask) and returns the configuration.
func (k *keyFlags) otherConfig(prof string) (*otherConfig, error) {
	c := &otherConfig{prof: prof}
	useless := func(flagName, why string) error {
		return usagef(k.cmd, "--%s has no use with --profile %s: %s", flagName, prof, why)
	}
	if k.given("key-derivation") {
		return nil, useless("key-derivation", "the key derivation is the framework's own")
	}
	switch {
	case prof == profStarlette:
		why := "Starlette signs with itsdangerous's TimestampSigner defaults (salt itsdangerous.Signer, django-concat, SHA-1)"
		for _, n := range []string{"salt", "digest", "legacy"} {
			if k.given(n) {
				return nil, useless(n, why)
			}
		}
		return c, nil
	case prof == profDjangoCookie:
		c.digest, c.legacy = django.DefaultAlgorithm, k.legacy
		if k.given("digest") {
			c.digest, c.given = strings.ToLower(k.digest), true
			if djangoDigests[c.digest] == nil {
				return nil, usagef(k.cmd, "unknown --digest %q for Django; use sha256 (the default), sha1, sha224, sha384, sha512 or md5", k.digest)
			}
		}
		if k.given("salt") {
			c.salt = []byte(k.salt) // set_signed_cookie's salt argument, after the name
		}
		return c, nil
	case isDjango(prof):
		c.digest, c.legacy = django.DefaultAlgorithm, k.legacy
		if k.given("digest") {
			c.digest, c.given = strings.ToLower(k.digest), true
			if djangoDigests[c.digest] == nil {
				return nil, usagef(k.cmd, "unknown --digest %q for Django; use sha256 (the default), sha1 (DEFAULT_HASHING_ALGORITHM = 'sha1'), sha224, sha384, sha512 or md5", k.digest)
			}
		}
		c.salt = []byte(django.DefaultSalt)
		if prof == profDjangoSession {
			c.salt = []byte(django.SessionSalt)
			if k.given("salt") {
				return nil, useless("salt", "the signed_cookies backend's salt is fixed; for a signing.dumps token with a salt use --profile django --salt SALT")
			}
		} else if k.given("salt") {
			s, err := k.key("--salt", k.salt)
			if err != nil {
				return nil, err
			}
			c.salt = s
		}
		return c, nil
	default: // JWS
		if k.legacy {
			return nil, useless("legacy", "JWS tokens have no legacy form")
		}
		if k.given("digest") {
			a, ok := jwsAlgorithm(k.digest)
			if !ok {
				return nil, usagef(k.cmd, "unknown --digest %q for JWS; use HS256, HS384 or HS512 (or sha256, sha384, sha512)", k.digest)
			}
			c.digest, c.given = a, true
		}
		if k.given("salt") {
			s, err := k.key("--salt", k.salt)
			if err != nil {
				return nil, err
			}
			c.salt = s
			if c.salt == nil {
				c.salt = []byte{}
			}
		}
		return c, nil
	}
}

// djangoSalt is the salt a Django signer uses: as in Django, an empty salt
// is the TimestampSigner's default.
func (c *otherConfig) djangoSalt() string {
	if len(c.salt) == 0 {
		return django.TimestampSignerSalt
	}
	return string(c.salt)
}

// testerOptions returns the options of itsdangerous.NewKeyTester that check
// a signature of the profile, for unsign and inspect; alg is the JWS
// algorithm or the Django digest to use.
func (c *otherConfig) testerOptions(alg string) []itsdangerous.Option {
	var salt []string
	switch {
	case isDjango(c.prof):
		salt = []string{c.djangoSalt()}
	case isJWS(c.prof) && c.salt != nil:
		salt = []string{string(c.salt)}
	}
	s, err := audit.FormatScheme(audit.Format(c.prof), alg, salt...)
	if err != nil {
		return nil // no algorithm fits: callers check sigAlgorithm first
	}
	return s.Options()
}

// sigAlgorithm returns the algorithm that checks cookie's signature: the
// configured one, else for JWS the header's "alg" and for Django the one
// the signature's length implies. It is "" when there is none.
func (c *otherConfig) sigAlgorithm(cookie string) string {
	switch {
	case c.prof == profStarlette:
		return "sha1"
	case c.given:
		return c.digest
	case isDjango(c.prof):
		return digestBySize[sigSize(cookie, ':')]
	}
	alg, _ := jwsHeaderAlg(cookie)
	if _, ok := jwsDigests[alg]; ok {
		return alg
	}
	return ""
}

// sigSize returns the size of the signature after the last sep of token,
// or -1 when it is missing or not base64.
func sigSize(token string, sep byte) int {
	i := strings.LastIndexByte(token, sep)
	if i < 0 {
		return -1
	}
	sig, err := pybase64.DecodeURLSafe(nil, []byte(token[i+1:]))
	if err != nil {
		return -1
	}
	return len(sig)
}

// jwsHeader decodes the header of a JWS token without checking anything.
func jwsHeader(token string) (map[string]any, []byte, error) {
	h, _, ok := strings.Cut(token, ".")
	if !ok {
		return nil, nil, errors.New("no '.' in it")
	}
	raw, err := pybase64.DecodeURLSafe(nil, []byte(h))
	if err != nil {
		return nil, nil, errors.New("the header is not base64")
	}
	g, err := pyjson.Decode(raw, pyjson.Options{MaxDepth: itsdangerous.DefaultMaxDepth})
	if err != nil {
		return nil, raw, errors.New("the header is not JSON")
	}
	m, ok := g.(map[string]any)
	if !ok {
		return nil, raw, errors.New("the header is not a JSON object")
	}
	return m, raw, nil
}

// jwsHeaderAlg returns the "alg" of a token's header.
func jwsHeaderAlg(token string) (string, bool) {
	h, _, err := jwsHeader(token)
	if err != nil {
		return "", false
	}
	alg, ok := h["alg"].(string)
	return alg, ok
}

// dummyKey signs again the cookies decoded without --secret, so that the
// frameworks' own readers take them apart.
var dummyKey = []byte("flaskcookie: unverified")

// resign replaces the signature of token (after its last sep) by s's.
func resign(token string, sep byte, sign func([]byte) []byte) (string, bool) {
	i := strings.LastIndexByte(token, sep)
	if i < 0 {
		return "", false
	}
	return string(sign([]byte(token[:i]))), true
}

// decodeOther verifies (with a secret) and decodes a cookie of a profile
// other than Flask.
func decodeOther(r *decodeRequest, cookie string) (*decoded, error) {
	if len(cookie) > itsdangerous.DefaultMaxTokenSize {
		return nil, fmt.Errorf("the cookie is too large: %d bytes, more than the maximum of %d", len(cookie), itsdangerous.DefaultMaxTokenSize)
	}
	var d *decoded
	var err error
	switch c := r.other; {
	case c.prof == profDjangoCookie:
		d, err = decodeDjangoCookie(r, cookie)
	case c.prof == profStarlette:
		d, err = decodeStarlette(r, cookie)
	case isDjango(c.prof):
		d, err = decodeDjango(r, cookie)
	default:
		d, err = decodeJWS(r, cookie)
	}
	if err != nil {
		return nil, err
	}
	d.prof = r.other.prof
	if d.prof == profDjangoCookie {
		return d, nil
	}
	d.raw = payloadText(d.prof, cookie)
	if isDjango(d.prof) || isJWS(d.prof) {
		// The frameworks' dicts keep the order of the JSON: read it again
		// in order (the same bytes, with the same reader).
		text := d.raw
		if isDjango(d.prof) {
			text = latin1ToUTF8(text)
		}
		if g, err := pyjson.Decode(text, pyjson.Options{MaxDepth: itsdangerous.DefaultMaxDepth, Ordered: true}); err == nil {
			d.value = g
		}
	}
	return d, nil
}

func decodeStarlette(r *decodeRequest, cookie string) (*decoded, error) {
	key, fallbacks := r.secret, r.fallbacks
	if !r.verify {
		s, err := itsdangerous.NewSigner(dummyKey)
		if err != nil {
			return nil, err
		}
		var ok bool
		if cookie, ok = resign(cookie, '.', s.Sign); !ok {
			return nil, malformedShape(profStarlette)
		}
		key, fallbacks = dummyKey, nil
	}
	opts := []starlette.Option{starlette.WithoutMaxAge(), starlette.WithFallbackKeys(fallbacks...), starlette.WithUnsafeEmptyKeys()}
	if r.verify && r.maxAge >= 0 {
		opts[0] = starlette.WithMaxAge(r.maxAge)
	}
	c, err := starlette.New(key, opts...)
	if err != nil {
		return nil, usagef(r.keys.cmd, "%v", err)
	}
	var v any
	signedAt, err := c.DecodeAt(cookie, &v, r.now)
	if err != nil {
		return nil, explain(err, r)
	}
	if !r.verify && r.maxAge >= 0 {
		if err := checkAge(signedAt, r.now, r.maxAge); err != nil {
			return nil, err
		}
	}
	return &decoded{value: v, signedAt: signedAt, verified: r.verify}, nil
}

// decodeDjangoCookie reads a set_signed_cookie value: a str, verified
// with the cookie's name in the salt when a secret is given.
func decodeDjangoCookie(r *decodeRequest, cookie string) (*decoded, error) {
	c := r.other
	value, ts, _, ok := split3(cookie, ':')
	if !ok {
		return nil, malformedShape(c.prof)
	}
	if !r.verify {
		_ = ts // its time is shown by inspect
		return &decoded{value: value, raw: []byte(value), verified: false}, nil
	}
	if r.cookieName == "" {
		return nil, usagef(r.keys.cmd, "--profile django-cookie needs the cookie's name, which Django puts in the salt: give NAME=VALUE or --name NAME")
	}
	opts := []django.Option{django.WithAlgorithm(c.digest), django.WithFallbackKeys(r.fallbacks...)}
	if c.salt != nil {
		opts = append(opts, django.WithSalt(string(c.salt)))
	}
	if c.legacy {
		opts = append(opts, django.WithLegacySHA1())
	}
	s, err := django.NewCookieSigner(r.secret, r.cookieName, opts...)
	if err != nil {
		return nil, usagef(r.keys.cmd, "%v", err)
	}
	call := []django.CallOption{django.At(r.now)}
	if r.maxAge >= 0 {
		call = append(call, django.MaxAge(r.maxAge))
	}
	v, signedAt, err := s.Unsign(cookie, call...)
	if err != nil {
		if errors.Is(err, django.ErrBadSignature) && !errors.Is(err, django.ErrSignatureExpired) {
			return nil, fmt.Errorf("the signature does not match: the secret key, the cookie's name (%s) or --salt is wrong, or the value was changed", strconv.Quote(r.cookieName))
		}
		return nil, explainDjango(err, r, cookie)
	}
	return &decoded{value: v, raw: []byte(v), signedAt: signedAt, verified: true}, nil
}

func decodeDjango(r *decodeRequest, cookie string) (*decoded, error) {
	c := r.other
	alg := c.digest
	key, fallbacks := r.secret, r.fallbacks
	if !r.verify {
		s, err := django.NewSigner(dummyKey, django.WithSalt(c.djangoSalt()), django.WithAlgorithm(alg))
		if err != nil {
			return nil, err
		}
		var ok bool
		if cookie, ok = resign(cookie, ':', func(b []byte) []byte { return []byte(s.Sign(string(b))) }); !ok {
			return nil, malformedShape(c.prof)
		}
		key, fallbacks = dummyKey, nil
	}
	opts := []django.Option{django.WithSalt(c.djangoSalt()), django.WithAlgorithm(alg), django.WithFallbackKeys(fallbacks...)}
	if c.legacy {
		opts = append(opts, django.WithLegacySHA1())
	}
	s, err := django.NewSerializer(key, opts...)
	if err != nil {
		if len(key) == 0 {
			return nil, usagef(r.keys.cmd, "the secret key is empty: Django does not sign without a SECRET_KEY")
		}
		return nil, usagef(r.keys.cmd, "%v", err)
	}
	call := []django.CallOption{django.At(r.now)}
	if r.verify && r.maxAge >= 0 {
		call = append(call, django.MaxAge(r.maxAge))
	}
	var v any
	signedAt, err := s.Loads(cookie, &v, call...)
	if err != nil {
		return nil, explainDjango(err, r, cookie)
	}
	if !r.verify && r.maxAge >= 0 && r.now.Sub(signedAt) > r.maxAge {
		// Django's rule: expired when older than the maximum; a token
		// signed in the future is accepted.
		age := r.now.Unix() - signedAt.Unix()
		return nil, expiredError(signedAt, age, int64(r.maxAge/time.Second))
	}
	return &decoded{value: v, signedAt: signedAt, verified: r.verify}, nil
}

// jwsSerializer is a JWS serializer of either kind.
type jwsSerializer interface {
	Dumps(v any, opts ...jws.CallOption) (string, error)
	Loads(token string, v any, opts ...jws.CallOption) (map[string]any, error)
}

// newJWS returns the serializer of the profile for key.
func newJWS(prof string, key []byte, opts ...jws.Option) (jwsSerializer, error) {
	// The commands decide about empty keys themselves (encode signs with
	// one, with a warning).
	opts = append(opts, jws.WithUnsafeEmptyKeys())
	if prof == profJWSTimed {
		return jws.NewTimed(key, opts...)
	}
	return jws.New(key, opts...)
}

func decodeJWS(r *decodeRequest, cookie string) (*decoded, error) {
	c := r.other
	alg := c.sigAlgorithm(cookie)
	headerAlg, _ := jwsHeaderAlg(cookie)
	key, fallbacks := r.secret, r.fallbacks
	var opts []jws.Option
	switch {
	case !r.verify && headerAlg == jws.None:
		// Unsigned: nothing to sign again.
		opts = append(opts, jws.WithUnsafeNoneAlgorithm())
		key, fallbacks = dummyKey, nil
	case !r.verify:
		if alg == "" {
			alg = jws.HS512 // the header names no HMAC: Loads says why
		}
		s, err := itsdangerous.NewSigner(dummyKey, itsdangerous.WithSeparator([]byte(".")),
			itsdangerous.WithKeyDerivation(itsdangerous.NoDerivation), itsdangerous.WithDigest(jwsDigests[alg]))
		if err != nil {
			return nil, err
		}
		var ok bool
		if cookie, ok = resign(cookie, '.', s.Sign); !ok {
			return nil, malformedShape(c.prof)
		}
		key, fallbacks = dummyKey, nil
		opts = append(opts, jws.WithAlgorithm(alg))
	case alg == "" && headerAlg == jws.None:
		return nil, errors.New("the token is not signed (its header says \"alg\": \"none\"): there is nothing to verify; anyone can make it, and decode reads it without --secret")
	case alg == "":
		return nil, fmt.Errorf("the token's header names the algorithm %s, which itsdangerous does not sign with; it signs with HS256, HS384 or HS512 (--digest)", quoteAlg(cookie))
	default:
		opts = append(opts, jws.WithAlgorithm(alg))
		if c.salt != nil {
			opts = append(opts, jws.WithSalt(c.salt))
		}
	}
	opts = append(opts, jws.WithFallbackKeys(fallbacks...))
	s, err := newJWS(c.prof, key, opts...)
	if err != nil {
		return nil, usagef(r.keys.cmd, "%v", err)
	}
	var v any
	header, err := s.Loads(cookie, &v, jws.At(r.now))
	if err != nil {
		var e *itsdangerous.Error
		if errors.Is(err, itsdangerous.ErrSignatureExpired) {
			h, _, _ := jwsHeader(cookie)
			if n, ok := intDate(h["exp"]); ok {
				return nil, fmt.Errorf("the token has expired: its \"exp\" is %s, %s ago", fmtTime(time.Unix(n, 0)), fmtSeconds(r.now.Unix()-n))
			}
			return nil, errors.New("the token has expired")
		}
		if errors.As(err, &e) && isMismatch(e) && c.given && headerAlg != c.digest && jwsDigests[headerAlg] != nil {
			return nil, fmt.Errorf("the signature does not match with %s (--digest); the token's header names %s: try --digest %s", c.digest, headerAlg, headerAlg)
		}
		if errors.As(err, &e) && errors.Is(err, jws.ErrBadHeader) && e.Reason == "Algorithm mismatch" {
			if c.given {
				return nil, fmt.Errorf("the token's header names the algorithm %s, not %s (--digest)", quoteAlg(cookie), c.digest)
			}
			return nil, fmt.Errorf("the token's header names the algorithm %s, which itsdangerous does not sign with; it signs with HS256, HS384 or HS512", quoteAlg(cookie))
		}
		return nil, explain(err, r)
	}
	signedAt, _ := jws.IssuedAt(header)
	return &decoded{value: v, signedAt: signedAt, verified: r.verify}, nil
}

// quoteAlg shows the "alg" of a token's header in a message.
func quoteAlg(token string) string {
	h, _, err := jwsHeader(token)
	if err != nil {
		return "(none: " + err.Error() + ")"
	}
	a, ok := h["alg"]
	if !ok {
		return "(none: no \"alg\" in the header)"
	}
	return py.Repr(a)
}

// malformedShape is the error for a cookie without the separators of its
// format.
func malformedShape(prof string) error {
	switch {
	case prof == profStarlette:
		return errors.New("malformed cookie: no '.' in it; a Starlette session cookie is PAYLOAD.TIMESTAMP.SIGNATURE")
	case isDjango(prof):
		return errors.New("malformed cookie: no ':' in it; a Django signed token is PAYLOAD:TIMESTAMP:SIGNATURE")
	}
	return errors.New("malformed token: no '.' in it; a JWS token is HEADER.PAYLOAD.SIGNATURE")
}

// explainDjango turns an error of Django's signing into the reason printed
// on stderr.
func explainDjango(err error, r *decodeRequest, cookie string) error {
	var e *django.Error
	if !errors.As(err, &e) {
		return err
	}
	switch {
	case errors.Is(err, django.ErrTooLarge):
		return fmt.Errorf("the token is too large: %s", e.Reason)
	case errors.Is(err, django.ErrSignatureExpired):
		return expiredError(e.SignedAt, int64(e.Age/time.Second), int64(e.MaxAge/time.Second))
	case errors.Is(err, django.ErrMalformed):
		if r.verify {
			return fmt.Errorf("the signature verifies, but Django could not load the payload: %s", e.Reason)
		}
		return fmt.Errorf("malformed token: Django could not load it: %s", e.Reason)
	case errors.Is(err, django.ErrBadSignature):
		if strings.HasPrefix(e.Reason, "No ") {
			return malformedShape(r.other.prof)
		}
		if strings.HasPrefix(e.Reason, "Signature ") {
			hint := "the secret key is wrong, or the token was changed"
			switch {
			case saltFits(r, cookie):
				if r.other.prof == profDjango {
					hint = "it verifies as a signed_cookies session: use --profile django-session"
				} else {
					hint = "it verifies as a signing.dumps token: use --profile django"
				}
			case r.other.prof == profDjango:
				hint = "the secret key or --salt is wrong, or the token was changed"
			}
			if sigSize(cookie, ':') == sha1.Size && r.other.digest != "sha1" && !r.other.legacy {
				hint += "; the signature is SHA-1: try --legacy (Django 3.1 and 3.2 accept it) or --digest sha1"
			}
			return fmt.Errorf("the signature does not match: %s", hint)
		}
		return fmt.Errorf("malformed token: %s", e.Reason)
	}
	return err
}

// saltFits reports, for a Django token that does not verify, whether the
// key verifies it with the salt of the other Django profile: a
// signing.dumps token for a session cookie, a session cookie for a token.
func saltFits(r *decodeRequest, cookie string) bool {
	c := *r.other
	c.prof, c.salt = profDjango, []byte(django.DefaultSalt)
	if r.other.prof == profDjango {
		c.prof, c.salt = profDjangoSession, []byte(django.SessionSalt)
	}
	alg := c.sigAlgorithm(cookie)
	if djangoDigests[alg] == nil {
		return false
	}
	kt, err := itsdangerous.NewKeyTester([]byte(cookie), c.testerOptions(alg)...)
	return err == nil && kt.Test(r.secret)
}

// payloadText returns the JSON text inside a cookie of a profile (after
// base64 and zlib), or nil when it cannot be read.
func payloadText(prof, cookie string) []byte {
	switch {
	case prof == profStarlette:
		p, _, _, ok := split3(cookie, '.')
		if !ok {
			return nil
		}
		raw, err := pybase64.DecodeStd(nil, []byte(p))
		if err != nil {
			return nil
		}
		return raw
	case isDjango(prof):
		p, _, _, ok := split3(cookie, ':')
		if !ok {
			return nil
		}
		raw, _, err := djangoPayload(p)
		if err != nil {
			return nil
		}
		return raw
	}
	i, j := strings.IndexByte(cookie, '.'), strings.LastIndexByte(cookie, '.')
	if i < 0 || i == j {
		return nil
	}
	raw, err := pybase64.DecodeURLSafe(nil, []byte(cookie[i+1:j]))
	if err != nil {
		return nil
	}
	return raw
}

// djangoPayload decodes the payload part of a Django token: URL-safe base64,
// zlib-compressed when it starts with '.'. n is the size before inflating.
func djangoPayload(p string) (raw []byte, n int, err error) {
	compressed := strings.HasPrefix(p, ".")
	if compressed {
		p = p[1:]
	}
	raw, err = pybase64.DecodeURLSafe(nil, []byte(p))
	if err != nil {
		return nil, 0, errors.New("not base64")
	}
	n = len(raw)
	if compressed {
		if raw, err = inflate(raw); err != nil {
			return nil, n, err
		}
	}
	return raw, n, nil
}

// inflate decompresses a zlib stream of at most maxInflate bytes.
func inflate(b []byte) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, errors.New("marked compressed, but not zlib")
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxInflate+1))
	if err != nil {
		return nil, errors.New("a damaged zlib stream: " + err.Error())
	}
	if len(out) > maxInflate {
		return nil, fmt.Errorf("inflates past %d bytes", maxInflate)
	}
	return out, nil
}

// split3 splits s at its last two sep: payload, timestamp, signature.
func split3(s string, sep byte) (payload, ts, sig string, ok bool) {
	i := strings.LastIndexByte(s, sep)
	if i < 0 {
		return "", "", "", false
	}
	j := strings.LastIndexByte(s[:i], sep)
	if j < 0 {
		return "", "", "", false
	}
	return s[:j], s[j+1 : i], s[i+1:], true
}

// latin1ToUTF8 reads b as Latin-1, as Django reads its JSON.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// formatOther renders a decoded value of a profile other than Flask, with
// a final newline: json is the JSON view, python the repr, tagged the JSON
// text inside the cookie as the framework wrote it.
func formatOther(d *decoded, format string) ([]byte, error) {
	var out []byte
	var err error
	switch format {
	case "python":
		out = []byte(py.Repr(d.value))
	case "tagged":
		if d.raw == nil {
			return nil, errors.New("cannot show the payload's JSON text")
		}
		out = escapeInvisible(d.raw)
	default:
		out, err = appendView(nil, d.value, 0)
		out = escapeInvisible(out)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot write the value as %s: %v", format, err)
	}
	return append(out, '\n'), nil
}

// encodeOther signs v as a profile other than Flask writes it, at time at.
func encodeOther(c *otherConfig, secret []byte, v any, at time.Time, compress bool, expiresIn time.Duration) (string, error) {
	var out string
	var err error
	switch {
	case c.prof == profStarlette:
		var s *starlette.Codec
		if s, err = starlette.New(secret, starlette.WithUnsafeEmptyKeys()); err == nil {
			out, err = s.EncodeAt(v, at)
		}
	case c.prof == profDjangoSession:
		var s *django.SessionCodec
		if s, err = django.NewSessionCodec(secret, django.WithAlgorithm(c.digest)); err == nil {
			out, err = s.EncodeAt(v, at)
		}
	case c.prof == profDjango:
		opts := []django.Option{django.WithSalt(c.djangoSalt()), django.WithAlgorithm(c.digest)}
		if compress {
			opts = append(opts, django.WithCompress())
		}
		var s *django.Serializer
		if s, err = django.NewSerializer(secret, opts...); err == nil {
			out, err = s.Dumps(v, django.At(at))
		}
	default:
		alg := c.digest
		if alg == "" {
			alg = jws.DefaultAlgorithm
		}
		opts := []jws.Option{jws.WithAlgorithm(alg), jws.WithClock(func() time.Time { return at })}
		if c.salt != nil {
			opts = append(opts, jws.WithSalt(c.salt))
		}
		if expiresIn != -1<<62 {
			opts = append(opts, jws.WithExpiresIn(expiresIn))
		}
		var s jwsSerializer
		if s, err = newJWS(c.prof, secret, opts...); err == nil {
			out, err = s.Dumps(v, jws.At(at))
		}
	}
	if err != nil {
		if errors.Is(err, django.ErrConfig) || errors.Is(err, starlette.ErrConfig) || errors.Is(err, jws.ErrConfig) {
			return "", usagef("encode", "%v", err)
		}
		return "", fmt.Errorf("%s cannot hold this value: %v", framework(c.prof), err)
	}
	return out, nil
}
