package audit

import (
	"crypto/hmac"
	"crypto/sha1"
	"strconv"
	"strings"
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
// in one Fleet (the key derived and its HMAC pads hashed once) with testing
// them one at a time (the baseline), and with two references: hmac-floor is
// one HMAC-SHA1 of each cookie under a fixed key with crypto/hmac reused
// (no derivation at all: the least any key test can cost), naive derives
// and checks each cookie with a new crypto/hmac per guess, as a
// straightforward port of itsdangerous does. Compare ns/op of the
// sub-benchmarks (the same cookies, one candidate per op).
func BenchmarkFleet(b *testing.B) {
	ts := flaskTargets(b)
	keys := make([][]byte, 256)
	for i := range keys {
		keys[i] = []byte("candidate-" + strconv.Itoa(i))
	}
	msgs := make([][]byte, len(ts))
	for i, t := range ts {
		msgs[i] = []byte(t.Token[:strings.LastIndexByte(t.Token, '.')])
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
	b.Run("fleet-derive-only", func(b *testing.B) {
		f := NewFleet(ts...)
		f.noPrepare = true
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.Test(keys[i%len(keys)], func(int, Scheme) { b.Fatal("found") })
		}
		b.ReportMetric(float64(len(ts)), "cookies")
	})
	b.Run("hmac-floor", func(b *testing.B) {
		h := hmac.New(sha1.New, []byte("a fixed, already derived key"))
		var sum []byte
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for _, m := range msgs {
				h.Reset()
				h.Write(m)
				sum = h.Sum(sum[:0])
			}
		}
		b.ReportMetric(float64(len(ts)), "cookies")
	})
	b.Run("naive", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			d := hmac.New(sha1.New, keys[i%len(keys)])
			d.Write([]byte(FlaskSalt))
			key := d.Sum(nil)
			for _, m := range msgs {
				h := hmac.New(sha1.New, key)
				h.Write(m)
				h.Sum(nil)
			}
		}
		b.ReportMetric(float64(len(ts)), "cookies")
	})
}

// BenchmarkGuess is the cost of one candidate against one Flask cookie:
// the audit engine (a Fleet of one: itsdangerous.KeyTester) beside the bare
// crypto/hmac baseline that derives the key and computes the MAC with new
// HMAC states, as a straightforward implementation does.
func BenchmarkGuess(b *testing.B) {
	t := flaskTargets(b)[0]
	msg := []byte(t.Token[:strings.LastIndexByte(t.Token, '.')])
	keys := make([][]byte, 256)
	for i := range keys {
		keys[i] = []byte("candidate-" + strconv.Itoa(i))
	}
	b.Run("audit", func(b *testing.B) {
		f := NewFleet(t)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			f.Test(keys[i%len(keys)], func(int, Scheme) { b.Fatal("found") })
		}
	})
	b.Run("audit-batch", func(b *testing.B) {
		// Per candidate, 64 at a time: the wordlist search's way.
		f := NewFleet(t)
		b.ReportAllocs()
		for i := 0; i < b.N; i += 64 {
			j := i % len(keys)
			f.TestBatch(keys[j:j+64], func(int, int, Scheme) { b.Fatal("found") })
		}
	})
	b.Run("bare-hmac", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			d := hmac.New(sha1.New, keys[i%len(keys)])
			d.Write([]byte(FlaskSalt))
			h := hmac.New(sha1.New, d.Sum(nil))
			h.Write(msg)
			h.Sum(nil)
		}
	})
}
