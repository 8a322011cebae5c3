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
	total := uint64(done + len(msg))
	for len(msg) >= BlockSize {
		block(&s, sha, (*[BlockSize]byte)(msg))
		msg = msg[BlockSize:]
	}
	var blk [BlockSize]byte
	n := copy(blk[:], msg)
	blk[n] = 0x80
	if n >= BlockSize-8 { // no room for the length: one more block
		block(&s, sha, &blk)
		blk = [BlockSize]byte{}
	}
	binary.BigEndian.PutUint64(blk[BlockSize-8:], total*8)
	block(&s, sha, &blk)
	return s
}

// block is Block on the SHA instructions if sha, else on pure Go.
func block(s *State, sha bool, p *[BlockSize]byte) {
	if sha {
		blockSHA((*[5]uint32)(s), p)
		return
	}
	BlockGeneric(s, p)
}
