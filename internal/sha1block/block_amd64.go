//go:build amd64 && !purego

package sha1block

//go:generate go run gen_amd64.go

// useSHA is set once: the SHA extensions with SSSE3 (PSHUFB) and SSE4.1
// (PINSRD, PEXTRD).
var useSHA = hasSHA()

func hasSHA() bool {
	max, _, _, _ := cpuid(0, 0)
	if max < 7 {
		return false
	}
	_, _, c1, _ := cpuid(1, 0)
	_, b7, _, _ := cpuid(7, 0)
	const ssse3, sse41, sha = 1 << 9, 1 << 19, 1 << 29
	return c1&ssse3 != 0 && c1&sse41 != 0 && b7&sha != 0
}

//go:noescape
func blockSHA(s *[5]uint32, p *[64]byte)

//go:noescape
func block2SHA(s1, s2 *[5]uint32, p1, p2 *[64]byte)

func cpuid(leaf, sub uint32) (a, b, c, d uint32)

//go:noescape
func hmacSHA(out *[5]uint32, key *byte, kn int, msg *byte, n int)

//go:noescape
func hmacKey20SHA(out, key *[5]uint32, msg *byte, n int)

//go:noescape
func doubleHMACSHA(out *[5]uint32, key *byte, kn int, salt *byte, ns int, msg *byte, nm int)

//go:noescape
func doubleHMAC2SHA(out *[10]uint32, k1 *byte, n1 int, k2 *byte, n2 int, salt *byte, ns int, msg *byte, nm int)

//go:noescape
func hmacKey20x2SHA(out, keys *[10]uint32, msg *byte, n int)

//go:noescape
func hmacStates2SHA(out, st *[10]uint32, m1 *byte, n1 int, m2 *byte, n2 int)

//go:noescape
func hmacStatesSHA(out *[5]uint32, st *[10]uint32, msg *byte, n int, tail *byte, nt int)
