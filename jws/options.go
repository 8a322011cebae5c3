package jws

import (
	"bytes"
	"time"
)

// DefaultExpiresIn is the lifetime of a timed token made without
// WithExpiresIn: Python's TimedJSONWebSignatureSerializer.DEFAULT_EXPIRES_IN.
const DefaultExpiresIn = 3600 * time.Second

// An Option configures a serializer when it is made, mirroring the keyword
// arguments of the Python classes.
type Option func(*config)

type config struct {
	alg          string
	allowNone    bool
	salt         []byte // nil: Python's None
	fallbackKeys [][]byte
	expiresIn    time.Duration
	clock        func() time.Time
	maxTokenSize int
	maxDepth     int
	emptyKeys    bool
}

// WithAlgorithm selects the algorithm by its JWS name (Python's
// algorithm_name): HS256, HS384 or HS512 (the default). The name is written
// into every token's "alg" header field, and a token whose "alg" differs is
// refused. "none" is refused here; use WithUnsafeNoneAlgorithm.
func WithAlgorithm(name string) Option {
	return func(c *config) { c.alg, c.allowNone = name, false }
}

// WithUnsafeNoneAlgorithm selects the algorithm "none": tokens carry an
// empty signature (they end with "."), and loading accepts only such tokens
// whose header says "alg": "none".
//
// WARNING: anyone can make a token that this serializer accepts. It exists
// only to read and write the tokens of applications that chose
// algorithm_name="none".
func WithUnsafeNoneAlgorithm() Option {
	return func(c *config) { c.alg, c.allowNone = None, true }
}

// WithSalt sets the salt (Python's salt argument). Without a salt (nil,
// Python's None, the default) the secret key is the HMAC key as it is, which
// makes the tokens standard JWS (RFC 7515) that other JWS libraries verify
// with the same key. With a salt, even an empty one, the HMAC key is
// SHA-1(salt ‖ "signer" ‖ secret), itsdangerous's "django-concat"
// derivation with its default SHA-1 digest, whatever the JWS algorithm.
func WithSalt(salt []byte) Option {
	return func(c *config) {
		if salt == nil {
			c.salt = nil
			return
		}
		c.salt = append([]byte{}, salt...)
	}
}

// WithFallbackKeys adds older secret keys that still verify but never sign,
// oldest first, as in Python's secret key list (itsdangerous 2.0; 1.x took a
// single key): New(k, WithFallbackKeys(a, b)) is
// JSONWebSignatureSerializer([a, b, k]).
func WithFallbackKeys(keys ...[]byte) Option {
	return func(c *config) {
		for _, k := range keys {
			c.fallbackKeys = append(c.fallbackKeys, bytes.Clone(k))
		}
	}
}

// WithUnsafeEmptyKeys lets an empty secret key, current or fallback,
// through; without it New and NewTimed refuse one with an error matching
// ErrConfig and itsdangerous.ErrEmptyKey. Python accepts an empty key, and
// then anyone can make a token that verifies. (With
// WithUnsafeNoneAlgorithm no key is used and an empty one is accepted.)
//
// WARNING: a serializer with an empty key accepts tokens anyone can make.
// This exists only for tools that forge tokens for an application that
// really uses the empty key.
func WithUnsafeEmptyKeys() Option {
	return func(c *config) { c.emptyKeys = true }
}

// WithExpiresIn sets how long a timed token is valid (Python's expires_in,
// default DefaultExpiresIn): its "exp" header field is "iat" plus d.
// A whole number of seconds gives an integer "exp", as Python's int
// expires_in does; a fraction gives a float, as a float expires_in does.
// Untimed serializers ignore it.
func WithExpiresIn(d time.Duration) Option {
	return func(c *config) { c.expiresIn = d }
}

// WithClock sets the clock used for "iat" and "exp" and for checking expiry
// (default time.Now). Only its whole seconds are used, as Python's
// int(time.time()).
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithMaxTokenSize sets the longest token accepted, in bytes (default
// itsdangerous.DefaultMaxTokenSize; n <= 0 means the default). A longer token
// is refused before any MAC is computed.
func WithMaxTokenSize(n int) Option {
	return func(c *config) { c.maxTokenSize = n }
}

// WithMaxDepth sets the deepest nesting of JSON arrays and objects accepted
// in the header and the payload (default itsdangerous.DefaultMaxDepth;
// n <= 0 means the default).
func WithMaxDepth(n int) Option {
	return func(c *config) { c.maxDepth = n }
}

// A CallOption changes one call of Dumps or Loads, like the keyword
// arguments of Python's dumps and loads.
type CallOption struct {
	salt      []byte
	saltSet   bool
	header    any
	headerSet bool
	at        time.Time
	atSet     bool
}

// Salt uses salt instead of the serializer's for one call, as Python's
// dumps(obj, salt=...) and loads(s, salt=...) do. A nil salt, like Python's
// None, keeps the serializer's.
func Salt(salt []byte) CallOption { return CallOption{salt: salt, saltSet: salt != nil} }

// HeaderFields adds fields to the header of one token, as Python's
// dumps(obj, header_fields=...) does. fields is a dict in the value model of
// package py: a py.Dict keeps its order, a map (or struct) is written in
// sorted key order. The serializer's "alg" (and for timed tokens "iat" and
// "exp") are set after the fields, replacing a field of the same name in
// its place, as Python's dict assignment does. Loads ignores it.
func HeaderFields(fields any) CallOption { return CallOption{header: fields, headerSet: true} }

// At uses t instead of the clock for one call: as "iat" when dumping a
// timed token, and as the present when checking "exp".
func At(t time.Time) CallOption { return CallOption{at: t, atSet: true} }

type call struct {
	salt   []byte
	header any
	at     time.Time
	atSet  bool
}

func callOf(opts []CallOption) call {
	var c call
	for _, o := range opts {
		if o.saltSet {
			c.salt = o.salt
		}
		if o.headerSet {
			c.header = o.header
		}
		if o.atSet {
			c.at, c.atSet = o.at, true
		}
	}
	return c
}
