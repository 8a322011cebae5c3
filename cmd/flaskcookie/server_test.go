package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

// TestUnsignServerFlask fetches the session cookie from a running Flask
// app (compat/flaskapp, on 127.0.0.1) signed with a public key, and finds
// the key in the built-in list.
func TestUnsignServerFlask(t *testing.T) {
	pyapp.Require(t, "flask", "werkzeug")
	app := pyapp.Start(t, testvec.Path(t, "compat/flaskapp/app.py"), []string{"flask"},
		[]string{`FLASKAPP_CONFIG={"default": {"SECRET_KEY": "you-will-never-guess"}}`})
	r := fc(t, "", "unsign", "--server", app.URL+"/login?user=alice", "--cookie-name", "session")
	wantOK(t, r)
	if r.stdout != "you-will-never-guess\n" {
		t.Errorf("%v", r)
	}
	// Without --cookie-name: the first cookie of a known format.
	r = fc(t, "", "unsign", "--server", app.URL+"/login?user=bob", "--json")
	wantOK(t, r)
	if !strings.Contains(r.stdout, `"secret":"you-will-never-guess"`) || !strings.Contains(r.stdout, `"name":"session"`) {
		t.Errorf("%v", r)
	}
	// A route that sets no cookie.
	wantFail(t, fc(t, "", "unsign", "--server", app.URL+"/touch"), "set no cookie")
}

// TestUnsignServerHTTP covers what an app can do wrong or on purpose:
// headers and cookies sent, methods, redirects, loops, silence, no cookie,
// TLS.
func TestUnsignServerHTTP(t *testing.T) {
	dev := findVector(t, "debian12/flask/dev").Token
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	mux := http.NewServeMux()
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "other", Value: "x"})
		http.SetCookie(w, &http.Cookie{Name: "session", Value: dev})
	})
	mux.HandleFunc("/need", func(w http.ResponseWriter, r *http.Request) {
		// Only with the header, the cookie and the method asked for.
		c, err := r.Cookie("auth")
		if r.Header.Get("X-Token") != "t1" || err != nil || c.Value != "ok" || r.Method != http.MethodPost {
			http.Error(w, "no", http.StatusForbidden)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "session", Value: dev})
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: dev})
		http.Redirect(w, r, "/home", http.StatusFound)
	})
	mux.HandleFunc("/go", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/set", http.StatusFound) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/home", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/evil", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "\x1b[2Jname=v")
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tlsSrv := httptest.NewTLSServer(mux)
	t.Cleanup(tlsSrv.Close)
	tests := []struct {
		name string
		args []string
		ok   bool
		says []string
	}{
		{"cookie named", []string{"--server", srv.URL + "/set", "--cookie-name", "session"}, true, nil},
		{"first of a known format", []string{"--server", srv.URL + "/set"}, true, nil},
		{"headers, cookies, method", []string{"--server", srv.URL + "/need", "-H", "X-Token: t1", "--send-cookie", "auth=ok", "--method", "POST"}, true, nil},
		{"without them", []string{"--server", srv.URL + "/need"}, false, []string{"set no cookie"}},
		{"cookie on the redirect", []string{"--server", srv.URL + "/login"}, true, nil},
		{"redirect not followed", []string{"--server", srv.URL + "/go"}, false, []string{"set no cookie", "302", "--follow"}},
		{"redirect followed", []string{"--server", srv.URL + "/go", "--follow"}, true, nil},
		{"redirect loop", []string{"--server", srv.URL + "/loop", "--follow"}, false, []string{"10 redirects"}},
		{"no cookie of that name", []string{"--server", srv.URL + "/set", "--cookie-name", "sid"}, false, []string{`no cookie named "sid"`, `"other"`}},
		{"timeout", []string{"--server", srv.URL + "/slow", "--timeout", "300ms"}, false, []string{"no answer within 300ms"}},
		{"TLS verified", []string{"--server", tlsSrv.URL + "/set"}, false, []string{"certificate"}},
		{"TLS --insecure", []string{"--server", tlsSrv.URL + "/set", "--insecure"}, true, nil},
		{"refused connection", []string{"--server", "http://127.0.0.1:1/"}, false, []string{"fetching"}},
		{"escape bytes in a header", []string{"--server", srv.URL + "/evil"}, false, []string{"fetching"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "dev\n", append([]string{"unsign", "-w", "-"}, tt.args...)...)
			if tt.ok {
				wantOK(t, r)
				if r.stdout != "dev\n" {
					t.Errorf("%v", r)
				}
				return
			}
			wantFail(t, r, tt.says...)
			if strings.ContainsRune(r.stderr, 0x1b) {
				t.Errorf("raw escape byte on stderr: %q", r.stderr)
			}
		})
	}
	// Usage errors: exit 2.
	for _, args := range [][]string{
		{"--server", "ftp://x/"},
		{"--server", srv.URL, "-H", "no colon"},
		{"--server", srv.URL, "--send-cookie", "bad"},
		{"--server", srv.URL, "--timeout", "0s"},
		{"--server", srv.URL, "COOKIE"},
	} {
		if r := fc(t, "dev\n", append([]string{"unsign", "-w", "-"}, args...)...); r.code != exitUsage {
			t.Errorf("%q: %v", args, r)
		}
	}
}
