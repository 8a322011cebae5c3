package itsdangerous

import (
	"crypto/hmac"
	"crypto/sha1"
	"math/rand/v2"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/sha1block"
)

// TestSHA1HMAC checks the HMAC-SHA1 of the signers against crypto/hmac for
// keys of every length to 200 bytes (past 64 a key is hashed first) and
// messages of every length to 300 (the padding takes one block or two at
// 55/56 bytes past a block boundary).
func TestSHA1HMAC(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	buf := make([]byte, 300)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	for klen := 0; klen <= 200; klen += 1 + klen/16 {
		key := buf[:klen]
		m := newSHA1HMAC(key)
		for n := 0; n <= len(buf); n++ {
			msg := buf[len(buf)-n:]
			want := hmac.New(sha1.New, key)
			want.Write(msg)
			got := m.sum(msg)
			if !hmac.Equal(got[:], want.Sum(nil)) {
				t.Fatalf("key of %d bytes, message of %d: %x, crypto/hmac %x", klen, n, got, want.Sum(nil))
			}
		}
	}
}

// FuzzSHA1HMAC compares with crypto/hmac on any key and message.
func FuzzSHA1HMAC(f *testing.F) {
	f.Add([]byte("dev-secret"), []byte("eyJ1c2VyX2lkIjo0Mn0.ZVXBAA"))
	f.Fuzz(func(t *testing.T, key, msg []byte) {
		want := hmac.New(sha1.New, key)
		want.Write(msg)
		got := newSHA1HMAC(key).sum(msg)
		if !hmac.Equal(got[:], want.Sum(nil)) {
			t.Fatalf("%x, crypto/hmac %x", got, want.Sum(nil))
		}
	})
}

// TestSignerSHA1AllocatesNothing checks that signing and verifying with
// HMAC-SHA1 allocate nothing beyond the token Sign returns.
func TestSignerSHA1AllocatesNothing(t *testing.T) {
	s, err := NewSigner([]byte("dev-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.macs[0].sha1 != nil, sha1block.Accelerated(); got != want {
		t.Fatalf("the default signer uses the sha1block path: %v, want %v (the SHA instructions)", got, want)
	}
	signed := s.Sign([]byte("value"))
	if n := testing.AllocsPerRun(100, func() {
		if !s.Validate(signed) {
			t.Fatal("does not verify")
		}
	}); n != 0 {
		t.Errorf("Validate: %v allocations", n)
	}
}

// TestSHA1HMACEqual checks equal: the right MAC, any one bit changed, and
// other lengths.
func TestSHA1HMACEqual(t *testing.T) {
	m := newSHA1HMAC([]byte("dev-secret"))
	msg := []byte("eyJ1c2VyX2lkIjo0Mn0.ZVXBAA")
	sum := m.sum(msg)
	if !m.equal(sum[:], msg) {
		t.Fatal("the MAC does not verify")
	}
	for bit := 0; bit < 8*len(sum); bit++ {
		bad := sum
		bad[bit/8] ^= 1 << (bit % 8)
		if m.equal(bad[:], msg) {
			t.Fatalf("bit %d flipped verifies", bit)
		}
	}
	for _, n := range []int{0, 19, 21, 32} {
		sig := append(sum[:0:0], sum[:]...)
		sig = append(sig, make([]byte, 32)...)[:n]
		if m.equal(sig, msg) {
			t.Errorf("a signature of %d bytes verifies", n)
		}
	}
}
