package django_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// Tokens made by Django 3.2.25 with SECRET_KEY "django-secret" at
// 1700000000 (testdata/django/vectors.json).
const (
	djangoHello     = "hello:jJBiK7rh_4jPrL47pDvJ4BLLAv8mFGzW8GfMTLAjJEc"                              // Signer().sign("hello")
	djangoHelloSHA1 = "hello:f2AGHynA8LjY7OK_OoHr_d_bFz0"                                              // Signer(algorithm="sha1")
	djangoTimed     = "hello:1r31eq:_GwpwRzMai8X5cuq-_hfZkoXwc_GndRPWUKBZPTf-5o"                       // TimestampSigner().sign("hello")
	djangoDumps     = "eyJhIjoxLCJiIjoiXHUwMGZjIn0:1r31eq:OC3dkd41NCpz7SQjeX2xPI0EkyfcIqUutZhCz6yKFe0" // dumps({"a": 1, "b": "ü"})
	djangoSession   = "eyJ1c2VyX2lkIjo0Mn0:1r31eq:lIY0VP6AROwehoElhvrluN-vnamT0pO5bKxRV6KtY8U"         // session {"user_id": 42}
)

var T = time.Unix(1700000000, 0)

func frozen() time.Time { return T }

var key = []byte("django-secret")

// SECRET_KEY_FALLBACKS (Django 4.1): old keys verify, the key signs.
func TestFallbackKeys(t *testing.T) {
	s, err := django.NewSigner([]byte("new-key"), django.WithFallbackKeys([]byte("older"), key))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Unsign(djangoHello); err != nil || v != "hello" {
		t.Errorf("Unsign of a token by a fallback key = %q, %v", v, err)
	}
	only, _ := django.NewSigner([]byte("new-key"))
	if got, want := s.Sign("hello"), only.Sign("hello"); got != want {
		t.Errorf("a fallback key signs: %s, want %s", got, want)
	}
	if _, err := only.Unsign(djangoHello); !errors.Is(err, django.ErrBadSignature) {
		t.Errorf("without the fallback: %v", err)
	}
	c, _ := django.NewSessionCodec([]byte("new-key"), django.WithFallbackKeys(key), django.WithClock(frozen))
	var v map[string]any
	if _, err := c.Decode(djangoSession, &v); err != nil || v["user_id"] != int64(42) {
		t.Errorf("session by a fallback key: %v, %v", v, err)
	}
}

// Django 4.0+ (the default here) refuses the SHA-1 signatures that 3.1 and
// 3.2 accept; WithLegacySHA1 accepts them.
func TestLegacySHA1(t *testing.T) {
	modern, _ := django.NewSigner(key)
	if _, err := modern.Unsign(djangoHelloSHA1); !errors.Is(err, django.ErrBadSignature) {
		t.Errorf("default signer accepted a SHA-1 signature: %v", err)
	}
	legacy, _ := django.NewSigner(key, django.WithLegacySHA1())
	if v, err := legacy.Unsign(djangoHelloSHA1); err != nil || v != "hello" {
		t.Errorf("legacy signer: %q, %v", v, err)
	}
	if got := legacy.Sign("hello"); got != djangoHello {
		t.Errorf("WithLegacySHA1 changed signing: %s", got)
	}
	sha1, _ := django.NewSigner(key, django.WithAlgorithm("sha1"))
	if got := sha1.Sign("hello"); got != djangoHelloSHA1 {
		t.Errorf("sha1 Sign = %s, Django %s", got, djangoHelloSHA1)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		key  []byte
		opts []django.Option
	}{
		{"empty key (Django would use settings.SECRET_KEY)", nil, nil},
		// Anyone can sign with the empty key: a fallback read from an
		// unset variable must not verify forgeries.
		{"empty fallback key", key, []django.Option{django.WithFallbackKeys([]byte("old"), nil)}},
		{"unknown algorithm", key, []django.Option{django.WithAlgorithm("sha3_256")}},
		{"empty separator", key, []django.Option{django.WithSeparator("")}},
		{"separator in [A-z0-9-_=]", key, []django.Option{django.WithSeparator("^")}},
		{"separator of letters and a final newline", key, []django.Option{django.WithSeparator("ab\n")}},
		{"nil clock", key, []django.Option{django.WithClock(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := django.NewSigner(tt.key, tt.opts...); !errors.Is(err, django.ErrConfig) {
				t.Errorf("NewSigner: %v", err)
			}
			if _, err := django.NewSerializer(tt.key, tt.opts...); !errors.Is(err, django.ErrConfig) {
				t.Errorf("NewSerializer: %v", err)
			}
			if _, err := django.NewSessionCodec(tt.key, tt.opts...); !errors.Is(err, django.ErrConfig) {
				t.Errorf("NewSessionCodec: %v", err)
			}
		})
	}
}

// Expiry follows Django: float ages, age > max_age expires, no check for
// the future. ErrSignatureExpired is an ErrBadSignature.
func TestMaxAge(t *testing.T) {
	s, _ := django.NewTimestampSigner(key, django.WithClock(frozen))
	tests := []struct {
		name   string
		after  time.Duration
		maxAge time.Duration
		reason string // "" when valid
	}{
		{"age equal to max_age", 10 * time.Second, 10 * time.Second, ""},
		{"one second over", 11 * time.Second, 10 * time.Second, "Signature age 11.0 > 10 seconds"},
		{"half a second over", 10500 * time.Millisecond, 10 * time.Second, "Signature age 10.5 > 10 seconds"},
		{"fractional max_age", 10750 * time.Millisecond, 10500 * time.Millisecond, "Signature age 10.75 > 10.5 seconds"},
		{"signed in the future", -time.Hour, 10 * time.Second, ""},
		{"max_age 0, same second", 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, signed, err := s.Unsign(djangoTimed, django.MaxAge(tt.maxAge), django.At(T.Add(tt.after)))
			if tt.reason == "" {
				if err != nil || v != "hello" || !signed.Equal(T) {
					t.Errorf("Unsign = %q, %v, %v", v, signed, err)
				}
				return
			}
			var e *django.Error
			if !errors.Is(err, django.ErrSignatureExpired) || !errors.Is(err, django.ErrBadSignature) || !errors.As(err, &e) {
				t.Fatalf("Unsign error %v, want ErrSignatureExpired", err)
			}
			if e.Reason != tt.reason || !e.SignedAt.Equal(T) || e.MaxAge != tt.maxAge || e.Age != tt.after {
				t.Errorf("error %+v, want reason %q", e, tt.reason)
			}
		})
	}
}

// Malformed, validly signed data is ErrMalformed, never ErrBadSignature:
// Django raises ValueError and friends, which callers catching BadSignature
// do not catch.
func TestMalformedIsNotBadSignature(t *testing.T) {
	plain, _ := django.NewSigner(key, django.WithSalt(django.TimestampSignerSalt))
	ts, _ := django.NewTimestampSigner(key)
	for _, value := range []string{"no-timestamp", "x:", "x:!", "x:" + strings.Repeat("z", 200)} {
		_, _, err := ts.Unsign(plain.Sign(value), django.MaxAge(time.Hour))
		if !errors.Is(err, django.ErrMalformed) || errors.Is(err, django.ErrBadSignature) {
			t.Errorf("%q: %v, want ErrMalformed only", value, err)
		}
	}
}

func TestTooLarge(t *testing.T) {
	s, _ := django.NewSerializer(key, django.WithMaxTokenSize(100), django.WithClock(frozen))
	_, err := s.Loads(strings.Repeat("a", 101)+djangoDumps, nil)
	if !errors.Is(err, django.ErrTooLarge) || !errors.Is(err, django.ErrBadSignature) {
		t.Errorf("long token: %v", err)
	}
	// A zlib bomb that verifies is stopped at the payload limit.
	big := make([]any, 100000)
	for i := range big {
		big[i] = int64(0)
	}
	c, _ := django.NewSerializer(key, django.WithCompress(), django.WithClock(frozen))
	tok, err := c.Dumps(big)
	if err != nil || tok[0] != '.' {
		t.Fatalf("Dumps: %.20s, %v", tok, err)
	}
	small, _ := django.NewSerializer(key, django.WithMaxPayloadSize(1000), django.WithClock(frozen))
	if _, err := small.Loads(tok, nil); !errors.Is(err, django.ErrTooLarge) || !errors.Is(err, django.ErrMalformed) {
		t.Errorf("bomb: %v", err)
	}
}

// TestAmplification: a verified (or, in the CLI, re-signed) payload is
// bounded by its own length too: it inflates to at most 64 times its length
// (64 KiB always), and holds at most 2 values per byte (8192 always).
func TestAmplification(t *testing.T) {
	c, _ := django.NewSerializer(key, django.WithCompress(), django.WithClock(frozen))
	s, _ := django.NewSerializer(key, django.WithClock(frozen))
	list := func(n int) []any {
		l := make([]any, n)
		for i := range l {
			l[i] = int64(0)
		}
		return l
	}
	tests := []struct {
		name string
		v    any
		ok   bool
	}{
		// 2 MB of "0," in a token of about 3 KB: a ratio near 700.
		{"bomb under the absolute limit", list(1 << 20), false},
		{"8191 values (the floor)", list(8190), true},
		{"8193 values", list(8192), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := c.Dumps(tt.v)
			if err != nil || tok[0] != '.' {
				t.Fatalf("Dumps: %.20s, %v", tok, err)
			}
			var v any
			_, err = s.Loads(tok, &v)
			if tt.ok != (err == nil) {
				t.Fatalf("Loads of a %d-byte token: %v, want ok %v", len(tok), err, tt.ok)
			}
			if err != nil && (!errors.Is(err, django.ErrTooLarge) || !errors.Is(err, django.ErrMalformed)) {
				t.Fatalf("Loads: %v, want ErrMalformed and ErrTooLarge", err)
			}
		})
	}
}

// Untrusted input never panics.
func FuzzLoads(f *testing.F) {
	for _, s := range []string{djangoDumps, djangoSession, djangoTimed, djangoHello, "", ":", "::", ".:1r31eq:x"} {
		f.Add(s)
	}
	s, err := django.NewSerializer(key, django.WithClock(frozen))
	if err != nil {
		f.Fatal(err)
	}
	plain, _ := django.NewSigner(key, django.WithSalt(django.DefaultSalt))
	f.Fuzz(func(t *testing.T, in string) {
		var v any
		s.Loads(in, &v, django.MaxAge(time.Hour))
		// The same input validly signed, with and without a timestamp:
		// the base62, base64, zlib and JSON readers see it.
		s.Loads(plain.Sign(in), &v, django.MaxAge(time.Hour))
		s.Loads(plain.Sign(in+":1r31eq"), &v, django.MaxAge(time.Hour))
		s.Loads(plain.Sign("."+in+":1r31eq"), &v)
	})
}

// The session codec is a codec.SessionCodec, so the HTTP middleware and the
// CLI can use it; every error means "empty session" to them, as in Django.
var _ codec.SessionCodec = (*django.SessionCodec)(nil)

func TestSessionErrorsMeanEmptySession(t *testing.T) {
	c, _ := django.NewSessionCodec(key, django.WithClock(frozen))
	plain, _ := django.NewSigner(key, django.WithSalt(django.SessionSalt))
	for name, cookie := range map[string]string{
		"tampered":  strings.Replace(djangoSession, "eyJ1", "eyJ2", 1),
		"malformed": plain.Sign("no timestamp"),
	} {
		_, err := c.Decode(cookie, nil)
		var e *django.Error
		if !errors.Is(err, itsdangerous.ErrBadSignature) || !errors.As(err, &e) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDigest(t *testing.T) {
	sizes := map[string]int{"md5": 16, "sha1": 20, "sha224": 28, "sha256": 32, "sha384": 48, "sha512": 64, "SHA256": 0, "sha3_256": 0, "": 0}
	for name, size := range sizes {
		h := django.Digest(name)
		switch {
		case size == 0 && h != nil:
			t.Errorf("Digest(%q) is not nil; WithAlgorithm refuses the name", name)
		case size != 0 && (h == nil || h().Size() != size):
			t.Errorf("Digest(%q) does not make %d-byte sums", name, size)
		}
	}
}
