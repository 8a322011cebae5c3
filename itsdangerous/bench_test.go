package itsdangerous

import (
	"crypto/hmac"
	"crypto/sha1"
	"testing"
	"time"
)

// Each benchmark runs beside a baseline in the same process: a raw
// HMAC-SHA1 over the same message bytes with hmac.New per operation (what
// the token costs at the least). Compare ns/op as ratios.

func benchHMAC(b *testing.B, key, msg []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		m := hmac.New(sha1.New, key)
		m.Write(msg)
		_ = m.Sum(nil)
	}
}

func BenchmarkSigner(b *testing.B) {
	s, _ := NewSigner([]byte("secret-key"))
	value := []byte("my string")
	tok := s.Sign(value)
	key := deriveKey(mustConfig(b), []byte("secret-key"))
	b.Run("baseline-hmac-sha1", func(b *testing.B) { benchHMAC(b, key, value) })
	b.Run("Sign", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_ = s.Sign(value)
		}
	})
	b.Run("Unsign", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := s.Unsign(tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkURLSafeTimedSerializer(b *testing.B) {
	s, _ := NewURLSafeTimedSerializer([]byte("secret-key"), fixedClock(goldenNow))
	value := map[string]any{"user_id": int64(42)}
	tok, _ := s.Dumps(value)
	msg := []byte(tok[:len(tok)-28])
	c, _ := newConfig(DefaultSerializerSalt, nil)
	key := deriveKey(c, []byte("secret-key"))
	b.Run("baseline-hmac-sha1", func(b *testing.B) { benchHMAC(b, key, msg) })
	b.Run("Dumps", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := s.Dumps(value); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Loads", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var v map[string]any
			if _, err := s.Loads(tok, &v, MaxAge(time.Hour), At(time.Unix(goldenNow, 0))); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func mustConfig(b *testing.B) *config {
	c, err := newConfig(DefaultSignerSalt, nil)
	if err != nil {
		b.Fatal(err)
	}
	return c
}
