package django

import (
	"time"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// The signed_cookies session backend's salt and Django's default session
// cookie settings, for an HTTP layer that sets the cookie as Django does:
//
//	sessionid=<token>; expires=<now+age, HTTP date>; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax
const (
	// SessionSalt is the salt of django.contrib.sessions.backends.signed_cookies.
	SessionSalt = "django.contrib.sessions.backends.signed_cookies"
	// SessionCookieName is SESSION_COOKIE_NAME.
	SessionCookieName = "sessionid"
	// DefaultSessionCookieAge is SESSION_COOKIE_AGE: two weeks. It is the
	// cookie's Max-Age (with a matching Expires) and the max_age the
	// backend checks on every read.
	DefaultSessionCookieAge = 1209600 * time.Second
	// SessionCookiePath is SESSION_COOKIE_PATH.
	SessionCookiePath = "/"
	// SessionCookieSameSite is SESSION_COOKIE_SAMESITE.
	SessionCookieSameSite = "Lax"
	// SessionCookieHTTPOnly is SESSION_COOKIE_HTTPONLY.
	SessionCookieHTTPOnly = true
	// SessionCookieSecure is SESSION_COOKIE_SECURE.
	SessionCookieSecure = false
)

// SessionCodec reads and writes the cookies of Django's signed_cookies
// session backend (SESSION_ENGINE =
// "django.contrib.sessions.backends.signed_cookies") with Django's default
// JSON session serializer: signing.dumps(session, compress=True,
// salt=SessionSalt) on save, and signing.loads(cookie,
// max_age=SESSION_COOKIE_AGE, salt=SessionSalt) on load. A SessionCodec is
// immutable and safe for concurrent use.
type SessionCodec struct {
	s   *Serializer
	age time.Duration
}

// NewSessionCodec returns a SessionCodec for SECRET_KEY. It accepts
// WithSessionCookieAge (default DefaultSessionCookieAge), WithFallbackKeys
// (SECRET_KEY_FALLBACKS, Django 4.1+), WithAlgorithm and WithLegacySHA1
// (DEFAULT_HASHING_ALGORITHM and the SHA-1 fallback of Django 3.1/3.2),
// WithClock and the size limits. The salt is always SessionSalt and the
// payload always compressed when that is shorter.
func NewSessionCodec(secretKey []byte, opts ...Option) (*SessionCodec, error) {
	opts = append(append([]Option{}, opts...), WithSalt(SessionSalt), WithCompress())
	c, err := newConfig(DefaultSalt, opts)
	if err != nil {
		return nil, err
	}
	s, err := newSerializer(c, secretKey)
	if err != nil {
		return nil, err
	}
	return &SessionCodec{s: s, age: c.cookieAge}, nil
}

// Lifetime returns SESSION_COOKIE_AGE: the maximum age checked on Decode,
// and the cookie's Max-Age.
func (c *SessionCodec) Lifetime() time.Duration { return c.age }

// Now returns the codec's clock reading.
func (c *SessionCodec) Now() time.Time { return c.s.ts.clock() }

// Encode returns the cookie value for a session (a dict: a map, py.Dict or
// struct) at the current time, as SessionStore.save() makes it.
func (c *SessionCodec) Encode(session any) (string, error) {
	return c.s.Dumps(session)
}

// EncodeAt is Encode as if the time were t.
func (c *SessionCodec) EncodeAt(session any, t time.Time) (string, error) {
	return c.s.Dumps(session, At(t))
}

// Decode verifies a cookie value, checks it is at most Lifetime old, and
// decodes the session into the value v points to. It returns the signing
// time.
//
// Django's SessionStore.load() turns every failure into a new, empty
// session: a bad signature (ErrBadSignature), an expired cookie
// (ErrSignatureExpired), and a validly signed payload it cannot decode
// (ErrMalformed). So every error of Decode also matches
// itsdangerous.ErrBadSignature, which is how codec.SessionCodec (and the
// HTTP middleware built on it) says "start an empty session"; errors.As
// still reaches the *Error.
func (c *SessionCodec) Decode(cookie string, v any) (time.Time, error) {
	return c.DecodeAt(cookie, v, c.Now())
}

// DecodeAt is Decode with now as the present.
func (c *SessionCodec) DecodeAt(cookie string, v any, now time.Time) (time.Time, error) {
	t, err := c.s.Loads(cookie, v, At(now), MaxAge(c.age))
	if err != nil {
		return time.Time{}, &sessionError{err}
	}
	return t, nil
}

// sessionError is an error of SessionCodec.Decode: Django resets the
// session whatever the error, which itsdangerous.ErrBadSignature says to
// an HTTP layer built for Flask's codecs.
type sessionError struct{ err error }

func (e *sessionError) Error() string   { return e.err.Error() }
func (e *sessionError) Unwrap() []error { return []error{e.err, itsdangerous.ErrBadSignature} }
