package flasklogin

import (
	"crypto/sha512"
	"encoding/hex"
	"net"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Identifier returns the session identifier of r, as Flask-Login's
// _create_identifier computes it and stores it in the session under "_id":
// the hex SHA-512 of "<address>|<user agent>", where each part is the
// Python repr of the header's bytes (b'127.0.0.1'), or None when absent.
//
// The address is the first comma-separated element of the first
// X-Forwarded-For header, stripped of whitespace, when the request has
// that header (even empty); otherwise it is the host part of
// r.RemoteAddr, Werkzeug's REMOTE_ADDR. Put a proxy that sets
// X-Forwarded-For in front of both apps, or neither, or the two sides see
// different addresses. Header bytes are taken as Latin-1 characters and
// encoded in UTF-8, as Werkzeug's WSGI headers are.
func Identifier(r *http.Request) string {
	var b strings.Builder
	if v, ok := r.Header["X-Forwarded-For"]; ok && len(v) > 0 {
		a := latin1ToUTF8(v[0])
		if i := strings.IndexByte(a, ','); i >= 0 {
			a = a[:i]
		}
		pyBytesRepr(&b, strings.Trim(a, " \t\n\r\v\f"))
	} else if r.RemoteAddr != "" {
		host := r.RemoteAddr
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		pyBytesRepr(&b, latin1ToUTF8(host))
	} else {
		b.WriteString("None")
	}
	b.WriteByte('|')
	if v, ok := r.Header["User-Agent"]; ok && len(v) > 0 {
		// Werkzeug's server joins repeated headers with ",".
		pyBytesRepr(&b, latin1ToUTF8(strings.Join(v, ",")))
	} else {
		b.WriteString("None")
	}
	sum := sha512.Sum512([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// latin1ToUTF8 reads each byte of s as a Latin-1 character and encodes the
// result in UTF-8.
func latin1ToUTF8(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	out := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		out = utf8.AppendRune(out, rune(s[i]))
	}
	return string(out)
}

// pyBytesRepr writes Python's repr of the bytes s.
func pyBytesRepr(b *strings.Builder, s string) {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	const hexd = "0123456789abcdef"
	b.WriteByte('b')
	b.WriteByte(q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			b.WriteString(`\x`)
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(q)
}
