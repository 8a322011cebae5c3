package itsdangerous

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"
	"strings"
	"testing"
	"time"
)

func mustSigner(t testing.TB, key string, opts ...Option) *Signer {
	t.Helper()
	s, err := NewSigner([]byte(key), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Golden vectors V1–V5 of the spec (§8), produced by itsdangerous 2.1.2.
func TestSignerGolden(t *testing.T) {
	tests := []struct {
		name  string
		key   string
		opts  []Option
		value string
		want  string
	}{
		{"V1 default", "secret-key", nil, "my string", "my string.wh6tMHxLgJqB6oY1uT73iMlyrOA"},
		{"V2 concat sha256", "secret-key", []Option{WithSalt([]byte("my-salt")), WithKeyDerivation(Concat), WithDigest(sha256.New)}, "hello world", "hello world.T0iNDWtfnr9GEwPZJ0gHp9w1lYWX2uQnjXfnpAPa-rs"},
		{"V3 django-concat sha256", "secret-key", []Option{WithSalt([]byte("my-salt")), WithKeyDerivation(DjangoConcat), WithDigest(sha256.New)}, "hello world", "hello world.bDwlLStR2ekzlRj3qvCKH2LOnOXaEfP-d2AstOJSe58"},
		{"V4 hmac sha256", "secret-key", []Option{WithSalt([]byte("my-salt")), WithKeyDerivation(HMACDerive), WithDigest(sha256.New)}, "hello world", "hello world.mhiZYF4LJ0U2xFyWPstUT6_GnIJtg5wNjhTH8Q9RdWw"},
		{"V5 none sha256", "secret-key", []Option{WithSalt([]byte("my-salt")), WithKeyDerivation(NoDerivation), WithDigest(sha256.New)}, "hello world", "hello world.CV1aIf5tBkbbIj_fPeZDa7jfsvqwtRZ37PZEH89fKmc"},
		{"md5", "secret-key", []Option{WithDigest(md5.New)}, "v", "v.VLuUJUsPirFVHpxVjw3lXg"},
		{"colon separator", "secret-key", []Option{WithSeparator([]byte(":"))}, "a.b", "a.b:W0U72B29IcPNDNsMSmXlI2pVx1w"},
		{"none algorithm", "k", []Option{WithAlgorithm(UnsafeNoneAlgorithm)}, "v", "v."},
		{"V12 newest key signs", "new-key", []Option{WithFallbackKeys([]byte("old-key")), WithSalt([]byte("rot"))}, "WzEsMiwzXQ", "WzEsMiwzXQ.NbDAXWtAdPg7bIiNP7PTiHIjtsQ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSigner(t, tt.key, tt.opts...)
			if got := string(s.Sign([]byte(tt.value))); got != tt.want {
				t.Fatalf("Sign(%q) = %q, want %q", tt.value, got, tt.want)
			}
			got, err := s.Unsign([]byte(tt.want))
			if err != nil || string(got) != tt.value {
				t.Fatalf("Unsign(%q) = %q, %v; want %q", tt.want, got, err, tt.value)
			}
		})
	}
}

// The worked examples of derived keys in the spec (§1.2, §4.1, §8).
func TestDeriveKey(t *testing.T) {
	tests := []struct {
		name    string
		salt    string
		kd      KeyDerivation
		digest  func() hash.Hash
		secret  string
		wantHex string
	}{
		{"django-concat default", DefaultSignerSalt, DjangoConcat, nil, "secret-key", "95c1413ec52400db8a22b50e2f318e9204636448"},
		{"flask", "cookie-session", HMACDerive, nil, "dev-secret", "48a4b423f2a3883c61406a9f20d47ecf468f349d"},
		{"concat sha256", "my-salt", Concat, sha256.New, "secret-key", "89b1c9015e38e6e41fa0267d6dd73fbdf0856f8e7a25b96431ada500810c83b5"},
		{"hmac sha256", "my-salt", HMACDerive, sha256.New, "secret-key", "6fdf5b4cc9469b4bd101a9f04007334a6568e6cf495721739fa5a86a63b6763e"},
		{"none", "my-salt", NoDerivation, sha256.New, "secret-key", "7365637265742d6b6579"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []Option{WithSalt([]byte(tt.salt)), WithKeyDerivation(tt.kd)}
			if tt.digest != nil {
				opts = append(opts, WithDigest(tt.digest))
			}
			c, err := newConfig(DefaultSignerSalt, opts)
			if err != nil {
				t.Fatal(err)
			}
			got := deriveKey(c, []byte(tt.secret))
			if hexOf(got) != tt.wantHex {
				t.Errorf("derived key = %s, want %s", hexOf(got), tt.wantHex)
			}
		})
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	var sb strings.Builder
	for _, c := range b {
		sb.WriteByte(digits[c>>4])
		sb.WriteByte(digits[c&15])
	}
	return sb.String()
}

// Upstream tests/test_itsdangerous/test_signer.py (TestSigner).
func TestSignerUpstream(t *testing.T) {
	s := mustSigner(t, "secret-key")
	signed := s.Sign([]byte("my string"))
	t.Run("signer", func(t *testing.T) {
		if !s.Validate(signed) {
			t.Error("Validate = false")
		}
		v, err := s.Unsign(signed)
		if err != nil || string(v) != "my string" {
			t.Errorf("Unsign = %q, %v", v, err)
		}
	})
	t.Run("no separator", func(t *testing.T) {
		bad := bytes.Replace(signed, []byte("."), []byte("*"), 1)
		if s.Validate(bad) {
			t.Error("Validate = true for a token without separator")
		}
		_, err := s.Unsign(bad)
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("Unsign error = %v, want ErrBadSignature", err)
		}
	})
	t.Run("broken signature", func(t *testing.T) {
		bad := signed[:len(signed)-1]
		_, err := s.Unsign(bad)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrBadSignature) {
			t.Fatalf("Unsign error = %v, want *Error matching ErrBadSignature", err)
		}
		if string(e.payload) != "my string" {
			t.Errorf("unverified payload = %q, want %q", e.payload, "my string")
		}
		if s.verify([]byte("my string"), bad[len("my string."):]) {
			t.Error("verify accepted a truncated signature")
		}
	})
	t.Run("changed value", func(t *testing.T) {
		bad := bytes.Replace(signed, []byte("my"), []byte("other"), 1)
		if _, err := s.Unsign(bad); !errors.Is(err, ErrBadSignature) {
			t.Errorf("Unsign error = %v, want ErrBadSignature", err)
		}
	})
	t.Run("invalid separator", func(t *testing.T) {
		for _, sep := range []string{"-", "", "=", "a", "ab"} {
			if _, err := NewSigner([]byte("k"), WithSeparator([]byte(sep))); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "separator cannot be used") {
				t.Errorf("separator %q: error = %v, want ErrConfig about the separator", sep, err)
			}
		}
		for _, sep := range []string{":", "|", "..", "az"} {
			if _, err := NewSigner([]byte("k"), WithSeparator([]byte(sep))); err != nil {
				t.Errorf("separator %q refused: %v", sep, err)
			}
		}
	})
	t.Run("key derivation", func(t *testing.T) {
		for _, kd := range []KeyDerivation{Concat, DjangoConcat, HMACDerive, NoDerivation} {
			s := mustSigner(t, "secret-key", WithKeyDerivation(kd))
			if v, err := s.Unsign(s.Sign([]byte("value"))); err != nil || string(v) != "value" {
				t.Errorf("%s round trip = %q, %v", kd, v, err)
			}
		}
	})
	t.Run("invalid key derivation", func(t *testing.T) {
		if _, err := NewSigner([]byte("k"), WithKeyDerivation("invalid")); !errors.Is(err, ErrConfig) {
			t.Errorf("error = %v, want ErrConfig", err)
		}
	})
	t.Run("digest method", func(t *testing.T) {
		s := mustSigner(t, "secret-key", WithDigest(md5.New))
		if v, err := s.Unsign(s.Sign([]byte("value"))); err != nil || string(v) != "value" {
			t.Errorf("md5 round trip = %q, %v", v, err)
		}
	})
	t.Run("algorithm", func(t *testing.T) {
		for name, alg := range map[string]Algorithm{"nil": nil, "none": UnsafeNoneAlgorithm, "hmac": HMAC(nil), "reverse": reverseAlgorithm{}} {
			s := mustSigner(t, "secret-key", WithAlgorithm(alg))
			signed := s.Sign([]byte("value"))
			if v, err := s.Unsign(signed); err != nil || string(v) != "value" {
				t.Errorf("%s round trip = %q, %v", name, v, err)
			}
			if name == "nil" || name == "hmac" {
				if !bytes.Equal(signed, mustSigner(t, "secret-key").Sign([]byte("value"))) {
					t.Errorf("%s: signature differs from the default algorithm", name)
				}
			}
		}
	})
	t.Run("secret keys", func(t *testing.T) {
		old := mustSigner(t, "a").Sign([]byte("v"))
		both := mustSigner(t, "b", WithFallbackKeys([]byte("a")))
		if !both.Validate(old) {
			t.Error("token by the fallback key did not verify")
		}
		if bytes.Equal(both.Sign([]byte("v")), old) {
			t.Error("the fallback key signed")
		}
	})
}

type reverseAlgorithm struct{}

func (reverseAlgorithm) AppendSignature(dst, key, msg []byte) []byte {
	h := sha512.New()
	h.Write(key)
	h.Write(msg)
	sum := h.Sum(nil)
	for i := len(sum) - 1; i >= 0; i-- {
		dst = append(dst, sum[i])
	}
	return dst
}

// Spec §0.3: alternative spellings of a signature that Python accepts.
func TestSignerLenientSpellings(t *testing.T) {
	// This signature has both '-' and '_' in it.
	const tok = "hello world.T0iNDWtfnr9GEwPZJ0gHp9w1lYWX2uQnjXfnpAPa-rs"
	c := mustSigner(t, "secret-key", WithSalt([]byte("my-salt")), WithKeyDerivation(Concat), WithDigest(sha256.New))
	cs := mustSigner(t, "secret-key", WithSalt([]byte("my-salt")), WithKeyDerivation(Concat), WithDigest(sha256.New), WithStrictBase64())
	variants := []struct {
		name   string
		tok    string
		python bool // whether itsdangerous accepts it
	}{
		{"canonical", tok, true},
		{"plus for minus", strings.Replace(tok, "-", "+", 1), true},
		{"one pad", tok + "=", true},
		{"two pads", tok + "==", true},
		{"appended A", tok + "A", false},
		{"appended bang", tok + "!", false},
	}
	for _, v := range variants {
		if got := c.Validate([]byte(v.tok)); got != v.python {
			t.Errorf("%s: lenient Validate = %v, want %v (as Python)", v.name, got, v.python)
		}
		if got := cs.Validate([]byte(v.tok)); got != (v.name == "canonical") {
			t.Errorf("%s: strict Validate = %v, want %v", v.name, got, v.name == "canonical")
		}
	}
}

func TestSignerTooLarge(t *testing.T) {
	s := mustSigner(t, "k", WithMaxTokenSize(16))
	_, err := s.Unsign(bytes.Repeat([]byte("a"), 17))
	if !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrBadSignature) {
		t.Errorf("error = %v, want ErrTooLarge and ErrBadSignature", err)
	}
}

func fixedClock(unix int64) Option {
	return WithClock(func() time.Time { return time.Unix(unix, 0) })
}

// HMAC(nil) used on its own is HMAC-SHA1, the signer default, not a panic.
func TestHMACNilDigest(t *testing.T) {
	got := HMAC(nil).AppendSignature(nil, []byte("k"), []byte("v"))
	want := HMAC(sha1.New).AppendSignature(nil, []byte("k"), []byte("v"))
	if !bytes.Equal(got, want) {
		t.Errorf("HMAC(nil) = %x, want HMAC-SHA1 %x", got, want)
	}
}

// TestEmptyKeys checks that every constructor that verifies refuses an
// empty key, current or fallback: itsdangerous signs with b"" happily, so a
// fallback read from an unset environment variable would verify tokens
// that anyone makes. WithUnsafeEmptyKeys is the explicit way through.
func TestEmptyKeys(t *testing.T) {
	type ctor func(key []byte, opts ...Option) error
	ctors := map[string]ctor{
		"Signer":          func(k []byte, o ...Option) error { _, err := NewSigner(k, o...); return err },
		"TimestampSigner": func(k []byte, o ...Option) error { _, err := NewTimestampSigner(k, o...); return err },
		"Serializer":      func(k []byte, o ...Option) error { _, err := NewSerializer(k, o...); return err },
		"URLSafeSerializer": func(k []byte, o ...Option) error {
			_, err := NewURLSafeSerializer(k, o...)
			return err
		},
		"TimedSerializer": func(k []byte, o ...Option) error { _, err := NewTimedSerializer(k, o...); return err },
		"URLSafeTimedSerializer": func(k []byte, o ...Option) error {
			_, err := NewURLSafeTimedSerializer(k, o...)
			return err
		},
	}
	tests := []struct {
		name string
		key  []byte
		opts []Option
		want error // nil: accepted
	}{
		{name: "nil key", key: nil, want: ErrEmptyKey},
		{name: "empty key", key: []byte{}, want: ErrEmptyKey},
		{name: "empty fallback", key: []byte("k"), opts: []Option{WithFallbackKeys([]byte("old"), []byte{})}, want: ErrEmptyKey},
		{name: "nil fallback", key: []byte("k"), opts: []Option{WithFallbackKeys(nil)}, want: ErrEmptyKey},
		{name: "keys set", key: []byte("k"), opts: []Option{WithFallbackKeys([]byte("old"))}},
		// The explicit, loudly named way for forging tools.
		{name: "empty key allowed", key: nil, opts: []Option{WithUnsafeEmptyKeys()}},
		{name: "empty fallback allowed", key: []byte("k"), opts: []Option{WithFallbackKeys(nil), WithUnsafeEmptyKeys()}},
	}
	for _, tt := range tests {
		for name, c := range ctors {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				err := c(tt.key, tt.opts...)
				if tt.want == nil {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				if !errors.Is(err, tt.want) || !errors.Is(err, ErrConfig) {
					t.Fatalf("err = %v, want an error matching %v and ErrConfig", err, tt.want)
				}
			})
		}
	}
}

// TestEmptyKeyForgery shows what the refusal prevents: with the empty key
// allowed as a fallback, a token anyone signs with b"" verifies.
func TestEmptyKeyForgery(t *testing.T) {
	forger, err := NewURLSafeTimedSerializer(nil, WithUnsafeEmptyKeys())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := forger.Dumps(map[string]any{"is_admin": true})
	if err != nil {
		t.Fatal(err)
	}
	lax, err := NewURLSafeTimedSerializer([]byte("k"), WithFallbackKeys(nil), WithUnsafeEmptyKeys())
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if _, err := lax.Loads(tok, &v); err != nil {
		t.Fatalf("the allowed empty fallback does not verify the forgery: %v", err)
	}
	if _, err := NewURLSafeTimedSerializer([]byte("k"), WithFallbackKeys(nil)); !errors.Is(err, ErrEmptyKey) {
		t.Fatalf("empty fallback accepted by default: %v", err)
	}
}
