package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/pyapp"
)

const testSecret = "migrate-example-secret"

// startFlask starts flaskapp/app.py on a free loopback port and returns its
// URL; it is stopped when t ends. Without Python and Flask the test is
// skipped, unless FLASKCOOKIE_REQUIRE_PYTHON=1.
func startFlask(t *testing.T) *url.URL {
	t.Helper()
	pyapp.Require(t, "flask")
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
// the Flask form, see the user on the Go page, log out on the Go page, be
// logged out on the Flask page, which shows the message Go flashed.
func TestMigrateFlow(t *testing.T) {
	base := startExample(t)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	get := func(path string) string {
		t.Helper()
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		return body(t, res)
	}
	post := func(path string, form url.Values) string {
		t.Helper()
		res, err := c.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		return body(t, res)
	}

	steps := []struct {
		name string
		do   func() string
		want []string
		not  []string
	}{
		{"login form, from Flask", func() string { return get("/login") }, []string{"Served by Flask", `name="user"`}, nil},
		{"log in on Flask", func() string { return post("/login", url.Values{"user": {"alice"}}) },
			[]string{"Served by Flask", "Welcome, alice!", "Logged in as alice"}, nil},
		{"Go sees the user", func() string { return get("/go/profile") },
			[]string{"Served by Go", "Logged in as alice"}, []string{"Welcome"}},
		{"log out on Go: Flask shows Go's flash", func() string { return post("/go/logout", nil) },
			[]string{"Served by Flask", "Logged out by Go", "Not logged in"}, []string{"alice"}},
		{"Go sees the logout", func() string { return get("/go/profile") },
			[]string{"Served by Go", "Not logged in"}, []string{"Logged out by Go"}},
		{"log in again on Flask", func() string { return post("/login", url.Values{"user": {"bob"}}) },
			[]string{"Logged in as bob"}, nil},
		{"log out on Flask: Go shows Flask's flash", func() string {
			// Flask's logout redirects to its home page, which shows
			// the flash; take the Go page first instead.
			c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			defer func() { c.CheckRedirect = nil }()
			post("/logout", nil)
			return get("/go/profile")
		}, []string{"Served by Go", "Logged out by Flask", "Not logged in"}, []string{"bob"}},
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

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode/100 != 2 && res.StatusCode/100 != 3 {
		t.Fatalf("%s %s: %s\n%s", res.Request.Method, res.Request.URL, res.Status, b)
	}
	return string(b)
}
