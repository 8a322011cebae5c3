package compat_test

// Live tests against a real Starlette 0.26.1 app (compat/starletteapp/app.py,
// SessionMiddleware served by uvicorn): the app reads every cookie the
// starlette package writes, and the package reads, and re-creates byte for
// byte, every Set-Cookie header the app sends.
//
// The helpers at the top (livePy) also start the Django app of
// live_django_test.go.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

// livePy is a running Python web app (compat/starletteapp or
// compat/djangoapp) on a loopback port.
type livePy struct {
	URL      string
	Versions map[string]string
	client   *http.Client
}

// startLivePy starts script (relative to compat/) with env added, and
// stops it when t ends (see pyapp.Start). It skips t when Python or one of
// modules is missing, unless FLASKCOOKIE_REQUIRE_PYTHON=1.
func startLivePy(t *testing.T, script string, modules []string, env ...string) *livePy {
	t.Helper()
	pyapp.Require(t, modules...)
	p := pyapp.Start(t, script, nil, env)
	app := &livePy{URL: p.URL, client: &http.Client{Timeout: 30 * time.Second}}
	var ping struct {
		Versions map[string]string `json:"versions"`
	}
	app.do(t, "GET", "/_ping", nil, nil, &ping)
	app.Versions = ping.Versions
	t.Logf("%s on %s: %v", script, app.URL, ping.Versions)
	return app
}

// do sends one request with the given headers (and a JSON body unless nil),
// decodes the JSON answer into out (unless nil) and returns the response.
func (a *livePy) do(t *testing.T, method, path string, header map[string]string, body, out any) *http.Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s\n%s", method, path, resp.Status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, data)
		}
	}
	return resp
}

// setCookies returns the Set-Cookie headers of a response, as sent.
func setCookies(resp *http.Response) []string { return resp.Header.Values("Set-Cookie") }

// cookieValue returns the value of the named cookie in a Set-Cookie header.
func cookieValue(t *testing.T, header, name string) string {
	t.Helper()
	first, _, _ := strings.Cut(strings.TrimSpace(header), ";")
	n, v, ok := strings.Cut(first, "=")
	if !ok || n != name {
		t.Fatalf("Set-Cookie %q is not cookie %q", header, name)
	}
	return v
}

func mustTV(t *testing.T, v any) json.RawMessage {
	t.Helper()
	tv, err := testvec.EncodeTV(v)
	if err != nil {
		t.Fatal(err)
	}
	return tv
}

// liveSessions are the sessions sent both ways, with the exact Python types
// they must arrive as.
func liveSessions() map[string]py.Dict {
	big, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	return map[string]py.Dict{
		"small":   {{Key: "user_id", Value: int64(42)}},
		"v11":     {{Key: "user_id", Value: int64(42)}, {Key: "name", Value: "J\u00fcrgen"}, {Key: "roles", Value: []any{"a", "b"}}},
		"unicode": {{Key: "name", Value: "J\u00fcrgen \u20ac \U0001f600"}, {Key: "ls", Value: "\u2028\x7f\x01\n"}, {Key: "k\u00e9y", Value: true}},
		"types": {{Key: "none", Value: nil}, {Key: "f", Value: false}, {Key: "i", Value: int64(-7)}, {Key: "big", Value: big},
			{Key: "floats", Value: []any{1.0, 0.1, 1e16, math.Copysign(0, -1), 2.5e-07, math.Inf(1), math.NaN()}}},
		"order":  {{Key: "z", Value: int64(1)}, {Key: "a", Value: py.Dict{{Key: "y", Value: int64(1)}, {Key: "b", Value: []any{}}}}},
		"escape": {{Key: "html", Value: "</script> & <b>\"'\\"}},
		"large":  {{Key: "items", Value: largeList(60)}},
	}
}

func largeList(n int) []any {
	l := make([]any, n)
	for i := range l {
		l[i] = py.Dict{{Key: "id", Value: int64(i)}, {Key: "name", Value: fmt.Sprintf("item %d", i)}}
	}
	return l
}

var liveT = time.Unix(1700000000, 0)

func liveNow(t time.Time) map[string]string {
	return map[string]string{"X-Fake-Now": strconv.FormatInt(t.Unix(), 10)}
}

// starletteLiveConfigs are the SessionMiddleware configurations of the
// live app, and the Go options that mirror them.
var starletteLiveConfigs = []struct {
	name   string
	python map[string]any
	key    []byte
	opts   []starlette.Option
}{
	{"default", map[string]any{"secret": "starlette-secret"}, []byte("starlette-secret"), nil},
	{"bytes", map[string]any{"secret": "bytes-secret", "secret_type": "bytes"},
		starlette.PythonBytesKey([]byte("bytes-secret")), nil},
	{"secret", map[string]any{"secret": "k\u00e9y", "secret_type": "Secret", "https_only": true,
		"same_site": "strict", "path": "/", "session_cookie": "sid", "max_age": 60},
		[]byte("k\u00e9y"), []starlette.Option{starlette.WithHTTPSOnly(true), starlette.WithSameSite("strict"),
			starlette.WithCookieName("sid"), starlette.WithMaxAge(time.Minute)}},
	{"nomaxage", map[string]any{"secret": "s", "max_age": nil}, []byte("s"),
		[]starlette.Option{starlette.WithoutMaxAge()}},
}

func startStarletteApp(t *testing.T) *livePy {
	t.Helper()
	cfg := map[string]any{}
	for _, c := range starletteLiveConfigs {
		cfg[c.name] = c.python
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	app := startLivePy(t, "starletteapp/app.py", []string{"starlette", "uvicorn"}, "STARLETTEAPP_CONFIG="+string(b))
	if app.Versions["starlette"] == "" {
		t.Fatalf("no Starlette version: %v", app.Versions)
	}
	return app
}

func TestLiveStarlette(t *testing.T) {
	app := startStarletteApp(t)
	sessions := liveSessions()
	for _, cfg := range starletteLiveConfigs {
		codec, err := starlette.New(cfg.key, append([]starlette.Option{starlette.WithClock(func() time.Time { return liveT })}, cfg.opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		name := codec.Cookie().Name
		hdr := func(now time.Time, cookie string) map[string]string {
			h := liveNow(now)
			h["X-App"] = cfg.name
			if cookie != "" {
				h["Cookie"] = name + "=" + cookie
			}
			return h
		}
		for sn, s := range sessions {
			// Starlette writes a cookie; we read it to the same session and
			// write, at the same time, the same Set-Cookie header.
			t.Run(cfg.name+"/python-to-go/"+sn, func(t *testing.T) {
				resp := app.do(t, "POST", "/set", hdr(liveT, ""), mustTV(t, s), nil)
				sc := setCookies(resp)
				if len(sc) != 1 {
					t.Fatalf("Set-Cookie %q", sc)
				}
				value := cookieValue(t, sc[0], name)
				var got any
				signed, err := codec.Decode(value, &got)
				if err != nil {
					t.Fatalf("Decode(%s): %v", value, err)
				}
				if d := testvec.Diff(s, got); d != "" {
					t.Error(d)
				}
				ours, err := codec.EncodeAt(got, signed)
				if err != nil {
					t.Fatal(err)
				}
				if h := codec.Cookie().SetCookie(ours); h != sc[0] {
					t.Errorf("Set-Cookie:\n got %s\nwant %s", h, sc[0])
				}
			})
			// We write a cookie; Starlette reads it to the same session.
			t.Run(cfg.name+"/go-to-python/"+sn, func(t *testing.T) {
				cookie, err := codec.EncodeAt(s, liveT)
				if err != nil {
					t.Fatal(err)
				}
				var out struct {
					Session testvec.TV `json:"session"`
				}
				resp := app.do(t, "GET", "/dump", hdr(liveT.Add(30*time.Second), cookie), nil, &out)
				got, err := out.Session.Ordered()
				if err != nil {
					t.Fatal(err)
				}
				if d := testvec.Diff(s, got); d != "" {
					t.Error(d)
				}
				// Starlette re-signs the session it loaded: what we write
				// at that time.
				again, _ := codec.EncodeAt(s, liveT.Add(30*time.Second))
				if sc := setCookies(resp); len(sc) != 1 || sc[0] != codec.Cookie().SetCookie(again) {
					t.Errorf("re-set %q, want %q", sc, codec.Cookie().SetCookie(again))
				}
			})
		}
		// Clearing a session loaded from our cookie.
		t.Run(cfg.name+"/clear", func(t *testing.T) {
			cookie, _ := codec.EncodeAt(sessions["small"], liveT)
			resp := app.do(t, "GET", "/clear", hdr(liveT, cookie), nil, nil)
			if sc := setCookies(resp); len(sc) != 1 || sc[0] != codec.Cookie().ClearCookie() {
				t.Errorf("Set-Cookie %q, want %q", sc, codec.Cookie().ClearCookie())
			}
		})
		// Cookies both sides refuse: Starlette starts an empty session.
		good, _ := codec.EncodeAt(sessions["small"], liveT)
		refused := map[string]struct {
			cookie string
			now    time.Time
		}{
			// A signature character other than the last, whose low bits
			// the lenient decoder ignores.
			"tampered":  {good[:len(good)-5] + map[bool]string{true: "A", false: "B"}[good[len(good)-5] != 'A'] + good[len(good)-4:], liveT},
			"other key": {mustEncode(t, "other-key", sessions["small"]), liveT},
		}
		if d, ok := codec.MaxAge(); ok {
			// Without max_age Starlette checks no age, future or past.
			refused["expired"] = struct {
				cookie string
				now    time.Time
			}{good, liveT.Add(d + time.Second)}
			refused["future"] = struct {
				cookie string
				now    time.Time
			}{good, liveT.Add(-time.Second)}
		}
		for rn, r := range refused {
			t.Run(cfg.name+"/refused/"+rn, func(t *testing.T) {
				_, goErr := codec.DecodeAt(r.cookie, nil, r.now)
				if !errors.Is(goErr, itsdangerous.ErrBadSignature) {
					t.Errorf("Go accepted it: %v", goErr)
				}
				var out struct {
					Session testvec.TV `json:"session"`
				}
				app.do(t, "GET", "/dump", hdr(r.now, r.cookie), nil, &out)
				got, err := out.Session.Value()
				if err != nil {
					t.Fatal(err)
				}
				if d := testvec.Diff(map[string]any{}, got); d != "" {
					t.Errorf("Starlette kept the session: %s", d)
				}
			})
		}
	}
}

func mustEncode(t *testing.T, key string, s any) string {
	t.Helper()
	c, err := starlette.New([]byte(key), starlette.WithClock(func() time.Time { return liveT }))
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// starletteDomainSince is the first Starlette whose SessionMiddleware takes
// a domain argument (0.32.0); Debian 12's 0.26.1 has none, the current
// Debian release's 0.46.1 has it.
const starletteDomainSince = "0.32"

// TestLiveStarletteDomain asserts the one difference between the peer sets'
// Starlette versions: SessionMiddleware's domain argument. Starlette 0.26
// refuses it (TypeError); 0.46 writes "; domain=<domain>" after the other
// attributes, and starlette.WithDomain writes the same headers, for a
// session set and for one cleared, and the two sides read each other's
// cookies.
func TestLiveStarletteDomain(t *testing.T) {
	peers := pyoracle.Peers(t)
	hasDomain := peers.AtLeast("starlette", starletteDomainSince)
	out := strings.TrimSpace(string(pyapp.Run(t, nil, "-c", `
import sys
try:
    from starlette.middleware.sessions import SessionMiddleware
except ImportError as e:
    print(e, file=sys.stderr); sys.exit(3)
try:
    SessionMiddleware(None, secret_key="k", domain="example.com")
    print("accepted")
except TypeError:
    print("TypeError")
`)))
	if want := map[bool]string{true: "accepted", false: "TypeError"}[hasDomain]; out != want {
		t.Fatalf("Starlette %s with domain=: %s, want %s", peers.Version("starlette"), out, want)
	}
	if !hasDomain {
		t.Logf("Starlette %s has no domain argument; starlette.WithDomain models %s and later", peers.Version("starlette"), starletteDomainSince)
		return
	}
	const key = "domain-secret"
	cfg, _ := json.Marshal(map[string]any{"default": map[string]any{"secret": key, "domain": "example.com", "https_only": true}})
	app := startLivePy(t, "starletteapp/app.py", []string{"starlette", "uvicorn"}, "STARLETTEAPP_CONFIG="+string(cfg))
	codec, err := starlette.New([]byte(key), starlette.WithDomain("example.com"), starlette.WithHTTPSOnly(true),
		starlette.WithClock(func() time.Time { return liveT }))
	if err != nil {
		t.Fatal(err)
	}
	s := liveSessions()["small"]
	resp := app.do(t, "POST", "/set", liveNow(liveT), mustTV(t, s), nil)
	sc := setCookies(resp)
	if len(sc) != 1 {
		t.Fatalf("Set-Cookie %q", sc)
	}
	value := cookieValue(t, sc[0], codec.Cookie().Name)
	var got any
	signed, err := codec.Decode(value, &got)
	if err != nil {
		t.Fatalf("Decode(%s): %v", value, err)
	}
	ours, err := codec.EncodeAt(got, signed)
	if err != nil {
		t.Fatal(err)
	}
	if h := codec.Cookie().SetCookie(ours); h != sc[0] {
		t.Errorf("Set-Cookie:\n got %s\nwant %s", h, sc[0])
	}
	mine, _ := codec.EncodeAt(s, liveT)
	h := liveNow(liveT)
	h["Cookie"] = codec.Cookie().Name + "=" + mine
	resp = app.do(t, "GET", "/clear", h, nil, nil)
	if sc := setCookies(resp); len(sc) != 1 || sc[0] != codec.Cookie().ClearCookie() {
		t.Errorf("clear: Set-Cookie %q, want %q", sc, codec.Cookie().ClearCookie())
	}
}
