package django

import (
	"fmt"
)

// CookieKeyPrefix is what Django's get_cookie_signer puts before
// SECRET_KEY (and each of SECRET_KEY_FALLBACKS) to make the key of signed
// cookies: b"django.http.cookies" + SECRET_KEY (django/core/signing.py in
// Django 3.2 and 4.2).
const CookieKeyPrefix = "django.http.cookies"

// NewCookieSigner returns the signer of Django's signed cookies for the
// cookie named name: HttpResponse.set_signed_cookie(name, value, salt=...)
// signs the value, and HttpRequest.get_signed_cookie(name, salt=...,
// max_age=...) verifies it, both through get_cookie_signer(salt=name +
// salt), a TimestampSigner keyed with CookieKeyPrefix + SECRET_KEY:
//
//	alice:1r31eq:<signature>
//
// The value is a plain str (not JSON) and may hold the separator.
//
// WithSalt sets the salt argument of set_signed_cookie (appended to the
// name; default ""). WithFallbackKeys (SECRET_KEY_FALLBACKS, Django 4.1+)
// are prefixed the same way. WithAlgorithm, WithLegacySHA1, WithClock and
// WithMaxTokenSize are as for NewTimestampSigner. An empty secretKey is
// refused, as Django refuses an empty SECRET_KEY.
func NewCookieSigner(secretKey []byte, name string, opts ...Option) (*TimestampSigner, error) {
	if len(secretKey) == 0 {
		return nil, fmt.Errorf("%w: empty secret key", ErrConfig)
	}
	c, err := newConfig(TimestampSignerSalt, opts)
	if err != nil {
		return nil, err
	}
	// The salt argument as given: newConfig has put the class default in
	// place of an empty one, which set_signed_cookie(salt="") does not
	// (it only appends the salt to the name).
	var given config
	for _, o := range opts {
		o(&given)
	}
	salt := given.salt
	// get_cookie_signer(salt=name + salt): Signer keeps an empty salt's
	// class default.
	if c.salt = name + salt; c.salt == "" {
		c.salt = TimestampSignerSalt
	}
	fallbacks := c.fallbackKeys
	c.fallbackKeys = nil
	for _, k := range fallbacks {
		if len(k) == 0 {
			return nil, fmt.Errorf("%w: empty fallback key", ErrConfig)
		}
		c.fallbackKeys = append(c.fallbackKeys, cookieKey(k))
	}
	return newTimestampSigner(c, cookieKey(secretKey))
}

func cookieKey(k []byte) []byte {
	return append([]byte(CookieKeyPrefix), k...)
}
