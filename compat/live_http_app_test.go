package compat_test

// Helpers of the live HTTP tests: the Python app (compat/flaskapp/app.py)
// as a child process, the Go app with the same routes and configs, and a
// client whose cookie jar both share.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testvec"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/session"
)

// Request headers understood by both apps.
const (
	headerFlaskapp = "X-Flaskapp" // which config
	headerFakeNow  = "X-Fake-Now" // the request's time, in Unix seconds
)

// pyAppReadyTimeout bounds the wait for the Python app to listen.
const pyAppReadyTimeout = 60 * time.Second

// httpAppConfig is one configuration, written for both sides.
type httpAppConfig struct {
	Python  map[string]any
	Codec   []codec.Option
	Session []session.Option
	// Cookie is the session cookie name (SESSION_COOKIE_NAME).
	Cookie string
}

// pyHTTPApp is a running compat/flaskapp/app.py.
type pyHTTPApp struct {
	URL       string
	Framework string
	Versions  map[string]string
}

// httpSyncBuffer collects the child's stderr.
type httpSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *httpSyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() > 1<<20 {
		return len(p), nil
	}
	return s.b.Write(p)
}

func (s *httpSyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func skipOrFatalHTTP(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(pyoracle.RequireEnv) == "1" {
		t.Fatalf("%s (%s=1 is set)", msg, pyoracle.RequireEnv)
	}
	t.Skipf("%s (set %s=1 to fail instead)", msg, pyoracle.RequireEnv)
}

// startPyHTTPApp starts the Flask or Quart app with configs on a loopback port
// and stops it when t ends. It skips t when Python or the framework is
// missing, unless FLASKCOOKIE_REQUIRE_PYTHON=1.
func startPyHTTPApp(t *testing.T, framework string, configs map[string]httpAppConfig) *pyHTTPApp {
	t.Helper()
	if _, err := os.Stat(pyoracle.PythonPath); err != nil {
		skipOrFatalHTTP(t, "no %s", pyoracle.PythonPath)
	}
	modules := map[string]string{"flask": "import flask, werkzeug", "quart": "import quart, hypercorn"}[framework]
	if out, err := exec.Command(pyoracle.PythonPath, "-c", modules).CombinedOutput(); err != nil {
		skipOrFatalHTTP(t, "%s cannot %s: %v %s", pyoracle.PythonPath, modules, err, out)
	}
	script, err := filepath.Abs(filepath.Join("flaskapp", "app.py"))
	if err != nil {
		t.Fatal(err)
	}
	py := map[string]map[string]any{}
	for name, c := range configs {
		py[name] = c.Python
	}
	cfg, err := json.Marshal(py)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(pyoracle.PythonPath, script, framework)
	cmd.Env = append(os.Environ(), "FLASKAPP_CONFIG="+string(cfg), "PYTHONDONTWRITEBYTECODE=1")
	stderr := &httpSyncBuffer{}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe() // the app exits when it closes
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s app stderr:\n%s", framework, stderr.String())
		}
	})
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
		io.Copy(io.Discard, stdout)
	}()
	var port int
	select {
	case l := <-line:
		p, ok := strings.CutPrefix(strings.TrimSpace(l), "READY ")
		if port, err = strconv.Atoi(p); !ok || err != nil {
			t.Fatalf("%s app did not start: %q\n%s", framework, l, stderr.String())
		}
	case <-time.After(pyAppReadyTimeout):
		t.Fatalf("%s app not ready after %v\n%s", framework, pyAppReadyTimeout, stderr.String())
	}
	app := &pyHTTPApp{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Framework: framework}
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

func newGoHTTPApp(t *testing.T, configs map[string]httpAppConfig) *goHTTPApp {
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
		m, err := session.New(cd, c.Session...)
		if err != nil {
			t.Fatal(err)
		}
		g.managers[name] = m
		handlers[name] = m.Handler(mux)
	}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.Header.Get(headerFlaskapp)
		if name == "" {
			name = "default"
		}
		h, ok := handlers[name]
		if !ok {
			http.Error(w, "no app "+name, http.StatusNotFound)
			return
		}
		now, err := strconv.ParseInt(r.Header.Get(headerFakeNow), 10, 64)
		if err != nil {
			now = time.Now().Unix()
		}
		g.now.Store(now)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(g.Close)
	return g
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

// goHTTPMux mirrors the routes of compat/flaskapp/app.py.
func goHTTPMux(t *testing.T) *http.ServeMux {
	mux := http.NewServeMux()
	ok := func(w http.ResponseWriter) { writeJSONReply(w, map[string]bool{"ok": true}) }
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Set("user", r.URL.Query().Get("user"))
		ok(w)
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		u, _ := session.FromRequest(r).Get("user")
		if tv, good := tvOrFail(w, u); good {
			writeJSONReply(w, map[string]any{"user": tv})
		}
	})
	mux.HandleFunc("GET /logout", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Delete("user")
		ok(w)
	})
	mux.HandleFunc("GET /clear", func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Clear()
		ok(w)
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
		ok(w)
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
		ok(w)
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
		ok(w)
	})
	mux.HandleFunc("GET /touch", func(w http.ResponseWriter, r *http.Request) { ok(w) })
	mux.HandleFunc("GET /scenario/{name}", func(w http.ResponseWriter, r *http.Request) {
		if !goSessionScenario(w, session.FromRequest(r), r.PathValue("name")) {
			http.Error(w, "unknown scenario", http.StatusNotFound)
			return
		}
		ok(w)
	})
	return mux
}

// sessionScenarios are the session operations of app.py's _scenario.
var sessionScenarios = []string{"none", "get", "set", "setdefault", "pop", "clear", "has", "vary",
	"permanent", "notpermanent", "modified", "flash", "flashes", "types"}

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

// jarClient drives both apps with one cookie jar.
type jarClient struct {
	t   *testing.T
	c   *http.Client
	jar *cookiejar.Jar
}

func newJarClient(t *testing.T) *jarClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &jarClient{t: t, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}, jar: jar}
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
	req.Header.Set(headerFlaskapp, app)
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
	return httpReply{Status: res.StatusCode, SetCookie: res.Header.Values("Set-Cookie"), Vary: res.Header.Values("Vary"), Body: b}
}

// getJSON is a GET through the jar, decoding the JSON answer into v.
func (c *jarClient) getJSON(url, app string, now int64, v any) httpReply {
	c.t.Helper()
	r := c.do("GET", url, app, now, nil, "")
	if v != nil {
		if err := json.Unmarshal(r.Body, v); err != nil {
			c.t.Fatalf("GET %s: %v: %s", url, err, r.Body)
		}
	}
	return r
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
