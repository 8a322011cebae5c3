package itsdangerous

import "encoding/binary"

// b64Pairs[v] holds the two URL-safe base64 characters of the 12-bit value
// v, the first in the low byte.
var b64Pairs = func() (t [1 << 12]uint16) {
	for v := range t {
		t[v] = uint16(b64Alphabet[v>>6]) | uint16(b64Alphabet[v&63])<<8
	}
	return t
}()

// encodeBase64 writes the URL-safe, unpadded base64 of src to dst, which
// must hold b64.EncodedLen(len(src)) bytes, as b64.Encode does, with two
// table reads per three bytes and one store per six.
func encodeBase64(dst, src []byte) {
	for len(src) >= 6 && len(dst) >= 8 {
		v := uint(src[0])<<16 | uint(src[1])<<8 | uint(src[2])
		w := uint(src[3])<<16 | uint(src[4])<<8 | uint(src[5])
		binary.LittleEndian.PutUint64(dst, uint64(b64Pairs[v>>12])|uint64(b64Pairs[v&0xfff])<<16|
			uint64(b64Pairs[w>>12])<<32|uint64(b64Pairs[w&0xfff])<<48)
		src, dst = src[6:], dst[8:]
	}
	if len(src) >= 3 && len(dst) >= 4 {
		v := uint(src[0])<<16 | uint(src[1])<<8 | uint(src[2])
		binary.LittleEndian.PutUint32(dst, uint32(b64Pairs[v>>12])|uint32(b64Pairs[v&0xfff])<<16)
		src, dst = src[3:], dst[4:]
	}
	// The last one or two bytes, their bits followed by zeros.
	switch {
	case len(src) == 2 && len(dst) >= 3:
		v := uint(src[0])<<10 | uint(src[1])<<2
		binary.LittleEndian.PutUint16(dst, b64Pairs[v>>6])
		dst[2] = b64Alphabet[v&63]
	case len(src) == 1 && len(dst) >= 2:
		binary.LittleEndian.PutUint16(dst, b64Pairs[uint(src[0])<<4])
	}
}
