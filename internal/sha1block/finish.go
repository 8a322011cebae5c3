package sha1block

import "encoding/binary"

// Finish continues the state s, which has absorbed done bytes (a multiple
// of BlockSize), with msg and SHA-1's padding, and returns the final
// state: the hash of a message whose first blocks were compressed in
// advance, such as an HMAC key's pad. It lays out the padding on the stack
// and allocates nothing.
func Finish(s State, done int, msg []byte) State {
	return finish(s, done, msg, useSHA)
}

// FinishGeneric is Finish on the pure Go compression.
func FinishGeneric(s State, done int, msg []byte) State {
	return finish(s, done, msg, false)
}

func finish(s State, done int, msg []byte, sha bool) State {
	total := done + len(msg)
	for len(msg) >= BlockSize {
		block(&s, sha, (*[BlockSize]byte)(msg))
		msg = msg[BlockSize:]
	}
	var tail [2 * BlockSize]byte
	for i := range pad(&tail, msg, total) {
		block(&s, sha, (*[BlockSize]byte)(tail[i*BlockSize:]))
	}
	return s
}

// pad lays out rest, the last partial block of a message of total bytes,
// with SHA-1's padding (0x80, zeros, the length in bits) in tail, and
// returns the number of blocks (1 or 2) it takes.
func pad(tail *[2 * BlockSize]byte, rest []byte, total int) int {
	r := copy(tail[:], rest)
	tail[r] = 0x80
	nt := 1
	if r >= BlockSize-8 {
		nt = 2
	}
	binary.BigEndian.PutUint64(tail[nt*BlockSize-8:], uint64(total)*8)
	return nt
}

// block is Block on the SHA instructions if sha, else on pure Go.
func block(s *State, sha bool, p *[BlockSize]byte) {
	if sha {
		blockSHA((*[5]uint32)(s), p)
		return
	}
	BlockGeneric(s, p)
}
