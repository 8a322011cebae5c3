package py

import (
	"encoding"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"time"
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
