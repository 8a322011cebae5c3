package csrf_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/csrf"
	"github.com/flaskcookie/flaskcookie/session"
)

// vector is one line of testdata/csrf/vectors.json, written by
// compat/gen_csrf.py from the real Flask-WTF 1.1.1; 1.2.2 writes the same
// (compat/generators_test.go checks it under the current peer set).
type vector struct {
	Op, Name, Token string
	Raw             *string
	Now             int64
	Limit           *int64
	Reason          *string
}

const vectorSecret = "csrf-vector-secret"

// withSession runs f on a request whose session holds raw (none if nil).
func withSession(raw *string, f func(r *http.Request)) {
	data := map[string]any{}
	if raw != nil {
		data[csrf.DefaultFieldName] = *raw
	}
	r := httptest.NewRequest("POST", "/", nil)
	f(r.WithContext(session.NewContext(r.Context(), session.NewSession(data))))
}

func TestVectors(t *testing.T) {
	for _, name := range []string{"vectors.json"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "csrf", name))
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Provenance map[string]string
			Vectors    []vector
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		if len(f.Vectors) == 0 || f.Provenance["secret_key"] != vectorSecret {
			t.Fatalf("%s: %d vectors, provenance %v", name, len(f.Vectors), f.Provenance)
		}
		for _, v := range f.Vectors {
			t.Run(name+"/"+v.Op+"/"+v.Name, func(t *testing.T) {
				opts := []csrf.Option{csrf.WithClock(func() time.Time { return time.Unix(v.Now, 0) })}
				if v.Op == "validate" {
					limit := time.Duration(0)
					if v.Limit != nil {
						limit = time.Duration(*v.Limit) * time.Second
					}
					opts = append(opts, csrf.WithTimeLimit(limit))
				}
				p, err := csrf.New([]byte(vectorSecret), opts...)
				if err != nil {
					t.Fatal(err)
				}
				withSession(v.Raw, func(r *http.Request) {
					switch v.Op {
					case "generate":
						if got, err := p.Token(r); err != nil || got != v.Token {
							t.Errorf("Token = %q, %v; Flask-WTF %q", got, err, v.Token)
						}
					case "validate":
						err := p.Validate(r, v.Token)
						if v.Reason == nil {
							if err != nil {
								t.Errorf("Validate: %v; Flask-WTF accepts", err)
							}
							return
						}
						if !errors.Is(err, csrf.ErrCSRF) || csrf.Reason(err) != *v.Reason {
							t.Errorf("Validate: %v (reason %q); Flask-WTF %q", err, csrf.Reason(err), *v.Reason)
						}
					default:
						t.Fatalf("unknown op %q", v.Op)
					}
				})
			})
		}
	}
}

func TestNewRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		secret string
		opts   []csrf.Option
	}{
		{"empty secret: Flask-WTF raises RuntimeError", "", nil},
		{"empty field name", "s", []csrf.Option{csrf.WithFieldName("")}},
		{"negative limit", "s", []csrf.Option{csrf.WithTimeLimit(-time.Second)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := csrf.New([]byte(tc.secret), tc.opts...); !errors.Is(err, csrf.ErrConfig) {
				t.Errorf("New: %v, want ErrConfig", err)
			}
		})
	}
}

// Check's referrer rules on HTTPS, as CSRFProtect.protect applies them
// after a valid token.
func TestReferrer(t *testing.T) {
	p, _ := csrf.New([]byte("s"), csrf.WithRequestIsSecure(func(*http.Request) bool { return true }))
	raw := "r"
	for _, tc := range []struct {
		name, host, referer string
		want                error
	}{
		{"same host", "example.com", "https://example.com/form", nil},
		{"host case and default port", "Example.com:443", "https://EXAMPLE.com/form", nil},
		{"explicit port not in host", "example.com", "https://example.com:443/form", csrf.ErrReferrerMismatch},
		{"other port", "example.com:8443", "https://example.com:8443/", nil},
		{"http referrer", "example.com", "http://example.com/", csrf.ErrReferrerMismatch},
		{"other host", "example.com", "https://evil.example/", csrf.ErrReferrerMismatch},
		{"missing", "example.com", "", csrf.ErrReferrerMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			withSession(&raw, func(r *http.Request) {
				tok, _ := p.Token(r)
				r.Host = tc.host
				r.Header.Set("X-CSRFToken", tok)
				if tc.referer != "" {
					r.Header.Set("Referer", tc.referer)
				}
				if err := p.Check(r); !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
					t.Errorf("Check: %v, want %v", err, tc.want)
				}
			})
		})
	}
}
