package zlib6

// The fixed parameters: zlib's level 6 with windowBits 15 and memLevel 8,
// the defaults of Python's zlib.compress.
const (
	wBits      = 15
	wSize      = 1 << wBits // the window: the farthest a match may reach back
	wMask      = wSize - 1
	windowSize = 2 * wSize // the buffer the window slides in

	hashBits  = 8 + 7 // memLevel + 7
	hashSize  = 1 << hashBits
	hashMask  = hashSize - 1
	hashShift = (hashBits + minMatch - 1) / minMatch

	minMatch     = 3
	maxMatch     = 258
	minLookahead = maxMatch + minMatch + 1
	maxDist      = wSize - minLookahead
	winInit      = maxMatch // bytes cleared past the data, as zlib does
	tooFar       = 4096     // a 3-byte match farther than this is not worth it

	goodLength = 8   // search a quarter of the chain past a match this long
	maxLazy    = 16  // do not look for a better match past one this long
	niceLength = 128 // stop searching at a match this long
	maxChain   = 128 // candidates examined per search

	litBufSize = 1 << (8 + 6) // symbols a block may hold before it is flushed (one less)

	literals    = 256
	endBlock    = 256
	lengthCodes = 29
	lCodes      = literals + 1 + lengthCodes
	dCodes      = 30
	blCodes     = 19
	heapSize    = 2*lCodes + 1
	maxBits     = 15
	maxBLBits   = 7
	rep3To6     = 16
	repz3To10   = 17
	repz11To138 = 18
)

var (
	extraLBits  = [lengthCodes]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	extraDBits  = [dCodes]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	extraBLBits = [blCodes]uint8{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7}
	// blOrder is the order in which the code length code lengths are sent
	// (RFC 1951, 3.2.7).
	blOrder = [blCodes]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// codeTables are the static lookup tables derived from the extra-bit counts.
type codeTables struct {
	lengthCode [256]uint8 // match length - 3 -> length code
	distCode   [512]uint8 // distance - 1 -> distance code, two-level as d()
	baseLength [lengthCodes]uint16
	baseDist   [dCodes]uint16
	// The fixed Huffman codes of RFC 1951 3.2.6, bit-reversed for sending.
	staticLCode [lCodes + 2]uint16
	staticLLen  [lCodes + 2]uint16
	staticDCode [dCodes]uint16
	staticDLen  [dCodes]uint16
}

var tab = buildTables()

func buildTables() *codeTables {
	t := new(codeTables)
	length := 0
	code := 0
	for ; code < lengthCodes-1; code++ {
		t.baseLength[code] = uint16(length)
		for n := 0; n < 1<<extraLBits[code]; n++ {
			t.lengthCode[length] = uint8(code)
			length++
		}
	}
	// A match of 258 bytes has a code of its own (285) that is cheaper than
	// code 284 with all extra bits set.
	t.lengthCode[length-1] = uint8(code)

	dist := 0
	for code = 0; code < 16; code++ {
		t.baseDist[code] = uint16(dist)
		for n := 0; n < 1<<extraDBits[code]; n++ {
			t.distCode[dist] = uint8(code)
			dist++
		}
	}
	dist >>= 7 // from here on distances are counted in units of 128
	for ; code < dCodes; code++ {
		t.baseDist[code] = uint16(dist << 7)
		for n := 0; n < 1<<(extraDBits[code]-7); n++ {
			t.distCode[256+dist] = uint8(code)
			dist++
		}
	}

	var count [maxBits + 1]int
	for n := 0; n < lCodes+2; n++ {
		l := 8
		switch {
		case n >= 144 && n <= 255:
			l = 9
		case n >= 256 && n <= 279:
			l = 7
		}
		t.staticLLen[n] = uint16(l)
		count[l]++
	}
	canonicalCodes(t.staticLCode[:], t.staticLLen[:], lCodes+1, &count)
	for n := 0; n < dCodes; n++ {
		t.staticDLen[n] = 5
		t.staticDCode[n] = reverseBits(uint16(n), 5)
	}
	return t
}

// dCode maps a distance minus one to its distance code.
func dCode(dist int) int {
	if dist < 256 {
		return int(tab.distCode[dist])
	}
	return int(tab.distCode[256+(dist>>7)])
}

// canonicalCodes assigns the canonical Huffman codes of RFC 1951 3.2.2 to
// the symbols 0..maxCode from their lengths and the count of codes of each
// length, bit-reversed because deflate sends codes from their top bit.
func canonicalCodes(code, length []uint16, maxCode int, count *[maxBits + 1]int) {
	var next [maxBits + 1]uint16
	c := 0
	for bits := 1; bits <= maxBits; bits++ {
		c = (c + count[bits-1]) << 1
		next[bits] = uint16(c)
	}
	for n := 0; n <= maxCode; n++ {
		l := length[n]
		if l == 0 {
			continue
		}
		code[n] = reverseBits(next[l], uint(l))
		next[l]++
	}
}

func reverseBits(v uint16, n uint) uint16 {
	var r uint16
	for i := uint(0); i < n; i++ {
		r = r<<1 | v&1
		v >>= 1
	}
	return r
}
