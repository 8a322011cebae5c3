package codec

import (
	"crypto/hmac"
	"crypto/sha1"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/internal/testonly/fixture"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
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

// BenchmarkSmallSteps measures the layers of decoding and encoding the small
// session side by side, in short batches, round after round, and reports
// the fastest batch of each as <name>-ns/op (as bench/'s
// BenchmarkInterleaved does): the floor (HMAC-SHA1 with the key and state
// prepared once), allocating the decoded map, parsing its JSON, the tagged
// payload format, and the whole DecodeAt and EncodeAt; then the tagged
// payload and EncodeAt of the session package's middleware benchmark
// (a user, a count and empty flashes). The differences show where a
// change helps.
func BenchmarkSmallSteps(b *testing.B) {
	at := time.Unix(goldenNow, 0)
	c, err := New([]byte("dev-secret"))
	if err != nil {
		b.Fatal(err)
	}
	session := fixture.Small()
	cookie, err := c.EncodeAt(session, at)
	if err != nil {
		b.Fatal(err)
	}
	derived := hmac.New(sha1.New, []byte("dev-secret"))
	derived.Write([]byte(DefaultSalt))
	m := hmac.New(sha1.New, derived.Sum(nil))
	msg := []byte(cookie[:strings.LastIndexByte(cookie, '.')])
	var sum [sha1.Size]byte
	payload, err := TaggedJSON.AppendPayload(nil, session)
	if err != nil {
		b.Fatal(err)
	}
	lim := itsdangerous.Limits{MaxDepth: itsdangerous.DefaultMaxDepth, MaxValues: 8192}
	var sink map[string]any
	// The session package's middleware benchmark saves this one.
	withFlashes := map[string]any{"user": "alice", "n": int64(2), "_flashes": []any{}}
	var buf []byte
	fail := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	ops := []struct {
		name string
		fn   func()
	}{
		{"floor", func() { m.Reset(); m.Write(msg); m.Sum(sum[:0]) }},
		{"map", func() { sink = map[string]any{"user_id": 42} }},
		{"pyjson", func() {
			_, err := pyjson.Decode(payload, pyjson.Options{MaxDepth: lim.MaxDepth, MaxValues: lim.MaxValues})
			fail(err)
		}},
		{"payload", func() {
			var s map[string]any
			fail(TaggedJSON.DecodePayload(payload, &s, lim))
		}},
		{"decode", func() {
			var s map[string]any
			_, err := c.DecodeAt(cookie, &s, at)
			fail(err)
		}},
		{"encode", func() {
			_, err := c.EncodeAt(session, at)
			fail(err)
		}},
		{"payload-flashes", func() {
			var err error
			buf, err = TaggedJSON.AppendPayload(buf[:0], withFlashes)
			fail(err)
		}},
		{"encode-flashes", func() {
			_, err := c.EncodeAt(withFlashes, at)
			fail(err)
		}},
	}
	best := make([]float64, len(ops))
	for j := range best {
		best[j] = math.Inf(1)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for round := 0; round < b.N; round++ {
		for j, op := range ops {
			t0 := time.Now()
			for k := 0; k < 50; k++ {
				op.fn()
			}
			if d := float64(time.Since(t0).Nanoseconds()) / 50; d < best[j] {
				best[j] = d
			}
		}
	}
	_ = sink
	for j, op := range ops {
		b.ReportMetric(best[j], op.name+"-ns/op")
	}
}
