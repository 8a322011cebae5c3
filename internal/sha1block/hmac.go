package sha1block

import (
	"encoding/binary"
	"unsafe"
)

// The HMAC functions below compute HMAC-SHA1 on messages laid out in
// advance as the inner hash sees them after the key block: the message,
// the 0x80 byte, zeros, and the bit length of key block and message, in
// whole blocks (MessageBlocks makes them). A key is given either as its
// inner and outer key blocks (Pads), or as a 20-byte digest in a State,
// whose key blocks are formed without leaving the CPU's registers. Each
// has a Generic twin on the pure Go compression, for tests.

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
	n := (len(msg) + 9 + BlockSize - 1) / BlockSize * BlockSize
	b := make([]byte, n)
	copy(b, msg)
	b[len(msg)] = 0x80
	binary.BigEndian.PutUint64(b[n-8:], uint64(BlockSize+len(msg))*8)
	return b
}

// ptr returns the address of the first of the whole blocks of b, and how
// many there are; b must not be empty.
func ptr(b []byte) (*byte, int) {
	return unsafe.SliceData(b), len(b) / BlockSize
}

// HMAC sets out to HMAC-SHA1 under the key of pads of the message laid
// out in msg.
func HMAC(out *State, pads *Pads, msg []byte) {
	if !useSHA {
		HMACGeneric(out, pads, msg)
		return
	}
	m, n := ptr(msg)
	hmacSHA((*[5]uint32)(out), (*[128]byte)(pads), m, n)
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

// DoubleHMAC sets out to HMAC-SHA1(HMAC-SHA1(K, salt), msg), K being the
// key of pads and salt and msg laid out by MessageBlocks: a signature
// under itsdangerous's HMAC key derivation, in one call.
func DoubleHMAC(out *State, pads *Pads, salt, msg []byte) {
	if !useSHA {
		DoubleHMACGeneric(out, pads, salt, msg)
		return
	}
	s, ns := ptr(salt)
	m, nm := ptr(msg)
	doubleHMACSHA((*[5]uint32)(out), (*[128]byte)(pads), s, ns, m, nm)
}

// HMACGeneric is HMAC on the pure Go compression.
func HMACGeneric(out *State, pads *Pads, msg []byte) {
	in, o := IV, IV
	BlockGeneric(&in, (*[BlockSize]byte)(pads[:BlockSize]))
	BlockGeneric(&o, (*[BlockSize]byte)(pads[BlockSize:]))
	hmacFinishGeneric(out, &in, &o, msg)
}

// HMACKey20Generic is HMACKey20 on the pure Go compression.
func HMACKey20Generic(out, key *State, msg []byte) {
	var d [Size]byte
	PutDigest(d[:], key)
	var p Pads
	p.SetKey(d[:])
	HMACGeneric(out, &p, msg)
}

// DoubleHMACGeneric is DoubleHMAC on the pure Go compression.
func DoubleHMACGeneric(out *State, pads *Pads, salt, msg []byte) {
	var k State
	HMACGeneric(&k, pads, salt)
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

// DoubleHMAC2 is DoubleHMAC for two keys at once, pads[0] and pads[1],
// whose MACs go to out[0] and out[1]. Their compressions run side by side,
// so two cost little more than one where the SHA instructions are used.
func DoubleHMAC2(out *[2]State, pads *[2]Pads, salt, msg []byte) {
	if !useSHA {
		DoubleHMAC2Generic(out, pads, salt, msg)
		return
	}
	s, ns := ptr(salt)
	m, nm := ptr(msg)
	doubleHMAC2SHA((*[10]uint32)(unsafe.Pointer(out)), (*[256]byte)(unsafe.Pointer(pads)), s, ns, m, nm)
}

// DoubleHMAC2Generic is DoubleHMAC2 on the pure Go compression.
func DoubleHMAC2Generic(out *[2]State, pads *[2]Pads, salt, msg []byte) {
	DoubleHMACGeneric(&out[0], &pads[0], salt, msg)
	DoubleHMACGeneric(&out[1], &pads[1], salt, msg)
}
