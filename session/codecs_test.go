package session_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/session"
	"github.com/google/go-cmp/cmp"
)

// A sealed codec (Fernet) serves the middleware the same way as a signed
// one: what one request saves, the next one loads.
func TestSealedCodec(t *testing.T) {
	key, err := fernet.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	f, err := fernet.New(key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := codec.NewSealed(f)
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(c)
	if err != nil {
		t.Fatal(err)
	}
	set := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Set("user_id", 42)
	}))
	rec := httptest.NewRecorder()
	set.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || !strings.HasPrefix(cookies[0].Value, "gAAAAA") {
		t.Fatalf("Set-Cookie %q, want one Fernet token", rec.Header().Values("Set-Cookie"))
	}
	var got any
	get := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = session.FromRequest(r).Get("user_id")
	}))
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(cookies[0])
	get.ServeHTTP(httptest.NewRecorder(), req)
	if got != int64(42) {
		t.Errorf("user_id = %#v after a sealed round trip, want 42", got)
	}
}

// stringCodec is a SessionCodec without codec.Codec's AppendEncodeAt, so that the Manager
// writes the header from EncodeAt's string, as for any SessionCodec; suffix
// is added to every cookie it writes.
type stringCodec struct {
	c      *codec.Codec
	suffix string
}

func (c stringCodec) EncodeAt(v any, t time.Time) (string, error) {
	s, err := c.c.EncodeAt(v, t)
	return s + c.suffix, err
}

func (c stringCodec) Decode(cookie string, v any) (time.Time, error) { return c.c.Decode(cookie, v) }

func (c stringCodec) Now() time.Time { return c.c.Now() }

func (c stringCodec) Lifetime() time.Duration { return c.c.Lifetime() }

// appendCodec is codec.Codec with suffix added to every cookie it appends.
type appendCodec struct {
	*codec.Codec
	suffix string
}

func (c appendCodec) AppendEncodeAt(dst []byte, v any, t time.Time) ([]byte, error) {
	out, err := c.Codec.AppendEncodeAt(dst, v, t)
	if err != nil {
		return out, err
	}
	return append(out, c.suffix...), nil
}

// TestSaveWithAnyCodec: the header is the same whether the codec appends
// the cookie to the header or returns it as a string, and a cookie value
// that net/http would not write (here a ';') fails the request in both
// cases, with no Set-Cookie.
func TestSaveWithAnyCodec(t *testing.T) {
	tests := []struct {
		name  string
		codec codec.SessionCodec
		want  []string // nil: the save fails
	}{
		{"appends", newCodec(t, now), []string{setX}},
		{"returns a string", stringCodec{newCodec(t, now), ""}, []string{setX}},
		{"returns a bad string", stringCodec{newCodec(t, now), ";x"}, nil},
		{"appends bad bytes", appendCodec{newCodec(t, now), "\x00"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var saveErr error
			m, err := session.New(tt.codec, session.WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, err error) {
				saveErr = err
				w.WriteHeader(http.StatusInternalServerError)
			}))
			if err != nil {
				t.Fatal(err)
			}
			res := serve(m, "", func(w http.ResponseWriter, r *http.Request) {
				session.FromRequest(r).Set("x", 1)
			})
			if d := cmp.Diff(tt.want, res.SetCookie); d != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", d)
			}
			if failed := tt.want == nil; failed != (saveErr != nil) || failed != (res.Status == http.StatusInternalServerError) {
				t.Errorf("save error %v, status %d; want a failure: %v", saveErr, res.Status, failed)
			}
		})
	}
}
