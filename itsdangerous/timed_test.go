package itsdangerous

import (
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"
)

const (
	goldenNow = 1700000000 // the spec's frozen clock (§8)
	frozenNow = 1308874145 // upstream test_timed.py's frozen clock
)

// V6 of the spec, and upstream's frozen vector.
func TestTimestampSignerGolden(t *testing.T) {
	tests := []struct {
		name string
		now  int64
		opts []Option
		want string
	}{
		{"V6", goldenNow, nil, "value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw"},
		{"V6 flask-like sha256", goldenNow, []Option{WithSalt([]byte("cookie-session")), WithKeyDerivation(HMACDerive), WithDigest(sha256.New)}, "value.ZVPxAA.kkafDtaFlS0pnhRf1MpQVPDVlUif-dZ6tSl2607Q_ek"},
		{"upstream frozen", frozenNow, nil, "value.TgPVoQ.UuTmbd1hhGp7tyOFjT0H9ILwyfg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewTimestampSigner([]byte("secret-key"), append(tt.opts, fixedClock(tt.now))...)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(s.Sign([]byte("value"))); got != tt.want {
				t.Fatalf("Sign = %q, want %q", got, tt.want)
			}
			v, ts, err := s.Unsign([]byte(tt.want))
			if err != nil || string(v) != "value" || ts.Unix() != tt.now || ts.Location() != time.UTC {
				t.Errorf("Unsign = %q, %v, %v; want value at %d UTC", v, ts, err, tt.now)
			}
		})
	}
}

// Spec §2.2: the exact age boundaries, checked in Python with max_age=10.
func TestTimestampSignerMaxAge(t *testing.T) {
	s, err := NewTimestampSigner([]byte("secret-key"), fixedClock(goldenNow))
	if err != nil {
		t.Fatal(err)
	}
	tok := []byte("value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw")
	tests := []struct {
		offset  int64
		wantErr string // empty: valid
	}{
		{0, ""}, {1, ""}, {10, ""},
		{11, "Signature age 11 > 10 seconds"},
		{-1, "Signature age -1 < 0 seconds"},
	}
	for _, tt := range tests {
		now := time.Unix(goldenNow+tt.offset, 0)
		_, ts, err := s.Unsign(tok, MaxAge(10*time.Second), At(now))
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("now=T%+d: %v, want valid", tt.offset, err)
			}
			continue
		}
		var e *Error
		if !errors.Is(err, ErrSignatureExpired) || !errors.As(err, &e) {
			t.Fatalf("now=T%+d: error %v, want ErrSignatureExpired", tt.offset, err)
		}
		if e.Reason != tt.wantErr || e.SignedAt.Unix() != goldenNow || !ts.IsZero() {
			t.Errorf("now=T%+d: reason %q signed %v, want %q at %d", tt.offset, e.Reason, e.SignedAt, tt.wantErr, goldenNow)
		}
		for _, k := range []error{ErrBadTimeSignature, ErrBadSignature, ErrBadData} {
			if !errors.Is(err, k) {
				t.Errorf("now=T%+d: error does not match %v", tt.offset, k)
			}
		}
	}
	// Without MaxAge a future token is accepted (§2.2 step 7).
	if _, _, err := s.Unsign(tok, At(time.Unix(goldenNow-100, 0))); err != nil {
		t.Errorf("future token without max age: %v", err)
	}
	// max_age=0 is valid within the same second.
	if _, _, err := s.Unsign(tok, MaxAge(0)); err != nil {
		t.Errorf("max age 0 in the same second: %v", err)
	}
}

// Upstream tests/test_itsdangerous/test_timed.py (TestTimestampSigner).
func TestTimestampSignerUpstream(t *testing.T) {
	s, err := NewTimestampSigner([]byte("secret-key"), fixedClock(frozenNow))
	if err != nil {
		t.Fatal(err)
	}
	plain := mustSigner(t, "secret-key")
	tests := []struct {
		name       string
		tok        string
		kind       error
		reason     string // substring
		wantSigned bool
	}{
		{"timestamp missing", string(plain.Sign([]byte("value"))), ErrBadTimeSignature, "missing", false},
		{"malformed timestamp", string(plain.Sign([]byte("value.____________"))), ErrBadTimeSignature, "Malformed", false},
		{"malformed future timestamp", "value.TgPVoaGhoQ.AGBfQ6G6cr07byTRt0zAdPljHOY", ErrBadTimeSignature, "Malformed", false},
		{"sig error date signed", strings.Replace(string(s.Sign([]byte("my string"))), "my", "other", 1), ErrBadTimeSignature, "does not match", true},
		{"no separator at all", "valueTgPVoQsig", ErrBadSignature, "No b'.' found", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.Unsign([]byte(tt.tok))
			var e *Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &e) {
				t.Fatalf("error = %v, want %v", err, tt.kind)
			}
			if !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("reason = %q, want it to contain %q", e.Reason, tt.reason)
			}
			if got := !e.SignedAt.IsZero(); got != tt.wantSigned {
				t.Errorf("SignedAt = %v, want set=%v", e.SignedAt, tt.wantSigned)
			}
			if tt.wantSigned && e.SignedAt.Unix() != frozenNow {
				t.Errorf("SignedAt = %v, want %d", e.SignedAt, frozenNow)
			}
		})
	}
	t.Run("future age", func(t *testing.T) {
		tok := s.Sign([]byte("value"))
		past := time.Date(1971, 5, 31, 0, 0, 0, 0, time.UTC)
		_, _, err := s.Unsign(tok, MaxAge(10*time.Second), At(past))
		var e *Error
		if !errors.Is(err, ErrSignatureExpired) || !errors.As(err, &e) || e.SignedAt.IsZero() {
			t.Errorf("error = %v, want ErrSignatureExpired with a signing time", err)
		}
	})
	t.Run("max age after one and eleven seconds", func(t *testing.T) {
		tok := s.Sign([]byte("value"))
		if _, _, err := s.Unsign(tok, MaxAge(10*time.Second), At(time.Unix(frozenNow+1, 0))); err != nil {
			t.Errorf("+1s: %v", err)
		}
		if _, _, err := s.Unsign(tok, MaxAge(10*time.Second), At(time.Unix(frozenNow+11, 0))); !errors.Is(err, ErrSignatureExpired) {
			t.Errorf("+11s: %v, want ErrSignatureExpired", err)
		}
	})
}

func TestLegacyEpoch(t *testing.T) {
	s, err := NewTimestampSigner([]byte("secret-key"), fixedClock(goldenNow), WithLegacyEpoch())
	if err != nil {
		t.Fatal(err)
	}
	tok := s.Sign([]byte("v"))
	// The stored timestamp counts from 2011-01-01.
	parts := strings.Split(string(tok), ".")
	raw, _ := decodeBase64Lenient(nil, []byte(parts[1]))
	n, _ := parseTimestamp(raw)
	if n != goldenNow-LegacyEpoch {
		t.Errorf("stored timestamp = %d, want %d", n, goldenNow-LegacyEpoch)
	}
	_, ts, err := s.Unsign(tok, MaxAge(time.Second))
	if err != nil || ts.Unix() != goldenNow {
		t.Errorf("Unsign = %v, %v; want signed at %d", ts, err, goldenNow)
	}
	modern, _ := NewTimestampSigner([]byte("secret-key"), fixedClock(goldenNow))
	if _, _, err := modern.Unsign(tok, MaxAge(time.Hour)); !errors.Is(err, ErrSignatureExpired) {
		t.Errorf("legacy token read without the option: %v, want expired", err)
	}
}

// TestAgeCostsNothing: checking the age of a valid token allocates nothing,
// however old it is (the age is written only into an expiry's message).
func TestAgeCostsNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts mean nothing under -race")
	}
	s, err := NewURLSafeTimedSerializer([]byte("secret-key"), fixedClock(goldenNow))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Dumps(true)
	if err != nil {
		t.Fatal(err)
	}
	for _, age := range []int64{0, 7, 3600, 1 << 30} {
		at := At(time.Unix(goldenNow+age, 0))
		var v any
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := s.Loads(tok, &v, MaxAge(time.Duration(age)*time.Second), at); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("a token %d s old: %v allocations per load, want 0", age, allocs)
		}
	}
}
