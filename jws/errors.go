package jws

import "github.com/flaskcookie/flaskcookie/itsdangerous"

// badHeader is the sentinel of Python's BadHeader, a subclass of
// BadSignature: it unwraps to itsdangerous.ErrBadSignature.
type badHeader struct{}

func (badHeader) Error() string { return "jws: bad header" }
func (badHeader) Unwrap() error { return itsdangerous.ErrBadSignature }

// ErrBadHeader matches the errors of Python's itsdangerous.exc.BadHeader:
// a header that is not base64, not JSON or not a JSON object, an "alg"
// other than the serializer's, and an "exp" that is not an IntDate. As
// BadHeader subclasses BadSignature, ErrBadHeader also matches
// itsdangerous.ErrBadSignature (and ErrBadData).
//
// The errors themselves are *itsdangerous.Error values whose Kind is
// ErrBadHeader, so errors.As reaches the reason.
var ErrBadHeader error = badHeader{}

// ErrConfig is matched by every error New and NewTimed return for a bad
// option or algorithm; it also matches itsdangerous.ErrConfig.
var ErrConfig error = configError{}

type configError struct{}

func (configError) Error() string { return "jws: invalid configuration" }
func (configError) Unwrap() error { return itsdangerous.ErrConfig }

func newError(kind error, reason string, cause error) *itsdangerous.Error {
	return &itsdangerous.Error{Kind: kind, Reason: reason, Err: cause}
}
