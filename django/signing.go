package django

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"io"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/internal/inputlimit"
	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/internal/zlib6"
	"github.com/flaskcookie/flaskcookie/py"
)

// jsonDialect is Django's JSONSerializer: json.dumps(obj,
// separators=(",", ":")) with ensure_ascii, keys in insertion order.
var jsonDialect = pyjson.Dialect{Compact: true, ASCII: true}

// Serializer signs values as JSON with a timestamp, like Django's
// signing.dumps and signing.loads:
//
//	eyJhIjoxLCJiIjoiXHUwMGZjIn0:1r31eq:OC3dkd41NCpz7SQjeX2xPI0EkyfcIqUutZhCz6yKFe0
//
// The payload is URL-safe base64 (unpadded) of compact, ASCII-escaped JSON,
// or, with WithCompress when that is shorter, "." and the base64 of its zlib
// compression. A Serializer is immutable and safe for concurrent use.
type Serializer struct {
	ts         *TimestampSigner
	compress   bool
	maxPayload int
	maxDepth   int
}

// NewSerializer returns a Serializer for secretKey (settings.SECRET_KEY, or
// dumps' key argument). It accepts the options of NewTimestampSigner (the
// default salt is DefaultSalt, dumps' salt) and WithCompress,
// WithMaxPayloadSize and WithMaxDepth.
func NewSerializer(secretKey []byte, opts ...Option) (*Serializer, error) {
	c, err := newConfig(DefaultSalt, opts)
	if err != nil {
		return nil, err
	}
	return newSerializer(c, secretKey)
}

func newSerializer(c *config, key []byte) (*Serializer, error) {
	ts, err := newTimestampSigner(c, key)
	if err != nil {
		return nil, err
	}
	return &Serializer{ts: ts, compress: c.compress, maxPayload: c.maxPayload, maxDepth: c.maxDepth}, nil
}

// Dumps returns the signed token for v, as signing.dumps does. v is
// converted with py.ValueOf; values JSON cannot hold (bytes, UUIDs, times)
// are an error. At sets the signing time.
//
// The token is byte for byte Django's for the same value and time,
// compressed or not.
func (s *Serializer) Dumps(v any, opts ...CallOption) (string, error) {
	c := callOf(opts)
	g, err := py.ValueOf(v)
	if err != nil {
		return "", err
	}
	data, err := pyjson.Append(nil, g, jsonDialect)
	if err != nil {
		return "", err
	}
	b64 := base64.RawURLEncoding
	var payload []byte
	if s.compress && zlib6.MayBeShorter(data, len(data)-1) {
		// zlib.compress's own bytes (internal/zlib6), kept when they
		// save at least two bytes, as Django decides.
		if z := zlib6.Compress(data); len(z) < len(data)-1 {
			payload = append([]byte{'.'}, b64.AppendEncode(nil, z)...)
		}
	}
	if payload == nil {
		payload = b64.AppendEncode(nil, data)
	}
	return s.ts.sign(string(payload), &c), nil
}

// Loads verifies token, checks its age when MaxAge is given, and decodes
// its payload into the value v points to (see py.Assign; a *any receives
// the generic value), as signing.loads does. It returns the signing time.
//
// A bad signature matches ErrBadSignature and an expired token
// ErrSignatureExpired. A validly signed token whose payload is not base64,
// zlib or JSON matches ErrMalformed. As in Django, the JSON bytes are read
// as Latin-1 (Django writes them as ASCII), so raw UTF-8 in a hand-made
// payload reads as mojibake, exactly as Django reads it.
func (s *Serializer) Loads(token string, v any, opts ...CallOption) (time.Time, error) {
	c := callOf(opts)
	g, t, err := s.load(token, &c)
	if err != nil {
		return time.Time{}, err
	}
	if v == nil {
		return t, nil
	}
	if err := py.Assign(v, g); err != nil {
		return time.Time{}, malformed("cannot store the payload in the Go value", err)
	}
	return t, nil
}

func (s *Serializer) load(token string, c *call) (any, time.Time, error) {
	value, t, e := s.ts.unsign(token, c)
	if e != nil {
		return nil, time.Time{}, e
	}
	payload := []byte(value)
	compressed := len(payload) > 0 && payload[0] == '.'
	if compressed {
		payload = payload[1:]
	}
	if len(payload)/4*3 > s.maxPayload {
		return nil, time.Time{}, &Error{Kind: ErrMalformed, Reason: "payload too large", Err: ErrTooLarge}
	}
	data, err := pybase64.DecodeURLSafe(nil, payload)
	if err != nil {
		return nil, time.Time{}, malformed("binascii.Error: invalid base64-encoded string", err)
	}
	if compressed {
		// The inflated size is bounded relative to the token too (see
		// package itsdangerous, WithMaxInflateRatio): a zlib bomb
		// inflates about 1000 times, real payloads under 50.
		if data, err = inflate(data, inputlimit.Inflate(len(payload)+1, s.maxPayload, 0)); err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, time.Time{}, &Error{Kind: ErrMalformed, Reason: "decompressed payload too large", Err: ErrTooLarge}
			}
			return nil, time.Time{}, malformed("zlib.error: cannot decompress", err)
		}
	}
	g, err := pyjson.Decode(latin1ToUTF8(data), pyjson.Options{MaxDepth: s.maxDepth, MaxValues: inputlimit.Values(len(value), 0)})
	if errors.Is(err, pyjson.ErrTooManyValues) {
		return nil, time.Time{}, &Error{Kind: ErrMalformed, Reason: "payload holds too many values", Err: ErrTooLarge}
	}
	if err != nil {
		return nil, time.Time{}, malformed("json.JSONDecodeError", err)
	}
	return g, t, nil
}

// latin1ToUTF8 decodes b as Latin-1 (every byte is the code point of the
// same value) and returns it as UTF-8, which is what Django's
// data.decode("latin-1") hands to json.loads.
func latin1ToUTF8(b []byte) []byte {
	n := 0
	for _, c := range b {
		if c >= 0x80 {
			n++
		}
	}
	if n == 0 {
		return b
	}
	out := make([]byte, 0, len(b)+n)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// inflate decompresses a zlib stream as Python's zlib.decompress does
// (data after the end of the stream is ignored), producing at most max
// bytes.
func inflate(raw []byte, max int) ([]byte, error) {
	r, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("incomplete or truncated stream")
		}
		return nil, err
	}
	if len(out) > max {
		return nil, ErrTooLarge
	}
	return out, nil
}
