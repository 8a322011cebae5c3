package py

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"time"
)

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
		return SortedDict(x), true
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
