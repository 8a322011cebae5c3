package jws

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"time"
	"unicode"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// TimedSerializer reads and writes the tokens of Python's
// itsdangerous.TimedJSONWebSignatureSerializer: a Serializer token whose
// header also holds "iat" (the time of signing) and "exp" (when it expires),
// as integer Unix seconds:
//
//	{"alg":"HS512","iat":1700000000,"exp":1700003600}
//
// A TimedSerializer is immutable and safe for concurrent use.
type TimedSerializer struct {
	s *Serializer
}

// NewTimed returns a TimedSerializer for secretKey, Python's
// TimedJSONWebSignatureSerializer(secret_key, expires_in=..., ...). It
// accepts the options of New and WithExpiresIn (default DefaultExpiresIn).
func NewTimed(secretKey []byte, opts ...Option) (*TimedSerializer, error) {
	s, err := newSerializer(secretKey, true, opts)
	if err != nil {
		return nil, err
	}
	return &TimedSerializer{s}, nil
}

// Algorithm returns the algorithm name written to and required in "alg".
func (t *TimedSerializer) Algorithm() string { return t.s.alg }

// ExpiresIn returns the lifetime given to new tokens.
func (t *TimedSerializer) ExpiresIn() time.Duration { return t.s.expiresIn }

// Dumps returns the token for v, as Serializer.Dumps does, with "iat" set
// to the current time (or At) and "exp" to "iat" plus the lifetime.
func (t *TimedSerializer) Dumps(v any, opts ...CallOption) (string, error) {
	return t.s.Dumps(v, opts...)
}

// Loads verifies token as Serializer.Loads does, then checks its expiry as
// Python does, and decodes the payload into the value v points to. The
// returned header has "exp" as the integer Python's int() made of it.
//
//   - no "exp": itsdangerous.ErrBadSignature ("Missing expiry date");
//   - an "exp" that Python's int() refuses, or a negative one: ErrBadHeader
//     ("Expiry date is not an IntDate"). int() accepts integers, floats
//     (truncated), booleans and decimal strings ("1700003600", " 17 ",
//     "1_700"). Python lets a TypeError (null, a list or a dict) or an
//     OverflowError (an infinite float) escape instead; these are
//     ErrBadHeader here too, with the Python exception in the cause;
//   - "exp" before the present (At, else the clock), in whole seconds:
//     itsdangerous.ErrSignatureExpired ("Signature expired"), whose
//     *itsdangerous.Error has SignedAt set from "iat" (see IssuedAt).
//     A token is still valid in the second of its "exp".
func (t *TimedSerializer) Loads(token string, v any, opts ...CallOption) (header map[string]any, err error) {
	c := callOf(opts)
	header, payload, err := t.s.load(token, &c)
	if err != nil {
		return nil, err
	}
	raw, ok := header["exp"]
	if !ok {
		return nil, newError(itsdangerous.ErrBadSignature, "Missing expiry date", nil)
	}
	exp, err := pyInt(raw)
	if err != nil || exp.Sign() < 0 {
		return nil, newError(ErrBadHeader, "Expiry date is not an IntDate", err)
	}
	if exp.Cmp(big.NewInt(t.s.now(&c))) < 0 {
		e := newError(itsdangerous.ErrSignatureExpired, "Signature expired", nil)
		e.SignedAt, _ = IssuedAt(header)
		return nil, e
	}
	if exp.IsInt64() {
		header["exp"] = exp.Int64()
	} else {
		header["exp"] = exp
	}
	return header, assign(v, payload)
}

// IssuedAt returns the time in the "iat" field of a header, as Python's
// get_issue_date does: a number (int, float truncated, or bool) of Unix
// seconds. It reports false when there is none, when "iat" is not a
// number, or when the time is outside the years 1 to 9999 that Python's
// datetime holds (Python raises there).
func IssuedAt(header map[string]any) (time.Time, bool) {
	var sec int64
	switch x := header["iat"].(type) {
	case bool:
		if x {
			sec = 1
		}
	case int64:
		sec = x
	case *big.Int:
		if !x.IsInt64() {
			return time.Time{}, false
		}
		sec = x.Int64()
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e18 {
			return time.Time{}, false
		}
		sec = int64(x) // truncates toward zero, as int() does
	default:
		return time.Time{}, false
	}
	const minDatetime, maxDatetime = -62135596800, 253402300799
	if sec < minDatetime || sec > maxDatetime {
		return time.Time{}, false
	}
	return time.Unix(sec, 0).UTC(), true
}

// Python's exception classes, named in the causes of ErrBadHeader errors.
var (
	errValue    = errors.New("ValueError")
	errType     = errors.New("TypeError")
	errOverflow = errors.New("OverflowError")
)

// pyIntError is the cause of an "exp" that Python's int() refuses.
type pyIntError struct {
	class error
	msg   string
}

func (e *pyIntError) Error() string { return e.class.Error() + ": " + e.msg }
func (e *pyIntError) Unwrap() error { return e.class }

// pyInt converts a decoded JSON value as Python's int() does.
func pyInt(x any) (*big.Int, error) {
	switch x := x.(type) {
	case bool:
		if x {
			return big.NewInt(1), nil
		}
		return big.NewInt(0), nil
	case int64:
		return big.NewInt(x), nil
	case *big.Int:
		return x, nil
	case float64:
		if math.IsNaN(x) {
			return nil, &pyIntError{errValue, "cannot convert float NaN to integer"}
		}
		if math.IsInf(x, 0) {
			return nil, &pyIntError{errOverflow, "cannot convert float infinity to integer"}
		}
		i, _ := big.NewFloat(math.Trunc(x)).Int(nil)
		return i, nil
	case string:
		return pyIntString(x)
	}
	return nil, &pyIntError{errType, "int() argument must be a string, a bytes-like object or a real number"}
}

// maxIntDigits is Python 3.11's sys.int_info.default_max_str_digits.
const maxIntDigits = 4300

// pyIntString is Python's int(s) for a str in base 10: surrounding
// whitespace, an optional sign, ASCII digits with single underscores
// between them. Python also accepts the decimal digits of other scripts
// (int("١٢") == 12); they are refused here.
func pyIntString(s string) (*big.Int, error) {
	bad := &pyIntError{errValue, "invalid literal for int() with base 10"}
	t := strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f })
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	digits := make([]byte, 0, len(t))
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '_' && i > 0 && i+1 < len(t) && t[i-1] != '_' && t[i+1] >= '0' && t[i+1] <= '9':
		default:
			return nil, bad
		}
	}
	if len(digits) == 0 {
		return nil, bad
	}
	if len(digits) > maxIntDigits {
		return nil, &pyIntError{errValue, "exceeds the limit (4300 digits) for integer string conversion"}
	}
	n, ok := new(big.Int).SetString(string(digits), 10)
	if !ok {
		return nil, bad
	}
	if neg {
		n.Neg(n)
	}
	return n, nil
}
