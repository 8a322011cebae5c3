package itsdangerous

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"fmt"
	"hash"
	"strconv"
	"sync"
)

// An Algorithm computes the signature of a message under a derived key,
// like Python's SigningAlgorithm. Implementations must be safe for
// concurrent use.
type Algorithm interface {
	// AppendSignature appends the signature of msg under key to dst.
	AppendSignature(dst, key, msg []byte) []byte
}

// HMAC returns the HMAC algorithm over the digest h, Python's
// HMACAlgorithm(h). A nil h means the signer's own digest, which is the
// default algorithm.
func HMAC(h func() hash.Hash) Algorithm { return hmacAlgorithm{h} }

type hmacAlgorithm struct{ digest func() hash.Hash }

func (a hmacAlgorithm) AppendSignature(dst, key, msg []byte) []byte {
	digest := a.digest
	if digest == nil {
		// HMAC(nil) outside a signer: the signer default, SHA-1.
		digest = sha1.New
	}
	m := hmac.New(digest, key)
	m.Write(msg)
	return m.Sum(dst)
}

// UnsafeNoneAlgorithm is Python's NoneAlgorithm: its signature is empty,
// so a token is its value followed by the separator, and anyone can make
// one.
//
// WARNING: a signer with this algorithm verifies nothing. It exists only to
// read and write tokens of applications that chose it.
var UnsafeNoneAlgorithm Algorithm = noneAlgorithm{}

type noneAlgorithm struct{}

func (noneAlgorithm) AppendSignature(dst, key, msg []byte) []byte { return dst }

// A mac signs with one derived key. For HMAC-SHA1, Flask's, on a CPU with
// the SHA instructions, it computes with the pad states prepared once
// (sha1HMAC); otherwise it keeps keyed hash states in a pool and resets
// them. Either way a signature costs no key setup and no allocation.
type mac struct {
	key  []byte
	alg  Algorithm
	sha1 *sha1HMAC  // when alg is HMAC with SHA-1
	pool *sync.Pool // of *hmacState, when alg is HMAC with another digest
}

type hmacState struct {
	h   hash.Hash
	sum [64]byte
}

// newMAC returns the mac of key under alg; sha1 says that alg is HMAC-SHA1
// to compute on sha1block (config.sha1MAC).
func newMAC(key []byte, alg Algorithm, sha1 bool) mac {
	m := mac{key: key, alg: alg}
	if sha1 {
		m.sha1 = newSHA1HMAC(key)
		return m
	}
	if h, ok := alg.(hmacAlgorithm); ok {
		m.pool = &sync.Pool{New: func() any { return &hmacState{h: hmac.New(h.digest, key)} }}
	}
	return m
}

// appendSignature appends the signature of msg to dst.
func (m *mac) appendSignature(dst, msg []byte) []byte {
	if m.sha1 != nil {
		sum := m.sha1.sum(msg)
		return append(dst, sum[:]...)
	}
	if m.pool == nil {
		// Not dst: what goes into an interface call escapes, and the
		// callers' buffers are on the stack.
		return append(dst, m.alg.AppendSignature(nil, m.key, msg)...)
	}
	st := m.pool.Get().(*hmacState)
	dst = append(dst, st.compute(msg)...)
	m.pool.Put(st)
	return dst
}

// equal reports, in constant time, whether sig is the signature of msg.
func (m *mac) equal(sig, msg []byte) bool {
	if m.sha1 != nil {
		return m.sha1.equal(sig, msg)
	}
	if m.pool == nil {
		return hmac.Equal(sig, m.alg.AppendSignature(nil, m.key, msg))
	}
	st := m.pool.Get().(*hmacState)
	ok := hmac.Equal(sig, st.compute(msg))
	m.pool.Put(st)
	return ok
}

func (st *hmacState) compute(msg []byte) []byte {
	st.h.Reset()
	st.h.Write(msg)
	return st.h.Sum(st.sum[:0])
}

// deriveKey derives the signing key from a secret key as Python's
// Signer.derive_key does.
func deriveKey(c *config, secret []byte) []byte {
	switch c.derivation {
	case Concat:
		h := c.digest()
		h.Write(c.salt)
		h.Write(secret)
		return h.Sum(nil)
	case DjangoConcat:
		h := c.digest()
		h.Write(c.salt)
		h.Write([]byte("signer"))
		h.Write(secret)
		return h.Sum(nil)
	case HMACDerive:
		h := hmac.New(c.digest, secret)
		h.Write(c.salt)
		return h.Sum(nil)
	default: // NoDerivation; newConfig refuses anything else
		return bytes.Clone(secret)
	}
}

// Signer signs values and verifies signed values, like Python's
// itsdangerous.Signer. A signed value is the value, the separator, and the
// URL-safe base64 signature of the value:
//
//	my string.wh6tMHxLgJqB6oY1uT73iMlyrOA
//
// A Signer is immutable and safe for concurrent use.
type Signer struct {
	sep    []byte
	macs   []mac // newest key first: the first one signs
	strict bool
	max    int
	sigLen int // length of an encoded signature, or -1 if not known
}

// NewSigner returns a Signer for secretKey, the key that signs. Older keys
// that should still verify are added with WithFallbackKeys. It accepts the
// options WithSalt (default DefaultSignerSalt), WithSeparator,
// WithKeyDerivation, WithDigest, WithAlgorithm, WithFallbackKeys,
// WithStrictBase64 and WithMaxTokenSize. An empty key, current or
// fallback, is an error matching ErrEmptyKey unless WithUnsafeEmptyKeys is
// given.
func NewSigner(secretKey []byte, opts ...Option) (*Signer, error) {
	c, err := newConfig(DefaultSignerSalt, opts)
	if err != nil {
		return nil, err
	}
	if err := checkKeys(c, secretKey); err != nil {
		return nil, err
	}
	return newSigner(c, secretKey), nil
}

// newSigner builds a signer from a validated config.
func newSigner(c *config, secretKey []byte) *Signer {
	s := &Signer{sep: c.sep, strict: c.strictBase64, max: c.maxTokenSize}
	s.macs = append(s.macs, newMAC(deriveKey(c, secretKey), c.mac, c.sha1MAC))
	for i := len(c.fallbackKeys) - 1; i >= 0; i-- {
		s.macs = append(s.macs, newMAC(deriveKey(c, c.fallbackKeys[i]), c.mac, c.sha1MAC))
	}
	s.sigLen = b64.EncodedLen(len(s.macs[0].appendSignature(nil, nil)))
	return s
}

// Sign returns value, the separator and the signature of value, in a new
// slice.
func (s *Signer) Sign(value []byte) []byte {
	out := make([]byte, 0, len(value)+len(s.sep)+s.sigLen)
	return s.appendSigned(out, value)
}

// appendSigned appends value ‖ sep ‖ b64u(sig(value)) to dst.
func (s *Signer) appendSigned(dst, value []byte) []byte {
	dst = append(dst, value...)
	dst = append(dst, s.sep...)
	var buf [64]byte
	return appendBase64(dst, s.macs[0].appendSignature(buf[:0], value))
}

// Unsign verifies signed and returns the value without its signature. The
// signed value is split on the last separator, and the signature is tried
// with the current key, then the fallback keys, newest first. The returned
// slice shares memory with signed.
//
// A failure matches ErrBadSignature.
func (s *Signer) Unsign(signed []byte) ([]byte, error) {
	value, err := s.unsign(signed)
	if err != nil {
		return nil, err
	}
	return value, nil
}

// unsign is Unsign returning the unverified value inside the error.
func (s *Signer) unsign(signed []byte) ([]byte, *Error) {
	if len(signed) > s.max {
		e := newError(ErrBadSignature, "token of "+strconv.Itoa(len(signed))+" bytes is longer than the maximum of "+strconv.Itoa(s.max))
		e.Err = ErrTooLarge
		return nil, e
	}
	i := bytes.LastIndex(signed, s.sep)
	if i < 0 {
		return nil, newError(ErrBadSignature, "No "+pyBytesRepr(s.sep)+" found in value")
	}
	value, sig := signed[:i], signed[i+len(s.sep):]
	if s.verify(value, sig) {
		return value, nil
	}
	return nil, newError(ErrBadSignature, "Signature "+pyBytesRepr(sig)+" does not match").withPayload(value)
}

// verify reports whether sig, still base64-encoded, is the signature of
// value under any key. MACs are compared in constant time.
func (s *Signer) verify(value, sig []byte) bool {
	var dbuf [64]byte
	got, err := decodeBase64(dbuf[:0], sig, s.strict)
	if err != nil {
		return false
	}
	for i := range s.macs {
		if s.macs[i].equal(got, value) {
			return true
		}
	}
	return false
}

// Validate reports whether signed verifies. It never fails otherwise.
func (s *Signer) Validate(signed []byte) bool {
	_, err := s.unsign(signed)
	return err == nil
}

// pyBytesRepr formats b as Python's repr of a bytes object, for messages
// that match Python's.
func pyBytesRepr(b []byte) string {
	quote := byte('\'')
	if bytes.IndexByte(b, '\'') >= 0 && bytes.IndexByte(b, '"') < 0 {
		quote = '"'
	}
	out := make([]byte, 0, len(b)+3)
	out = append(out, 'b', quote)
	for _, c := range b {
		switch {
		case c == quote || c == '\\':
			out = append(out, '\\', c)
		case c == '\t':
			out = append(out, `\t`...)
		case c == '\n':
			out = append(out, `\n`...)
		case c == '\r':
			out = append(out, `\r`...)
		case c < 0x20 || c >= 0x7f:
			out = append(out, fmt.Sprintf(`\x%02x`, c)...)
		default:
			out = append(out, c)
		}
	}
	return string(append(out, quote))
}
