package codec

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"time"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// Flask's defaults, in one place.
const (
	// DefaultSalt is the salt of Flask's SecureCookieSessionInterface.
	DefaultSalt = "cookie-session"
	// DefaultKeyDerivation is Flask's key derivation: HMAC(secret, salt).
	DefaultKeyDerivation = itsdangerous.HMACDerive
	// DefaultLifetime is Flask's PERMANENT_SESSION_LIFETIME, which it
	// checks as the maximum age of every session cookie on every read.
	DefaultLifetime = 31 * 24 * time.Hour
	// MaxCookieSize is Flask's MAX_COOKIE_SIZE. Flask only warns past it,
	// and browsers silently drop such cookies; Encode refuses them.
	MaxCookieSize = 4093
)

// DefaultDigest is Flask's digest, SHA-1.
func DefaultDigest() hash.Hash { return sha1.New() }

// Errors of the codec. Decoding errors are those of package itsdangerous:
// match them with itsdangerous.ErrBadSignature (tampered, or signed with
// another key), itsdangerous.ErrSignatureExpired (older than the lifetime,
// or signed in the future) and itsdangerous.ErrBadPayload (verified, but
// not a session Flask could load). All of them match itsdangerous.ErrBadData.
var (
	// ErrTooLarge is matched by an Encode error for a cookie longer than
	// the maximum cookie size; errors.As gives a *SizeError.
	ErrTooLarge = errors.New("codec: cookie too large")
	// ErrNoSecret is matched by the error of New for an empty secret key
	// (Flask has no session without one) or an empty fallback key (which
	// would verify cookies anyone signs with the empty key).
	ErrNoSecret = errors.New("codec: empty secret key")
)

// SizeError reports a cookie longer than the maximum.
type SizeError struct {
	Size, Max int
}

// Error describes the size and the maximum.
func (e *SizeError) Error() string {
	return "codec: cookie of " + strconv.Itoa(e.Size) + " bytes is longer than the maximum of " + strconv.Itoa(e.Max)
}

// Unwrap makes a SizeError match ErrTooLarge.
func (e *SizeError) Unwrap() error { return ErrTooLarge }

// An Option configures a Codec, mirroring Flask's configuration.
type Option func(*config)

type config struct {
	fallbacks  [][]byte
	salt       []byte
	digest     func() hash.Hash
	derivation itsdangerous.KeyDerivation
	lifetime   time.Duration
	clock      func() time.Time
	maxSize    int
	format     itsdangerous.PayloadFormat
	extra      []itsdangerous.Option
}

// WithFallbackKeys adds old secret keys that still verify but never sign,
// Flask's SECRET_KEY_FALLBACKS, listed the same way (oldest first). With
// Flask 3.1.1 semantics, verification tries the secret key, then the
// fallbacks from the last to the first. An empty fallback key makes New fail
// with ErrNoSecret: Flask would accept cookies that anyone signs with the
// empty key.
func WithFallbackKeys(keys ...[]byte) Option {
	return func(c *config) { c.fallbacks = append(c.fallbacks, keys...) }
}

// WithSalt sets the salt (default DefaultSalt), for apps that override
// SecureCookieSessionInterface.salt.
func WithSalt(salt []byte) Option { return func(c *config) { c.salt = salt } }

// WithDigest sets the digest (default SHA-1), for apps that override
// SecureCookieSessionInterface.digest_method.
func WithDigest(h func() hash.Hash) Option { return func(c *config) { c.digest = h } }

// WithKeyDerivation sets the key derivation (default HMAC), for apps that
// override SecureCookieSessionInterface.key_derivation.
func WithKeyDerivation(kd itsdangerous.KeyDerivation) Option {
	return func(c *config) { c.derivation = kd }
}

// WithLifetime sets PERMANENT_SESSION_LIFETIME (default 31 days). Flask
// checks it, in whole seconds, as the maximum age of every cookie it reads,
// permanent or not.
func WithLifetime(d time.Duration) Option { return func(c *config) { c.lifetime = d } }

// WithClock sets the clock used to timestamp new cookies and to check the
// age of cookies read (default time.Now).
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithMaxCookieSize sets the longest cookie value Encode writes (default
// MaxCookieSize); 0 turns the check off, as MAX_COOKIE_SIZE = 0 does in
// Flask.
func WithMaxCookieSize(n int) Option { return func(c *config) { c.maxSize = n } }

// WithInsertionOrder writes dict keys in insertion order instead of sorted,
// as Flask 2.2 does for apps that set JSON_SORT_KEYS = False. Only py.Dict
// values have an insertion order.
func WithInsertionOrder() Option {
	return func(c *config) { c.format = TaggedJSONInsertionOrder }
}

// WithSignerOptions passes options to the underlying
// itsdangerous.URLSafeTimedSerializer, such as itsdangerous.WithStrictBase64
// or the size limits.
func WithSignerOptions(opts ...itsdangerous.Option) Option {
	return func(c *config) { c.extra = append(c.extra, opts...) }
}

// A Codec reads and writes Flask session cookies for one secret key (and
// its fallbacks). It is immutable and safe for concurrent use.
type Codec struct {
	s        *itsdangerous.TimedSerializer
	maxAge   time.Duration
	clock    func() time.Time
	maxSize  int
	lifetime time.Duration
}

// New returns a Codec with Flask's settings for secretKey (Flask's
// SECRET_KEY; a Python str key is its UTF-8 bytes).
func New(secretKey []byte, opts ...Option) (*Codec, error) {
	if len(secretKey) == 0 {
		return nil, ErrNoSecret
	}
	c := &config{
		salt:       []byte(DefaultSalt),
		digest:     sha1.New,
		derivation: DefaultKeyDerivation,
		lifetime:   DefaultLifetime,
		clock:      time.Now,
		maxSize:    MaxCookieSize,
		format:     TaggedJSON,
	}
	for _, o := range opts {
		o(c)
	}
	for i, k := range c.fallbacks {
		if len(k) == 0 {
			return nil, fmt.Errorf("%w (fallback key %d of %d)", ErrNoSecret, i+1, len(c.fallbacks))
		}
	}
	if c.clock == nil {
		return nil, fmt.Errorf("%w: nil clock", itsdangerous.ErrConfig)
	}
	if c.lifetime < 0 {
		return nil, fmt.Errorf("%w: negative lifetime", itsdangerous.ErrConfig)
	}
	sopts := []itsdangerous.Option{
		itsdangerous.WithSalt(c.salt),
		itsdangerous.WithDigest(c.digest),
		itsdangerous.WithKeyDerivation(c.derivation),
		itsdangerous.WithClock(c.clock),
		itsdangerous.WithPayloadFormat(sessionFormat(c.format)),
		itsdangerous.WithFallbackKeys(c.fallbacks...),
	}
	s, err := itsdangerous.NewURLSafeTimedSerializer(secretKey, append(sopts, c.extra...)...)
	if err != nil {
		return nil, err
	}
	return &Codec{
		s:        s,
		maxAge:   c.lifetime.Truncate(time.Second),
		clock:    c.clock,
		maxSize:  c.maxSize,
		lifetime: c.lifetime,
	}, nil
}

// Lifetime returns the configured session lifetime.
func (c *Codec) Lifetime() time.Duration { return c.lifetime }

// Now returns the time of the codec's clock.
func (c *Codec) Now() time.Time { return c.clock() }

// Decode verifies cookie, checks that it is not older than the lifetime
// (nor signed in the future), and decodes the session into the variable v
// points to: a *map[string]any or *any for the generic form (see package
// py), or a pointer to a struct, as encoding/json's Unmarshal fills it. It
// returns the time the cookie was signed.
//
// Where Flask would start an empty session (a bad signature, an expired or
// future cookie), the error matches itsdangerous.ErrBadSignature; where
// Flask would fail the request (a verified payload it cannot load), it
// matches itsdangerous.ErrBadPayload.
func (c *Codec) Decode(cookie string, v any) (signedAt time.Time, err error) {
	return c.s.Loads(cookie, v, itsdangerous.MaxAge(c.maxAge))
}

// DecodeAt is Decode with now as the present, for the age check.
func (c *Codec) DecodeAt(cookie string, v any, now time.Time) (signedAt time.Time, err error) {
	return c.s.Loads(cookie, v, itsdangerous.MaxAge(c.maxAge), itsdangerous.At(now))
}

// Encode signs the session v (a map, a py.Dict or a struct) with the
// current time and returns the cookie value, exactly as Flask's
// save_session writes it.
func (c *Codec) Encode(v any) (string, error) {
	return c.EncodeAt(v, c.clock())
}

// EncodeAt is Encode with the signing time t. For the same value and time
// the result is byte-identical to Flask's cookie, compressed or not.
func (c *Codec) EncodeAt(v any, t time.Time) (string, error) {
	out, err := c.s.Dumps(v, itsdangerous.At(t))
	if err != nil {
		return "", err
	}
	if err := c.checkSize(len(out)); err != nil {
		return "", err
	}
	return out, nil
}

// AppendEncodeAt appends the cookie EncodeAt returns to dst and returns
// the extended buffer (dst unchanged on error), for a caller that writes
// the cookie into a header without the string.
func (c *Codec) AppendEncodeAt(dst []byte, v any, t time.Time) ([]byte, error) {
	out, err := c.s.AppendDumps(dst, v, itsdangerous.At(t))
	if err != nil {
		return dst, err
	}
	if err := c.checkSize(len(out) - len(dst)); err != nil {
		return dst, err
	}
	return out, nil
}

func (c *Codec) checkSize(n int) error {
	if c.maxSize > 0 && n > c.maxSize {
		return &SizeError{Size: n, Max: c.maxSize}
	}
	return nil
}

// unsafeSerializer reads cookies without knowing the key: its key never
// verifies anything it is given, since nobody signs with it.
var unsafeSerializer, _ = itsdangerous.NewURLSafeTimedSerializer(
	[]byte("flaskcookie: never a real key"),
	itsdangerous.WithSalt([]byte(DefaultSalt)),
	itsdangerous.WithKeyDerivation(DefaultKeyDerivation),
	itsdangerous.WithPayloadFormat(TaggedJSON),
)

// DecodeUnverified decodes a session cookie without checking its signature
// or age, and returns the signing time recorded in it (zero if it cannot
// be read). It fails only when the payload cannot be decoded.
//
// WARNING: the value comes from whoever made the cookie. Use it to inspect
// cookies, never to trust one.
func DecodeUnverified(cookie string, v any) (signedAt time.Time, err error) {
	t, _, err := unsafeSerializer.LoadsUnsafe(cookie, v)
	return t, err
}
