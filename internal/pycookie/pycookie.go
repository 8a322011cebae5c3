// Package pycookie holds the pieces of Python's own text handling that the
// Cookie header parsers of Werkzeug and Starlette share: str.strip over a
// header decoded as latin-1, and http.cookies' unquoting. A header is taken
// one character per byte, as WSGI and ASGI servers give it to Python.
package pycookie

import (
	"strings"
	"unicode/utf8"
)

// Strip is Python's str.strip for a latin-1 string: it removes the
// characters whose str.isspace is true (\t \n \v \f \r, U+001C..U+001F,
// space, U+0085, U+00A0), one byte each, from both ends.
func Strip(s string) string {
	for len(s) > 0 && IsSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && IsSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// IsSpace reports whether the latin-1 character b is white space for
// Python's str.isspace.
func IsSpace(b byte) bool {
	return b >= '\t' && b <= '\r' || b >= 0x1c && b <= 0x20 || b == 0x85 || b == 0xa0
}

// Unquote is http.cookies._unquote: a value that starts and ends with '"'
// loses its quotes and its backslash escapes (\ooo with a first digit of
// 0 to 3 is that character, and a backslash before any other character
// but a newline is dropped); any other value is returned as it is. It
// allocates only for a quoted value with a backslash.
func Unquote(v string) string {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return v
	}
	v = v[1 : len(v)-1]
	if strings.IndexByte(v, '\\') < 0 {
		return v
	}
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		ch := v[i]
		if ch != '\\' || i+1 >= len(v) {
			b = append(b, ch)
			continue
		}
		if i+3 < len(v) && v[i+1] >= '0' && v[i+1] <= '3' && isOctal(v[i+2]) && isOctal(v[i+3]) {
			b = append(b, (v[i+1]-'0')<<6|(v[i+2]-'0')<<3|(v[i+3]-'0'))
			i += 3
			continue
		}
		if v[i+1] == '\n' {
			b = append(b, ch)
			continue
		}
		b = append(b, v[i+1])
		i++
	}
	return string(b)
}

func isOctal(b byte) bool { return b >= '0' && b <= '7' }

// Latin1ToUTF8 returns the UTF-8 encoding of s read as latin-1 text (one
// character per byte), what Python's s.encode("utf-8") gives for a str
// decoded from those bytes as latin-1. ASCII text is returned as it is.
func Latin1ToUTF8(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+n)
	for i := 0; i < len(s); i++ {
		b = utf8.AppendRune(b, rune(s[i]))
	}
	return string(b)
}
