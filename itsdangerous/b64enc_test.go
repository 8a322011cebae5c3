package itsdangerous

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestEncodeBase64 compares encodeBase64 with encoding/base64 on every
// length up to 300 bytes, random and extreme bytes.
func TestEncodeBase64(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 9))
	for n := 0; n <= 300; n++ {
		for _, fill := range []func() byte{func() byte { return byte(r.Uint32()) }, func() byte { return 0 }, func() byte { return 0xff }} {
			src := make([]byte, n)
			for i := range src {
				src[i] = fill()
			}
			want := base64.RawURLEncoding.EncodeToString(src)
			dst := make([]byte, len(want))
			encodeBase64(dst, src)
			if string(dst) != want {
				t.Fatalf("encodeBase64(%x) = %q, want %q", src, dst, want)
			}
		}
	}
}

// BenchmarkEncodeBase64 compares encodeBase64 with encoding/base64 on the
// sizes of a signature, a small payload and a large one.
func BenchmarkEncodeBase64(b *testing.B) {
	for _, n := range []int{20, 36, 300} {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(i * 13)
		}
		dst := make([]byte, b64.EncodedLen(n))
		b.Run(fmt.Sprintf("%d/pairs", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				encodeBase64(dst, src)
			}
		})
		b.Run(fmt.Sprintf("%d/stdlib", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b64.Encode(dst, src)
			}
		})
	}
}
