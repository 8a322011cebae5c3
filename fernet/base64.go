package fernet

import (
	"encoding/base64"
	"errors"
	"strings"
)

// errBase64 is the cause of an invalid token or key whose base64 cannot be
// read; callers never see it except through ErrInvalidToken or
// ErrInvalidKey.
var errBase64 = errors.New("fernet: invalid base64")

// urlsafe maps a byte to its 6-bit value, or 0xff for a byte that is
// skipped. Python's urlsafe_b64decode translates '-' and '_' to '+' and '/'
// before decoding, so both spellings are accepted.
var urlsafe = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// decodePython appends to dst the bytes of s as Python's
// base64.urlsafe_b64decode(s) reads a str s (CPython 3.11,
// binascii.a2b_base64 with strict_mode off):
//
//   - a non-ASCII character fails (Python raises ValueError);
//   - '-' '_' and '+' '/' are both accepted;
//   - every other byte outside the alphabet is skipped, '=' included until
//     two or three data characters of a group are read;
//   - a complete padding ends the input: what follows is ignored;
//   - a group left with one data character, or with two or three and no
//     complete padding, fails ("Incorrect padding");
//   - non-zero trailing bits are ignored.
//
// Unlike itsdangerous, Fernet adds no padding before decoding.
func decodePython(dst []byte, s string) ([]byte, error) {
	var quad, pads int
	var left byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return dst, errBase64
		}
		if c == '=' {
			if quad >= 2 {
				pads++
				if quad+pads >= 4 {
					return dst, nil
				}
			}
			continue
		}
		v := urlsafe[c]
		if v == 0xff {
			continue
		}
		pads = 0
		switch quad {
		case 0:
			quad, left = 1, v
		case 1:
			dst = append(dst, left<<2|v>>4)
			quad, left = 2, v&0x0f
		case 2:
			dst = append(dst, left<<4|v>>2)
			quad, left = 3, v&0x03
		case 3:
			dst = append(dst, left<<6|v)
			quad, left = 0, 0
		}
	}
	if quad != 0 {
		return dst, errBase64
	}
	return dst, nil
}

// decodeStrict accepts only the canonical encoding: the URL-safe alphabet,
// padded to a multiple of four, zero trailing bits, nothing else.
func decodeStrict(s string) ([]byte, error) {
	// encoding/base64 skips '\r' and '\n' even in strict mode.
	if len(s)%4 != 0 || strings.ContainsAny(s, "\r\n") {
		return nil, errBase64
	}
	b, err := base64.URLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, errBase64
	}
	return b, nil
}

// decode reads a token or key with Python's leniency, or strictly.
func decode(s string, strict bool) ([]byte, error) {
	if strict {
		return decodeStrict(s)
	}
	return decodePython(make([]byte, 0, len(s)/4*3+3), s)
}
