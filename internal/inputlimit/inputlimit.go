// Package inputlimit holds the rule that bounds the work of decoding a
// token by the token's own length, shared by the packages that inflate
// zlib payloads (itsdangerous, and through it codec, and django).
//
// A zlib stream inflates up to about 1000 times, so a 5.5 KB cookie held
// 4 MiB of JSON, and building the value of that JSON allocated some 200 MB.
// Real session payloads compress 2 to 50 times (the committed vectors reach
// 123 times, on an 81-byte token, under the floor below). So the inflated
// payload may be at most InflateRatio times the length of the payload's
// text in the token, or MinInflate bytes when that is more; and the JSON
// value built from it may hold at most ValuesPerByte values per byte of
// that text, or MinValues when that is more. Every value costs at most a
// few hundred bytes to build, so the allocation of a decode is bounded by
// the input's length, not by what the input asks for.
package inputlimit

const (
	// InflateRatio is the default largest ratio of an inflated payload to
	// the length of its text in the token.
	InflateRatio = 64
	// MinInflate is the inflated size always allowed, whatever the ratio
	// (up to the absolute maximum payload size).
	MinInflate = 64 << 10
	// ValuesPerByte is the default largest number of JSON values (scalars,
	// arrays and objects) per byte of the payload's text in the token.
	ValuesPerByte = 2
	// MinValues is the number of JSON values always allowed.
	MinValues = 8192
)

// Inflate returns the largest inflated size for a payload of textLen bytes
// in the token: ratio times textLen (0 means InflateRatio), at least
// MinInflate, at most limit. A negative ratio means no ratio: limit.
func Inflate(textLen, limit, ratio int) int {
	if ratio < 0 {
		return limit
	}
	if ratio == 0 {
		ratio = InflateRatio
	}
	n := limit
	if textLen <= limit/ratio {
		n = ratio * textLen
	}
	if n < MinInflate {
		n = MinInflate
	}
	if n > limit {
		n = limit
	}
	return n
}

// Values returns the largest number of JSON values for a payload of textLen
// bytes in the token: ValuesPerByte times textLen, at least MinValues. A
// positive n is a fixed number instead, and a negative n means no limit (0).
func Values(textLen, n int) int {
	switch {
	case n > 0:
		return n
	case n < 0:
		return 0
	}
	if textLen > MinValues/ValuesPerByte {
		return ValuesPerByte * textLen
	}
	return MinValues
}
