package django

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"strings"
	"time"
)

// Django's defaults.
const (
	// DefaultSeparator separates value, timestamp and signature.
	DefaultSeparator = ":"
	// DefaultAlgorithm is the HMAC digest of Django 3.1 and later
	// (DEFAULT_HASHING_ALGORITHM; Django 3.0 and older used sha1).
	DefaultAlgorithm = "sha256"
	// SignerSalt is the salt of a Signer made without one:
	// "<module>.<class>" of django.core.signing.Signer.
	SignerSalt = "django.core.signing.Signer"
	// TimestampSignerSalt is the salt of a TimestampSigner made without
	// one.
	TimestampSignerSalt = "django.core.signing.TimestampSigner"
	// DefaultSalt is the salt of signing.dumps and signing.loads, and so of
	// a Serializer made without one.
	DefaultSalt = "django.core.signing"
	// DefaultMaxTokenSize is the longest token accepted, in bytes.
	DefaultMaxTokenSize = 1 << 20
	// DefaultMaxPayloadSize bounds a payload after base64 decoding and
	// after zlib decompression, in bytes. A compressed payload is also
	// bounded relative to the token (see the package documentation).
	DefaultMaxPayloadSize = 4 << 20
	// DefaultMaxDepth bounds the nesting of JSON arrays and objects.
	DefaultMaxDepth = 512
)

// An Option configures a signer, serializer or session codec when it is
// made, mirroring the arguments and settings Django uses.
type Option func(*config)

type config struct {
	salt         string
	saltSet      bool
	sep          string
	algorithm    string
	digest       func() hash.Hash
	legacySHA1   bool
	fallbackKeys [][]byte
	clock        func() time.Time
	compress     bool
	maxToken     int
	maxPayload   int
	maxDepth     int
	cookieAge    time.Duration
}

// WithSalt sets the salt (Python's salt argument). As in Django, an empty
// salt means the default one of the class: SignerSalt or
// TimestampSignerSalt, and for a Serializer TimestampSignerSalt too
// (signing.dumps(salt="") signs with that salt).
func WithSalt(salt string) Option {
	return func(c *config) { c.salt, c.saltSet = salt, true }
}

// WithSeparator sets the separator (default ":"). As in Django, a
// separator made only of the characters of the regular expression
// [A-z0-9-_=] (ASCII letters, digits, "[\]^_`", "-" and "="), or empty,
// is refused, a final newline being ignored by the check.
func WithSeparator(sep string) Option {
	return func(c *config) { c.sep = sep }
}

// WithAlgorithm sets the HMAC digest by its hashlib name (Python's
// algorithm argument and the DEFAULT_HASHING_ALGORITHM setting of Django 3.1
// and 3.2): "sha256" (the default), "sha1", "sha224", "sha384", "sha512" or
// "md5".
func WithAlgorithm(name string) Option {
	return func(c *config) { c.algorithm = name }
}

// WithLegacySHA1 also accepts signatures made with SHA-1, as Django 3.1 and
// 3.2 do whatever the algorithm (to read tokens of Django 3.0 and older).
// Django 4.0 and later accept only the configured algorithm, and so does
// this package without this option. It never changes how tokens are signed.
func WithLegacySHA1() Option {
	return func(c *config) { c.legacySHA1 = true }
}

// WithFallbackKeys adds older secret keys that still verify but never sign:
// the SECRET_KEY_FALLBACKS setting of Django 4.1 and later (Django 3.2 has a
// single key).
func WithFallbackKeys(keys ...[]byte) Option {
	return func(c *config) {
		for _, k := range keys {
			c.fallbackKeys = append(c.fallbackKeys, bytes.Clone(k))
		}
	}
}

// WithClock sets the clock used to timestamp and to check ages (default
// time.Now). Timestamps use its whole seconds; ages are checked with its
// fraction too, as Django's float time.time() does.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithCompress makes a Serializer compress the JSON with zlib when that
// saves at least two bytes, as signing.dumps(compress=True) does. A session
// codec always compresses.
func WithCompress() Option {
	return func(c *config) { c.compress = true }
}

// WithSessionCookieAge sets the maximum age of a session cookie (the
// SESSION_COOKIE_AGE setting, default DefaultSessionCookieAge). Other
// constructors ignore it.
func WithSessionCookieAge(d time.Duration) Option {
	return func(c *config) { c.cookieAge = d }
}

// WithMaxTokenSize sets the longest token accepted, in bytes (default
// DefaultMaxTokenSize; n <= 0 means the default).
func WithMaxTokenSize(n int) Option {
	return func(c *config) { c.maxToken = n }
}

// WithMaxPayloadSize sets the largest payload accepted after base64
// decoding and decompression, in bytes (default DefaultMaxPayloadSize;
// n <= 0 means the default).
func WithMaxPayloadSize(n int) Option {
	return func(c *config) { c.maxPayload = n }
}

// WithMaxDepth sets the deepest nesting of JSON arrays and objects accepted
// (default DefaultMaxDepth; n <= 0 means the default).
func WithMaxDepth(n int) Option {
	return func(c *config) { c.maxDepth = n }
}

// Digest returns the hash of an algorithm name WithAlgorithm accepts, the
// hashlib names Django's signing takes: "md5", "sha1", "sha224",
// "sha256", "sha384" or "sha512". It is nil for any other name.
func Digest(name string) func() hash.Hash { return digests[name] }

var digests = map[string]func() hash.Hash{
	"md5":    md5.New,
	"sha1":   sha1.New,
	"sha224": sha256.New224,
	"sha256": sha256.New,
	"sha384": sha512.New384,
	"sha512": sha512.New,
}

func newConfig(defaultSalt string, opts []Option) (*config, error) {
	c := &config{
		sep:       DefaultSeparator,
		algorithm: DefaultAlgorithm,
		clock:     time.Now,
		cookieAge: DefaultSessionCookieAge,
	}
	for _, o := range opts {
		o(c)
	}
	if !c.saltSet || c.salt == "" {
		// Django: self.salt = salt or "<module>.<class>".
		if c.saltSet && defaultSalt == DefaultSalt {
			defaultSalt = TimestampSignerSalt
		}
		c.salt = defaultSalt
	}
	if unsafeSeparator(c.sep) {
		return nil, fmt.Errorf("%w: unsafe Signer separator %q (cannot be empty or consist of only A-z0-9-_=)", ErrConfig, c.sep)
	}
	d, ok := digests[c.algorithm]
	if !ok {
		return nil, fmt.Errorf("%w: %q is not a supported hash algorithm", ErrConfig, c.algorithm)
	}
	c.digest = d
	if c.clock == nil {
		return nil, fmt.Errorf("%w: nil clock", ErrConfig)
	}
	if c.maxToken <= 0 {
		c.maxToken = DefaultMaxTokenSize
	}
	if c.maxPayload <= 0 {
		c.maxPayload = DefaultMaxPayloadSize
	}
	if c.maxDepth <= 0 {
		c.maxDepth = DefaultMaxDepth
	}
	return c, nil
}

// unsafeSeparator is Django's _SEP_UNSAFE.match(sep) with the pattern
// ^[A-z0-9-_=]*$: "$" also matches before a final newline.
func unsafeSeparator(sep string) bool {
	sep = strings.TrimSuffix(sep, "\n")
	for i := 0; i < len(sep); i++ {
		c := sep[i]
		if !(c >= 'A' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '=') {
			return false
		}
	}
	return true
}
