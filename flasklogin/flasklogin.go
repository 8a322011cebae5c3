package flasklogin

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/werkzeug"
)

// Flask-Login's defaults (flask_login/config.py), in one place.
const (
	// DefaultCookieName is REMEMBER_COOKIE_NAME.
	DefaultCookieName = "remember_token"
	// DefaultCookieDuration is REMEMBER_COOKIE_DURATION: 365 days.
	DefaultCookieDuration = 365 * 24 * time.Hour
	// DefaultCookiePath is REMEMBER_COOKIE_PATH.
	DefaultCookiePath = "/"
	// DefaultLoginMessage is LoginManager.login_message.
	DefaultLoginMessage = "Please log in to access this page."
	// DefaultRefreshMessage is LoginManager.needs_refresh_message.
	DefaultRefreshMessage = "Please reauthenticate to access this page."
	// DefaultMessageCategory is the category of both messages.
	DefaultMessageCategory = "message"
	// DefaultNextField is the query parameter of login_url.
	DefaultNextField = "next"
)

// The session keys Flask-Login writes (config.SESSION_KEYS).
const (
	KeyUserID          = "_user_id"
	KeyFresh           = "_fresh"
	KeyID              = "_id"
	KeyRemember        = "_remember"
	KeyRememberSeconds = "_remember_seconds"
	KeyNext            = "next"
)

// sessionKeys is config.SESSION_KEYS: what strong protection removes.
var sessionKeys = []string{KeyUserID, KeyRemember, KeyRememberSeconds, KeyID, KeyFresh, KeyNext}

// Protection is LoginManager.session_protection (SESSION_PROTECTION).
type Protection int

const (
	// ProtectionBasic (the default): a session whose identifier does not
	// match the request's is marked not fresh.
	ProtectionBasic Protection = iota
	// ProtectionStrong: such a session (unless permanent) loses its login
	// and the remember cookie is deleted.
	ProtectionStrong
	// ProtectionNone: no check (session_protection = None).
	ProtectionNone
)

// Version selects the Flask-Login release whose observable behaviour
// differs: only login_url's query string does (see LoginURL).
type Version int

const (
	// Version063 is Flask-Login 0.6.3 (the default).
	Version063 Version = iota
	// Version062 is Flask-Login 0.6.2.
	Version062
)

// ErrConfig is matched by the errors of New for a configuration that
// Flask-Login or Werkzeug would refuse.
var ErrConfig = errors.New("flasklogin: invalid configuration")

// A Manager is Flask-Login's LoginManager for net/http handlers that share
// a Flask app's session (package session). It is immutable and safe for
// concurrent use.
type Manager struct {
	secret      []byte
	cookie      werkzeug.Cookie // Name, Domain, Path, Secure, HTTPOnly, SameSite
	duration    time.Duration
	refreshEach bool
	protection  Protection
	version     Version

	loginView, refreshView     string
	loginMsg, loginCat         string
	refreshMsg, refreshCat     string
	nextField                  string
	useSessionForNext          bool
	disabled                   bool
	loader                     func(r *http.Request, id string) bool
	unauthorized, needsRefresh http.Handler
	now                        func() time.Time
}

// An Option configures a Manager. The options mirror Flask-Login's
// configuration keys and LoginManager attributes.
type Option func(*Manager)

// New returns a Manager that signs and verifies remember cookies with
// secret, the Flask app's SECRET_KEY (Flask-Login uses neither
// WTF-style separate keys nor SECRET_KEY_FALLBACKS), with Flask-Login's
// defaults changed by opts. An empty secret, or a cookie name, path,
// domain or SameSite value that Werkzeug would refuse, is an error
// matching ErrConfig.
func New(secret []byte, opts ...Option) (*Manager, error) {
	m := &Manager{
		secret:     append([]byte(nil), secret...),
		cookie:     werkzeug.Cookie{Name: DefaultCookieName, Path: DefaultCookiePath, HTTPOnly: true},
		duration:   DefaultCookieDuration,
		loginMsg:   DefaultLoginMessage,
		loginCat:   DefaultMessageCategory,
		refreshMsg: DefaultRefreshMessage,
		refreshCat: DefaultMessageCategory,
		nextField:  DefaultNextField,
		now:        time.Now,
	}
	for _, o := range opts {
		o(m)
	}
	bad := func(what, v string) error { return fmt.Errorf("%w: %s %q", ErrConfig, what, v) }
	if len(m.secret) == 0 {
		return nil, fmt.Errorf("%w: empty secret key", ErrConfig)
	}
	if !werkzeug.TokenOK(m.cookie.Name) {
		return nil, bad("cookie name", m.cookie.Name)
	}
	if m.cookie.Path == "" || !werkzeug.CookieValueOK(strings.ReplaceAll(m.cookie.Path, "/", "")) {
		return nil, bad("cookie path", m.cookie.Path)
	}
	if m.cookie.Domain != "" && (!strings.Contains(m.cookie.Domain, ".") || !werkzeug.CookieValueOK(m.cookie.Domain)) {
		return nil, bad("cookie domain", m.cookie.Domain)
	}
	ss, ok := werkzeug.SameSite(m.cookie.SameSite)
	if !ok {
		return nil, bad("SameSite", m.cookie.SameSite)
	}
	m.cookie.SameSite = ss
	if m.duration <= 0 {
		return nil, bad("cookie duration", m.duration.String())
	}
	if m.protection < ProtectionBasic || m.protection > ProtectionNone {
		return nil, bad("session protection", fmt.Sprint(int(m.protection)))
	}
	if m.version < Version063 || m.version > Version062 {
		return nil, bad("version", fmt.Sprint(int(m.version)))
	}
	return m, nil
}

// WithCookieName sets REMEMBER_COOKIE_NAME (default "remember_token").
func WithCookieName(name string) Option { return func(m *Manager) { m.cookie.Name = name } }

// WithCookieDuration sets REMEMBER_COOKIE_DURATION (default 365 days).
func WithCookieDuration(d time.Duration) Option { return func(m *Manager) { m.duration = d } }

// WithCookieDomain sets REMEMBER_COOKIE_DOMAIN (default none).
func WithCookieDomain(domain string) Option { return func(m *Manager) { m.cookie.Domain = domain } }

// WithCookiePath sets REMEMBER_COOKIE_PATH (default "/").
func WithCookiePath(path string) Option { return func(m *Manager) { m.cookie.Path = path } }

// WithCookieSecure sets REMEMBER_COOKIE_SECURE (default false).
func WithCookieSecure(on bool) Option { return func(m *Manager) { m.cookie.Secure = on } }

// WithCookieHTTPOnly sets REMEMBER_COOKIE_HTTPONLY (default true).
func WithCookieHTTPOnly(on bool) Option { return func(m *Manager) { m.cookie.HTTPOnly = on } }

// WithCookieSameSite sets REMEMBER_COOKIE_SAMESITE (default none):
// "Strict", "Lax" or "None" in any case.
func WithCookieSameSite(mode string) Option { return func(m *Manager) { m.cookie.SameSite = mode } }

// WithRefreshEachRequest sets REMEMBER_COOKIE_REFRESH_EACH_REQUEST
// (default false): the remember cookie of a logged-in session is set again
// on every response.
func WithRefreshEachRequest(on bool) Option { return func(m *Manager) { m.refreshEach = on } }

// WithSessionProtection sets SESSION_PROTECTION (default ProtectionBasic).
func WithSessionProtection(p Protection) Option { return func(m *Manager) { m.protection = p } }

// WithVersion selects the Flask-Login release to follow where they differ
// (default Version063).
func WithVersion(v Version) Option { return func(m *Manager) { m.version = v } }

// WithLoginView sets LoginManager.login_view as a URL (an absolute URL or
// a path): where LoginRequired redirects. Without it, LoginRequired
// answers 401 Unauthorized, as Flask-Login does.
func WithLoginView(url string) Option { return func(m *Manager) { m.loginView = url } }

// WithRefreshView sets LoginManager.refresh_view as a URL: where
// FreshLoginRequired redirects a logged-in user whose login is not fresh.
// Without it, FreshLoginRequired answers 401.
func WithRefreshView(url string) Option { return func(m *Manager) { m.refreshView = url } }

// WithLoginMessage sets login_message and login_message_category (default
// DefaultLoginMessage, "message"); an empty message flashes nothing.
func WithLoginMessage(category, message string) Option {
	return func(m *Manager) { m.loginCat, m.loginMsg = category, message }
}

// WithRefreshMessage sets needs_refresh_message and its category.
func WithRefreshMessage(category, message string) Option {
	return func(m *Manager) { m.refreshCat, m.refreshMsg = category, message }
}

// WithUseSessionForNext sets USE_SESSION_FOR_NEXT (default false): the
// page to return to is stored in the session under "next" instead of the
// query string.
func WithUseSessionForNext(on bool) Option { return func(m *Manager) { m.useSessionForNext = on } }

// WithLoginDisabled sets LOGIN_DISABLED: LoginRequired and
// FreshLoginRequired let every request through.
func WithLoginDisabled(on bool) Option { return func(m *Manager) { m.disabled = on } }

// WithUserLoader sets the user_loader: load reports whether the user with
// this ID exists (and may log in). A user ID in the session for which it
// reports false gives no login, and the remember cookie is tried, as when
// Flask's user_loader returns None. Without it every ID is accepted.
func WithUserLoader(load func(r *http.Request, id string) bool) Option {
	return func(m *Manager) { m.loader = load }
}

// WithUnauthorizedHandler sets unauthorized_handler: what answers a
// request that LoginRequired refuses, instead of the redirect or 401.
func WithUnauthorizedHandler(h http.Handler) Option { return func(m *Manager) { m.unauthorized = h } }

// WithNeedsRefreshHandler sets needs_refresh_handler.
func WithNeedsRefreshHandler(h http.Handler) Option { return func(m *Manager) { m.needsRefresh = h } }

// WithClock sets the clock that dates the remember cookie's Expires.
func WithClock(now func() time.Time) Option { return func(m *Manager) { m.now = now } }

// CookieName returns the remember cookie's name.
func (m *Manager) CookieName() string { return m.cookie.Name }
