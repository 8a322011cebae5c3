package jws

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// compact is the JSON of itsdangerous's _CompactJSON: separators "," and
// ":", non-ASCII characters as raw UTF-8, keys in insertion order.
var compact = pyjson.Dialect{Compact: true}

// Serializer reads and writes the tokens of Python's
// itsdangerous.JSONWebSignatureSerializer (itsdangerous 0.x to 2.0):
//
//	eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyX2lkIjo0Mn0.htU4o83t…
//
// that is base64url(header JSON) "." base64url(payload JSON) "." base64url
// (signature), a JWS in compact serialization. A Serializer is immutable and
// safe for concurrent use.
type Serializer struct {
	alg     string
	algo    itsdangerous.Algorithm
	key     []byte
	oldKeys [][]byte // oldest first
	salt    []byte   // nil: no salt (raw key)
	signer  *itsdangerous.Signer
	clock   func() time.Time
	maxTok  int
	depth   int
	// Timed variant.
	timed     bool
	expiresIn time.Duration
	emptyKeys bool
}

// New returns a Serializer for secretKey, Python's
// JSONWebSignatureSerializer(secret_key, ...). It accepts WithAlgorithm
// (default HS512), WithUnsafeNoneAlgorithm, WithSalt, WithFallbackKeys,
// WithClock, WithMaxTokenSize, WithMaxDepth and WithUnsafeEmptyKeys. An
// unknown algorithm, or "none" given to WithAlgorithm, is an error matching
// ErrConfig (Python raises NotImplementedError("Algorithm not supported")
// for unknown names), and so is an empty key, current or fallback (it also
// matches itsdangerous.ErrEmptyKey) unless WithUnsafeEmptyKeys is given.
func New(secretKey []byte, opts ...Option) (*Serializer, error) {
	return newSerializer(secretKey, false, opts)
}

func newSerializer(secretKey []byte, timed bool, opts []Option) (*Serializer, error) {
	c := &config{alg: DefaultAlgorithm, expiresIn: DefaultExpiresIn, clock: time.Now}
	for _, o := range opts {
		o(c)
	}
	if c.clock == nil {
		return nil, fmt.Errorf("%w: nil clock", ErrConfig)
	}
	s := &Serializer{
		alg:       c.alg,
		key:       bytes.Clone(secretKey),
		oldKeys:   c.fallbackKeys,
		salt:      c.salt,
		clock:     c.clock,
		maxTok:    c.maxTokenSize,
		depth:     c.maxDepth,
		timed:     timed,
		expiresIn: c.expiresIn,
		emptyKeys: c.emptyKeys,
	}
	if s.maxTok <= 0 {
		s.maxTok = itsdangerous.DefaultMaxTokenSize
	}
	if s.depth <= 0 {
		s.depth = itsdangerous.DefaultMaxDepth
	}
	switch {
	case c.alg == None && c.allowNone:
		s.algo = itsdangerous.UnsafeNoneAlgorithm
	case c.alg == None:
		return nil, fmt.Errorf("%w: algorithm \"none\" needs WithUnsafeNoneAlgorithm", ErrConfig)
	default:
		m, ok := method(c.alg)
		if !ok {
			return nil, fmt.Errorf("%w: algorithm %q not supported", ErrConfig, c.alg)
		}
		if err := checkMethod(m); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrConfig, c.alg, err)
		}
		s.algo = jwtHMAC{m}
	}
	var err error
	if s.signer, err = s.makeSigner(s.salt); err != nil {
		return nil, err
	}
	return s, nil
}

// makeSigner is Python's make_signer: "." as separator, the JWS algorithm,
// and no key derivation when there is no salt, else django-concat with the
// Signer's default SHA-1.
func (s *Serializer) makeSigner(salt []byte) (*itsdangerous.Signer, error) {
	opts := []itsdangerous.Option{
		itsdangerous.WithSeparator([]byte(".")),
		itsdangerous.WithAlgorithm(s.algo),
		itsdangerous.WithFallbackKeys(s.oldKeys...),
		itsdangerous.WithMaxTokenSize(s.maxTok),
	}
	if s.emptyKeys {
		opts = append(opts, itsdangerous.WithUnsafeEmptyKeys())
	}
	if salt == nil {
		opts = append(opts, itsdangerous.WithKeyDerivation(itsdangerous.NoDerivation))
	} else {
		opts = append(opts, itsdangerous.WithSalt(salt))
	}
	sg, err := itsdangerous.NewSigner(s.key, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return sg, nil
}

func (s *Serializer) signerFor(c *call) (*itsdangerous.Signer, error) {
	if c.salt == nil || (s.salt != nil && bytes.Equal(c.salt, s.salt)) {
		return s.signer, nil
	}
	return s.makeSigner(c.salt)
}

// Algorithm returns the algorithm name written to and required in "alg".
func (s *Serializer) Algorithm() string { return s.alg }

// Dumps returns the token for v, Python's dumps(obj, salt=...,
// header_fields=...) (see Salt and HeaderFields). v is converted with
// py.ValueOf and written as compact JSON; the header holds the
// HeaderFields, then "alg" (and for a TimedSerializer "iat" and "exp").
// For the same input and time the token is byte for byte Python's.
//
// A value that JSON cannot hold (bytes, a UUID, a time) is an error.
func (s *Serializer) Dumps(v any, opts ...CallOption) (string, error) {
	c := callOf(opts)
	header, err := s.makeHeader(&c)
	if err != nil {
		return "", err
	}
	sg, err := s.signerFor(&c)
	if err != nil {
		return "", err
	}
	hj, err := pyjson.Append(nil, header, compact)
	if err != nil {
		return "", fmt.Errorf("jws: header: %w", err)
	}
	pv, err := py.ValueOf(v)
	if err != nil {
		return "", fmt.Errorf("jws: %w", err)
	}
	pj, err := pyjson.Append(nil, pv, compact)
	if err != nil {
		return "", fmt.Errorf("jws: %w", err)
	}
	b64 := base64.RawURLEncoding
	body := make([]byte, 0, b64.EncodedLen(len(hj))+1+b64.EncodedLen(len(pj)))
	body = b64.AppendEncode(body, hj)
	body = append(body, '.')
	body = b64.AppendEncode(body, pj)
	return string(sg.Sign(body)), nil
}

// makeHeader is Python's make_header: a copy of the header fields, then
// "alg", then for the timed variant "iat" and "exp".
func (s *Serializer) makeHeader(c *call) (py.Dict, error) {
	var h py.Dict
	if c.header != nil {
		hv, err := py.ValueOf(c.header)
		if err != nil {
			return nil, fmt.Errorf("jws: header fields: %w", err)
		}
		switch hv := hv.(type) {
		case py.Dict:
			for _, it := range hv {
				h = set(h, it.Key, it.Value)
			}
		case map[string]any:
			h = append(h, py.SortedDict(hv)...)
		default:
			return nil, fmt.Errorf("jws: header fields are a %s, not a dict", py.TypeName(hv))
		}
	}
	h = set(h, "alg", s.alg)
	if s.timed {
		iat := s.now(c)
		h = set(h, "iat", iat)
		if s.expiresIn%time.Second == 0 {
			h = set(h, "exp", iat+int64(s.expiresIn/time.Second))
		} else {
			h = set(h, "exp", float64(iat)+s.expiresIn.Seconds())
		}
	}
	return h, nil
}

func (s *Serializer) now(c *call) int64 {
	if c.atSet {
		return c.at.Unix()
	}
	return s.clock().Unix()
}

// set assigns d[key] = v as a Python dict does: in place when the key is
// present, else at the end.
func set(d py.Dict, key string, v any) py.Dict {
	for i := range d {
		if d[i].Key == key {
			d[i].Value = v
			return d
		}
	}
	return append(d, py.Item{Key: key, Value: v})
}

// Loads verifies token and decodes its payload into the value v points to
// (see py.Assign; a *any receives the generic value). It returns the header
// as Python's loads(s, return_header=True) does. A nil v only checks the
// token.
//
// The checks and their errors are Python's, in Python's order:
//
//   - the signature, made with the serializer's algorithm and key(s):
//     itsdangerous.ErrBadSignature;
//   - no "." between header and payload: itsdangerous.ErrBadPayload;
//   - a header that is not base64, not JSON or not a JSON object:
//     ErrBadHeader; a payload that is not base64 or not JSON:
//     itsdangerous.ErrBadPayload;
//   - an "alg" other than the serializer's: ErrBadHeader ("Algorithm
//     mismatch").
//
// So a token is only accepted with the algorithm the serializer was made
// with, never the one its header names.
func (s *Serializer) Loads(token string, v any, opts ...CallOption) (header map[string]any, err error) {
	c := callOf(opts)
	header, payload, err := s.load(token, &c)
	if err != nil {
		return nil, err
	}
	return header, assign(v, payload)
}

// load verifies the token and decodes header and payload, without assigning
// the payload.
func (s *Serializer) load(token string, c *call) (map[string]any, any, error) {
	sg, err := s.signerFor(c)
	if err != nil {
		return nil, nil, err
	}
	body, err := sg.Unsign([]byte(token))
	if err != nil {
		return nil, nil, err
	}
	return s.loadPayload(body)
}

// loadPayload is Python's JSONWebSignatureSerializer.load_payload.
func (s *Serializer) loadPayload(body []byte) (map[string]any, any, error) {
	i := bytes.IndexByte(body, '.')
	if i < 0 {
		return nil, nil, newError(itsdangerous.ErrBadPayload, `No "." found in value`, nil)
	}
	hb, err := pybase64.DecodeURLSafe(nil, body[:i])
	if err != nil {
		return nil, nil, newError(ErrBadHeader, "Could not base64 decode the header because of an exception", err)
	}
	pb, err := pybase64.DecodeURLSafe(nil, body[i+1:])
	if err != nil {
		return nil, nil, newError(itsdangerous.ErrBadPayload, "Could not base64 decode the payload because of an exception", err)
	}
	hv, err := pyjson.Decode(hb, pyjson.Options{MaxDepth: s.depth})
	if err != nil {
		return nil, nil, newError(ErrBadHeader, "Could not unserialize header because it was malformed", err)
	}
	header, ok := hv.(map[string]any)
	if !ok {
		return nil, nil, newError(ErrBadHeader, "Header payload is not a JSON object", nil)
	}
	payload, err := pyjson.Decode(pb, pyjson.Options{MaxDepth: s.depth})
	if err != nil {
		return nil, nil, newError(itsdangerous.ErrBadPayload, "Could not load the payload because an exception occurred on unserializing the data.", err)
	}
	if alg, ok := header["alg"].(string); !ok || alg != s.alg {
		return nil, nil, newError(ErrBadHeader, "Algorithm mismatch", nil)
	}
	return header, payload, nil
}

// assign stores the decoded payload into v.
func assign(v, payload any) error {
	if v == nil {
		return nil
	}
	if err := py.Assign(v, payload); err != nil {
		return newError(itsdangerous.ErrBadPayload, "Could not load the payload into the Go value", err)
	}
	return nil
}
