package flasklogin

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/werkzeug"
	"github.com/flaskcookie/flaskcookie/session"
)

// ErrNoHandler is returned by LoginUser and LogoutUser for a request that
// did not go through the Manager's Handler inside a session.Manager's
// Handler.
var ErrNoHandler = errors.New("flasklogin: request did not go through Manager.Handler and session.Manager.Handler")

// ErrUserID is returned by LoginUser for an empty user ID, or, with
// Remember, one that cannot be written into the remember cookie without
// quoting (allowed: letters, digits and !#$%&'*+-.^_`|~:).
var ErrUserID = errors.New("flasklogin: user ID not allowed")

type ctxKey struct{}

// state is Flask's g._login_user for one request.
type state struct {
	m      *Manager
	mu     sync.Mutex
	loaded bool
	id     string
	authed bool
}

// Handler returns the middleware that gives next Flask-Login's request
// life: it makes the current user available to CurrentUser (loaded on
// first use, as Flask-Login loads current_user), and, just before the
// response headers are written, does what Flask-Login's after_request
// does: sets or deletes the remember cookie as the session's "_remember"
// asks (removing that key), or refreshes the cookie when
// WithRefreshEachRequest is on.
//
// It must run inside a session.Manager's Handler, whose session it uses:
//
//	sessions.Handler(logins.Handler(mux))
func (m *Manager) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &state{m: m}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, st))
		s := session.FromRequest(r)
		if s == nil {
			next.ServeHTTP(w, r)
			return
		}
		hw := &hookWriter{ResponseWriter: w, hook: func(h http.Header) { m.afterRequest(h, r, s) }}
		next.ServeHTTP(hw, r)
		hw.run()
	})
}

func (m *Manager) stateOf(r *http.Request) (*state, *session.Session) {
	st, _ := r.Context().Value(ctxKey{}).(*state)
	if st == nil || st.m != m {
		return nil, nil
	}
	return st, session.FromRequest(r)
}

// CurrentUser returns the ID of the logged-in user of r and true, or ""
// and false for an anonymous user: Flask-Login's current_user. The first
// call of a request loads the user as Flask-Login's _load_user does:
// session protection first (see WithSessionProtection), then the
// session's "_user_id" (checked with the user loader), then the remember
// cookie, unless the session says "_remember": "clear". A login restored
// from the remember cookie is stored in the session, not fresh.
func (m *Manager) CurrentUser(r *http.Request) (string, bool) {
	st, s := m.stateOf(r)
	if st == nil || s == nil {
		return "", false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.loaded {
		st.id, st.authed = m.loadUser(r, s)
		st.loaded = true
	}
	return st.id, st.authed
}

func (m *Manager) loadUser(r *http.Request, s *session.Session) (string, bool) {
	if m.protectionFailed(r, s) {
		return "", false
	}
	if v, ok := s.Get(KeyUserID); ok {
		if id, ok := userID(v); ok && m.exists(r, id) {
			return id, true
		}
	}
	value, ok := session.RequestCookie(r, m.cookie.Name)
	if !ok {
		return "", false
	}
	if op, _ := s.Get(KeyRemember); op == "clear" {
		return "", false
	}
	id, err := DecodeRememberCookie(m.secret, value)
	if err != nil {
		return "", false
	}
	s.Set(KeyUserID, id)
	s.Set(KeyFresh, false)
	return id, m.exists(r, id)
}

func (m *Manager) exists(r *http.Request, id string) bool {
	return m.loader == nil || m.loader(r, id)
}

// protectionFailed is LoginManager._session_protection_failed.
func (m *Manager) protectionFailed(r *http.Request, s *session.Session) bool {
	if m.protection == ProtectionNone {
		return false
	}
	if s.Len() == 0 {
		return false
	}
	if v, _ := s.Get(KeyID); v == Identifier(r) {
		return false
	}
	if m.protection == ProtectionBasic || s.Permanent() {
		if v, _ := s.Get(KeyFresh); v != false {
			s.Set(KeyFresh, false)
		}
		return false
	}
	for _, k := range sessionKeys {
		s.Pop(k)
	}
	s.Set(KeyRemember, "clear")
	return true
}

// userID is str(session["_user_id"]) for the values Flask-Login stores
// there: a str (what UserMixin.get_id returns), or an int.
func userID(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int64:
		return strconv.FormatInt(v, 10), true
	case int:
		return strconv.Itoa(v), true
	}
	return "", false
}

// A LoginOption is an argument of login_user.
type LoginOption func(*loginConfig)

type loginConfig struct {
	remember bool
	duration time.Duration
	fresh    bool
}

// Remember is login_user(remember=True): the response sets the remember
// cookie, which lasts REMEMBER_COOKIE_DURATION.
func Remember() LoginOption { return func(c *loginConfig) { c.remember = true } }

// RememberFor is login_user(remember=True, duration=d): the cookie lasts d,
// stored in the session as "_remember_seconds".
func RememberFor(d time.Duration) LoginOption {
	return func(c *loginConfig) { c.remember, c.duration = true, d }
}

// NotFresh is login_user(fresh=False).
func NotFresh() LoginOption { return func(c *loginConfig) { c.fresh = false } }

// LoginUser logs the user with ID id in, writing the session keys that
// Flask-Login's login_user writes: "_user_id", "_fresh", "_id" (see
// Identifier) and, with Remember, "_remember": "set" (and
// "_remember_seconds" with RememberFor), which makes Handler set the
// remember cookie. Checking the user's password and is_active is the
// caller's business, as in Flask.
func (m *Manager) LoginUser(r *http.Request, id string, opts ...LoginOption) error {
	st, s := m.stateOf(r)
	if st == nil || s == nil {
		return ErrNoHandler
	}
	c := loginConfig{fresh: true}
	for _, o := range opts {
		o(&c)
	}
	if id == "" || (c.remember && !werkzeug.CookieValueOK(id)) {
		return ErrUserID
	}
	s.Set(KeyUserID, id)
	s.Set(KeyFresh, c.fresh)
	s.Set(KeyID, Identifier(r))
	if c.remember {
		s.Set(KeyRemember, "set")
		if c.duration != 0 {
			// Flask-Login divides microseconds by 10.0**6: a float.
			s.Set(KeyRememberSeconds, float64(c.duration.Microseconds())/1e6)
		}
	}
	st.mu.Lock()
	st.id, st.authed, st.loaded = id, true, true
	st.mu.Unlock()
	return nil
}

// LogoutUser logs the user out as Flask-Login's logout_user does: it
// removes "_user_id", "_fresh" and "_id" and, when the request has a
// remember cookie, stores "_remember": "clear" (Handler then deletes the
// cookie) and removes "_remember_seconds". Other session keys are kept.
func (m *Manager) LogoutUser(r *http.Request) error {
	st, s := m.stateOf(r)
	if st == nil || s == nil {
		return ErrNoHandler
	}
	s.Pop(KeyUserID)
	s.Pop(KeyFresh)
	s.Pop(KeyID)
	if _, ok := session.RequestCookie(r, m.cookie.Name); ok {
		s.Set(KeyRemember, "clear")
		s.Pop(KeyRememberSeconds)
	}
	st.mu.Lock()
	st.id, st.authed, st.loaded = "", false, true
	st.mu.Unlock()
	return nil
}

// ConfirmLogin marks the login fresh again and stores the request's
// identifier, as confirm_login does (after the user re-entered a password).
func (m *Manager) ConfirmLogin(r *http.Request) error {
	_, s := m.stateOf(r)
	if s == nil {
		return ErrNoHandler
	}
	s.Set(KeyFresh, true)
	s.Set(KeyID, Identifier(r))
	return nil
}

// LoginFresh reports whether the login of r is fresh: login_fresh(), the
// truth of the session's "_fresh". A login restored from the remember
// cookie, or kept by basic protection after a change of address or
// browser, is not fresh.
func LoginFresh(r *http.Request) bool {
	s := session.FromRequest(r)
	if s == nil {
		return false
	}
	v, _ := s.Get(KeyFresh)
	switch v := v.(type) {
	case bool:
		return v
	case int64:
		return v != 0
	case string:
		return v != ""
	}
	return v != nil
}

// afterRequest is LoginManager._update_remember_cookie.
func (m *Manager) afterRequest(h http.Header, r *http.Request, s *session.Session) {
	if !s.Has(KeyRemember) && m.refreshEach {
		s.Set(KeyRemember, "set")
	}
	if !s.Has(KeyRemember) {
		return
	}
	op, _ := s.Pop(KeyRemember)
	switch {
	case op == "set" && s.Has(KeyUserID):
		v, _ := s.Get(KeyUserID)
		id, ok := userID(v)
		if !ok || !werkzeug.CookieValueOK(id) {
			return // a value this package cannot write as Werkzeug would
		}
		d := m.duration
		if v, ok := s.Get(KeyRememberSeconds); ok {
			if sec, ok := seconds(v); ok {
				d = sec
			}
		}
		c := m.cookie
		c.Value = EncodeRememberCookie(m.secret, id)
		c.Expires = m.now().Add(d)
		h.Add("Set-Cookie", werkzeug.SetCookie(c))
	case op == "clear":
		c := werkzeug.Cookie{Name: m.cookie.Name, Domain: m.cookie.Domain, Path: m.cookie.Path}
		h.Add("Set-Cookie", werkzeug.DeleteCookie(c))
	}
}

// seconds reads "_remember_seconds" (a float, or an int).
func seconds(v any) (time.Duration, bool) {
	var f float64
	switch v := v.(type) {
	case float64:
		f = v
	case int64:
		f = float64(v)
	default:
		return 0, false
	}
	if math.IsNaN(f) || f <= 0 || f >= math.MaxInt64/float64(time.Second) {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}
