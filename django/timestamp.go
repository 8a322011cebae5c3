package django

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/pyjson"
)

// base62Alphabet is django.utils.baseconv.BASE62_ALPHABET (Django 4.1 and
// later: signing.b62_encode), most significant digit first.
const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// appendBase62 appends n in base 62, as baseconv.base62.encode writes a
// non-negative int.
func appendBase62(dst []byte, n uint64) []byte {
	var b [11]byte
	i := len(b)
	for {
		i--
		b[i] = base62Alphabet[n%62]
		n /= 62
		if n == 0 {
			break
		}
	}
	return append(dst, b[i:]...)
}

// decodeBase62 is baseconv.base62.decode: an optional "-" sign, then base
// 62 digits (none at all after the sign is 0). It fails as Django does:
// IndexError for an empty string, ValueError for a character outside the
// alphabet.
func decodeBase62(s string) (*big.Int, *Error) {
	if s == "" {
		return nil, malformed("IndexError: string index out of range", nil)
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var small uint64
	var n *big.Int
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(base62Alphabet, s[i])
		if d < 0 {
			return nil, malformed("ValueError: substring not found", nil)
		}
		if n == nil && small < (math.MaxUint64-61)/62 {
			small = small*62 + uint64(d)
			continue
		}
		if n == nil {
			n = new(big.Int).SetUint64(small)
		}
		n.Mul(n, big.NewInt(62))
		n.Add(n, big.NewInt(int64(d)))
	}
	if n == nil {
		n = new(big.Int).SetUint64(small)
	}
	if neg {
		n.Neg(n)
	}
	return n, nil
}

// A CallOption changes one call, like the keyword arguments of Django's
// unsign and loads.
type CallOption struct {
	maxAge   time.Duration
	checkAge bool
	at       time.Time
	atSet    bool
}

// MaxAge makes a timestamped load fail with ErrSignatureExpired when the
// token is older than d, as Django's max_age does: the age is the present
// (with its fraction of a second) minus the signing time, and the token has
// expired when age > d. Unlike itsdangerous, Django does not refuse a token
// signed in the future. Without MaxAge no age is checked (the session codec
// always checks its cookie age).
func MaxAge(d time.Duration) CallOption { return CallOption{maxAge: d, checkAge: true} }

// At uses t instead of the clock for one call: as the signing time when
// signing, and as the present when checking an age.
func At(t time.Time) CallOption { return CallOption{at: t, atSet: true} }

type call struct {
	maxAge   time.Duration
	checkAge bool
	at       time.Time
	atSet    bool
}

func callOf(opts []CallOption) call {
	var c call
	for _, o := range opts {
		if o.checkAge {
			c.maxAge, c.checkAge = o.maxAge, true
		}
		if o.atSet {
			c.at, c.atSet = o.at, true
		}
	}
	return c
}

// TimestampSigner signs strings together with the time of signing, like
// Django's django.core.signing.TimestampSigner:
//
//	hello:1r31eq:<signature>
//
// The middle part is the Unix time in base 62; the signature covers the
// value and the timestamp. A TimestampSigner is immutable and safe for
// concurrent use.
type TimestampSigner struct {
	s     *Signer
	clock func() time.Time
}

// NewTimestampSigner returns a TimestampSigner for key. It accepts the
// options of NewSigner (the default salt is TimestampSignerSalt) and
// WithClock.
func NewTimestampSigner(key []byte, opts ...Option) (*TimestampSigner, error) {
	c, err := newConfig(TimestampSignerSalt, opts)
	if err != nil {
		return nil, err
	}
	return newTimestampSigner(c, key)
}

func newTimestampSigner(c *config, key []byte) (*TimestampSigner, error) {
	s, err := newSigner(c, key)
	if err != nil {
		return nil, err
	}
	return &TimestampSigner{s: s, clock: c.clock}, nil
}

// Sign signs value with the current time.
func (s *TimestampSigner) Sign(value string) string {
	return s.SignAt(value, s.clock())
}

// SignAt signs value as if the time were t (its whole seconds; a time
// before 1970 is written as 0).
func (s *TimestampSigner) SignAt(value string, t time.Time) string {
	ts := t.Unix()
	if ts < 0 {
		ts = 0
	}
	b := make([]byte, 0, len(value)+len(s.s.sep)+8)
	b = append(b, value...)
	b = append(b, s.s.sep...)
	b = appendBase62(b, uint64(ts))
	return s.s.Sign(string(b))
}

func (s *TimestampSigner) sign(value string, c *call) string {
	if c.atSet {
		return s.SignAt(value, c.at)
	}
	return s.Sign(value)
}

// Unsign verifies signed and returns the value and the signing time. With
// MaxAge it also checks the age as Django does (see MaxAge); At sets the
// present for that check.
//
// A bad signature matches ErrBadSignature, an expired token
// ErrSignatureExpired. A validly signed value without a timestamp, or with
// one that is not base 62, matches ErrMalformed (Django raises ValueError
// or IndexError). The signing time is zero when the timestamp does not fit
// a time.Time.
func (s *TimestampSigner) Unsign(signed string, opts ...CallOption) (string, time.Time, error) {
	c := callOf(opts)
	v, t, err := s.unsign(signed, &c)
	if err != nil {
		return "", time.Time{}, err
	}
	return v, t, nil
}

func (s *TimestampSigner) unsign(signed string, c *call) (string, time.Time, *Error) {
	result, err := s.s.unsign(signed)
	if err != nil {
		return "", time.Time{}, err
	}
	i := strings.LastIndex(result, s.s.sep)
	if i < 0 {
		return "", time.Time{}, malformed("ValueError: not enough values to unpack (expected 2, got 1)", nil)
	}
	value := result[:i]
	ts, e := decodeBase62(result[i+len(s.s.sep):])
	if e != nil {
		return "", time.Time{}, e
	}
	var signedAt time.Time
	if ts.IsInt64() && ts.Int64() > -1<<40 && ts.Int64() < 1<<40 {
		signedAt = time.Unix(ts.Int64(), 0).UTC()
	}
	if c.checkAge {
		now := c.at
		if !c.atSet {
			now = s.clock()
		}
		// Python: age = time.time() - timestamp, a float; the int
		// timestamp is converted first, which overflows past ~1.8e308.
		tsf, _ := new(big.Float).SetInt(ts).Float64()
		if math.IsInf(tsf, 0) {
			return "", time.Time{}, malformed("OverflowError: int too large to convert to float", nil)
		}
		nowf := float64(now.Unix()) + float64(now.Nanosecond())/1e9
		age := nowf - tsf
		if age > c.maxAge.Seconds() {
			e := &Error{Kind: ErrSignatureExpired, SignedAt: signedAt, MaxAge: c.maxAge}
			e.Age = durationOf(age)
			e.Reason = "Signature age " + string(pyjson.AppendFloat(nil, age)) + " > " + formatSeconds(c.maxAge) + " seconds"
			return "", time.Time{}, e
		}
	}
	return value, signedAt, nil
}

// durationOf converts seconds to a Duration, saturating.
func durationOf(sec float64) time.Duration {
	switch {
	case sec >= math.MaxInt64/1e9:
		return math.MaxInt64
	case sec <= math.MinInt64/1e9:
		return math.MinInt64
	}
	return time.Duration(sec * 1e9)
}

// formatSeconds writes a max_age the way Python prints an int (whole
// seconds) or a float.
func formatSeconds(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10)
	}
	return string(pyjson.AppendFloat(nil, d.Seconds()))
}
