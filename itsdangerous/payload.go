package itsdangerous

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"strconv"
	"sync"

	"github.com/flaskcookie/flaskcookie/internal/inputlimit"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/internal/zlib6"
	"github.com/flaskcookie/flaskcookie/py"
)

// A PayloadFormat turns values into the bytes that are signed and back,
// like the serializer argument of Python's Serializer (an object with dumps
// and loads). Implementations must be safe for concurrent use.
type PayloadFormat interface {
	// AppendPayload appends the encoding of v to dst.
	AppendPayload(dst []byte, v any) ([]byte, error)
	// DecodePayload decodes data into the value v points to, within the
	// given limits. It must not keep data, or any part of it, after it
	// returns: the serializers reuse the buffer (copy what you keep, as
	// json.Unmarshaler implementations do).
	DecodePayload(data []byte, v any, lim Limits) error
}

// Limits bounds the work a PayloadFormat may do on untrusted data.
type Limits struct {
	// MaxDepth is the deepest nesting of containers allowed.
	MaxDepth int
	// MaxValues is the largest number of values (scalars and containers)
	// allowed, or 0 for no limit; see WithMaxValues.
	MaxValues int
}

// JSON is the payload format of Python's json module with its default
// settings: separators ", " and ": ", non-ASCII escaped as \uXXXX, keys in
// insertion order (Go maps, which have none, are written sorted). It is the
// default of Serializer and TimedSerializer.
var JSON PayloadFormat = jsonFormat{pyjson.Dialect{ASCII: true}}

// CompactJSON is the payload format of itsdangerous's URL-safe serializers:
// separators "," and ":", non-ASCII characters written as raw UTF-8. It is
// the default of URLSafeSerializer and URLSafeTimedSerializer.
var CompactJSON PayloadFormat = jsonFormat{pyjson.Dialect{Compact: true}}

type jsonFormat struct{ d pyjson.Dialect }

func (f jsonFormat) AppendPayload(dst []byte, v any) ([]byte, error) {
	g, err := py.ValueOf(v)
	if err != nil {
		return dst, err
	}
	return pyjson.Append(dst, g, f.d)
}

func (f jsonFormat) DecodePayload(data []byte, v any, lim Limits) error {
	g, err := pyjson.Decode(data, pyjson.Options{MaxDepth: lim.MaxDepth, MaxValues: lim.MaxValues})
	if err != nil {
		return err
	}
	return py.Assign(v, g)
}

// WithPayloadFormat sets how a serializer encodes values (default JSON,
// or CompactJSON for the URL-safe serializers).
func WithPayloadFormat(f PayloadFormat) Option {
	return func(c *config) { c.format = f }
}

var zlibReaders sync.Pool // of io.ReadCloser implementing zlib.Resetter

// appendURLSafePayload appends the URL-safe form of the encoded payload j:
// "." and the base64 of zlib.compress(j) when that saves at least two
// bytes, as Python's URLSafeSerializerMixin.dump_payload decides, else the
// base64 of j. The compressed bytes are zlib's own (internal/zlib6), so
// the payload is Python's in either case.
func appendURLSafePayload(dst, j []byte) []byte {
	// zlib adds six bytes of framing and deflate at least four for a
	// literal, a match and the end of the block: a payload this short
	// cannot shrink by two bytes; nor can a short one without repeats
	// (MayBeShorter), which is most small sessions.
	if len(j) > 10 && zlib6.MayBeShorter(j, len(j)-1) {
		start := len(dst)
		dst = zlib6.AppendCompress(dst, j)
		if end := len(dst); end-start < len(j)-1 {
			// Encode the compressed bytes after themselves, then move
			// the text down over them.
			dst = appendBase64(dst, dst[start:end])
			dst[start] = '.'
			n := copy(dst[start+1:], dst[end:])
			return dst[:start+1+n]
		}
		dst = dst[:start]
	}
	return appendBase64(dst, j)
}

// payloadBufs holds the buffers of decoded payloads (*[]byte), so that a
// load allocates only for the value it returns.
var payloadBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledPayload is the largest buffer kept in payloadBufs.
const maxPooledPayload = 4 << 10

// decodeURLSafePayload reverses appendURLSafePayload, within max bytes,
// and, when compressed, within ratio times the length of p (see
// inputlimit.Inflate). The base64 is decoded into buf's space; the result
// may live there.
func decodeURLSafePayload(buf, p []byte, strict bool, max, ratio int) ([]byte, error) {
	compressed := len(p) > 0 && p[0] == '.'
	if compressed {
		p = p[1:]
	}
	if len(p)/4*3 > max {
		return nil, payloadError("Could not base64 decode the payload because of an exception", ErrTooLarge)
	}
	raw, err := decodeBase64(buf[:0], p, strict)
	if err != nil {
		return nil, payloadError("Could not base64 decode the payload because of an exception", err)
	}
	if !compressed {
		return raw, nil
	}
	out, err := inflate(raw, inputlimit.Inflate(len(p)+1, max, ratio))
	if err != nil {
		return nil, payloadError("Could not zlib decompress the payload before decoding the payload", err)
	}
	return out, nil
}

// inflate decompresses a zlib stream, reading at most max bytes of output so
// that a small bomb cannot allocate more. Data after the end of the stream
// is ignored, as Python's zlib.decompress ignores it.
func inflate(raw []byte, max int) ([]byte, error) {
	src := bytes.NewReader(raw)
	var r io.ReadCloser
	if pooled, ok := zlibReaders.Get().(io.ReadCloser); ok {
		if err := pooled.(zlib.Resetter).Reset(src, nil); err != nil {
			zlibReaders.Put(pooled)
			return nil, err
		}
		r = pooled
	} else {
		var err error
		if r, err = zlib.NewReader(src); err != nil {
			return nil, err
		}
	}
	defer zlibReaders.Put(r)
	size := 4 * len(raw)
	if size > max {
		size = max
	}
	out := make([]byte, 0, size+1)
	for {
		if len(out) == cap(out) {
			if len(out) > max {
				return nil, ErrTooLarge
			}
			next := 2 * cap(out)
			if next > max+1 {
				next = max + 1
			}
			out = append(out, make([]byte, next-len(out))...)[:len(out)]
		}
		n, err := r.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if len(out) > max {
			return nil, ErrTooLarge
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, truncatedError{}
			}
			return nil, err
		}
	}
}

// truncatedError is the cause of a BadPayload error whose zlib stream
// ends early, as a cut-off cookie's does. Its message is zlib's, as in
// Python; it matches io.ErrUnexpectedEOF, so that a caller can tell a
// truncated payload from a damaged one.
type truncatedError struct{}

func (truncatedError) Error() string { return "incomplete or truncated stream" }
func (truncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

func payloadError(reason string, cause error) *Error {
	e := newError(ErrBadPayload, reason)
	e.Err = cause
	return e
}

func sizeError(n, max int) *Error {
	e := newError(ErrBadPayload, "payload of "+strconv.Itoa(n)+" bytes is larger than the maximum of "+strconv.Itoa(max))
	e.Err = ErrTooLarge
	return e
}
