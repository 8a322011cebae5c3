package main

import (
	"flag"
	"strings"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/django"
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

// djangoSigned reports the profiles Django's TimestampSigner signs:
// PAYLOAD:TIMESTAMP:SIGNATURE with a base 62 timestamp.
func djangoSigned(prof string) bool { return isDjango(prof) || prof == profDjangoCookie }

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
	name   string // django-cookie: the cookie's name, put before the salt
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
			if audit.DigestHash(c.digest) == nil {
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
			if audit.DigestHash(c.digest) == nil {
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
			a, ok := audit.ParseJWSAlgorithm(k.digest)
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

// scheme returns how a signature of the profile is checked, for unsign
// and inspect; alg is the JWS algorithm or the Django digest to use. It
// is the zero Scheme (no options) when no algorithm fits: callers check
// sigAlgorithm first.
func (c *otherConfig) scheme(alg string) audit.Scheme {
	var salt []string
	switch {
	case c.prof == profDjangoCookie:
		salt = []string{c.name + string(c.salt)}
	case isDjango(c.prof):
		salt = []string{c.djangoSalt()}
	case isJWS(c.prof) && c.salt != nil:
		salt = []string{string(c.salt)}
	}
	s, err := audit.FormatScheme(audit.Format(c.prof), alg, salt...)
	if err != nil {
		return audit.Scheme{}
	}
	return s
}

// sigAlgorithm returns the algorithm that checks cookie's signature: the
// configured one (--digest), else the one the token implies
// (audit.TokenDigest). It is "" when there is none.
func (c *otherConfig) sigAlgorithm(cookie string) string {
	if c.given {
		return c.digest
	}
	return audit.TokenDigest(audit.Format(c.prof), cookie)
}
