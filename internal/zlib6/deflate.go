package zlib6

import (
	"encoding/binary"
	"hash/adler32"
	"math/bits"
	"sync"
)

// state is one compression in progress, with the tables zlib's
// deflate_state holds. It is reused through a pool.
type state struct {
	// window holds the input being matched; the extra 8 bytes let the
	// match loop read a word at a time past the end.
	window [windowSize + 8]byte
	head   [hashSize]uint16 // most recent position of each hash, 0 for none
	prev   [wSize]uint16    // the previous position with the same hash

	in         []byte // input not yet in the window
	strstart   int    // the position being matched
	lookahead  int    // bytes of input from strstart on
	blockStart int    // where the current block starts; negative once slid out
	highWater  int    // the window is initialised below this
	slid       bool

	matchStart     int
	matchLength    int
	prevLength     int
	prevMatch      int
	matchAvailable bool

	syms  [litBufSize]uint32 // distance<<8 | (length-3 or literal)
	nsyms int

	lt, dt, bt       huffTree
	lMaxCode         int
	dMaxCode         int
	heap             [heapSize]int
	heapLen, heapMax int
	depth            [heapSize]uint8
	key              [heapSize]int // heap order: nodeKey of freq and depth
	blCount          [maxBits + 1]int
	optLen           int // the block's size in bits with the dynamic trees
	staticLen        int // and with the fixed ones

	out   []byte
	bits  uint64
	nbits uint
}

var pool = sync.Pool{New: func() any {
	s := new(state)
	s.initBlock()
	return s
}}

// Header is the zlib header zlib.compress writes at level 6.
var Header = [2]byte{0x78, 0x9c}

// Compress returns zlib.compress(src) as Python computes it with its
// default level (6).
func Compress(src []byte) []byte {
	return AppendCompress(make([]byte, 0, len(src)/2+16), src)
}

// AppendCompress appends zlib.compress(src) (level 6) to dst and returns
// the extended slice. It is safe for concurrent use.
func AppendCompress(dst, src []byte) []byte {
	s := pool.Get().(*state)
	dst = s.compress(dst, src)
	s.out = nil
	pool.Put(s)
	return dst
}

func (s *state) compress(dst, src []byte) []byte {
	s.in = src
	s.strstart = 0
	s.lookahead = 0
	s.blockStart = 0
	s.highWater = 0
	s.slid = false
	s.matchStart = 0
	s.matchLength = minMatch - 1
	s.prevLength = minMatch - 1
	s.prevMatch = 0
	s.matchAvailable = false
	s.bits = 0
	s.nbits = 0
	s.out = append(dst, Header[0], Header[1])

	s.deflateSlow()

	s.out = binary.BigEndian.AppendUint32(s.out, adler32.Checksum(src))
	s.clearHash(len(src))
	return s.out
}

// clearHash empties the hash heads for the next use. After a short input
// it clears only the entries that input set.
func (s *state) clearHash(n int) {
	if s.slid || n > hashSize/4 {
		s.head = [hashSize]uint16{}
		return
	}
	w := s.window[:]
	for p := 0; p+minMatch <= n; p++ {
		s.head[hash3(w, p)] = 0
	}
}

// hash3 is zlib's rolling hash of the three bytes at p, which with these
// parameters depends on those bytes alone.
func hash3(w []byte, p int) int {
	return (int(w[p])<<(2*hashShift) ^ int(w[p+1])<<hashShift ^ int(w[p+2])) & hashMask
}

// insertString enters position p in the hash chains and returns the
// previous head of its chain.
func (s *state) insertString(p int) int {
	h := hash3(s.window[:], p)
	head := s.head[h]
	s.prev[p&wMask] = head
	s.head[h] = uint16(p)
	return int(head)
}

// fillWindow reads input into the window when the lookahead runs short,
// sliding the window down by wSize when the position nears its end, as
// zlib's fill_window does with all the input available at once.
func (s *state) fillWindow() {
	for {
		more := windowSize - s.lookahead - s.strstart
		if s.strstart >= wSize+maxDist {
			// zlib 1.2.12 and later copy only the upper half's data;
			// what lies past it keeps the older bytes.
			copy(s.window[:wSize-more], s.window[wSize:2*wSize-more])
			s.matchStart -= wSize
			s.strstart -= wSize
			s.blockStart -= wSize
			s.slideHash()
			s.slid = true
			more += wSize
		}
		if len(s.in) == 0 {
			break
		}
		at := s.strstart + s.lookahead
		n := copy(s.window[at:at+more], s.in)
		s.in = s.in[n:]
		s.lookahead += n
		if s.lookahead >= minLookahead || len(s.in) == 0 {
			break
		}
	}
	// The bytes just past the data are zero, as zlib clears them; the
	// match search reads them.
	if s.highWater < windowSize {
		curr := s.strstart + s.lookahead
		if s.highWater < curr {
			n := min(windowSize-curr, winInit)
			clear(s.window[curr : curr+n])
			s.highWater = curr + n
		} else if s.highWater < curr+winInit {
			n := min(curr+winInit-s.highWater, windowSize-s.highWater)
			clear(s.window[s.highWater : s.highWater+n])
			s.highWater += n
		}
	}
}

func (s *state) slideHash() {
	for i, m := range s.head {
		if m >= wSize {
			s.head[i] = m - wSize
		} else {
			s.head[i] = 0
		}
	}
	for i, m := range s.prev {
		if m >= wSize {
			s.prev[i] = m - wSize
		} else {
			s.prev[i] = 0
		}
	}
}

// deflateSlow is zlib's lazy matching: a match is taken only if the match
// starting at the next byte is not longer.
func (s *state) deflateSlow() {
	for {
		if s.lookahead < minLookahead {
			s.fillWindow()
			if s.lookahead == 0 {
				break
			}
		}
		hashHead := 0
		if s.lookahead >= minMatch {
			hashHead = s.insertString(s.strstart)
		}
		s.prevLength, s.prevMatch = s.matchLength, s.matchStart
		s.matchLength = minMatch - 1
		if hashHead != 0 && s.prevLength < maxLazy && s.strstart-hashHead <= maxDist {
			s.matchLength = s.longestMatch(hashHead)
			if s.matchLength == minMatch && s.strstart-s.matchStart > tooFar {
				s.matchLength = minMatch - 1
			}
		}
		switch {
		case s.prevLength >= minMatch && s.matchLength <= s.prevLength:
			maxInsert := s.strstart + s.lookahead - minMatch
			full := s.tallyMatch(s.strstart-1-s.prevMatch, s.prevLength-minMatch)
			// The match started at strstart-1; strstart is in the
			// table already.
			s.lookahead -= s.prevLength - 1
			for n := s.prevLength - 2; n > 0; n-- {
				s.strstart++
				if s.strstart <= maxInsert {
					s.insertString(s.strstart)
				}
			}
			s.matchAvailable = false
			s.matchLength = minMatch - 1
			s.strstart++
			if full {
				s.flushCurrent(false)
			}
		case s.matchAvailable:
			if s.tallyLiteral(s.window[s.strstart-1]) {
				s.flushCurrent(false)
			}
			s.strstart++
			s.lookahead--
		default:
			s.matchAvailable = true
			s.strstart++
			s.lookahead--
		}
	}
	if s.matchAvailable {
		s.tallyLiteral(s.window[s.strstart-1])
		s.matchAvailable = false
	}
	s.flushCurrent(true)
}

// flushCurrent ends the block at strstart.
func (s *state) flushCurrent(last bool) {
	var buf []byte
	if s.blockStart >= 0 {
		buf = s.window[s.blockStart:s.strstart]
	}
	s.flushBlock(buf, last)
	s.blockStart = s.strstart
}

// longestMatch walks the hash chain from cur and returns the length of the
// longest match for strstart that beats prevLength, setting matchStart.
// Like zlib's it compares bytes past the end of the input (zeros), then
// cuts the length to the lookahead.
func (s *state) longestMatch(cur int) int {
	chain := maxChain
	w := s.window[:]
	scan := s.strstart
	bestLen := s.prevLength
	nice := niceLength
	limit := 0
	if s.strstart > maxDist {
		limit = s.strstart - maxDist
	}
	if s.prevLength >= goodLength {
		chain >>= 2
	}
	if nice > s.lookahead {
		nice = s.lookahead
	}
	scanEnd1 := w[scan+bestLen-1]
	scanEnd := w[scan+bestLen]
	first := binary.LittleEndian.Uint16(w[scan:])
	for {
		m := cur
		if w[m+bestLen] == scanEnd && w[m+bestLen-1] == scanEnd1 && binary.LittleEndian.Uint16(w[m:]) == first {
			// The third byte matches too: the hashes are equal.
			l := 3
			for l < maxMatch {
				x := binary.LittleEndian.Uint64(w[m+l:]) ^ binary.LittleEndian.Uint64(w[scan+l:])
				if x != 0 {
					l += bits.TrailingZeros64(x) >> 3
					break
				}
				l += 8
			}
			if l > maxMatch {
				l = maxMatch
			}
			if l > bestLen {
				s.matchStart = cur
				bestLen = l
				if l >= nice {
					break
				}
				scanEnd1 = w[scan+bestLen-1]
				scanEnd = w[scan+bestLen]
			}
		}
		cur = int(s.prev[cur&wMask])
		if cur <= limit {
			break
		}
		chain--
		if chain == 0 {
			break
		}
	}
	if bestLen <= s.lookahead {
		return bestLen
	}
	return s.lookahead
}

// tallyLiteral records a literal and reports whether the block is full.
func (s *state) tallyLiteral(c byte) bool {
	s.syms[s.nsyms] = uint32(c)
	s.nsyms++
	s.lt.freq[c]++
	return s.nsyms == litBufSize-1
}

// tallyMatch records a match of length lc+3 at distance dist and reports
// whether the block is full.
func (s *state) tallyMatch(dist, lc int) bool {
	s.syms[s.nsyms] = uint32(dist)<<8 | uint32(lc)
	s.nsyms++
	s.lt.freq[int(tab.lengthCode[lc])+literals+1]++
	s.dt.freq[dCode(dist-1)]++
	return s.nsyms == litBufSize-1
}
