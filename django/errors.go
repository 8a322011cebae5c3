package django

import (
	"errors"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/errkind"
)

// The error sentinels. The first two mirror the classes of
// django.core.signing:
//
//	ErrBadSignature             BadSignature
//	└── ErrSignatureExpired     SignatureExpired
//
// ErrMalformed has no Django class: it is a token whose signature verifies
// but whose content Django cannot decode. Django raises ValueError,
// IndexError, OverflowError, binascii.Error, zlib.error or
// json.JSONDecodeError there, which code catching BadSignature does not
// catch (the signed_cookies session backend catches every exception and
// starts an empty session). Only the holder of the key can make such a token.
//
// Errors are *Error values; errors.Is matches their class.
var (
	ErrBadSignature     error = errkind.New("django: bad signature", nil)
	ErrSignatureExpired error = errkind.New("django: signature expired", ErrBadSignature)
	ErrMalformed        error = errkind.New("django: malformed signed data", nil)

	// ErrTooLarge is matched, beside ErrBadSignature or ErrMalformed, by
	// the error for a token longer than the maximum (refused before any
	// MAC is computed) or a payload larger than the maximum after base64
	// decoding or decompression. Django has no such limits.
	ErrTooLarge error = errors.New("django: too large")

	// ErrConfig is matched by every error a constructor returns for a bad
	// option or key.
	ErrConfig = errors.New("django: invalid configuration")
)

// Error describes a token that failed to verify or decode.
type Error struct {
	// Kind is the class: ErrBadSignature, ErrSignatureExpired or
	// ErrMalformed.
	Kind error
	// Reason is the message Django gives, such as
	// "Signature age 11.0 > 10 seconds". For ErrMalformed it names the
	// Python exception Django raises, such as
	// "ValueError: substring not found". Characters of the token that
	// could act on a terminal or a log (controls, bidirectional and other
	// non-printable characters) are escaped in it, as in Error().
	Reason string
	// SignedAt is the signing time of an expired token, else zero.
	SignedAt time.Time
	// Age and MaxAge are set for ErrSignatureExpired.
	Age, MaxAge time.Duration
	// Err is the underlying cause, or nil.
	Err error
}

// Error returns "django: " followed by the reason.
func (e *Error) Error() string {
	return errkind.Message("django: ", e.Kind, e.Reason, e.Err, ErrTooLarge)
}

// Unwrap returns the class sentinel and the cause, so errors.Is matches
// both.
func (e *Error) Unwrap() []error { return errkind.Unwrap(e.Kind, e.Err) }

func malformed(reason string, cause error) *Error {
	return &Error{Kind: ErrMalformed, Reason: reason, Err: cause}
}
