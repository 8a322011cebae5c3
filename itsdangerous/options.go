package itsdangerous

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"fmt"
	"hash"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/inputlimit"
	"github.com/flaskcookie/flaskcookie/internal/sha1block"
)

// KeyDerivation names how a signing key is derived from a secret key and
// the salt, as Python's key_derivation argument does.
type KeyDerivation string

// The key derivations of itsdangerous. With K the secret key, S the salt
// and H the digest:
const (
	Concat       KeyDerivation = "concat"        // H(S ‖ K)
	DjangoConcat KeyDerivation = "django-concat" // H(S ‖ "signer" ‖ K), the Signer default
	HMACDerive   KeyDerivation = "hmac"          // HMAC_H(K, S), Flask's choice
	NoDerivation KeyDerivation = "none"          // K as it is
)

// Defaults of the Python classes, and the limits this package adds.
const (
	// DefaultSignerSalt is the salt of a Signer made without one.
	DefaultSignerSalt = "itsdangerous.Signer"
	// DefaultSerializerSalt is the salt of a Serializer made without one.
	DefaultSerializerSalt = "itsdangerous"
	// DefaultSeparator separates value, timestamp and signature.
	DefaultSeparator = "."
	// DefaultMaxTokenSize is the longest token accepted, in bytes. A
	// longer one fails with ErrBadSignature and ErrTooLarge before any
	// work is done. Browsers keep cookies under 4096 bytes.
	DefaultMaxTokenSize = 1 << 20
	// DefaultMaxPayloadSize bounds the size of a payload after base64
	// decoding and after zlib decompression; past it decoding stops with
	// ErrBadPayload and ErrTooLarge, so a zlib bomb allocates no more than
	// this.
	DefaultMaxPayloadSize = 4 << 20
	// DefaultMaxDepth bounds the nesting of JSON arrays and objects.
	DefaultMaxDepth = 512
	// DefaultMaxInflateRatio bounds a compressed payload relative to the
	// token: it inflates to at most this many times the length of its
	// text in the token, or MinInflateLimit bytes when that is more (and
	// never past the maximum payload size). Real sessions compress 2 to 50
	// times; a zlib bomb about 1000 times.
	DefaultMaxInflateRatio = inputlimit.InflateRatio
	// MinInflateLimit is the inflated size always allowed, whatever the
	// ratio: 64 KiB.
	MinInflateLimit = inputlimit.MinInflate
	// DefaultMaxValuesPerByte bounds the value built from a payload
	// relative to the token: at most this many JSON values (scalars,
	// arrays, objects) per byte of the payload's text in the token, or
	// MinMaxValues when that is more. A value costs at most a few hundred
	// bytes to build, so the memory a decode allocates is proportional to
	// the token's length.
	DefaultMaxValuesPerByte = inputlimit.ValuesPerByte
	// MinMaxValues is the number of JSON values always allowed: 8192.
	MinMaxValues = inputlimit.MinValues
	// LegacyEpoch is the epoch of timestamps written by itsdangerous
	// 0.24 and older: 2011-01-01T00:00:00Z as Unix seconds.
	LegacyEpoch = 1293840000
)

// An Option configures a signer or serializer when it is made, mirroring
// the keyword arguments of the Python classes. Options that do not apply to
// what is being made are ignored.
type Option func(*config)

type config struct {
	fallbackKeys    [][]byte
	salt            []byte
	saltSet         bool
	sep             []byte
	derivation      KeyDerivation
	digest          func() hash.Hash
	algorithm       Algorithm
	clock           func() time.Time
	epoch           int64
	strictBase64    bool
	maxTokenSize    int
	maxPayloadSize  int
	maxDepth        int
	fallbackSigners [][]Option
	format          PayloadFormat
	emptyKeys       bool
	inflateRatio    int
	maxValues       int

	// Set by newConfig: the signing algorithm (HMAC with digest unless
	// WithAlgorithm says otherwise), and whether it is HMAC-SHA1 to be
	// computed on sha1block, decided once rather than for every signer
	// made from the config.
	mac     Algorithm
	sha1MAC bool
}

// WithSalt sets the salt, which namespaces signatures so that a token made
// for one purpose does not verify for another. A nil salt means Python's
// None, which selects DefaultSignerSalt even for a serializer (whose
// default, when WithSalt is not given, is DefaultSerializerSalt). An empty,
// non-nil salt is the empty salt.
func WithSalt(salt []byte) Option {
	return func(c *config) {
		if salt == nil {
			// Python's salt=None: the Signer default, even for a
			// serializer.
			c.salt, c.saltSet = []byte(DefaultSignerSalt), true
			return
		}
		c.salt, c.saltSet = bytes.Clone(salt), true
	}
}

// WithFallbackKeys adds older secret keys that still verify but never sign.
// They are given oldest first, as in Python's secret key list, where
// NewSigner(k, WithFallbackKeys(a, b)) is Signer([a, b, k]): the key k
// signs, and verification tries k, then b, then a.
func WithFallbackKeys(keys ...[]byte) Option {
	return func(c *config) {
		for _, k := range keys {
			c.fallbackKeys = append(c.fallbackKeys, bytes.Clone(k))
		}
	}
}

// WithUnsafeEmptyKeys lets an empty secret key, current or fallback,
// through. Without it a constructor refuses an empty key with an error
// matching ErrEmptyKey (and ErrConfig), because itsdangerous accepts one and
// anyone can then sign a token that verifies: a fallback read from an unset
// environment variable would accept forgeries.
//
// WARNING: a signer with an empty key verifies tokens anyone can make. This
// exists only for tools that must sign or verify as an application that
// really uses the empty key does (a tester forging a cookie for it). A key
// search tests the empty key as a candidate with a KeyTester instead, which
// needs no option.
func WithUnsafeEmptyKeys() Option {
	return func(c *config) { c.emptyKeys = true }
}

// WithSeparator sets the separator (default "."). As in Python, a
// separator that is a substring of the base64 alphabet
// "A…Za…z0…9-_=" is refused, which includes the empty separator.
func WithSeparator(sep []byte) Option {
	return func(c *config) { c.sep = bytes.Clone(sep) }
}

// WithKeyDerivation sets how the signing key is derived (default
// DjangoConcat).
func WithKeyDerivation(kd KeyDerivation) Option {
	return func(c *config) { c.derivation = kd }
}

// WithDigest sets the hash used for key derivation and, unless
// WithAlgorithm says otherwise, for the HMAC (default SHA-1).
func WithDigest(h func() hash.Hash) Option {
	return func(c *config) { c.digest = h }
}

// WithAlgorithm sets the signature algorithm (default HMAC with the
// digest). UnsafeNoneAlgorithm turns signing off.
func WithAlgorithm(a Algorithm) Option {
	return func(c *config) { c.algorithm = a }
}

// WithClock sets the clock used to timestamp and to check ages (default
// time.Now). Only the whole seconds of its time are used.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithLegacyEpoch makes timestamps count from 2011-01-01 (LegacyEpoch), as
// itsdangerous 0.24 and older wrote them. Such tokens read as dates in the
// 1970s without this option, and expire at once when an age is checked.
func WithLegacyEpoch() Option {
	return func(c *config) { c.epoch = LegacyEpoch }
}

// WithStrictBase64 accepts only the canonical spelling of base64 in
// signatures, timestamps and payloads: URL-safe alphabet, no padding, no
// other characters, zero trailing bits. By default decoding is as lenient
// as itsdangerous's (see the package documentation), so that every token
// Python accepts is accepted here.
func WithStrictBase64() Option {
	return func(c *config) { c.strictBase64 = true }
}

// WithMaxTokenSize sets the longest token accepted, in bytes (default
// DefaultMaxTokenSize; n <= 0 means the default).
func WithMaxTokenSize(n int) Option {
	return func(c *config) { c.maxTokenSize = n }
}

// WithMaxPayloadSize sets the largest payload accepted after base64
// decoding and decompression, in bytes (default DefaultMaxPayloadSize;
// n <= 0 means the default).
func WithMaxPayloadSize(n int) Option {
	return func(c *config) { c.maxPayloadSize = n }
}

// WithMaxInflateRatio sets how many times the length of its text in the
// token a compressed payload may inflate to (default
// DefaultMaxInflateRatio; MinInflateLimit bytes are always allowed, and
// never more than the maximum payload size). r == 0 means the default; a
// negative r turns the ratio off, leaving only WithMaxPayloadSize. Past it
// decoding fails with ErrBadPayload and ErrTooLarge.
func WithMaxInflateRatio(r int) Option {
	return func(c *config) { c.inflateRatio = r }
}

// WithMaxValues sets the largest number of JSON values (scalars, arrays
// and objects) a payload may hold. By default (n == 0) it is
// DefaultMaxValuesPerByte times the length of the payload's text in the
// token, at least MinMaxValues; n > 0 is a fixed number, and n < 0 turns
// the limit off. Past it decoding fails with ErrBadPayload and ErrTooLarge.
func WithMaxValues(n int) Option {
	return func(c *config) { c.maxValues = n }
}

// WithMaxDepth sets the deepest nesting of JSON arrays and objects accepted
// (default DefaultMaxDepth; n <= 0 means the default).
func WithMaxDepth(n int) Option {
	return func(c *config) { c.maxDepth = n }
}

// WithFallbackSigner adds a fallback signer to a serializer: a token that
// does not verify with the serializer's own signer is tried with a signer
// built from the serializer's options followed by opts, once for each
// secret key, oldest first. It mirrors one dict entry of Python's
// fallback_signers, such as {"digest_method": hashlib.sha512}.
func WithFallbackSigner(opts ...Option) Option {
	return func(c *config) { c.fallbackSigners = append(c.fallbackSigners, opts) }
}

// base64Alphabet is every character a signature may hold, padding
// included: a separator must hold none of them.
const base64Alphabet = b64Alphabet + "="

// ErrConfig is matched by every error a constructor returns for a bad
// option or key.
var ErrConfig = errors.New("itsdangerous: invalid configuration")

// ErrEmptyKey is matched, beside ErrConfig, by the error of a constructor
// given an empty secret key, current or fallback, without
// WithUnsafeEmptyKeys.
var ErrEmptyKey = fmt.Errorf("%w: empty secret key", ErrConfig)

// checkKeys refuses an empty secret key, the current one or a fallback,
// unless the config allows it or no key is used.
func checkKeys(c *config, secretKey []byte) error {
	if c.emptyKeys || c.algorithm == UnsafeNoneAlgorithm {
		// UnsafeNoneAlgorithm uses no key at all.
		return nil
	}
	if len(secretKey) == 0 {
		return ErrEmptyKey
	}
	for i, k := range c.fallbackKeys {
		if len(k) == 0 {
			return fmt.Errorf("%w (fallback key %d of %d)", ErrEmptyKey, i+1, len(c.fallbackKeys))
		}
	}
	return nil
}

func newConfig(defaultSalt string, opts []Option) (*config, error) {
	c := &config{
		sep:        []byte(DefaultSeparator),
		derivation: DjangoConcat,
		digest:     sha1.New,
		clock:      time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	if !c.saltSet {
		c.salt = []byte(defaultSalt)
	}
	if c.maxTokenSize <= 0 {
		c.maxTokenSize = DefaultMaxTokenSize
	}
	if c.maxPayloadSize <= 0 {
		c.maxPayloadSize = DefaultMaxPayloadSize
	}
	if c.maxDepth <= 0 {
		c.maxDepth = DefaultMaxDepth
	}
	if c.digest == nil {
		return nil, fmt.Errorf("%w: nil digest", ErrConfig)
	}
	if c.clock == nil {
		return nil, fmt.Errorf("%w: nil clock", ErrConfig)
	}
	if bytes.Contains([]byte(base64Alphabet), c.sep) {
		return nil, fmt.Errorf("%w: the given separator cannot be used because it may be contained in the signature itself; ASCII letters, digits, and '-_=' must not be used", ErrConfig)
	}
	switch c.derivation {
	case Concat, DjangoConcat, HMACDerive, NoDerivation:
	default:
		return nil, fmt.Errorf("%w: unknown key derivation method %q", ErrConfig, string(c.derivation))
	}
	c.mac = c.algorithm
	if h, ok := c.mac.(hmacAlgorithm); c.mac == nil || ok && h.digest == nil {
		c.mac = hmacAlgorithm{c.digest}
	}
	if h, ok := c.mac.(hmacAlgorithm); ok {
		// Without the SHA instructions, crypto/sha1's own assembly beats
		// sha1block's pure Go compression: keep hash.Hash there.
		c.sha1MAC = sha1block.Accelerated() && isSHA1(h.digest)
	}
	return c, nil
}
