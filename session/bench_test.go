package session_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/flaskcookie/flaskcookie/session"
)

// benchHandler reads the user and counts the visit: a small session is
// loaded, changed and saved on every request.
func benchHandler(w http.ResponseWriter, r *http.Request) {
	if s := session.FromRequest(r); s != nil {
		user, _ := s.Get("user")
		n, _ := s.Get("n")
		i, _ := n.(int64)
		s.Set("n", i+1)
		_, _ = io.WriteString(w, user.(string))
		return
	}
	_, _ = io.WriteString(w, "alice")
}

func benchRequest(b *testing.B, withCookie bool) *http.Request {
	req := httptest.NewRequest("GET", "/", nil)
	if withCookie {
		c := newCodec(b, now)
		v, err := c.Encode(map[string]any{"user": "alice", "n": 1, "_flashes": []any{}})
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Cookie", "session="+v)
	}
	return req
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func runBench(b *testing.B, h http.Handler, req *http.Request) {
	b.ReportAllocs()
	w := &discard{h: http.Header{}}
	for i := 0; i < b.N; i++ {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// BenchmarkBareHandler is the baseline: the same handler without sessions.
func BenchmarkBareHandler(b *testing.B) {
	runBench(b, http.HandlerFunc(benchHandler), benchRequest(b, false))
}

// BenchmarkMiddleware loads, changes and saves a small session (verify and
// decode the cookie, then encode and sign it again) around the handler.
func BenchmarkMiddleware(b *testing.B) {
	m := newManager(b, newCodec(b, now))
	runBench(b, m.Handler(http.HandlerFunc(benchHandler)), benchRequest(b, true))
}

// BenchmarkMiddlewareReadOnly loads a small session that the handler only
// reads: no cookie is written.
func BenchmarkMiddlewareReadOnly(b *testing.B) {
	benchReadOnly(b)
}

// BenchmarkMiddlewareReadOnlyNoCache is BenchmarkMiddlewareReadOnly
// without the decode cache: every request verifies and decodes the
// cookie, as one whose cookie the Manager has not seen does.
func BenchmarkMiddlewareReadOnlyNoCache(b *testing.B) {
	benchReadOnly(b, session.WithDecodeCache(0))
}

// BenchmarkMiddlewareNoCache is BenchmarkMiddleware without the decode
// cache.
func BenchmarkMiddlewareNoCache(b *testing.B) {
	m := newManager(b, newCodec(b, now), session.WithDecodeCache(0))
	runBench(b, m.Handler(http.HandlerFunc(benchHandler)), benchRequest(b, true))
}

func benchReadOnly(b *testing.B, opts ...session.Option) {
	m := newManager(b, newCodec(b, now), opts...)
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := session.FromRequest(r).Get("user")
		_, _ = io.WriteString(w, user.(string))
	}))
	runBench(b, h, benchRequest(b, true))
}
