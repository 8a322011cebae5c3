// Package pybase64 decodes base64 exactly as CPython's lenient
// binascii.a2b_base64 does, as used by itsdangerous (URL-safe, padded by the
// caller), by Fernet (URL-safe, as given) and by Flask's " b" tag (standard
// alphabet, as given).
package pybase64

import "errors"

// ErrInvalid is returned for input that CPython refuses: the data
// characters leave one over, or an incomplete group has no padding.
var ErrInvalid = errors.New("invalid base64-encoded data")

// URLSafeAlphabet is the URL-safe base64 alphabet (RFC 4648, section 5),
// the one itsdangerous writes.
const URLSafeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// URLSafeValues maps a byte of URLSafeAlphabet to its value, and any
// other byte to 0xff: the strict table, for callers that stop at the first
// byte outside the alphabet. It is never changed.
var URLSafeValues [256]byte

// Tables map a byte to its 6-bit value, or 0xff for bytes that are skipped.
var std, urlsafe [256]byte

func init() {
	for i := range std {
		std[i], urlsafe[i], URLSafeValues[i] = 0xff, 0xff, 0xff
	}
	alphabet := URLSafeAlphabet[:62] + "+/"
	for i := 0; i < len(alphabet); i++ {
		std[alphabet[i]] = byte(i)
		urlsafe[alphabet[i]] = byte(i)
		URLSafeValues[URLSafeAlphabet[i]] = byte(i)
	}
	// urlsafe_b64decode maps '-' and '_' to '+' and '/' before decoding,
	// so both spellings are accepted.
	urlsafe['-'], urlsafe['_'] = 62, 63
}

// DecodeURLSafe is itsdangerous's base64_decode on bytes: it pads src to a
// multiple of four with '=' and decodes it with urlsafe_b64decode. It
// accepts '+' and '/' for '-' and '_', skips every byte outside the
// alphabet, ignores non-zero trailing bits and anything after the first
// complete padding. The result is appended to dst.
func DecodeURLSafe(dst, src []byte) ([]byte, error) {
	return decode(dst, src, &urlsafe, (4-len(src)%4)%4)
}

// DecodeURLSafeAsGiven is Python's base64.urlsafe_b64decode(s) on bytes,
// with no padding added first (as python3-cryptography's Fernet calls it).
func DecodeURLSafeAsGiven(dst, src []byte) ([]byte, error) {
	return decode(dst, src, &urlsafe, 0)
}

// DecodeStd is Python's base64.b64decode(s) without validation, as Flask's
// " b" tag calls it: the standard alphabet only ('-' and '_' are skipped
// like any other foreign byte), and no padding is added.
func DecodeStd(dst, src []byte) ([]byte, error) {
	return decode(dst, src, &std, 0)
}

// decode follows binascii.a2b_base64 with strict_mode off; extraPads is
// the number of '=' appended to src.
func decode(dst, src []byte, table *[256]byte, extraPads int) ([]byte, error) {
	var quad, pads int
	var left byte
	// pad feeds one '=' and reports whether it completes the padding,
	// which ends decoding.
	pad := func() bool {
		if quad >= 2 {
			pads++
			return quad+pads >= 4
		}
		return false
	}
	for _, c := range src {
		if c == '=' {
			if pad() {
				return dst, nil
			}
			continue
		}
		v := table[c]
		if v == 0xff {
			continue
		}
		pads = 0
		switch quad {
		case 0:
			quad, left = 1, v
		case 1:
			dst = append(dst, left<<2|v>>4)
			quad, left = 2, v&0x0f
		case 2:
			dst = append(dst, left<<4|v>>2)
			quad, left = 3, v&0x03
		case 3:
			dst = append(dst, left<<6|v)
			quad, left = 0, 0
		}
	}
	for i := 0; i < extraPads; i++ {
		if pad() {
			return dst, nil
		}
	}
	if quad != 0 {
		return dst, ErrInvalid
	}
	return dst, nil
}
