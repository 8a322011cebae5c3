package itsdangerous

import (
	"errors"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/errkind"
)

// The error sentinels mirror the exception classes of itsdangerous.exc:
//
//	ErrBadData                    BadData
//	├── ErrBadSignature           BadSignature
//	│   └── ErrBadTimeSignature   BadTimeSignature
//	│       └── ErrSignatureExpired SignatureExpired
//	└── ErrBadPayload             BadPayload
//
// Every error returned for a bad token matches ErrBadData and the sentinel
// of its own class with errors.Is. Details travel in an [*Error].
var (
	ErrBadData          error = errkind.New("itsdangerous: bad data", nil)
	ErrBadSignature     error = errkind.New("itsdangerous: bad signature", ErrBadData)
	ErrBadTimeSignature error = errkind.New("itsdangerous: bad time signature", ErrBadSignature)
	ErrSignatureExpired error = errkind.New("itsdangerous: signature expired", ErrBadTimeSignature)
	ErrBadPayload       error = errkind.New("itsdangerous: bad payload", ErrBadData)

	// ErrTooLarge is matched, beside ErrBadSignature or ErrBadPayload, by
	// an error for a token longer than the configured maximum (rejected
	// before any MAC is computed) or a payload that inflates past the
	// configured maximum. Python has no such limits.
	ErrTooLarge error = errors.New("itsdangerous: too large")
)

// Error describes a token that failed to verify or decode. It matches the
// sentinel of its class with errors.Is, and errors.As reaches it to read the
// signing time, the way Python's exceptions carry date_signed.
//
// The unverified payload that Python keeps in BadSignature.payload is not
// exposed; only the explicitly unsafe loaders hand it out.
type Error struct {
	// Kind is the sentinel of the error's class, such as ErrBadSignature.
	Kind error
	// Reason is the message Python would give, such as
	// "Signature age 11 > 10 seconds". Bytes of the token appear in it as
	// in a Python bytes repr (b'\x1b...'), and Error escapes any control,
	// bidirectional or non-printable character left (safetext), so the
	// message is safe to log or print.
	Reason string
	// SignedAt is the signing time recorded in the token, for
	// timestamped tokens whose timestamp could be read; the zero Time
	// otherwise (Python's date_signed None).
	SignedAt time.Time
	// Age and MaxAge are set for ErrSignatureExpired: the token's age and
	// the allowed maximum, in whole seconds.
	Age, MaxAge time.Duration
	// Err is the underlying cause for ErrBadPayload and ErrTooLarge
	// (Python's original_error), or nil.
	Err error

	payload []byte // unverified payload, for the unsafe API only
	hasPay  bool
}

// Error returns "itsdangerous: " followed by the reason.
func (e *Error) Error() string {
	return errkind.Message("itsdangerous: ", e.Kind, e.Reason, e.Err, ErrTooLarge)
}

// Unwrap returns the class sentinel and the cause, so errors.Is matches
// both.
func (e *Error) Unwrap() []error { return errkind.Unwrap(e.Kind, e.Err) }

func newError(k error, reason string) *Error { return &Error{Kind: k, Reason: reason} }

func (e *Error) withPayload(p []byte) *Error {
	e.payload, e.hasPay = p, true
	return e
}
