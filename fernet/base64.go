package fernet

import (
	"encoding/base64"
	"errors"
	"strings"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
)

// errBase64 is the cause of an invalid token or key whose base64 cannot be
// read; callers never see it except through ErrInvalidToken or
// ErrInvalidKey.
var errBase64 = errors.New("fernet: invalid base64")

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
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return dst, errBase64
		}
	}
	out, err := pybase64.DecodeURLSafeAsGiven(dst, []byte(s))
	if err != nil {
		return out, errBase64
	}
	return out, nil
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
