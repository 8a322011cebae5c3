package zlib6

import "math"

// boundMax is the longest input MayBeShorter examines; past it, it says
// yes without looking.
const boundMax = 256

// fLog2f[f] is f*log2(f), for the entropy bound.
var fLog2f = func() (t [boundMax + 2]float64) {
	for f := 2; f < len(t); f++ {
		t[f] = float64(f) * math.Log2(float64(f))
	}
	return t
}()

// MayBeShorter reports whether Compress(src) may be shorter than n bytes.
// False is certain: compressing would give n bytes or more, so a caller
// that only wants a shorter result can skip the work. It looks at short
// inputs in which no three bytes repeat: deflate can only send them as
// literals, so a stored or fixed block is longer than the input, and a
// dynamic block costs at least its header and, by the Kraft inequality,
// the entropy of the literals and the end-of-block code in bits.
func MayBeShorter(src []byte, n int) bool {
	if len(src) > boundMax {
		return true
	}
	if len(src) < minMatch {
		return n > 8 // two bytes of deflate at least, and six of zlib
	}
	var seen [1024 / 64]uint64
	for i := 0; i+minMatch <= len(src); i++ {
		h := (uint(src[i])<<4 ^ uint(src[i+1])<<2 ^ uint(src[i+2])*0x9e5) & 1023
		if seen[h>>6]&(1<<(h&63)) != 0 {
			return true // a repeat, or a collision: maybe a match
		}
		seen[h>>6] |= 1 << (h & 63)
	}
	// Entropy of len(src) literals and one end-of-block code, in bits:
	// N log N - sum of f log f over the counts, summed as they grow.
	var freq [256]uint16
	bits := fLog2f[len(src)+1]
	for _, c := range src {
		f := freq[c]
		bits -= fLog2f[f+1] - fLog2f[f]
		freq[c] = f + 1
	}
	// The zlib header and trailer, then a dynamic block's header: 3 bits
	// of type, 14 of counts, at least four 3-bit code length lengths.
	minBytes := 2 + 4 + int(math.Ceil((3+14+12+bits)/8-1e-9))
	return minBytes < n
}
