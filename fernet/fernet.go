package fernet

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"io"
	"math"
	"math/big"
	"sync"
	"time"
)

// Sizes and constants of version 0x80 of the format.
const (
	// Version is the first byte of every token.
	Version = 0x80
	// KeySize is the size of a key: a 16-byte signing key followed by a
	// 16-byte encryption key.
	KeySize = 32
	// IVSize is the size of the AES-CBC initialization vector.
	IVSize = 16
	// MaxClockSkew is how far in the future a token's timestamp may be when
	// a TTL is checked (cryptography's _MAX_CLOCK_SKEW).
	MaxClockSkew = 60 * time.Second
)

const (
	blockSize  = aes.BlockSize                    // 16
	macSize    = sha256.Size                      // 32
	headerSize = 1 + 8 + IVSize                   // version, timestamp, IV
	minToken   = headerSize + blockSize + macSize // one block of ciphertext
)

// A Key is a Fernet key: the signing key (HMAC-SHA256) in the first 16
// bytes, the encryption key (AES-128) in the last 16.
type Key [KeySize]byte

// NewKey returns a random key from crypto/rand, as Fernet.generate_key.
func NewKey() (Key, error) {
	var k Key
	if _, err := io.ReadFull(rand.Reader, k[:]); err != nil {
		return Key{}, err
	}
	return k, nil
}

// ParseKey reads a key in its text form, 32 bytes in URL-safe base64, as
// Python's Fernet(key) does: with the same leniency as for tokens (see the
// package documentation), so that every key Python accepts is accepted.
// A key that is not 32 bytes, or not base64, gives ErrInvalidKey.
func ParseKey(s string) (Key, error) {
	b, err := decodePython(nil, s)
	if err != nil || len(b) != KeySize {
		return Key{}, ErrInvalidKey
	}
	return Key(b), nil
}

// String returns the key in its text form, padded URL-safe base64, as
// Fernet.generate_key writes it. It is the secret: do not log it.
func (k Key) String() string { return base64.URLEncoding.EncodeToString(k[:]) }

// keyState is a key ready for use: the AES cipher is built once, and
// HMAC states are reused.
type keyState struct {
	signing [16]byte
	block   cipher.Block
	macs    sync.Pool // of hash.Hash: HMAC-SHA256 keyed with signing
}

func newKeyState(k Key) *keyState {
	ks := &keyState{}
	copy(ks.signing[:], k[:16])
	block, err := aes.NewCipher(k[16:])
	if err != nil {
		// aes.NewCipher fails only for a bad key length.
		panic("fernet: " + err.Error())
	}
	ks.block = block
	return ks
}

// mac appends HMAC-SHA256(signing key, msg) to dst.
func (k *keyState) mac(dst, msg []byte) []byte {
	h, _ := k.macs.Get().(hash.Hash)
	if h == nil {
		h = hmac.New(sha256.New, k.signing[:])
	} else {
		h.Reset()
	}
	h.Write(msg)
	dst = h.Sum(dst)
	k.macs.Put(h)
	return dst
}

// verify checks the MAC that ends data in constant time, as
// cryptography's _verify_signature: HMAC over data[:-32] against
// data[-32:] (a token shorter than a MAC never verifies).
func (k *keyState) verify(data []byte) bool {
	if len(data) < macSize {
		return false
	}
	n := len(data) - macSize
	var buf [macSize]byte
	return hmac.Equal(k.mac(buf[:0], data[:n]), data[n:])
}

// A Fernet encrypts with its first key and decrypts with any of its keys,
// like Python's MultiFernet (and, with one key, like Fernet). It is
// immutable and safe for concurrent use.
type Fernet struct {
	keys  []*keyState
	clock func() time.Time
	rand  io.Reader
}

// New returns a Fernet for keys: the first encrypts, all of them decrypt,
// tried in order. With one key it is Python's Fernet(key), with several
// MultiFernet([Fernet(k) for k in keys]). It fails with ErrNoKeys when
// there are none.
//
// Time comes from time.Now and IVs from crypto/rand, unless changed with
// WithClock and WithRandom.
func New(keys ...Key) (*Fernet, error) {
	if len(keys) == 0 {
		return nil, ErrNoKeys
	}
	f := &Fernet{keys: make([]*keyState, len(keys))}
	for i, k := range keys {
		f.keys[i] = newKeyState(k)
	}
	return f, nil
}

// WithClock returns a copy of f that takes the time of new tokens, and the
// present for TTL checks, from now (time.Now when nil).
func (f *Fernet) WithClock(now func() time.Time) *Fernet {
	g := *f
	g.clock = now
	return &g
}

// WithRandom returns a copy of f that reads IVs from r (crypto/rand.Reader
// when nil). Every IV must be unique for a key: use it only for tests.
func (f *Fernet) WithRandom(r io.Reader) *Fernet {
	g := *f
	g.rand = r
	return &g
}

func (f *Fernet) now() time.Time {
	if f.clock == nil {
		return time.Now()
	}
	return f.clock()
}

// Encrypt returns a token holding plaintext, stamped with the current time
// and encrypted under the first key with a fresh random IV (Python's
// encrypt).
func (f *Fernet) Encrypt(plaintext []byte) (string, error) {
	return f.EncryptAt(plaintext, f.now(), nil)
}

// EncryptAt returns a token holding plaintext made at time t (in whole
// seconds, truncated) with the given IV, or a fresh random IV when iv is
// nil (Python's encrypt_at_time). A time before 1970 gives ErrInvalidTime,
// an IV that is not 16 bytes ErrInvalidIV.
//
// WARNING: an IV must never be used twice with the same key. Pass one only
// to reproduce known-answer vectors.
func (f *Fernet) EncryptAt(plaintext []byte, t time.Time, iv []byte) (string, error) {
	sec := t.Unix()
	if sec < 0 {
		return "", ErrInvalidTime
	}
	return f.encrypt(plaintext, uint64(sec), iv)
}

func (f *Fernet) encrypt(plaintext []byte, ts uint64, iv []byte) (string, error) {
	if len(f.keys) == 0 {
		return "", ErrNoKeys
	}
	k := f.keys[0]
	n := len(plaintext)/blockSize*blockSize + blockSize // PKCS#7 always pads
	buf := make([]byte, headerSize+n+macSize)
	buf[0] = Version
	binary.BigEndian.PutUint64(buf[1:9], ts)
	switch {
	case iv == nil:
		r := f.rand
		if r == nil {
			r = rand.Reader
		}
		if _, err := io.ReadFull(r, buf[9:headerSize]); err != nil {
			return "", err
		}
	case len(iv) != IVSize:
		return "", ErrInvalidIV
	default:
		copy(buf[9:headerSize], iv)
	}
	ct := buf[headerSize : headerSize+n]
	copy(ct, plaintext)
	pad := byte(n - len(plaintext))
	for i := len(plaintext); i < n; i++ {
		ct[i] = pad
	}
	k.encryptCBC(ct, buf[9:headerSize])
	k.mac(buf[:headerSize+n], buf[:headerSize+n])
	return base64.URLEncoding.EncodeToString(buf), nil
}

// A DecryptOption changes one call of Decrypt or DecryptWithTimestamp.
type DecryptOption struct {
	set    uint8
	ttl    time.Duration
	at     time.Time
	strict bool
}

const (
	setTTL = 1 << iota
	setAt
	setStrict
)

// TTL checks the token's age, Python's ttl argument: a token older than d
// (in whole seconds, truncated), or more than MaxClockSkew in the future,
// gives a *TimeError. Without TTL the timestamp is not checked at all, as in
// Python.
func TTL(d time.Duration) DecryptOption { return DecryptOption{set: setTTL, ttl: d} }

// At sets the present for the TTL check (default: the Fernet's clock),
// Python's decrypt_at_time.
func At(now time.Time) DecryptOption { return DecryptOption{set: setAt, at: now} }

// StrictBase64 accepts only canonical tokens: URL-safe alphabet, '='
// padding, zero trailing bits, no other characters. By default tokens are
// read as leniently as Python reads them (see the package documentation).
func StrictBase64() DecryptOption { return DecryptOption{set: setStrict, strict: true} }

// Decrypt verifies token with each key in turn and returns its plaintext
// (Python's decrypt). Every failure matches ErrInvalidToken; an authentic
// token outside the TTL window also matches *TimeError.
//
// The MAC is checked, in constant time, before anything is decrypted, so
// padding errors are only ever seen for tokens made with the key.
func (f *Fernet) Decrypt(token string, opts ...DecryptOption) ([]byte, error) {
	p, _, err := f.open(token, opts)
	return p, err
}

// DecryptWithTimestamp is Decrypt that also returns the time recorded in
// the token.
func (f *Fernet) DecryptWithTimestamp(token string, opts ...DecryptOption) (plaintext []byte, created time.Time, err error) {
	p, ts, err := f.open(token, opts)
	if err != nil {
		return nil, time.Time{}, err
	}
	return p, tsTime(ts), nil
}

// parse decodes a token and reads its version and timestamp, as
// cryptography's _get_unverified_token_data.
func parse(token string, strict bool) (data []byte, ts uint64, ok bool) {
	data, err := decode(token, strict)
	if err != nil || len(data) < 9 || data[0] != Version {
		return nil, 0, false
	}
	return data, binary.BigEndian.Uint64(data[1:9]), true
}

func (f *Fernet) open(token string, opts []DecryptOption) ([]byte, uint64, error) {
	var c DecryptOption
	for _, o := range opts {
		c.set |= o.set
		switch o.set {
		case setTTL:
			c.ttl = o.ttl
		case setAt:
			c.at = o.at
		case setStrict:
			c.strict = true
		}
	}
	data, ts, ok := parse(token, c.strict)
	if !ok {
		return nil, 0, ErrInvalidToken
	}
	for _, k := range f.keys {
		if !k.verify(data) {
			continue
		}
		if c.set&setTTL != 0 {
			now := c.at
			if c.set&setAt == 0 {
				now = f.now()
			}
			if err := checkTime(ts, now, c.ttl); err != nil {
				return nil, 0, err
			}
		}
		if p, ok := k.decrypt(data); ok {
			return p, ts, nil
		}
		// A verified token that does not decrypt: another key may share
		// the signing key, as MultiFernet goes on to the next Fernet.
	}
	return nil, 0, ErrInvalidToken
}

// decrypt decrypts and unpads a verified token into a new slice.
func (k *keyState) decrypt(data []byte) ([]byte, bool) {
	n := len(data) - headerSize - macSize
	if n < blockSize || n%blockSize != 0 {
		return nil, false
	}
	out := make([]byte, n)
	k.decryptCBC(out, data[headerSize:headerSize+n], data[9:headerSize])
	return unpad(out)
}

// encryptCBC encrypts b in place in CBC mode. It is cipher.NewCBCEncrypter
// without the copy of the expanded key that the standard mode makes for
// every token.
func (k *keyState) encryptCBC(b, iv []byte) {
	prev := iv
	for i := 0; i < len(b); i += blockSize {
		blk := b[i : i+blockSize]
		subtle.XORBytes(blk, blk, prev)
		k.block.Encrypt(blk, blk)
		prev = blk
	}
}

// decryptCBC decrypts src into dst (of the same length, not overlapping)
// in CBC mode.
func (k *keyState) decryptCBC(dst, src, iv []byte) {
	prev := iv
	for i := 0; i < len(src); i += blockSize {
		d, s := dst[i:i+blockSize], src[i:i+blockSize]
		k.block.Decrypt(d, s)
		subtle.XORBytes(d, d, prev)
		prev = s
	}
}

// unpad removes PKCS#7 padding, in time that does not depend on the
// padding's value.
func unpad(b []byte) ([]byte, bool) {
	n := len(b)
	p := int(b[n-1])
	good := subtle.ConstantTimeLessOrEq(1, p) & subtle.ConstantTimeLessOrEq(p, blockSize)
	for i := 0; i < blockSize; i++ {
		inPad := subtle.ConstantTimeLessOrEq(i+1, p)
		eq := subtle.ConstantTimeByteEq(b[n-1-i], byte(p))
		good &= eq | (inPad ^ 1)
	}
	if good != 1 {
		return nil, false
	}
	return b[:n-p], true
}

// checkTime applies cryptography's rules: expired when ts + ttl < now,
// too new when now + MaxClockSkew < ts, in whole seconds.
func checkTime(ts uint64, now time.Time, ttl time.Duration) error {
	cur := now.Unix()
	sec := int64(ttl / time.Second)
	skew := int64(MaxClockSkew / time.Second)
	switch {
	case cmpSum(ts, sec, cur) < 0:
		return &TimeError{Timestamp: tsTime(ts), Now: now, TTL: time.Duration(sec) * time.Second}
	case cmpSum(ts, -skew, cur) > 0: // ts - skew > now
		return &TimeError{Timestamp: tsTime(ts), Now: now, TTL: time.Duration(sec) * time.Second, Future: true}
	}
	return nil
}

// cmpSum compares ts + b with c exactly, as Python's integers do: -1, 0
// or +1.
func cmpSum(ts uint64, b, c int64) int {
	const lim = 1 << 61
	if ts <= lim && b > -lim && b < lim && c > -lim && c < lim {
		switch x := int64(ts) + b; {
		case x < c:
			return -1
		case x > c:
			return 1
		}
		return 0
	}
	x := new(big.Int).SetUint64(ts)
	return x.Add(x, big.NewInt(b)).Cmp(big.NewInt(c))
}

// maxUnix is the latest Unix second a time.Time can hold.
const maxUnix = math.MaxInt64 - 62135596800

// tsTime converts a token timestamp to a time.Time (UTC). Timestamps past
// year 292277026596, which only a hand-made token can hold, are clamped to
// the latest time Go can represent.
func tsTime(ts uint64) time.Time {
	if ts > maxUnix {
		ts = maxUnix
	}
	return time.Unix(int64(ts), 0).UTC()
}

// Rotate re-encrypts token under the first key, keeping its timestamp, with
// a fresh IV (Python's MultiFernet.rotate). Any key may have made it; its
// age is not checked. Failures match ErrInvalidToken.
func (f *Fernet) Rotate(token string) (string, error) {
	data, ts, ok := parse(token, false)
	if !ok {
		return "", ErrInvalidToken
	}
	for _, k := range f.keys {
		if !k.verify(data) {
			continue
		}
		if p, ok := k.decrypt(data); ok {
			return f.encrypt(p, ts, nil)
		}
	}
	return "", ErrInvalidToken
}

// ExtractTimestamp returns the time recorded in token after checking its
// MAC with each key in turn (Python's extract_timestamp). It neither
// decrypts nor checks the age. Failures match ErrInvalidToken.
func (f *Fernet) ExtractTimestamp(token string) (time.Time, error) {
	data, ts, ok := parse(token, false)
	if !ok {
		return time.Time{}, ErrInvalidToken
	}
	for _, k := range f.keys {
		if k.verify(data) {
			return tsTime(ts), nil
		}
	}
	return time.Time{}, ErrInvalidToken
}

// Info describes a token's layout, read without a key.
type Info struct {
	// Timestamp is the creation time recorded in the token, unverified.
	Timestamp time.Time
	// Size is the length of the decoded token in bytes; the text is
	// 4/3 as long, rounded up to a multiple of 4.
	Size int
	// CiphertextSize is the length of the ciphertext: the plaintext is 1
	// to 16 bytes shorter.
	CiphertextSize int
}

// ParseUnverified reads the layout of a token without any key: the
// version, the timestamp and the sizes. It fails with ErrInvalidToken when
// token cannot be a Fernet token (bad base64, wrong version, bad length).
//
// WARNING: nothing is verified. Anyone can write any timestamp; use it to
// inspect tokens, never to trust one.
func ParseUnverified(token string) (Info, error) {
	data, ts, ok := parse(token, false)
	if !ok || len(data) < minToken || (len(data)-headerSize-macSize)%blockSize != 0 {
		return Info{}, ErrInvalidToken
	}
	return Info{
		Timestamp:      tsTime(ts),
		Size:           len(data),
		CiphertextSize: len(data) - headerSize - macSize,
	}, nil
}
