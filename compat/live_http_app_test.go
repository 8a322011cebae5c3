package compat_test

// Helpers of the live HTTP tests: the Python app (compat/flaskapp/app.py)
// as a child process, the Go app with the same routes and configs, and a
// client whose cookie jar both share.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/session"
)

// Request headers understood by both apps.
const (
	headerFlaskapp = "X-Flaskapp" // which config
	headerFakeNow  = "X-Fake-Now" // the request's time, in Unix seconds
)

// httpAppConfig is one configuration, written for both sides.
type httpAppConfig struct {
	Python  map[string]any
	Codec   []codec.Option
	Session []session.Option
	// Cookie is the session cookie name (SESSION_COOKIE_NAME).
	Cookie string
	// Since31 marks a configuration that only Flask 3.1 (Werkzeug 3)
	// supports: under session.Flask22, New must refuse it, and the Go app
	// does not serve it.
	Since31 bool
}

// pyHTTPApp is a running compat/flaskapp/app.py.
type pyHTTPApp struct {
	URL       string
	Framework string
	Versions  map[string]string
}

// startPyHTTPApp starts the Flask or Quart app with configs on a loopback port
// and stops it when t ends. It skips t when Python or the framework is
// missing, unless FLASKCOOKIE_REQUIRE_PYTHON=1.
func startPyHTTPApp(t *testing.T, framework string, configs map[string]httpAppConfig) *pyHTTPApp {
	t.Helper()
	pyapp.Require(t, map[string][]string{"flask": {"flask", "werkzeug"}, "quart": {"quart", "hypercorn"}}[framework]...)
	py := map[string]map[string]any{}
	for name, c := range configs {
		py[name] = c.Python
	}
	cfg, err := json.Marshal(py)
	if err != nil {
		t.Fatal(err)
	}
	p := pyapp.Start(t, filepath.Join("flaskapp", "app.py"), []string{framework}, []string{"FLASKAPP_CONFIG=" + string(cfg)})
	app := &pyHTTPApp{URL: p.URL, Framework: framework}
	var ping struct {
		Versions map[string]string `json:"versions"`
	}
	newJarClient(t).getJSON(app.URL+"/_ping", "default", 0, &ping)
	app.Versions = ping.Versions
	t.Logf("%s app on %s: %v", framework, app.URL, ping.Versions)
	return app
}

// goHTTPApp serves the routes of app.py with the session package, one Manager
// per config, chosen by the X-Flaskapp header. The codecs' clock is the
// X-Fake-Now header of the request being served (requests to it are made
// one at a time).
type goHTTPApp struct {
	*httptest.Server
	managers map[string]*session.Manager
	now      atomic.Int64
}

// newGoHTTPApp starts the Go app with a Manager per config, each made with
// session.WithFlaskVersion(v). Under Flask22 a config marked Since31 must
// be refused by New (an error of t otherwise) and is not served.
func newGoHTTPApp(t *testing.T, configs map[string]httpAppConfig, v session.FlaskVersion) *goHTTPApp {
	t.Helper()
	g := &goHTTPApp{managers: map[string]*session.Manager{}}
	clock := func() time.Time { return time.Unix(g.now.Load(), 0) }
	mux := goHTTPMux(t)
	handlers := map[string]http.Handler{}
	for name, c := range configs {
		secret, _ := c.Python["SECRET_KEY"].(string)
		cd, err := codec.New([]byte(secret), append([]codec.Option{codec.WithClock(clock)}, c.Codec...)...)
		if err != nil {
			t.Fatal(err)
		}
		m, err := session.New(cd, append([]session.Option{session.WithFlaskVersion(v)}, c.Session...)...)
		if c.Since31 && v == session.Flask22 {
			if !errors.Is(err, itsdangerous.ErrConfig) {
				t.Errorf("config %s is Flask 3.1's only, but New under %v: %v, want an error matching itsdangerous.ErrConfig", name, v, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("config %s: %v", name, err)
		}
		g.managers[name] = m
		handlers[name] = m.Handler(mux)
	}
	g.Server = serveApps(t, headerFlaskapp, &g.now, handlers)
	return g
}

// serveApps serves handlers[name], where name is the request's appHeader
// ("default" when absent), and stores the request's X-Fake-Now header (the
// real time when absent) in now before the handler runs; the server is
// closed when t ends.
func serveApps(t *testing.T, appHeader string, now *atomic.Int64, handlers map[string]http.Handler) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.Header.Get(appHeader)
		if name == "" {
			name = "default"
		}
		h, ok := handlers[name]
		if !ok {
			http.Error(w, "no app "+name, http.StatusNotFound)
			return
		}
		at, err := strconv.ParseInt(r.Header.Get(headerFakeNow), 10, 64)
		if err != nil {
			at = time.Now().Unix()
		}
		now.Store(at)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// writeJSONReply answers v as JSON.
func writeJSONReply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// tvOrFail encodes v as a typed value, failing the request if it cannot.
func tvOrFail(w http.ResponseWriter, v any) (json.RawMessage, bool) {
	tv, err := testvec.EncodeTV(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return nil, false
	}
	return tv, true
}

// replyOK answers {"ok": true}.
func replyOK(w http.ResponseWriter) { writeJSONReply(w, map[string]bool{"ok": true}) }

// newSessionMux has the routes that compat/flaskapp/app.py and
// compat/starletteapp/app.py share: /login, /whoami, /clear and /touch.
func newSessionMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Set("user", r.URL.Query().Get("user"))
		replyOK(w)
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		u, _ := session.FromRequest(r).Get("user")
		if tv, good := tvOrFail(w, u); good {
			writeJSONReply(w, map[string]any{"user": tv})
		}
	})
	mux.HandleFunc("GET /clear", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Clear()
		replyOK(w)
	})
	mux.HandleFunc("GET /touch", func(w http.ResponseWriter, r *http.Request) { replyOK(w) })
	return mux
}

// goHTTPMux mirrors the routes of compat/flaskapp/app.py.
func goHTTPMux(t *testing.T) *http.ServeMux {
	mux := newSessionMux()
	mux.HandleFunc("GET /logout", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Delete("user")
		replyOK(w)
	})
	mux.HandleFunc("POST /set", func(w http.ResponseWriter, r *http.Request) {
		var tv testvec.TV
		if err := json.NewDecoder(r.Body).Decode(&tv); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		v, err := tv.Value()
		m, isMap := v.(map[string]any)
		if err != nil || !isMap {
			http.Error(w, fmt.Sprintf("not a dict tv: %v", err), http.StatusBadRequest)
			return
		}
		s := session.FromRequest(r)
		for k, x := range m {
			s.Set(k, x)
		}
		replyOK(w)
	})
	mux.HandleFunc("GET /dump", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		d := py.Dict{}
		for _, k := range s.Keys() {
			v, _ := s.Get(k)
			d = append(d, py.Item{Key: k, Value: v})
		}
		if tv, good := tvOrFail(w, d); good {
			writeJSONReply(w, map[string]any{"session": tv, "permanent": s.Permanent()})
		}
	})
	mux.HandleFunc("GET /flash", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		cat := q.Get("category")
		if cat == "" {
			cat = session.DefaultCategory
		}
		session.FromRequest(r).Flash(cat, q.Get("message"))
		replyOK(w)
	})
	mux.HandleFunc("GET /flashes", func(w http.ResponseWriter, r *http.Request) {
		list := []any{}
		for _, f := range session.FromRequest(r).FlashedMessages(r.URL.Query()["category"]...) {
			list = append(list, py.Tuple{f.Category, f.Message})
		}
		if tv, good := tvOrFail(w, list); good {
			writeJSONReply(w, map[string]any{"flashes": tv})
		}
	})
	mux.HandleFunc("GET /permanent", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).SetPermanent(r.URL.Query().Get("on") == "1")
		replyOK(w)
	})
	mux.HandleFunc("GET /scenario/{name}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") == "writeread" {
			// Part of the body first, then a read of the session: Flask
			// builds the whole response before saving, so the read
			// counts (Vary: Cookie).
			io.WriteString(w, `{"ok": `)
			session.FromRequest(r).Get("x")
			io.WriteString(w, "true}\n")
			return
		}
		if !goSessionScenario(w, session.FromRequest(r), r.PathValue("name")) {
			http.Error(w, "unknown scenario", http.StatusNotFound)
			return
		}
		replyOK(w)
	})
	return mux
}

// sessionScenarios are the session operations of app.py's _scenario.
var sessionScenarios = []string{"none", "get", "getitem", "set", "setdefault", "pop", "popmissing", "clear",
	"clearset", "has", "len", "iter", "vary", "permanent", "notpermanent", "permanentread", "modified", "flash",
	"flashes", "flashread", "flashfilter", "writeread", "types"}

// goSessionScenario does what app.py's _scenario does for name.
func goSessionScenario(w http.ResponseWriter, s *session.Session, name string) bool {
	switch name {
	case "none":
	case "get":
		s.Get("x")
	case "set":
		s.Set("x", 1)
	case "setdefault":
		s.SetDefault("x", 1)
	case "pop":
		s.Delete("x")
	case "popmissing":
		s.Pop("nope")
	case "getitem":
		s.Get("x")
	case "clearset":
		s.Clear()
		s.Set("x", 1)
	case "len":
		s.Len()
	case "iter":
		s.Keys()
	case "permanentread":
		s.Permanent()
	case "flashread":
		s.Flash("message", "hi")
		s.FlashedMessages()
	case "flashfilter":
		s.FlashedMessages("error")
	case "clear":
		s.Clear()
	case "has":
		s.Has("x")
	case "vary":
		w.Header().Set("Vary", "Accept-Encoding, Accept-Language")
		s.Get("x")
	case "permanent":
		s.SetPermanent(true)
		s.Set("x", 1)
	case "notpermanent":
		s.SetPermanent(false)
	case "modified":
		s.MarkModified()
	case "flash":
		s.Flash("message", "hi")
	case "flashes":
		s.FlashedMessages()
	case "types":
		s.Set("t", map[string]any{
			"tuple":  py.Tuple{1, "a"},
			"bytes":  []byte{0, 0xff},
			"markup": py.Markup("<b>"),
			"uuid":   mustParseUUID("12345678-1234-5678-1234-567812345678"),
			"dt":     time.Unix(1700000000, 0).UTC(),
			"esc":    map[string]any{" t": 1},
		})
	default:
		return false
	}
	return true
}

func mustParseUUID(s string) py.UUID {
	u, err := py.ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return u
}

// jarClient drives both apps with one cookie jar. appHeader is the request
// header that names the app's config: X-Flaskapp for compat/flaskapp,
// X-App for compat/starletteapp.
type jarClient struct {
	t         *testing.T
	c         *http.Client
	appHeader string
}

func newJarClient(t *testing.T) *jarClient { return newJarClientFor(t, headerFlaskapp) }

func newJarClientFor(t *testing.T, appHeader string) *jarClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &jarClient{t: t, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}, appHeader: appHeader}
}

// httpReply is a response, read.
type httpReply struct {
	Status    int
	SetCookie []string
	Vary      []string
	Body      []byte
}

// do sends a request for app at the time now (0: no fake time), with the
// jar's cookies, or only with cookie when it is not empty.
func (c *jarClient) do(method, url, app string, now int64, body any, cookie string) httpReply {
	c.t.Helper()
	return c.send(method, url, app, now, body, cookie, nil)
}

// send sends a request to app at the fake time now (0: the real time) with
// the jar's cookies, or, when cookie is not empty, with that Cookie header
// alone and the jar left as it is; it decodes a JSON answer into out
// (unless nil).
func (c *jarClient) send(method, url, app string, now int64, body any, cookie string, out any) httpReply {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set(c.appHeader, app)
	if now != 0 {
		req.Header.Set(headerFakeNow, strconv.FormatInt(now, 10))
	}
	hc := c.c
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
		hc = &http.Client{Timeout: c.c.Timeout}
	}
	res, err := hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("%s %s: %s\n%s", method, url, res.Status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
	return httpReply{Status: res.StatusCode, SetCookie: res.Header.Values("Set-Cookie"), Vary: res.Header.Values("Vary"), Body: b}
}

// getJSON is a GET through the jar, decoding the JSON answer into v.
func (c *jarClient) getJSON(url, app string, now int64, v any) httpReply {
	c.t.Helper()
	return c.send("GET", url, app, now, nil, "", v)
}

// whoami reads /whoami.
func whoami(c *jarClient, base, app string, now int64) any {
	c.t.Helper()
	var r struct {
		User testvec.TV `json:"user"`
	}
	c.getJSON(base+"/whoami", app, now, &r)
	return decodeTV(c.t, []byte(r.User))
}

// decodeTV decodes a typed value.
func decodeTV(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	v, err := testvec.TV(raw).Value()
	if err != nil {
		t.Fatalf("typed value %s: %v", raw, err)
	}
	return v
}

// setCookieValue returns the value in a Set-Cookie header.
func setCookieValue(setCookie string) string {
	nv, _, _ := strings.Cut(setCookie, ";")
	_, v, _ := strings.Cut(nv, "=")
	return v
}
