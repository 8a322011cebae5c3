package codec

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// SessionCodec is what the HTTP middleware and the CLI need from a
// session codec: *Codec (signed cookies, Flask's default) and *SealedCodec
// (Fernet-sealed cookies) both implement it.
//
// Decode's errors follow Codec.Decode for both: where Flask would start an
// empty session the error matches itsdangerous.ErrBadSignature; where it
// would fail the request, itsdangerous.ErrBadPayload.
type SessionCodec interface {
	// Decode reads a cookie into the variable v points to, checking its
	// lifetime, and returns the time it was made.
	Decode(cookie string, v any) (made time.Time, err error)
	// EncodeAt writes the session v as a cookie made at time t.
	EncodeAt(v any, t time.Time) (string, error)
	// Now returns the time of the codec's clock.
	Now() time.Time
	// Lifetime returns the session lifetime, for a cookie's Expires.
	Lifetime() time.Duration
}

var (
	_ SessionCodec = (*Codec)(nil)
	_ SessionCodec = (*SealedCodec)(nil)
)

// A SealedCodec reads and writes Flask sessions sealed in Fernet tokens:
// the tagged JSON of Codec, encrypted and authenticated by Fernet instead
// of signed, so the cookie cannot be read without the key. The Flask side
// is the session interface in the repository's compat/fernet_session
// (SESSION_FERNET_KEYS). A SealedCodec is immutable and safe for
// concurrent use.
//
// # Lifetime
//
// The lifetime (PERMANENT_SESSION_LIFETIME, 31 days by default) is
// Fernet's TTL, in whole seconds, checked on every read as Flask checks it
// for signed cookies: a cookie older than the lifetime is refused. A
// cookie made in the future is accepted up to 60 seconds ahead
// (fernet.MaxClockSkew) and refused beyond, which is Fernet's rule and what
// the Python session interface does; signed cookies allow no skew.
//
// # Key rotation
//
// The Fernet's first key seals, every key opens (Python's MultiFernet), so
// rotation is: put the new key first, keep the old ones until their
// cookies have expired. Cookies are sealed again with the first key
// whenever the session is saved.
//
// # Errors
//
// A cookie that is not a valid token for any key (tampered, truncated,
// another key, not Fernet at all), expired or too far in the future gives
// an *itsdangerous.Error that matches both fernet.ErrInvalidToken and
// itsdangerous.ErrBadSignature, expired and future ones also
// itsdangerous.ErrSignatureExpired. Matching ErrBadSignature is deliberate:
// Flask's open_session starts an empty session for BadSignature, and the
// Python interface turns InvalidToken into BadSignature so that Flask does
// exactly that; code written for signed cookies (the middleware, the CLI)
// then makes the same "empty session" decision for sealed ones. A token
// that opens but does not hold a session gives itsdangerous.ErrBadPayload,
// as Flask fails the request.
type SealedCodec struct {
	f        *fernet.Fernet
	format   itsdangerous.PayloadFormat
	clock    func() time.Time
	lifetime time.Duration
	ttl      time.Duration
	maxSize  int
}

// NewSealed returns a SealedCodec that seals with f (its first key seals,
// all of its keys open). Of the codec options, WithLifetime, WithClock,
// WithMaxCookieSize and WithInsertionOrder apply; the signing options
// (WithSalt, WithDigest, WithKeyDerivation, WithFallbackKeys,
// WithSignerOptions) do not, and give an error matching
// itsdangerous.ErrConfig. The codec's clock is used, not f's; IVs come
// from f (see fernet.Fernet.WithRandom).
func NewSealed(f *fernet.Fernet, opts ...Option) (*SealedCodec, error) {
	if f == nil {
		return nil, fmt.Errorf("%w: codec: nil Fernet", itsdangerous.ErrConfig)
	}
	// Signing-only fields start unset so that setting them shows.
	c := &config{
		lifetime: DefaultLifetime,
		clock:    time.Now,
		maxSize:  MaxCookieSize,
		format:   TaggedJSON,
	}
	for _, o := range opts {
		o(c)
	}
	switch {
	case c.salt != nil || c.digest != nil || c.derivation != "" || len(c.fallbacks) > 0 || len(c.extra) > 0:
		return nil, fmt.Errorf("%w: codec: salt, digest, key derivation, fallback keys and signer options do not apply to sealed sessions (rotate Fernet keys instead)", itsdangerous.ErrConfig)
	case c.clock == nil:
		return nil, fmt.Errorf("%w: nil clock", itsdangerous.ErrConfig)
	case c.lifetime < 0:
		return nil, fmt.Errorf("%w: negative lifetime", itsdangerous.ErrConfig)
	}
	return &SealedCodec{
		f:        f,
		format:   sessionFormat(c.format),
		clock:    c.clock,
		lifetime: c.lifetime,
		ttl:      c.lifetime.Truncate(time.Second),
		maxSize:  c.maxSize,
	}, nil
}

// Lifetime returns the configured session lifetime.
func (c *SealedCodec) Lifetime() time.Duration { return c.lifetime }

// Now returns the time of the codec's clock.
func (c *SealedCodec) Now() time.Time { return c.clock() }

// Decode opens cookie with any of the keys, checks that it is not older
// than the lifetime (nor more than 60 seconds in the future), and decodes
// the session into the variable v points to, as Codec.Decode does. It
// returns the time the cookie was sealed.
func (c *SealedCodec) Decode(cookie string, v any) (sealedAt time.Time, err error) {
	return c.DecodeAt(cookie, v, c.clock())
}

// DecodeAt is Decode with now as the present, for the age check.
func (c *SealedCodec) DecodeAt(cookie string, v any, now time.Time) (sealedAt time.Time, err error) {
	if len(cookie) > itsdangerous.DefaultMaxTokenSize {
		return time.Time{}, &itsdangerous.Error{
			Kind:   itsdangerous.ErrBadSignature,
			Reason: "sealed cookie of " + strconv.Itoa(len(cookie)) + " bytes is longer than the maximum of " + strconv.Itoa(itsdangerous.DefaultMaxTokenSize),
			Err:    fmt.Errorf("%w (%w)", fernet.ErrInvalidToken, itsdangerous.ErrTooLarge),
		}
	}
	plain, made, err := c.f.DecryptWithTimestamp(cookie, fernet.TTL(c.ttl), fernet.At(now))
	if err != nil {
		return time.Time{}, sealedError(err, c.ttl)
	}
	if err := c.format.DecodePayload(plain, v, itsdangerous.Limits{MaxDepth: itsdangerous.DefaultMaxDepth}); err != nil {
		return time.Time{}, &itsdangerous.Error{
			Kind:     itsdangerous.ErrBadPayload,
			Reason:   "Could not load the payload because an exception occurred on unserializing the data.",
			SignedAt: made,
			Err:      err,
		}
	}
	return made, nil
}

// sealedError turns a Fernet refusal into the itsdangerous class Flask's
// open_session sees from the Python interface.
func sealedError(err error, ttl time.Duration) error {
	var te *fernet.TimeError
	if errors.As(err, &te) {
		age := te.Now.Unix() - te.Timestamp.Unix()
		reason := "Fernet token age " + strconv.FormatInt(age, 10) + " > " + strconv.FormatInt(int64(ttl/time.Second), 10) + " seconds"
		if te.Future {
			reason = "Fernet token age " + strconv.FormatInt(age, 10) + " < -" + strconv.Itoa(int(fernet.MaxClockSkew/time.Second)) + " seconds"
		}
		return &itsdangerous.Error{
			Kind:     itsdangerous.ErrSignatureExpired,
			Reason:   reason,
			SignedAt: te.Timestamp,
			Age:      time.Duration(age) * time.Second,
			MaxAge:   ttl,
			Err:      err,
		}
	}
	return &itsdangerous.Error{Kind: itsdangerous.ErrBadSignature, Reason: "invalid sealed session cookie", Err: err}
}

// Encode seals the session v (a map, a py.Dict or a struct) with the
// current time and returns the cookie value, as the Python interface's
// save_session writes it.
func (c *SealedCodec) Encode(v any) (string, error) {
	return c.EncodeAt(v, c.clock())
}

// EncodeAt is Encode with the sealing time t (whole seconds). The IV is
// fresh for every cookie, so two cookies never have the same bytes; the
// Python interface opens every one of them.
func (c *SealedCodec) EncodeAt(v any, t time.Time) (string, error) {
	j, err := c.format.AppendPayload(nil, v)
	if err != nil {
		return "", err
	}
	out, err := c.f.EncryptAt(j, t, nil)
	if err != nil {
		return "", fmt.Errorf("codec: sealing: %w", err)
	}
	if c.maxSize > 0 && len(out) > c.maxSize {
		return "", &SizeError{Size: len(out), Max: c.maxSize}
	}
	return out, nil
}
