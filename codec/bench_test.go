package codec

import (
	"crypto/hmac"
	"crypto/sha1"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/fixture"
)

// The codec's benchmarks run beside a baseline in the same process: a raw
// HMAC-SHA1 (hmac.New per operation) over the same signed bytes, the least
// any verifier must do. Report ns/op as ratios against it.

func benchSessions() map[string]any {
	// About 300 bytes of tagged JSON with every tag.
	return map[string]any{"small": fixture.Small(), "every-tag": fixture.Large()}
}

func BenchmarkCodec(b *testing.B) {
	c, err := New([]byte("dev-secret"), WithClock(func() time.Time { return time.Unix(goldenNow, 0) }))
	if err != nil {
		b.Fatal(err)
	}
	derived := hmac.New(sha1.New, []byte("dev-secret"))
	derived.Write([]byte(DefaultSalt))
	key := derived.Sum(nil)
	for name, session := range benchSessions() {
		cookie, err := c.Encode(session)
		if err != nil {
			b.Fatal(err)
		}
		j, _ := TaggedJSON.AppendPayload(nil, session)
		b.Logf("%s: %d bytes of JSON, cookie %d bytes, compressed %v", name, len(j), len(cookie), cookie[0] == '.')
		msg := []byte(cookie[:strings.LastIndexByte(cookie, '.')])
		b.Run(name+"/baseline-hmac-sha1", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				m := hmac.New(sha1.New, key)
				m.Write(msg)
				_ = m.Sum(nil)
			}
		})
		b.Run(name+"/Decode", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var s map[string]any
				if _, err := c.Decode(cookie, &s); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/Encode", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.Encode(session); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
