package csrf_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/csrf"
	"github.com/flaskcookie/flaskcookie/session"
)

// A form rendered in Go and its POST handler, protected as CSRFProtect
// protects a Flask app with the same SECRET_KEY: Flask accepts the form
// too, and Go accepts the forms Flask renders.
func ExampleProtect() {
	secret := []byte("change-me")
	c, _ := codec.New(secret)
	sessions, _ := session.New(c)
	protect, _ := csrf.New(secret)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		tok, _ := protect.Token(r) // {{ csrf_token() }}
		fmt.Fprintf(w, `<form method="post"><input type="hidden" name="csrf_token" value="%s"></form>`, tok)
	})
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "saved")
	})
	h := sessions.Handler(protect.Handler(mux))

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/form", nil))
	cookie := w.Result().Cookies()[0] // the session, holding the raw token
	token := regexp.MustCompile(`value="([^"]+)"`).FindStringSubmatch(w.Body.String())[1]

	for _, form := range []url.Values{{"csrf_token": {token}}, {}} {
		r := httptest.NewRequest("POST", "/form", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, strings.Contains(w.Body.String(), "saved"), strings.Contains(w.Body.String(), "<p>The CSRF token is missing.</p>"))
	}
	// Output:
	// 200 true false
	// 400 false true
}

// Reason gives Flask-WTF's message for a refusal, as its CSRFError holds
// it.
func ExampleReason() {
	err := error(csrf.ErrTokenExpired)
	fmt.Println(csrf.Reason(err))
	fmt.Println(err)
	// Output:
	// The CSRF token has expired.
	// csrf: The CSRF token has expired.
}
