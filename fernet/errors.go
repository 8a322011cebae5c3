package fernet

import (
	"errors"
	"strconv"
	"time"
)

var (
	// ErrInvalidToken is matched by every error of Decrypt, Rotate and
	// ExtractTimestamp for a token that is not accepted, whatever the
	// reason: bad base64, wrong version, too short, a MAC that does not
	// verify with any key, bad ciphertext length or padding, expired or too
	// far in the future. It is Python's cryptography.fernet.InvalidToken.
	// The reasons are not told apart, except that an authentic token
	// outside its time window gives a *TimeError.
	ErrInvalidToken = errors.New("fernet: invalid token")

	// ErrInvalidKey is returned by ParseKey for a key that is not 32 bytes
	// of URL-safe base64 (Python raises ValueError with this message).
	ErrInvalidKey = errors.New("fernet: key must be 32 url-safe base64-encoded bytes")

	// ErrNoKeys is returned by New without keys, as MultiFernet refuses an
	// empty list.
	ErrNoKeys = errors.New("fernet: at least one key is required")

	// ErrInvalidIV is returned by EncryptAt for an IV that is not 16 bytes.
	ErrInvalidIV = errors.New("fernet: the IV must be 16 bytes")

	// ErrInvalidTime is returned by EncryptAt for a time before 1970,
	// which the unsigned timestamp cannot hold (Python raises
	// OverflowError).
	ErrInvalidTime = errors.New("fernet: time before 1970")
)

// TimeError reports an authentic token (its MAC verified) that is outside
// its time window: older than the TTL, or more than MaxClockSkew in the
// future. It matches ErrInvalidToken. Only a token that verified gives one,
// so it tells an attacker nothing that the token's plain timestamp does not.
type TimeError struct {
	// Timestamp is the creation time recorded in the token.
	Timestamp time.Time
	// Now is the time it was checked at.
	Now time.Time
	// TTL is the time to live it was checked with, in whole seconds.
	TTL time.Duration
	// Future reports a token more than MaxClockSkew ahead of Now;
	// otherwise the token is older than TTL.
	Future bool
}

// Error says whether the token expired or is from the future, and by how much.
func (e *TimeError) Error() string {
	age := e.Now.Unix() - e.Timestamp.Unix()
	if e.Future {
		return "fernet: invalid token: created " + strconv.FormatInt(-age, 10) +
			" seconds in the future (more than the allowed clock skew of " +
			strconv.Itoa(int(MaxClockSkew/time.Second)) + " seconds)"
	}
	return "fernet: invalid token: age " + strconv.FormatInt(age, 10) +
		" seconds is more than the TTL of " + strconv.FormatInt(int64(e.TTL/time.Second), 10) + " seconds"
}

// Unwrap makes a TimeError match ErrInvalidToken.
func (e *TimeError) Unwrap() error { return ErrInvalidToken }
