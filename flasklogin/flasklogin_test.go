package flasklogin_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/flasklogin"
	"github.com/flaskcookie/flaskcookie/session"
)

func TestNewRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		secret string
		opts   []flasklogin.Option
	}{
		{"empty secret: Flask-Login would sign with an empty key", "", nil},
		{"cookie name with a space", "s", []flasklogin.Option{flasklogin.WithCookieName("remember me")}},
		{"empty cookie name", "s", []flasklogin.Option{flasklogin.WithCookieName("")}},
		{"SameSite Werkzeug refuses", "s", []flasklogin.Option{flasklogin.WithCookieSameSite("sometimes")}},
		{"path with a semicolon", "s", []flasklogin.Option{flasklogin.WithCookiePath("/a;b")}},
		{"domain without a dot", "s", []flasklogin.Option{flasklogin.WithCookieDomain("localhost")}},
		{"zero duration", "s", []flasklogin.Option{flasklogin.WithCookieDuration(0)}},
		{"unknown protection", "s", []flasklogin.Option{flasklogin.WithSessionProtection(7)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := flasklogin.New([]byte(tc.secret), tc.opts...); !errors.Is(err, flasklogin.ErrConfig) {
				t.Errorf("New: %v, want ErrConfig", err)
			}
		})
	}
}

func TestLoginErrors(t *testing.T) {
	m, err := flasklogin.New([]byte("s"))
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	if err := m.LoginUser(r, "1"); !errors.Is(err, flasklogin.ErrNoHandler) {
		t.Errorf("LoginUser outside Handler: %v", err)
	}
	if err := m.LogoutUser(r); !errors.Is(err, flasklogin.ErrNoHandler) {
		t.Errorf("LogoutUser outside Handler: %v", err)
	}
	if _, ok := m.CurrentUser(r); ok {
		t.Error("CurrentUser outside Handler reports a user")
	}
	c, _ := codec.New([]byte("s"))
	sm, _ := session.New(c)
	var got []error
	h := sm.Handler(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, m.LoginUser(r, ""), m.LoginUser(r, "a b", flasklogin.Remember()), m.LoginUser(r, "a b"))
	})))
	h.ServeHTTP(httptest.NewRecorder(), r)
	if !errors.Is(got[0], flasklogin.ErrUserID) || !errors.Is(got[1], flasklogin.ErrUserID) || got[2] != nil {
		t.Errorf("LoginUser errors: %v", got)
	}
}

// A remember cookie that does not verify gives no login, and no session
// change.
func TestForgedRememberCookie(t *testing.T) {
	secret := []byte("s")
	m, _ := flasklogin.New(secret)
	c, _ := codec.New(secret)
	sm, _ := session.New(c)
	good := flasklogin.EncodeRememberCookie(secret, "7")
	for _, v := range []string{
		"7|" + strings.Repeat("0", 128),
		"8" + good[1:],
		flasklogin.EncodeRememberCookie([]byte("other"), "7"),
		"7",
		strings.Repeat("x", flasklogin.MaxCookieSize+1),
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: flasklogin.DefaultCookieName, Value: v})
		w := httptest.NewRecorder()
		sm.Handler(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if id, ok := m.CurrentUser(r); ok {
				t.Errorf("cookie %.20q logged in %q", v, id)
			}
		}))).ServeHTTP(w, r)
		if sc := w.Header().Values("Set-Cookie"); len(sc) != 0 {
			t.Errorf("cookie %.20q: Set-Cookie %q", v, sc)
		}
	}
}
