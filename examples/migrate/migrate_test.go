package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	pythonPath = "/usr/bin/python3"
	pythonEnv  = "FLASKCOOKIE_REQUIRE_PYTHON"
	testSecret = "migrate-example-secret"
	// readyTimeout bounds the wait for the Flask app to listen.
	readyTimeout = 60 * time.Second
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() > 1<<20 {
		return len(p), nil
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startFlask starts flaskapp/app.py on a free loopback port and returns its
// URL; it is stopped when t ends. Without Python and Flask the test is
// skipped, unless FLASKCOOKIE_REQUIRE_PYTHON=1.
func startFlask(t *testing.T) *url.URL {
	t.Helper()
	if out, err := exec.Command(pythonPath, "-c", "import flask").CombinedOutput(); err != nil {
		msg := fmt.Sprintf("%s cannot import flask: %v %s", pythonPath, err, out)
		if os.Getenv(pythonEnv) == "1" {
			t.Fatalf("%s (%s=1 is set)", msg, pythonEnv)
		}
		t.Skipf("%s (set %s=1 to fail instead)", msg, pythonEnv)
	}
	script, err := filepath.Abs(filepath.Join("flaskapp", "app.py"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(pythonPath, script)
	cmd.Env = append(os.Environ(), "SECRET_KEY="+testSecret, "FLASK_PORT=0", "FLASKAPP_EXIT_ON_EOF=1", "PYTHONDONTWRITEBYTECODE=1")
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
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
			t.Logf("flask stderr:\n%s", stderr.String())
		}
	})
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
		io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		p, ok := strings.CutPrefix(strings.TrimSpace(l), "READY ")
		port, err := strconv.Atoi(p)
		if !ok || err != nil {
			t.Fatalf("flask app did not start: %q\n%s", l, stderr.String())
		}
		return &url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", port)}
	case <-time.After(readyTimeout):
		t.Fatalf("flask app not ready after %v\n%s", readyTimeout, stderr.String())
	}
	return nil
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
