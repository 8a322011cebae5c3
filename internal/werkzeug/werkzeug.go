// Package werkzeug writes the few responses of Werkzeug that the Flask
// extension ports (flasklogin, csrf) answer with: the HTML error page of an
// HTTPException (abort(401), a CSRFError's 400), the body of
// werkzeug.utils.redirect, and the Set-Cookie header of
// Response.set_cookie and delete_cookie, which the session middleware
// writes too; and it reads the Cookie header as Werkzeug does
// (CookieValue). The bytes written are Werkzeug 2.2's and 3.1's, which
// agree on them given the same Domain and Path.
package werkzeug

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// escaper is markupsafe.escape, which Werkzeug uses for HTML text.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&#39;", `"`, "&#34;")

// Escape returns s escaped as markupsafe.escape escapes it.
func Escape(s string) string { return escaper.Replace(s) }

// ErrorPage is HTTPException.get_body: the HTML page of an error with
// status code and description.
func ErrorPage(code int, description string) string {
	name := Escape(http.StatusText(code))
	return "<!doctype html>\n<html lang=en>\n<title>" + strconv.Itoa(code) + " " + name + "</title>\n<h1>" + name +
		"</h1>\n<p>" + strings.ReplaceAll(Escape(description), "\n", "<br>") + "</p>\n"
}

// Error answers w as a Werkzeug HTTPException does: status code, the HTML
// page of ErrorPage, Content-Type text/html; charset=utf-8.
func Error(w http.ResponseWriter, code int, description string) {
	body := ErrorPage(code, description)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

// Redirect answers w as werkzeug.utils.redirect(location) does: 302 with
// Location (as given; location must be ASCII) and Werkzeug's HTML body.
func Redirect(w http.ResponseWriter, location string) {
	l := Escape(location)
	body := "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n" +
		"<p>You should be redirected automatically to the target URL: <a href=\"" + l + "\">" + l +
		"</a>. If not, click the link.\n"
	w.Header().Set("Location", location)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusFound)
	_, _ = w.Write([]byte(body))
}

// Cookie holds the arguments of Response.set_cookie that the session
// middleware and the extensions use. Values must already be valid for a
// cookie (see CookieValueOK), and Domain and Path written as Werkzeug
// writes them.
type Cookie struct {
	Name, Value, Domain, Path, SameSite string
	Expires                             time.Time // zero: no Expires
	Secure, HTTPOnly                    bool
	// Partitioned is Werkzeug 3.1's partitioned=True (Flask's
	// SESSION_COOKIE_PARTITIONED); Werkzeug 2.2 has no such argument.
	Partitioned bool
}

// SetCookie returns the Set-Cookie header of c, with Werkzeug's attributes
// in Werkzeug's order: Domain, Expires, Max-Age, Secure, HttpOnly, Path,
// SameSite, Partitioned.
func SetCookie(c Cookie) string {
	w := NewCookieWriter(c)
	if c.Expires.IsZero() {
		return w.Set(c.Value)
	}
	return w.SetExpires(c.Value, c.Expires)
}

// DeleteCookie returns the header of Response.delete_cookie(c.Name,
// domain=c.Domain, path=c.Path, secure=c.Secure, httponly=c.HTTPOnly,
// samesite=c.SameSite, partitioned=c.Partitioned).
func DeleteCookie(c Cookie) string {
	w := NewCookieWriter(c)
	return w.Delete()
}

// A CookieWriter writes the Set-Cookie headers of one cookie, whose
// attributes but the value and Expires are fixed: it builds the text
// around the value once. The zero CookieWriter is not usable; it is safe
// for concurrent use.
type CookieWriter struct {
	name   string
	before string // "; Domain=...", what comes between the value and Expires
	after  string // "; Secure; HttpOnly; Path=/; SameSite=Lax; Partitioned"
	delete string // the whole deletion header
}

// NewCookieWriter returns the writer of c's cookie (c.Value and c.Expires
// are not used).
func NewCookieWriter(c Cookie) CookieWriter {
	w := CookieWriter{name: c.Name}
	if c.Domain != "" {
		w.before = "; Domain=" + c.Domain
	}
	var b strings.Builder
	if c.Secure {
		b.WriteString("; Secure")
	}
	if c.HTTPOnly {
		b.WriteString("; HttpOnly")
	}
	b.WriteString("; Path=")
	b.WriteString(c.Path)
	if c.SameSite != "" {
		b.WriteString("; SameSite=")
		b.WriteString(c.SameSite)
	}
	if c.Partitioned {
		b.WriteString("; Partitioned")
	}
	w.after = b.String()
	w.delete = c.Name + "=" + w.before + "; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0" + w.after
	return w
}

// Set returns the header that sets the cookie to value, without Expires
// (a browser-session cookie), in one allocation.
func (w *CookieWriter) Set(value string) string { return w.set(value, time.Time{}, false) }

// SetExpires returns the header that sets the cookie to value with
// Expires (in UTC, as Werkzeug's http_date writes it), in one allocation.
func (w *CookieWriter) SetExpires(value string, expires time.Time) string {
	return w.set(value, expires, true)
}

func (w *CookieWriter) set(value string, expires time.Time, withExpires bool) string {
	var room [256]byte // most headers: one copy, into the string
	b := append(w.AppendName(room[:0]), value...)
	return string(w.AppendAttributes(b, expires, withExpires))
}

// AppendName appends the start of the header that sets the cookie, up to
// its value: the name and "=".
func (w *CookieWriter) AppendName(dst []byte) []byte {
	return append(append(dst, w.name...), '=')
}

// AppendAttributes appends the rest of the header after the value: the
// attributes, with Expires (in UTC) when withExpires is true. AppendName,
// the value and AppendAttributes make the header Set or SetExpires
// returns.
func (w *CookieWriter) AppendAttributes(dst []byte, expires time.Time, withExpires bool) []byte {
	dst = append(dst, w.before...)
	if withExpires {
		dst = append(dst, "; Expires="...)
		dst = expires.UTC().AppendFormat(dst, http.TimeFormat)
	}
	return append(dst, w.after...)
}

// Delete returns the header that deletes the cookie, as
// Response.delete_cookie writes it: an empty value, Expires at the epoch
// and Max-Age=0, with the same attributes.
func (w *CookieWriter) Delete() string { return w.delete }

// CookieValueOK reports whether Werkzeug 2.2 and 3.1 both write v as it is,
// without quoting: letters, digits and !#$%&'*+-.^_`|~: (the characters
// both versions leave alone).
func CookieValueOK(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~:", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// SameSite returns mode title-cased as Werkzeug writes it, and whether it
// is one Werkzeug accepts ("" for none, Strict, Lax, None in any case).
func SameSite(mode string) (string, bool) {
	switch strings.ToLower(mode) {
	case "":
		return "", true
	case "strict":
		return "Strict", true
	case "lax":
		return "Lax", true
	case "none":
		return "None", true
	}
	return "", false
}

// TokenOK reports whether name is a cookie name net/http and Werkzeug
// accept: a non-empty RFC 7230 token.
func TokenOK(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}
