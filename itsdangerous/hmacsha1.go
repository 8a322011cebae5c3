package itsdangerous

import (
	"encoding/binary"

	"github.com/flaskcookie/flaskcookie/internal/sha1block"
)

// sha1HMAC computes HMAC-SHA1 under one key with package sha1block: the
// states after the key's inner and outer pads are computed once, and a
// signature is the message's blocks and one outer block in one call, on
// the stack, with no hash.Hash, no pool and no allocation. It is
// immutable, so one value serves every goroutine.
type sha1HMAC struct {
	st [2]sha1block.State // after the inner and the outer key block
}

func newSHA1HMAC(key []byte) *sha1HMAC {
	m := new(sha1HMAC)
	sha1block.KeyStates(&m.st, key)
	return m
}

// sum returns the HMAC of msg.
func (m *sha1HMAC) sum(msg []byte) [sha1block.Size]byte {
	var s sha1block.State
	sha1block.HMACStates(&s, &m.st, msg)
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
	var s sha1block.State
	sha1block.HMACStates(&s, &m.st, msg)
	var diff uint32
	for i, w := range s {
		diff |= w ^ binary.BigEndian.Uint32(sig[4*i:])
	}
	return diff == 0
}
