package itsdangerous

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/zlib6"
	"github.com/flaskcookie/flaskcookie/py"
)

// Known answers from the spec (§7.1 and §8), made by itsdangerous 2.1.2.
func TestSerializerGolden(t *testing.T) {
	type ctor func(key []byte, opts ...Option) (dumper, error)
	plain := func(key []byte, opts ...Option) (dumper, error) { return NewSerializer(key, opts...) }
	urlsafe := func(key []byte, opts ...Option) (dumper, error) { return NewURLSafeSerializer(key, opts...) }
	timed := func(key []byte, opts ...Option) (dumper, error) { return NewTimedSerializer(key, opts...) }
	urlsafeTimed := func(key []byte, opts ...Option) (dumper, error) { return NewURLSafeTimedSerializer(key, opts...) }
	tests := []struct {
		name  string
		make  ctor
		key   string
		now   int64
		opts  []Option
		value any
		want  string
	}{
		{"digests sha1", plain, "dev key", 0, []Option{WithSalt([]byte("dev salt"))}, []any{42}, "[42].-9cNi0CxsSB3hZPNCe9a2eEs1ZM"},
		{"digests sha512", plain, "dev key", 0, []Option{WithSalt([]byte("dev salt")), WithDigest(sha512.New)}, []any{42}, "[42].MKCz_0nXQqv7wKpfHZcRtJRmpT2T5uvs9YQsJEhJimqxc9bCLxG31QzS5uC8OVBI1i6jyOLAFNoKaF5ckO9L5Q"},
		{"V13 escapes", plain, "secret-key", 0, nil, py.Dict{{Key: "a", Value: 1}, {Key: "b", Value: "\u00fc"}}, `{"a": 1, "b": "\u00fc"}.HveslFQKzbPOLFpHmx_V8limXCA`},
		{"plain", plain, "secret_key", 0, nil, map[string]any{"id": 42}, `{"id": 42}.0XLzuMAHP6Oh9cnQ27puUwvSw7g`},
		{"plain timed", timed, "secret_key", frozenNow, nil, map[string]any{"id": 42}, `{"id": 42}.TgPVoQ.go_XSHIC1FOMQN1sUJC45Z1lZRw`},
		{"url-safe", urlsafe, "secret-key", 0, nil, map[string]any{"id": 42}, "eyJpZCI6NDJ9.Z-HaNt236Oj5pFDPW25MouYkrcA"},
		{"url-safe timed", urlsafeTimed, "secret-key", frozenNow, nil, map[string]any{"id": 42}, "eyJpZCI6NDJ9.TgPVoQ.OrMFcbcNb1bOevFzF4w643CiYnI"},
		{"V7 raw utf-8", urlsafeTimed, "secret-key", goldenNow, []Option{WithSalt([]byte("activate"))},
			py.Dict{{Key: "id", Value: 42}, {Key: "name", Value: "J\u00fcrgen"}, {Key: "l", Value: []any{1, 2.5, nil, true}}},
			"eyJpZCI6NDIsIm5hbWUiOiJKw7xyZ2VuIiwibCI6WzEsMi41LG51bGwsdHJ1ZV19.ZVPxAA.wPhp4cNvsKqaL_rvRpHOASkZ_0U"},
		{"V12 rotation", urlsafe, "new-key", 0, []Option{WithSalt([]byte("rot")), WithFallbackKeys([]byte("old-key"))}, []any{1, 2, 3}, "WzEsMiwzXQ.NbDAXWtAdPg7bIiNP7PTiHIjtsQ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.make([]byte(tt.key), append(tt.opts, fixedClock(tt.now))...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Dumps(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Dumps = %q\nwant    %q", got, tt.want)
			}
			// AppendDumps writes the same token after what dst holds,
			// whether dst has room or must grow.
			for _, dst := range [][]byte{[]byte("Set-Cookie: "), make([]byte, 3, 512)} {
				prefix := string(dst)
				out, err := s.AppendDumps(dst, tt.value)
				if err != nil {
					t.Fatal(err)
				}
				if string(out) != prefix+tt.want {
					t.Errorf("AppendDumps(%q) = %q\nwant %q", prefix, out, prefix+tt.want)
				}
			}
		})
	}
}

type dumper interface {
	Dumps(v any, opts ...CallOption) (string, error)
	AppendDumps(dst []byte, v any, opts ...CallOption) ([]byte, error)
}

// V8 and upstream's "a"*1000: compressed tokens made by Python verify,
// decode, and are made again byte for byte.
func TestSerializerCompressedFromPython(t *testing.T) {
	s, err := NewURLSafeTimedSerializer([]byte("secret-key"), fixedClock(goldenNow))
	if err != nil {
		t.Fatal(err)
	}
	const v8 = ".eJyrVkpJLElUslJKpANQqgUA6jEpOQ.ZVPxAA.HWFMHflv7fFQiqc107Q1vauLbAs"
	var v map[string]any
	if _, err := s.Loads(v8, &v); err != nil {
		t.Fatal(err)
	}
	if v["data"] != strings.Repeat("a", 100) {
		t.Errorf("V8 decoded to %v", v)
	}
	if tok, err := s.Dumps(v); err != nil || tok != v8 {
		t.Errorf("Dumps(V8's value) = %q, %v; want Python's %q", tok, err, v8)
	}
	u, _ := NewURLSafeSerializer([]byte("secret-key"))
	const a1000 = ".eJxTShwFo2AUDHugBAD6Fns8.NYEsGZpsS7Gu_E4ck8v7NEZ78HQ"
	var str string
	if err := u.Loads(a1000, &str); err != nil || str != strings.Repeat("a", 1000) {
		t.Errorf("a*1000: %q, %v", str, err)
	}
	if tok, err := u.Dumps(strings.Repeat("a", 1000)); err != nil || tok != a1000 {
		t.Errorf("Dumps(a*1000) = %q, %v; want Python's %q", tok, err, a1000)
	}
}

// Spec §3.3: compression is used only when it saves at least two bytes,
// judged on zlib.compress's size. Python compresses the 14 bytes of JSON
// "aaaaaaaaaaaa" to 12 (and so marks it) and 13 bytes to 12 (and does not).
func TestCompressionBoundary(t *testing.T) {
	for _, tc := range []struct {
		name string
		json string
		want bool
	}{
		{"13 bytes to 12 saves one", `"` + strings.Repeat("a", 11) + `"`, false},
		{"14 bytes to 12 saves two", `"` + strings.Repeat("a", 12) + `"`, true},
		{"short", `"a"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := appendURLSafePayload(nil, []byte(tc.json))[0] == '.'; got != tc.want {
				t.Errorf("%s: marked %v, want %v", tc.json, got, tc.want)
			}
		})
	}
	sawBoth := map[bool]bool{}
	for n := 1; n < 400; n += 3 {
		j := []byte(`"` + strings.Repeat("a", n) + `"`)
		z := zlib6.Compress(j)
		want := len(z) < len(j)-1
		p := appendURLSafePayload([]byte("x"), j)
		if got := p[1] == '.'; got != want {
			t.Errorf("%d bytes of JSON, %d compressed: marked %v, want %v", len(j), len(z), got, want)
		}
		if want && string(p[2:]) != base64.RawURLEncoding.EncodeToString(z) {
			t.Errorf("%d bytes of JSON: payload %s is not the base64 of zlib.compress", len(j), p)
		}
		sawBoth[want] = true
	}
	if !sawBoth[true] || !sawBoth[false] {
		t.Error("the sizes tried never crossed the boundary")
	}
}

// Upstream test_serializer.py and test_timed.py cases, over all four classes.
func TestSerializerUpstream(t *testing.T) {
	value := map[string]any{"id": int64(42)}
	for _, urlSafe := range []bool{false, true} {
		for _, isTimed := range []bool{false, true} {
			name := map[bool]string{false: "plain", true: "urlsafe"}[urlSafe] + map[bool]string{false: "", true: "-timed"}[isTimed]
			t.Run(name, func(t *testing.T) {
				e, err := newEngine([]byte("secret-key"), urlSafe, isTimed, []Option{fixedClock(frozenNow)})
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range []any{nil, true, "str", "text", []any{int64(1), int64(2), int64(3)}, value, strings.Repeat("a", 1000)} {
					tok, err := e.dumps(v, nil)
					if err != nil {
						t.Fatal(err)
					}
					var got any
					if _, err := e.loads(tok, &got, nil); err != nil {
						t.Fatalf("loads(dumps(%v)): %v", v, err)
					}
					if !equalGeneric(got, v) {
						t.Errorf("round trip of %v gave %v", v, got)
					}
				}
				tok, _ := e.dumps(value, nil)
				changes := map[string]string{
					"upper":        strings.ToUpper(tok),
					"append a":     tok + "a",
					"first char a": "a" + tok[1:],
					"remove dots":  strings.ReplaceAll(tok, ".", ""),
				}
				for why, bad := range changes {
					var got any
					if _, err := e.loads(bad, &got, nil); !errors.Is(err, ErrBadSignature) {
						t.Errorf("%s: error %v, want ErrBadSignature", why, err)
					}
				}
				// Bad signature: the unverified payload still decodes unsafely.
				var got any
				_, verified, err := e.loadsUnsafe(tok[:len(tok)-1], &got, nil)
				if verified || err != nil || !equalGeneric(got, value) {
					t.Errorf("loads_unsafe(bad sig) = %v, %v, %v", verified, got, err)
				}
				_, verified, err = e.loadsUnsafe(tok, &got, nil)
				if !verified || err != nil {
					t.Errorf("loads_unsafe(good) = %v, %v", verified, err)
				}
				// A verified but undecodable payload is BadPayload.
				s := e.list[0]
				truncated := "eyJpZCI6NDJ"
				if !urlSafe {
					truncated = `{"id": 4`
				}
				var badTok string
				if isTimed {
					badTok = string(s.SignAt([]byte(truncated), time.Unix(frozenNow, 0)))
				} else {
					badTok = string(s.s.Sign([]byte(truncated)))
				}
				_, err = e.loads(badTok, &got, nil)
				var de *Error
				if !errors.Is(err, ErrBadPayload) || errors.Is(err, ErrBadSignature) || !errors.As(err, &de) || de.Err == nil {
					t.Errorf("bad payload: error %v, want ErrBadPayload with a cause", err)
				}
				// Alternative salt.
				other, _ := e.dumps(value, []CallOption{Salt([]byte("other"))})
				if _, err := e.loads(other, &got, nil); !errors.Is(err, ErrBadSignature) {
					t.Errorf("other salt loaded without it: %v", err)
				}
				if _, err := e.loads(other, &got, []CallOption{Salt([]byte("other"))}); err != nil {
					t.Errorf("other salt: %v", err)
				}
				if isTimed {
					_, err := e.loads(tok, &got, []CallOption{MaxAge(10 * time.Second), At(time.Unix(frozenNow+11, 0))})
					var xe *Error
					if !errors.Is(err, ErrSignatureExpired) || !errors.As(err, &xe) || xe.SignedAt.Unix() != frozenNow {
						t.Errorf("expired: %v", err)
					}
					signed, err := e.loads(tok, &got, []CallOption{MaxAge(10 * time.Second), At(time.Unix(frozenNow+1, 0))})
					if err != nil || signed.Unix() != frozenNow {
						t.Errorf("return timestamp: %v, %v", signed, err)
					}
					// An expired token still decodes unsafely, unverified.
					_, verified, err := e.loadsUnsafe(tok, &got, []CallOption{MaxAge(10 * time.Second), At(time.Unix(frozenNow+11, 0))})
					if verified || err != nil || !equalGeneric(got, value) {
						t.Errorf("loads_unsafe(expired) = %v, %v, %v", verified, got, err)
					}
				}
			})
		}
	}
}

// Upstream test_fallback_signers, test_signer_kwargs.
func TestFallbackSigners(t *testing.T) {
	sha256Tok, err := NewURLSafeSerializer([]byte("secret-key"), WithDigest(sha256.New))
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := sha256Tok.Dumps(map[string]any{"id": 42})
	plain, _ := NewURLSafeSerializer([]byte("secret-key"))
	var got any
	if err := plain.Loads(tok, &got); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("sha256 token loaded by a sha1 serializer: %v", err)
	}
	fb, err := NewURLSafeSerializer([]byte("secret-key"), WithFallbackSigner(WithDigest(sha256.New)))
	if err != nil {
		t.Fatal(err)
	}
	if err := fb.Loads(tok, &got); err != nil {
		t.Errorf("fallback signer: %v", err)
	}
	mine, _ := fb.Dumps(map[string]any{"id": 42})
	if want, _ := plain.Dumps(map[string]any{"id": 42}); mine != want {
		t.Errorf("a fallback signer signed: %q, want %q", mine, want)
	}
	if _, err := NewURLSafeSerializer([]byte("k"), WithFallbackSigner(WithSeparator([]byte("a")))); !errors.Is(err, ErrConfig) {
		t.Errorf("bad fallback signer option accepted: %v", err)
	}
	hm, _ := NewSerializer([]byte("secret-key"), WithKeyDerivation(HMACDerive))
	a, _ := hm.Dumps([]any{1})
	b, _ := NewSerializer([]byte("secret-key"))
	c, _ := b.Dumps([]any{1})
	if a == c {
		t.Error("hmac key derivation gave the default signature")
	}
}

func TestPayloadBounds(t *testing.T) {
	// A zlib bomb: 4 MiB of zeros deflates to about 4 KiB.
	s, err := NewURLSafeSerializer([]byte("k"), WithMaxPayloadSize(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	big := `"` + strings.Repeat("0", 4<<20) + `"`
	j := appendURLSafePayload(nil, []byte(big))
	if j[0] != '.' || len(j) > 8<<10 {
		t.Fatalf("bomb payload not compressed small: %d bytes", len(j))
	}
	tok := string(s.e.list[0].s.Sign(j))
	var got any
	err = s.Loads(tok, &got)
	if !errors.Is(err, ErrBadPayload) || !errors.Is(err, ErrTooLarge) {
		t.Errorf("bomb: error %v, want ErrBadPayload and ErrTooLarge", err)
	}
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	tok = string(s.e.list[0].s.Sign(appendURLSafePayload(nil, []byte(deep))))
	if err := s.Loads(tok, &got); !errors.Is(err, ErrBadPayload) {
		t.Errorf("deep nesting: error %v, want ErrBadPayload", err)
	}
}

func equalGeneric(a, b any) bool {
	ga, err1 := py.ValueOf(a)
	gb, err2 := py.ValueOf(b)
	if err1 != nil || err2 != nil {
		return false
	}
	return repr(ga) == repr(gb)
}

func repr(v any) string {
	out, err := jsonFormat{}.AppendPayload(nil, v)
	if err != nil {
		return "error: " + err.Error()
	}
	return string(out)
}

// A compressed payload cut short (a truncated cookie's, signed again) is a
// BadPayload that matches io.ErrUnexpectedEOF, so that a caller can say
// the token looks truncated; a damaged stream does not match it.
func TestTruncatedCompressedPayload(t *testing.T) {
	s, err := NewURLSafeSerializer([]byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	z := zlib6.Compress([]byte(`"` + strings.Repeat("ab", 100) + `"`))
	damaged := append([]byte{z[0], z[1] ^ 0xff}, z[2:]...) // a bad zlib header
	tests := []struct {
		name      string
		zlib      []byte
		truncated bool
	}{
		{name: "cut in the deflate stream", zlib: z[:len(z)/2], truncated: true},
		{name: "cut before the checksum", zlib: z[:len(z)-4], truncated: true},
		{name: "damaged header", zlib: damaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := "." + base64.RawURLEncoding.EncodeToString(tt.zlib)
			tok := string(s.e.list[0].s.Sign([]byte(payload)))
			var v any
			err := s.Loads(tok, &v)
			if !errors.Is(err, ErrBadPayload) {
				t.Fatalf("error %v, want ErrBadPayload", err)
			}
			if got := errors.Is(err, io.ErrUnexpectedEOF); got != tt.truncated {
				t.Errorf("errors.Is(%v, io.ErrUnexpectedEOF) = %v, want %v", err, got, tt.truncated)
			}
		})
	}
}
