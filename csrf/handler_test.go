package csrf_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/flaskcookie/flaskcookie/csrf"
	"github.com/flaskcookie/flaskcookie/session"
)

// Handler checks only unsafe methods of paths that are not exempt, and
// hands refusals to the error handler.
func TestHandler(t *testing.T) {
	var refused error
	p, err := csrf.New([]byte("s"),
		csrf.WithExempt("/hook", "/api/"),
		csrf.WithExemptFunc(func(r *http.Request) bool { return r.Header.Get("X-Internal") == "1" }),
		csrf.WithMethods("POST", "DELETE"),
		csrf.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			refused = err
			w.WriteHeader(http.StatusForbidden)
		}))
	if err != nil {
		t.Fatal(err)
	}
	h := p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, tc := range []struct {
		name, method, path string
		header             string
		want               int
	}{
		{"POST without token is refused", "POST", "/form", "", http.StatusForbidden},
		{"DELETE is in WTF_CSRF_METHODS here", "DELETE", "/form", "", http.StatusForbidden},
		{"PUT is not, here", "PUT", "/form", "", http.StatusOK},
		{"GET is safe", "GET", "/form", "", http.StatusOK},
		{"exempt path", "POST", "/hook", "", http.StatusOK},
		{"exempt path is not a prefix", "POST", "/hook/x", "", http.StatusForbidden},
		{"exempt prefix", "POST", "/api/v1/x", "", http.StatusOK},
		{"exempt func", "POST", "/form", "1", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refused = nil
			r := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.header != "" {
				r.Header.Set("X-Internal", tc.header)
			}
			r = r.WithContext(session.NewContext(r.Context(), session.NewSession(map[string]any{"csrf_token": "raw"})))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Errorf("status %d, want %d", w.Code, tc.want)
			}
			if tc.want == http.StatusForbidden && !errors.Is(refused, csrf.ErrTokenMissing) {
				t.Errorf("error handler got %v, want ErrTokenMissing", refused)
			}
		})
	}
}

// Without a session middleware, Token and Validate say so.
func TestNoSession(t *testing.T) {
	p, _ := csrf.New([]byte("s"))
	r := httptest.NewRequest("POST", "/", nil)
	if _, err := p.Token(r); !errors.Is(err, csrf.ErrNoSession) {
		t.Errorf("Token: %v", err)
	}
	if err := p.Validate(r, "x"); !errors.Is(err, csrf.ErrNoSession) {
		t.Errorf("Validate: %v", err)
	}
	r.Header.Set("X-CSRFToken", "x")
	w := httptest.NewRecorder()
	p.Handler(http.NotFoundHandler()).ServeHTTP(w, r)
	if w.Code != http.StatusInternalServerError {
		t.Errorf("Handler without a session: %d", w.Code)
	}
}
