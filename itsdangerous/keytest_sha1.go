package itsdangerous

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"hash"

	"github.com/flaskcookie/flaskcookie/internal/sha1block"
)

// ktSHA1 is the KeyTester's kernel for SHA-1 digests (Flask's default):
// HMAC-SHA1 signatures over HMACDerive, Concat, DjangoConcat or
// NoDerivation with SHA-1. It skips hash.Hash: everything that does not
// depend on the guess is laid out once, padding and length included (the
// salt for HMACDerive and the signed message, each as the message of an
// HMAC), and internal/sha1block computes the HMACs from there. On amd64
// with the SHA instructions a guess under HMACDerive is one call that keeps
// every state in registers: eight compressions, each HMAC's inner and
// outer key blocks compressed together, so six in sequence; testBatch
// runs two guesses side by side. KeyTester uses the kernel only where
// sha1block.Accelerated; its pure Go path (generic) serves the tests.
type ktSHA1 struct {
	derivation KeyDerivation
	generic    bool // tests: use the pure Go compression

	salt   []byte // HMACDerive: the salt as HMAC message blocks
	prefix []byte // Concat, DjangoConcat: the bytes hashed before the secret
	msg    []byte // the signed message as HMAC message blocks
	sig    sha1block.State

	cat []byte // Concat, DjangoConcat: prefix and secret
	// Concat, DjangoConcat: one-block messages of the prefix and a short
	// secret, the prefix laid in once.
	dblk [2][sha1block.BlockSize]byte
	key  [sha1block.Size]byte // the derived key for DeriveKey
}

// newKTSHA1 returns the SHA-1 kernel for t, or nil if t's signature is not
// HMAC-SHA1 or its key derivation hashes with another digest.
func newKTSHA1(t *KeyTester) *ktSHA1 {
	if t.none || t.custom != nil || !isSHA1(t.macDigest) {
		return nil
	}
	if t.derivation != NoDerivation && !isSHA1(t.digest) {
		return nil
	}
	k := &ktSHA1{derivation: t.derivation}
	switch t.derivation {
	case HMACDerive:
		k.salt = sha1block.MessageBlocks(t.salt)
	case Concat:
		k.prefix = t.salt
	case DjangoConcat:
		k.prefix = append(append([]byte(nil), t.salt...), ktSignerWord...)
	}
	copy(k.dblk[0][:], k.prefix)
	copy(k.dblk[1][:], k.prefix)
	k.msg = sha1block.MessageBlocks(t.msg)
	for i := range k.sig {
		k.sig[i] = binary.BigEndian.Uint32(t.sig[4*i:])
	}
	return k
}

// clone returns a copy of k with its own buffers; the laid-out blocks are
// read-only and shared.
func (k *ktSHA1) clone() *ktSHA1 {
	c := *k
	c.cat = nil
	return &c
}

// isSHA1 reports whether h makes SHA-1 hashes: the sizes, then the digest
// of a message of three blocks, compared with crypto/sha1's.
func isSHA1(h func() hash.Hash) bool {
	if h == nil {
		return false
	}
	d := h()
	if d.Size() != sha1.Size || d.BlockSize() != sha1.BlockSize {
		return false
	}
	var probe [150]byte
	for i := range probe {
		probe[i] = byte(i * 7)
	}
	d.Write(probe[:])
	want := sha1.Sum(probe[:])
	return subtle.ConstantTimeCompare(d.Sum(nil), want[:]) == 1
}

// finish is sha1block.Finish, on the pure Go compression for tests.
func (k *ktSHA1) finish(s sha1block.State, done int, msg []byte) sha1block.State {
	if k.generic {
		return sha1block.FinishGeneric(s, done, msg)
	}
	return sha1block.Finish(s, done, msg)
}

// hmac returns HMAC-SHA1 under key of m, laid out by MessageBlocks.
func (k *ktSHA1) hmac(key, m []byte) sha1block.State {
	var out sha1block.State
	if k.generic {
		sha1block.HMACGeneric(&out, key, m)
	} else {
		sha1block.HMAC(&out, key, m)
	}
	return out
}

// hmacKey20 returns HMAC-SHA1 of the signed message under the 20-byte key
// whose words are key.
func (k *ktSHA1) hmacKey20(key *sha1block.State) sha1block.State {
	var out sha1block.State
	if k.generic {
		sha1block.HMACKey20Generic(&out, key, k.msg)
	} else {
		sha1block.HMACKey20(&out, key, k.msg)
	}
	return out
}

// derive returns the signing key's words, for every derivation but
// NoDerivation.
func (k *ktSHA1) derive(secret []byte) sha1block.State {
	if k.derivation == HMACDerive {
		return k.hmac(secret, k.salt)
	}
	if k.short(secret) {
		d := sha1block.IV
		k.block(&d, k.concatBlock(0, secret))
		return d
	}
	k.cat = append(append(k.cat[:0], k.prefix...), secret...)
	return k.finish(sha1block.IV, 0, k.cat)
}

// short reports whether prefix and secret fit one block with SHA-1's
// padding.
func (k *ktSHA1) short(secret []byte) bool {
	return len(k.prefix)+len(secret) < sha1block.BlockSize-8
}

// concatBlock lays out prefix and secret, short, with SHA-1's padding in
// derivation block i.
func (k *ktSHA1) concatBlock(i int, secret []byte) *[sha1block.BlockSize]byte {
	b := &k.dblk[i]
	n := len(k.prefix) + copy(b[len(k.prefix):], secret)
	b[n] = 0x80
	clear(b[n+1 : sha1block.BlockSize-8])
	binary.BigEndian.PutUint64(b[sha1block.BlockSize-8:], uint64(n)*8)
	return b
}

func (k *ktSHA1) block(s *sha1block.State, b *[sha1block.BlockSize]byte) {
	if k.generic {
		sha1block.BlockGeneric(s, b)
	} else {
		sha1block.Block(s, b)
	}
}

// test reports whether secret made the signature.
func (k *ktSHA1) test(secret []byte) bool {
	switch k.derivation {
	case NoDerivation:
		return k.verify(k.hmac(secret, k.msg))
	case HMACDerive:
		var out sha1block.State
		if k.generic {
			sha1block.DoubleHMACGeneric(&out, secret, k.salt, k.msg)
		} else {
			sha1block.DoubleHMAC(&out, secret, k.salt, k.msg)
		}
		return k.verify(out)
	}
	d := k.derive(secret)
	return k.verify(k.hmacKey20(&d))
}

// testBatch is TestBatch: two secrets at a time, except under
// NoDerivation.
func (k *ktSHA1) testBatch(secrets [][]byte) int {
	i := 0
	if k.derivation != NoDerivation {
		for ; i+1 < len(secrets); i += 2 {
			out := k.testPair(secrets[i], secrets[i+1])
			// Both compared, in constant time, before either answers.
			a, b := k.verify(out[0]), k.verify(out[1])
			if a {
				return i
			}
			if b {
				return i + 1
			}
		}
	}
	for ; i < len(secrets); i++ {
		if k.test(secrets[i]) {
			return i
		}
	}
	return -1
}

// testPair returns the MACs under the secrets s1 and s2, computed side by
// side: under HMACDerive in one call; under Concat and DjangoConcat the
// two keys (for short secrets in one Block2), then the two MACs.
func (k *ktSHA1) testPair(s1, s2 []byte) [2]sha1block.State {
	var out [2]sha1block.State
	if k.derivation == HMACDerive {
		if k.generic {
			sha1block.DoubleHMAC2Generic(&out, s1, s2, k.salt, k.msg)
		} else {
			sha1block.DoubleHMAC2(&out, s1, s2, k.salt, k.msg)
		}
		return out
	}
	var keys [2]sha1block.State
	if k.generic || !k.short(s1) || !k.short(s2) {
		keys = [2]sha1block.State{k.derive(s1), k.derive(s2)}
	} else {
		keys = [2]sha1block.State{sha1block.IV, sha1block.IV}
		sha1block.Block2(&keys[0], &keys[1], k.concatBlock(0, s1), k.concatBlock(1, s2))
	}
	if k.generic {
		sha1block.HMACKey20x2Generic(&out, &keys, k.msg)
	} else {
		sha1block.HMACKey20x2(&out, &keys, k.msg)
	}
	return out
}

// deriveKey is DeriveKey.
func (k *ktSHA1) deriveKey(secret []byte) []byte {
	if k.derivation == NoDerivation {
		return secret
	}
	d := k.derive(secret)
	sha1block.PutDigest(k.key[:], &d)
	return k.key[:]
}

// testKey is TestKey.
func (k *ktSHA1) testKey(key []byte) bool {
	return k.verify(k.hmac(key, k.msg))
}

// prepare stores in p the states of key after its key blocks.
func (k *ktSHA1) prepare(p *PreparedKey, key []byte) {
	if k.generic {
		sha1block.KeyStatesGeneric(&p.sha1St, key)
	} else {
		sha1block.KeyStates(&p.sha1St, key)
	}
	p.sha1 = true
}

// testPrepared is TestPrepared for a key prepared by a SHA-1 kernel.
func (k *ktSHA1) testPrepared(p *PreparedKey) bool {
	ok, _ := k.testPreparedPair(k, p)
	return ok
}

// testPreparedPair is TestPreparedPair: k's and o's MACs under the key
// prepared in p, side by side.
func (k *ktSHA1) testPreparedPair(o *ktSHA1, p *PreparedKey) (bool, bool) {
	var out [2]sha1block.State
	if k.generic || o.generic {
		sha1block.HMACStates2Generic(&out, &p.sha1St, k.msg, o.msg)
	} else {
		sha1block.HMACStates2(&out, &p.sha1St, k.msg, o.msg)
	}
	return k.verify(out[0]), o.verify(out[1])
}

// verify compares a computed MAC with the signature in constant time.
func (k *ktSHA1) verify(s sha1block.State) bool {
	var x uint32
	for i := range s {
		x |= s[i] ^ k.sig[i]
	}
	return subtle.ConstantTimeEq(int32(x), 0) == 1
}
