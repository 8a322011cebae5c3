package flasklogin

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"strings"
	"unicode/utf8"
)

// MaxCookieSize bounds the remember cookie that DecodeRememberCookie reads
// (browsers keep cookies of at most about 4 KB); a longer one is refused
// before any MAC is computed.
const MaxCookieSize = 4096

// Errors of DecodeRememberCookie. Each failure is a *CookieError that
// matches ErrBadCookie and one of the reasons below with errors.Is.
var (
	// ErrBadCookie is matched by every remember cookie that gives no login.
	ErrBadCookie = errors.New("flasklogin: bad remember cookie")
	// ErrCookieFormat: no "|" separating the user ID from the digest, or a
	// user ID that is not UTF-8.
	ErrCookieFormat = errors.New("flasklogin: remember cookie is not user_id|digest")
	// ErrCookieDigest: the digest is not the HMAC-SHA512 of the user ID
	// under the secret key.
	ErrCookieDigest = errors.New("flasklogin: remember cookie digest does not match")
	// ErrCookieTooLarge: the cookie is longer than MaxCookieSize.
	ErrCookieTooLarge = errors.New("flasklogin: remember cookie too large")
)

// A CookieError is a remember cookie that DecodeRememberCookie refuses.
// It does not hold the cookie, which is attacker-controlled.
type CookieError struct {
	Reason error // ErrCookieFormat, ErrCookieDigest or ErrCookieTooLarge
}

// Error returns the reason's message.
func (e *CookieError) Error() string { return e.Reason.Error() }

// Unwrap returns ErrBadCookie and the reason, for errors.Is.
func (e *CookieError) Unwrap() []error { return []error{ErrBadCookie, e.Reason} }

// EncodeRememberCookie returns the remember cookie value of user ID id, as
// Flask-Login's encode_cookie(id) makes it with the app's SECRET_KEY:
// "id|" followed by the hex HMAC-SHA512 of the UTF-8 id under secret.
// A Flask SECRET_KEY that is a str is encoded in Latin-1 by Flask-Login
// (not UTF-8), so pass those bytes for a non-ASCII key.
func EncodeRememberCookie(secret []byte, id string) string {
	return id + "|" + digest(secret, id)
}

// DecodeRememberCookie verifies a remember cookie value as Flask-Login's
// decode_cookie does and returns the user ID it holds. The value is split
// on its last "|"; the digest is compared in constant time. A cookie that
// does not verify gives a *CookieError matching ErrBadCookie.
func DecodeRememberCookie(secret []byte, value string) (string, error) {
	if len(value) > MaxCookieSize {
		return "", &CookieError{ErrCookieTooLarge}
	}
	i := strings.LastIndexByte(value, '|')
	if i < 0 || !utf8.ValidString(value[:i]) {
		return "", &CookieError{ErrCookieFormat}
	}
	id, got := value[:i], value[i+1:]
	if !hmac.Equal([]byte(digest(secret, id)), []byte(got)) {
		return "", &CookieError{ErrCookieDigest}
	}
	return id, nil
}

func digest(secret []byte, id string) string {
	h := hmac.New(sha512.New, secret)
	h.Write([]byte(id))
	return hex.EncodeToString(h.Sum(nil))
}
