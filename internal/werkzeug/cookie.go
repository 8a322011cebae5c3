package werkzeug

import (
	"strings"

	"github.com/flaskcookie/flaskcookie/internal/pycookie"
)

// A Version selects the Werkzeug release whose rules apply where
// releases differ.
type Version int

const (
	// V22 is Werkzeug 2.2 (Flask 2.2).
	V22 Version = iota + 1
	// V31 is Werkzeug 3.1 (Flask 3.1).
	V31
)

// CookieValue returns the value of the first cookie called name in the
// Cookie header lines of a request, and whether there is one: what
// request.cookies.get(name) returns in Werkzeug v, with the lines joined
// by ";" as Werkzeug joins them. It allocates only for several lines, or
// a quoted value with backslash escapes.
//
// Werkzeug 3.1 (sansio/http.py parse_cookie) takes the header as WSGI
// gives it, one character per byte (latin-1), and finds every match of
//
//	([^=;]*)(?:\s*=\s*("(?:[^\\"]|\\.)*"|.*?))?\s*;\s*
//
// in it plus ";", skipping what does not match; it strips both the key and
// the value of white space (str.strip: ASCII's, U+001C..U+001F, U+0085
// and U+00A0, each one byte here), skips empty keys, and
// unquotes a value that starts and ends with '"' (backslash escapes,
// \ooo octal ones included). Werkzeug 2.2 (_internal.py
// _cookie_parse_impl) works on the bytes: the same pattern without the
// final \s*, matched where the previous match ended and stopping at the
// first place where it does not match; only the key is stripped, of
// ASCII white space. In both, "." does not match a newline and \s is
// ASCII white space.
//
// A key or value holding bytes that are not ASCII is returned as its
// bytes, where Werkzeug holds decoded text (latin-1 in 3.1, UTF-8 in 2.2
// and in 3.1's unquoted values); no cookie of this module's formats holds
// such bytes, so the difference cannot change a session.
func CookieValue(lines []string, name string, v Version) (string, bool) {
	var line string
	switch len(lines) {
	case 0:
		return "", false
	case 1:
		line = lines[0]
	default:
		line = strings.Join(lines, ";")
	}
	sc := cookieScanner{s: line, v: v}
	for {
		key, val, ok := sc.next()
		if !ok {
			return "", false
		}
		if key == name {
			return pycookie.Unquote(val), true
		}
	}
}

// cookiePairs returns every (key, value) pair of the header line as
// Werkzeug v parses it, for tests.
func cookiePairs(line string, v Version) [][2]string {
	var out [][2]string
	sc := cookieScanner{s: line, v: v}
	for {
		key, val, ok := sc.next()
		if !ok {
			return out
		}
		out = append(out, [2]string{key, pycookie.Unquote(val)})
	}
}

// cookieScanner walks the cookie pairs of a header line. Position len(s)
// holds the ";" that Werkzeug appends.
type cookieScanner struct {
	s string
	i int
	v Version
}

// at returns the byte at j, with the appended ";" at len(s).
func (c *cookieScanner) at(j int) byte {
	if j < len(c.s) {
		return c.s[j]
	}
	return ';'
}

// isSpace is \s of Python's re for bytes, and for str with re.ASCII.
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

// next returns the next pair with a non-empty key: the key stripped, the
// value as matched (3.1: stripped too), not yet unquoted.
func (c *cookieScanner) next() (key, val string, ok bool) {
	for {
		// 2.2 matches while i < len(s); 3.1's findall can still match the
		// appended ";" alone, which gives an empty key, skipped.
		if c.i >= len(c.s) {
			return "", "", false
		}
		k0, k1, v0, v1, end, matched := c.match(c.i)
		if !matched {
			if c.v == V22 {
				c.i = len(c.s) // _cookie_parse_impl stops
				return "", "", false
			}
			c.i++ // findall tries the next position
			continue
		}
		c.i = end
		if c.v == V22 {
			key = strings.Trim(c.s[k0:k1], " \t\n\r\v\f")
			val = c.s[v0:v1]
		} else {
			key = pycookie.Strip(c.s[k0:k1])
			val = pycookie.Strip(c.s[v0:v1])
		}
		if key != "" {
			return key, val, true
		}
	}
}

// match matches the pattern at i and returns the key [k0,k1), the value
// [v0,v1) (empty without "=") and where the match ends. Offsets may reach
// len(s), the appended ";", which is never part of a key or value.
func (c *cookieScanner) match(i int) (k0, k1, v0, v1, end int, ok bool) {
	n := len(c.s) + 1
	// ([^=;]*), greedily: giving characters back never helps, since what
	// follows must start with "=" or ";" after white space.
	j := i
	for j < len(c.s) && c.s[j] != '=' && c.s[j] != ';' {
		j++
	}
	k0, k1 = i, j
	if c.at(j) == ';' {
		return k0, k1, j, j, c.tail(j + 1), true
	}
	// "=": (?:\s*=\s*(value))? then \s*;
	vs := j + 1
	for vs < n && isSpace(c.at(vs)) {
		vs++
	}
	if c.at(vs) == '"' {
		// "(?:[^\\"]|\\.)*" then \s*;
		q, closed := vs+1, false
		for q < n {
			b := c.at(q)
			if b == '"' {
				closed = true
				break
			}
			if b == '\\' {
				if q+1 >= n || c.at(q+1) == '\n' {
					break
				}
				q += 2
				continue
			}
			q++
		}
		if closed {
			e := q + 1
			for e < n && isSpace(c.at(e)) {
				e++
			}
			if c.at(e) == ';' {
				return k0, k1, vs, min(q+1, len(c.s)), c.tail(e + 1), true
			}
		}
	}
	// .*? then \s*; : up to the white space before the first ";", with no
	// newline in the value.
	p := len(c.s)
	if vs < len(c.s) {
		if k := strings.IndexByte(c.s[vs:], ';'); k >= 0 {
			p = vs + k
		}
	}
	e := p
	for e > vs && isSpace(c.at(e-1)) {
		e--
	}
	if strings.IndexByte(c.s[vs:min(e, len(c.s))], '\n') >= 0 {
		return 0, 0, 0, 0, 0, false
	}
	return k0, k1, vs, min(e, len(c.s)), c.tail(p + 1), true
}

// tail returns where a match ends whose ";" ends before j: 3.1's pattern
// takes the white space after it too.
func (c *cookieScanner) tail(j int) int {
	if c.v != V22 {
		for j < len(c.s) && isSpace(c.s[j]) {
			j++
		}
	}
	return j
}
