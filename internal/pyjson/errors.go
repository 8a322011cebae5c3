package pyjson

import (
	"errors"
	"strconv"
)

// Errors returned by this package. Match them with errors.Is.
var (
	// ErrSyntax reports input that Python's json.loads rejects with a
	// JSONDecodeError.
	ErrSyntax = errors.New("pyjson: syntax error")
	// ErrDepth reports arrays and objects nested deeper than allowed.
	ErrDepth = errors.New("pyjson: nesting too deep")
	// ErrInvalidUTF8 reports input that is not valid UTF-8 (Decode), or a
	// string that cannot be written as UTF-8 (Append).
	ErrInvalidUTF8 = errors.New("pyjson: invalid UTF-8")
	// ErrIntTooLong reports an integer of more than 4300 digits, which
	// Python 3.11 refuses to convert (sys.int_info.default_max_str_digits).
	ErrIntTooLong = errors.New("pyjson: integer has more than 4300 digits")
	// ErrTooManyValues reports input holding more values than
	// Options.MaxValues allows.
	ErrTooManyValues = errors.New("pyjson: too many values")
	// ErrUnsupportedType reports a Go value that Append cannot write.
	ErrUnsupportedType = errors.New("pyjson: unsupported type")
)

// DecodeError is the error returned by Decode. It wraps one of ErrSyntax,
// ErrDepth, ErrInvalidUTF8, ErrIntTooLong or ErrTooManyValues.
type DecodeError struct {
	Offset int    // byte offset in the input where the problem was found
	Msg    string // what was wrong, in lowercase
	Err    error  // the sentinel error
}

// Error implements the error interface: "pyjson: <msg> at offset N".
func (e *DecodeError) Error() string {
	return "pyjson: " + e.Msg + " at offset " + strconv.Itoa(e.Offset)
}

// Unwrap returns the sentinel error.
func (e *DecodeError) Unwrap() error { return e.Err }
