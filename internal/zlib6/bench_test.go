package zlib6

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"testing"
)

// A Flask session cookie's JSON, the size most cookies are.
var cookieJSON = []byte(`{"_fresh":true,"_id":"3f2a3b5e0c4f8d2a6b1e9c7d5f3a1b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f","_user_id":"42","csrf_token":"5b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c","cart":[{" t":["sku-1042",2]},{" t":["sku-2210",1]}],"lang":"en"}`)

func benchInputs() map[string][]byte {
	var big []byte
	for i := uint64(0); len(big) < 4096; i++ {
		big = append(big, genInput(3, i, 512)...)
	}
	return map[string][]byte{"cookie": cookieJSON, "4KiB": big[:4096]}
}

// BenchmarkCompress compares this package with compress/zlib at level 6
// (what the codec used before) and level 1, pooled writers, in one run.
func BenchmarkCompress(b *testing.B) {
	for _, name := range []string{"cookie", "4KiB"} {
		in := benchInputs()[name]
		b.Run(name+"/zlib6", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var dst []byte
			for i := 0; i < b.N; i++ {
				dst = AppendCompress(dst[:0], in)
			}
		})
		for _, level := range []int{flate.DefaultCompression, flate.BestSpeed} {
			sub := "stdlib-level6"
			if level == flate.BestSpeed {
				sub = "stdlib-level1"
			}
			b.Run(name+"/"+sub, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(in)))
				var buf bytes.Buffer
				w, _ := zlib.NewWriterLevel(&buf, level)
				for i := 0; i < b.N; i++ {
					buf.Reset()
					w.Reset(&buf)
					w.Write(in)
					w.Close()
				}
			})
		}
	}
}
