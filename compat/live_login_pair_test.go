package compat_test

// The harness of the live Flask-Login tests (live_login_test.go): the
// Flask app and the Go server with the same routes, one cookie jar.

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/csrf"
	"github.com/flaskcookie/flaskcookie/flasklogin"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/session"
)

// loginPair is the Flask app and the Go server, and a client whose jar
// both share (cookies are per host, and both are on 127.0.0.1).
type loginPair struct {
	Flask, Go string
	Versions  map[string]string
	jar       *cookiejar.Jar
	client    *http.Client
	now       atomic.Int64
}

func startLoginPair(t *testing.T) *loginPair {
	t.Helper()
	pyapp.Require(t, "flask", "flask_login", "flask_wtf")
	cfg, err := json.Marshal(loginConfigs)
	if err != nil {
		t.Fatal(err)
	}
	app := pyapp.Start(t, filepath.Join("loginapp", "app.py"), nil, []string{"LOGINAPP_CONFIG=" + string(cfg)})
	p := &loginPair{Flask: app.URL}
	p.jar, _ = cookiejar.New(nil)
	p.client = &http.Client{Jar: p.jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if _, body, _ := p.do(t, p.Flask, "default", "GET", "/versions", nil, nil); true {
		if err := json.Unmarshal([]byte(body), &p.Versions); err != nil {
			t.Fatalf("versions: %v: %s", err, body)
		}
	}
	// The peer set (FLASKCOOKIE_PEERS, PYTHONPATH) and the versions the
	// app itself reports, which must agree.
	info := pyoracle.Peers(t)
	if got, want := p.Versions["flask_login"], info.Version("flask-login"); got != want {
		t.Fatalf("loginapp runs Flask-Login %s, the peer set has %s", got, want)
	}
	t.Logf("loginapp: %v", p.Versions)
	v := flasklogin.Version063
	if p.Versions["flask_login"] == "0.6.2" {
		v = flasklogin.Version062
	}
	fv := session.Flask31
	if strings.HasPrefix(p.Versions["flask"], "2.2.") {
		fv = session.Flask22
	}
	handlers := map[string]http.Handler{}
	clock := func() time.Time { return time.Unix(p.now.Load(), 0) }
	for name, c := range loginConfigs {
		secret := []byte(c["SECRET_KEY"].(string))
		cd, err := codec.New(secret, codec.WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		sm, err := session.New(cd, session.WithFlaskVersion(fv))
		if err != nil {
			t.Fatal(err)
		}
		lm, err := flasklogin.New(secret, append(goLoginOptions(name, v), flasklogin.WithClock(clock))...)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := csrf.New(secret, append(goCSRFOptions(name), csrf.WithClock(clock), csrf.WithExempt("/login", "/logout", "/confirm", "/exempt"))...)
		if err != nil {
			t.Fatal(err)
		}
		handlers[name] = sm.Handler(lm.Handler(cp.Handler(goLoginMux(lm, cp))))
	}
	p.Go = serveApps(t, headerLoginapp, &p.now, handlers).URL
	return p
}

// goLoginMux has the routes of compat/loginapp/app.py.
func goLoginMux(lm *flasklogin.Manager, cp *csrf.Protect) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		// login_user(user, remember=..., duration=...): the duration
		// counts only with remember.
		var opts []flasklogin.LoginOption
		if r.FormValue("remember") == "1" {
			opts = append(opts, flasklogin.Remember())
			if d := r.FormValue("duration"); d != "" {
				sec, _ := time.ParseDuration(d + "s")
				opts = append(opts, flasklogin.RememberFor(sec))
			}
		}
		if err := lm.LoginUser(r, r.FormValue("user"), opts...); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		io.WriteString(w, "logged in")
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		lm.LogoutUser(r)
		io.WriteString(w, "logged out")
	})
	mux.HandleFunc("POST /confirm", func(w http.ResponseWriter, r *http.Request) {
		lm.ConfirmLogin(r)
		io.WriteString(w, "confirmed")
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		id, ok := lm.CurrentUser(r)
		out := map[string]any{"user": nil, "fresh": flasklogin.LoginFresh(r), "session": map[string]any{}}
		if ok {
			out["user"] = id
		}
		s := session.FromRequest(r)
		for _, k := range s.Keys() {
			v, _ := s.Get(k)
			switch x := v.(type) {
			case string, bool, int64:
				out["session"].(map[string]any)[k] = v
			case float64: // as Python's json writes a float
				f := strconv.FormatFloat(x, 'f', -1, 64)
				if !strings.ContainsAny(f, ".eE") {
					f += ".0"
				}
				out["session"].(map[string]any)[k] = json.Number(f)
			}
		}
		writeJSONReply(w, out)
	})
	secret := lm.LoginRequired(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := lm.CurrentUser(r)
		io.WriteString(w, "secret:"+id)
	}))
	mux.Handle("GET /secret", secret)
	mux.Handle("GET /secret/{rest...}", secret)
	mux.Handle("GET /fresh", lm.FreshLoginRequired(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := lm.CurrentUser(r)
		io.WriteString(w, "fresh:"+id)
	})))
	mux.HandleFunc("GET /form", func(w http.ResponseWriter, r *http.Request) {
		tok, err := cp.Token(r)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		io.WriteString(w, `<form method="post" action="/submit"><input type="hidden" name="csrf_token" value="`+tok+
			`"><input name="text" value="hello"><button type="submit">Send</button></form>`)
	})
	mux.HandleFunc("GET /token", func(w http.ResponseWriter, r *http.Request) {
		tok, _ := cp.Token(r)
		io.WriteString(w, tok)
	})
	mux.HandleFunc("POST /submit", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok:"+r.FormValue("text"))
	})
	mux.HandleFunc("POST /exempt", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "exempt") })
	mux.HandleFunc("GET /flashes", func(w http.ResponseWriter, r *http.Request) {
		out := [][2]string{}
		for _, f := range session.FromRequest(r).FlashedMessages() {
			out = append(out, [2]string{f.Category, f.Message})
		}
		b, _ := json.Marshal(out)
		w.Write(b)
	})
	return mux
}

// req is one request's extras.
type req struct {
	UA     string // User-Agent (default: Go's)
	Header map[string]string
	At     int64 // X-Fake-Now
}

// do sends a request to base+path for app cfg, with form as the urlencoded
// body when not nil, and returns status, body and headers.
func (p *loginPair) do(t *testing.T, base, cfg, method, path string, form url.Values, x *req) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r, err := http.NewRequest(method, base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Header.Set(headerLoginapp, cfg)
	if x != nil {
		if x.UA != "" {
			r.Header.Set("User-Agent", x.UA)
		}
		for k, v := range x.Header {
			r.Header.Set(k, v)
		}
		if x.At != 0 {
			r.Header.Set(headerFakeNow, itoa64(x.At))
		}
	}
	resp, err := p.client.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// whoami is the JSON of GET /whoami.
type loginWho struct {
	User    *string        `json:"user"`
	Fresh   bool           `json:"fresh"`
	Session map[string]any `json:"session"`
}

func (p *loginPair) whoami(t *testing.T, base, cfg string, x *req) loginWho {
	t.Helper()
	code, body, _ := p.do(t, base, cfg, "GET", "/whoami", nil, x)
	var w loginWho
	if code != 200 || json.Unmarshal([]byte(body), &w) != nil {
		t.Fatalf("whoami on %s: %d %s", base, code, body)
	}
	return w
}

func (w loginWho) user() string {
	if w.User == nil {
		return "<anonymous>"
	}
	return *w.User
}

// cookie returns the jar's cookie name, or "".
func (p *loginPair) cookie(name string) string {
	u, _ := url.Parse(p.Go)
	for _, c := range p.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// dropCookie removes cookie name from the jar, as a browser that closed
// (the session cookie) or a user who cleared it.
func (p *loginPair) dropCookie(name string) {
	u, _ := url.Parse(p.Go)
	p.jar.SetCookies(u, []*http.Cookie{{Name: name, Path: "/", MaxAge: -1}})
}

func (p *loginPair) reset() {
	p.jar, _ = cookiejar.New(nil)
	p.client.Jar = p.jar
}

func (p *loginPair) sides() [][2]string { return [][2]string{{"flask", p.Flask}, {"go", p.Go}} }

func (p *loginPair) otherOf(base string) string {
	if base == p.Go {
		return p.Flask
	}
	return p.Go
}

func hasDeleteCookie(h http.Header, name string) bool {
	for _, c := range h.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=;") && strings.Contains(c, "Max-Age=0") {
			return true
		}
	}
	return false
}
