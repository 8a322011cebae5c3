package starlette

import (
	"bytes"
	"encoding/binary"
	"errors"
	"unicode/utf8"
)

var errUnicode = errors.New("cannot decode the JSON bytes")

// jsonText turns the bytes Starlette hands to json.loads into the UTF-8
// text pyjson reads, as json.loads(bytes) does: it detects UTF-8 (with or
// without a byte order mark), UTF-16 and UTF-32 from the first bytes
// (json.detect_encoding) and decodes with errors="surrogatepass", so lone
// surrogates are kept. pyjson accepts only valid UTF-8, so each surrogate
// is written as a \uXXXX escape, which is the same str inside a JSON string
// and the same syntax error outside one. One difference remains: two raw
// surrogates that form a pair stay two code points in Python but combine
// when escaped. Starlette never writes raw non-ASCII bytes (its JSON is
// ASCII), so only the holder of the key can make such a cookie.
func jsonText(b []byte) ([]byte, error) {
	var runes func(yield func(r rune) bool) error
	switch {
	case bytes.HasPrefix(b, []byte{0, 0, 0xfe, 0xff}):
		runes = utf32(b[4:], binary.BigEndian)
	case bytes.HasPrefix(b, []byte{0xff, 0xfe, 0, 0}):
		runes = utf32(b[4:], binary.LittleEndian)
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		runes = utf16(b[2:], binary.BigEndian)
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		runes = utf16(b[2:], binary.LittleEndian)
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		runes = utf8Surrogates(b[3:])
	case len(b) >= 4 && b[0] == 0 && b[1] != 0:
		runes = utf16(b, binary.BigEndian)
	case len(b) >= 4 && b[0] == 0:
		runes = utf32(b, binary.BigEndian)
	case len(b) >= 4 && b[1] == 0 && (b[2] != 0 || b[3] != 0):
		runes = utf16(b, binary.LittleEndian)
	case len(b) >= 4 && b[1] == 0:
		runes = utf32(b, binary.LittleEndian)
	case len(b) == 2 && b[0] == 0:
		runes = utf16(b, binary.BigEndian)
	case len(b) == 2 && b[1] == 0:
		runes = utf16(b, binary.LittleEndian)
	default:
		if utf8.Valid(b) {
			return b, nil
		}
		runes = utf8Surrogates(b)
	}
	out := make([]byte, 0, len(b))
	backslashes := 0
	err := runes(func(r rune) bool {
		if r >= 0xd800 && r <= 0xdfff {
			if backslashes%2 == 1 {
				// "\" then a surrogate is an invalid escape in
				// Python; escaping the surrogate would make it a
				// valid "\\".
				return false
			}
			const hex = "0123456789abcdef"
			out = append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
			backslashes = 0
			return true
		}
		if r == '\\' {
			backslashes++
		} else {
			backslashes = 0
		}
		out = utf8.AppendRune(out, r)
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// utf8Surrogates decodes UTF-8 as Python's "surrogatepass" does: the
// three-byte encodings of U+D800..U+DFFF are accepted.
func utf8Surrogates(b []byte) func(func(rune) bool) error {
	return func(yield func(rune) bool) error {
		for len(b) > 0 {
			if len(b) >= 3 && b[0] == 0xed && b[1] >= 0xa0 && b[1] <= 0xbf && b[2] >= 0x80 && b[2] <= 0xbf {
				if !yield(rune(b[1]&0x3f)<<6 | rune(b[2]&0x3f) | 0xd000) {
					return errUnicode
				}
				b = b[3:]
				continue
			}
			r, n := utf8.DecodeRune(b)
			if r == utf8.RuneError && n <= 1 {
				return errUnicode
			}
			if !yield(r) {
				return errUnicode
			}
			b = b[n:]
		}
		return nil
	}
}

// utf16 decodes UTF-16 with "surrogatepass": pairs combine, lone
// surrogates are kept.
func utf16(b []byte, order binary.ByteOrder) func(func(rune) bool) error {
	return func(yield func(rune) bool) error {
		if len(b)%2 != 0 {
			return errUnicode
		}
		for i := 0; i < len(b); i += 2 {
			r := rune(order.Uint16(b[i:]))
			if r >= 0xd800 && r <= 0xdbff && i+4 <= len(b) {
				if lo := rune(order.Uint16(b[i+2:])); lo >= 0xdc00 && lo <= 0xdfff {
					r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
					i += 2
				}
			}
			if !yield(r) {
				return errUnicode
			}
		}
		return nil
	}
}

// utf32 decodes UTF-32 with "surrogatepass".
func utf32(b []byte, order binary.ByteOrder) func(func(rune) bool) error {
	return func(yield func(rune) bool) error {
		if len(b)%4 != 0 {
			return errUnicode
		}
		for i := 0; i < len(b); i += 4 {
			r := order.Uint32(b[i:])
			if r > 0x10ffff || !yield(rune(r)) {
				return errUnicode
			}
		}
		return nil
	}
}
