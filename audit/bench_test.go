package audit

import (
	"crypto/hmac"
	"crypto/sha1"
	"strconv"
	"testing"
)

// flaskTargets are the Flask cookies of the vectors (both peer sets).
func flaskTargets(b *testing.B) []*Target {
	var ts []*Target
	for _, v := range loadVectors(b) {
		if v.Format != Flask {
			continue
		}
		t, err := NewTarget(v.Token, WithFormat(Flask))
		if err != nil {
			b.Fatal(err)
		}
		ts = append(ts, t)
	}
	if len(ts) < 2 {
		b.Fatal("too few Flask vectors")
	}
	return ts
}

// BenchmarkFleet compares testing one candidate against many Flask cookies
// in one Fleet (the key derived once) with testing them one at a time
// (the baseline), and with a bare HMAC-SHA1 of the cookie: the per-cookie
// floor. Compare ns/op of the sub-benchmarks (same number of cookies).
func BenchmarkFleet(b *testing.B) {
	ts := flaskTargets(b)
	keys := make([][]byte, 256)
	for i := range keys {
		keys[i] = []byte("candidate-" + strconv.Itoa(i))
	}
	b.Run("one-at-a-time", func(b *testing.B) {
		fleets := make([]*Fleet, len(ts))
		for i, t := range ts {
			fleets[i] = NewFleet(t)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			k := keys[i%len(keys)]
			for _, f := range fleets {
				f.Test(k, func(int, Scheme) { b.Fatal("found") })
			}
		}
		b.ReportMetric(float64(len(ts)), "cookies")
	})
	b.Run("fleet", func(b *testing.B) {
		f := NewFleet(ts...)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.Test(keys[i%len(keys)], func(int, Scheme) { b.Fatal("found") })
		}
		b.ReportMetric(float64(len(ts)), "cookies")
	})
	b.Run("bare-hmac-sha1", func(b *testing.B) {
		msgs := make([][]byte, len(ts))
		for i, t := range ts {
			msgs[i] = []byte(t.Token[:len(t.Token)-28])
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for _, m := range msgs {
				h := hmac.New(sha1.New, keys[i%len(keys)])
				h.Write(m)
				h.Sum(nil)
			}
		}
		b.ReportMetric(float64(len(ts)), "cookies")
	})
}
