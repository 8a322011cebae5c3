package starlette_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

var T = time.Unix(1700000000, 0)

func frozen() time.Time { return T }

// Spec V11: the cookie of the real middleware for this session at T.
const v11 = "eyJ1c2VyX2lkIjogNDIsICJuYW1lIjogIkpcdTAwZmNyZ2VuIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxAA.CnjCu-ijoXWdBdrJQPp5iZet9FE"

var v11Session = py.Dict{{Key: "user_id", Value: int64(42)}, {Key: "name", Value: "J\u00fcrgen"}, {Key: "roles", Value: []any{"a", "b"}}}

func TestPythonBytesKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "b'abc'"},              // spec §6.1
		{"it's", `b"it's"`},            // Python switches quotes
		{"\xff\x00", `b'\xff\x00'`},    // escapes
		{"", "b''"},                    // empty
		{"a\nb\\", `b'a\nb\\'`},        // newline and backslash
		{"it's \"q\"", `b'it\'s "q"'`}, // both quotes
	}
	for _, tt := range tests {
		if got := string(starlette.PythonBytesKey([]byte(tt.in))); got != tt.want {
			t.Errorf("PythonBytesKey(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		opt  starlette.Option
	}{
		{"same_site not lax/strict/none", starlette.WithSameSite("Lax")},
		{"negative max age", starlette.WithMaxAge(-time.Second)},
		{"fractional max age (Starlette takes an int)", starlette.WithMaxAge(1500 * time.Millisecond)},
		{"empty cookie name", starlette.WithCookieName("")},
		{"cookie name with a separator", starlette.WithCookieName("a;b")},
		{"path with a semicolon", starlette.WithPath("/a;b")},
		{"empty domain (omit WithDomain for none)", starlette.WithDomain("")},
		{"domain with a semicolon", starlette.WithDomain("example.com; secure")},
		{"domain with a space", starlette.WithDomain("example .com")},
		{"non-ASCII domain", starlette.WithDomain("bücher.example")},
		{"nil clock", starlette.WithClock(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := starlette.New([]byte("k"), tt.opt); !errors.Is(err, starlette.ErrConfig) {
				t.Errorf("New: %v, want ErrConfig", err)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c, err := starlette.New([]byte("starlette-secret"), starlette.WithClock(frozen))
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := c.MaxAge(); d != 14*24*time.Hour || !ok {
		t.Errorf("MaxAge = %v, %v", d, ok)
	}
	want := starlette.Cookie{Name: "session", Path: "/", MaxAge: 1209600, SameSite: "lax"}
	if c.Cookie() != want {
		t.Errorf("Cookie = %+v, want %+v", c.Cookie(), want)
	}
	got, err := c.Encode(v11Session)
	if err != nil || got != v11 {
		t.Fatalf("Encode = %s, %v", got, err)
	}
	var v any
	signed, err := c.Decode(v11, &v)
	if err != nil || !signed.Equal(T) {
		t.Fatalf("Decode: %v, %v", signed, err)
	}
	if d, ok := v.(py.Dict); !ok || len(d) != 3 || d[0].Key != "user_id" {
		t.Errorf("Decode into *any = %#v, want a py.Dict in order", v)
	}
}

// max_age=0: no Max-Age attribute, but a cookie older than 0 s is refused,
// as Starlette does (spec vectors attrs/max-age-0 and decode/max-age-0/*).
func TestMaxAgeZero(t *testing.T) {
	c, _ := starlette.New([]byte("starlette-secret"), starlette.WithMaxAge(0), starlette.WithClock(frozen))
	if h := c.Cookie().SetCookie("v"); h != "session=v; path=/; httponly; samesite=lax" {
		t.Errorf("SetCookie = %s", h)
	}
	if _, err := c.Decode(v11, nil); err != nil {
		t.Errorf("same second: %v", err)
	}
	if _, err := c.DecodeAt(v11, nil, T.Add(time.Second)); !errors.Is(err, itsdangerous.ErrSignatureExpired) {
		t.Errorf("a second later: %v", err)
	}
	none, _ := starlette.New([]byte("starlette-secret"), starlette.WithoutMaxAge())
	if _, err := none.DecodeAt(v11, nil, T.Add(100*365*24*time.Hour)); err != nil {
		t.Errorf("max_age=None, a century later: %v", err)
	}
}

// Rotating keys from Go: an old key verifies, the current key signs.
func TestFallbackKeys(t *testing.T) {
	c, _ := starlette.New([]byte("new"), starlette.WithFallbackKeys([]byte("starlette-secret")), starlette.WithClock(frozen))
	var v map[string]any
	if _, err := c.Decode(v11, &v); err != nil || v["user_id"] != int64(42) {
		t.Fatalf("Decode: %v, %v", v, err)
	}
	got, _ := c.Encode(v11Session)
	if got == v11 {
		t.Error("the fallback key signed")
	}
}

func TestClearCookie(t *testing.T) {
	c, _ := starlette.New([]byte("k"), starlette.WithHTTPSOnly(true), starlette.WithPath("/x"), starlette.WithSameSite("strict"))
	const want = "session=null; path=/x; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=strict; secure"
	if got := c.Cookie().ClearCookie(); got != want {
		t.Errorf("ClearCookie = %s, want %s", got, want)
	}
}

func TestPayloadLimits(t *testing.T) {
	s, _ := itsdangerous.NewTimestampSigner([]byte("k"), itsdangerous.WithClock(frozen))
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	tok := string(s.Sign([]byte(base64.StdEncoding.EncodeToString([]byte(deep)))))
	c, _ := starlette.New([]byte("k"), starlette.WithMaxDepth(50), starlette.WithClock(frozen))
	if _, err := c.Decode(tok, nil); !errors.Is(err, itsdangerous.ErrBadPayload) {
		t.Errorf("deep JSON: %v", err)
	}
	big := string(s.Sign([]byte(base64.StdEncoding.EncodeToString([]byte(`"` + strings.Repeat("a", 2000) + `"`)))))
	small, _ := starlette.New([]byte("k"), starlette.WithMaxPayloadSize(1000), starlette.WithClock(frozen))
	if _, err := small.Decode(big, nil); !errors.Is(err, itsdangerous.ErrTooLarge) || !errors.Is(err, itsdangerous.ErrBadPayload) {
		t.Errorf("large payload: %v", err)
	}
}

// Untrusted cookies never panic, nor do validly signed payloads of any
// bytes.
func FuzzDecode(f *testing.F) {
	f.Add(v11)
	f.Add("")
	f.Add("\xff\xfe\x00\x00")
	f.Add("\xed\xa0\x80")
	c, _ := starlette.New([]byte("k"), starlette.WithClock(frozen))
	s, _ := itsdangerous.NewTimestampSigner([]byte("k"), itsdangerous.WithClock(frozen))
	f.Fuzz(func(t *testing.T, in string) {
		var v any
		c.Decode(in, &v)
		c.Decode(string(s.Sign([]byte(base64.StdEncoding.EncodeToString([]byte(in))))), &v)
		c.Decode(string(s.Sign([]byte(in))), &v)
	})
}

// A Codec is a codec.SessionCodec, so the HTTP middleware and the CLI can
// use it.
var _ codec.SessionCodec = (*starlette.Codec)(nil)
