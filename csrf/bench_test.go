package csrf_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/csrf"
	"github.com/flaskcookie/flaskcookie/session"
)

// BenchmarkPost compares a form POST through the session middleware alone
// (baseline: the handler parses the form) with the same POST checked by
// the CSRF middleware (form parsing, token verification, comparison).
func BenchmarkPost(b *testing.B) {
	secret := []byte("bench-secret")
	c, _ := codec.New(secret)
	sm, _ := session.New(c)
	p, _ := csrf.New(secret)
	var token string
	rec := httptest.NewRecorder()
	sm.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { p.Token(r) })).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	session := rec.Result().Cookies()[0]
	r0 := httptest.NewRequest("GET", "/", nil)
	r0.AddCookie(session)
	sm.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { token, _ = p.Token(r) })).ServeHTTP(httptest.NewRecorder(), r0)
	body := url.Values{"csrf_token": {token}, "text": {"hello"}}.Encode()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PostFormValue("text") != "hello" {
			b.Fatal("no form")
		}
	})
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"baseline-session", sm.Handler(ok)},
		{"csrf", sm.Handler(p.Handler(ok))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				r := httptest.NewRequest("POST", "/", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.AddCookie(session)
				w := httptest.NewRecorder()
				bc.h.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}
