package codec_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// sealedKey is key K1 of compat/gen_fernet.py: the bytes 0..31.
const sealedKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

const sealedNow = 1700000000

func sealedClock(unix int64) codec.Option {
	return codec.WithClock(func() time.Time { return time.Unix(unix, 0) })
}

func sealedFernet(t testing.TB, keys ...string) *fernet.Fernet {
	t.Helper()
	ks := make([]fernet.Key, len(keys))
	for i, s := range keys {
		k, err := fernet.ParseKey(s)
		if err != nil {
			t.Fatal(err)
		}
		ks[i] = k
	}
	f, err := fernet.New(ks...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sealedCodec(t testing.TB, f *fernet.Fernet, opts ...codec.Option) *codec.SealedCodec {
	t.Helper()
	c, err := codec.NewSealed(f, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sessionVector is one entry of the "sessions" section of
// testdata/fernet/vectors.json: a Flask session sealed (encode) or opened
// (decode) by compat/fernet_session with Flask 2.2.2 and cryptography
// 38.0.4.
type sessionVector struct {
	Name     string     `json:"name"`
	Op       string     `json:"op"`
	Keys     []string   `json:"keys"`
	Now      int64      `json:"now"`
	Lifetime int64      `json:"lifetime"`
	IV       *string    `json:"iv"`
	Value    testvec.TV `json:"value"`
	Decoded  testvec.TV `json:"decoded"`
	JSON     *string    `json:"json"`
	Cookie   string     `json:"cookie"`
	Error    *string    `json:"error"`
}

func loadSessionVectors(t *testing.T) []sessionVector {
	t.Helper()
	data, err := os.ReadFile(testvec.Path(t, "testdata/fernet/vectors.json"))
	if err != nil {
		t.Fatalf("%v (regenerate with compat/gen_fernet.py)", err)
	}
	var f struct {
		Sessions []sessionVector `json:"sessions"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Sessions) == 0 {
		t.Fatal("no session vectors")
	}
	return f.Sessions
}

// TestSealedVectors: every cookie the Python interface sealed is opened
// to the value Flask holds, the tagged JSON is Flask's, a cookie sealed
// here with the same time and IV is byte-identical, and every cookie
// Flask refuses is refused with the same class.
func TestSealedVectors(t *testing.T) {
	counts := map[string]int{}
	for _, v := range loadSessionVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			f := sealedFernet(t, v.Keys...)
			opts := []codec.Option{sealedClock(v.Now), codec.WithLifetime(time.Duration(v.Lifetime) * time.Second)}
			if v.Op == "encode" {
				iv, err := hex.DecodeString(*v.IV)
				if err != nil {
					t.Fatal(err)
				}
				c := sealedCodec(t, f.WithRandom(bytes.NewReader(iv)), opts...)
				in, err := v.Value.Ordered()
				if err != nil {
					t.Fatal(err)
				}
				j, err := codec.TaggedJSON.AppendPayload(nil, in)
				if err != nil || string(j) != *v.JSON {
					t.Fatalf("tagged JSON\n got %s, %v\nwant %s", j, err, *v.JSON)
				}
				cookie, err := c.Encode(in)
				if err != nil || cookie != v.Cookie {
					t.Fatalf("cookie\n got %s, %v\nwant %s", cookie, err, v.Cookie)
				}
				counts["identical"]++
			}
			c := sealedCodec(t, f, opts...)
			var got any
			made, err := c.Decode(v.Cookie, &got)
			if v.Error != nil {
				checkSealedError(t, err, *v.Error)
				counts["refused "+*v.Error]++
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v; Flask read it", err)
			}
			want, err := v.Decoded.Value()
			if err != nil {
				t.Fatal(err)
			}
			if d := testvec.Diff(want, got); d != "" {
				t.Fatalf("decoded: %s", d)
			}
			info, _ := fernet.ParseUnverified(v.Cookie)
			if !made.Equal(info.Timestamp) {
				t.Fatalf("Decode returned time %v; the token says %v", made, info.Timestamp)
			}
			counts["decoded"]++
		})
	}
	t.Logf("%v", counts)
	for _, k := range []string{"identical", "decoded", "refused BadSignature", "refused BadPayload"} {
		if counts[k] == 0 {
			t.Errorf("no vector of kind %q passed", k)
		}
	}
}

// checkSealedError checks err against the class the Python interface
// raised.
func checkSealedError(t *testing.T, err error, class string) {
	t.Helper()
	var e *itsdangerous.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v; want an *itsdangerous.Error of class %s", err, class)
	}
	switch class {
	case "BadSignature":
		if !errors.Is(err, itsdangerous.ErrBadSignature) || !errors.Is(err, fernet.ErrInvalidToken) {
			t.Fatalf("err = %v; want ErrBadSignature and fernet.ErrInvalidToken", err)
		}
	case "BadPayload":
		if !errors.Is(err, itsdangerous.ErrBadPayload) || errors.Is(err, itsdangerous.ErrBadSignature) {
			t.Fatalf("err = %v; want ErrBadPayload only", err)
		}
	default:
		t.Fatalf("unknown class %s", class)
	}
}

func TestSealedRoundTrip(t *testing.T) {
	c := sealedCodec(t, sealedFernet(t, sealedKey), sealedClock(sealedNow))
	u, _ := py.ParseUUID("12345678123456781234567812345678")
	in := map[string]any{
		"user_id":  42,
		"_flashes": []any{py.Tuple{"message", "Hi"}},
		"blob":     []byte{0, 0xff},
		"token":    u,
		"when":     time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC),
	}
	cookie, err := c.Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cookie, "user_id") || !strings.HasPrefix(cookie, "gAAAAA") {
		t.Fatalf("not a Fernet token: %s", cookie)
	}
	// Nothing of the session shows in the token's bytes.
	raw, _ := base64.URLEncoding.DecodeString(cookie)
	if bytes.Contains(raw, []byte("user_id")) || bytes.Contains(raw, []byte("message")) {
		t.Fatal("the session is readable in the cookie")
	}
	var got map[string]any
	made, err := c.Decode(cookie, &got)
	if err != nil || made.Unix() != sealedNow {
		t.Fatalf("Decode: %v, %v", made, err)
	}
	want := map[string]any{
		"user_id":  int64(42),
		"_flashes": []any{py.Tuple{"message", "Hi"}},
		"blob":     []byte{0, 0xff},
		"token":    u,
		"when":     time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC),
	}
	if d := testvec.Diff(want, got); d != "" {
		t.Fatal(d)
	}
	var s struct {
		UserID int `json:"user_id"`
	}
	if _, err := c.Decode(cookie, &s); err != nil || s.UserID != 42 {
		t.Fatalf("struct: %+v, %v", s, err)
	}
	// Every cookie has a fresh IV.
	again, _ := c.Encode(in)
	if again == cookie {
		t.Fatal("two cookies with the same bytes")
	}
}

func TestSealedLifetime(t *testing.T) {
	f := sealedFernet(t, sealedKey)
	cookie, err := sealedCodec(t, f, sealedClock(sealedNow)).Encode(map[string]any{"a": 1})
	if err != nil {
		t.Fatal(err)
	}
	lifetime := 100 * time.Second
	tests := []struct {
		name    string
		now     int64
		expired bool
	}{
		{"age equals the lifetime", sealedNow + 100, false},
		{"one second past the lifetime", sealedNow + 101, true},
		{"60 s in the future: Fernet's clock skew", sealedNow - 60, false},
		{"61 s in the future", sealedNow - 61, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sealedCodec(t, f, sealedClock(tt.now), codec.WithLifetime(lifetime+900*time.Millisecond))
			var s map[string]any
			made, err := c.Decode(cookie, &s)
			if !tt.expired {
				if err != nil || made.Unix() != sealedNow {
					t.Fatalf("Decode = %v, %v", made, err)
				}
				return
			}
			var e *itsdangerous.Error
			if !errors.Is(err, itsdangerous.ErrSignatureExpired) || !errors.Is(err, itsdangerous.ErrBadSignature) ||
				!errors.Is(err, fernet.ErrInvalidToken) || !errors.As(err, &e) {
				t.Fatalf("err = %v; want ErrSignatureExpired, ErrBadSignature, fernet.ErrInvalidToken", err)
			}
			if e.SignedAt.Unix() != sealedNow || e.MaxAge != lifetime || e.Age != time.Duration(tt.now-sealedNow)*time.Second {
				t.Fatalf("error fields: %+v", e)
			}
			if s != nil {
				t.Fatalf("a refused cookie filled the session: %v", s)
			}
		})
	}
}

func TestSealedKeyRotation(t *testing.T) {
	const newKey = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM="
	old := sealedCodec(t, sealedFernet(t, sealedKey), sealedClock(sealedNow))
	cookie, _ := old.Encode(map[string]any{"user_id": 7})
	rotated := sealedCodec(t, sealedFernet(t, newKey, sealedKey), sealedClock(sealedNow))
	var s map[string]any
	if _, err := rotated.Decode(cookie, &s); err != nil || s["user_id"] != int64(7) {
		t.Fatalf("old cookie with rotated keys: %v, %v", s, err)
	}
	fresh, _ := rotated.Encode(s)
	if _, err := old.Decode(fresh, &s); !errors.Is(err, itsdangerous.ErrBadSignature) {
		t.Fatalf("a new cookie was sealed with the old key: %v", err)
	}
	if _, err := sealedCodec(t, sealedFernet(t, newKey), sealedClock(sealedNow)).Decode(fresh, &s); err != nil {
		t.Fatalf("the new key alone does not open the new cookie: %v", err)
	}
}

// Signed and sealed cookies are never mistaken for each other: each codec
// refuses the other's cookie as a bad signature (an empty session).
func TestSealedAndSignedDoNotMix(t *testing.T) {
	signed, err := codec.New([]byte("dev-secret"), sealedClock(sealedNow))
	if err != nil {
		t.Fatal(err)
	}
	sealed := sealedCodec(t, sealedFernet(t, sealedKey), sealedClock(sealedNow))
	for _, tt := range []struct {
		name   string
		from   codec.SessionCodec
		reader codec.SessionCodec
	}{
		{"signed cookie read as sealed", signed, sealed},
		{"sealed cookie read as signed", sealed, signed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cookie, err := tt.from.EncodeAt(map[string]any{"a": 1}, tt.from.Now())
			if err != nil {
				t.Fatal(err)
			}
			var s map[string]any
			if _, err := tt.reader.Decode(cookie, &s); !errors.Is(err, itsdangerous.ErrBadSignature) {
				t.Fatalf("err = %v; want ErrBadSignature", err)
			}
		})
	}
}

func TestNewSealedOptions(t *testing.T) {
	f := sealedFernet(t, sealedKey)
	tests := []struct {
		name string
		f    *fernet.Fernet
		opt  codec.Option
	}{
		{"nil Fernet", nil, codec.WithLifetime(time.Hour)},
		{"salt: signing only", f, codec.WithSalt([]byte("x"))},
		{"digest: signing only", f, codec.WithDigest(codec.DefaultDigest)},
		{"key derivation: signing only", f, codec.WithKeyDerivation(itsdangerous.HMACDerive)},
		{"fallback keys: rotate Fernet keys instead", f, codec.WithFallbackKeys([]byte("old"))},
		{"signer options: signing only", f, codec.WithSignerOptions(itsdangerous.WithStrictBase64())},
		{"negative lifetime", f, codec.WithLifetime(-time.Second)},
		{"nil clock", f, codec.WithClock(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := codec.NewSealed(tt.f, tt.opt); !errors.Is(err, itsdangerous.ErrConfig) || c != nil {
				t.Fatalf("NewSealed = %v, %v; want ErrConfig", c, err)
			}
		})
	}
	c := sealedCodec(t, f, codec.WithLifetime(time.Hour), sealedClock(5), codec.WithMaxCookieSize(0), codec.WithInsertionOrder())
	if c.Lifetime() != time.Hour || c.Now().Unix() != 5 {
		t.Fatalf("Lifetime %v, Now %v", c.Lifetime(), c.Now())
	}
}

func TestSealedSizes(t *testing.T) {
	f := sealedFernet(t, sealedKey)
	big := map[string]any{"blob": strings.Repeat("x", 3000)}
	_, err := sealedCodec(t, f).Encode(big)
	var se *codec.SizeError
	if !errors.Is(err, codec.ErrTooLarge) || !errors.As(err, &se) || se.Max != codec.MaxCookieSize || se.Size <= se.Max {
		t.Fatalf("Encode of a 4 kB cookie = %v; want a *SizeError", err)
	}
	if _, err := sealedCodec(t, f, codec.WithMaxCookieSize(0)).Encode(big); err != nil {
		t.Fatalf("WithMaxCookieSize(0): %v", err)
	}
	// Decoding refuses an over-long cookie before any work.
	long := strings.Repeat("A", itsdangerous.DefaultMaxTokenSize+4)
	var s map[string]any
	_, err = sealedCodec(t, f).Decode(long, &s)
	if !errors.Is(err, itsdangerous.ErrTooLarge) || !errors.Is(err, itsdangerous.ErrBadSignature) || !errors.Is(err, fernet.ErrInvalidToken) {
		t.Fatalf("Decode of an over-long cookie = %v", err)
	}
	if _, err := sealedCodec(t, f).Encode(map[string]any{"c": make(chan int)}); !errors.Is(err, codec.ErrUnsupportedType) {
		t.Fatalf("Encode of a channel = %v; want ErrUnsupportedType", err)
	}
}

func TestSealedInsertionOrder(t *testing.T) {
	f := sealedFernet(t, sealedKey)
	d := py.Dict{{Key: "b", Value: 1}, {Key: "a", Value: 2}}
	for _, tt := range []struct {
		name string
		opts []codec.Option
		want string
	}{
		{"sorted, as Flask inside a request", nil, `{"a":2,"b":1}`},
		{"insertion order, JSON_SORT_KEYS = False", []codec.Option{codec.WithInsertionOrder()}, `{"b":1,"a":2}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cookie, err := sealedCodec(t, f, tt.opts...).Encode(d)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := f.Decrypt(cookie)
			if err != nil || string(plain) != tt.want {
				t.Fatalf("sealed JSON %s, %v; want %s", plain, err, tt.want)
			}
		})
	}
}

// BenchmarkSealed runs sealing and opening of a small session beside the
// signed codec's Encode and Decode of the same session, in the same run:
// report the ratios.
func BenchmarkSealed(b *testing.B) {
	session := map[string]any{"user_id": 42}
	clock := sealedClock(sealedNow)
	signed, err := codec.New([]byte("dev-secret"), clock)
	if err != nil {
		b.Fatal(err)
	}
	sealed := sealedCodec(b, sealedFernet(b, sealedKey), clock)
	for _, c := range []struct {
		name string
		c    codec.SessionCodec
	}{{"signed", signed}, {"sealed", sealed}} {
		cookie, err := c.c.EncodeAt(session, c.c.Now())
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: cookie of %d bytes", c.name, len(cookie))
		b.Run("small/"+c.name+"/Encode", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.c.EncodeAt(session, time.Unix(sealedNow, 0)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("small/"+c.name+"/Decode", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var s map[string]any
				if _, err := c.c.Decode(cookie, &s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The cookie a Flask app with compat/fernet_session writes for
// {"user_id": 42} at 2023-11-14T22:13:20Z (from testdata/fernet).
const flaskSealedCookie = "gAAAAABlU_EA0NHS09TV1tfY2drb3N3e38cmIRzqW-M7Gt8allJeJeYLb1_UOBztVBMpc7CldyOYYAVIsfVnbMwk6vbOYDjeCA=="

// Read a session that Flask sealed with the key in SESSION_FERNET_KEYS.
func ExampleSealedCodec_Decode() {
	key, err := fernet.ParseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil {
		panic(err)
	}
	f, _ := fernet.New(key) // more keys: the first seals, all open
	c, _ := codec.NewSealed(f, codec.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	var session map[string]any
	made, err := c.Decode(flaskSealedCookie, &session)
	fmt.Println(session["user_id"], made.UTC().Format(time.RFC3339), err)
	// Output: 42 2023-11-14T22:13:20Z <nil>
}

// Seal a session for Flask. The fixed IV and clock reproduce the cookie
// Flask made; a real codec draws a fresh IV for every cookie.
func ExampleSealedCodec_Encode() {
	key, _ := fernet.ParseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	f, _ := fernet.New(key)
	iv, _ := hex.DecodeString("d0d1d2d3d4d5d6d7d8d9dadbdcdddedf")
	f = f.WithRandom(bytes.NewReader(iv)) // for this example only
	c, _ := codec.NewSealed(f, codec.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	cookie, err := c.Encode(map[string]any{"user_id": 42})
	fmt.Println(cookie == flaskSealedCookie, err)
	// Output: true <nil>
}

// A bad sealed cookie is a bad signature: start an empty session, as
// Flask does.
func ExampleSessionCodec() {
	key, _ := fernet.ParseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	f, _ := fernet.New(key)
	sealed, _ := codec.NewSealed(f)
	signed, _ := codec.New([]byte("dev-secret"))
	for _, c := range []codec.SessionCodec{signed, sealed} {
		var session map[string]any
		_, err := c.Decode("tampered", &session)
		fmt.Println(errors.Is(err, itsdangerous.ErrBadSignature))
	}
	// Output:
	// true
	// true
}

// TestSealedSizeLimitBoundary seals a cookie exactly at the limit and one
// byte over it (the length of a sealed cookie does not depend on the IV).
func TestSealedSizeLimitBoundary(t *testing.T) {
	f := sealedFernet(t, sealedKey)
	v := map[string]any{"user_id": 42}
	c, err := sealedCodec(t, f, codec.WithMaxCookieSize(0), sealedClock(sealedNow)).Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	n := len(c)
	for _, max := range []int{n, n - 1} {
		_, err := sealedCodec(t, f, codec.WithMaxCookieSize(max), sealedClock(sealedNow)).Encode(v)
		var se *codec.SizeError
		switch {
		case max == n && err != nil:
			t.Errorf("limit %d, cookie of %d bytes: %v", max, n, err)
		case max < n && (!errors.Is(err, codec.ErrTooLarge) || !errors.As(err, &se) || se.Size != n || se.Max != max):
			t.Errorf("limit %d, cookie of %d bytes: %v, want a *SizeError", max, n, err)
		}
	}
}
