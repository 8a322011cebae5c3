package flasklogin

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/flaskcookie/flaskcookie/internal/werkzeug"
	"github.com/flaskcookie/flaskcookie/session"
)

// LoginRequired returns next behind Flask-Login's login_required: an
// OPTIONS request, and every request when WithLoginDisabled is on, goes
// through; a request without a logged-in user is answered by
// Unauthorized.
func (m *Manager) LoginRequired(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodOptions && !m.disabled {
			if _, ok := m.CurrentUser(r); !ok {
				m.Unauthorized(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// FreshLoginRequired returns next behind fresh_login_required: as
// LoginRequired, and a logged-in user whose login is not fresh (see
// LoginFresh) is answered by NeedsRefresh.
func (m *Manager) FreshLoginRequired(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodOptions && !m.disabled {
			if _, ok := m.CurrentUser(r); !ok {
				m.Unauthorized(w, r)
				return
			} else if !LoginFresh(r) {
				m.NeedsRefresh(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Unauthorized answers r as LoginManager.unauthorized does: the
// WithUnauthorizedHandler handler if set; else 401 Unauthorized (Werkzeug's
// page) without a login view; else it flashes the login message and
// redirects (302) to the login view with the requested URL in "next"
// (LoginURL), or in the session with WithUseSessionForNext.
func (m *Manager) Unauthorized(w http.ResponseWriter, r *http.Request) {
	m.refuse(w, r, m.unauthorized, m.loginView, m.loginCat, m.loginMsg)
}

// NeedsRefresh answers r as LoginManager.needs_refresh does: as
// Unauthorized, with the refresh view, message and handler.
func (m *Manager) NeedsRefresh(w http.ResponseWriter, r *http.Request) {
	m.refuse(w, r, m.needsRefresh, m.refreshView, m.refreshCat, m.refreshMsg)
}

func (m *Manager) refuse(w http.ResponseWriter, r *http.Request, h http.Handler, view, cat, msg string) {
	if h != nil {
		h.ServeHTTP(w, r)
		return
	}
	if view == "" {
		werkzeug.Error(w, http.StatusUnauthorized, "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.")
		return
	}
	s := session.FromRequest(r)
	if msg != "" && s != nil {
		s.Flash(cat, msg)
	}
	current := m.requestURL(r)
	if m.useSessionForNext && s != nil {
		s.Set(KeyID, Identifier(r))
		s.Set(KeyNext, makeNextParam(view, current))
		werkzeug.Redirect(w, m.LoginURL(view, ""))
		return
	}
	werkzeug.Redirect(w, m.LoginURL(view, current))
}

// requestURL is Werkzeug's request.url (before uri_to_iri, which only
// matters for %XX escapes of unreserved or non-ASCII bytes): scheme, Host,
// the decoded path and the raw query, quoted as Werkzeug 2.2 (with
// Flask-Login 0.6.2) or 3.1 (with 0.6.3) quotes them.
func (m *Manager) requestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	pathSafe, querySafe := "-._~/:$!'()*+,;", "-._~:&%=+$!*'(),;"
	if m.version == Version063 {
		pathSafe, querySafe = "-._~!$&'()*+,/:;=@%", "-._~!$&'()*+,/:;=?@%"
	}
	path := quote(latin1ToUTF8(strings.TrimLeft(r.URL.Path, "/")), pathSafe, false)
	query := quote(latin1ToUTF8(r.URL.RawQuery), querySafe, false)
	// uri_to_iri: 2.2 decodes the escapes of the characters it never
	// quotes; 3.1 all but controls, space, %, DEL and the part's
	// delimiters. Escapes of non-ASCII bytes are left (see the doc).
	keepPath, keepQuery := func(c byte) bool { return !always22(c) }, func(c byte) bool { return !always22(c) }
	if m.version == Version063 {
		keepPath = func(c byte) bool { return c <= ' ' || c == '%' || c == 0x7f || strings.IndexByte("/?#", c) >= 0 }
		keepQuery = func(c byte) bool { return c <= ' ' || c == '%' || c == 0x7f || strings.IndexByte("&=+#", c) >= 0 }
	}
	u := scheme + "://" + r.Host + "/" + unquoteASCII(path, keepPath)
	if query != "" {
		u += "?" + unquoteASCII(query, keepQuery)
	}
	return u
}

// always22 reports whether Werkzeug 2.2 never quotes c (its _always_safe).
func always22(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~$!'()*+,;", c) >= 0
}

// unquoteASCII decodes the %XX escapes of ASCII characters for which keep
// reports false.
func unquoteASCII(s string, keep func(byte) bool) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if c, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil && c < 0x80 && !keep(byte(c)) {
				b.WriteByte(byte(c))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// LoginURL returns Flask-Login's login_url(view, next_url=next): view (a
// URL) with next, shortened to its path and query when it is on the same
// host as view, in the "next" query parameter. Flask-Login 0.6.2 writes
// the query sorted and escaped by Werkzeug's url_encode (keeping
// $!'()*,; as they are); 0.6.3 keeps the order and escapes with
// urllib's urlencode (only _.-~ kept). An empty next returns view.
func (m *Manager) LoginURL(view, next string) string {
	if next == "" {
		return view
	}
	u, err := url.Parse(view)
	if err != nil {
		return view
	}
	pairs := parseQuery(u.RawQuery)
	value := makeNextParam(view, next)
	replaced := false
	out := pairs[:0]
	for _, p := range pairs {
		if p[0] == m.nextField {
			if replaced {
				continue
			}
			p[1], replaced = value, true
		}
		out = append(out, p)
	}
	if !replaced {
		out = append(out, [2]string{m.nextField, value})
	}
	quote := quotePlus063
	if m.version == Version062 {
		quote = quotePlus062
		sort.SliceStable(out, func(i, j int) bool {
			if out[i][0] != out[j][0] {
				return out[i][0] < out[j][0]
			}
			return out[i][1] < out[j][1]
		})
	}
	var b strings.Builder
	for i, p := range out {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(quote(p[0]))
		b.WriteByte('=')
		b.WriteString(quote(p[1]))
	}
	u.RawQuery = b.String()
	u.ForceQuery = false
	return u.String()
}

// makeNextParam is make_next_param: current without scheme and host (and
// fragment) when view has none, or the same ones.
func makeNextParam(view, current string) string {
	l, err1 := url.Parse(view)
	c, err2 := url.Parse(current)
	if err1 != nil || err2 != nil {
		return current
	}
	if (l.Scheme == "" || l.Scheme == c.Scheme) && (l.Host == "" || l.Host == c.Host) {
		rest := current
		if c.Scheme != "" {
			rest = rest[len(c.Scheme)+1:]
		}
		if strings.HasPrefix(rest, "//") {
			rest = rest[2:]
			if i := strings.IndexAny(rest, "/?#"); i >= 0 {
				rest = rest[i:]
			} else {
				rest = ""
			}
		}
		if i := strings.IndexByte(rest, '#'); i >= 0 {
			rest = rest[:i]
		}
		return rest
	}
	return current
}

// parseQuery splits a query into its pairs, in order, unescaping + and %XX.
func parseQuery(q string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(q, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		out = append(out, [2]string{k, v})
	}
	return out
}

func quotePlus062(s string) string { return quote(s, "-._~$!'()*,;", true) }
func quotePlus063(s string) string { return quote(s, "-._~", true) }

// quote escapes the bytes of s as %XX, except letters, digits and safe,
// and, when plus is set, writes a space as "+".
func quote(s, safe string, plus bool) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte(safe, c) >= 0:
			b.WriteByte(c)
		case c == ' ' && plus:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
		}
	}
	return b.String()
}
