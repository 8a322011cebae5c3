package starlette

import (
	"strconv"
	"strings"

	"github.com/flaskcookie/flaskcookie/internal/pycookie"
)

// Cookie holds the attributes of the session cookie, as SessionMiddleware
// writes them. Starlette builds the Set-Cookie header by hand, in lower
// case and in this order:
//
//	session=<value>; path=/; Max-Age=1209600; httponly; samesite=lax[; secure][; domain=example.com]
//
// HttpOnly is always set. The domain attribute exists from Starlette 0.32
// (SessionMiddleware's domain argument; 0.26 has none).
type Cookie struct {
	// Name is session_cookie.
	Name string
	// Path is path.
	Path string
	// MaxAge is max_age in seconds; 0 (max_age 0 or None) writes no
	// Max-Age attribute.
	MaxAge int
	// SameSite is same_site, written as given: "lax", "strict" or "none".
	SameSite string
	// Secure is https_only.
	Secure bool
	// Domain is domain (Starlette 0.32 and later), written as given; ""
	// writes no domain attribute.
	Domain string
}

// SetCookie returns the Set-Cookie header value that carries a session
// cookie value, byte for byte as Starlette writes it (0.26, and 0.46 with
// its domain argument).
func (c Cookie) SetCookie(value string) string {
	b := make([]byte, 0, len(c.Name)+len(value)+len(c.Path)+64)
	b = append(b, c.Name...)
	b = append(b, '=')
	b = append(b, value...)
	b = append(b, "; path="...)
	b = append(b, c.Path...)
	b = append(b, "; "...)
	if c.MaxAge != 0 {
		b = append(b, "Max-Age="...)
		b = strconv.AppendInt(b, int64(c.MaxAge), 10)
		b = append(b, "; "...)
	}
	return string(c.appendFlags(b))
}

// ClearCookie returns the Set-Cookie header value Starlette sends when a
// session that came in non-empty was cleared:
//
//	session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax
func (c Cookie) ClearCookie() string {
	b := make([]byte, 0, len(c.Name)+len(c.Path)+96)
	b = append(b, c.Name...)
	b = append(b, "=null; path="...)
	b = append(b, c.Path...)
	b = append(b, "; expires=Thu, 01 Jan 1970 00:00:00 GMT; "...)
	return string(c.appendFlags(b))
}

func (c Cookie) appendFlags(b []byte) []byte {
	b = append(b, "httponly; samesite="...)
	b = append(b, c.SameSite...)
	if c.Secure {
		b = append(b, "; secure"...)
	}
	if c.Domain != "" {
		b = append(b, "; domain="...)
		b = append(b, c.Domain...)
	}
	return b
}

// CookieValue returns the value of the cookie called name in a request's
// Cookie header lines, and whether there is one, as Starlette's
// SessionMiddleware reads it: request.cookies[name].encode("utf-8"). The
// rules are those of Starlette's cookie_parser (0.26 and 0.46 alike), which
// differ from net/http's Request.Cookie:
//
//   - only the first Cookie line counts (Headers.get);
//   - the line is split on every ";", quotes or not; a piece without "="
//     is a value with the empty name, and a piece is cut at its first "=";
//   - the name and the value are stripped of Python's white space (the
//     header is latin-1 text, so U+0085 and U+00A0 count), and a piece
//     with both empty is skipped;
//   - a value in double quotes is unquoted as http.cookies does
//     (backslash escapes, \ooo octal ones included);
//   - the last cookie of a name wins.
//
// The header's bytes are latin-1 characters: a byte of 0x80 or more comes
// back as its two-byte UTF-8 encoding, as it reaches Starlette's signer. It
// allocates only for such bytes and for a quoted value with a backslash.
func CookieValue(lines []string, name string) (string, bool) {
	if len(lines) == 0 {
		return "", false
	}
	value, found := "", false
	for rest := lines[0]; ; {
		chunk, tail, more := strings.Cut(rest, ";")
		key, val, eq := strings.Cut(chunk, "=")
		if !eq {
			key, val = "", chunk
		}
		key, val = pycookie.Strip(key), pycookie.Strip(val)
		if (key != "" || val != "") && pycookie.Latin1ToUTF8(key) == name {
			value, found = val, true
		}
		if !more {
			break
		}
		rest = tail
	}
	if !found {
		return "", false
	}
	return pycookie.Latin1ToUTF8(pycookie.Unquote(value)), true
}
