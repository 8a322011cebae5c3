package itsdangerous

import (
	"fmt"
	"testing"
)

func BenchmarkDecodeBase64(b *testing.B) {
	for _, n := range []int{6, 27, 300, 4000} {
		src := make([]byte, n/4*3)
		for i := range src {
			src[i] = byte(i * 13)
		}
		enc := appendBase64(nil, src)
		buf := make([]byte, 0, 8192)
		b.Run(fmt.Sprintf("%d/canonical", len(enc)), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				decodeCanonical(buf, enc)
			}
		})
		b.Run(fmt.Sprintf("%d/lenient", len(enc)), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				decodeBase64Lenient(buf, enc)
			}
		})
	}
}
