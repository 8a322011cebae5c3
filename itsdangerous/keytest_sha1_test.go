package itsdangerous

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/sha1block"
)

// ktPaths are the ways a KeyTester over SHA-1 can compute: the SHA-1
// kernel as chosen for this CPU (the SHA instructions on amd64 CPUs with
// them), the kernel forced onto the pure Go compression, and the hash.Hash
// path that other digests take.
var ktPaths = []string{"kernel", "kernel-purego", "hash.Hash"}

// ktOnPath returns a clone of kt that computes on path.
func ktOnPath(t testing.TB, kt *KeyTester, path string) *KeyTester {
	t.Helper()
	c := kt.Clone()
	if c.fast == nil {
		// Not used without the SHA instructions; built here to test its
		// pure Go path.
		c.fast = newKTSHA1(c)
	}
	if c.fast == nil {
		t.Fatalf("no SHA-1 kernel for an HMAC-SHA1 tester")
	}
	switch path {
	case "kernel-purego":
		c.fast.generic = true
	case "hash.Hash":
		c.fast = nil
	}
	return c
}

// ktWant returns the signing key under kd and the signature of msg, computed
// with crypto/hmac and crypto/sha1 alone.
func ktWant(kd KeyDerivation, key, salt, msg []byte) (derived, sig []byte) {
	mac := func(k, m []byte) []byte {
		h := hmac.New(sha1.New, k)
		h.Write(m)
		return h.Sum(nil)
	}
	sum := func(parts ...[]byte) []byte {
		h := sha1.New()
		for _, p := range parts {
			h.Write(p)
		}
		return h.Sum(nil)
	}
	switch kd {
	case HMACDerive:
		derived = mac(key, salt)
	case Concat:
		derived = sum(salt, key)
	case DjangoConcat:
		derived = sum(salt, []byte("signer"), key)
	default:
		derived = key
	}
	return derived, mac(derived, msg)
}

// checkKTSHA1 builds the token of msg signed under key, salt and kd, and
// checks every path of a KeyTester on it: Test with the key and a wrong
// one, DeriveKey, TestKey, PrepareKey with TestPrepared.
func checkKTSHA1(t *testing.T, kd KeyDerivation, key, salt, msg []byte) {
	t.Helper()
	derived, sig := ktWant(kd, key, salt, msg)
	token := append(append(bytes.Clone(msg), '.'), base64.RawURLEncoding.EncodeToString(sig)...)
	kt, err := NewKeyTester(token, WithSalt(salt), WithKeyDerivation(kd))
	if err != nil {
		t.Fatal(err)
	}
	wrong := append(bytes.Clone(key), 'x')
	for _, path := range ktPaths {
		c := ktOnPath(t, kt, path)
		where := func() string {
			return path + "/" + string(kd) + ": key " + strconv.Itoa(len(key)) + ", salt " + strconv.Itoa(len(salt)) + ", message " + strconv.Itoa(len(msg)) + " bytes"
		}
		if !c.Test(key) {
			t.Fatalf("%s: the key does not verify", where())
		}
		if c.Test(wrong) {
			t.Fatalf("%s: a wrong key verifies", where())
		}
		if got := c.DeriveKey(key); !bytes.Equal(got, derived) {
			t.Fatalf("%s: DeriveKey = %x, want %x", where(), got, derived)
		}
		if !c.TestKey(derived) || c.TestKey(wrong) {
			t.Fatalf("%s: TestKey gives a wrong answer", where())
		}
		// TestBatch: the key in every place of batches of odd and even
		// sizes, and batches without it.
		w2 := append([]byte("y"), key...)
		for n := 0; n <= 5; n++ {
			batch := make([][]byte, n)
			for i := range batch {
				batch[i] = [][]byte{wrong, w2}[i%2]
			}
			if got := c.TestBatch(batch); got != -1 {
				t.Fatalf("%s: TestBatch of %d wrong keys = %d, want -1", where(), n, got)
			}
			for at := 0; at < n; at++ {
				batch[at] = key
				if got := c.TestBatch(batch); got != at {
					t.Fatalf("%s: TestBatch with the key at %d of %d = %d", where(), at, n, got)
				}
				batch[at] = wrong
			}
		}
		var p PreparedKey
		c.PrepareKey(&p, derived)
		if !c.TestPrepared(&p) {
			t.Fatalf("%s: the prepared key does not verify", where())
		}
		// TestPreparedPair beside a token of another message under the
		// same key, then beside one under another key.
		for i, other := range [][]byte{key, wrong} {
			msg2 := append(bytes.Clone(msg), "-other"...)
			_, sig2 := ktWant(kd, other, salt, msg2)
			token2 := append(append(msg2, '.'), base64.RawURLEncoding.EncodeToString(sig2)...)
			kt2, err := NewKeyTester(token2, WithSalt(salt), WithKeyDerivation(kd))
			if err != nil {
				t.Fatal(err)
			}
			c2 := ktOnPath(t, kt2, path)
			for j, pair := range [][2]*KeyTester{{c, c2}, {c2, c}} {
				a, b := TestPreparedPair(pair[0], pair[1], &p)
				want := [2]bool{true, i == 0}
				if j == 1 {
					want[0], want[1] = want[1], want[0]
				}
				if a != want[0] || b != want[1] {
					t.Fatalf("%s: TestPreparedPair (other key %d, order %d) = %v, %v, want %v", where(), i, j, a, b, want)
				}
			}
		}
		c.PrepareKey(&p, wrong)
		if c.TestPrepared(&p) {
			t.Fatalf("%s: a wrong prepared key verifies", where())
		}
	}
}

// TestKeyTesterSHA1Kernel checks the SHA-1 kernel, on the SHA instructions
// and on pure Go, against crypto/hmac for every derivation: salts and
// messages of every length from 0 to 300 (the padding's block boundaries
// at 55, 56, 64, 119 and 120 among them), keys from 0 to 200 bytes (those
// over 64 hashed first).
func TestKeyTesterSHA1Kernel(t *testing.T) {
	t.Logf("SHA instructions used: %v", sha1block.Accelerated())
	r := rand.New(rand.NewPCG(7, 8))
	rnd := func(n int, alphabet string) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return b
	}
	const bin = "\x00\x01\x7f\x80\xfe\xffabcxyz.-_"
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for _, kd := range []KeyDerivation{HMACDerive, Concat, DjangoConcat, NoDerivation} {
		t.Run(string(kd), func(t *testing.T) {
			for n := 0; n <= 300; n++ {
				checkKTSHA1(t, kd, rnd(r.IntN(201), bin), rnd(n, bin), rnd(r.IntN(301), b64))
				checkKTSHA1(t, kd, rnd(r.IntN(201), bin), rnd(r.IntN(301), bin), rnd(n, b64))
			}
			for n := 0; n <= 200; n++ {
				checkKTSHA1(t, kd, rnd(n, bin), []byte("cookie-session"), rnd(r.IntN(120), b64))
			}
		})
	}
}

func FuzzKeyTesterSHA1Kernel(f *testing.F) {
	f.Add(uint8(0), []byte("dev-secret"), []byte("cookie-session"), []byte("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA"))
	f.Add(uint8(1), make([]byte, 65), make([]byte, 55), []byte("x"))
	f.Add(uint8(2), make([]byte, 64), make([]byte, 56), bytes.Repeat([]byte("m"), 119))
	f.Add(uint8(3), []byte{}, []byte{}, []byte{})
	kds := []KeyDerivation{HMACDerive, Concat, DjangoConcat, NoDerivation}
	f.Fuzz(func(t *testing.T, kd uint8, key, salt, msg []byte) {
		if bytes.IndexByte(msg, '.') >= 0 || len(msg) > 4000 {
			return // not the message of a token with this separator
		}
		checkKTSHA1(t, kds[int(kd)%len(kds)], key, salt, msg)
	})
}

// TestIsSHA1 checks the functional recognition of SHA-1: by its output,
// not by which function makes it.
func TestIsSHA1(t *testing.T) {
	tests := []struct {
		name string
		h    func() hash.Hash
		want bool
	}{
		{"crypto/sha1", sha1.New, true},
		{"wrapped crypto/sha1", func() hash.Hash { return struct{ hash.Hash }{sha1.New()} }, true},
		{"sha256", sha256.New, false},
		// The sizes of SHA-1 and another output: must not be taken for it.
		{"sha256 cut to 20 bytes", func() hash.Hash { return cutHash{sha256.New()} }, false},
		{"nil", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := isSHA1(tc.h); got != tc.want {
				t.Errorf("isSHA1 = %v, want %v", got, tc.want)
			}
		})
	}
}

// cutHash is SHA-256 dressed as SHA-1: 20 bytes out, 64-byte blocks.
type cutHash struct{ hash.Hash }

func (c cutHash) Size() int { return 20 }
func (c cutHash) Sum(b []byte) []byte {
	return append(b, c.Hash.Sum(nil)[:20]...)
}

// TestKeyTesterSHA1KernelChosen checks which testers get the kernel.
func TestKeyTesterSHA1KernelChosen(t *testing.T) {
	tok := []byte("bWVzc2FnZQ.AAAAAAAAAAAAAAAAAAAAAAAAAAA")
	tok32 := []byte("bWVzc2FnZQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	tests := []struct {
		name  string
		token []byte
		opts  []Option
		want  bool
	}{
		{"Flask's defaults", tok, []Option{WithSalt([]byte("cookie-session")), WithKeyDerivation(HMACDerive)}, true},
		{"django-concat", tok, nil, true},
		{"HMAC-SHA1 algorithm", tok, []Option{WithAlgorithm(HMAC(sha1.New))}, true},
		{"SHA-256 digest", tok32, []Option{WithDigest(sha256.New)}, false},
		{"HMAC-SHA1 signature over a SHA-256 derivation", tok, []Option{WithDigest(sha256.New), WithAlgorithm(HMAC(sha1.New))}, false},
		{"no derivation, SHA-1 signature over a SHA-256 digest option", tok, []Option{WithDigest(sha256.New), WithKeyDerivation(NoDerivation), WithAlgorithm(HMAC(sha1.New))}, true},
		{"custom algorithm", []byte("bWVzc2FnZQ.AAAA"), []Option{WithAlgorithm(reverseAlgorithm{})}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kt, err := NewKeyTester(tc.token, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := newKTSHA1(kt) != nil; got != tc.want {
				t.Errorf("SHA-1 kernel possible: %v, want %v", got, tc.want)
			}
			if got := kt.fast != nil; got != (tc.want && sha1block.Accelerated()) {
				t.Errorf("SHA-1 kernel used: %v, want %v", got, tc.want)
			}
		})
	}
}
