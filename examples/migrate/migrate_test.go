package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
)

const testSecret = "migrate-example-secret"

// startFlask starts flaskapp/app.py on a free loopback port and returns its
// URL; it is stopped when t ends. Without Python and Flask the test is
// skipped, unless FLASKCOOKIE_REQUIRE_PYTHON=1.
func startFlask(t *testing.T) *url.URL {
	t.Helper()
	pyapp.Require(t, "flask", "flask_login", "flask_wtf")
	app := pyapp.Start(t, filepath.Join("flaskapp", "app.py"), nil,
		[]string{"SECRET_KEY=" + testSecret, "FLASK_PORT=0", "FLASKAPP_EXIT_ON_EOF=1"})
	return &url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", app.Port)}
}

// startExample starts the Flask app and the Go server in front of it, and
// returns the Go server's URL.
func startExample(t *testing.T) string {
	t.Helper()
	flask := startFlask(t)
	h, err := newHandler([]byte(testSecret), flask)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// The whole flow with net/http and a cookie jar (no browser): log in with
// Flask's form (remember me), see the user on the Go page, post the Go
// form and a Flask-rendered form to Go, lose the session cookie and stay
// logged in on both sides through the remember cookie, log out on Go and be
// logged out on Flask, which shows the message Go flashed.
func TestMigrateFlow(t *testing.T) {
	base := startExample(t)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	var last string // the last page, for its CSRF token
	get := func(path string) string {
		t.Helper()
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		last = body(t, res)
		return last
	}
	post := func(path string, form url.Values) string {
		t.Helper()
		if form == nil {
			form = url.Values{}
		}
		if m := csrfField.FindStringSubmatch(last); m != nil && !form.Has("csrf_token") {
			form.Set("csrf_token", m[1])
		}
		res, err := c.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		last = body(t, res)
		return last
	}
	u, _ := url.Parse(base)
	dropSession := func() {
		jar.SetCookies(u, []*http.Cookie{{Name: "session", Path: "/", MaxAge: -1}})
	}

	steps := []struct {
		name string
		do   func() string
		want []string
		not  []string
	}{
		{"Go page sends to Flask's login", func() string { return get("/go/profile") },
			[]string{"Served by Flask", `name="user"`, "Please log in to access this page."}, nil},
		{"log in on Flask, remember me", func() string {
			return post("/login?next=%2Fgo%2Fprofile", url.Values{"user": {"alice"}, "remember": {"on"}})
		}, []string{"Served by Go", "Welcome, alice!", "Logged in as alice"}, []string{"remembered"}},
		{"post the Go form", func() string { return post("/go/note", url.Values{"note": {"from Go"}}) },
			[]string{"Served by Go", "Note saved by Go", "Your note: from Go"}, nil},
		{"post Flask's form to Go", func() string {
			get("/note")
			return post("/go/note", url.Values{"note": {"from Flask"}})
		}, []string{"Served by Go", "Note saved by Go", "Your note: from Flask"}, nil},
		{"a token from nowhere is refused", func() string {
			res, err := c.PostForm(base+"/go/note", url.Values{"note": {"x"}, "csrf_token": {"forged"}})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return fmt.Sprint(res.StatusCode, " ", string(b))
		}, []string{"400 ", "The CSRF token is invalid."}, nil},
		{"no session cookie: Go restores the login", func() string { dropSession(); return get("/go/profile") },
			[]string{"Served by Go", "Logged in as alice (remembered)"}, nil},
		{"no session cookie: Flask restores the login", func() string { dropSession(); return get("/") },
			[]string{"Served by Flask", "Logged in as alice"}, nil},
		{"log out on Go: Flask shows Go's flash", func() string { get("/go/profile"); return post("/go/logout", nil) },
			[]string{"Served by Flask", "Logged out by Go", "Not logged in"}, []string{"alice"}},
		{"no remember cookie left", func() string { dropSession(); return get("/") },
			[]string{"Not logged in"}, []string{"alice"}},
		{"Go sees the logout", func() string { return get("/go/profile") },
			[]string{"Served by Flask", "Please log in"}, []string{"alice"}},
	}
	for _, st := range steps {
		got := st.do()
		for _, w := range st.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: page lacks %q:\n%s", st.name, w, got)
			}
		}
		for _, n := range st.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: page has %q:\n%s", st.name, n, got)
			}
		}
	}
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode/100 != 2 && res.StatusCode/100 != 3 && res.StatusCode != http.StatusBadRequest {
		t.Fatalf("%s %s: %s\n%s", res.Request.Method, res.Request.URL, res.Status, b)
	}
	return string(b)
}
