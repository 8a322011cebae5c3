package py

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAssign(t *testing.T) {
	u := UUID{0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78}
	when := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	type named int16
	type namedByte byte
	type hasPtrs struct {
		P  *int
		PP **string
	}
	tests := []struct {
		name string
		dst  any // pointer to the variable, holding its value before Assign
		src  any
		want any // pointer to the expected value
	}{
		{"bool", new(bool), true, ptr(true)},
		{"int from int64", new(int), int64(-3), ptr(-3)},
		{"int8 max", new(int8), int64(127), ptr(int8(127))},
		{"int8 min", new(int8), int64(-128), ptr(int8(-128))},
		{"named int16", new(named), int64(300), ptr(named(300))},
		{"uint8 max", new(uint8), int64(255), ptr(uint8(255))},
		{"uint64 from big.Int", new(uint64), bigInt("18446744073709551615"), ptr(uint64(math.MaxUint64))},
		{"int64 from big.Int that fits", new(int64), bigInt("-9223372036854775808"), ptr(int64(math.MinInt64))},
		{"int from Go int", new(int), 7, ptr(7)},
		{"uintptr", new(uintptr), int64(9), ptr(uintptr(9))},
		{"float64", new(float64), 1.5, ptr(1.5)},
		{"float32 from float64", new(float32), 0.1, ptr(float32(0.1))},
		{"float32 keeps inf", new(float32), math.Inf(-1), ptr(float32(math.Inf(-1)))},
		{"float64 from int", new(float64), int64(3), ptr(3.0)},
		{"float64 from big int, rounded", new(float64), bigInt("9007199254740993"), ptr(9007199254740992.0)},
		{"string", new(string), "s", ptr("s")},
		{"string from Markup", new(string), Markup("<i>"), ptr("<i>")},
		{"named string", new(role), "admin", ptr(role("admin"))},
		{"Markup from string", new(Markup), "<i>", ptr(Markup("<i>"))},
		{"bytes", new([]byte), []byte("ab"), ptr([]byte("ab"))},
		{"named byte slice", new([]namedByte), []byte{1, 2}, ptr([]namedByte{1, 2})},
		{"byte array from bytes", new([3]byte), []byte{1, 2, 3}, ptr([3]byte{1, 2, 3})},
		{"byte slice from list of ints", new([]byte), []any{int64(1)}, ptr([]byte{1})},
		{"slice from list", new([]int), []any{int64(1), int64(2)}, ptr([]int{1, 2})},
		{"slice from tuple", new([]string), Tuple{"a"}, ptr([]string{"a"})},
		{"empty list gives empty slice", new([]int), []any{}, ptr([]int{})},
		{"slice replaced, not appended to", ptr([]int{9, 9, 9}), []any{int64(1)}, ptr([]int{1})},
		{"array from tuple", new([2]int), Tuple{int64(1), int64(2)}, ptr([2]int{1, 2})},
		{"Tuple from list", new(Tuple), []any{"a", int64(1)}, ptr(Tuple{"a", int64(1)})},
		{"Tuple from tuple", new(Tuple), Tuple{"a"}, ptr(Tuple{"a"})},
		{"[]any from tuple", new([]any), Tuple{nil}, ptr([]any{nil})},
		{"map from dict", new(map[string]int), map[string]any{"a": int64(1)}, ptr(map[string]int{"a": 1})},
		{"map from Dict, last duplicate wins", new(map[string]int), Dict{{"a", int64(1)}, {"a", int64(2)}}, ptr(map[string]int{"a": 2})},
		{"existing map added to", ptr(map[string]int{"old": 0}), map[string]any{"a": int64(1)}, ptr(map[string]int{"old": 0, "a": 1})},
		{"map with named string keys", new(map[role]bool), map[string]any{"admin": true}, ptr(map[role]bool{"admin": true})},
		{"map with TextUnmarshaler keys", new(map[textKey]int), map[string]any{"k:x": int64(1)}, ptr(map[textKey]int{{"x"}: 1})},
		{"map of pointers", new(map[string]*int), map[string]any{"a": int64(1)}, ptr(map[string]*int{"a": ptr(1)})},
		{"Dict from map, sorted", new(Dict), map[string]any{"b": int64(2), "a": int64(1)}, ptr(Dict{{"a", int64(1)}, {"b", int64(2)}})},
		{"Dict from Dict", new(Dict), Dict{{"b", nil}, {"a", "x"}}, ptr(Dict{{"b", nil}, {"a", "x"}})},
		{"UUID", new(UUID), u, ptr(u)},
		{"UUID from str", new(UUID), "{12345678-1234-5678-1234-567812345678}", ptr(u)},
		{"time", new(time.Time), when, ptr(when)},
		{"time from RFC 3339 str", new(time.Time), "2024-05-06T07:08:09.123456Z", ptr(when)},
		{"big.Int pointer", new(*big.Int), bigInt("123456789012345678901234567890"), ptr(bigInt("123456789012345678901234567890"))},
		{"big.Int pointer from int64", new(*big.Int), int64(5), ptr(big.NewInt(5))},
		{"big.Int value", new(big.Int), bigInt("-123456789012345678901234567890"), bigInt("-123456789012345678901234567890")},
		{"pointer allocated", new(*int), int64(1), ptr(ptr(1))},
		{"pointers in struct allocated", new(hasPtrs), map[string]any{"P": int64(1), "PP": "s"}, &hasPtrs{P: ptr(1), PP: ptr(ptr("s"))}},
		{"any receives value as is", new(any), Dict{{"k", 1}}, ptr[any](Dict{{"k", 1}})},
		{"any replaced", ptr[any](1), "s", ptr[any]("s")},
		{"non-empty interface from implementing value", new(fmt.Stringer), u, ptr[fmt.Stringer](u)},
		{"non-empty interface fills pointer it holds", ptr[Setter](&temp{}), Tuple{"C", 2.5}, ptr[Setter](&temp{2.5})},
		{"Setter", new(temp), Tuple{"C", 1.5}, &temp{1.5}},
		{"Setter through pointer", new(*temp), Tuple{"C", 1.5}, ptr(&temp{1.5})},
		{"TextUnmarshaler", new(textKey), "k:v", &textKey{"v"}},
		{"TextUnmarshaler from Markup", new(textKey), Markup("k:v"), &textKey{"v"}},
		{"nil sets pointer to nil", ptr(ptr(1)), nil, new(*int)},
		{"nil sets slice to nil", ptr([]int{1}), nil, new([]int)},
		{"nil sets map to nil", ptr(map[string]int{"a": 1}), nil, new(map[string]int)},
		{"nil sets interface to nil", ptr[any](1), nil, new(any)},
		{"nil leaves int unchanged", ptr(5), nil, ptr(5)},
		{"nil leaves string unchanged", ptr("s"), nil, ptr("s")},
		{"nil leaves struct unchanged", &Base{ID: 1}, nil, &Base{ID: 1}},
		{"struct by tag and name", new(Base), map[string]any{"id": int64(1), "Name": "n"}, &Base{ID: 1, Name: "n"}},
		{"struct from Dict", new(Base), Dict{{"id", int64(1)}, {"id", int64(2)}}, &Base{ID: 2}},
		{"struct matches case-insensitively", new(Base), map[string]any{"ID": int64(1), "name": "n"}, &Base{ID: 1, Name: "n"}},
		{"struct ignores unknown keys", new(Base), map[string]any{"other": []any{}}, &Base{}},
		{"struct keeps fields missing from the dict", &Base{ID: 1, Name: "keep"}, map[string]any{"id": int64(2)}, &Base{ID: 2, Name: "keep"}},
		{"struct ignores skipped and unexported fields", new(tagged), map[string]any{"Skipped": int64(1), "unexp": int64(2), "-": int64(3)},
			&tagged{Dash: 3}},
		{"embedded fields and pointer allocated", new(withEmbed),
			map[string]any{"id": int64(1), "note": "n", "Exported": "e", "Name": "outer"},
			&withEmbed{Base: Base{ID: 1}, Extra: &Extra{Note: "n"}, inner: inner{Exported: "e"}, Name: "outer"}},
		{"nested struct", new(nestedEmbed), map[string]any{"base": map[string]any{"id": int64(4)}}, &nestedEmbed{Base{ID: 4}}},
	}
	opts := append(cmp.Options{cmp.AllowUnexported(withEmbed{}, inner{}, tagged{})}, cmpOpts...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Assign(tt.dst, tt.src); err != nil {
				t.Fatalf("Assign: %v", err)
			}
			if diff := cmp.Diff(tt.want, tt.dst, opts); diff != "" {
				t.Errorf("Assign mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAssignCopiesBytes(t *testing.T) {
	src := []byte("abc")
	var dst []byte
	if err := Assign(&dst, src); err != nil {
		t.Fatal(err)
	}
	src[0] = 'X'
	if string(dst) != "abc" {
		t.Errorf("dst = %q, shares memory with the source", dst)
	}
}

func TestAssignErrors(t *testing.T) {
	type deep struct {
		A struct {
			B []int `json:"b"`
		} `json:"a"`
	}
	type recursive []recursive
	cyclic := []any{nil}
	cyclic[0] = cyclic
	tests := []struct {
		name      string
		dst       any
		src       any
		wantPath  string
		wantValue string
		wantType  reflect.Type
		wantErr   error // also matched, besides ErrTypeMismatch; nil if none
	}{
		{"str is not an int", new(int), "1", "", "str", reflect.TypeOf(0), nil},
		{"float is not an int", new(int), 1.0, "", "float", reflect.TypeOf(0), nil},
		{"bool is not an int", new(int), true, "", "bool", reflect.TypeOf(0), nil},
		{"int is not a bool", new(bool), int64(1), "", "int", reflect.TypeOf(false), nil},
		{"300 overflows int8", new(int8), int64(300), "", "int", reflect.TypeOf(int8(0)), strconv.ErrRange},
		{"-129 overflows int8", new(int8), int64(-129), "", "int", reflect.TypeOf(int8(0)), strconv.ErrRange},
		{"-1 overflows uint", new(uint), int64(-1), "", "int", reflect.TypeOf(uint(0)), strconv.ErrRange},
		{"256 overflows uint8", new(uint8), int64(256), "", "int", reflect.TypeOf(uint8(0)), strconv.ErrRange},
		{"2**64 overflows uint64", new(uint64), bigInt("18446744073709551616"), "", "int", reflect.TypeOf(uint64(0)), strconv.ErrRange},
		{"2**63 overflows int64", new(int64), bigInt("9223372036854775808"), "", "int", reflect.TypeOf(int64(0)), strconv.ErrRange},
		{"1e39 overflows float32", new(float32), 1e39, "", "float", reflect.TypeOf(float32(0)), strconv.ErrRange},
		{"2**1024 overflows float64", new(float64), new(big.Int).Lsh(big.NewInt(1), 1024), "", "int", reflect.TypeOf(0.0), strconv.ErrRange},
		{"str is not a float", new(float64), "1.5", "", "str", reflect.TypeOf(0.0), nil},
		{"bytes are not a str", new(string), []byte("s"), "", "bytes", reflect.TypeOf(""), nil},
		{"str is not bytes", new([]byte), "s", "", "str", reflect.TypeOf([]byte(nil)), nil},
		{"dict is not a list", new([]int), map[string]any{}, "", "dict", reflect.TypeOf([]int(nil)), nil},
		{"list is not a dict", new(map[string]int), []any{}, "", "list", reflect.TypeOf(map[string]int(nil)), nil},
		{"list is not a struct", new(Base), []any{}, "", "list", reflect.TypeOf(Base{}), nil},
		{"str is not a Tuple", new(Tuple), "s", "", "str", reflect.TypeOf(Tuple(nil)), nil},
		{"list is not a Dict", new(Dict), []any{}, "", "list", reflect.TypeOf(Dict(nil)), nil},
		{"int is not a Markup", new(Markup), int64(1), "", "int", reflect.TypeOf(Markup("")), nil},
		{"array length differs", new([2]int), []any{int64(1), int64(2), int64(3)}, "", "list", reflect.TypeOf([2]int{}), nil},
		{"byte array length differs", new([3]byte), []byte("ab"), "", "bytes", reflect.TypeOf([3]byte{}), nil},
		{"bytes are not a UUID", new(UUID), make([]byte, 16), "", "bytes", reflect.TypeOf(UUID{}), nil},
		{"malformed UUID str", new(UUID), "not-a-uuid", "", "str", reflect.TypeOf(UUID{}), ErrBadUUID},
		{"int is not a datetime", new(time.Time), int64(0), "", "int", reflect.TypeOf(time.Time{}), nil},
		{"str is not a big.Int", new(*big.Int), "1", "", "str", reflect.TypeOf(big.Int{}), nil},
		{"float is not a big.Int", new(big.Int), 1.0, "", "float", reflect.TypeOf(big.Int{}), nil},
		{"int does not implement fmt.Stringer", new(fmt.Stringer), int64(1), "", "int", reflect.TypeOf((*fmt.Stringer)(nil)).Elem(), nil},
		{"value outside the model", new(int), struct{}{}, "", "struct {}", reflect.TypeOf(0), nil},
		{"channel destination", new(chan int), int64(1), "", "int", reflect.TypeOf(make(chan int)), ErrUnsupportedType},
		{"complex destination", new(complex128), 1.0, "", "float", reflect.TypeOf(complex128(0)), ErrUnsupportedType},
		{"map with int keys", new(map[int]int), map[string]any{"1": int64(1)}, "", "dict", reflect.TypeOf(map[int]int(nil)), ErrUnsupportedType},
		{"Setter error", new(temp), "warm", "", "str", reflect.TypeOf(temp{}), errBadTemp},
		{"TextUnmarshaler error", new(textKey), "x", "", "str", reflect.TypeOf(textKey{}), errBadKey},
		{"bad TextUnmarshaler map key", new(map[textKey]int), map[string]any{"x": int64(1)}, "x", "str", reflect.TypeOf(textKey{}), errBadKey},
		{"path through struct and slice", new(deep), map[string]any{"a": map[string]any{"b": []any{int64(1), int64(2), "x"}}},
			"a.b[2]", "str", reflect.TypeOf(0), nil},
		{"path uses the dict key as written", new(deep), Dict{{"A", Dict{{"B", Tuple{1.5}}}}}, "A.B[0]", "float", reflect.TypeOf(0), nil},
		{"path through map and array", new(map[string][2]int8), map[string]any{"k": []any{int64(0), int64(1000)}},
			"k[1]", "int", reflect.TypeOf(int8(0)), strconv.ErrRange},
		{"path through nested lists", new([][]string), []any{[]any{}, []any{"a", nil, int64(1)}}, "[1][2]", "int", reflect.TypeOf(""), nil},
		{"nil embedded pointer to unexported struct", new(withHidden), map[string]any{"H": int64(1)}, "H", "int", reflect.TypeOf(&hidden{}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Assign(tt.dst, tt.src)
			var ae *AssignError
			if !errors.As(err, &ae) {
				t.Fatalf("Assign = %v, want *AssignError", err)
			}
			if !errors.Is(err, ErrTypeMismatch) {
				t.Errorf("error %v does not match ErrTypeMismatch", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v does not match %v", err, tt.wantErr)
			}
			if ae.Path != tt.wantPath || ae.Value != tt.wantValue || ae.Type != tt.wantType {
				t.Errorf("AssignError{Path: %q, Value: %q, Type: %v}, want {%q, %q, %v}",
					ae.Path, ae.Value, ae.Type, tt.wantPath, tt.wantValue, tt.wantType)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "py: cannot assign ") || strings.Count(msg, "py: ") != 1 {
				t.Errorf("message %q: want one py: prefix", msg)
			}
			if tt.wantPath != "" && !strings.Contains(msg, strconv.Quote(tt.wantPath)) {
				t.Errorf("message %q does not name the path %q", msg, tt.wantPath)
			}
		})
	}

	t.Run("destination must be a non-nil pointer", func(t *testing.T) {
		for _, dst := range []any{nil, 1, Base{}, (*int)(nil)} {
			err := Assign(dst, int64(1))
			if !errors.Is(err, ErrUnsupportedType) {
				t.Errorf("Assign(%#v) = %v, want ErrUnsupportedType", dst, err)
			}
		}
	})
	t.Run("cyclic source is too deep", func(t *testing.T) {
		var dst recursive
		if err := Assign(&dst, cyclic); !errors.Is(err, ErrTooDeep) {
			t.Errorf("Assign = %v, want ErrTooDeep", err)
		}
	})
	t.Run("stops at the first error", func(t *testing.T) {
		var dst []int
		err := Assign(&dst, []any{int64(1), "x", "y"})
		var ae *AssignError
		if !errors.As(err, &ae) || ae.Path != "[1]" {
			t.Errorf("Assign = %v, want an error at [1]", err)
		}
	})
}
