package django

import (
	"errors"
	"strings"
	"time"
)

// kind is a sentinel error that may refine another, so that one errors.Is
// matches every level of Django's class hierarchy.
type kind struct {
	msg    string
	parent error
}

func (k *kind) Error() string { return k.msg }
func (k *kind) Unwrap() error { return k.parent }

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
	ErrBadSignature     error = &kind{"django: bad signature", nil}
	ErrSignatureExpired error = &kind{"django: signature expired", ErrBadSignature}
	ErrMalformed        error = &kind{"django: malformed signed data", nil}

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
	// "ValueError: substring not found".
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
	var b strings.Builder
	b.WriteString("django: ")
	if e.Reason != "" {
		b.WriteString(e.Reason)
	} else {
		b.WriteString(strings.TrimPrefix(e.Kind.Error(), "django: "))
	}
	if e.Err != nil && e.Err != ErrTooLarge {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the class sentinel and the cause, so errors.Is matches
// both.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func malformed(reason string, cause error) *Error {
	return &Error{Kind: ErrMalformed, Reason: reason, Err: cause}
}
