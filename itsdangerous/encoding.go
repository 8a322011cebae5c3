package itsdangerous

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
)

// errBase64 is the cause of every base64 failure; Python reports
// "Invalid base64-encoded data".
var errBase64 = errors.New("invalid base64-encoded data")

// b64 is the URL-safe alphabet without padding that itsdangerous writes.
var b64 = base64.RawURLEncoding

// b64Alphabet is the URL-safe base64 alphabet.
const b64Alphabet = pybase64.URLSafeAlphabet

// appendBase64 appends the URL-safe, unpadded base64 of src to dst.
func appendBase64(dst, src []byte) []byte {
	n := b64.EncodedLen(len(src))
	dst = grow(dst, n)
	encodeBase64(dst[len(dst):len(dst)+n], src)
	return dst[:len(dst)+n]
}

// grow makes room for n more bytes after len(dst).
func grow(dst []byte, n int) []byte {
	if cap(dst)-len(dst) >= n {
		return dst
	}
	out := make([]byte, len(dst), len(dst)+n)
	copy(out, dst)
	return out
}

// decodeBase64Lenient decodes src exactly as itsdangerous's base64_decode
// does on bytes (see package pybase64), appending to dst.
func decodeBase64Lenient(dst, src []byte) ([]byte, error) {
	// Without CR or LF (which encoding/base64 skips, but which count in
	// Python's padding), what encoding/base64 accepts it decodes as
	// Python does, and faster; anything else takes Python's rules.
	if !hasCRLF(src) {
		n := b64.DecodedLen(len(src))
		dst = grow(dst, n)
		if m, err := b64.Decode(dst[len(dst):len(dst)+n], src); err == nil {
			return dst[:len(dst)+m], nil
		}
	}
	out, err := pybase64.DecodeURLSafe(dst, src)
	if err != nil {
		return out, errBase64
	}
	return out, nil
}

// decodeBase64Strict accepts only the canonical URL-safe, unpadded
// encoding: the alphabet A–Z a–z 0–9 - _, no '=', zero trailing bits.
func decodeBase64Strict(dst, src []byte) ([]byte, error) {
	// encoding/base64 skips '\r' and '\n' even in strict mode.
	if hasCRLF(src) {
		return dst, errBase64
	}
	n := b64.DecodedLen(len(src))
	dst = grow(dst, n)
	m, err := b64.Strict().Decode(dst[len(dst):len(dst)+n], src)
	if err != nil {
		return dst, errBase64
	}
	return dst[:len(dst)+m], nil
}

func decodeBase64(dst, src []byte, strict bool) ([]byte, error) {
	if out, ok := decodeCanonical(dst, src); ok {
		return out, nil
	}
	if strict {
		return decodeBase64Strict(dst, src)
	}
	return decodeBase64Lenient(dst, src)
}

// decodeCanonical appends the decoding of src to dst when src is the
// canonical URL-safe, unpadded encoding of something (what
// decodeBase64Strict accepts, which decodeBase64Lenient decodes the same
// way), and reports whether it was. It is the fast path of decodeBase64
// for the short parts of a token: faster than encoding/base64 on them,
// with no scan for CR and LF.
func decodeCanonical(dst, src []byte) ([]byte, bool) {
	n := len(src)
	if n%4 == 1 {
		return dst, false
	}
	full := n / 4 * 3
	// Room for the whole groups, the tail's two bytes, and the two bytes
	// that an eight-byte store past the last six decoded bytes spills.
	out := grow(dst, full+4)
	o := len(out)
	buf := out[o : o+full+4]
	t := &pybase64.URLSafeValues
	i, j := 0, 0
	for ; i+8 <= n; i, j = i+8, j+6 {
		s := src[i : i+8 : i+8]
		a, b, c, d := t[s[0]], t[s[1]], t[s[2]], t[s[3]]
		e, f, g, h := t[s[4]], t[s[5]], t[s[6]], t[s[7]]
		if a|b|c|d|e|f|g|h == 0xFF {
			return dst, false
		}
		v := uint64(a)<<58 | uint64(b)<<52 | uint64(c)<<46 | uint64(d)<<40 |
			uint64(e)<<34 | uint64(f)<<28 | uint64(g)<<22 | uint64(h)<<16
		binary.BigEndian.PutUint64(buf[j:j+8], v)
	}
	if i+4 <= n {
		a, b, c, d := t[src[i]], t[src[i+1]], t[src[i+2]], t[src[i+3]]
		if a|b|c|d == 0xFF {
			return dst, false
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		buf[j], buf[j+1], buf[j+2] = byte(v>>16), byte(v>>8), byte(v)
		i, j = i+4, j+3
	}
	switch n - i {
	case 2:
		a, b := t[src[i]], t[src[i+1]]
		if a|b == 0xFF || b&0x0F != 0 {
			return dst, false
		}
		buf[j] = a<<2 | b>>4
		j++
	case 3:
		a, b, c := t[src[i]], t[src[i+1]], t[src[i+2]]
		if a|b|c == 0xFF || c&0x03 != 0 {
			return dst, false
		}
		v := uint32(a)<<12 | uint32(b)<<6 | uint32(c)
		buf[j], buf[j+1] = byte(v>>10), byte(v>>2)
		j += 2
	}
	return out[:o+j], true
}

// appendTimestamp appends n as itsdangerous's int_to_bytes does: big-endian
// with the leading zero bytes removed (0 gives no bytes).
func appendTimestamp(dst []byte, n uint64) []byte {
	var b [8]byte
	i := 8
	for n > 0 {
		i--
		b[i] = byte(n)
		n >>= 8
	}
	return append(dst, b[i:]...)
}

// parseTimestamp is itsdangerous's bytes_to_int: up to eight big-endian
// bytes, left-padded with zeros; more than eight is malformed.
func parseTimestamp(b []byte) (uint64, bool) {
	if len(b) > 8 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	return n, true
}

// hasCRLF reports whether src holds a CR or an LF (two IndexByte scans are
// much faster than bytes.ContainsAny on short input).
func hasCRLF(src []byte) bool {
	return bytes.IndexByte(src, '\r') >= 0 || bytes.IndexByte(src, '\n') >= 0
}
