package starlette

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// ErrConfig is matched by every error New returns for a bad option.
var ErrConfig = errors.New("starlette: invalid configuration")

// An Option configures a Codec, mirroring the arguments of Starlette's
// SessionMiddleware.
type Option func(*config)

type config struct {
	maxAge     time.Duration
	checkAge   bool
	name       string
	path       string
	sameSite   string
	httpsOnly  bool
	domain     string
	domainSet  bool
	clock      func() time.Time
	maxPayload int
	maxDepth   int
	// signer holds the options that configure the TimestampSigner alone
	// (fallback keys, empty keys, token size): itsdangerous checks them.
	signer []itsdangerous.Option
}

// WithMaxAge sets max_age (default DefaultMaxAge), a whole number of
// seconds: the cookie's Max-Age and the oldest cookie accepted. As in
// Starlette, a max age of 0 writes no Max-Age attribute (a browser-session
// cookie) yet still refuses any cookie older than 0 seconds.
func WithMaxAge(d time.Duration) Option {
	return func(c *config) { c.maxAge, c.checkAge = d, true }
}

// WithoutMaxAge is max_age=None: no Max-Age attribute and no age check.
func WithoutMaxAge() Option {
	return func(c *config) { c.maxAge, c.checkAge = 0, false }
}

// WithCookieName sets session_cookie (default DefaultCookieName).
func WithCookieName(name string) Option {
	return func(c *config) { c.name = name }
}

// WithPath sets path (default DefaultPath).
func WithPath(path string) Option {
	return func(c *config) { c.path = path }
}

// WithSameSite sets same_site: "lax" (the default), "strict" or "none",
// written as given.
func WithSameSite(mode string) Option {
	return func(c *config) { c.sameSite = mode }
}

// WithHTTPSOnly sets https_only, which adds the Secure attribute.
func WithHTTPSOnly(on bool) Option {
	return func(c *config) { c.httpsOnly = on }
}

// WithDomain sets domain, an argument of SessionMiddleware from Starlette
// 0.32 (0.26 has none): the cookie's domain attribute, written as given
// after the other attributes. An empty, non-ASCII or control character, a
// space or ';' is a configuration error.
func WithDomain(domain string) Option {
	return func(c *config) { c.domain, c.domainSet = domain, true }
}

// WithFallbackKeys adds older keys that still verify but never sign.
// Starlette has a single key; this is for rotating it from Go, where a
// cookie signed with an old key is re-signed with the current one on the
// next response.
func WithFallbackKeys(keys ...[]byte) Option {
	return func(c *config) { c.signer = append(c.signer, itsdangerous.WithFallbackKeys(keys...)) }
}

// WithUnsafeEmptyKeys lets an empty secret key, current or fallback,
// through; without it New refuses one with an error matching ErrConfig and
// itsdangerous.ErrEmptyKey. Starlette itself accepts secret_key="", and
// then anyone can sign a session it accepts.
//
// WARNING: a codec with an empty key accepts sessions anyone can make. This
// exists only for tools that forge cookies for an application that really
// uses the empty key.
func WithUnsafeEmptyKeys() Option {
	return func(c *config) { c.signer = append(c.signer, itsdangerous.WithUnsafeEmptyKeys()) }
}

// WithClock sets the clock used to timestamp and to check ages (default
// time.Now); only its whole seconds are used.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithMaxTokenSize sets the longest cookie value accepted, in bytes
// (default itsdangerous.DefaultMaxTokenSize; n <= 0 means the default).
func WithMaxTokenSize(n int) Option {
	return func(c *config) { c.signer = append(c.signer, itsdangerous.WithMaxTokenSize(n)) }
}

// WithMaxPayloadSize sets the largest decoded session accepted, in bytes
// (default DefaultMaxPayloadSize; n <= 0 means the default).
func WithMaxPayloadSize(n int) Option {
	return func(c *config) { c.maxPayload = n }
}

// WithMaxDepth sets the deepest nesting of JSON arrays and objects accepted
// (default itsdangerous.DefaultMaxDepth; n <= 0 means the default).
func WithMaxDepth(n int) Option {
	return func(c *config) { c.maxDepth = n }
}

func (c *config) validate() error {
	if c.clock == nil {
		return fmt.Errorf("%w: nil clock", ErrConfig)
	}
	if c.checkAge && (c.maxAge < 0 || c.maxAge%time.Second != 0) {
		return fmt.Errorf("%w: max age %v is not a whole, non-negative number of seconds", ErrConfig, c.maxAge)
	}
	if c.name == "" || strings.IndexFunc(c.name, notToken) >= 0 {
		return fmt.Errorf("%w: invalid cookie name %q", ErrConfig, c.name)
	}
	if strings.IndexFunc(c.path, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ';' || r > 0x7e }) >= 0 {
		return fmt.Errorf("%w: invalid cookie path %q", ErrConfig, c.path)
	}
	if c.domainSet && (c.domain == "" || strings.IndexFunc(c.domain, func(r rune) bool { return r <= 0x20 || r == 0x7f || r == ';' || r > 0x7e }) >= 0) {
		return fmt.Errorf("%w: invalid cookie domain %q", ErrConfig, c.domain)
	}
	switch c.sameSite {
	case "lax", "strict", "none":
	default:
		return fmt.Errorf("%w: same_site %q is not lax, strict or none", ErrConfig, c.sameSite)
	}
	if c.maxPayload <= 0 {
		c.maxPayload = DefaultMaxPayloadSize
	}
	if c.maxDepth <= 0 {
		c.maxDepth = itsdangerous.DefaultMaxDepth
	}
	return nil
}

// notToken reports a rune that may not appear in a cookie name (RFC 6265:
// an RFC 2616 token).
func notToken(r rune) bool {
	return r <= 0x20 || r >= 0x7f || strings.ContainsRune(`()<>@,;:\"/[]?={}`, r)
}
