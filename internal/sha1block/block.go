// Package sha1block is the SHA-1 compression function alone, for callers
// that lay out their own blocks (padding and length included) and want no
// hash.Hash plumbing per block: the key search of itsdangerous.KeyTester,
// where one guess is eight blocks of which only the key-dependent words
// change.
//
// On amd64 with the SHA extensions (and SSSE3 and SSE4.1) the compression
// runs on SHA1RNDS4 and its companions; Block2 then interleaves two
// independent compressions, which costs little more than one because
// SHA1RNDS4's latency, not its throughput, bounds a single stream. Every
// other CPU, and every build with the purego tag, uses the pure Go
// compression, which BlockGeneric also exposes for tests.
package sha1block

import "encoding/binary"

// Size and BlockSize are SHA-1's digest and block sizes in bytes.
const (
	Size      = 20
	BlockSize = 64
)

// State is a SHA-1 chaining value, h0 to h4.
type State [5]uint32

// IV is SHA-1's initial state.
var IV = State{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0}

// Block compresses p into s.
func Block(s *State, p *[BlockSize]byte) {
	block(s, useSHA, p)
}

// Block2 compresses p1 into s1 and p2 into s2. The two must not overlap.
func Block2(s1, s2 *State, p1, p2 *[BlockSize]byte) {
	if useSHA {
		block2SHA((*[5]uint32)(s1), (*[5]uint32)(s2), p1, p2)
		return
	}
	BlockGeneric(s1, p1)
	BlockGeneric(s2, p2)
}

// Accelerated reports whether Block and Block2 use CPU instructions made
// for SHA-1 rather than the pure Go compression.
func Accelerated() bool { return useSHA }

// PutDigest writes s as a digest, big-endian words, into b[:20].
func PutDigest(b []byte, s *State) {
	_ = b[19]
	binary.BigEndian.PutUint32(b[0:], s[0])
	binary.BigEndian.PutUint32(b[4:], s[1])
	binary.BigEndian.PutUint32(b[8:], s[2])
	binary.BigEndian.PutUint32(b[12:], s[3])
	binary.BigEndian.PutUint32(b[16:], s[4])
}

// BlockGeneric is the pure Go compression of p into s (FIPS 180-4, 6.1.2).
func BlockGeneric(s *State, p *[BlockSize]byte) {
	var w [16]uint32
	for i := range w {
		w[i] = binary.BigEndian.Uint32(p[4*i:])
	}
	a, b, c, d, e := s[0], s[1], s[2], s[3], s[4]
	for t := 0; t < 80; t++ {
		if t >= 16 {
			x := w[(t-3)&15] ^ w[(t-8)&15] ^ w[(t-14)&15] ^ w[t&15]
			w[t&15] = x<<1 | x>>31
		}
		var f, k uint32
		switch {
		case t < 20:
			f, k = b&c|^b&d, 0x5a827999
		case t < 40:
			f, k = b^c^d, 0x6ed9eba1
		case t < 60:
			f, k = b&c|b&d|c&d, 0x8f1bbcdc
		default:
			f, k = b^c^d, 0xca62c1d6
		}
		tmp := (a<<5 | a>>27) + f + e + k + w[t&15]
		a, b, c, d, e = tmp, a, b<<30|b>>2, c, d
	}
	s[0] += a
	s[1] += b
	s[2] += c
	s[3] += d
	s[4] += e
}
