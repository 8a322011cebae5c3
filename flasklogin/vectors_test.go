package flasklogin_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/flasklogin"
)

// vector is one line of testdata/flasklogin/vectors.json (Flask-Login
// 0.6.2) or vectors-current.json (0.6.3), written by compat/gen_login.py
// from the real Flask-Login.
type vector struct {
	Op, Name   string
	RemoteAddr string      `json:"remote_addr"`
	Headers    [][2]string `json:"headers"`
	ID         string      `json:"id"`
	Cookie     string      `json:"cookie"`
	View, Next string
	Want       *string `json:"want"`
}

type vectorFile struct {
	Provenance map[string]string `json:"provenance"`
	Vectors    []vector          `json:"vectors"`
}

func loadVectors(t *testing.T) map[flasklogin.Version]vectorFile {
	t.Helper()
	out := map[flasklogin.Version]vectorFile{}
	for v, name := range map[flasklogin.Version]string{flasklogin.Version062: "vectors.json", flasklogin.Version063: "vectors-current.json"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "flasklogin", name))
		if err != nil {
			t.Fatal(err)
		}
		var f vectorFile
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		if len(f.Vectors) == 0 {
			t.Fatalf("%s: no vectors", name)
		}
		out[v] = f
	}
	return out
}

// latin1 turns WSGI's Latin-1 text back into the header's bytes.
func latin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}

const vectorSecret = "login-vector-secret"

func TestVectors(t *testing.T) {
	for version, f := range loadVectors(t) {
		if f.Provenance["secret_key"] != vectorSecret || f.Provenance["flask-login"] != map[flasklogin.Version]string{flasklogin.Version062: "0.6.2", flasklogin.Version063: "0.6.3"}[version] {
			t.Fatalf("provenance: %v", f.Provenance)
		}
		m, err := flasklogin.New([]byte(vectorSecret), flasklogin.WithVersion(version))
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, v := range f.Vectors {
			counts[v.Op]++
			t.Run(f.Provenance["flask-login"]+"/"+v.Op+"/"+v.Name, func(t *testing.T) {
				switch v.Op {
				case "identifier":
					r := httptest.NewRequest("GET", "/", nil)
					r.RemoteAddr = v.RemoteAddr + ":41000"
					if strings.Contains(v.RemoteAddr, ":") {
						r.RemoteAddr = "[" + v.RemoteAddr + "]:41000"
					}
					r.Header = http.Header{}
					for _, h := range v.Headers {
						r.Header[http.CanonicalHeaderKey(h[0])] = []string{latin1(h[1])}
					}
					if got := flasklogin.Identifier(r); got != *v.Want {
						t.Errorf("Identifier = %s, Flask-Login %s", got, *v.Want)
					}
				case "remember":
					if got := flasklogin.EncodeRememberCookie([]byte(vectorSecret), v.ID); got != *v.Want {
						t.Errorf("EncodeRememberCookie(%q) = %q, Flask-Login %q", v.ID, got, *v.Want)
					}
				case "decode":
					got, err := flasklogin.DecodeRememberCookie([]byte(vectorSecret), v.Cookie)
					switch {
					case v.Want == nil && err == nil:
						t.Errorf("accepted %q as %q; Flask-Login refuses it", v.Cookie, got)
					case v.Want == nil && !errors.Is(err, flasklogin.ErrBadCookie):
						t.Errorf("error %v does not match ErrBadCookie", err)
					case v.Want != nil && (err != nil || got != *v.Want):
						t.Errorf("got %q, %v; Flask-Login %q", got, err, *v.Want)
					}
				case "login_url":
					if got := m.LoginURL(v.View, v.Next); got != *v.Want {
						t.Errorf("LoginURL(%q, %q) = %q, Flask-Login %q", v.View, v.Next, got, *v.Want)
					}
				default:
					t.Fatalf("unknown op %q", v.Op)
				}
			})
		}
		for _, op := range []string{"identifier", "remember", "decode", "login_url"} {
			if counts[op] == 0 {
				t.Errorf("%s: no %s vectors", f.Provenance["flask-login"], op)
			}
		}
	}
}
