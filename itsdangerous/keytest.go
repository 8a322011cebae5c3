package itsdangerous

import (
	"bytes"
	"crypto/subtle"
	"encoding/binary"
	"hash"
	"strconv"

	"github.com/flaskcookie/flaskcookie/internal/sha1block"
)

// A KeyTester tells whether a candidate secret key signed one given token,
// as fast as that can be computed: it is the inner loop of a key search
// (Flask-Unsign's job) and of tools that try a handful of known keys.
//
// NewKeyTester parses the token once: it splits off the signature, decodes
// it, and keeps the signed message (everything before the last separator,
// timestamp included for timed tokens, so timed or not makes no
// difference). Test then derives the signing key from the candidate and
// computes the MAC with hash states and buffers allocated once, so a test
// allocates nothing for HMAC and for every key derivation.
//
// For HMAC-SHA1 signatures with a SHA-1 key derivation (or none), which
// is Flask's default and the common case, Test skips hash.Hash altogether:
// it calls the SHA-1 compression function on blocks laid out once per
// tester, where a guess changes only the key and digest blocks, on the
// SHA instructions of amd64 CPUs that have them (elsewhere crypto/sha1's
// own assembly is faster than pure Go, so other CPUs keep hash.Hash),
// two independent blocks at a time where the HMACs allow.
//
// A KeyTester is not safe for concurrent use; Clone gives each goroutine its
// own.
type KeyTester struct {
	msg, sig   []byte // the signed message and its decoded signature
	salt       []byte
	derivation KeyDerivation
	digest     func() hash.Hash
	none       bool      // UnsafeNoneAlgorithm: the signature must be empty
	custom     Algorithm // an Algorithm other than HMAC and none, or nil
	macDigest  func() hash.Hash

	kd  *ktHMAC // the key derivation's digest (HMAC or plain hashing)
	mac *ktHMAC // the signature's HMAC
	key []byte  // the derived key
	out []byte  // the computed signature

	fast *ktSHA1 // the SHA-1 kernel, or nil for other digests
}

// NewKeyTester returns a KeyTester for token. It accepts the options of
// NewSigner that shape a signature: WithSalt (default DefaultSignerSalt, as
// for NewSigner), WithSeparator, WithKeyDerivation, WithDigest,
// WithAlgorithm, WithStrictBase64 and WithMaxTokenSize; the others are
// ignored. For a Flask session cookie pass WithSalt([]byte("cookie-session"))
// and WithKeyDerivation(HMACDerive).
//
// A token without a separator, with a signature that is not base64, or with
// a signature whose length no key can produce under the chosen algorithm
// (such as 32 bytes for HMAC-SHA1) is refused with an error matching
// ErrBadSignature. A bad option gives an error matching ErrConfig.
func NewKeyTester(token []byte, opts ...Option) (*KeyTester, error) {
	c, err := newConfig(DefaultSignerSalt, opts)
	if err != nil {
		return nil, err
	}
	if len(token) > c.maxTokenSize {
		e := newError(ErrBadSignature, "token of "+strconv.Itoa(len(token))+" bytes is longer than the maximum of "+strconv.Itoa(c.maxTokenSize))
		e.Err = ErrTooLarge
		return nil, e
	}
	i := bytes.LastIndex(token, c.sep)
	if i < 0 {
		return nil, newError(ErrBadSignature, "No "+pyBytesRepr(c.sep)+" found in value")
	}
	sig, err := decodeBase64(nil, token[i+len(c.sep):], c.strictBase64)
	if err != nil {
		return nil, newError(ErrBadSignature, "the signature is not base64")
	}
	t := &KeyTester{
		msg:        bytes.Clone(token[:i]),
		sig:        sig,
		salt:       c.salt,
		derivation: c.derivation,
		digest:     c.digest,
	}
	switch a := c.algorithm.(type) {
	case nil:
		t.macDigest = c.digest
	case hmacAlgorithm:
		t.macDigest = a.digest
		if t.macDigest == nil {
			t.macDigest = c.digest
		}
	case noneAlgorithm:
		t.none = true
	default:
		t.custom = a
	}
	if t.macDigest != nil {
		if n := t.macDigest().Size(); len(sig) != n {
			return nil, newError(ErrBadSignature, "a signature of "+strconv.Itoa(len(sig))+" bytes cannot be made by this HMAC, whose digest gives "+strconv.Itoa(n))
		}
	}
	t.init()
	return t, nil
}

// init allocates the hash states and buffers of t.
func (t *KeyTester) init() {
	t.kd = newKTHMAC(t.digest)
	t.key = make([]byte, 0, t.kd.size)
	if t.macDigest != nil {
		t.mac = newKTHMAC(t.macDigest)
		t.out = make([]byte, 0, t.mac.size)
	}
	if sha1block.Accelerated() {
		// Without the SHA instructions crypto/sha1's assembly, behind
		// hash.Hash, beats the pure Go compression.
		t.fast = newKTSHA1(t)
	}
}

// Clone returns a KeyTester for the same token and options with its own
// hash states, for use by another goroutine.
func (t *KeyTester) Clone() *KeyTester {
	c := &KeyTester{
		msg: t.msg, sig: t.sig, salt: t.salt, derivation: t.derivation,
		digest: t.digest, none: t.none, custom: t.custom, macDigest: t.macDigest,
	}
	c.init()
	if t.fast != nil {
		c.fast = t.fast.clone()
	}
	return c
}

// Test reports whether secret is the secret key that signed the token, that
// is whether the signature verifies with it (MACs are compared in constant
// time). The age of a timed token is not checked.
func (t *KeyTester) Test(secret []byte) bool {
	if t.none {
		return len(t.sig) == 0
	}
	if t.fast != nil {
		return t.fast.test(secret)
	}
	return t.TestKey(t.deriveKey(secret))
}

// TestBatch returns the index of the first of secrets that Test accepts,
// or -1 if none is. It is the loop of a key search: for HMAC-SHA1
// signatures over the hmac (Flask's), concat or django-concat key
// derivation with SHA-1, on amd64 with the SHA instructions, it tests two
// secrets at a time, their hash computations interleaved, which costs
// about two thirds of two Tests. It allocates nothing.
func (t *KeyTester) TestBatch(secrets [][]byte) int {
	if t.fast != nil {
		return t.fast.testBatch(secrets)
	}
	for i, s := range secrets {
		if t.Test(s) {
			return i
		}
	}
	return -1
}

// DeriveKey returns the signing key that Test derives from secret with the
// tester's salt, key derivation and digest (secret itself for
// NoDerivation). The result is only valid until the next call on t.
//
// DeriveKey and TestKey split Test in two so that a caller testing one
// candidate against many tokens signed with the same salt, derivation and
// digest derives the key once: key := a.DeriveKey(secret), then
// b.TestKey(key) for every tester b of that group.
func (t *KeyTester) DeriveKey(secret []byte) []byte {
	return t.deriveKey(secret)
}

// TestKey reports whether key, a signing key already derived (by
// DeriveKey of a tester with the same salt, key derivation and digest),
// made the token's signature. MACs are compared in constant time.
func (t *KeyTester) TestKey(key []byte) bool {
	if t.none {
		return len(t.sig) == 0
	}
	if t.fast != nil {
		return t.fast.testKey(key)
	}
	if t.custom != nil {
		t.out = t.custom.AppendSignature(t.out[:0], key, t.msg)
	} else {
		t.mac.start(key)
		t.mac.inner.Write(t.msg)
		t.out = t.mac.finish(t.out[:0])
	}
	return subtle.ConstantTimeCompare(t.out, t.sig) == 1
}

// deriveKey is deriveKey of signer.go on the reusable states.
func (t *KeyTester) deriveKey(secret []byte) []byte {
	if t.fast != nil {
		return t.fast.deriveKey(secret)
	}
	h := t.kd.inner
	switch t.derivation {
	case Concat:
		h.Reset()
		h.Write(t.salt)
		h.Write(secret)
		t.key = h.Sum(t.key[:0])
	case DjangoConcat:
		h.Reset()
		h.Write(t.salt)
		h.Write(ktSignerWord)
		h.Write(secret)
		t.key = h.Sum(t.key[:0])
	case HMACDerive:
		t.kd.start(secret)
		h.Write(t.salt)
		t.key = t.kd.finish(t.key[:0])
	default: // NoDerivation; newConfig refuses anything else
		return secret
	}
	return t.key
}

var ktSignerWord = []byte("signer")

// ktHMAC computes HMACs with one digest and any key, reusing its hash
// states and pads, as crypto/hmac does for one fixed key.
type ktHMAC struct {
	inner, outer hash.Hash
	opad         []byte // block size
	ipad         []byte // block size
	hashedKey    []byte // a key longer than the block, hashed
	innerSum     []byte
	size, block  int
}

func newKTHMAC(h func() hash.Hash) *ktHMAC {
	inner, outer := h(), h()
	s := &ktHMAC{inner: inner, outer: outer, size: inner.Size(), block: inner.BlockSize()}
	s.opad = make([]byte, s.block)
	s.ipad = make([]byte, s.block)
	s.hashedKey = make([]byte, 0, s.size)
	s.innerSum = make([]byte, 0, s.size)
	return s
}

// start begins an HMAC under key: after it, write the message to s.inner
// and call finish.
func (s *ktHMAC) start(key []byte) {
	if len(key) > s.block {
		s.inner.Reset()
		s.inner.Write(key)
		s.hashedKey = s.inner.Sum(s.hashedKey[:0])
		key = s.hashedKey
	}
	clear(s.ipad[copy(s.ipad, key):])
	// XOR the pads eight bytes at a time; block sizes are multiples of 8.
	for i := 0; i+8 <= len(s.ipad); i += 8 {
		k := binary.LittleEndian.Uint64(s.ipad[i:])
		binary.LittleEndian.PutUint64(s.ipad[i:], k^0x3636363636363636)
		binary.LittleEndian.PutUint64(s.opad[i:], k^0x5c5c5c5c5c5c5c5c)
	}
	for i := len(s.ipad) &^ 7; i < len(s.ipad); i++ {
		s.opad[i] = s.ipad[i] ^ 0x5c
		s.ipad[i] ^= 0x36
	}
	s.inner.Reset()
	s.inner.Write(s.ipad)
}

// finish appends the HMAC to dst.
func (s *ktHMAC) finish(dst []byte) []byte {
	s.innerSum = s.inner.Sum(s.innerSum[:0])
	s.outer.Reset()
	s.outer.Write(s.opad)
	s.outer.Write(s.innerSum)
	return s.outer.Sum(dst)
}

// A PreparedKey is a signing key whose HMAC pad states are computed once,
// so that testing it against many tokens with the same MAC digest skips
// two hash blocks a token. Make it with PrepareKey; reuse its buffers by
// preparing the next key into the same value. The zero value is ready to
// use.
type PreparedKey struct {
	key          []byte
	inner, outer []byte // marshaled hash states after ipad and opad
	ok           bool   // the digest's states can be saved and restored

	sha1   bool               // prepared by the SHA-1 kernel: sha1St holds
	sha1St [2]sha1block.State // the states after the inner and outer pads
}

// stateAppender is implemented by the standard library's hashes (Go 1.24+):
// it saves a hash state without allocating.
type stateAppender interface {
	AppendBinary(b []byte) ([]byte, error)
}

// stateMarshaler is implemented by the standard library's hashes.
type stateMarshaler interface {
	MarshalBinary() ([]byte, error)
	UnmarshalBinary(b []byte) error
}

func appendState(dst []byte, h hash.Hash) ([]byte, bool) {
	if a, ok := h.(stateAppender); ok {
		b, err := a.AppendBinary(dst[:0])
		return b, err == nil
	}
	if m, ok := h.(stateMarshaler); ok {
		b, err := m.MarshalBinary()
		return append(dst[:0], b...), err == nil
	}
	return dst, false
}

// PrepareKey readies key (a derived signing key, as DeriveKey returns) for
// TestPrepared on every KeyTester with the same MAC digest as t.
func (t *KeyTester) PrepareKey(p *PreparedKey, key []byte) {
	p.key = append(p.key[:0], key...)
	p.ok, p.sha1 = false, false
	if t.fast != nil {
		t.fast.prepare(p, key)
		return
	}
	if t.mac == nil || t.custom != nil {
		return
	}
	t.mac.start(key)
	var ok1, ok2 bool
	p.inner, ok1 = appendState(p.inner, t.mac.inner)
	t.mac.outer.Reset()
	t.mac.outer.Write(t.mac.opad)
	p.outer, ok2 = appendState(p.outer, t.mac.outer)
	p.ok = ok1 && ok2
}

// TestPreparedPair is TestPrepared on two testers at once, a and b, with
// the same MAC digest as the tester that prepared p: it reports whether the
// prepared key made a's token's signature and whether it made b's. For
// HMAC-SHA1 on amd64 with the SHA instructions the two MACs are computed
// side by side, for about the cost of one.
func TestPreparedPair(a, b *KeyTester, p *PreparedKey) (bool, bool) {
	if a.fast != nil && b.fast != nil && p.sha1 {
		return a.fast.testPreparedPair(b.fast, p)
	}
	return a.TestPrepared(p), b.TestPrepared(p)
}

// TestPrepared reports, as TestKey does, whether the prepared key made the
// token's signature. p must come from PrepareKey on a KeyTester with the
// same MAC digest.
func (t *KeyTester) TestPrepared(p *PreparedKey) bool {
	if t.fast != nil && p.sha1 {
		return t.fast.testPrepared(p)
	}
	if t.none || t.custom != nil || t.mac == nil || !p.ok {
		return t.TestKey(p.key)
	}
	in, ok1 := t.mac.inner.(stateMarshaler)
	out, ok2 := t.mac.outer.(stateMarshaler)
	if !ok1 || !ok2 || in.UnmarshalBinary(p.inner) != nil || out.UnmarshalBinary(p.outer) != nil {
		return t.TestKey(p.key)
	}
	t.mac.inner.Write(t.msg)
	t.mac.innerSum = t.mac.inner.Sum(t.mac.innerSum[:0])
	t.mac.outer.Write(t.mac.innerSum)
	t.out = t.mac.outer.Sum(t.out[:0])
	return subtle.ConstantTimeCompare(t.out, t.sig) == 1
}
