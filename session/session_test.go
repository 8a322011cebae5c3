package session_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/session"
	"github.com/google/go-cmp/cmp"
)

// Known answers from the spec (wire-formats.md §8 V10 and §4.8), made by
// Flask 2.2.2 with SECRET_KEY "dev-secret" at 1700000000.
const (
	secret = "dev-secret"
	now    = 1700000000
	// {"x": 1}
	cookieX = "eyJ4IjoxfQ.ZVPxAA.m5DjK709SjWtgR0HvONZkTVPHV8"
	// {"x": 1, "_permanent": True}
	cookiePermX = "eyJfcGVybWFuZW50Ijp0cnVlLCJ4IjoxfQ.ZVPxAA.YeKPMFnKd9_5vKBUhy3bTkKHVZU"
	// {"user_id": 42}
	cookieUser = "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"
	// {"_flashes": [("message", "Hello")], "_permanent": True}
	cookieFlash = "eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIkhlbGxvIl19XSwiX3Blcm1hbmVudCI6dHJ1ZX0.ZVPxAA.VD8nVcas4FnmNnhw972TP5w98uw"

	setX       = "session=" + cookieX + "; HttpOnly; Path=/"
	setPermX   = "session=" + cookiePermX + "; Expires=Fri, 15 Dec 2023 22:13:20 GMT; HttpOnly; Path=/"
	deleteDflt = "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"
)

// clockAt returns a clock fixed at t seconds.
func clockAt(t int64) func() time.Time { return func() time.Time { return time.Unix(t, 0) } }

func newCodec(t testing.TB, at int64, opts ...codec.Option) *codec.Codec {
	t.Helper()
	c, err := codec.New([]byte(secret), append([]codec.Option{codec.WithClock(clockAt(at))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newManager(t testing.TB, c *codec.Codec, opts ...session.Option) *session.Manager {
	t.Helper()
	m, err := session.New(c, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// result is what a response says about the session.
type result struct {
	SetCookie []string
	Vary      []string
	Status    int
	Body      string
}

// serve runs one request through m.Handler(h) with the given cookie.
func serve(m *session.Manager, cookie string, h http.HandlerFunc) result {
	req := httptest.NewRequest("GET", "http://example.com/", nil)
	if cookie != "" {
		req.Header.Set("Cookie", "session="+cookie)
	}
	rec := httptest.NewRecorder()
	m.Handler(h).ServeHTTP(rec, req)
	res := rec.Result()
	return result{
		SetCookie: res.Header.Values("Set-Cookie"),
		Vary:      res.Header.Values("Vary"),
		Status:    res.StatusCode,
		Body:      rec.Body.String(),
	}
}

// The Set-Cookie headers of the spec, written by Werkzeug 2.2.2 (and, for
// Partitioned, 3.1.3) for the same session, configuration and time.
func TestSetCookieHeader(t *testing.T) {
	tests := []struct {
		name     string
		lifetime time.Duration
		opts     []session.Option
		cookie   string
		handler  func(s *session.Session)
		want     []string
	}{
		{
			name:    "non-permanent, defaults",
			handler: func(s *session.Session) { s.Set("x", 1) },
			want:    []string{setX},
		},
		{
			name:    "permanent, defaults: Expires is now + 31 days",
			handler: func(s *session.Session) { s.SetPermanent(true); s.Set("x", 1) },
			want:    []string{setPermX},
		},
		{
			name:     "domain, secure, path, samesite, one hour",
			lifetime: time.Hour,
			opts: []session.Option{session.WithCookieName("sid"), session.WithDomain("example.com"),
				session.WithSecure(true), session.WithPath("/app"), session.WithSameSite("lax")},
			handler: func(s *session.Session) { s.SetPermanent(true); s.Set("x", 1) },
			want:    []string{"sid=" + cookiePermX + "; Domain=example.com; Expires=Tue, 14 Nov 2023 23:13:20 GMT; Secure; HttpOnly; Path=/app; SameSite=Lax"},
		},
		{
			name:     "partitioned forces Secure (Flask 3.1)",
			lifetime: time.Hour,
			opts: []session.Option{session.WithCookieName("sid"), session.WithDomain("example.com"),
				session.WithSameSite("None"), session.WithPartitioned(true)},
			handler: func(s *session.Session) { s.SetPermanent(true); s.Set("x", 1) },
			want:    []string{"sid=" + cookiePermX + "; Domain=example.com; Expires=Tue, 14 Nov 2023 23:13:20 GMT; Secure; HttpOnly; Path=/; SameSite=None; Partitioned"},
		},
		{
			name:    "clearing deletes the cookie",
			cookie:  cookieX,
			handler: func(s *session.Session) { s.Clear() },
			want:    []string{deleteDflt},
		},
		{
			name: "deletion keeps the attributes (Werkzeug 3.1 drops the leading dot)",
			opts: []session.Option{session.WithDomain(".example.com"), session.WithSecure(true),
				session.WithHTTPOnly(false), session.WithSameSite("STRICT")},
			cookie:  cookieX,
			handler: func(s *session.Session) { s.Delete("x") },
			want:    []string{"session=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; Path=/; SameSite=Strict"},
		},
		{
			name: "deletion keeps the attributes (Werkzeug 2.2 keeps the leading dot)",
			opts: []session.Option{session.WithFlaskVersion(session.Flask22), session.WithDomain(".example.com"),
				session.WithSecure(true), session.WithHTTPOnly(false), session.WithSameSite("STRICT")},
			cookie:  cookieX,
			handler: func(s *session.Session) { s.Delete("x") },
			want:    []string{"session=; Domain=.example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; Path=/; SameSite=Strict"},
		},
		{
			name:    "deletion of a partitioned cookie is partitioned (Werkzeug 3.1)",
			opts:    []session.Option{session.WithPartitioned(true)},
			cookie:  cookieX,
			handler: func(s *session.Session) { s.Clear() },
			want:    []string{"session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; HttpOnly; Path=/; Partitioned"},
		},
		{
			name:    "a permanent session is refreshed on a request that does not touch it",
			cookie:  cookiePermX,
			handler: func(s *session.Session) {},
			want:    []string{setPermX},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var copts []codec.Option
			if tt.lifetime != 0 {
				copts = append(copts, codec.WithLifetime(tt.lifetime))
			}
			m := newManager(t, newCodec(t, now, copts...), tt.opts...)
			got := serve(m, tt.cookie, func(w http.ResponseWriter, r *http.Request) {
				tt.handler(session.FromRequest(r))
			})
			if diff := cmp.Diff(tt.want, got.SetCookie); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"Cookie"}, got.Vary); diff != "" {
				t.Errorf("Vary (-want +got):\n%s", diff)
			}
		})
	}
}

// Flask's test_session_vary_cookie, test_session_accessed,
// test_session_cookie_setting and test_session_refresh_vary: which
// requests get Vary: Cookie and Set-Cookie.
func TestVaryAndSetCookieRules(t *testing.T) {
	tests := []struct {
		name        string
		refresh     bool
		cookie      string
		preVary     []string
		handler     func(s *session.Session)
		wantVary    []string
		wantSet     bool
		wantDeleted bool
		// only31: Flask 2.2 sends no Vary here (its accessed flag ignores
		// the operation); Flask 3.1 counts any use.
		only31 bool
	}{
		{name: "untouched session: nothing", refresh: true, handler: func(s *session.Session) {}},
		{name: "untouched existing session: nothing", refresh: true, cookie: cookieX, handler: func(s *session.Session) {}},
		{name: "get: Vary only", refresh: true, cookie: cookieX, handler: func(s *session.Session) { s.Get("x") }, wantVary: []string{"Cookie"}},
		{name: "get of a missing key on an empty session: Vary only", refresh: true, handler: func(s *session.Session) { s.Get("x") }, wantVary: []string{"Cookie"}},
		{name: "set: Vary and cookie", refresh: true, handler: func(s *session.Session) { s.Set("x", 1) }, wantVary: []string{"Cookie"}, wantSet: true},
		{name: "setdefault of a present key: Vary only", refresh: true, cookie: cookieX, handler: func(s *session.Session) { s.SetDefault("x", 2) }, wantVary: []string{"Cookie"}},
		{name: "setdefault of a missing key: Vary and cookie", refresh: true, handler: func(s *session.Session) { s.SetDefault("x", 1) }, wantVary: []string{"Cookie"}, wantSet: true},
		{name: "clear of an empty session: Vary and deletion", refresh: true, handler: func(s *session.Session) { s.Clear() }, wantVary: []string{"Cookie"}, wantDeleted: true},
		{name: "pop of a missing key: Vary in 3.1", refresh: true, cookie: cookieX, handler: func(s *session.Session) { s.Pop("y") }, wantVary: []string{"Cookie"}, only31: true},
		{name: "delete of a missing key: Vary in 3.1", refresh: true, cookie: cookieX, handler: func(s *session.Session) { s.Delete("y") }, wantVary: []string{"Cookie"}, only31: true},
		{name: "has: Vary in 3.1", refresh: true, cookie: cookieX, handler: func(s *session.Session) { s.Has("x") }, wantVary: []string{"Cookie"}, only31: true},
		{name: "has on an empty session: Vary in 3.1", refresh: true, handler: func(s *session.Session) { s.Has("x") }, wantVary: []string{"Cookie"}, only31: true},
		{name: "len: Vary in 3.1", refresh: true, cookie: cookieX, handler: func(s *session.Session) { s.Len() }, wantVary: []string{"Cookie"}, only31: true},
		{name: "keys: Vary in 3.1", refresh: true, cookie: cookieX, handler: func(s *session.Session) { s.Keys() }, wantVary: []string{"Cookie"}, only31: true},
		{name: "flashed messages when there are none: Vary in 3.1", refresh: true, cookie: cookieX, handler: func(s *session.Session) { s.FlashedMessages() }, wantVary: []string{"Cookie"}, only31: true},
		{name: "flashed messages on an empty session: Vary in 3.1", refresh: true, handler: func(s *session.Session) { s.FlashedMessages() }, wantVary: []string{"Cookie"}, only31: true},
		{name: "accessed and modified only report", refresh: true, cookie: cookieX, handler: func(s *session.Session) { s.Accessed(); s.Modified() }},
		{name: "existing Vary values are merged", refresh: true, cookie: cookieX, preVary: []string{"Accept-Encoding", "Accept-Language"},
			handler: func(s *session.Session) { s.Get("x") }, wantVary: []string{"Accept-Encoding, Accept-Language, Cookie"}},
		{name: "Vary already naming cookie is kept", refresh: true, cookie: cookieX, preVary: []string{"accept-encoding, cookie"},
			handler: func(s *session.Session) { s.Get("x") }, wantVary: []string{"accept-encoding, cookie"}},
		{name: "untouched Vary stays as it is", refresh: true, cookie: cookieX, preVary: []string{"Accept-Encoding"},
			handler: func(s *session.Session) {}, wantVary: []string{"Accept-Encoding"}},
		{name: "permanent, refresh on, read-only request: cookie", refresh: true, cookie: cookiePermX,
			handler: func(s *session.Session) { s.Get("x") }, wantVary: []string{"Cookie"}, wantSet: true},
		{name: "permanent, refresh off, read-only request: no cookie", refresh: false, cookie: cookiePermX,
			handler: func(s *session.Session) { s.Get("x") }, wantVary: []string{"Cookie"}},
		{name: "not permanent, refresh on, read-only request: no cookie", refresh: true, cookie: cookieX,
			handler: func(s *session.Session) { s.Get("x") }, wantVary: []string{"Cookie"}},
		{name: "not permanent, refresh off, read-only request: no cookie", refresh: false, cookie: cookieX,
			handler: func(s *session.Session) { s.Get("x") }, wantVary: []string{"Cookie"}},
		{name: "mark modified on an empty session deletes the cookie, with Vary", refresh: true,
			handler: func(s *session.Session) { s.MarkModified() }, wantVary: []string{"Cookie"}, wantDeleted: true},
		{name: "mark modified alone sets the cookie and Vary", refresh: true, cookie: cookieX,
			handler: func(s *session.Session) { s.MarkModified() }, wantVary: []string{"Cookie"}, wantSet: true},
	}
	for _, tt := range tests {
		for _, v := range []session.FlaskVersion{session.Flask31, session.Flask22} {
			t.Run(v.String()+"/"+tt.name, func(t *testing.T) {
				m := newManager(t, newCodec(t, now+10), session.WithRefreshEachRequest(tt.refresh), session.WithFlaskVersion(v))
				got := serve(m, tt.cookie, func(w http.ResponseWriter, r *http.Request) {
					for _, v := range tt.preVary {
						w.Header().Add("Vary", v)
					}
					tt.handler(session.FromRequest(r))
				})
				wantVary := tt.wantVary
				if tt.only31 && v == session.Flask22 {
					wantVary = nil
				}
				if wantVary == nil && tt.preVary != nil {
					wantVary = tt.preVary
				}
				if diff := cmp.Diff(wantVary, got.Vary); diff != "" {
					t.Errorf("Vary (-want +got):\n%s", diff)
				}
				switch {
				case tt.wantSet:
					if len(got.SetCookie) != 1 || strings.HasPrefix(got.SetCookie[0], "session=;") {
						t.Errorf("Set-Cookie = %q, want one cookie", got.SetCookie)
					}
				case tt.wantDeleted:
					if diff := cmp.Diff([]string{deleteDflt}, got.SetCookie); diff != "" {
						t.Errorf("Set-Cookie (-want +got):\n%s", diff)
					}
				default:
					if len(got.SetCookie) != 0 {
						t.Errorf("Set-Cookie = %q, want none", got.SetCookie)
					}
				}
			})
		}
	}
}

// Flask's open_session: which cookies give an empty session. The cookie of
// {"x": 1} was signed at 1700000000 and Flask's lifetime is 2678400 s.
func TestLoad(t *testing.T) {
	badPayload := func() string {
		// A verified cookie whose payload is not a dict.
		s, err := itsdangerous.NewURLSafeTimedSerializer([]byte(secret),
			itsdangerous.WithSalt([]byte(codec.DefaultSalt)), itsdangerous.WithKeyDerivation(codec.DefaultKeyDerivation),
			itsdangerous.WithPayloadFormat(codec.TaggedJSON), itsdangerous.WithClock(clockAt(now)))
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.Dumps([]any{int64(1)})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}()
	tests := []struct {
		name            string
		at              int64
		version         session.FlaskVersion
		header, header2 string
		want            map[string]any
	}{
		{name: "valid", at: now, header: "session=" + cookieX, want: map[string]any{"x": int64(1)}},
		{name: "valid at the last second of the lifetime", at: now + 2678400, header: "session=" + cookieX, want: map[string]any{"x": int64(1)}},
		{name: "quoted value is unquoted, as Werkzeug does", at: now, header: `session="` + cookieX + `"`, want: map[string]any{"x": int64(1)}},
		{name: "first of two cookies wins, as in Werkzeug", at: now, header: "session=" + cookieX + "; session=" + cookieUser, want: map[string]any{"x": int64(1)}},
		{name: "missing cookie gives an empty session", at: now, header: "", want: map[string]any{}},
		{name: "empty cookie gives an empty session", at: now, header: "session=", want: map[string]any{}},
		{name: "expired one second after the lifetime", at: now + 2678401, header: "session=" + cookieX, want: map[string]any{}},
		{name: "signed in the future", at: now - 1, header: "session=" + cookieX, want: map[string]any{}},
		// The last character of a signature carries unused bits, which
		// itsdangerous ignores: tamper with one that counts.
		{name: "tampered signature", at: now, header: "session=" + strings.Replace(cookieX, ".m5Dj", ".m5Di", 1), want: map[string]any{}},
		{name: "tampered payload", at: now, header: "session=eyJ4IjoyfQ" + cookieX[len("eyJ4IjoxfQ"):], want: map[string]any{}},
		{name: "garbage", at: now, header: "session=not-a-cookie", want: map[string]any{}},
		{name: "verified payload that is not a dict (Flask: 500)", at: now, header: "session=" + badPayload, want: map[string]any{}},
		{name: "other cookie name is ignored", at: now, header: "sessionx=" + cookieX, want: map[string]any{}},
		// Werkzeug's cookie parsing, which internal/werkzeug checks
		// against both releases; net/http's Request.Cookie reads none
		// of these as Werkzeug does.
		{name: "quoted value with backslash escapes", at: now, header: `session="` + strings.Replace(cookieX, ".", `\056`, 1) + `"`, want: map[string]any{"x": int64(1)}},
		{name: "a quoted value holds the ; before it", at: now, header: `a="x; session=` + cookieUser + `"; session=` + cookieX, want: map[string]any{"x": int64(1)}},
		{name: "NBSP after the value is stripped by Werkzeug 3.1", at: now, header: "session=" + cookieX + "\xa0", want: map[string]any{"x": int64(1)}},
		{name: "NBSP after the value is kept by Werkzeug 2.2", at: now, version: session.Flask22, header: "session=" + cookieX + "\xa0", want: map[string]any{}},
		{name: "white space around = and the name", at: now, header: " session = " + cookieX + " ;x=1", want: map[string]any{"x": int64(1)}},
		{name: "Werkzeug 2.2 stops at a newline it cannot match", at: now, version: session.Flask22, header: "a=b\nc; session=" + cookieX, want: map[string]any{}},
		{name: "Werkzeug 3.1 goes on after a newline", at: now, header: "a=b\nc; session=" + cookieX, want: map[string]any{"x": int64(1)}},
		{name: "two Cookie lines are joined with ;", at: now, header: "a=1", header2: "session=" + cookieX, want: map[string]any{"x": int64(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []session.Option
			if tt.version != 0 {
				opts = append(opts, session.WithFlaskVersion(tt.version))
			}
			m := newManager(t, newCodec(t, tt.at), opts...)
			req := httptest.NewRequest("GET", "/", nil)
			if tt.header != "" {
				req.Header.Set("Cookie", tt.header)
			}
			if tt.header2 != "" {
				req.Header.Add("Cookie", tt.header2)
			}
			// The second time the cookie may come from the Manager's
			// decode cache: the same session.
			for _, pass := range []string{"first load", "second load"} {
				s := m.Load(req)
				got := map[string]any{}
				for _, k := range s.Keys() {
					got[k], _ = s.Get(k)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("%s: session (-want +got):\n%s", pass, diff)
				}
				if s.Modified() {
					t.Errorf("%s: a loaded session is modified", pass)
				}
			}
		})
	}
}

// A cookie from another key reads as empty, and as data with that key as
// a fallback (Flask 3.1.1 SECRET_KEY_FALLBACKS); the re-issued cookie is
// signed with the current key.
func TestLoadFallbackKeys(t *testing.T) {
	rotated, err := codec.New([]byte("new-secret"), codec.WithFallbackKeys([]byte(secret)), codec.WithClock(clockAt(now)))
	if err != nil {
		t.Fatal(err)
	}
	only, err := codec.New([]byte("new-secret"), codec.WithClock(clockAt(now)))
	if err != nil {
		t.Fatal(err)
	}
	var user any
	res := serve(newManager(t, rotated), cookieUser, func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		user, _ = s.Get("user_id")
		s.Set("seen", true)
	})
	if user != int64(42) {
		t.Fatalf("user_id with the old key as fallback = %#v, want 42", user)
	}
	if len(res.SetCookie) != 1 {
		t.Fatalf("Set-Cookie = %q", res.SetCookie)
	}
	reissued := strings.TrimPrefix(strings.SplitN(res.SetCookie[0], ";", 2)[0], "session=")
	if _, err := only.Decode(reissued, new(map[string]any)); err != nil {
		t.Errorf("re-issued cookie does not verify with the new key alone: %v", err)
	}
	serve(newManager(t, only), cookieUser, func(w http.ResponseWriter, r *http.Request) {
		if n := session.FromRequest(r).Len(); n != 0 {
			t.Errorf("old cookie without the fallback read %d keys, want an empty session", n)
		}
	})
}

// flask.flash and get_flashed_messages: messages are popped once per
// request and shown again within it; the category filter returns some but
// pops all.
func TestFlashes(t *testing.T) {
	m := newManager(t, newCodec(t, now))
	// The cookie Flask made for flash("Hello") on a permanent session.
	var first, again, filtered []session.Flash
	res := serve(m, cookieFlash, func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		first = s.FlashedMessages()
		again = s.FlashedMessages()
		filtered = s.FlashedMessages("error")
		if s.Has(session.FlashesKey) {
			t.Error("flashes still in the session after FlashedMessages")
		}
	})
	want := []session.Flash{{Category: "message", Message: "Hello"}}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first call (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("second call (-want +got):\n%s", diff)
	}
	if len(filtered) != 0 {
		t.Errorf("filtered on error = %v, want none", filtered)
	}
	// The session is left with only {"_permanent": true}, made permanent.
	if len(res.SetCookie) != 1 || !strings.Contains(res.SetCookie[0], "; Expires=") {
		t.Fatalf("Set-Cookie = %q, want the permanent session without flashes", res.SetCookie)
	}

	// Flash writes the tuples Flask writes: the V10 JSON.
	s := session.NewSession(nil)
	s.SetPermanent(true)
	s.Flash(session.DefaultCategory, "Hello")
	h := http.Header{}
	if err := m.Save(h, s); err != nil {
		t.Fatal(err)
	}
	wantHeader := "session=" + cookieFlash + "; Expires=Fri, 15 Dec 2023 22:13:20 GMT; HttpOnly; Path=/"
	if got := h.Get("Set-Cookie"); got != wantHeader {
		t.Errorf("flash cookie\n got %s\nwant %s", got, wantHeader)
	}

	// Flashing after reading starts a new list, as in Flask.
	s = session.NewSession(map[string]any{"_flashes": []any{py.Tuple{"info", "a"}, py.Tuple{"error", "b"}, "junk"}})
	if got := s.FlashedMessages("error"); !cmp.Equal(got, []session.Flash{{Category: "error", Message: "b"}}) {
		t.Errorf("filtered = %v", got)
	}
	s.Flash("warning", "c")
	if got, _ := s.Get(session.FlashesKey); !cmp.Equal(got, []any{py.Tuple{"warning", "c"}}) {
		t.Errorf("_flashes after a new flash = %#v", got)
	}
	if got := s.FlashedMessages(); !cmp.Equal(got, []session.Flash{{Category: "info", Message: "a"}, {Category: "error", Message: "b"}}) {
		t.Errorf("cached messages = %v", got)
	}
}

// Python's truth rules decide session.permanent.
func TestPermanentTruth(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  bool
	}{
		{"true", true, true},
		{"false", false, false},
		{"none", nil, false},
		{"int 1", int64(1), true},
		{"int 0", int64(0), false},
		{"float 0.0", 0.0, false},
		{"non-empty str", "no", true},
		{"empty str", "", false},
		{"empty list", []any{}, false},
		{"empty tuple", py.Tuple{}, false},
		{"Go int 0", 0, false},
		{"Go uint8 2", uint8(2), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := session.NewSession(map[string]any{session.PermanentKey: tt.value})
			if got := s.Permanent(); got != tt.want {
				t.Errorf("Permanent() with _permanent = %#v: %v, want %v", tt.value, got, tt.want)
			}
			if !s.Accessed() {
				t.Error("Permanent() did not mark the session accessed, as session.get does")
			}
		})
	}
}

// GetAs fills a struct from a dict, as encoding/json would.
func TestGetAs(t *testing.T) {
	s := session.NewSession(map[string]any{"user": map[string]any{"id": int64(7), "name": "Ada"}})
	var u struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	ok, err := s.GetAs("user", &u)
	if err != nil || !ok || u.ID != 7 || u.Name != "Ada" {
		t.Errorf("GetAs = %v, %v, %+v", ok, err, u)
	}
	if ok, err := s.GetAs("missing", &u); ok || err != nil {
		t.Errorf("GetAs(missing) = %v, %v, want false, nil", ok, err)
	}
	var n int
	if _, err := s.GetAs("user", &n); err == nil {
		t.Error("GetAs of a dict into an int did not fail")
	}
}

// New refuses what Werkzeug would refuse (or write as a broken header),
// under each Flask version.
func TestNewInvalidConfig(t *testing.T) {
	both := []session.FlaskVersion{session.Flask31, session.Flask22}
	f22 := []session.FlaskVersion{session.Flask22}
	tests := []struct {
		name     string
		versions []session.FlaskVersion
		opts     []session.Option
	}{
		{"empty cookie name is not a token", both, []session.Option{session.WithCookieName("")}},
		{"cookie name with a space", both, []session.Option{session.WithCookieName("my session")}},
		{"cookie name with '='", both, []session.Option{session.WithCookieName("a=b")}},
		{"domain with a semicolon", both, []session.Option{session.WithDomain("example.com;x=1")}},
		{"non-ASCII domain (IDNA not reproduced)", both, []session.Option{session.WithDomain("bücher.example")}},
		{"domain that is only a port (Werkzeug 3.1 would write Domain=)", both, []session.Option{session.WithDomain(":8080")}},
		{"domain that is only dots", both, []session.Option{session.WithDomain("...")}},
		{"empty label (Python's idna codec fails)", both, []session.Option{session.WithDomain("a..example.com")}},
		{"label of 64 bytes (Python's idna codec fails)", both, []session.Option{session.WithDomain(strings.Repeat("a", 64) + ".com")}},
		{"domain without a dot (Werkzeug 2.2 refuses localhost)", f22, []session.Option{session.WithDomain("localhost")}},
		{"localhost with a port (Werkzeug 2.2)", f22, []session.Option{session.WithDomain("localhost:5000")}},
		{"relative path", both, []session.Option{session.WithPath("app")}},
		{"path that is not UTF-8", both, []session.Option{session.WithPath("/\xff")}},
		{"path with a semicolon (Werkzeug 2.2 keeps it)", f22, []session.Option{session.WithPath("/a;b")}},
		{"non-ASCII network location in the path (Werkzeug 2.2 IDNA-encodes it)", f22, []session.Option{session.WithPath("//é/x")}},
		{"Partitioned (Flask 2.2 has no SESSION_COOKIE_PARTITIONED)", f22, []session.Option{session.WithPartitioned(true)}},
		{"SameSite not one of Strict, Lax, None", both, []session.Option{session.WithSameSite("invalid")}},
		{"zero FlaskVersion", both, []session.Option{session.WithFlaskVersion(0)}},
		{"unknown FlaskVersion", both, []session.Option{session.WithFlaskVersion(99)}},
	}
	for _, tt := range tests {
		for _, v := range tt.versions {
			t.Run(v.String()+"/"+tt.name, func(t *testing.T) {
				_, err := session.New(newCodec(t, now), append([]session.Option{session.WithFlaskVersion(v)}, tt.opts...)...)
				if !errors.Is(err, itsdangerous.ErrConfig) {
					t.Errorf("New: %v, want an error matching itsdangerous.ErrConfig", err)
				}
			})
		}
	}
	if _, err := session.New(nil); !errors.Is(err, itsdangerous.ErrConfig) {
		t.Errorf("New(nil): %v, want an error matching itsdangerous.ErrConfig", err)
	}
}

// The Domain and Path attributes as each Werkzeug writes them (checked
// against dump_cookie of Werkzeug 3.1.3 and 2.2.2; the compat live tests
// compare whole headers with live apps).
func TestCookieAttributesByVersion(t *testing.T) {
	tests := []struct {
		domain, path string
		want31       string // "" when refused
		want22       string
	}{
		{".example.com", "", "; Domain=example.com; Expires=", "; Domain=.example.com; Expires="},
		{"example.com:8080", "", "; Domain=example.com; Expires=", "; Domain=example.com; Expires="},
		{".sub.example.com:443", "", "; Domain=sub.example.com; Expires=", "; Domain=.sub.example.com; Expires="},
		{"localhost", "", "; Domain=localhost; Expires=", ""},
		{"localhost:5000", "", "; Domain=localhost; Expires=", ""},
		{"", "/[x]", "; Path=/%5Bx%5D", "; Path=/[x]"},
		{"", "/é", "; Path=/%C3%A9", "; Path=/%C3%A9"},
		{"", "/a b", "; Path=/a%20b", "; Path=/a%20b"},
		{"", "/a,b%41", "; Path=/a,b%41", "; Path=/a,b%41"},
		{"", "/a?b#c", "; Path=/a%3Fb%23c", "; Path=/a?b#c"},
		{"", "/a;b", "; Path=/a%3Bb", ""},
		{"", "/!$&'()*+=@:~", "; Path=/!$&'()*+=@:~", "; Path=/!$&'()*+=@:~"},
		{"", "/a\"b{}|^`\\<>", "; Path=/a%22b%7B%7D%7C%5E%60%5C%3C%3E", "; Path=/a%22b%7B%7D%7C%5E%60%5C%3C%3E"},
	}
	for _, tt := range tests {
		for _, v := range []session.FlaskVersion{session.Flask31, session.Flask22} {
			want := tt.want31
			if v == session.Flask22 {
				want = tt.want22
			}
			t.Run(fmt.Sprintf("%v/%q/%q", v, tt.domain, tt.path), func(t *testing.T) {
				opts := []session.Option{session.WithFlaskVersion(v), session.WithPath(tt.path)}
				if tt.domain != "" {
					opts = append(opts, session.WithDomain(tt.domain))
				}
				m, err := session.New(newCodec(t, now), opts...)
				if want == "" {
					if !errors.Is(err, itsdangerous.ErrConfig) {
						t.Errorf("New: %v, want an error matching itsdangerous.ErrConfig", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				h := http.Header{}
				s := session.NewSession(nil)
				s.SetPermanent(true)
				if err := m.Save(h, s); err != nil {
					t.Fatal(err)
				}
				if got := h.Get("Set-Cookie"); !strings.Contains(got, want) {
					t.Errorf("Set-Cookie %s does not contain %q", got, want)
				}
			})
		}
	}
}
