//go:build !amd64 || purego

package sha1block

const useSHA = false

func blockSHA(s *[5]uint32, p *[64]byte) { panic("sha1block: no SHA instructions") }

func block2SHA(s1, s2 *[5]uint32, p1, p2 *[64]byte) {
	panic("sha1block: no SHA instructions")
}

func hmacSHA(out *[5]uint32, key *byte, kn int, msg *byte, n int) {
	panic("sha1block: no SHA instructions")
}

func hmacKey20SHA(out, key *[5]uint32, msg *byte, n int) {
	panic("sha1block: no SHA instructions")
}

func doubleHMACSHA(out *[5]uint32, key *byte, kn int, salt *byte, ns int, msg *byte, nm int) {
	panic("sha1block: no SHA instructions")
}

func doubleHMAC2SHA(out *[10]uint32, k1 *byte, n1 int, k2 *byte, n2 int, salt *byte, ns int, msg *byte, nm int) {
	panic("sha1block: no SHA instructions")
}

func hmacKey20x2SHA(out, keys *[10]uint32, msg *byte, n int) {
	panic("sha1block: no SHA instructions")
}

func hmacStates2SHA(out, st *[10]uint32, m1 *byte, n1 int, m2 *byte, n2 int) {
	panic("sha1block: no SHA instructions")
}

func hmacStatesSHA(out *[5]uint32, st *[10]uint32, msg *byte, n int, tail *byte, nt int) {
	panic("sha1block: no SHA instructions")
}
