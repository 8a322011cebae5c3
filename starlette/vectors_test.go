package starlette_test

import (
	"errors"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/starlettevec"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// vector is one request through Starlette 0.26.1's SessionMiddleware; see
// compat/gen_starlette.py.
type vector struct{ testvec.StarletteVector }

func loadVectors(t *testing.T) []vector {
	t.Helper()
	var vs []vector
	testvec.LoadVectors(t, testvec.Path(t, testvec.StarletteFile), "starlette", "0.26.1", &vs)
	return vs
}

var classes = map[string]error{
	"BadSignature":     itsdangerous.ErrBadSignature,
	"BadTimeSignature": itsdangerous.ErrBadTimeSignature,
	"SignatureExpired": itsdangerous.ErrSignatureExpired,
	// Starlette lets these through (a 500): a verified payload it cannot read.
	"Error":              itsdangerous.ErrBadPayload,
	"JSONDecodeError":    itsdangerous.ErrBadPayload,
	"UnicodeDecodeError": itsdangerous.ErrBadPayload,
}

// TestVectors re-creates every cookie and Set-Cookie header Starlette
// wrote, and reads every cookie as the middleware did.
func TestVectors(t *testing.T) {
	vectors := loadVectors(t)
	ops := map[string]int{}
	for i := range vectors {
		ops[vectors[i].Op]++
	}
	if ops["encode"] == 0 || ops["decode"] == 0 || ops["clear"] == 0 {
		t.Fatalf("vector file lacks an operation: %v", ops)
	}
	for i := range vectors {
		v := &vectors[i]
		t.Run(v.Name, func(t *testing.T) {
			c := starlettevec.Codec(t, &v.StarletteVector)
			switch v.Op {
			case "encode":
				in, err := v.Value.Ordered()
				if err != nil {
					t.Fatal(err)
				}
				got, err := c.Encode(in)
				if err != nil {
					t.Fatal(err)
				}
				if v.SetCookie == nil {
					// An empty session: the middleware sets no cookie.
					if d := testvec.Diff(map[string]any{}, in); d != "" {
						t.Fatalf("no cookie for a non-empty session: %s", d)
					}
					return
				}
				if got != *v.Cookie {
					t.Errorf("Encode:\n got %s\nwant %s", got, *v.Cookie)
				}
				if h := c.Cookie().SetCookie(got); h != *v.SetCookie {
					t.Errorf("SetCookie:\n got %s\nwant %s", h, *v.SetCookie)
				}
			case "decode":
				var got any
				_, err := c.Decode(*v.Cookie, &got)
				if v.Error != nil {
					class, ok := classes[*v.Error]
					if !ok {
						t.Fatalf("unknown Python class %q", *v.Error)
					}
					if !errors.Is(err, class) {
						t.Fatalf("Decode: %v; Python: %s(%q)", err, *v.Error, *v.Message)
					}
					if v.Raises == errors.Is(err, itsdangerous.ErrBadSignature) {
						t.Errorf("raises %v but error %v", v.Raises, err)
					}
					var e *itsdangerous.Error
					if errors.Is(err, itsdangerous.ErrBadSignature) && (!errors.As(err, &e) || e.Reason != *v.Message) {
						t.Errorf("reason %q, Python %q", e.Reason, *v.Message)
					}
					return
				}
				if err != nil {
					t.Fatalf("Decode: %v; Starlette reads it", err)
				}
				want, err := v.Value.Ordered()
				if err != nil {
					t.Fatal(err)
				}
				if d := testvec.Diff(want, got); d != "" {
					t.Fatal(d)
				}
				// The middleware writes the session back; so do we,
				// with the same bytes.
				if v.SetCookie == nil {
					t.Fatal("Starlette did not re-set the cookie")
				}
				again, err := c.Encode(got)
				if err != nil {
					t.Fatal(err)
				}
				if h := c.Cookie().SetCookie(again); h != *v.SetCookie {
					t.Errorf("re-set:\n got %s\nwant %s", h, *v.SetCookie)
				}
			case "clear":
				loaded := false
				if v.Cookie != nil {
					var s py.Dict
					_, err := c.Decode(*v.Cookie, &s)
					loaded = err == nil && len(s) > 0
				}
				switch {
				case loaded && v.SetCookie != nil:
					if h := c.Cookie().ClearCookie(); h != *v.SetCookie {
						t.Errorf("ClearCookie:\n got %s\nwant %s", h, *v.SetCookie)
					}
				case loaded || v.SetCookie != nil:
					t.Errorf("loaded %v, but Starlette's header is %v", loaded, v.SetCookie)
				}
			default:
				t.Fatalf("unknown op %q", v.Op)
			}
		})
	}
}
