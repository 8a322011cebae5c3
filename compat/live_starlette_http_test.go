package compat_test

// Live interop of package session's Starlette rules (session.NewStarlette)
// with a real Starlette 0.26.1 app (compat/starletteapp/app.py, uvicorn):
// the same routes are served by a Go app, and one cookie jar goes back and
// forth; for the same cookie, operation and time both send the same
// Set-Cookie headers, byte for byte.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/session"
	"github.com/flaskcookie/flaskcookie/starlette"
	"github.com/google/go-cmp/cmp"
)

// goStarletteApp serves the routes of starletteapp/app.py with a
// session.NewStarlette Manager per config of starletteLiveConfigs, chosen
// by the X-App header. The codecs' clock is the X-Fake-Now header of the
// request (requests are made one at a time), or the real time.
type goStarletteApp struct {
	*httptest.Server
	codecs map[string]*starlette.Codec
	now    atomic.Int64
}

func newGoStarletteApp(t *testing.T) *goStarletteApp {
	t.Helper()
	g := &goStarletteApp{codecs: map[string]*starlette.Codec{}}
	clock := func() time.Time { return time.Unix(g.now.Load(), 0) }
	mux := goStarletteMux()
	handlers := map[string]http.Handler{}
	for _, cfg := range starletteLiveConfigs {
		c, err := starlette.New(cfg.key, append([]starlette.Option{starlette.WithClock(clock)}, cfg.opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		m, err := session.NewStarlette(c)
		if err != nil {
			t.Fatal(err)
		}
		g.codecs[cfg.name] = c
		handlers[cfg.name] = m.Handler(mux)
	}
	g.Server = serveApps(t, "X-App", &g.now, handlers)
	return g
}

// goStarletteMux mirrors the routes of compat/starletteapp/app.py.
func goStarletteMux() *http.ServeMux {
	mux := newSessionMux()
	mux.HandleFunc("GET /dump", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		d := py.Dict{}
		for _, k := range s.Keys() { // the session's order
			v, _ := s.Get(k)
			d = append(d, py.Item{Key: k, Value: v})
		}
		if tv, good := tvOrFail(w, d); good {
			writeJSONReply(w, map[string]any{"session": tv})
		}
	})
	mux.HandleFunc("POST /set", func(w http.ResponseWriter, r *http.Request) {
		var tv testvec.TV
		if err := json.NewDecoder(r.Body).Decode(&tv); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		v, err := tv.Ordered()
		d, isDict := v.(py.Dict)
		if err != nil || !isDict {
			http.Error(w, fmt.Sprintf("not a dict tv: %v", err), http.StatusBadRequest)
			return
		}
		s := session.FromRequest(r)
		for _, it := range d { // request.session.update(d)
			s.Set(it.Key, it.Value)
		}
		replyOK(w)
	})
	mux.HandleFunc("GET /pop", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Delete(r.URL.Query().Get("key"))
		replyOK(w)
	})
	return mux
}

// newStarJar returns a client for both Starlette apps, with one cookie jar.
func newStarJar(t *testing.T) *jarClient { return newJarClientFor(t, "X-App") }

// starletteDump reads /dump, in the session's order.
func starletteDump(c *jarClient, base, app string, now int64) any {
	c.t.Helper()
	var r struct {
		Session testvec.TV `json:"session"`
	}
	c.getJSON(base+"/dump", app, now, &r)
	v, err := r.Session.Ordered()
	if err != nil {
		c.t.Fatal(err)
	}
	return v
}

func TestLiveStarletteHTTP(t *testing.T) {
	pa := startStarletteApp(t)
	ga := newGoStarletteApp(t)
	t.Run("headers", func(t *testing.T) { testStarletteHeaders(t, pa, ga) })
	t.Run("login", func(t *testing.T) { testStarletteLogin(t, pa, ga) })
	t.Run("values", func(t *testing.T) { testStarletteValues(t, pa, ga) })
	t.Run("logout", func(t *testing.T) { testStarletteLogout(t, pa, ga) })
	t.Run("refused", func(t *testing.T) { testStarletteRefused(t, pa, ga) })
}

// For every config, incoming cookie and session operation, at the same
// time, the Go app sends the Set-Cookie headers Starlette sends, byte for
// byte (and neither sends Vary).
func testStarletteHeaders(t *testing.T, pa *livePy, ga *goStarletteApp) {
	c := newStarJar(t)
	const t0 = 1700000000
	ops := []struct {
		name, method, path string
		body               any
	}{
		{"touch", "GET", "/touch", nil},
		{"dump", "GET", "/dump", nil},
		{"set", "POST", "/set", mustTV(t, py.Dict{{Key: "x", Value: int64(1)}, {Key: "user_id", Value: int64(7)}})},
		{"login", "GET", "/login?user=alice", nil},
		{"clear", "GET", "/clear", nil},
		{"pop-user_id", "GET", "/pop?key=user_id", nil},
		{"pop-missing", "GET", "/pop?key=nope", nil},
	}
	sessions := liveSessions()
	reduced := map[string]bool{"no cookie": true, "v11": true, "{}": true, "tampered": true, "expired": true, "future": true}
	set, compared := 0, 0
	for _, cfg := range starletteLiveConfigs {
		cd := ga.codecs[cfg.name]
		name := cd.Cookie().Name
		maxAge, hasMaxAge := cd.MaxAge()
		// Incoming cookies: made by Starlette where it can make them.
		states := map[string]string{"no cookie": ""}
		for _, sn := range []string{"small", "v11", "order"} {
			r := c.do("POST", pa.URL+"/set", cfg.name, t0, mustTV(t, sessions[sn]), "other=1")
			if len(r.SetCookie) != 1 {
				t.Fatalf("%s: Starlette Set-Cookie %q", sn, r.SetCookie)
			}
			states[sn] = setCookieValue(r.SetCookie[0])
		}
		good := states["v11"]
		enc := func(v any, at int64) string {
			s, err := cd.EncodeAt(v, time.Unix(at, 0))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		states["{}"] = enc(py.Dict{}, t0)
		states["null"] = enc(nil, t0)
		states["tampered"] = good[:len(good)-5] + map[bool]string{true: "A", false: "B"}[good[len(good)-5] != 'A'] + good[len(good)-4:]
		states["other key"] = mustEncode(t, "other-key", sessions["small"])
		states["empty value"] = "="
		states["expired"] = enc(sessions["small"], t0-int64(maxAge/time.Second)-10)
		states["future"] = enc(sessions["small"], t0+100)
		if !hasMaxAge {
			states["expired"] = enc(sessions["small"], t0-1e9)
		}
		for state, value := range states {
			header := ""
			switch state {
			case "no cookie":
				header = "other=1"
			case "empty value":
				header = name + "="
			default:
				header = name + "=" + value
			}
			headers := map[string]string{"": header}
			if state == "v11" {
				// Two cookies of the name: the last counts on both sides.
				headers["dup, good last"] = name + "=garbage; " + header
				headers["dup, good first"] = header + "; " + name + "=garbage"
			}
			for hn, h := range headers {
				for _, op := range ops {
					if state == "null" && op.name != "touch" {
						// Starlette's session is None: any use fails.
						continue
					}
					if cfg.name != "default" && (!reduced[state] || hn != "" || op.method == "POST" || op.name == "dump") {
						// The other configs differ in the cookie's
						// attributes and key: fewer cases (the Python
						// app answers in some 40 ms).
						continue
					}
					label := fmt.Sprintf("%s/%s%s/%s", cfg.name, state, map[bool]string{true: "", false: " (" + hn + ")"}[hn == ""], op.name)
					want := c.do(op.method, pa.URL+op.path, cfg.name, t0+5, op.body, h)
					got := c.do(op.method, ga.URL+op.path, cfg.name, t0+5, op.body, h)
					compared++
					if d := cmp.Diff(want.SetCookie, got.SetCookie); d != "" {
						t.Errorf("%s: Set-Cookie (-starlette +go):\n%s", label, d)
					}
					if len(want.Vary)+len(got.Vary) != 0 {
						t.Errorf("%s: Vary: starlette %q, go %q", label, want.Vary, got.Vary)
					}
					if len(want.SetCookie) > 0 {
						set++
					}
				}
			}
		}
	}
	if set < 60 {
		t.Errorf("only %d of %d cases set or deleted a cookie; the comparison is too thin", set, compared)
	}
	t.Logf("%d cases compared, %d with a Set-Cookie header", compared, set)
}

// Log in on one side, the other sees the user; and at the same time the
// Go app re-sets exactly the cookie Starlette set.
func testStarletteLogin(t *testing.T, pa *livePy, ga *goStarletteApp) {
	c := newStarJar(t)
	now := time.Now().Unix()
	login := c.do("GET", pa.URL+"/login?user=alice", "default", now, nil, "")
	if u := whoami(c, ga.URL, "default", now); u != "alice" {
		t.Errorf("Go sees user %#v after logging in on Starlette, want alice", u)
	}
	touch := c.do("GET", ga.URL+"/touch", "default", now, nil, "")
	if d := cmp.Diff(login.SetCookie, touch.SetCookie); d != "" {
		t.Errorf("Go re-set (-starlette login +go touch):\n%s", d)
	}
	c.do("GET", ga.URL+"/login?user=bob", "default", now, nil, "")
	if u := whoami(c, pa.URL, "default", now); u != "bob" {
		t.Errorf("Starlette sees user %#v after logging in on Go, want bob", u)
	}
}

// Values set on one side are read on the other, with exact types and in
// the same order.
func testStarletteValues(t *testing.T, pa *livePy, ga *goStarletteApp) {
	now := time.Now().Unix()
	for sn, s := range liveSessions() {
		for _, dir := range []struct{ name, from, to string }{
			{"go to starlette", ga.URL, pa.URL},
			{"starlette to go", pa.URL, ga.URL},
		} {
			t.Run(dir.name+"/"+sn, func(t *testing.T) {
				c := newStarJar(t)
				c.do("GET", dir.from+"/login?user=alice", "default", now, nil, "")
				c.do("POST", dir.from+"/set", "default", now, mustTV(t, s), "")
				want := append(py.Dict{{Key: "user", Value: "alice"}}, s...)
				if d := testvec.Diff(want, starletteDump(c, dir.to, "default", now)); d != "" {
					t.Errorf("session as read: %s", d)
				}
				// And back: the reader's re-set cookie is read by the writer.
				if d := testvec.Diff(want, starletteDump(c, dir.from, "default", now)); d != "" {
					t.Errorf("session read back: %s", d)
				}
			})
		}
	}
}

// Clearing the session (or popping its last key) on one side logs out on
// the other.
func testStarletteLogout(t *testing.T, pa *livePy, ga *goStarletteApp) {
	now := time.Now().Unix()
	for _, dir := range []struct{ name, login, logout, path string }{
		{"clear on go", pa.URL, ga.URL, "/clear"},
		{"clear on starlette", ga.URL, pa.URL, "/clear"},
		{"pop on go", pa.URL, ga.URL, "/pop?key=user"},
		{"pop on starlette", ga.URL, pa.URL, "/pop?key=user"},
	} {
		t.Run(dir.name, func(t *testing.T) {
			c := newStarJar(t)
			c.do("GET", dir.login+"/login?user=alice", "default", now, nil, "")
			if u := whoami(c, dir.logout, "default", now); u != "alice" {
				t.Fatalf("not logged in: %#v", u)
			}
			r := c.do("GET", dir.logout+dir.path, "default", now, nil, "")
			if len(r.SetCookie) != 1 || !strings.HasPrefix(r.SetCookie[0], "session=null; ") {
				t.Errorf("logout Set-Cookie %q, want Starlette's deletion", r.SetCookie)
			}
			for _, base := range []string{pa.URL, ga.URL} {
				if u := whoami(c, base, "default", now); u != nil {
					t.Errorf("%s: still logged in as %#v", base, u)
				}
			}
		})
	}
}

// Expired and tampered cookies give an empty session on both sides, which
// neither answers with a Set-Cookie header.
func testStarletteRefused(t *testing.T, pa *livePy, ga *goStarletteApp) {
	c := newStarJar(t)
	t0 := time.Now().Unix()
	r := c.do("GET", ga.URL+"/login?user=alice", "default", t0, nil, "")
	value := setCookieValue(r.SetCookie[0])
	payload, rest, _ := strings.Cut(value, ".")
	// {"user": "alice"} -> {"user": "alicf"}, the signature kept.
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil || !bytes.Contains(raw, []byte(`"alice"`)) {
		t.Fatalf("payload %s: %q, %v", payload, raw, err)
	}
	forged := base64.StdEncoding.EncodeToString(bytes.Replace(raw, []byte(`"alice"`), []byte(`"alicf"`), 1))
	maxAge := int64(starlette.DefaultMaxAge / time.Second)
	// The cookies are sent as given, not through the jar, which the
	// control's re-set cookie would change.
	cases := []struct {
		name   string
		cookie string
		now    int64
	}{
		{"fresh (control)", "session=" + value, t0 + maxAge},
		{"expired", "session=" + value, t0 + maxAge + 1},
		{"signed in the future", "session=" + value, t0 - 1},
		{"payload changed", "session=" + forged + "." + rest, t0},
		{"signature changed", "session=" + value[:len(value)-2] + map[bool]string{true: "AA", false: "BA"}[value[len(value)-2] != 'A'], t0},
	}
	for _, tc := range cases {
		for _, base := range []string{pa.URL, ga.URL} {
			var u struct {
				User testvec.TV `json:"user"`
			}
			rep := c.send("GET", base+"/whoami", "default", tc.now, nil, tc.cookie, &u)
			got := decodeTV(t, []byte(u.User))
			if tc.name == "fresh (control)" {
				if got != "alice" || len(rep.SetCookie) != 1 {
					t.Errorf("%s %s: user %#v, Set-Cookie %q; want alice, re-set", base, tc.name, got, rep.SetCookie)
				}
				continue
			}
			if got != nil || len(rep.SetCookie) != 0 {
				t.Errorf("%s %s: user %#v, Set-Cookie %q; want none, none", base, tc.name, got, rep.SetCookie)
			}
		}
	}
}
