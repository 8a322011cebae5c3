package audit

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"strings"

	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
)

// Salts and key prefixes of the frameworks, as their sources write them.
const (
	// FlaskSalt is the salt of Flask's session serializer.
	FlaskSalt = "cookie-session"
	// StarletteSalt is the salt of Starlette's TimestampSigner (the
	// default of itsdangerous's Signer).
	StarletteSalt = itsdangerous.DefaultSignerSalt
	// DjangoCookieKeyPrefix is put before SECRET_KEY by Django's
	// get_cookie_signer (django/core/signing.py, 3.2 and 4.2).
	DjangoCookieKeyPrefix = "django.http.cookies"
	// DjangoMessagesSalt is the salt of the messages framework's cookie
	// storage (django/contrib/messages/storage/cookie.py).
	DjangoMessagesSalt = "django.contrib.messages"
)

// CommonSalts are the salts tried for the Itsdangerous format when none is
// given: itsdangerous's Serializer default and Flask-WTF's CSRF tokens
// (flask_wtf/csrf.py). WithSalts adds more.
var CommonSalts = []string{"itsdangerous", "wtf-csrf-token"}

// A Scheme is one way a secret may have signed a token: a format with its
// salt, digest and key derivation. Test results name the scheme that
// verified.
type Scheme struct {
	Format Format
	// Salt is the salt as the framework takes it ("" for none).
	Salt string
	// Digest is the MAC's hash: a hashlib name such as "sha1", or a JWS
	// algorithm (HS256, HS384, HS512).
	Digest string
	// KeyPrefix is put before the candidate secret before the key is
	// derived (Django's get_cookie_signer).
	KeyPrefix string

	opts   []itsdangerous.Option
	derive string // schemes with the same derive share their derived key
}

// String describes the scheme on one line.
func (s Scheme) String() string {
	b := string(s.Format)
	if s.Salt != "" {
		b += " salt " + quoteText(s.Salt)
	}
	if s.Digest != "" {
		b += " " + s.Digest
	}
	if s.KeyPrefix != "" {
		b += " key " + quoteText(s.KeyPrefix) + "+SECRET_KEY"
	}
	return b
}

// NewScheme returns a scheme of format f checked with the options of
// itsdangerous.NewKeyTester, for signings this package does not know (a
// Flask app with its own salt or digest). Its derived key is shared with no
// other scheme.
func NewScheme(f Format, salt, digest string, opts ...itsdangerous.Option) Scheme {
	return Scheme{Format: f, Salt: salt, Digest: digest, opts: opts}
}

// Options returns the itsdangerous.NewKeyTester options that check the
// scheme's signatures (the key prefix aside).
func (s Scheme) Options() []itsdangerous.Option { return s.opts }

func flaskScheme() Scheme {
	return Scheme{
		Format: Flask, Salt: FlaskSalt, Digest: "sha1",
		opts: []itsdangerous.Option{
			itsdangerous.WithSalt([]byte(FlaskSalt)),
			itsdangerous.WithKeyDerivation(itsdangerous.HMACDerive),
			itsdangerous.WithDigest(sha1.New),
		},
		derive: "hmac/sha1/" + FlaskSalt,
	}
}

func concatScheme(f Format, salt string) Scheme {
	return Scheme{
		Format: f, Salt: salt, Digest: "sha1",
		opts: []itsdangerous.Option{
			itsdangerous.WithSalt([]byte(salt)),
			itsdangerous.WithKeyDerivation(itsdangerous.DjangoConcat),
			itsdangerous.WithDigest(sha1.New),
		},
		derive: "concat/sha1/" + salt,
	}
}

// djangoDigestBySize names the Django digest that makes signatures of a
// size (sha224 and md5 are rare but allowed).
var djangoDigestBySize = map[int]string{20: "sha1", 28: "sha224", 32: "sha256", 48: "sha384", 64: "sha512", 16: "md5"}

func djangoScheme(f Format, salt, digest, prefix string) Scheme {
	s := Scheme{Format: f, Salt: salt, Digest: digest, KeyPrefix: prefix}
	// Django's Signer derives with salt + "signer", as DjangoConcat does.
	s.opts = []itsdangerous.Option{
		itsdangerous.WithSeparator([]byte(":")),
		itsdangerous.WithSalt([]byte(salt)),
		itsdangerous.WithKeyDerivation(itsdangerous.DjangoConcat),
		itsdangerous.WithDigest(django.Digest(digest)),
		itsdangerous.WithStrictBase64(),
	}
	s.derive = "concat/" + digest + "/" + salt + "/" + prefix
	return s
}

var jwsDigests = map[string]func() hash.Hash{
	jws.HS256: sha256.New,
	jws.HS384: sha512.New384,
	jws.HS512: sha512.New,
}

func jwsScheme(f Format, alg string, salt *string) Scheme {
	s := Scheme{Format: f, Digest: alg}
	h := jwsDigests[alg]
	if salt == nil {
		s.opts = []itsdangerous.Option{
			itsdangerous.WithSeparator([]byte(".")),
			itsdangerous.WithKeyDerivation(itsdangerous.NoDerivation),
			itsdangerous.WithDigest(h),
		}
		s.derive = "none"
		return s
	}
	// With a salt the key is SHA-1(salt ‖ "signer" ‖ secret), the MAC the
	// JWS algorithm's.
	s.Salt = *salt
	s.opts = []itsdangerous.Option{
		itsdangerous.WithSeparator([]byte(".")),
		itsdangerous.WithSalt([]byte(*salt)),
		itsdangerous.WithKeyDerivation(itsdangerous.DjangoConcat),
		itsdangerous.WithDigest(sha1.New),
		itsdangerous.WithAlgorithm(itsdangerous.HMAC(h)),
	}
	s.derive = "concat/sha1/" + *salt
	return s
}

// DjangoDigest returns the hashlib name of the digest that made a Django
// token's signature, read from its size, or "" when no digest fits.
func DjangoDigest(token string) string {
	return djangoDigestBySize[SignatureSize(token, ':')]
}

// DigestHash returns the hash of a hashlib digest name: "sha1", "sha224",
// "sha256", "sha384", "sha512" or "md5" (the digests Django's signing and
// itsdangerous's digest_method take), or nil for another name.
func DigestHash(name string) func() hash.Hash { return django.Digest(name) }

// DigestForSize returns the hashlib name of the digest whose HMAC is n
// bytes long ("sha1" for 20), or "" when none is.
func DigestForSize(n int) string { return djangoDigestBySize[n] }

// JWSHash returns the hash of a JWS HMAC algorithm (HS256, HS384 or
// HS512), or nil for another algorithm.
func JWSHash(alg string) func() hash.Hash { return jwsDigests[alg] }

// ParseJWSAlgorithm reads a JWS HMAC algorithm written as its JWS name or
// as its hash's hashlib name, in any case: "HS256", "hs256" and "sha256"
// give jws.HS256. ok is false for anything else.
func ParseJWSAlgorithm(s string) (alg string, ok bool) {
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

// TokenDigest returns the digest that checks token's signature as format
// f, from the token alone: "sha1" for the formats whose digest is fixed
// (Flask, Itsdangerous, Starlette), the one the signature's size implies
// for Django's, the header's "alg" for JWS when it is an HMAC algorithm.
// It is "" when none fits. The token is not verified: use it to choose.
func TokenDigest(f Format, token string) string {
	switch f {
	case Flask, Itsdangerous, Starlette:
		return "sha1"
	case Django, DjangoSession, DjangoCookie:
		return DjangoDigest(token)
	case JWS, JWSTimed:
		h, _ := JWSHeader(token)
		if alg, _ := h["alg"].(string); jwsDigests[alg] != nil {
			return alg
		}
	}
	return ""
}

// schemesFor returns the schemes of format f that can have signed token.
func schemesFor(f Format, token string, c *config) []Scheme {
	var out []Scheme
	switch f {
	case Flask:
		out = append(out, flaskScheme())
	case Itsdangerous:
		for _, salt := range c.itsSalts() {
			out = append(out, concatScheme(Itsdangerous, salt))
		}
	case Starlette:
		out = append(out, concatScheme(Starlette, StarletteSalt))
	case Django, DjangoSession, DjangoCookie:
		digest := c.digest
		if digest == "" {
			digest = DjangoDigest(token)
		}
		if django.Digest(digest) == nil {
			return nil
		}
		switch f {
		case DjangoSession:
			out = append(out, djangoScheme(f, django.SessionSalt, digest, ""))
		case Django:
			salts := c.salts
			if len(salts) == 0 {
				salts = []string{django.DefaultSalt}
			}
			for _, s := range salts {
				if s == "" {
					s = django.TimestampSignerSalt // signing.dumps(salt="")
				}
				out = append(out, djangoScheme(f, s, digest, ""))
			}
		case DjangoCookie:
			for _, n := range c.cookieNames {
				for _, s := range append([]string{""}, c.salts...) {
					out = append(out, djangoScheme(f, n+s, digest, DjangoCookieKeyPrefix))
				}
			}
			out = append(out, djangoScheme(f, DjangoMessagesSalt, digest, DjangoCookieKeyPrefix))
		}
	case JWS, JWSTimed:
		alg := c.digest
		if alg == "" {
			h, _ := JWSHeader(token)
			alg, _ = h["alg"].(string)
		}
		if jwsDigests[alg] == nil {
			return nil
		}
		if len(c.salts) == 0 || c.noSaltToo {
			out = append(out, jwsScheme(f, alg, nil))
		}
		for i := range c.salts {
			out = append(out, jwsScheme(f, alg, &c.salts[i]))
		}
	}
	return out
}

// FormatScheme returns the scheme of format f signed with the digest (a
// hashlib name for Django, HS256, HS384 or HS512 for JWS; ignored by the
// formats whose digest is fixed) and the salt when given (for Flask,
// Starlette and the sealed format the salt is fixed and ignored; for
// Django an empty salt is the TimestampSigner's default; for JWS no salt
// means the key is used as it is). For DjangoCookie the salt is the cookie
// name followed by set_signed_cookie's salt argument. An unknown format or
// digest matches ErrConfig.
func FormatScheme(f Format, digest string, salt ...string) (Scheme, error) {
	bad := func(what string) (Scheme, error) {
		return Scheme{}, fmt.Errorf("%w: %s for format %s", ErrConfig, what, f)
	}
	if len(salt) > 1 {
		return bad("more than one salt")
	}
	switch f {
	case Flask:
		return flaskScheme(), nil
	case Starlette:
		return concatScheme(Starlette, StarletteSalt), nil
	case Itsdangerous:
		s := CommonSalts[0]
		if len(salt) == 1 {
			s = salt[0]
		}
		return concatScheme(Itsdangerous, s), nil
	case Django, DjangoSession, DjangoCookie:
		if django.Digest(digest) == nil {
			return bad("unknown digest " + quoteText(digest))
		}
		s, prefix := django.DefaultSalt, ""
		switch f {
		case DjangoSession:
			s = django.SessionSalt
		case DjangoCookie:
			s, prefix = "", DjangoCookieKeyPrefix
		}
		if len(salt) == 1 && f != DjangoSession {
			s = salt[0]
		}
		if s == "" {
			s = django.TimestampSignerSalt
		}
		return djangoScheme(f, s, digest, prefix), nil
	case JWS, JWSTimed:
		if jwsDigests[digest] == nil {
			return bad("unknown algorithm " + quoteText(digest))
		}
		if len(salt) == 1 {
			return jwsScheme(f, digest, &salt[0]), nil
		}
		return jwsScheme(f, digest, nil), nil
	}
	return bad("no scheme")
}
