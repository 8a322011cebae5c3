package zlib6

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// fLog2f[f] is f*log2(f), for mayBeShorterFloat.
var fLog2f = func() (t [boundMax + 2]float64) {
	for f := 2; f < len(t); f++ {
		t[f] = float64(f) * math.Log2(float64(f))
	}
	return t
}()

// mayBeShorterFloat is the bound as first written, in floating point and
// with a loop over every symbol, and with a plain search for repeats: the
// reference MayBeShorter must agree with.
func mayBeShorterFloat(src []byte, n int) bool {
	if len(src) > boundMax {
		return true
	}
	if len(src) < minMatch {
		return n > 8
	}
	if len(src) <= smallInput && hasRepeat(src) || len(src) > smallInput && mayRepeat(src) {
		return true
	}
	var freq [256]uint16
	bits := fLog2f[len(src)+1]
	for _, c := range src {
		f := freq[c]
		bits -= fLog2f[f+1] - fLog2f[f]
		freq[c] = f + 1
	}
	const fixedBits = 3 + 14 + 12
	lengths, run := 0.0, 0
	for c := 0; c <= 256; c++ {
		if c < 256 && freq[c] == 0 {
			run++
			continue
		}
		lengths += 0.5 + float64(min(run, 4))
		run = 0
	}
	return 2+4+int(math.Ceil((fixedBits+bits+lengths)/8-1e-9)) < n
}

// TestMayBeShorterFixedPoint checks the fixed-point bound against the
// floating-point one, for every n around the input's length: they may
// only differ when the bound falls within rounding of a byte boundary,
// which none of these inputs does.
func TestMayBeShorterFixedPoint(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 8))
	decided := 0
	for i := 0; i < 200000; i++ {
		var in []byte
		if i%2 == 0 {
			in = genInput(78, uint64(i), boundMax+8)
		} else {
			// Few repeats: where the bound decides.
			k := 2 + r.IntN(254)
			in = make([]byte, r.IntN(boundMax+8))
			base := byte(r.Uint32())
			for j := range in {
				in[j] = base + byte(r.IntN(k))
			}
		}
		for n := len(in) - 8; n <= len(in)+8; n++ {
			want, got := mayBeShorterFloat(in, n), MayBeShorter(in, n)
			if got != want {
				t.Fatalf("MayBeShorter(%q, %d) = %v, the floating-point bound says %v", in, n, got, want)
			}
			if !got {
				decided++
			}
		}
	}
	if decided < 10000 {
		t.Errorf("the bound ruled out only %d cases", decided)
	}
}

var boundSink bool

// BenchmarkMayBeShorter times the bound on small sessions without
// repeats, the first two ruled out by it.
func BenchmarkMayBeShorter(b *testing.B) {
	for _, s := range []string{`{"user_id":42}`, `{"_flashes":[],"n":2,"user":"alice"}`,
		`{"_fresh":true,"csrf_token":"5b1c2d3e4f","user_id":42}`} {
		in := []byte(s)
		b.Run(strconv.Itoa(len(in)), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				boundSink = MayBeShorter(in, len(in)-1)
			}
		})
	}
}

// hasRepeat reports whether three bytes of b occur twice, by a plain search.
func hasRepeat(b []byte) bool {
	for i := 0; i+minMatch <= len(b); i++ {
		for j := 0; j < i; j++ {
			if b[j] == b[i] && b[j+1] == b[i+1] && b[j+2] == b[i+2] {
				return true
			}
		}
	}
	return false
}
