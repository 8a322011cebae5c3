package fernet_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/flaskcookie/flaskcookie/fernet"
)

const specKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="

var t0 = time.Unix(1700000000, 0)

// keyOf returns a fixed key made of the bytes seed, seed+1, ...
func keyOf(seed byte) fernet.Key {
	var k fernet.Key
	for i := range k {
		k[i] = seed + byte(i)
	}
	return k
}

func newFernet(t testing.TB, keys ...fernet.Key) *fernet.Fernet {
	t.Helper()
	f, err := fernet.New(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return f.WithClock(func() time.Time { return t0 })
}

func TestFernetRoundTrip(t *testing.T) {
	k1, k2 := keyOf(1), keyOf(100)
	both := newFernet(t, k1, k2)
	only1, only2 := newFernet(t, k1), newFernet(t, k2)
	for n := 0; n <= 50; n++ {
		plain := bytes.Repeat([]byte{byte(n)}, n)
		tok, err := both.Encrypt(plain)
		if err != nil {
			t.Fatal(err)
		}
		// The first key encrypts: the first key alone opens it.
		for _, f := range []*fernet.Fernet{both, only1} {
			got, err := f.Decrypt(tok, fernet.TTL(time.Minute), fernet.StrictBase64())
			if err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("len %d: Decrypt = %x, %v", n, got, err)
			}
		}
		if _, err := only2.Decrypt(tok); !errors.Is(err, fernet.ErrInvalidToken) {
			t.Fatalf("len %d: the second key opened a token of the first: %v", n, err)
		}
		// A token of the second key opens with both.
		tok2, _ := only2.Encrypt(plain)
		if got, err := both.Decrypt(tok2); err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("len %d: second key: %x, %v", n, got, err)
		}
		// Sizes: one to sixteen bytes of padding, 57 bytes of overhead.
		info, err := fernet.ParseUnverified(tok)
		if err != nil || info.CiphertextSize != (n/16+1)*16 || info.Size != info.CiphertextSize+57 ||
			!info.Timestamp.Equal(t0) || len(tok) != base64.URLEncoding.EncodedLen(info.Size) {
			t.Fatalf("len %d: ParseUnverified = %+v, %v (token %d chars)", n, info, err, len(tok))
		}
	}
}

func TestFernetRandomIVs(t *testing.T) {
	f := newFernet(t, keyOf(1))
	a, _ := f.Encrypt([]byte("same"))
	b, _ := f.Encrypt([]byte("same"))
	if a == b {
		t.Fatal("two encryptions of the same plaintext at the same time gave the same token")
	}
}

// Every single-bit change anywhere in a token is refused, with the same
// error, by Decrypt, ExtractTimestamp and Rotate.
func TestFernetOneBitChangeRefused(t *testing.T) {
	f := newFernet(t, keyOf(1), keyOf(2))
	tok, _ := f.Encrypt([]byte(`{"user_id":42}`))
	data, _ := base64.URLEncoding.DecodeString(tok)
	for i := range data {
		for bit := 0; bit < 8; bit++ {
			d := bytes.Clone(data)
			d[i] ^= 1 << bit
			bad := base64.URLEncoding.EncodeToString(d)
			if got, err := f.Decrypt(bad); err != fernet.ErrInvalidToken || got != nil {
				t.Fatalf("byte %d bit %d: Decrypt = %q, %v; want exactly ErrInvalidToken", i, bit, got, err)
			}
			if _, err := f.Decrypt(bad, fernet.TTL(time.Hour)); err != fernet.ErrInvalidToken {
				// Not a *TimeError either: only authentic tokens get one.
				t.Fatalf("byte %d bit %d: Decrypt with TTL = %v; want exactly ErrInvalidToken", i, bit, err)
			}
			if _, err := f.ExtractTimestamp(bad); !errors.Is(err, fernet.ErrInvalidToken) {
				t.Fatalf("byte %d bit %d: ExtractTimestamp = %v", i, bit, err)
			}
			if _, err := f.Rotate(bad); !errors.Is(err, fernet.ErrInvalidToken) {
				t.Fatalf("byte %d bit %d: Rotate = %v", i, bit, err)
			}
		}
	}
}

// Every prefix of a token, as text and as bytes, is refused without a
// panic.
func TestFernetTruncationsRefused(t *testing.T) {
	f := newFernet(t, keyOf(1))
	tok, _ := f.Encrypt([]byte("0123456789abcdef0123"))
	data, _ := base64.URLEncoding.DecodeString(tok)
	type prefix struct {
		token      string
		wellFormed bool // a shorter token's layout: ParseUnverified reads it
	}
	var prefixes []prefix
	for n := 0; n < len(tok); n++ {
		if n > 0 && tok[n-1] == '=' {
			continue // the complete token with some padding cut
		}
		prefixes = append(prefixes, prefix{tok[:n], false})
	}
	for n := 0; n < len(data); n++ {
		wellFormed := n >= 73 && (n-57)%16 == 0
		prefixes = append(prefixes, prefix{base64.URLEncoding.EncodeToString(data[:n]), wellFormed})
	}
	for _, p := range prefixes {
		if _, err := f.Decrypt(p.token, fernet.TTL(time.Hour)); !errors.Is(err, fernet.ErrInvalidToken) {
			t.Errorf("Decrypt(%q) = %v; want ErrInvalidToken", p.token, err)
		}
		if _, err := fernet.ParseUnverified(p.token); !p.wellFormed && !errors.Is(err, fernet.ErrInvalidToken) {
			t.Errorf("ParseUnverified(%q) = %v; want ErrInvalidToken", p.token, err)
		}
	}
}

func TestFernetTime(t *testing.T) {
	f := newFernet(t, keyOf(1))
	tok, err := f.EncryptAt([]byte("x"), t0, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		now    time.Time
		ttl    time.Duration
		ok     bool
		future bool
	}{
		{"age equals the TTL", t0.Add(time.Minute), time.Minute, true, false},
		{"one second over the TTL: expired", t0.Add(61 * time.Second), time.Minute, false, false},
		{"fractions of a second count as whole seconds", t0.Add(60*time.Second + 999*time.Millisecond), time.Minute, true, false},
		{"TTL truncated to whole seconds", t0.Add(60 * time.Second), 60*time.Second + 999*time.Millisecond, true, false},
		{"TTL zero, same second", t0, 0, true, false},
		{"TTL zero, next second: expired", t0.Add(time.Second), 0, false, false},
		{"negative TTL: expired", t0, -time.Second, false, false},
		{"60 s in the future is within the clock skew", t0.Add(-time.Minute), time.Minute, true, false},
		{"61 s in the future: refused", t0.Add(-61 * time.Second), time.Minute, false, true},
		{"far future: refused", time.Unix(0, 0), time.Hour, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Decrypt(tok, fernet.TTL(tt.ttl), fernet.At(tt.now))
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var te *fernet.TimeError
			if !errors.Is(err, fernet.ErrInvalidToken) || !errors.As(err, &te) {
				t.Fatalf("err = %v; want a *TimeError matching ErrInvalidToken", err)
			}
			if te.Future != tt.future || !te.Timestamp.Equal(t0) || !te.Now.Equal(tt.now) || te.TTL != tt.ttl.Truncate(time.Second) {
				t.Fatalf("TimeError = %+v", te)
			}
		})
	}
	// Without a TTL, any time is accepted, as in Python; the Fernet's
	// clock is the default present.
	for _, now := range []time.Time{time.Unix(0, 0), t0.Add(100 * 365 * 24 * time.Hour)} {
		if _, err := f.WithClock(func() time.Time { return now }).Decrypt(tok); err != nil {
			t.Errorf("no TTL, now %v: %v", now, err)
		}
	}
	if _, err := f.WithClock(func() time.Time { return t0.Add(2 * time.Minute) }).Decrypt(tok, fernet.TTL(time.Minute)); !errors.Is(err, fernet.ErrInvalidToken) {
		t.Errorf("the clock of WithClock was not used for the TTL: %v", err)
	}
	if ts, err := f.ExtractTimestamp(tok); err != nil || !ts.Equal(t0) || ts.Location() != time.UTC {
		t.Errorf("ExtractTimestamp = %v, %v", ts, err)
	}
}

func TestFernetRotate(t *testing.T) {
	old, fresh := keyOf(1), keyOf(50)
	made := time.Unix(1600000000, 0)
	tok, _ := newFernet(t, old).EncryptAt([]byte("secret"), made, nil)
	rotated, err := newFernet(t, fresh, old).Rotate(tok)
	if err != nil {
		t.Fatal(err)
	}
	got, ts, err := newFernet(t, fresh).DecryptWithTimestamp(rotated)
	if err != nil || string(got) != "secret" || !ts.Equal(made) {
		t.Fatalf("rotated token: %q, %v, %v; want the plaintext and the old timestamp", got, ts, err)
	}
	if _, err := newFernet(t, old).Decrypt(rotated); !errors.Is(err, fernet.ErrInvalidToken) {
		t.Fatalf("the old key still opens the rotated token: %v", err)
	}
	// Rotate ignores the age: the token is 3 years old.
	if _, err := newFernet(t, fresh).Rotate(tok); !errors.Is(err, fernet.ErrInvalidToken) {
		t.Fatalf("Rotate without the old key: %v", err)
	}
}

func TestFernetStrictBase64(t *testing.T) {
	f := newFernet(t, keyOf(1))
	tok, _ := f.Encrypt([]byte("0123456789")) // 89 bytes: ends in "=="
	if !strings.HasSuffix(tok, "==") {
		t.Fatalf("want a token ending in ==: %s", tok)
	}
	stripped := strings.TrimRight(tok, "=")
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, stripped[len(stripped)-1])
	tests := []struct {
		name    string
		token   string
		lenient bool // what Python (and the default mode) does
	}{
		{"canonical", tok, true},
		{"standard alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(tok), true},
		{"junk characters", tok[:10] + "*. " + tok[10:], true},
		{"newline", tok[:10] + "\n" + tok[10:], true},
		{"extra padding", tok + "==", true},
		{"text after the padding", tok + "abcd", true},
		{"non-zero trailing bits", stripped[:len(stripped)-1] + string(alphabet[last|0x0f]) + "==", true},
		{"missing padding: refused by Python too", stripped, false},
		{"non-ASCII: Python raises ValueError", tok[:10] + "\u00e9" + tok[10:], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Decrypt(tt.token)
			if (err == nil) != tt.lenient {
				t.Errorf("lenient: err = %v, want ok %v", err, tt.lenient)
			}
			_, err = f.Decrypt(tt.token, fernet.StrictBase64())
			if wantOK := tt.token == tok; (err == nil) != wantOK {
				t.Errorf("strict: err = %v, want ok %v", err, wantOK)
			}
			if err != nil && !errors.Is(err, fernet.ErrInvalidToken) {
				t.Errorf("strict: err = %v, want ErrInvalidToken", err)
			}
		})
	}
}

func TestFernetConfigErrors(t *testing.T) {
	if _, err := fernet.New(); !errors.Is(err, fernet.ErrNoKeys) {
		t.Errorf("New() = %v; want ErrNoKeys", err)
	}
	f := newFernet(t, keyOf(1))
	if _, err := f.EncryptAt(nil, time.Unix(-1, 0), nil); !errors.Is(err, fernet.ErrInvalidTime) {
		t.Errorf("EncryptAt before 1970 = %v; want ErrInvalidTime", err)
	}
	for _, n := range []int{0, 15, 17} {
		if _, err := f.EncryptAt(nil, t0, make([]byte, n)); !errors.Is(err, fernet.ErrInvalidIV) {
			t.Errorf("EncryptAt with a %d-byte IV = %v; want ErrInvalidIV", n, err)
		}
	}
	broken := f.WithRandom(iotest.ErrReader(errors.New("no entropy")))
	if tok, err := broken.Encrypt([]byte("x")); err == nil || errors.Is(err, fernet.ErrInvalidToken) {
		t.Errorf("Encrypt with a failing random source = %q, %v; want its error", tok, err)
	}
	// The zero Fernet holds no key: it encrypts nothing and opens nothing.
	var zero fernet.Fernet
	if _, err := zero.Encrypt([]byte("x")); !errors.Is(err, fernet.ErrNoKeys) {
		t.Errorf("zero Fernet Encrypt = %v; want ErrNoKeys", err)
	}
	tok, _ := f.Encrypt([]byte("x"))
	if _, err := zero.Decrypt(tok); !errors.Is(err, fernet.ErrInvalidToken) {
		t.Errorf("zero Fernet Decrypt = %v; want ErrInvalidToken", err)
	}
}

func TestFernetKeys(t *testing.T) {
	a, err := fernet.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := fernet.NewKey()
	if a == b {
		t.Fatal("NewKey returned the same key twice")
	}
	back, err := fernet.ParseKey(a.String())
	if err != nil || back != a {
		t.Fatalf("ParseKey(String()) = %x, %v; want %x", back, err, a)
	}
	// The text form is Python's generate_key(): 44 characters, padded.
	if s := keyOf(0).String(); s != "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" {
		t.Fatalf("String() = %s", s)
	}
}

// The IV source is read once per token, for exactly 16 bytes.
func TestFernetWithRandom(t *testing.T) {
	iv := bytes.Repeat([]byte{7}, 16)
	f := newFernet(t, keyOf(1)).WithRandom(bytes.NewReader(append(bytes.Clone(iv), 1)))
	tok, err := f.Encrypt([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := base64.URLEncoding.DecodeString(tok)
	if !bytes.Equal(data[9:25], iv) {
		t.Fatalf("IV %x; want %x", data[9:25], iv)
	}
	if _, err := f.Encrypt([]byte("x")); err == nil {
		t.Fatal("a second token was made from one byte of randomness")
	}
}

func BenchmarkFernet(b *testing.B) {
	f := newFernet(b, keyOf(1))
	plain := []byte(`{"user_id":42}`)
	tok, _ := f.Encrypt(plain)
	b.Run("Encrypt", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := f.Encrypt(plain); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Decrypt", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := f.Decrypt(tok, fernet.TTL(time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
