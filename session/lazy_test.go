package session_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/session"
	"github.com/google/go-cmp/cmp"
)

// countingCodec counts the cookies its codec decodes. It is not a
// *codec.Codec, so a Manager cannot look into its cookies without
// decoding them.
type countingCodec struct {
	*codec.Codec
	decodes atomic.Int64
}

func (c *countingCodec) Decode(cookie string, v any) (time.Time, error) {
	c.decodes.Add(1)
	return c.Codec.Decode(cookie, v)
}

func (c *countingCodec) DecodeAt(cookie string, v any, now time.Time) (time.Time, error) {
	c.decodes.Add(1)
	return c.Codec.DecodeAt(cookie, v, now)
}

// The cookie is decoded on the first use of the session, not when the
// request comes in; a request that never uses it decodes nothing unless
// the session may have to be refreshed.
func TestLazyDecoding(t *testing.T) {
	tests := []struct {
		name        string
		refresh     bool
		cookie      string
		handler     func(s *session.Session)
		wantDecodes int64
		wantSet     bool
	}{
		{name: "untouched, no refresh", cookie: cookiePermX, handler: func(*session.Session) {}},
		{name: "untouched, refresh: permanence must be known", refresh: true, cookie: cookieX, handler: func(*session.Session) {}, wantDecodes: 1},
		{name: "untouched permanent, refresh", refresh: true, cookie: cookiePermX, handler: func(*session.Session) {}, wantDecodes: 1, wantSet: true},
		{name: "Accessed and Modified are not uses", cookie: cookieX, handler: func(s *session.Session) { s.Accessed(); s.Modified() }},
		{name: "Clear needs no data", cookie: cookieX, handler: func(s *session.Session) { s.Clear() }, wantSet: true},
		{name: "MarkModified saves what the cookie held", cookie: cookieX, handler: func(s *session.Session) { s.MarkModified() }, wantDecodes: 1, wantSet: true},
		{name: "Get decodes once", cookie: cookieX, handler: func(s *session.Session) { s.Get("x"); s.Get("y"); s.Len() }, wantDecodes: 1},
		{name: "Set keeps the other keys", cookie: cookieX, handler: func(s *session.Session) { s.Set("y", 2) }, wantDecodes: 1, wantSet: true},
		{name: "no cookie, nothing to decode", refresh: true, handler: func(s *session.Session) { s.Get("x") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &countingCodec{Codec: newCodec(t, now)}
			m, err := session.New(c, session.WithRefreshEachRequest(tt.refresh))
			if err != nil {
				t.Fatal(err)
			}
			r := serve(m, tt.cookie, func(w http.ResponseWriter, r *http.Request) { tt.handler(session.FromRequest(r)) })
			if got := c.decodes.Load(); got != tt.wantDecodes {
				t.Errorf("%d decodes, want %d", got, tt.wantDecodes)
			}
			if got := len(r.SetCookie) == 1; got != tt.wantSet {
				t.Errorf("Set-Cookie %q, want one: %v", r.SetCookie, tt.wantSet)
			}
		})
	}
}

// The age of the cookie is checked as of the time the request came in,
// as Flask checks it when it opens the session, even when the session is
// first used later.
func TestLazyDecodingAgeAtLoad(t *testing.T) {
	m, clock, req := movingClock(t)
	clock.Store(now + 2678400) // the last second of the lifetime
	s := m.Load(req)
	clock.Add(10)
	if v, ok := s.Get("x"); !ok || v != int64(1) {
		t.Errorf("x = %v, %v; want 1, as of the time of Load", v, ok)
	}
	s = m.Load(req)
	if _, ok := s.Get("x"); ok {
		t.Error("a cookie expired at Load was read")
	}
}

// movingClock returns a Manager whose codec's clock is the Unix time in
// clock (now at first), and a request with the cookie of {"x": 1}.
func movingClock(t *testing.T) (*session.Manager, *atomic.Int64, *http.Request) {
	var clock atomic.Int64
	clock.Store(now)
	c, err := codec.New([]byte(secret), codec.WithClock(func() time.Time { return time.Unix(clock.Load(), 0) }))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", "session="+cookieX)
	return newManager(t, c), &clock, req
}

// A Manager that saves an untouched session without decoding it (by
// looking for "_permanent" in the payload) writes what one that decodes
// every cookie writes, for every way a payload can spell the key or hide
// it.
func TestUntouchedLikeDecoded(t *testing.T) {
	signer, err := itsdangerous.NewTimestampSigner([]byte(secret),
		itsdangerous.WithSalt([]byte(codec.DefaultSalt)), itsdangerous.WithKeyDerivation(codec.DefaultKeyDerivation))
	if err != nil {
		t.Fatal(err)
	}
	signJSON := func(js string) string {
		return string(signer.SignAt([]byte(base64.RawURLEncoding.EncodeToString([]byte(js))), time.Unix(now, 0)))
	}
	big := newCodec(t, now)
	compressed, err := big.Encode(map[string]any{"_permanent": true, "pad": strings.Repeat("a", 300)})
	if err != nil || compressed[0] != '.' {
		t.Fatalf("%v: %q is not compressed", err, compressed)
	}
	cookies := map[string]string{
		"permanent":               cookiePermX,
		"not permanent":           cookieX,
		"escaped key":             signJSON(`{"\u005fpermanent":true,"x":1}`),
		"escaped elsewhere":       signJSON(`{"x":"\u0041"}`),
		"key in a value":          signJSON(`{"x":"_permanent"}`),
		"permanent false":         signJSON(`{"_permanent":false,"x":1}`),
		"compressed permanent":    compressed,
		"tampered permanent":      cookiePermX[:len(cookiePermX)-3] + "abc",
		"flashes, permanent":      cookieFlash,
		"not a cookie":            "not-a-cookie",
		"separator first":         ".",
		"permanent, not a dict":   signJSON(`["_permanent"]`),
		"payload not base64 JSON": signJSON(`\x00\xff`),
	}
	// The payload is searched in pieces of 256 bytes: the key across
	// every boundary.
	for pad := 230; pad < 260; pad++ {
		cookies[fmt.Sprint("key after ", pad, " bytes")] = signJSON(`{"_pad":"` + strings.Repeat("a", pad) + `","_permanent":true}`)
	}
	for _, version := range []session.FlaskVersion{session.Flask22, session.Flask31} {
		for name, cookie := range cookies {
			t.Run(version.String()+"/"+name, func(t *testing.T) {
				peeking := newManager(t, newCodec(t, now+5), session.WithFlaskVersion(version))
				decoding, err := session.New(&countingCodec{Codec: newCodec(t, now+5)}, session.WithFlaskVersion(version))
				if err != nil {
					t.Fatal(err)
				}
				h := func(http.ResponseWriter, *http.Request) {}
				if diff := cmp.Diff(serve(decoding, cookie, h), serve(peeking, cookie, h)); diff != "" {
					t.Errorf("untouched session (-decoding +peeking):\n%s", diff)
				}
				flush := func(w http.ResponseWriter, _ *http.Request) { w.(http.Flusher).Flush() }
				if diff := cmp.Diff(serve(decoding, cookie, flush), serve(peeking, cookie, flush)); diff != "" {
					t.Errorf("untouched session, response started early (-decoding +peeking):\n%s", diff)
				}
			})
		}
	}
}

// BenchmarkMiddlewareUntouched runs a handler that never uses the session
// through the middleware, with the cookie of a session that is not
// permanent: it is neither verified nor decoded.
func BenchmarkMiddlewareUntouched(b *testing.B) {
	m := newManager(b, newCodec(b, now))
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "alice")
	}))
	runBench(b, h, benchRequest(b, true))
}

// RequestCookie reads other cookies by the rules of the Flask version of
// the request's Manager, as Flask's request.cookies does.
func TestRequestCookie(t *testing.T) {
	header := "a=1; remember=\"x\\073y\"\xa0; b=\"q\xa0"
	tests := []struct {
		name    string
		version session.FlaskVersion // 0: no Manager
		cookie  string
		want    string
		wantOK  bool
	}{
		{name: "no Manager: Flask 3.1", cookie: "remember", want: "x;y", wantOK: true},
		{name: "Flask 3.1 strips U+00A0, then unquotes", version: session.Flask31, cookie: "remember", want: "x;y", wantOK: true},
		{name: "Flask 2.2 keeps U+00A0, so no quotes to remove", version: session.Flask22, cookie: "remember", want: "\"x\\073y\"\xa0", wantOK: true},
		{name: "an unterminated quote is a plain value", version: session.Flask31, cookie: "b", want: "\"q", wantOK: true},
		{name: "missing", version: session.Flask31, cookie: "c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Cookie", header)
			var got string
			var ok bool
			read := func(_ http.ResponseWriter, r *http.Request) { got, ok = session.RequestCookie(r, tt.cookie) }
			if tt.version == 0 {
				read(nil, req)
			} else {
				m := newManager(t, newCodec(t, now), session.WithFlaskVersion(tt.version))
				m.Handler(http.HandlerFunc(read)).ServeHTTP(httptest.NewRecorder(), req)
			}
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("RequestCookie = %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
