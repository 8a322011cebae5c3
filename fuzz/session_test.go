package fuzz_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/session"
)

// newSessionManager returns a session middleware with Flask's defaults, a
// clock fixed at diffNow, and the key of the Flask vectors.
func newSessionManager(tb testing.TB) (*session.Manager, *codec.Codec) {
	tb.Helper()
	at := time.Unix(diffNow, 0)
	c, err := codec.New([]byte("dev-secret"), codec.WithClock(func() time.Time { return at }))
	if err != nil {
		tb.Fatal(err)
	}
	m, err := session.New(c)
	if err != nil {
		tb.Fatal(err)
	}
	return m, c
}

// sessionCookie returns the value of the session cookie a response sets,
// and whether it sets one that is not a deletion.
func sessionCookie(h http.Header) (string, bool) {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == session.DefaultCookieName && c.MaxAge >= 0 && c.Value != "" {
			return c.Value, true
		}
	}
	return "", false
}

// FuzzSessionCookieHeader sends arbitrary Cookie headers through the
// session middleware: it must never panic or fail the request, and any
// session cookie it sets in the response must decode, with the codec, to
// the session the handler saw. Seeds: the Flask vector cookies.
func FuzzSessionCookieHeader(f *testing.F) {
	for _, s := range sharedCorpus(f).Samples {
		if s.Cfg.Class == classFlask {
			f.Add("session=" + string(s.Token))
		}
	}
	f.Add(`session="eyJ4IjoxfQ.ZVPxAA.m5DjK709SjWtgR0HvONZkTVPHV8"; other=1`)
	f.Add(`a=b; session=x; session=eyJ4IjoxfQ.ZVPxAA.m5DjK709SjWtgR0HvONZkTVPHV8`)
	f.Add("session=\x00;;;=;session")
	m, c := newSessionManager(f)
	f.Fuzz(func(t *testing.T, header string) {
		var keys []string
		h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := session.FromRequest(r)
			s.Get("x")
			if s.Len() > 0 && len(header)%2 == 0 {
				s.Set("seen", true) // a change: the session is written back
			}
			keys = s.Keys()
			w.WriteHeader(http.StatusOK)
		}))
		req := httptest.NewRequest("GET", "http://example.com/", nil)
		req.Header.Set("Cookie", header)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("Cookie %q: status %d", header, rec.Code)
		}
		value, ok := sessionCookie(rec.Result().Header)
		if !ok {
			return
		}
		var got map[string]any
		if _, err := c.Decode(value, &got); err != nil {
			t.Fatalf("Cookie %q: the middleware set %q, which does not decode: %v", header, value, err)
		}
		if len(got) != len(keys) {
			t.Fatalf("Cookie %q: the handler saw keys %q, the new cookie holds %v", header, keys, got)
		}
	})
}

// TestConcurrentMiddleware runs many clients through one session
// middleware at once, each counting its requests in its own session. Run it
// with -race.
func TestConcurrentMiddleware(t *testing.T) {
	m, c := newSessionManager(t)
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		var n int64
		if _, err := s.GetAs("n", &n); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.Set("n", n+1)
		s.Flash("info", fmt.Sprint(n+1))
		fmt.Fprint(w, n+1)
	}))
	const clients, requests = 8, 40
	var wg sync.WaitGroup
	errs := make(chan string, clients)
	for cl := 0; cl < clients; cl++ {
		wg.Add(1)
		go func(cl int) {
			defer wg.Done()
			cookie := ""
			for i := 1; i <= requests; i++ {
				req := httptest.NewRequest("GET", "http://example.com/", nil)
				if cookie != "" {
					req.Header.Set("Cookie", "session="+cookie)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if got := strings.TrimSpace(rec.Body.String()); got != fmt.Sprint(i) {
					errs <- fmt.Sprintf("client %d, request %d: body %q", cl, i, got)
					return
				}
				v, ok := sessionCookie(rec.Result().Header)
				if !ok {
					errs <- fmt.Sprintf("client %d, request %d: no session cookie", cl, i)
					return
				}
				cookie = v
			}
			var got map[string]any
			if _, err := c.Decode(cookie, &got); err != nil || got["n"] != int64(requests) {
				errs <- fmt.Sprintf("client %d: final session %v, %v", cl, got, err)
			}
		}(cl)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
