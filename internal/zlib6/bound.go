package zlib6

import (
	"math"
	"math/bits"
)

// boundMax is the longest input MayBeShorter examines; past it, it says
// yes without looking.
const boundMax = 256

// The entropy bound is summed in fixed point, fracBits fractional bits,
// with every term rounded the way that keeps the sum a lower bound.
const fracBits = 32

// nLog2nDown[n] is n*log2(n) rounded down, and fLog2fUp[f] is f*log2(f)
// rounded up, in fixed point; one unit of margin covers the error of
// math.Log2, a few units in 2^-32 at most for these sizes.
var nLog2nDown, fLog2fUp = func() (down, up [boundMax + 2]int64) {
	for f := 2; f < len(down); f++ {
		x := float64(f) * math.Log2(float64(f)) * (1 << fracBits)
		down[f] = int64(math.Floor(x)) - 1
		up[f] = int64(math.Ceil(x)) + 1
	}
	return down, up
}()

// MayBeShorter reports whether Compress(src) may be shorter than n bytes.
// False is certain: compressing would give n bytes or more, so a caller
// that only wants a shorter result can skip the work. It looks at short
// inputs in which no three bytes repeat: deflate can only send them as
// literals, so a stored or fixed block is longer than the input, and a
// dynamic block costs at least its header and, by the Kraft inequality,
// the entropy of the literals and the end-of-block code in bits, plus a
// lower bound on the code lengths it must send.
func MayBeShorter(src []byte, n int) bool {
	if len(src) > boundMax {
		return true
	}
	if len(src) < minMatch {
		return n > 8 // two bytes of deflate at least, and six of zlib
	}
	var freq [256]uint8 // no count reaches 256: that would be a repeat
	var used [4]uint64  // the byte values present
	if len(src) <= smallInput {
		if countRepeat(src, &freq, &used) {
			return true
		}
	} else {
		if mayRepeat(src) {
			return true
		}
		for _, c := range src {
			freq[c]++
			used[c>>6] |= 1 << (c & 63)
		}
	}
	// Entropy of len(src) literals and one end-of-block code, in bits:
	// N log N - the sum of f log f over the counts (the end-of-block
	// code's count, 1, adds nothing).
	entropy := nLog2nDown[len(src)+1]
	// The code lengths of symbols 0 to 256 must be sent too: a used
	// symbol costs at least half a bit (code 16 repeats up to six lengths
	// for three bits), and a run of z unused ones before it at least
	// min(z, 4) bits (one bit a zero, or code 16, 17 or 18 with their
	// extra bits). Counted in half bits; the end-of-block symbol, 256, is
	// always used.
	halves, next := 0, 0
	for w := range used {
		for word := used[w]; word != 0; {
			c := w<<6 | bits.TrailingZeros64(word)
			word &= word - 1
			entropy -= fLog2fUp[freq[c]]
			halves += 1 + 2*min(c-next, 4)
			next = c + 1
		}
	}
	halves += 1 + 2*min(256-next, 4)
	// The zlib header and trailer, then a dynamic block's header: 3 bits
	// of type, 14 of counts, at least four 3-bit code length lengths.
	const fixedBits = 3 + 14 + 12
	total := fixedBits<<fracBits + entropy + int64(halves)<<(fracBits-1)
	const byteUnits = 8 << fracBits
	return 2+4+int((total+byteUnits-1)/byteUnits) < n
}

// smallInput is the longest input whose repeats countRepeat finds.
const smallInput = 64

// countRepeat counts the bytes of src (minMatch to smallInput of them)
// into freq and used (a bitmap of the values present), and reports whether
// three bytes of src occur twice; it stops counting when they do. The
// three-byte strings are hashed into a small bitmap, a hit confirmed by a
// scan.
func countRepeat(src []byte, freq *[256]uint8, used *[4]uint64) bool {
	var seen [16]uint64
	a, b := src[0], src[1]
	freq[a]++
	used[a>>6] |= 1 << (a & 63)
	freq[b]++
	used[b>>6] |= 1 << (b & 63)
	k := uint32(a)<<8 | uint32(b) // the last three bytes
	for i := 2; i < len(src); i++ {
		c := src[i]
		freq[c]++
		used[c>>6] |= 1 << (c & 63)
		k = k<<8 | uint32(c)
		h := (k & 0xffffff) * 0x9e3779b1 >> 22
		if seen[h>>6]&(1<<(h&63)) != 0 {
			a, b := src[i-2], src[i-1]
			for j := 0; j < i-2; j++ {
				if src[j] == a && src[j+1] == b && src[j+2] == c {
					return true
				}
			}
		}
		seen[h>>6] |= 1 << (h & 63)
	}
	return false
}

// mayRepeat reports whether three bytes of src may occur twice: certainly
// not when it says false. It hashes the three-byte strings into a bitmap,
// where a collision counts as a repeat.
func mayRepeat(src []byte) bool {
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
