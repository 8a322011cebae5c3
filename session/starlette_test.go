package session_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/session"
	"github.com/flaskcookie/flaskcookie/starlette"
	"github.com/google/go-cmp/cmp"
)

// Known answers of Starlette 0.26.1's SessionMiddleware (itsdangerous
// 2.1.2) with secret_key "starlette-secret", signed at 1700000000: spec
// wire-formats.md §8 V11, and the rest printed by
//
//	/usr/bin/python3 -c 'import json, base64, time; from itsdangerous import TimestampSigner
//	time.time = lambda: 1700000000.0
//	print(TimestampSigner("starlette-secret").sign(base64.b64encode(json.dumps(SESSION).encode())).decode())'
//
// The headers are the middleware's format strings (sessions.py) around
// them, as testdata/starlette/vectors.json records them.
const (
	starSecret = "starlette-secret"
	// {"user_id": 42, "name": "J\u00fcrgen", "roles": ["a", "b"]}: V11.
	starV11 = "eyJ1c2VyX2lkIjogNDIsICJuYW1lIjogIkpcdTAwZmNyZ2VuIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxAA.CnjCu-ijoXWdBdrJQPp5iZet9FE"
	// The same session signed at 1700000100.
	starV11At100 = "eyJ1c2VyX2lkIjogNDIsICJuYW1lIjogIkpcdTAwZmNyZ2VuIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxZA.Jcg8BBc6vjD35jdhZn-oLfGsMY4"
	// {"user_id": 42}
	starUser = "eyJ1c2VyX2lkIjogNDJ9.ZVPxAA.rLCft6Tf4MkndrEOuDNWJjlsk3U"
	// {} and null: validly signed, falsy.
	starEmptyDict = "e30=.ZVPxAA.w8_AabQCzDhAlAKSVXviIK-XMDk"
	starNull      = "bnVsbA==.ZVPxAA.xPqADUhVf79Y9IYbBIG3UOv-fbc"
	// {"b": 4, "a": 3}: d = {"a": 1, "b": 2}; del d["a"]; d["a"] = 3; d["b"] = 4
	starBA = "eyJiIjogNCwgImEiOiAzfQ==.ZVPxAA.xf2q-noVWGk1MA2F4YJEKXJ6fe0"
	// {"z": 1, "a": {"y": 1, "b": 2}}
	starNested = "eyJ6IjogMSwgImEiOiB7InkiOiAxLCAiYiI6IDJ9fQ==.ZVPxAA.eG-_lTJBOAa4vTCb3EWYmSXmvlM"
	// [1, 2]: a list, which Starlette keeps as the "session".
	starList = "WzEsIDJd.ZVPxAA.NTwBwbf96XOsxMsbBNVTPeg_VQA"

	starAttrs = "; path=/; Max-Age=1209600; httponly; samesite=lax"
	// The spec's V11 header.
	starSetV11 = "session=" + starV11 + starAttrs
	starClear  = "session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax"
)

func newStarlette(t testing.TB, at int64, opts ...starlette.Option) *session.Manager {
	t.Helper()
	c, err := starlette.New([]byte(starSecret), append([]starlette.Option{starlette.WithClock(clockAt(at))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.NewStarlette(c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// serveRaw runs one request through m.Handler(h) with the Cookie header
// cookieHeader (none when empty).
func serveRaw(m *session.Manager, cookieHeader string, h http.HandlerFunc) result {
	req := httptest.NewRequest("GET", "http://example.com/", nil)
	if cookieHeader != "" {
		req.Header.Set("Cookie", cookieHeader)
	}
	rec := httptest.NewRecorder()
	m.Handler(h).ServeHTTP(rec, req)
	res := rec.Result()
	return result{SetCookie: res.Header.Values("Set-Cookie"), Vary: res.Header.Values("Vary"), Status: res.StatusCode, Body: rec.Body.String()}
}

// ordered returns the session's keys and values in its order.
func ordered(s *session.Session) py.Dict {
	d := py.Dict{}
	for _, k := range s.Keys() {
		v, _ := s.Get(k)
		d = append(d, py.Item{Key: k, Value: v})
	}
	return d
}

// Every rule of Starlette's middleware, against its known answers.
func TestStarletteRules(t *testing.T) {
	v11 := py.Dict{{Key: "user_id", Value: int64(42)}, {Key: "name", Value: "J\u00fcrgen"}, {Key: "roles", Value: []any{"a", "b"}}}
	tests := []struct {
		name    string
		at      int64 // the clock; 1700000000 when 0
		cookie  string
		handler func(s *session.Session)
		want    []string
		session py.Dict // what the handler saw; nil: not checked
	}{
		{
			name: "a new session is set (spec V11, keys in insertion order)",
			handler: func(s *session.Session) {
				s.Set("user_id", 42)
				s.Set("name", "J\u00fcrgen")
				s.Set("roles", []any{"a", "b"})
			},
			want: []string{starSetV11},
		},
		{
			name:    "a loaded session is set again on a response that does not use it",
			cookie:  "session=" + starV11,
			handler: func(s *session.Session) {},
			want:    []string{starSetV11},
		},
		{
			name:    "and on one that only reads it, with the session as it came",
			cookie:  "session=" + starV11,
			handler: func(s *session.Session) { s.Get("user_id"); s.Has("x") },
			want:    []string{starSetV11},
			session: v11,
		},
		{
			name:    "every response re-signs at the current time",
			at:      1700000100,
			cookie:  "session=" + starV11,
			handler: func(s *session.Session) {},
			want:    []string{"session=" + starV11At100 + starAttrs},
		},
		{
			name:    "changing a value keeps the key's place; a key deleted and set again goes last",
			handler: func(s *session.Session) { s.Set("a", 1); s.Set("b", 2); s.Delete("a"); s.Set("a", 3); s.Set("b", 4) },
			want:    []string{"session=" + starBA + starAttrs},
		},
		{
			name:    "nested dicts keep their order",
			cookie:  "session=" + starNested,
			handler: func(s *session.Session) {},
			want:    []string{"session=" + starNested + starAttrs},
			session: py.Dict{{Key: "z", Value: int64(1)}, {Key: "a", Value: py.Dict{{Key: "y", Value: int64(1)}, {Key: "b", Value: int64(2)}}}},
		},
		{
			name:    "clearing a loaded session deletes the cookie",
			cookie:  "session=" + starV11,
			handler: func(s *session.Session) { s.Clear() },
			want:    []string{starClear},
		},
		{
			name:    "so does deleting its last key",
			cookie:  "session=" + starUser,
			handler: func(s *session.Session) { s.Delete("user_id") },
			want:    []string{starClear},
		},
		{
			name:    "clearing and setting again sets it",
			cookie:  "session=" + starV11,
			handler: func(s *session.Session) { s.Clear(); s.Set("user_id", 42) },
			want:    []string{"session=" + starUser + starAttrs},
		},
		{
			name:    "an empty session with no cookie writes nothing",
			handler: func(s *session.Session) { s.Get("x") },
			session: py.Dict{},
		},
		{
			name:    "nor when cleared: it was empty when the request came (no modified tracking)",
			handler: func(s *session.Session) { s.Clear(); s.Set("x", 1); s.Delete("x") },
		},
		{
			name:    "a signed {} came in: Starlette deletes it",
			cookie:  "session=" + starEmptyDict,
			handler: func(s *session.Session) {},
			want:    []string{starClear},
			session: py.Dict{},
		},
		{
			name:    "a signed null came in: Starlette deletes it",
			cookie:  "session=" + starNull,
			handler: func(s *session.Session) {},
			want:    []string{starClear},
			session: py.Dict{},
		},
		{
			name:    "tampered: empty session, nothing written",
			cookie:  "session=" + starV11[:len(starV11)-3] + "AAA",
			handler: func(s *session.Session) { s.Clear() },
			session: py.Dict{},
		},
		{
			name:    "expired (14 days + 1 s): empty session, nothing written",
			at:      1700000000 + 1209601,
			cookie:  "session=" + starV11,
			handler: func(s *session.Session) {},
			session: py.Dict{},
		},
		{
			name:    "signed in the future: empty session, nothing written",
			at:      1700000000 - 1,
			cookie:  "session=" + starV11,
			handler: func(s *session.Session) {},
			session: py.Dict{},
		},
		{
			name:    "the Starlette-cleared value null: empty, nothing written",
			cookie:  "session=null",
			handler: func(s *session.Session) {},
			session: py.Dict{},
		},
		{
			name:    "a bad cookie is replaced when the session gets a value",
			cookie:  "session=garbage",
			handler: func(s *session.Session) { s.Set("user_id", 42) },
			want:    []string{"session=" + starUser + starAttrs},
		},
		{
			name:    "the last of two cookies counts (cookie_parser fills a dict)",
			cookie:  "session=garbage; session=" + starUser,
			handler: func(s *session.Session) {},
			want:    []string{"session=" + starUser + starAttrs},
			session: py.Dict{{Key: "user_id", Value: int64(42)}},
		},
		{
			name:    "the last of two cookies counts, when it is bad",
			cookie:  "session=" + starUser + "; session=garbage",
			handler: func(s *session.Session) {},
			session: py.Dict{},
		},
		{
			name:    "deviation: a signed list is not a session (Starlette would keep it)",
			cookie:  "session=" + starList,
			handler: func(s *session.Session) {},
			session: py.Dict{},
		},
		{
			name:    "Flask's flash is a plain key, its tuple a JSON list",
			handler: func(s *session.Session) { s.Flash("message", "hi") },
			// {"_flashes": [["message", "hi"]]}
			want: []string{"session=eyJfZmxhc2hlcyI6IFtbIm1lc3NhZ2UiLCAiaGkiXV19.ZVPxAA.G-JT7cyF2w2-G6iG_5zCR2oInqo" + starAttrs},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := tt.at
			if at == 0 {
				at = 1700000000
			}
			m := newStarlette(t, at)
			var seen py.Dict
			r := serveRaw(m, tt.cookie, func(w http.ResponseWriter, r *http.Request) {
				s := session.FromRequest(r)
				seen = ordered(s)
				tt.handler(s)
			})
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if d := cmp.Diff(tt.want, r.SetCookie); d != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", d)
			}
			if len(r.Vary) != 0 {
				t.Errorf("Vary %q: Starlette sends none", r.Vary)
			}
			if tt.session != nil {
				if d := testvec.Diff(tt.session, seen); d != "" {
					t.Errorf("session seen by the handler: %s", d)
				}
			}
		})
	}
}

// The Flask flash known answer above, checked here against Python so that
// a wrong constant cannot pass: json.dumps({"_flashes": [("message",
// "hi")]}) writes the tuple as a list.
func TestStarletteFlashIsPlainJSON(t *testing.T) {
	c, err := starlette.New([]byte(starSecret), starlette.WithClock(clockAt(1700000000)))
	if err != nil {
		t.Fatal(err)
	}
	var got any
	if _, err := c.Decode("eyJfZmxhc2hlcyI6IFtbIm1lc3NhZ2UiLCAiaGkiXV19.ZVPxAA.G-JT7cyF2w2-G6iG_5zCR2oInqo", &got); err != nil {
		t.Fatal(err)
	}
	want := py.Dict{{Key: "_flashes", Value: []any{[]any{"message", "hi"}}}}
	if d := testvec.Diff(want, got); d != "" {
		t.Error(d)
	}
	// Go reads the flashes back, once.
	m := newStarlette(t, 1700000000)
	r := serveRaw(m, "session=eyJfZmxhc2hlcyI6IFtbIm1lc3NhZ2UiLCAiaGkiXV19.ZVPxAA.G-JT7cyF2w2-G6iG_5zCR2oInqo", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		if d := cmp.Diff([]session.Flash{{Category: "message", Message: "hi"}}, s.FlashedMessages()); d != "" {
			t.Errorf("flashes (-want +got):\n%s", d)
		}
	})
	// Popping the only key empties a session that came in: deleted.
	if d := cmp.Diff([]string{starClear}, r.SetCookie); d != "" {
		t.Errorf("Set-Cookie (-want +got):\n%s", d)
	}
}

// The cookie attributes are the codec's, as Starlette writes them.
func TestStarletteCookieAttributes(t *testing.T) {
	m := newStarlette(t, 1700000000, starlette.WithCookieName("sid"), starlette.WithPath("/app"),
		starlette.WithSameSite("strict"), starlette.WithHTTPSOnly(true), starlette.WithMaxAge(time.Minute))
	if m.CookieName() != "sid" {
		t.Errorf("CookieName %q, want sid", m.CookieName())
	}
	set := func(s *session.Session) { s.Set("user_id", 42) }
	tests := []struct {
		name    string
		cookie  string
		handler func(s *session.Session)
		want    string
	}{
		{"set", "", set, "sid=" + starUser + "; path=/app; Max-Age=60; httponly; samesite=strict; secure"},
		{"clear", "sid=" + starUser, func(s *session.Session) { s.Clear() },
			"sid=null; path=/app; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=strict; secure"},
		{"the cookie of another name is not read", "session=" + starUser, func(s *session.Session) { s.Clear() }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := serveRaw(m, tt.cookie, func(w http.ResponseWriter, r *http.Request) { tt.handler(session.FromRequest(r)) })
			var want []string
			if tt.want != "" {
				want = []string{tt.want}
			}
			if d := cmp.Diff(want, r.SetCookie); d != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", d)
			}
		})
	}
	// max_age=None: no Max-Age attribute.
	m = newStarlette(t, 1700000000, starlette.WithoutMaxAge())
	r := serveRaw(m, "", func(w http.ResponseWriter, r *http.Request) { set(session.FromRequest(r)) })
	if d := cmp.Diff([]string{"session=" + starUser + "; path=/; httponly; samesite=lax"}, r.SetCookie); d != "" {
		t.Errorf("Set-Cookie without max age (-want +got):\n%s", d)
	}
}

func TestNewStarletteConfig(t *testing.T) {
	c, err := starlette.New([]byte(starSecret))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		c    *starlette.Codec
		opts []session.Option
	}{
		{"nil codec", nil, nil},
		{"Flask's cookie name: the codec names the cookie", c, []session.Option{session.WithCookieName("sid")}},
		{"Flask's domain: Starlette 0.26 has none", c, []session.Option{session.WithDomain("example.com")}},
		{"Flask's path: the codec has it", c, []session.Option{session.WithPath("/app")}},
		{"Flask's SameSite: the codec has it", c, []session.Option{session.WithSameSite("Strict")}},
		{"Flask's Secure: the codec's https_only", c, []session.Option{session.WithSecure(true)}},
		{"HttpOnly cannot be turned off in Starlette", c, []session.Option{session.WithHTTPOnly(false)}},
		{"Partitioned does not exist in Starlette", c, []session.Option{session.WithPartitioned(true)}},
		{"Starlette refreshes every response", c, []session.Option{session.WithRefreshEachRequest(false)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := session.NewStarlette(tt.c, tt.opts...)
			if !errors.Is(err, itsdangerous.ErrConfig) || m != nil {
				t.Errorf("NewStarlette = %v, %v; want an error matching ErrConfig", m, err)
			}
		})
	}
}

// A value JSON cannot hold fails the request through the error handler,
// as json.dumps fails it in Starlette; nothing is set.
func TestStarletteSaveFailure(t *testing.T) {
	c, err := starlette.New([]byte(starSecret))
	if err != nil {
		t.Fatal(err)
	}
	var handled error
	m, err := session.NewStarlette(c, session.WithLogger(discardLogger), session.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		handled = err
		http.Error(w, "custom", http.StatusTeapot)
	}))
	if err != nil {
		t.Fatal(err)
	}
	r := serveRaw(m, "", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Set("b", []byte("bytes are not JSON"))
		w.Write([]byte("lost"))
	})
	if r.Status != http.StatusTeapot || len(r.SetCookie) != 0 || handled == nil {
		t.Errorf("status %d, Set-Cookie %q, handler error %v; want 418, none, an error", r.Status, r.SetCookie, handled)
	}
}

// Save on a session that Load did not make (NewSession): a Go map has no
// order, so the keys are written sorted, and it never came in.
func TestStarletteSaveUnordered(t *testing.T) {
	m := newStarlette(t, 1700000000)
	h := http.Header{}
	// {"a": 1, "b": 2} sorted; Python: json.dumps({"a": 1, "b": 2}).
	if err := m.Save(h, session.NewSession(map[string]any{"b": 2, "a": 1})); err != nil {
		t.Fatal(err)
	}
	want := "session=eyJhIjogMSwgImIiOiAyfQ==.ZVPxAA.3iYMT_2TLZZSKQCc41yBxT7wOZU" + starAttrs
	if got := h.Get("Set-Cookie"); got != want {
		t.Errorf("Set-Cookie\n got %s\nwant %s", got, want)
	}
	h = http.Header{}
	if err := m.Save(h, session.NewSession(nil)); err != nil || len(h) != 0 {
		t.Errorf("empty session: %v, headers %v; want none", err, h)
	}
}

// Share the session of a Starlette or FastAPI app. The Set-Cookie header
// is the one Starlette's SessionMiddleware sends for the same session at
// the same time (spec V11); Starlette sets it again on every response.
func ExampleNewStarlette() {
	c, err := starlette.New([]byte("starlette-secret"), starlette.WithClock(exampleClock))
	if err != nil {
		panic(err)
	}
	m, err := session.NewStarlette(c)
	if err != nil {
		panic(err)
	}
	login := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		s.Set("user_id", 42)
		s.Set("name", "Jürgen")
		s.Set("roles", []string{"a", "b"})
	}))
	rec := httptest.NewRecorder()
	login.ServeHTTP(rec, httptest.NewRequest("POST", "/login", nil))
	fmt.Println(rec.Header().Get("Set-Cookie"))

	logout := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		name, _ := s.Get("name")
		fmt.Println("bye", name)
		s.Clear()
	}))
	req := httptest.NewRequest("POST", "/logout", nil)
	req.AddCookie(rec.Result().Cookies()[0])
	rec = httptest.NewRecorder()
	logout.ServeHTTP(rec, req)
	fmt.Println(rec.Header().Get("Set-Cookie"))
	// Output:
	// session=eyJ1c2VyX2lkIjogNDIsICJuYW1lIjogIkpcdTAwZmNyZ2VuIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxAA.CnjCu-ijoXWdBdrJQPp5iZet9FE; path=/; Max-Age=1209600; httponly; samesite=lax
	// bye Jürgen
	// session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax
}

// TestStarletteCookieParsing reads the session cookie as Starlette's
// cookie_parser does (starlette.CookieValue, checked against Starlette),
// where net/http's Request.Cookies differs.
func TestStarletteCookieParsing(t *testing.T) {
	tests := []struct {
		name   string
		lines  []string
		loaded bool
	}{
		{"a trailing U+00A0 is Python white space", []string{"session=" + starV11 + "\xa0"}, true},
		{"only the first Cookie line counts", []string{"a=1", "session=" + starV11}, false},
		{"the last cookie of the name wins", []string{"session=" + starV11 + "; session=x"}, false},
		{"and a bad one before it does not matter", []string{"session=x; session=" + starV11}, true},
		{"quotes are removed", []string{`session="` + starV11 + `"`}, true},
		{"a piece without = has the empty name", []string{"session; x=1"}, false},
	}
	m := newStarlette(t, 1700000000)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "http://example.com/", nil)
			req.Header["Cookie"] = tc.lines
			loaded := false
			m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, loaded = session.FromRequest(r).Get("user_id")
			})).ServeHTTP(httptest.NewRecorder(), req)
			if loaded != tc.loaded {
				t.Errorf("session loaded: %v, want %v", loaded, tc.loaded)
			}
		})
	}
}
