package flasklogin_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/flasklogin"
	"github.com/flaskcookie/flaskcookie/session"
)

// BenchmarkRequest compares a request of a logged-in user through the
// session middleware alone (baseline: the handler reads "_user_id") with
// the same request through flasklogin (CurrentUser: session protection,
// the identifier hash and the user), and a login restored from the
// remember cookie.
func BenchmarkRequest(b *testing.B) {
	secret := []byte("bench-secret")
	c, _ := codec.New(secret)
	sm, _ := session.New(c)
	lm, _ := flasklogin.New(secret)
	probe := httptest.NewRequest("GET", "/", nil)
	cookie, _ := c.Encode(map[string]any{"_user_id": "42", "_fresh": true, "_id": flasklogin.Identifier(probe)})
	remember := flasklogin.EncodeRememberCookie(secret, "42")
	baseline := sm.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := session.FromRequest(r).Get("_user_id"); !ok {
			b.Fatal("no user")
		}
	}))
	login := sm.Handler(lm.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := lm.CurrentUser(r); !ok {
			b.Fatal("no user")
		}
	})))
	for _, bc := range []struct {
		name   string
		h      http.Handler
		cookie *http.Cookie
	}{
		{"baseline-session", baseline, &http.Cookie{Name: "session", Value: cookie}},
		{"flasklogin-session", login, &http.Cookie{Name: "session", Value: cookie}},
		{"flasklogin-remember", login, &http.Cookie{Name: flasklogin.DefaultCookieName, Value: remember}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				r := httptest.NewRequest("GET", "/", nil)
				r.AddCookie(bc.cookie)
				bc.h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
}
