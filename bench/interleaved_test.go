package bench

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// BenchmarkInterleaved runs every operation of the ratio table in short
// batches, one operation after the other, round after round, and reports
// for each the fastest batch as <name>-ns/op. On a shared machine, where
// whole runs of a benchmark can be slowed by other work, the fastest
// batches of operations measured side by side give steadier ratios than
// separate benchmarks do. bench/ratios prefers these figures.
func BenchmarkInterleaved(b *testing.B) {
	c := newCodec(b)
	smallCookie := encode(b, c, small())
	largeCookie := encode(b, c, large())
	lv, sv := large(), small()

	// The floor, as BenchmarkFloor.
	i := strings.LastIndexByte(smallCookie, '.')
	msg := []byte(smallCookie[:i])
	sig, _ := base64.RawURLEncoding.DecodeString(smallCookie[i+1:])
	kd := hmac.New(sha1.New, []byte(secret))
	kd.Write([]byte(codec.DefaultSalt))
	m := hmac.New(sha1.New, kd.Sum(nil))
	var sum [sha1.Size]byte

	// The floor decode of the large cookie, as BenchmarkFloorDecodeLarge.
	payload := []byte(largeCookie[1 : strings.IndexByte(largeCookie[1:], '.')+1])
	raw := make([]byte, base64.RawURLEncoding.DecodedLen(len(payload)))
	var zr io.ReadCloser
	var out bytes.Buffer

	sc := securecookie.New([]byte(secret), nil)
	sc.SetSerializer(securecookie.JSONEncoder{})
	kt, err := itsdangerous.NewKeyTester([]byte(smallCookie), itsdangerous.WithSalt([]byte(codec.DefaultSalt)), itsdangerous.WithKeyDerivation(itsdangerous.HMACDerive))
	if err != nil {
		b.Fatal(err)
	}
	guess := []byte("not-the-secret-key")
	batch := make([][]byte, 64)
	for i := range batch {
		batch[i] = guess
	}
	scSmall, err := sc.Encode("session", sv)
	if err != nil {
		b.Fatal(err)
	}
	smallJSON, _ := json.Marshal(sv)

	fail := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	ops := []struct {
		name  string
		batch int
		fn    func()
	}{
		{"floor", 100, func() {
			m.Reset()
			m.Write(msg)
			if !hmac.Equal(m.Sum(sum[:0]), sig) {
				b.Fatal("bad signature")
			}
		}},
		{"decode-small", 50, func() {
			var s map[string]any
			_, err := c.DecodeAt(smallCookie, &s, signedAt)
			fail(err)
		}},
		{"encode-small", 50, func() {
			_, err := c.EncodeAt(sv, signedAt)
			fail(err)
		}},
		{"encode-large", 10, func() {
			_, err := c.EncodeAt(lv, signedAt)
			fail(err)
		}},
		{"decode-large", 10, func() {
			var s map[string]any
			_, err := c.DecodeAt(largeCookie, &s, signedAt)
			fail(err)
		}},
		{"floor-decode-large", 10, func() {
			n, err := base64.RawURLEncoding.Decode(raw, payload)
			fail(err)
			src := bytes.NewReader(raw[:n])
			if zr == nil {
				zr, err = zlib.NewReader(src)
			} else {
				err = zr.(zlib.Resetter).Reset(src, nil)
			}
			fail(err)
			out.Reset()
			_, err = out.ReadFrom(zr)
			fail(err)
			var v map[string]any
			fail(json.Unmarshal(out.Bytes(), &v))
		}},
		{"securecookie-encode-large", 10, func() {
			_, err := sc.Encode("session", lv)
			fail(err)
		}},
		{"securecookie-decode-small", 50, func() {
			var v map[string]any
			fail(sc.Decode("session", scSmall, &v))
		}},
		{"encodingjson-unmarshal-small", 50, func() {
			var v map[string]any
			fail(json.Unmarshal(smallJSON, &v))
		}},
		{"keytester", 50, func() {
			if kt.Test(guess) {
				b.Fatal("guessed")
			}
		}},
		{"keytester-batch", 1, func() {
			// 64 guesses by TestBatch, the unsign loop's way; reported
			// per guess below.
			if kt.TestBatch(batch) >= 0 {
				b.Fatal("guessed")
			}
		}},
		{"bare-double-hmac", 50, func() {
			kd := hmac.New(sha1.New, guess)
			kd.Write([]byte(codec.DefaultSalt))
			m := hmac.New(sha1.New, kd.Sum(nil))
			m.Write(msg)
			if hmac.Equal(m.Sum(nil), sig) {
				b.Fatal("guessed")
			}
		}},
	}
	best := make([]float64, len(ops))
	for j := range best {
		best[j] = math.Inf(1)
	}
	b.ResetTimer()
	for round := 0; round < b.N; round++ {
		for j, op := range ops {
			t0 := time.Now()
			for k := 0; k < op.batch; k++ {
				op.fn()
			}
			d := float64(time.Since(t0).Nanoseconds()) / float64(op.batch)
			if op.name == "keytester-batch" {
				d /= float64(len(batch))
			}
			if d < best[j] {
				best[j] = d
			}
		}
	}
	for j, op := range ops {
		b.ReportMetric(best[j], op.name+"-ns/op")
	}
}
