package py

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
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

// ValueOf converts a Go value into the generic value model described in the
// package documentation, walking it the way encoding/json's Marshal does.
//
//   - A value already in the generic model is returned as is, without copying
//     or allocating, when everything it contains is in the model too; a
//     container is copied only when some element needs converting.
//   - A type implementing [Valuer] is converted by calling PyValue, whose
//     result is converted in turn. On a non-pointer type the method is
//     found on the pointer only when the value is addressable, as in
//     encoding/json.
//   - [Tuple], [Dict], [Markup], [UUID], time.Time (any location), big.Int and
//     *big.Int keep their types; the elements of a Tuple or Dict are
//     converted.
//   - Every other type implementing encoding.TextMarshaler becomes the str
//     it returns.
//   - Integers of every kind become int64, except unsigned values above
//     math.MaxInt64, which become *big.Int; float32 becomes float64 (so
//     float32(0.1) is the float 0.10000000149011612); named string types
//     become string.
//   - Byte slices become []byte (bytes), sharing memory with the input.
//     Byte arrays, like every other array and slice, become []any (list),
//     as in encoding/json; only UUID is kept.
//   - A nil slice or map becomes an empty list or dict, as in
//     encoding/json/v2 (encoding/json writes null); a nil pointer or
//     interface becomes nil (None). Pointers and interfaces are followed.
//   - Maps whose keys are of string kind or implement
//     encoding.TextMarshaler become map[string]any.
//   - Structs become map[string]any keyed by exported field name or `json`
//     tag name, with encoding/json's rules: "-" skips a field, omitempty
//     skips false, 0, nil pointers and interfaces, and empty strings,
//     slices and maps (omitzero, from Go 1.24's encoding/json, skips zero
//     values, using an IsZero method if there is one), fields of embedded
//     structs are promoted with Go's visibility rules, unexported fields
//     are skipped. The ",string" option is ignored: the value keeps its
//     Python type. A field tagged `json:",unknown"` (the name of the option
//     in encoding/json/v2), of type map[string]any or [Dict], is the
//     catch-all that [Assign] fills with the keys no other field declares:
//     its entries are written beside the fields, a declared field winning
//     over an entry of the same name (even when omitted by omitempty or
//     omitzero).
//
// Channels, functions, complex numbers, unsafe pointers and maps with other
// key types are reported with an error matching [ErrUnsupportedType]; a value
// nested more than 1000 levels deep (in practice, a cycle) with one matching
// [ErrTooDeep]. The errors name the path to the value, as in "a.b[2]". An
// error from PyValue or MarshalText is wrapped.
func ValueOf(v any) (any, error) {
	out, _, err := convert(v, 0)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// convert converts v, reporting whether the result differs from v.
func convert(v any, depth int) (any, bool, error) {
	switch x := v.(type) {
	case nil, bool, int64, float64, string, []byte, Markup, UUID, time.Time, big.Int:
		return v, false, nil
	case *big.Int:
		if x == nil {
			return nil, true, nil
		}
		return v, false, nil
	case int:
		return int64(x), true, nil
	case int8:
		return int64(x), true, nil
	case int16:
		return int64(x), true, nil
	case int32:
		return int64(x), true, nil
	case uint8:
		return int64(x), true, nil
	case uint16:
		return int64(x), true, nil
	case uint32:
		return int64(x), true, nil
	case uint:
		return fromUint(uint64(x)), true, nil
	case uint64:
		return fromUint(x), true, nil
	case float32:
		return float64(x), true, nil
	// A container that needs no conversion is returned as the original v:
	// boxing the slice again would allocate.
	case []any:
		l, changed, err := convertList(x, depth)
		if err != nil || !changed {
			return v, false, err
		}
		return l, true, nil
	case Tuple:
		l, changed, err := convertList(x, depth)
		if err != nil || !changed {
			return v, false, err
		}
		return Tuple(l), true, nil
	case map[string]any:
		m, changed, err := convertMap(x, depth)
		if err != nil || !changed {
			return v, false, err
		}
		return m, true, nil
	case Dict:
		d, changed, err := convertDict(x, depth)
		if err != nil || !changed {
			return v, false, err
		}
		return d, true, nil
	}
	if depth > maxDepth {
		return nil, false, tooDeep()
	}
	out, err := convertValue(reflect.ValueOf(v), depth)
	return out, true, err
}

func tooDeep() error {
	return &convertError{msg: "value nested more than " + strconv.Itoa(maxDepth) + " levels deep (cyclic?)", err: ErrTooDeep}
}

func fromUint(u uint64) any {
	if u > math.MaxInt64 {
		return new(big.Int).SetUint64(u)
	}
	return int64(u)
}

func convertList(l []any, depth int) ([]any, bool, error) {
	if depth > maxDepth {
		return nil, false, tooDeep()
	}
	var out []any
	for i, e := range l {
		c, changed, err := convert(e, depth+1)
		if err != nil {
			return nil, false, withPath(err, indexSeg(i))
		}
		if changed && out == nil {
			out = make([]any, len(l))
			copy(out, l[:i])
		}
		if out != nil {
			out[i] = c
		}
	}
	if out == nil {
		return nil, false, nil
	}
	return out, true, nil
}

func convertMap(m map[string]any, depth int) (map[string]any, bool, error) {
	if depth > maxDepth {
		return nil, false, tooDeep()
	}
	var out map[string]any
	for k, e := range m {
		c, changed, err := convert(e, depth+1)
		if err != nil {
			return nil, false, withPath(err, k)
		}
		if changed && out == nil {
			out = make(map[string]any, len(m))
			for k2, e2 := range m {
				out[k2] = e2
			}
		}
		if changed {
			out[k] = c
		}
	}
	if out == nil {
		return nil, false, nil
	}
	return out, true, nil
}

func convertDict(d Dict, depth int) (Dict, bool, error) {
	if depth > maxDepth {
		return nil, false, tooDeep()
	}
	var out Dict
	for i, it := range d {
		c, changed, err := convert(it.Value, depth+1)
		if err != nil {
			return nil, false, withPath(err, it.Key)
		}
		if changed && out == nil {
			out = make(Dict, len(d))
			copy(out, d[:i])
		}
		if out != nil {
			out[i] = Item{Key: it.Key, Value: c}
		}
	}
	if out == nil {
		return nil, false, nil
	}
	return out, true, nil
}

// methodValue returns rv or, when only its pointer implements iface and rv
// is addressable, rv.Addr(); ok is false when neither implements iface.
func methodValue(rv reflect.Value, iface reflect.Type) (reflect.Value, bool) {
	t := rv.Type()
	if t.Implements(iface) {
		return rv, rv.CanInterface()
	}
	if t.Kind() != reflect.Pointer && rv.CanAddr() && reflect.PointerTo(t).Implements(iface) {
		a := rv.Addr()
		return a, a.CanInterface()
	}
	return reflect.Value{}, false
}

func unsupported(t reflect.Type) error {
	return &convertError{msg: "unsupported type " + t.String(), err: ErrUnsupportedType}
}

// convertValue converts a value outside the fast path of convert.
func convertValue(rv reflect.Value, depth int) (any, error) {
	if depth > maxDepth {
		return nil, tooDeep()
	}
	if !rv.IsValid() {
		return nil, nil
	}
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
	}
	t := rv.Type()
	if m, ok := methodValue(rv, valuerType); ok {
		pv, err := m.Interface().(Valuer).PyValue()
		if err != nil {
			return nil, &convertError{msg: "PyValue of " + t.String(), err: err}
		}
		out, _, err := convert(pv, depth+1)
		return out, err
	}
	switch t {
	case tupleType, dictType, listType, mapType, markupType, uuidType, timeType, bigIntType, bigIntPtrType:
		if rv.CanInterface() {
			out, _, err := convert(rv.Interface(), depth)
			return out, err
		}
	}
	if m, ok := methodValue(rv, textMarshalerType); ok {
		if m.Kind() == reflect.Pointer && m.IsNil() {
			return nil, nil
		}
		b, err := m.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return nil, &convertError{msg: "MarshalText of " + t.String(), err: err}
		}
		return string(b), nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fromUint(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Interface:
		e := rv.Elem()
		if e.CanInterface() {
			out, _, err := convert(e.Interface(), depth+1)
			return out, err
		}
		return convertValue(e, depth+1)
	case reflect.Pointer:
		return convertValue(rv.Elem(), depth+1)
	case reflect.Slice:
		if isBytes(t) {
			return rv.Bytes(), nil
		}
		if rv.IsNil() {
			return []any{}, nil
		}
		return convertSeq(rv, depth)
	case reflect.Array:
		return convertSeq(rv, depth)
	case reflect.Map:
		return convertReflectMap(rv, depth)
	case reflect.Struct:
		return convertStruct(rv, depth)
	}
	return nil, unsupported(t)
}

// isBytes reports whether the slice type t is written as bytes: its elements
// are bytes without conversion methods of their own, as in encoding/json.
func isBytes(t reflect.Type) bool {
	e := t.Elem()
	if e.Kind() != reflect.Uint8 {
		return false
	}
	p := reflect.PointerTo(e)
	return !e.Implements(valuerType) && !p.Implements(valuerType) &&
		!e.Implements(textMarshalerType) && !p.Implements(textMarshalerType)
}

func convertSeq(rv reflect.Value, depth int) (any, error) {
	n := rv.Len()
	out := make([]any, n)
	for i := 0; i < n; i++ {
		c, err := convertValue(rv.Index(i), depth+1)
		if err != nil {
			return nil, withPath(err, indexSeg(i))
		}
		out[i] = c
	}
	return out, nil
}

func convertReflectMap(rv reflect.Value, depth int) (any, error) {
	t := rv.Type()
	kt := t.Key()
	if kt.Kind() != reflect.String && !kt.Implements(textMarshalerType) {
		return nil, &convertError{msg: "unsupported map key type " + kt.String() + " in " + t.String(), err: ErrUnsupportedType}
	}
	out := make(map[string]any, rv.Len())
	iter := rv.MapRange()
	for iter.Next() {
		k, err := mapKey(iter.Key())
		if err != nil {
			return nil, err
		}
		c, err := convertValue(iter.Value(), depth+1)
		if err != nil {
			return nil, withPath(err, k)
		}
		out[k] = c
	}
	return out, nil
}

func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if k.Kind() == reflect.Pointer && k.IsNil() {
		return "", nil // as encoding/json does
	}
	b, err := k.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return "", &convertError{msg: "MarshalText of map key " + k.Type().String(), err: err}
	}
	return string(b), nil
}

func convertStruct(rv reflect.Value, depth int) (any, error) {
	fields := cachedFields(rv.Type())
	if fields.badUnknown != nil {
		return nil, fields.badUnknown
	}
	out := make(map[string]any, len(fields.list))
	for i := range fields.list {
		f := &fields.list[i]
		fv, ok := fieldForRead(rv, f.index)
		if !ok {
			continue // behind a nil embedded pointer
		}
		if f.omitEmpty && isEmptyValue(fv) || f.omitZero && isZeroValue(fv) {
			continue
		}
		c, err := convertValue(fv, depth+1)
		if err != nil {
			return nil, withPath(err, f.name)
		}
		out[f.name] = c
	}
	if fields.unknown != nil {
		if err := convertUnknown(out, rv, fields, depth); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// convertUnknown adds to out the entries of the struct's `json:",unknown"`
// field whose keys no written field took: a declared field wins.
func convertUnknown(out map[string]any, rv reflect.Value, fields *structFields, depth int) error {
	fv, ok := fieldForRead(rv, fields.unknown)
	if !ok {
		return nil
	}
	d, _ := dictItems(fv.Interface())
	for _, it := range d {
		if _, taken := out[it.Key]; taken {
			continue
		}
		if _, declared := fields.exact[it.Key]; declared {
			continue // omitted by omitempty or omitzero: stays omitted
		}
		c, _, err := convert(it.Value, depth+1)
		if err != nil {
			return withPath(err, it.Key)
		}
		out[it.Key] = c
	}
	return nil
}

// fieldForRead follows index from the struct rv; ok is false when a nil
// embedded pointer is on the way.
func fieldForRead(rv reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 {
			if rv.Kind() == reflect.Pointer {
				if rv.IsNil() {
					return reflect.Value{}, false
				}
				rv = rv.Elem()
			}
		}
		rv = rv.Field(x)
	}
	return rv, true
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

type isZeroer interface{ IsZero() bool }

var isZeroerType = reflect.TypeOf((*isZeroer)(nil)).Elem()

func isZeroValue(v reflect.Value) bool {
	if m, ok := methodValue(v, isZeroerType); ok {
		if m.Kind() == reflect.Pointer && m.IsNil() {
			return true
		}
		if m.Kind() == reflect.Interface && m.IsNil() {
			return true
		}
		return m.Interface().(isZeroer).IsZero()
	}
	return v.IsZero()
}

// field is a struct field as seen by ValueOf and Assign.
type field struct {
	name      string
	folded    string // foldName(name)
	tagged    bool
	index     []int
	typ       reflect.Type
	omitEmpty bool
	omitZero  bool
}

type structFields struct {
	list   []field
	exact  map[string]int // name -> index in list
	folded map[string]int // folded name -> index in list (first field wins)
	// unknown is the index of the field tagged `json:",unknown"`, which
	// holds the keys that no other field declares, or nil.
	unknown []int
	// unknownType is its type: map[string]any or Dict.
	unknownType reflect.Type
	// badUnknown is set when a field tagged `json:",unknown"` has another
	// type: ValueOf and Assign refuse the struct.
	badUnknown error
}

// fieldCache maps a struct type to its *structFields. Like encoding/json's,
// it is a cache of pure functions of the type, not a registry.
var fieldCache sync.Map

func cachedFields(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f, _ := fieldCache.LoadOrStore(t, typeFields(t))
	return f.(*structFields)
}

// typeFields returns the fields encoding/json would use for the struct type
// t, following its algorithm: a breadth-first walk of embedded structs, then
// Go's rules for hiding fields, where a tagged field beats untagged ones at
// the same depth and a tie removes them all.
func typeFields(t reflect.Type) *structFields {
	current := []field{}
	next := []field{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	var fields []field
	var unknown []int
	var unknownType reflect.Type
	var badUnknown error

	for len(next) > 0 {
		current, next = next, current[:0]
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, f := range current {
			if visited[f.typ] {
				continue
			}
			visited[f.typ] = true
			for i := 0; i < f.typ.NumField(); i++ {
				sf := f.typ.Field(i)
				if sf.Anonymous {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !isValidTag(name) {
					name = ""
				}
				index := make([]int, len(f.index)+1)
				copy(index, f.index)
				index[len(f.index)] = i
				if hasOption(opts, "unknown") {
					// The catch-all of keys no field declares: the
					// shallowest one, first in field order.
					switch {
					case sf.Type != mapType && sf.Type != dictType:
						badUnknown = fmt.Errorf("py: field %s tagged \",unknown\" is a %s, not a map[string]any or py.Dict: %w", sf.Name, sf.Type, ErrUnsupportedType)
					case unknown == nil:
						unknown, unknownType = index, sf.Type
					}
					continue
				}

				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					tagged := name != ""
					if name == "" {
						name = sf.Name
					}
					nf := field{
						name:      name,
						folded:    foldName(name),
						tagged:    tagged,
						index:     index,
						typ:       ft,
						omitEmpty: hasOption(opts, "omitempty"),
						omitZero:  hasOption(opts, "omitzero"),
					}
					fields = append(fields, nf)
					if count[f.typ] > 1 {
						// Several embedded structs of the same type at this
						// depth: add a duplicate so that the field is annihilated.
						fields = append(fields, nf)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, field{name: ft.Name(), index: index, typ: ft})
				}
			}
		}
	}

	sort.Slice(fields, func(i, j int) bool {
		x := fields
		if x[i].name != x[j].name {
			return x[i].name < x[j].name
		}
		if len(x[i].index) != len(x[j].index) {
			return len(x[i].index) < len(x[j].index)
		}
		if x[i].tagged != x[j].tagged {
			return x[i].tagged
		}
		return lessIndex(x[i].index, x[j].index)
	})

	out := fields[:0]
	for advance, i := 0, 0; i < len(fields); i += advance {
		fi := fields[i]
		for advance = 1; i+advance < len(fields); advance++ {
			if fields[i+advance].name != fi.name {
				break
			}
		}
		if advance == 1 {
			out = append(out, fi)
			continue
		}
		dup := fields[i : i+advance]
		if len(dup[0].index) == len(dup[1].index) && dup[0].tagged == dup[1].tagged {
			continue // ambiguous: hidden, as in Go
		}
		out = append(out, dup[0])
	}
	fields = out
	sort.Slice(fields, func(i, j int) bool { return lessIndex(fields[i].index, fields[j].index) })

	sf := &structFields{list: fields, exact: make(map[string]int, len(fields)), folded: make(map[string]int, len(fields)),
		unknown: unknown, unknownType: unknownType, badUnknown: badUnknown}
	for i, f := range fields {
		sf.exact[f.name] = i
		if _, ok := sf.folded[f.folded]; !ok {
			sf.folded[f.folded] = i
		}
	}
	return sf
}

func lessIndex(a, b []int) bool {
	for k, x := range a {
		if k >= len(b) {
			return false
		}
		if x != b[k] {
			return x < b[k]
		}
	}
	return len(a) < len(b)
}

func hasOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// isValidTag reports whether s is a tag name encoding/json accepts.
func isValidTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// foldName folds s for the case-insensitive match of dict keys to field
// names, as encoding/json does.
func foldName(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.Map(func(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }, s)
		}
	}
	return s
}

// Assign stores the generic value src into the variable dst points to, the
// way encoding/json's Unmarshal fills Go values. dst must be a non-nil
// pointer; otherwise the error matches [ErrUnsupportedType].
//
//   - An interface{} (such as *any) receives src as is, without copying.
//     Another interface type receives src if src implements it, or fills
//     the non-nil pointer it already holds.
//   - A type implementing [Setter] (usually on its pointer) receives src
//     unchanged through SetPyValue; nil included.
//   - nil (None) sets a pointer, slice, map or interface to nil and leaves
//     any other kind unchanged, like JSON null.
//   - Pointers are allocated as needed.
//   - int (int64, *big.Int, big.Int, and Go int) fills every integer kind
//     when it is in range, every float kind (as Python's float(int) does),
//     and big.Int or *big.Int. float fills float kinds, never integers. A
//     value outside the range of the Go type is an error matching
//     strconv.ErrRange.
//   - str and Markup fill string kinds and Markup; a type implementing
//     encoding.TextUnmarshaler receives them through UnmarshalText, so a
//     UUID accepts a str as [ParseUUID] does. A TextUnmarshaler receiving
//     any other value is filled according to its kind.
//   - bytes fills byte slices (copied) and byte arrays of the same length;
//     str does not fill byte slices.
//   - list and tuple fill slices (always a new slice; an empty list gives an
//     empty, non-nil slice), [Tuple], and arrays of the same length (a
//     length mismatch is an error, where encoding/json would drop or zero
//     elements).
//   - dict (map[string]any or [Dict]) fills a map whose keys have string
//     kind or implement encoding.TextUnmarshaler (a nil map is allocated,
//     an existing one is added to), a Dict (from a map, in sorted key
//     order), and a struct: each key goes to the field with that name or
//     json tag (see [ValueOf]), else to one whose name matches it ignoring
//     case; keys matching no field are ignored, unless the struct has a
//     field tagged `json:",unknown"` (a map[string]any, allocated if nil,
//     or a [Dict], appended to), which receives them with their values as
//     they are, so that [ValueOf] writes them back: a session decoded into
//     a struct and encoded again keeps the keys other code put in it. Keys
//     of a map are visited in sorted order, those of a Dict in order.
//   - bool fills only bool kinds. UUID and datetime (time.Time) fill only
//     their own types, or take a str through UnmarshalText ([ParseUUID], RFC
//     3339); big.Int takes only an int.
//
// Anything else, including a destination such as a channel, is reported with
// an [*AssignError] that matches [ErrTypeMismatch] and names the path to the
// value, as in "a.b[2]" (built from dict keys and list indexes). Assign stops
// at the first error, leaving dst partly filled. A source nested more than
// 1000 levels deep gives an error matching [ErrTooDeep].
func Assign(dst any, src any) error {
	// The common destinations of a decoded session take the generic form
	// as it is, without reflection.
	switch d := dst.(type) {
	case *any:
		if d != nil {
			*d = src
			return nil
		}
	case *map[string]any:
		if m, ok := src.(map[string]any); ok && d != nil && *d == nil {
			*d = m
			return nil
		}
	}
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("py: Assign needs a non-nil pointer, not %T: %w", dst, ErrUnsupportedType)
	}
	err := assign(rv.Elem(), src, 0)
	if e, ok := err.(*AssignError); ok {
		e.Path = joinPath(e.rev)
		e.rev = nil
	}
	return err
}

// TypeName returns the name of the Python type of v, a value of the value
// model, as type(v).__name__ gives it ("NoneType", "int", "tuple",
// "Markup", ...), for messages. Other Go types are named by Go.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, int, *big.Int, big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []byte:
		return "bytes"
	case []any:
		return "list"
	case Tuple:
		return "tuple"
	case map[string]any, Dict:
		return "dict"
	case Markup:
		return "Markup"
	case UUID:
		return "UUID"
	case time.Time:
		return "datetime"
	}
	return fmt.Sprintf("%T", v)
}

func mismatch(src any, t reflect.Type, cause error) error {
	return &AssignError{Value: TypeName(src), Type: t, Err: cause}
}

func assign(dv reflect.Value, src any, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("py: cannot assign a value nested more than %d levels deep (cyclic?): %w", maxDepth, ErrTooDeep)
	}
	// Follow pointers and interfaces holding pointers, allocating as needed.
	for {
		switch dv.Kind() {
		case reflect.Interface:
			if dv.NumMethod() == 0 || src == nil || reflect.TypeOf(src).AssignableTo(dv.Type()) {
				return setValue(dv, src)
			}
			if e := dv.Elem(); e.Kind() == reflect.Pointer && !e.IsNil() {
				dv = e
				continue
			}
			return mismatch(src, dv.Type(), nil)
		case reflect.Pointer:
			if src == nil {
				return setValue(dv, nil)
			}
			if dv.IsNil() {
				if !dv.CanSet() {
					return mismatch(src, dv.Type(), nil)
				}
				dv.Set(reflect.New(dv.Type().Elem()))
			}
			dv = dv.Elem()
			continue
		}
		break
	}
	t := dv.Type()
	if m, ok := methodValue(dv, setterType); ok {
		if err := m.Interface().(Setter).SetPyValue(src); err != nil {
			return mismatch(src, t, err)
		}
		return nil
	}
	if src == nil {
		switch dv.Kind() {
		case reflect.Slice, reflect.Map:
			return setValue(dv, nil)
		}
		return nil
	}
	if !dv.CanSet() {
		return mismatch(src, t, nil)
	}
	switch t {
	case bigIntType:
		n, ok := bigOf(src)
		if !ok {
			return mismatch(src, t, nil)
		}
		dv.Addr().Interface().(*big.Int).Set(n)
		return nil
	case timeType, uuidType:
		if reflect.TypeOf(src) == t {
			dv.Set(reflect.ValueOf(src))
			return nil
		}
		if _, ok := textOf(src); !ok {
			return mismatch(src, t, nil) // only a str goes on to UnmarshalText
		}
	case dictType:
		return assignDict(dv, src)
	}
	if s, ok := textOf(src); ok {
		if m, ok := methodValue(dv, textUnmarshalerType); ok {
			if err := m.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
				return mismatch(src, t, err)
			}
			return nil
		}
	}

	switch dv.Kind() {
	case reflect.Bool:
		b, ok := src.(bool)
		if !ok {
			return mismatch(src, t, nil)
		}
		dv.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, fits, ok := int64Of(src)
		if !ok {
			return mismatch(src, t, nil)
		}
		if !fits || dv.OverflowInt(n) {
			return mismatch(src, t, strconv.ErrRange)
		}
		dv.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, fits, ok := uint64Of(src)
		if !ok {
			return mismatch(src, t, nil)
		}
		if !fits || dv.OverflowUint(n) {
			return mismatch(src, t, strconv.ErrRange)
		}
		dv.SetUint(n)
	case reflect.Float32, reflect.Float64:
		var f float64
		switch x := src.(type) {
		case float64:
			f = x
		case int64:
			f = float64(x)
		case int:
			f = float64(x)
		default:
			n, ok := bigOf(src)
			if !ok {
				return mismatch(src, t, nil)
			}
			f, _ = new(big.Float).SetInt(n).Float64()
			if math.IsInf(f, 0) {
				return mismatch(src, t, strconv.ErrRange)
			}
		}
		if dv.OverflowFloat(f) {
			return mismatch(src, t, strconv.ErrRange)
		}
		dv.SetFloat(f)
	case reflect.String:
		s, ok := textOf(src)
		if !ok {
			return mismatch(src, t, nil)
		}
		dv.SetString(s)
	case reflect.Slice:
		return assignSlice(dv, src, depth)
	case reflect.Array:
		return assignArray(dv, src, depth)
	case reflect.Map:
		return assignMap(dv, src, depth)
	case reflect.Struct:
		return assignStruct(dv, src, depth)
	case reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return mismatch(src, t, ErrUnsupportedType)
	default:
		return mismatch(src, t, nil)
	}
	return nil
}

// setValue sets dv to src, or to its zero value when src is nil.
func setValue(dv reflect.Value, src any) error {
	if !dv.CanSet() {
		return mismatch(src, dv.Type(), nil)
	}
	if src == nil {
		dv.SetZero()
		return nil
	}
	dv.Set(reflect.ValueOf(src))
	return nil
}

// bigOf returns the integer src holds, if it holds one.
func bigOf(src any) (*big.Int, bool) {
	switch x := src.(type) {
	case int64:
		return big.NewInt(x), true
	case int:
		return big.NewInt(int64(x)), true
	case *big.Int:
		if x == nil {
			return nil, false
		}
		return x, true
	case big.Int:
		return &x, true
	}
	return nil, false
}

// int64Of returns the integer src holds (ok) and whether it fits an int64.
func int64Of(src any) (n int64, fits, ok bool) {
	switch x := src.(type) {
	case int64:
		return x, true, true
	case int:
		return int64(x), true, true
	}
	b, ok := bigOf(src)
	if !ok {
		return 0, false, false
	}
	if !b.IsInt64() {
		return 0, false, true
	}
	return b.Int64(), true, true
}

// uint64Of returns the integer src holds (ok) and whether it fits a uint64.
func uint64Of(src any) (n uint64, fits, ok bool) {
	switch x := src.(type) {
	case int64:
		return uint64(x), x >= 0, true
	case int:
		return uint64(x), x >= 0, true
	}
	b, ok := bigOf(src)
	if !ok {
		return 0, false, false
	}
	if !b.IsUint64() {
		return 0, false, true
	}
	return b.Uint64(), true, true
}

// textOf returns the text of a str or Markup.
func textOf(src any) (string, bool) {
	switch x := src.(type) {
	case string:
		return x, true
	case Markup:
		return string(x), true
	}
	return "", false
}

// seqOf returns the elements of a list or tuple.
func seqOf(src any) ([]any, bool) {
	switch x := src.(type) {
	case []any:
		return x, true
	case Tuple:
		return x, true
	}
	return nil, false
}

func assignSlice(dv reflect.Value, src any, depth int) error {
	t := dv.Type()
	if b, ok := src.([]byte); ok && t.Elem().Kind() == reflect.Uint8 {
		s := reflect.MakeSlice(t, len(b), len(b))
		copyBytes(s, b)
		dv.Set(s)
		return nil
	}
	l, ok := seqOf(src)
	if !ok {
		return mismatch(src, t, nil)
	}
	s := reflect.MakeSlice(t, len(l), len(l))
	for i, e := range l {
		if err := assign(s.Index(i), e, depth+1); err != nil {
			return withPath(err, indexSeg(i))
		}
	}
	dv.Set(s)
	return nil
}

func assignArray(dv reflect.Value, src any, depth int) error {
	t := dv.Type()
	if b, ok := src.([]byte); ok && t.Elem().Kind() == reflect.Uint8 {
		if len(b) != dv.Len() {
			return mismatch(src, t, fmt.Errorf("length %d, want %d", len(b), dv.Len()))
		}
		copyBytes(dv, b)
		return nil
	}
	l, ok := seqOf(src)
	if !ok {
		return mismatch(src, t, nil)
	}
	if len(l) != dv.Len() {
		return mismatch(src, t, fmt.Errorf("length %d, want %d", len(l), dv.Len()))
	}
	for i, e := range l {
		if err := assign(dv.Index(i), e, depth+1); err != nil {
			return withPath(err, indexSeg(i))
		}
	}
	return nil
}

// copyBytes copies b into the slice or array dv of a byte kind.
func copyBytes(dv reflect.Value, b []byte) {
	if dv.Type().Elem() == byteType {
		reflect.Copy(dv, reflect.ValueOf(b))
		return
	}
	for i, c := range b { // elements of a named byte type
		dv.Index(i).SetUint(uint64(c))
	}
}

// dictItems returns the items of a dict: a Dict in order, a map in sorted
// key order.
func dictItems(src any) (Dict, bool) {
	switch x := src.(type) {
	case Dict:
		return x, true
	case map[string]any:
		d := make(Dict, 0, len(x))
		for k, v := range x {
			d = append(d, Item{Key: k, Value: v})
		}
		sort.Slice(d, func(i, j int) bool { return d[i].Key < d[j].Key })
		return d, true
	}
	return nil, false
}

func assignDict(dv reflect.Value, src any) error {
	d, ok := dictItems(src)
	if !ok {
		return mismatch(src, dv.Type(), nil)
	}
	if _, isDict := src.(Dict); isDict {
		d = append(Dict(nil), d...)
	}
	dv.Set(reflect.ValueOf(d).Convert(dv.Type()))
	return nil
}

func assignMap(dv reflect.Value, src any, depth int) error {
	t := dv.Type()
	kt := t.Key()
	textKey := reflect.PointerTo(kt).Implements(textUnmarshalerType)
	if !textKey && kt.Kind() != reflect.String {
		return mismatch(src, t, ErrUnsupportedType)
	}
	d, ok := dictItems(src)
	if !ok {
		return mismatch(src, t, nil)
	}
	if dv.IsNil() {
		dv.Set(reflect.MakeMapWithSize(t, len(d)))
	}
	for _, it := range d {
		var kv reflect.Value
		if textKey {
			kp := reflect.New(kt)
			if err := kp.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(it.Key)); err != nil {
				return withPath(mismatch(it.Key, kt, err), it.Key)
			}
			kv = kp.Elem()
		} else {
			kv = reflect.ValueOf(it.Key).Convert(kt)
		}
		ev := reflect.New(t.Elem()).Elem()
		if err := assign(ev, it.Value, depth+1); err != nil {
			return withPath(err, it.Key)
		}
		dv.SetMapIndex(kv, ev)
	}
	return nil
}

func assignStruct(dv reflect.Value, src any, depth int) error {
	t := dv.Type()
	d, ok := dictItems(src)
	if !ok {
		return mismatch(src, t, nil)
	}
	fields := cachedFields(t)
	if fields.badUnknown != nil {
		return mismatch(src, t, fields.badUnknown)
	}
	for _, it := range d {
		i, ok := fields.exact[it.Key]
		if !ok {
			i, ok = fields.folded[foldName(it.Key)]
			if !ok {
				if fields.unknown != nil {
					if err := assignUnknown(dv, fields, it); err != nil {
						return withPath(err, it.Key)
					}
				}
				continue
			}
		}
		f := &fields.list[i]
		fv, err := fieldForWrite(dv, f.index, it.Value)
		if err == nil {
			err = assign(fv, it.Value, depth+1)
		}
		if err != nil {
			return withPath(err, it.Key)
		}
	}
	return nil
}

// assignUnknown stores the item it, whose key no field declares, in the
// struct's `json:",unknown"` field: a map[string]any (allocated if nil) or
// a Dict, appended to. The value is stored as it is, in the generic model.
func assignUnknown(dv reflect.Value, fields *structFields, it Item) error {
	fv, err := fieldForWrite(dv, fields.unknown, it.Value)
	if err != nil {
		return err
	}
	switch fields.unknownType {
	case mapType:
		if fv.IsNil() {
			fv.Set(reflect.MakeMap(mapType))
		}
		fv.SetMapIndex(reflect.ValueOf(it.Key), reflect.ValueOf(&it.Value).Elem())
	default: // dictType
		fv.Set(reflect.Append(fv, reflect.ValueOf(it)))
	}
	return nil
}

// fieldForWrite follows index from the struct dv, allocating nil embedded
// pointers.
func fieldForWrite(dv reflect.Value, index []int, src any) (reflect.Value, error) {
	for i, x := range index {
		if i > 0 && dv.Kind() == reflect.Pointer {
			if dv.IsNil() {
				if !dv.CanSet() {
					// A nil pointer to an unexported embedded struct cannot
					// be allocated through reflection (encoding/json fails too).
					return reflect.Value{}, mismatch(src, dv.Type(), errors.New("nil pointer to unexported embedded struct"))
				}
				dv.Set(reflect.New(dv.Type().Elem()))
			}
			dv = dv.Elem()
		}
		dv = dv.Field(x)
	}
	return dv, nil
}
