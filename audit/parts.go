package audit

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
)

// MaxPayloadSize bounds what Dissect and PayloadText inflate, as
// itsdangerous does by default.
const MaxPayloadSize = itsdangerous.DefaultMaxPayloadSize

// maxUnix is the last second of the year 9999, the end of Python's
// datetime: later timestamps are reported as out of range.
const maxUnix = 253402300799

// ErrMalformed is matched (errors.Is) by every ShapeError.
var ErrMalformed = errors.New("audit: malformed token")

// reasonError is an error whose message is a sentence for the person who
// pasted the token, without a package prefix, matching a sentinel.
type reasonError struct {
	kind error
	msg  string
}

func (e *reasonError) Error() string        { return e.msg }
func (e *reasonError) Is(target error) bool { return target == e.kind }

// A ShapeError says that a token lacks the separators of its format. Its
// message is a sentence for the person who pasted the token, without a
// package prefix; it matches ErrMalformed.
type ShapeError struct {
	Format Format
	reasonError
}

func shapeError(f Format, msg string) *ShapeError {
	return &ShapeError{Format: f, reasonError: reasonError{kind: ErrMalformed, msg: msg}}
}

// MalformedShape returns the ShapeError for a token of format f without
// the separators of its format, which it names.
func MalformedShape(f Format) error {
	msg := "malformed token: no '.' in it; a JWS token is HEADER.PAYLOAD.SIGNATURE"
	switch f {
	case Flask, Itsdangerous:
		msg = "malformed cookie: no '.' in it, so no signature; a Flask session cookie is PAYLOAD.TIMESTAMP.SIGNATURE"
	case Starlette:
		msg = "malformed cookie: no '.' in it; a Starlette session cookie is PAYLOAD.TIMESTAMP.SIGNATURE"
	case Django, DjangoSession, DjangoCookie:
		msg = "malformed cookie: no ':' in it; a Django signed token is PAYLOAD:TIMESTAMP:SIGNATURE"
	}
	return shapeError(f, msg)
}

// Separator returns the byte between the parts of a token of format f:
// ':' for Django's formats, '.' for the others.
func (f Format) Separator() byte {
	switch f {
	case Django, DjangoSession, DjangoCookie:
		return ':'
	}
	return '.'
}

// SplitToken splits token at its last two sep: payload (which may hold
// sep), timestamp and signature, the layout of itsdangerous's timed tokens
// and Django's signed ones. ok is false when token has fewer than two sep.
func SplitToken(token string, sep byte) (payload, ts, sig string, ok bool) {
	i := strings.LastIndexByte(token, sep)
	if i < 0 {
		return "", "", "", false
	}
	j := strings.LastIndexByte(token[:i], sep)
	if j < 0 {
		return "", "", "", false
	}
	return token[:j], token[j+1 : i], token[i+1:], true
}

// SignatureSize returns the size in bytes of the signature after the last
// sep of token, or -1 when there is no sep or the signature is not
// URL-safe base64.
func SignatureSize(token string, sep byte) int {
	i := strings.LastIndexByte(token, sep)
	if i < 0 {
		return -1
	}
	sig, err := pybase64.DecodeURLSafe(nil, []byte(token[i+1:]))
	if err != nil {
		return -1
	}
	return len(sig)
}

// Parts is a token taken apart without any key, for showing: nothing in
// it is verified. A part that cannot be read has its reason (a short
// phrase such as "not base64") in the matching Err field.
type Parts struct {
	Format Format
	// PayloadPart is the payload as the token holds it (base64). For
	// Flask it is without the '.' that marks compression; for Django it
	// keeps it.
	PayloadPart string
	// Compressed is true when the payload is zlib-compressed ('.' first);
	// CompressedLen is then its size before inflating.
	Compressed    bool
	CompressedLen int
	// Payload is the payload after base64 and zlib: the JSON text as the
	// framework wrote it (Latin-1 for Django). For DjangoCookie it is the
	// cookie's value, which is signed as it is.
	Payload    []byte
	PayloadErr string
	// TimestampPart is the timestamp as the token holds it ("" when there
	// is none, and for JWS), SignedAt what it says.
	TimestampPart string
	SignedAt      time.Time
	TimestampErr  string
	// SignaturePart is the signature as the token holds it, Signature its
	// bytes.
	SignaturePart string
	Signature     []byte
	SignatureErr  string
	// Header, HeaderRaw and HeaderErr are a JWS token's header: decoded,
	// its JSON text, and why it cannot be read. For a JWS token SignedAt
	// is the header's "iat".
	Header    map[string]any
	HeaderRaw []byte
	HeaderErr string
}

// Dissect takes a token of format f apart (see Parts). It fails, with a
// ShapeError, only when the token lacks the separators of its format. A
// sealed token (FlaskSealed) is not taken apart here: see package fernet.
func Dissect(f Format, token string) (*Parts, error) {
	switch f {
	case Flask, Itsdangerous:
		return dissectFlask(f, token, 0)
	case FlaskSealed:
		return nil, fmt.Errorf("%w: a sealed token has no parts to show", ErrConfig)
	}
	return dissectOther(f, token)
}

// DissectLegacy is Dissect for a Flask cookie whose timestamp counts from
// itsdangerous's legacy epoch (itsdangerous < 1.0, 2011-01-01).
func DissectLegacy(token string) (*Parts, error) {
	return dissectFlask(Flask, token, itsdangerous.LegacyEpoch)
}

func dissectFlask(f Format, cookie string, epoch uint64) (*Parts, error) {
	a := &Parts{Format: f}
	i := strings.LastIndexByte(cookie, '.')
	if i < 0 {
		return nil, MalformedShape(Flask)
	}
	rest := cookie[:i]
	a.SignaturePart = cookie[i+1:]
	if sig, err := pybase64.DecodeURLSafe(nil, []byte(a.SignaturePart)); err != nil {
		a.SignatureErr = "not base64"
	} else {
		a.Signature = sig
	}
	if strings.HasPrefix(cookie, ".") && strings.Count(cookie, ".") < 3 {
		// Compressed, and cut short after the payload: show that much
		// rather than a payload taken from the empty text before the
		// first '.'.
		a.PayloadPart, _, _ = strings.Cut(cookie[1:], ".")
		a.PayloadPart = "." + a.PayloadPart
		a.TimestampErr, a.SignatureErr = "cut off", "cut off"
	} else if j := strings.LastIndexByte(rest, '.'); j >= 0 {
		a.PayloadPart, a.TimestampPart = rest[:j], rest[j+1:]
		if ts, err := pybase64.DecodeURLSafe(nil, []byte(a.TimestampPart)); err != nil {
			a.TimestampErr = "not base64"
		} else {
			a.SignedAt, a.TimestampErr = timestampOf(ts, epoch)
		}
	} else {
		a.PayloadPart = rest
		a.TimestampErr = "missing"
	}
	if strings.HasPrefix(a.PayloadPart, ".") {
		a.Compressed = true
		a.PayloadPart = a.PayloadPart[1:]
	}
	raw, err := pybase64.DecodeURLSafe(nil, []byte(a.PayloadPart))
	if err != nil {
		a.PayloadErr = "not base64"
		return a, nil
	}
	if a.Compressed {
		a.CompressedLen = len(raw)
		if raw, err = inflate(raw, MaxPayloadSize); err != nil {
			a.PayloadErr = err.Error()
			if errors.Is(err, io.ErrUnexpectedEOF) {
				a.PayloadErr = "a zlib stream cut short: the cookie looks truncated"
			}
			return a, nil
		}
	}
	a.Payload = raw
	return a, nil
}

func dissectOther(f Format, token string) (*Parts, error) {
	a := &Parts{Format: f}
	sep := f.Separator()
	payload, ts, sig, ok := SplitToken(token, sep)
	if !ok {
		if f == JWS || f == JWSTimed {
			return nil, shapeError(f, "malformed token: a JWS token is HEADER.PAYLOAD.SIGNATURE, with two '.'")
		}
		return nil, shapeError(f, fmt.Sprintf("%s: it needs two '%c'", MalformedShape(f).Error(), sep))
	}
	a.SignaturePart = sig
	if b, err := pybase64.DecodeURLSafe(nil, []byte(sig)); err != nil {
		a.SignatureErr = "not base64"
	} else {
		a.Signature = b
	}
	switch f {
	case Starlette:
		a.PayloadPart, a.TimestampPart = payload, ts
		if raw, err := pybase64.DecodeStd(nil, []byte(payload)); err != nil {
			a.PayloadErr = "not base64"
		} else {
			a.Payload = raw
		}
		a.SignedAt, a.TimestampErr = itsdangerousTime(ts)
	case DjangoCookie:
		// set_signed_cookie signs the value as it is.
		a.PayloadPart, a.TimestampPart, a.Payload = payload, ts, []byte(payload)
		a.SignedAt, a.TimestampErr = base62Time(ts)
	case Django, DjangoSession:
		a.PayloadPart, a.TimestampPart = payload, ts
		a.Compressed = strings.HasPrefix(payload, ".")
		if raw, n, err := DjangoPayload(payload); err != nil {
			a.PayloadErr = err.Error()
		} else {
			a.Payload, a.CompressedLen = raw, n
		}
		a.SignedAt, a.TimestampErr = base62Time(ts)
	default:
		// HEADER.PAYLOAD.SIGNATURE: the rest is split on its first '.'.
		h := payload + "." + ts
		head, body, _ := strings.Cut(h, ".")
		a.PayloadPart = body
		if hm, raw, err := ParseJWSHeader(head + "."); err != nil {
			a.HeaderErr, a.HeaderRaw = err.Error(), raw
		} else {
			a.Header, a.HeaderRaw = hm, raw
		}
		if raw, err := pybase64.DecodeURLSafe(nil, []byte(body)); err != nil {
			a.PayloadErr = "not base64"
		} else {
			a.Payload = raw
		}
		if a.Header != nil {
			if t, ok := jws.IssuedAt(a.Header); ok {
				a.SignedAt = t
			}
		}
	}
	return a, nil
}

// itsdangerousTime reads an itsdangerous timestamp: URL-safe base64 of a
// big-endian integer.
func itsdangerousTime(ts string) (time.Time, string) {
	if ts == "" {
		return time.Time{}, "missing"
	}
	b, err := pybase64.DecodeURLSafe(nil, []byte(ts))
	if err != nil {
		return time.Time{}, "not base64"
	}
	return timestampOf(b, 0)
}

// timestampOf reads the big-endian integer of an itsdangerous timestamp,
// counted from epoch (Unix seconds), range-checked before the epoch is
// added so that no sum wraps around.
func timestampOf(b []byte, epoch uint64) (time.Time, string) {
	if len(b) > 8 {
		return time.Time{}, "longer than 8 bytes"
	}
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	if n > maxUnix-epoch {
		return time.Time{}, "after the year 9999"
	}
	return time.Unix(int64(n+epoch), 0).UTC(), ""
}

// base62Time reads a Django timestamp: base 62, most significant digit
// first.
func base62Time(ts string) (time.Time, string) {
	if ts == "" {
		return time.Time{}, "missing"
	}
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var n uint64
	for i := 0; i < len(ts); i++ {
		d := strings.IndexByte(alphabet, ts[i])
		if d < 0 {
			return time.Time{}, "not base 62"
		}
		if n > (maxUnix-uint64(d))/62 {
			return time.Time{}, "after the year 9999"
		}
		n = n*62 + uint64(d)
	}
	return time.Unix(int64(n), 0).UTC(), ""
}

// PayloadText returns the payload inside a token of format f after base64
// and zlib (the JSON text as the framework wrote it; Latin-1 for Django;
// a set_signed_cookie value as it is), or nil when it cannot be read. It
// checks nothing.
func PayloadText(f Format, token string) []byte {
	switch f {
	case Starlette:
		p, _, _, ok := SplitToken(token, '.')
		if !ok {
			return nil
		}
		raw, err := pybase64.DecodeStd(nil, []byte(p))
		if err != nil {
			return nil
		}
		return raw
	case DjangoCookie:
		p, _, _, ok := SplitToken(token, ':')
		if !ok {
			return nil
		}
		return []byte(p)
	case Django, DjangoSession:
		p, _, _, ok := SplitToken(token, ':')
		if !ok {
			return nil
		}
		raw, _, err := DjangoPayload(p)
		if err != nil {
			return nil
		}
		return raw
	}
	i, j := strings.IndexByte(token, '.'), strings.LastIndexByte(token, '.')
	if i < 0 || i == j {
		return nil
	}
	raw, err := pybase64.DecodeURLSafe(nil, []byte(token[i+1:j]))
	if err != nil {
		return nil
	}
	return raw
}

// DjangoPayload decodes the payload part of a Django signing.dumps token:
// URL-safe base64, zlib-compressed when it starts with '.' (at most
// MaxPayloadSize bytes once inflated). n is the size before inflating. It
// does not check that the payload is JSON. The error is a short phrase
// such as "not base64".
func DjangoPayload(p string) (raw []byte, n int, err error) {
	compressed := strings.HasPrefix(p, ".")
	if compressed {
		p = p[1:]
	}
	raw, err = pybase64.DecodeURLSafe(nil, []byte(p))
	if err != nil {
		return nil, 0, errors.New("not base64")
	}
	n = len(raw)
	if compressed {
		if raw, err = inflate(raw, MaxPayloadSize); err != nil {
			return nil, n, err
		}
	}
	return raw, n, nil
}

// DjangoText converts a Django payload to UTF-8: Django reads its JSON as
// Latin-1.
func DjangoText(b []byte) []byte { return latin1ToUTF8(b) }

// inflate decompresses a zlib stream of at most limit bytes. Its errors
// are short phrases; a stream cut short matches io.ErrUnexpectedEOF.
func inflate(b []byte, limit int) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, errors.New("marked compressed, but not zlib")
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if err != nil {
		return nil, &zlibError{err}
	}
	if len(out) > limit {
		return nil, fmt.Errorf("inflates past %d bytes", limit)
	}
	return out, nil
}

// zlibError is a damaged zlib stream.
type zlibError struct{ err error }

func (e *zlibError) Error() string { return "a damaged zlib stream: " + e.err.Error() }
func (e *zlibError) Unwrap() error { return e.err }
