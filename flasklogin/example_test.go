package flasklogin_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/flasklogin"
	"github.com/flaskcookie/flaskcookie/session"
)

// The remember cookie of user "1" for a Flask app whose SECRET_KEY is
// "login-vector-secret" (Flask-Login's encode_cookie gives the same).
func ExampleEncodeRememberCookie() {
	v := flasklogin.EncodeRememberCookie([]byte("login-vector-secret"), "1")
	fmt.Println(v[:2], len(v))
	id, err := flasklogin.DecodeRememberCookie([]byte("login-vector-secret"), v)
	fmt.Println(id, err)
	_, err = flasklogin.DecodeRememberCookie([]byte("login-vector-secret"), "2"+v[1:])
	fmt.Println(err)
	// Output:
	// 1| 130
	// 1 <nil>
	// flasklogin: remember cookie digest does not match
}

// A Go login handler and a page behind LoginRequired, sharing Flask's
// session and Flask-Login's cookies with a Flask app that has the same
// SECRET_KEY.
func ExampleManager() {
	secret := []byte("change-me")
	at := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	c, _ := codec.New(secret, codec.WithClock(at))
	sessions, _ := session.New(c)
	logins, _ := flasklogin.New(secret, flasklogin.WithLoginView("/login"), flasklogin.WithClock(at))

	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		// Check the password first; then, as login_user(user, remember=True):
		if err := logins.LoginUser(r, r.FormValue("user"), flasklogin.Remember()); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	})
	mux.Handle("GET /account", logins.LoginRequired(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := logins.CurrentUser(r)
		fmt.Fprintf(w, "account of %s, fresh: %v", id, flasklogin.LoginFresh(r))
	})))
	h := sessions.Handler(logins.Handler(mux))

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/account", nil))
	fmt.Println(w.Code, w.Header().Get("Location"))

	w = httptest.NewRecorder()
	r := httptest.NewRequest("POST", "/login", strings.NewReader("user=42"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	h.ServeHTTP(w, r)
	remember := w.Result().Cookies()[0]
	fmt.Println(w.Header().Values("Set-Cookie")[0][:20], "...", remember.RawExpires)

	// Without the session cookie, the remember cookie restores the login,
	// not fresh.
	w = httptest.NewRecorder()
	r = httptest.NewRequest("GET", "/account", nil)
	r.AddCookie(remember)
	h.ServeHTTP(w, r)
	fmt.Println(w.Body)
	// Output:
	// 302 /login?next=%2Faccount
	// remember_token=42|29 ... Sat, 02 Jan 2027 03:04:05 GMT
	// account of 42, fresh: false
}
