package session

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/werkzeug"
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

// WithDomain sets SESSION_COOKIE_DOMAIN (default none: no Domain
// attribute). It is written as Werkzeug writes it. By default (Werkzeug
// 3.1) a port is cut off and a leading dot dropped, so ".example.com" and
// "example.com:8080" give Domain=example.com, and a name without a dot
// such as "localhost" is accepted. Under WithFlaskVersion(Flask22)
// (Werkzeug 2.2) a port is cut off too, a leading dot is kept, and a name
// without a dot is refused, as Werkzeug 2.2 refuses it. A non-ASCII name is
// refused (give its ASCII "xn--" form), and so is one that Werkzeug would
// fail on or that is not a valid cookie domain. Flask 2.2's fallback to
// SERVER_NAME is not reproduced: set the domain explicitly.
func WithDomain(domain string) Option { return func(m *Manager) { m.domain = domain } }

// WithPath sets SESSION_COOKIE_PATH (default "/", Flask's APPLICATION_ROOT;
// an empty path means the default). It must start with "/" and be valid
// UTF-8, and is percent-encoded as Werkzeug does: by default as Werkzeug
// 3.1's dump_cookie (everything but letters, digits and
// -._~%!$&'()*+,/:=@ is encoded, so "[", "]", ";", a space or "é" become
// %5B, %5D, %3B, %20, %C3%A9), and under WithFlaskVersion(Flask22) as
// Werkzeug 2.2's iri_to_uri (which also keeps ?#[]; as they are; a path
// that would keep a ";" is refused, since it would end the Path attribute).
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

// WithLogger sets the logger through which the Manager reports a session
// that could not be saved (too large, or holding a value Flask cannot
// hold), which otherwise shows only as a 500 answer. The default is
// slog.Default(). The record names the cookie and, for a session over the
// size limit, its largest top-level key (by encoded size), quoted with
// strconv.Quote so that the bytes of a key name cannot forge log lines.
func WithLogger(l *slog.Logger) Option { return func(m *Manager) { m.logger = l } }

// A FlaskVersion selects the Flask and Werkzeug release whose behaviour a
// Manager reproduces where releases differ: which session operations
// count as an access (and so send Vary: Cookie), and how the Domain and
// Path attributes of the cookie are written. See WithFlaskVersion.
type FlaskVersion int

const (
	// Flask22 is Flask 2.2 with Werkzeug 2.2 (Debian 12's 2.2.2, or
	// 2.2.5 and later with the CVE-2023-30861 fix): only Get, GetAs,
	// SetDefault, Permanent and changes mark the session accessed; a
	// leading dot of the domain is kept, a domain without a dot is
	// refused, and the path is quoted as Werkzeug 2.2's iri_to_uri.
	Flask22 FlaskVersion = iota + 1
	// Flask31 is Flask 3.1 with Werkzeug 3.1, as patched for
	// CVE-2026-27205 (Flask 3.1.3, Debian 13's 3.1.1+deb13u1): any use
	// of the session marks it accessed, and the domain and path are
	// written as Werkzeug 3.1's dump_cookie writes them. It is the
	// default.
	Flask31
)

// DefaultFlaskVersion is the release a Manager follows unless
// WithFlaskVersion says otherwise: the current one.
const DefaultFlaskVersion = Flask31

// String returns "Flask 2.2" or "Flask 3.1".
func (v FlaskVersion) String() string {
	switch v {
	case Flask22:
		return "Flask 2.2"
	case Flask31:
		return "Flask 3.1"
	}
	return fmt.Sprintf("FlaskVersion(%d)", int(v))
}

// WithFlaskVersion makes the Manager behave as the given Flask release
// (default DefaultFlaskVersion, Flask31). Use Flask22 beside an app on
// Flask 2.2 for byte-identical headers; cookies are the same under both.
// Any other value is refused by New.
func WithFlaskVersion(v FlaskVersion) Option { return func(m *Manager) { m.version = v } }

// A Manager loads Flask sessions from requests and saves them in
// responses, as Flask's SecureCookieSessionInterface does. Its Handler
// method is the middleware. A Manager is immutable and safe for concurrent
// use.
type Manager struct {
	codec       codec.SessionCodec
	version     FlaskVersion
	logger      *slog.Logger
	name        string
	domain      string
	path        string
	httpOnly    bool
	secure      bool
	sameSite    string
	partitioned bool
	refresh     bool
	onError     func(http.ResponseWriter, *http.Request, error)

	// peek says that mayBePermanent can look into the codec's cookies.
	peek bool
	// cacheSize is WithDecodeCache's; cache is nil when it is off.
	cacheSize int
	cache     *decodeCache

	// star, for a Manager made by NewStarlette, switches Load and Save to
	// Starlette's rules and headers (starlette.go).
	star *starletteRules

	// cookie writes the Set-Cookie headers, as Werkzeug does.
	cookie werkzeug.CookieWriter
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
	m := &Manager{codec: c, version: DefaultFlaskVersion, name: DefaultCookieName, path: DefaultPath, httpOnly: true, refresh: true, cacheSize: DefaultDecodeCache}
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
	m.peek = peekable(c)
	m.cache = newDecodeCache(c, m.cacheSize)
	return m, nil
}

func defaultOnError(w http.ResponseWriter, _ *http.Request, _ error) {
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}

func (m *Manager) validate() error {
	bad := func(what, v string) error {
		return fmt.Errorf("session: invalid %s %q for %v: %w", what, v, m.version, itsdangerous.ErrConfig)
	}
	if m.version != Flask22 && m.version != Flask31 {
		return fmt.Errorf("session: unknown %v: %w", m.version, itsdangerous.ErrConfig)
	}
	if (&http.Cookie{Name: m.name}).Valid() != nil {
		return bad("cookie name", m.name)
	}
	if m.domain != "" {
		d, ok := cookieDomain(m.domain, m.version)
		if !ok || (&http.Cookie{Name: m.name, Domain: d}).Valid() != nil {
			return bad("cookie domain", m.domain)
		}
		m.domain = d
	}
	p, ok := cookiePath(m.path, m.version)
	if !ok || (&http.Cookie{Name: m.name, Path: p}).Valid() != nil {
		return bad("cookie path", m.path)
	}
	m.path = p
	ss, ok := werkzeug.SameSite(m.sameSite)
	if !ok {
		return bad("SameSite", m.sameSite)
	}
	m.sameSite = ss
	if m.partitioned {
		if m.version == Flask22 {
			// Flask 2.2 has no SESSION_COOKIE_PARTITIONED.
			return bad("setting", "Partitioned")
		}
		m.secure = true
	}
	if m.cacheSize < 0 {
		return bad("decode cache size", fmt.Sprint(m.cacheSize))
	}
	if m.logger == nil {
		m.logger = slog.Default()
	}
	return nil
}

// cookieDomain returns SESSION_COOKIE_DOMAIN as Werkzeug writes it in the
// Domain attribute, and false where Werkzeug would fail (or, for a
// non-ASCII name, where this package does not reproduce its IDNA
// encoding).
//
// Werkzeug 3.1: domain.partition(":")[0].lstrip(".").encode("idna"),
// whose ASCII path fails on an empty or over-long label. Werkzeug 2.2
// (_make_cookie_domain): the part before the first ":", which must
// contain a dot.
func cookieDomain(domain string, v FlaskVersion) (string, bool) {
	if !isASCII(domain) {
		return "", false
	}
	d, _, _ := strings.Cut(domain, ":")
	if v == Flask22 {
		return d, strings.Contains(d, ".")
	}
	d = strings.TrimLeft(d, ".")
	labels := strings.Split(d, ".")
	for i, l := range labels {
		if len(l) >= 64 || len(l) == 0 && i < len(labels)-1 {
			return "", false
		}
	}
	return d, d != ""
}

// cookiePath returns SESSION_COOKIE_PATH percent-encoded as Werkzeug
// writes it in the Path attribute, and false when it does not start with
// "/", is not UTF-8 (Python's str cannot hold it), or would keep a ";"
// (Werkzeug 2.2, which would write a broken header).
//
// Werkzeug 3.1: urllib.parse.quote(path, safe="%!$&'()*+,/:=@"). Werkzeug
// 2.2: iri_to_uri, whose url_quote keeps ":/?#[]@!$&'()*+,;=%" and
// "-._~" besides letters and digits (a network location after "//" is
// IDNA-encoded there, so such a path must be ASCII).
func cookiePath(path string, v FlaskVersion) (string, bool) {
	if path == "" || path[0] != '/' || !utf8.ValidString(path) {
		return "", false
	}
	safe := "-._~%!$&'()*+,/:=@"
	if v == Flask22 {
		if strings.HasPrefix(path, "//") && !isASCII(path) {
			return "", false
		}
		safe += "?#[];"
	}
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(safe, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	p := b.String()
	return p, !strings.Contains(p, ";")
}

const upperHex = "0123456789ABCDEF"

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// precompute prepares the writer of the Set-Cookie header, whose
// attributes come in Werkzeug's order: Domain, Expires, Max-Age, Secure,
// HttpOnly, Path, SameSite, Partitioned.
func (m *Manager) precompute() {
	m.cookie = werkzeug.NewCookieWriter(werkzeug.Cookie{
		Name: m.name, Domain: m.domain, Path: m.path, SameSite: m.sameSite,
		Secure: m.secure, HTTPOnly: m.httpOnly, Partitioned: m.partitioned,
	})
}

// CookieName returns the name of the session cookie.
func (m *Manager) CookieName() string { return m.name }

// Codec returns the codec the Manager reads and writes cookies with.
func (m *Manager) Codec() codec.SessionCodec { return m.codec }
