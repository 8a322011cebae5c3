package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// Flask's cookie defaults, in one place.
const (
	// DefaultCookieName is SESSION_COOKIE_NAME.
	DefaultCookieName = "session"
	// DefaultPath is the cookie path when SESSION_COOKIE_PATH is unset:
	// Flask's APPLICATION_ROOT, "/".
	DefaultPath = "/"
)

// ErrSaveFailed is matched by the error that the response writer's Write
// returns after the session could not be saved: the error handler has
// answered the request instead, and the handler's output is discarded.
var ErrSaveFailed = errors.New("session: session not saved, response replaced")

// An Option configures a Manager. The options mirror Flask's configuration
// keys; the session lifetime (PERMANENT_SESSION_LIFETIME), the secret key,
// its fallbacks and the clock belong to the codec.
type Option func(*Manager)

// WithCookieName sets SESSION_COOKIE_NAME (default "session").
func WithCookieName(name string) Option { return func(m *Manager) { m.name = name } }

// WithDomain sets SESSION_COOKIE_DOMAIN (default none: no Domain attribute).
// It must contain a dot, as Werkzeug requires, and is written as given
// (Werkzeug 2.2 keeps a leading dot; 2.3 and later drop it, which browsers
// ignore anyway). Flask 2.2's fallback to SERVER_NAME is not reproduced:
// set the domain explicitly.
func WithDomain(domain string) Option { return func(m *Manager) { m.domain = domain } }

// WithPath sets SESSION_COOKIE_PATH (default "/", Flask's APPLICATION_ROOT;
// an empty path means the default). Characters that Werkzeug would
// percent-encode are refused.
func WithPath(path string) Option { return func(m *Manager) { m.path = path } }

// WithHTTPOnly sets SESSION_COOKIE_HTTPONLY (default true).
func WithHTTPOnly(on bool) Option { return func(m *Manager) { m.httpOnly = on } }

// WithSecure sets SESSION_COOKIE_SECURE (default false).
func WithSecure(on bool) Option { return func(m *Manager) { m.secure = on } }

// WithSameSite sets SESSION_COOKIE_SAMESITE: "" (the default, no attribute),
// or "Strict", "Lax" or "None" in any case, written title-cased as Werkzeug
// does. Anything else is refused by New (Flask raises ValueError when it
// saves).
func WithSameSite(mode string) Option { return func(m *Manager) { m.sameSite = mode } }

// WithPartitioned sets SESSION_COOKIE_PARTITIONED (Flask 3.1; default
// false): the cookie gets the Partitioned attribute, and Secure, which
// Werkzeug 3.1 forces with it.
func WithPartitioned(on bool) Option { return func(m *Manager) { m.partitioned = on } }

// WithRefreshEachRequest sets SESSION_REFRESH_EACH_REQUEST (default true):
// a permanent session's cookie is set again on every response, with a new
// timestamp and Expires, even when the session did not change.
func WithRefreshEachRequest(on bool) Option { return func(m *Manager) { m.refresh = on } }

// WithErrorHandler sets what answers a request whose session cannot be
// saved (a value Flask's session cannot hold, or a cookie over the codec's
// size limit). It is called before anything of the handler's response is
// written, with the handler's headers removed. The default answers 500
// Internal Server Error, as Flask does.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(m *Manager) { m.onError = h }
}

// A Manager loads Flask sessions from requests and saves them in
// responses, as Flask's SecureCookieSessionInterface does. Its Handler
// method is the middleware. A Manager is immutable and safe for concurrent
// use.
type Manager struct {
	codec       codec.SessionCodec
	name        string
	domain      string
	path        string
	httpOnly    bool
	secure      bool
	sameSite    string
	partitioned bool
	refresh     bool
	onError     func(http.ResponseWriter, *http.Request, error)

	// star, for a Manager made by NewStarlette, switches Load and Save to
	// Starlette's rules and headers (starlette.go).
	star *starletteRules

	// Werkzeug's Set-Cookie attributes around Expires, precomputed.
	before string // "; Domain=..."
	after  string // "; Secure; HttpOnly; Path=/; SameSite=Lax; Partitioned"
	delete string // the whole deletion cookie
}

// New returns a Manager for the sessions that c reads and writes, with
// Flask's defaults changed by opts. c is a signed codec (codec.New), as
// Flask's default session interface uses, or a sealed one
// (codec.NewSealed). It refuses a cookie name, domain,
// path or SameSite value that Werkzeug would refuse or rewrite, or that
// net/http considers invalid.
func New(c codec.SessionCodec, opts ...Option) (*Manager, error) {
	if c == nil {
		return nil, fmt.Errorf("session: nil codec: %w", itsdangerous.ErrConfig)
	}
	m := &Manager{codec: c, name: DefaultCookieName, path: DefaultPath, httpOnly: true, refresh: true}
	for _, o := range opts {
		o(m)
	}
	if m.path == "" {
		m.path = DefaultPath
	}
	if m.onError == nil {
		m.onError = defaultOnError
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	m.precompute()
	return m, nil
}

func defaultOnError(w http.ResponseWriter, _ *http.Request, _ error) {
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}

func (m *Manager) validate() error {
	bad := func(what, v string) error {
		return fmt.Errorf("session: invalid %s %q: %w", what, v, itsdangerous.ErrConfig)
	}
	if (&http.Cookie{Name: m.name}).Valid() != nil {
		return bad("cookie name", m.name)
	}
	if m.domain != "" {
		if !strings.Contains(m.domain, ".") || strings.ContainsAny(m.domain, ":\"") ||
			(&http.Cookie{Name: m.name, Domain: m.domain}).Valid() != nil {
			return bad("cookie domain", m.domain)
		}
	}
	if m.path[0] != '/' {
		return bad("cookie path", m.path)
	}
	for i := 0; i < len(m.path); i++ {
		if !pathByte(m.path[i]) {
			return bad("cookie path", m.path)
		}
	}
	switch strings.ToLower(m.sameSite) {
	case "":
	case "strict":
		m.sameSite = "Strict"
	case "lax":
		m.sameSite = "Lax"
	case "none":
		m.sameSite = "None"
	default:
		return bad("SameSite", m.sameSite)
	}
	if m.partitioned {
		m.secure = true
	}
	return nil
}

// pathByte reports whether Werkzeug's iri_to_uri leaves c as it is in a
// path and net/http allows it in a cookie path (checked with Werkzeug
// 2.2.2: letters, digits and !$%&'()*+,-./:=@[]_~; ';' is refused).
func pathByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!$%&'()*+,-./:=@[]_~", c) >= 0
}

// precompute builds the fixed parts of the Set-Cookie header, in
// Werkzeug's attribute order: Domain, Expires, Max-Age, Secure, HttpOnly,
// Path, SameSite, Partitioned.
func (m *Manager) precompute() {
	if m.domain != "" {
		m.before = "; Domain=" + m.domain
	}
	var b strings.Builder
	if m.secure {
		b.WriteString("; Secure")
	}
	if m.httpOnly {
		b.WriteString("; HttpOnly")
	}
	b.WriteString("; Path=")
	b.WriteString(m.path)
	if m.sameSite != "" {
		b.WriteString("; SameSite=")
		b.WriteString(m.sameSite)
	}
	if m.partitioned {
		b.WriteString("; Partitioned")
	}
	m.after = b.String()
	m.delete = m.name + "=" + m.before + "; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0" + m.after
}

// CookieName returns the name of the session cookie.
func (m *Manager) CookieName() string { return m.name }

// Codec returns the codec the Manager reads and writes cookies with.
func (m *Manager) Codec() codec.SessionCodec { return m.codec }

// Load reads the session from r's cookie, as Flask's open_session does.
// A missing or empty cookie, and one that is tampered with, signed with an
// unknown key, expired or signed in the future, give an empty session.
// So does a verified cookie whose payload cannot be loaded, where Flask
// would fail the request. Load never fails. A Manager made by
// NewStarlette loads as Starlette does instead.
func (m *Manager) Load(r *http.Request) *Session {
	if m.star != nil {
		return m.star.load(r)
	}
	c, err := r.Cookie(m.name)
	if err != nil || c.Value == "" {
		return newSession(nil)
	}
	var data map[string]any
	if _, err := m.codec.Decode(c.Value, &data); err != nil {
		return newSession(nil)
	}
	return newSession(data)
}

// Save writes the session into the response headers h exactly as Flask's
// save_session does:
//
//   - Vary: Cookie when the session was accessed, merged with the Vary
//     values already there;
//   - when the session is empty: if modified, a cookie that deletes it
//     (with the same attributes) and Vary: Cookie; nothing else;
//   - when it was modified, or is permanent and refreshed on each request:
//     the cookie, with Expires (now plus the lifetime) only when permanent,
//     and Vary: Cookie.
//
// It fails, writing nothing, when the session cannot be encoded. Handler
// calls it; call it directly only when not using Handler. A Manager made
// by NewStarlette saves by Starlette's rules instead (see NewStarlette).
func (m *Manager) Save(h http.Header, s *Session) error {
	if m.star != nil {
		return m.star.save(h, s)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.data) == 0 {
		if s.accessed || s.modified {
			addVaryCookie(h)
		}
		if s.modified {
			h.Add("Set-Cookie", m.delete)
		}
		return nil
	}
	permanent := truthy(s.data[PermanentKey])
	if !s.modified && !(permanent && m.refresh) {
		if s.accessed {
			addVaryCookie(h)
		}
		return nil
	}
	now := m.codec.Now()
	value, err := m.codec.EncodeAt(s.data, now)
	if err != nil {
		return fmt.Errorf("session: saving: %w", err)
	}
	if err := (&http.Cookie{Name: m.name, Value: value}).Valid(); err != nil {
		return fmt.Errorf("session: saving: %w", err)
	}
	var b strings.Builder
	b.Grow(len(m.name) + 1 + len(value) + len(m.before) + len(m.after) + 40)
	b.WriteString(m.name)
	b.WriteByte('=')
	b.WriteString(value)
	b.WriteString(m.before)
	if permanent {
		b.WriteString("; Expires=")
		b.WriteString(now.Add(m.codec.Lifetime()).UTC().Format(http.TimeFormat))
	}
	b.WriteString(m.after)
	addVaryCookie(h)
	h.Add("Set-Cookie", b.String())
	return nil
}

// addVaryCookie adds Cookie to the Vary header, as Werkzeug's
// response.vary.add("Cookie"): nothing changes when Cookie is already
// listed (in any case); otherwise the values are joined into one header
// with Cookie last. Werkzeug reads only the first Vary header; here every
// one is kept.
func addVaryCookie(h http.Header) {
	old := h.Values("Vary")
	var items []string
	for _, line := range old {
		for _, it := range strings.Split(line, ",") {
			it = strings.TrimSpace(it)
			if it == "" {
				continue
			}
			if strings.EqualFold(it, "Cookie") {
				return
			}
			items = append(items, it)
		}
	}
	h.Set("Vary", strings.Join(append(items, "Cookie"), ", "))
}

type contextKey struct{}

// NewContext returns a copy of ctx carrying s, where FromContext finds it.
// Handler does this for every request; tests of handlers can do it too.
func NewContext(ctx context.Context, s *Session) context.Context {
	return context.WithValue(ctx, contextKey{}, s)
}

// FromContext returns the session that Handler (or NewContext) stored in
// ctx, or nil if there is none.
func FromContext(ctx context.Context) *Session {
	s, _ := ctx.Value(contextKey{}).(*Session)
	return s
}

// FromRequest returns the session of r, or nil if r did not go through a
// Manager's Handler.
func FromRequest(r *http.Request) *Session { return FromContext(r.Context()) }
