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
	if mayRepeat(src) {
		return true
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
	const fixedBits = 3 + 14 + 12
	if 2+4+int(math.Ceil((fixedBits+bits)/8-1e-9)) >= n {
		return false
	}
	// The code lengths of symbols 0 to 256 must be sent too: a used
	// symbol costs at least half a bit (code 16 repeats up to six lengths
	// for three bits), and a run of z unused ones at least min(z, 4) bits
	// (one bit a zero, or code 16, 17 or 18 with their extra bits).
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

// smallInput is the longest input whose repeats mayRepeat finds exactly.
const smallInput = 64

// mayRepeat reports whether three bytes of src may occur twice: certainly
// not when it says false. Short inputs (most session cookies) are checked
// exactly with a small bitmap of hashes, a hit confirmed by a scan; longer
// ones with a larger bitmap, where a collision counts as a repeat.
func mayRepeat(src []byte) bool {
	if len(src) <= smallInput {
		var seen [4]uint64
		for i := 0; i+minMatch <= len(src); i++ {
			a, b, c := src[i], src[i+1], src[i+2]
			h := (uint32(a)<<16 | uint32(b)<<8 | uint32(c)) * 0x9e3779b1 >> 24
			if seen[h>>6]&(1<<(h&63)) != 0 {
				for j := 0; j < i; j++ {
					if src[j] == a && src[j+1] == b && src[j+2] == c {
						return true
					}
				}
			}
			seen[h>>6] |= 1 << (h & 63)
		}
		return false
	}
	var seen [4096 / 64]uint64
	for i := 0; i+minMatch <= len(src); i++ {
		h := (uint32(src[i])<<16 | uint32(src[i+1])<<8 | uint32(src[i+2])) * 0x9e3779b1 >> 20
		if seen[h>>6]&(1<<(h&63)) != 0 {
			return true // a repeat, or a collision: maybe a match
		}
		seen[h>>6] |= 1 << (h & 63)
	}
	return false
}
