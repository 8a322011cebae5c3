package itsdangerous

import (
	"crypto/sha1"
	"encoding/binary"

	"github.com/flaskcookie/flaskcookie/internal/sha1block"
)

// sha1HMAC computes HMAC-SHA1 under one key with the SHA-1 compression
// alone (package sha1block): the states after the key's inner and outer
// pads are computed once, and a signature is the message's blocks and one
// outer block, on the stack, with no hash.Hash, no pool and no
// allocation. It is immutable, so one value serves every goroutine.
type sha1HMAC struct {
	inner, outer sha1block.State
}

func newSHA1HMAC(key []byte) *sha1HMAC {
	if len(key) > sha1block.BlockSize {
		k := sha1.Sum(key)
		key = k[:]
	}
	var pads sha1block.Pads
	pads.SetKey(key)
	m := &sha1HMAC{inner: sha1block.IV, outer: sha1block.IV}
	sha1block.Block(&m.inner, (*[sha1block.BlockSize]byte)(pads[:sha1block.BlockSize]))
	sha1block.Block(&m.outer, (*[sha1block.BlockSize]byte)(pads[sha1block.BlockSize:]))
	return m
}

// state returns the HMAC of msg as a SHA-1 state.
func (m *sha1HMAC) state(msg []byte) sha1block.State {
	s := sha1block.Finish(m.inner, sha1block.BlockSize, msg)
	var blk [sha1block.BlockSize]byte
	sha1block.PutDigest(blk[:], &s)
	blk[sha1block.Size] = 0x80
	binary.BigEndian.PutUint64(blk[56:], (sha1block.BlockSize+sha1block.Size)*8)
	s = m.outer
	sha1block.Block(&s, &blk)
	return s
}

// sum returns the HMAC of msg.
func (m *sha1HMAC) sum(msg []byte) [sha1block.Size]byte {
	s := m.state(msg)
	var out [sha1block.Size]byte
	sha1block.PutDigest(out[:], &s)
	return out
}

// equal reports whether sig is the HMAC of msg, comparing in constant time
// (the length of sig is public).
func (m *sha1HMAC) equal(sig, msg []byte) bool {
	if len(sig) != sha1block.Size {
		return false
	}
	s := m.state(msg)
	var diff uint32
	for i, w := range s {
		diff |= w ^ binary.BigEndian.Uint32(sig[4*i:])
	}
	return diff == 0
}
