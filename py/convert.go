package py

import (
	"encoding"
	"errors"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// maxDepth bounds how deeply [ValueOf] and [Assign] descend into nested
// values, so that a cyclic value is reported as [ErrTooDeep] instead of
// overflowing the stack.
const maxDepth = 1000

// ErrUnsupportedType is matched (with errors.Is) by the error [ValueOf]
// returns for a Go value that has no Python counterpart: a channel, a
// function, a complex number, an unsafe.Pointer, or a map whose keys are not
// strings. [Assign] reports destinations of those kinds with an
// [*AssignError] that matches it too, and it is also matched when the
// destination given to Assign is not a non-nil pointer.
var ErrUnsupportedType = errors.New("py: unsupported type")

// ErrTypeMismatch is matched (with errors.Is) by every [*AssignError]: the
// value cannot be stored in the Go variable, because its Python type does not
// fit the Go type or it is out of the Go type's range.
var ErrTypeMismatch = errors.New("py: type mismatch")

// ErrTooDeep is matched (with errors.Is) by the error [ValueOf] and [Assign]
// return for a value nested more than 1000 levels deep, which in practice
// means a cyclic value.
var ErrTooDeep = errors.New("py: value nested too deeply")

// Valuer is implemented by Go types that convert themselves to the generic
// value model. [ValueOf] calls PyValue and converts its result in turn (so it
// may return, say, an int or a struct). It plays the role of json.Marshaler.
type Valuer interface {
	PyValue() (any, error)
}

// Setter is implemented by Go types that fill themselves from a generic
// value. [Assign] calls SetPyValue with the value unchanged, including nil.
// It plays the role of json.Unmarshaler; implement it on the pointer type.
type Setter interface {
	SetPyValue(v any) error
}

// AssignError describes a value that [Assign] could not store. It matches
// [ErrTypeMismatch], and also Err when Err is set.
type AssignError struct {
	// Path locates the value inside the source: dict keys joined by dots
	// and list indexes in brackets, such as "a.b[2]". It is empty when the
	// source value itself did not fit.
	Path string
	// Value is the Python type name of the value ("int", "str", "dict",
	// "None", ...) or, for a value outside the generic model, its Go type.
	Value string
	// Type is the Go type that could not receive the value.
	Type reflect.Type
	// Err is the cause when there is one: strconv.ErrRange for a number out
	// of range, ErrUnsupportedType for a destination such as a channel,
	// ErrBadUUID, or the error returned by SetPyValue or UnmarshalText.
	Err error

	rev []string // path segments, innermost first, while unwinding
}

// Error implements the error interface.
func (e *AssignError) Error() string {
	typ := "<nil>"
	if e.Type != nil {
		typ = e.Type.String()
	}
	s := "py: cannot assign " + e.Value + " to Go value of type " + typ
	if e.Path != "" {
		s += " at " + strconv.Quote(e.Path)
	}
	if e.Err != nil {
		s += ": " + strings.TrimPrefix(e.Err.Error(), "py: ")
	}
	return s
}

// Unwrap returns [ErrTypeMismatch] and Err, if set.
func (e *AssignError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrTypeMismatch}
	}
	return []error{ErrTypeMismatch, e.Err}
}

// convertError is the error returned by ValueOf.
type convertError struct {
	rev []string // path segments, innermost first
	msg string   // what went wrong, without the "py: " prefix or the path
	err error    // the sentinel or cause it wraps
}

func (e *convertError) Error() string {
	s := "py: " + e.msg
	if p := joinPath(e.rev); p != "" {
		s += " at " + strconv.Quote(p)
	}
	if e.err != ErrUnsupportedType && e.err != ErrTooDeep {
		s += ": " + strings.TrimPrefix(e.err.Error(), "py: ")
	}
	return s
}

func (e *convertError) Unwrap() error { return e.err }

// joinPath turns segments, innermost first, into "a.b[2]".
func joinPath(rev []string) string {
	var b strings.Builder
	for i := len(rev) - 1; i >= 0; i-- {
		s := rev[i]
		if b.Len() > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func indexSeg(i int) string { return "[" + strconv.Itoa(i) + "]" }

// withPath adds a path segment to an error on its way out of a container.
func withPath(err error, seg string) error {
	switch e := err.(type) {
	case *convertError:
		e.rev = append(e.rev, seg)
	case *AssignError:
		e.rev = append(e.rev, seg)
	}
	return err
}

var (
	valuerType          = reflect.TypeOf((*Valuer)(nil)).Elem()
	setterType          = reflect.TypeOf((*Setter)(nil)).Elem()
	textMarshalerType   = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	textUnmarshalerType = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
	tupleType           = reflect.TypeOf(Tuple(nil))
	dictType            = reflect.TypeOf(Dict(nil))
	markupType          = reflect.TypeOf(Markup(""))
	uuidType            = reflect.TypeOf(UUID{})
	timeType            = reflect.TypeOf(time.Time{})
	bigIntType          = reflect.TypeOf(big.Int{})
	bigIntPtrType       = reflect.TypeOf((*big.Int)(nil))
	listType            = reflect.TypeOf([]any(nil))
	mapType             = reflect.TypeOf(map[string]any(nil))
	byteType            = reflect.TypeOf(byte(0))
)
