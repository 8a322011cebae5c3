package sha1block

import (
	"encoding/binary"
	"unsafe"
)

// The HMAC functions below compute HMAC-SHA1 on messages laid out in
// advance as the inner hash sees them after the key block: the message,
// the 0x80 byte, zeros, and the bit length of key block and message, in
// whole blocks (MessageBlocks makes them). A key is given either as bytes
// (of any length; over a block, hashed first as HMAC does), or as a
// 20-byte digest in a State; either way the key blocks are formed in the
// CPU's registers. Each has a Generic twin on the pure Go compression,
// for tests.

// Pads are an HMAC key's inner block (key XOR 0x36, zero-padded) followed
// by its outer block (XOR 0x5c).
type Pads [2 * BlockSize]byte

// SetKey lays out the key blocks of key, at most BlockSize bytes (longer
// keys are hashed first by the caller, as HMAC does).
func (p *Pads) SetKey(key []byte) {
	clear(p[copy(p[:BlockSize], key):BlockSize])
	for i := 0; i < BlockSize; i += 8 {
		w := binary.LittleEndian.Uint64(p[i:])
		binary.LittleEndian.PutUint64(p[i:], w^0x3636363636363636)
		binary.LittleEndian.PutUint64(p[BlockSize+i:], w^0x5c5c5c5c5c5c5c5c)
	}
}

// MessageBlocks lays out msg as the message of an HMAC-SHA1, for HMAC,
// HMACKey20 and DoubleHMAC.
func MessageBlocks(msg []byte) []byte {
	full := len(msg) &^ (BlockSize - 1)
	var tail [2 * BlockSize]byte
	nt := pad(&tail, msg[full:], BlockSize+len(msg))
	return append(msg[:full:full], tail[:nt*BlockSize]...)
}

// ptr returns the address of the first of the whole blocks of b, and how
// many there are; b must not be empty.
func ptr(b []byte) (*byte, int) {
	return unsafe.SliceData(b), len(b) / BlockSize
}

// hmacKey returns key as HMAC uses it: hashed into d if longer than a
// block.
func hmacKey(key []byte, d *[Size]byte, generic bool) []byte {
	if len(key) <= BlockSize {
		return key
	}
	s := finish(IV, 0, key, useSHA && !generic)
	PutDigest(d[:], &s)
	return d[:]
}

// HMAC sets out to HMAC-SHA1 under key of the message laid out in msg.
func HMAC(out *State, key, msg []byte) {
	if !useSHA {
		HMACGeneric(out, key, msg)
		return
	}
	var d [Size]byte
	key = hmacKey(key, &d, false)
	m, n := ptr(msg)
	hmacSHA((*[5]uint32)(out), unsafe.SliceData(key), len(key), m, n)
}

// HMACKey20 sets out to HMAC-SHA1 under the 20-byte key whose words are
// key of the message laid out in msg.
func HMACKey20(out, key *State, msg []byte) {
	if !useSHA {
		HMACKey20Generic(out, key, msg)
		return
	}
	m, n := ptr(msg)
	hmacKey20SHA((*[5]uint32)(out), (*[5]uint32)(key), m, n)
}

// DoubleHMAC sets out to HMAC-SHA1(HMAC-SHA1(key, salt), msg), salt and
// msg laid out by MessageBlocks: a signature under itsdangerous's HMAC key
// derivation, in one call.
func DoubleHMAC(out *State, key, salt, msg []byte) {
	if !useSHA {
		DoubleHMACGeneric(out, key, salt, msg)
		return
	}
	var d [Size]byte
	key = hmacKey(key, &d, false)
	s, ns := ptr(salt)
	m, nm := ptr(msg)
	doubleHMACSHA((*[5]uint32)(out), unsafe.SliceData(key), len(key), s, ns, m, nm)
}

// HMACGeneric is HMAC on the pure Go compression.
func HMACGeneric(out *State, key, msg []byte) {
	var d [Size]byte
	var p Pads
	p.SetKey(hmacKey(key, &d, true))
	in, o := IV, IV
	BlockGeneric(&in, (*[BlockSize]byte)(p[:BlockSize]))
	BlockGeneric(&o, (*[BlockSize]byte)(p[BlockSize:]))
	hmacFinishGeneric(out, &in, &o, msg)
}

// HMACKey20Generic is HMACKey20 on the pure Go compression.
func HMACKey20Generic(out, key *State, msg []byte) {
	var d [Size]byte
	PutDigest(d[:], key)
	HMACGeneric(out, d[:], msg)
}

// DoubleHMACGeneric is DoubleHMAC on the pure Go compression.
func DoubleHMACGeneric(out *State, key, salt, msg []byte) {
	var k State
	HMACGeneric(&k, key, salt)
	HMACKey20Generic(out, &k, msg)
}

func hmacFinishGeneric(out, in, o *State, msg []byte) {
	for i := 0; i < len(msg); i += BlockSize {
		BlockGeneric(in, (*[BlockSize]byte)(msg[i:]))
	}
	var d [BlockSize]byte
	PutDigest(d[:], in)
	d[Size] = 0x80
	binary.BigEndian.PutUint64(d[BlockSize-8:], (BlockSize+Size)*8)
	BlockGeneric(o, &d)
	*out = *o
}

// DoubleHMAC2 is DoubleHMAC for two keys at once, k1 and k2, whose MACs
// go to out[0] and out[1]. Their compressions run side by side, so two
// cost little more than one where the SHA instructions are used.
func DoubleHMAC2(out *[2]State, k1, k2, salt, msg []byte) {
	if !useSHA {
		DoubleHMAC2Generic(out, k1, k2, salt, msg)
		return
	}
	var d1, d2 [Size]byte
	k1 = hmacKey(k1, &d1, false)
	k2 = hmacKey(k2, &d2, false)
	s, ns := ptr(salt)
	m, nm := ptr(msg)
	doubleHMAC2SHA((*[10]uint32)(unsafe.Pointer(out)), unsafe.SliceData(k1), len(k1), unsafe.SliceData(k2), len(k2), s, ns, m, nm)
}

// DoubleHMAC2Generic is DoubleHMAC2 on the pure Go compression.
func DoubleHMAC2Generic(out *[2]State, k1, k2, salt, msg []byte) {
	DoubleHMACGeneric(&out[0], k1, salt, msg)
	DoubleHMACGeneric(&out[1], k2, salt, msg)
}

// HMACKey20x2 is HMACKey20 for two keys at once, keys[0] and keys[1],
// whose MACs go to out[0] and out[1], computed side by side.
func HMACKey20x2(out, keys *[2]State, msg []byte) {
	if !useSHA {
		HMACKey20x2Generic(out, keys, msg)
		return
	}
	m, n := ptr(msg)
	hmacKey20x2SHA((*[10]uint32)(unsafe.Pointer(out)), (*[10]uint32)(unsafe.Pointer(keys)), m, n)
}

// HMACKey20x2Generic is HMACKey20x2 on the pure Go compression.
func HMACKey20x2Generic(out, keys *[2]State, msg []byte) {
	HMACKey20Generic(&out[0], &keys[0], msg)
	HMACKey20Generic(&out[1], &keys[1], msg)
}

// KeyStates sets st to the states of HMAC-SHA1 under key after its inner
// (st[0]) and outer (st[1]) key blocks, for HMACStates2.
func KeyStates(st *[2]State, key []byte) {
	keyStates(st, key, false)
}

// KeyStatesGeneric is KeyStates on the pure Go compression.
func KeyStatesGeneric(st *[2]State, key []byte) {
	keyStates(st, key, true)
}

func keyStates(st *[2]State, key []byte, generic bool) {
	var d [Size]byte
	var p Pads
	p.SetKey(hmacKey(key, &d, generic))
	st[0], st[1] = IV, IV
	sha := useSHA && !generic
	block(&st[0], sha, (*[BlockSize]byte)(p[:BlockSize]))
	block(&st[1], sha, (*[BlockSize]byte)(p[BlockSize:]))
}

// HMACStates sets out to the HMAC-SHA1 of msg under the key whose states
// KeyStates made, in one call that keeps the states in registers: the
// signature of a message that was not laid out in advance. Only msg's
// last partial block and the padding are copied, to the stack.
func HMACStates(out *State, st *[2]State, msg []byte) {
	if !useSHA {
		HMACStatesGeneric(out, st, msg)
		return
	}
	full := len(msg) &^ (BlockSize - 1)
	var tail [2 * BlockSize]byte
	nt := pad(&tail, msg[full:], BlockSize+len(msg))
	m, n := ptr(msg[:full])
	hmacStatesSHA((*[5]uint32)(out), (*[10]uint32)(unsafe.Pointer(st)), m, n, &tail[0], nt)
}

// HMACStatesGeneric is HMACStates on the pure Go compression.
func HMACStatesGeneric(out *State, st *[2]State, msg []byte) {
	full := len(msg) &^ (BlockSize - 1)
	var tail [2 * BlockSize]byte
	nt := pad(&tail, msg[full:], BlockSize+len(msg))
	in, o := st[0], st[1]
	for i := 0; i < full; i += BlockSize {
		BlockGeneric(&in, (*[BlockSize]byte)(msg[i:]))
	}
	hmacFinishGeneric(out, &in, &o, tail[:nt*BlockSize])
}

// HMACStates2 sets out[0] and out[1] to the HMAC-SHA1 of m1 and of m2,
// each laid out by MessageBlocks, under the key whose states KeyStates
// made: the MACs of two messages under one key, computed side by side.
func HMACStates2(out, st *[2]State, m1, m2 []byte) {
	if !useSHA {
		HMACStates2Generic(out, st, m1, m2)
		return
	}
	p1, n1 := ptr(m1)
	p2, n2 := ptr(m2)
	hmacStates2SHA((*[10]uint32)(unsafe.Pointer(out)), (*[10]uint32)(unsafe.Pointer(st)), p1, n1, p2, n2)
}

// HMACStates2Generic is HMACStates2 on the pure Go compression.
func HMACStates2Generic(out, st *[2]State, m1, m2 []byte) {
	for i, m := range [2][]byte{m1, m2} {
		in, o := st[0], st[1]
		hmacFinishGeneric(&out[i], &in, &o, m)
	}
}
