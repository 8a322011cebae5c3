// Package werkzeug writes the few responses of Werkzeug that the Flask
// extension ports (flasklogin, csrf) answer with: the HTML error page of an
// HTTPException (abort(401), a CSRFError's 400), the body of
// werkzeug.utils.redirect, and the Set-Cookie header of
// Response.set_cookie and delete_cookie. The bytes are Werkzeug 2.2's and
// 3.1's, which agree on them.
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

// Cookie holds the arguments of Response.set_cookie that the extensions
// use. Values must already be valid for a cookie (see CookieValueOK).
type Cookie struct {
	Name, Value, Domain, Path, SameSite string
	Expires                             time.Time // zero: no Expires
	Secure, HTTPOnly                    bool
}

// SetCookie returns the Set-Cookie header of c, with Werkzeug's attributes
// in Werkzeug's order: Domain, Expires, Max-Age, Secure, HttpOnly, Path,
// SameSite.
func SetCookie(c Cookie) string {
	var b strings.Builder
	b.WriteString(c.Name)
	b.WriteByte('=')
	b.WriteString(c.Value)
	if c.Domain != "" {
		b.WriteString("; Domain=")
		b.WriteString(c.Domain)
	}
	if !c.Expires.IsZero() {
		b.WriteString("; Expires=")
		b.WriteString(c.Expires.UTC().Format(http.TimeFormat))
	}
	writeTail(&b, c)
	return b.String()
}

// DeleteCookie returns the header of Response.delete_cookie(c.Name,
// domain=c.Domain, path=c.Path, secure=c.Secure, httponly=c.HTTPOnly,
// samesite=c.SameSite).
func DeleteCookie(c Cookie) string {
	var b strings.Builder
	b.WriteString(c.Name)
	b.WriteByte('=')
	if c.Domain != "" {
		b.WriteString("; Domain=")
		b.WriteString(c.Domain)
	}
	b.WriteString("; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0")
	writeTail(&b, c)
	return b.String()
}

func writeTail(b *strings.Builder, c Cookie) {
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
}

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
