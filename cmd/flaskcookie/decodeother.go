package main

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

// jwsHeaderAlg returns the "alg" of a token's header.
func jwsHeaderAlg(token string) (string, bool) {
	h, err := audit.JWSHeader(token)
	if err != nil {
		return "", false
	}
	alg, ok := h["alg"].(string)
	return alg, ok
}

// malformedShape is the error for a cookie without the separators of its
// format.
func malformedShape(prof string) error { return audit.MalformedShape(audit.Format(prof)) }

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
	d.raw = audit.PayloadText(audit.Format(d.prof), cookie)
	if isDjango(d.prof) || isJWS(d.prof) {
		// The frameworks' dicts keep the order of the JSON: read it again
		// in order (the same bytes, with the same reader).
		text := d.raw
		if isDjango(d.prof) {
			text = audit.DjangoText(text)
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
	value, ts, _, ok := audit.SplitToken(cookie, ':')
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
		// Signed again as the format signs without a salt.
		scheme, err := audit.FormatScheme(audit.Format(c.prof), alg)
		if err != nil {
			return nil, err
		}
		s, err := itsdangerous.NewSigner(dummyKey, scheme.Options()...)
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
			h, _ := audit.JWSHeader(cookie)
			if n, ok := intDate(h["exp"]); ok {
				return nil, fmt.Errorf("the token has expired: its \"exp\" is %s, %s ago", fmtTime(time.Unix(n, 0)), fmtSeconds(r.now.Unix()-n))
			}
			return nil, errors.New("the token has expired")
		}
		if errors.As(err, &e) && isMismatch(e) && c.given && headerAlg != c.digest && audit.JWSHash(headerAlg) != nil {
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
	h, err := audit.JWSHeader(token)
	if err != nil {
		return "(none: " + err.Error() + ")"
	}
	a, ok := h["alg"]
	if !ok {
		return "(none: no \"alg\" in the header)"
	}
	return py.Repr(a)
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
			if audit.SignatureSize(cookie, ':') == sha1.Size && r.other.digest != "sha1" && !r.other.legacy {
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
	if audit.DigestHash(alg) == nil {
		return false
	}
	kt, err := itsdangerous.NewKeyTester([]byte(cookie), c.scheme(alg).Options()...)
	return err == nil && kt.Test(r.secret)
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
