package itsdangerous

import (
	"bytes"
	"math"
	"math/big"
	"strconv"
	"time"
)

// maxDatetime is the last second Python's datetime can hold
// (9999-12-31T23:59:59Z); a timestamp past it is "malformed" to Python.
const maxDatetime = 253402300799

// TimestampSigner signs values together with the time of signing, like
// Python's itsdangerous.TimestampSigner:
//
//	value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw
//
// The middle part is the Unix time in seconds as minimal big-endian bytes
// in URL-safe base64; the signature covers the value and the timestamp.
// A TimestampSigner is immutable and safe for concurrent use.
type TimestampSigner struct {
	s     *Signer
	clock func() time.Time
	epoch int64
}

// NewTimestampSigner returns a TimestampSigner for secretKey. It accepts the
// options of NewSigner and also WithClock and WithLegacyEpoch.
func NewTimestampSigner(secretKey []byte, opts ...Option) (*TimestampSigner, error) {
	c, err := newConfig(DefaultSignerSalt, opts)
	if err != nil {
		return nil, err
	}
	if err := checkKeys(c, secretKey); err != nil {
		return nil, err
	}
	return newTimestampSigner(c, secretKey), nil
}

func newTimestampSigner(c *config, secretKey []byte) *TimestampSigner {
	return &TimestampSigner{s: newSigner(c, secretKey), clock: c.clock, epoch: c.epoch}
}

// now returns the current timestamp as Python's get_timestamp does.
func (s *TimestampSigner) now() int64 { return s.clock().Unix() - s.epoch }

// Sign signs value with the current time.
func (s *TimestampSigner) Sign(value []byte) []byte {
	return s.SignAt(value, s.clock())
}

// SignAt signs value as if the time were t. A time before the epoch is
// written as the epoch, since Python cannot write negative timestamps.
func (s *TimestampSigner) SignAt(value []byte, t time.Time) []byte {
	return s.appendSignedAt(make([]byte, 0, len(value)+2*len(s.s.sep)+8+s.s.sigLen), value, t.Unix()-s.epoch)
}

func (s *TimestampSigner) appendSignedAt(dst, value []byte, ts int64) []byte {
	if ts < 0 {
		ts = 0
	}
	start := len(dst)
	dst = append(dst, value...)
	dst = append(dst, s.s.sep...)
	var tb [8]byte
	dst = appendBase64(dst, appendTimestamp(tb[:0], uint64(ts)))
	msg := dst[start:]
	var sb [64]byte
	sig := s.s.macs[0].appendSignature(sb[:0], msg)
	dst = append(dst, s.s.sep...)
	return appendBase64(dst, sig)
}

// Unsign verifies signed and returns the value and the signing time. With
// MaxAge it also checks the age, exactly as Python does: with the age in
// whole seconds, age > maxAge and age < 0 (signed in the future) fail with
// ErrSignatureExpired, and age == maxAge is still valid. At sets the
// present for the age check. The returned value shares memory with signed.
//
// A failure matches ErrBadSignature, or ErrBadTimeSignature when the
// timestamp is missing or malformed or the signature fails; the *Error
// carries the signing time when it could be read.
func (s *TimestampSigner) Unsign(signed []byte, opts ...CallOption) ([]byte, time.Time, error) {
	c := callOf(opts)
	var now int64 // only for the age check: no clock otherwise
	if c.atSet {
		now = c.at.Unix() - s.epoch
	} else if c.checkAge {
		now = s.now()
	}
	v, t, err := s.unsign(signed, c.maxAge, c.checkAge, now)
	if err != nil {
		return nil, time.Time{}, err
	}
	return v, t, nil
}

// Validate reports whether signed verifies (and, with MaxAge, is not
// expired).
func (s *TimestampSigner) Validate(signed []byte, opts ...CallOption) bool {
	_, _, err := s.Unsign(signed, opts...)
	return err == nil
}

// unsign follows Python's TimestampSigner.unsign step by step, so that the
// same tokens fail with the same classes and messages. now is the current
// timestamp (epoch already applied).
func (s *TimestampSigner) unsign(signed []byte, maxAge time.Duration, checkAge bool, now int64) ([]byte, time.Time, *Error) {
	result, sigErr := s.s.unsign(signed)
	if sigErr != nil {
		if errorsIsTooLarge(sigErr) {
			return nil, time.Time{}, sigErr
		}
		result = sigErr.payload
	}
	sep := s.s.sep
	i := bytes.LastIndex(result, sep)
	if i < 0 {
		if sigErr != nil {
			return nil, time.Time{}, sigErr
		}
		return nil, time.Time{}, newError(ErrBadTimeSignature, "timestamp missing").withPayload(result)
	}
	value, tsB64 := result[:i], result[i+len(sep):]
	var tbuf [16]byte
	tsBytes, err := decodeBase64(tbuf[:0], tsB64, s.s.strict)
	ts, ok := parseTimestamp(tsBytes)
	ok = ok && err == nil
	if sigErr != nil {
		e := newError(ErrBadTimeSignature, sigErr.Reason).withPayload(value)
		if ok {
			t, inRange := s.timeOf(ts)
			if !inRange {
				return nil, time.Time{}, newError(ErrBadTimeSignature, "Malformed timestamp").withPayload(value)
			}
			e.SignedAt = t
		}
		return nil, time.Time{}, e
	}
	if !ok {
		return nil, time.Time{}, newError(ErrBadTimeSignature, "Malformed timestamp").withPayload(value)
	}
	t, _ := s.timeOf(ts)
	if checkAge {
		// Python computes age = now - ts with exact integers. The
		// comparison uses an age clamped so that the Duration below
		// cannot overflow; the message of an expired token, the exact
		// age, written only then: a valid token costs no string.
		age := int64(math.MinInt64)
		if ts <= math.MaxInt64 {
			age = now - int64(ts)
		}
		clamped := min(max(age, -(1<<33)), 1<<33)
		ageD := time.Duration(clamped) * time.Second
		var cmp string
		switch {
		case ageD > maxAge:
			cmp = " > " + formatSeconds(maxAge)
		case clamped < 0:
			cmp = " < 0"
		}
		if cmp != "" {
			ageText := strconv.FormatInt(age, 10)
			if ts > math.MaxInt64 {
				ageText = new(big.Int).Sub(big.NewInt(now), new(big.Int).SetUint64(ts)).String()
			}
			e := newError(ErrSignatureExpired, "Signature age "+ageText+cmp+" seconds").withPayload(value)
			e.SignedAt, e.Age, e.MaxAge = t, ageD, maxAge
			return nil, time.Time{}, e
		}
	}
	return value, t, nil
}

// timeOf converts a raw timestamp to a UTC time, and reports whether it is
// within the range of Python's datetime.
func (s *TimestampSigner) timeOf(ts uint64) (time.Time, bool) {
	if ts > maxDatetime {
		return time.Time{}, false
	}
	return time.Unix(int64(ts)+s.epoch, 0).UTC(), true
}

// formatSeconds writes a duration in seconds the way Python prints an int
// or float max_age.
func formatSeconds(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10)
	}
	return strconv.FormatFloat(d.Seconds(), 'g', -1, 64)
}

func errorsIsTooLarge(e *Error) bool { return e.Err == ErrTooLarge }
