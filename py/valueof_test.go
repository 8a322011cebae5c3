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

func TestValueOf(t *testing.T) {
	u := UUID{0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78}
	when := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	var nilMap map[string]int
	var nilIface fmt.Stringer
	type bytesType []byte
	tests := []struct {
		name string
		in   any
		want any
	}{
		{"nil", nil, nil},
		{"bool", true, true},
		{"int", 42, int64(42)},
		{"int8", int8(-8), int64(-8)},
		{"uint16", uint16(65535), int64(65535)},
		{"uint64 fits int64", uint64(math.MaxInt64), int64(math.MaxInt64)},
		{"uint64 above int64", uint64(math.MaxUint64), bigInt("18446744073709551615")},
		{"uint above int64", uint(1 << 63), bigInt("9223372036854775808")},
		{"uintptr", uintptr(7), int64(7)},
		{"float32", float32(0.5), 0.5},
		{"float32 widened", float32(0.1), 0.10000000149011612},
		{"NaN kept", math.NaN(), math.NaN()},
		{"named string", role("admin"), "admin"},
		{"Markup kept", Markup("<b>x</b>"), Markup("<b>x</b>")},
		{"UUID kept", u, u},
		{"time kept", when, when},
		{"big.Int pointer kept", bigInt("123456789012345678901234567890"), bigInt("123456789012345678901234567890")},
		{"big.Int value kept", *bigInt("-5"), *bigInt("-5")},
		{"nil big.Int pointer", (*big.Int)(nil), nil},
		{"bytes kept", []byte("ab"), []byte("ab")},
		{"named bytes", bytesType("ab"), []byte("ab")},
		{"byte array is a list", [3]byte{1, 2, 3}, []any{int64(1), int64(2), int64(3)}},
		{"int slice", []int{1, 2}, []any{int64(1), int64(2)}},
		{"nil slice is an empty list", []string(nil), []any{}},
		{"nil map is an empty dict", nilMap, map[string]any{}},
		{"array", [2]string{"a", "b"}, []any{"a", "b"}},
		{"pointer followed", ptr(3), int64(3)},
		{"pointer to pointer", ptr(ptr("s")), "s"},
		{"nil pointer", (*int)(nil), nil},
		{"pointer to Markup", ptr(Markup("m")), Markup("m")},
		{"nil interface in slice", []fmt.Stringer{nilIface}, []any{nil}},
		{"interface unwrapped", []fmt.Stringer{u}, []any{u}},
		{"map with string keys", map[string]int{"a": 1}, map[string]any{"a": int64(1)}},
		{"map with named string keys", map[role]bool{"admin": true}, map[string]any{"admin": true}},
		{"map with TextMarshaler keys", map[textKey]int{{"x"}: 1}, map[string]any{"k:x": int64(1)}},
		{"list elements converted", []any{1, "a", []int{2}}, []any{int64(1), "a", []any{int64(2)}}},
		{"map elements converted", map[string]any{"a": uint8(1), "b": "c"}, map[string]any{"a": int64(1), "b": "c"}},
		{"Tuple elements converted", Tuple{"a", 1}, Tuple{"a", int64(1)}},
		{"Dict values converted, order kept", Dict{{"z", 1}, {"a", int16(2)}}, Dict{{"z", int64(1)}, {"a", int64(2)}}},
		{"Valuer", temp{21.5}, Tuple{"C", 21.5}},
		{"Valuer on pointer, addressable", &struct{ V ptrValuer }{ptrValuer{4}}, map[string]any{"V": int64(8)}},
		{"Valuer on pointer, not addressable", struct{ V ptrValuer }{ptrValuer{4}}, map[string]any{"V": map[string]any{"N": int64(4)}}},
		{"Valuer via pointer", &ptrValuer{5}, int64(10)},
		{"TextMarshaler", textKey{"v"}, "k:v"},
		{"struct tags", tagged{Renamed: 1, Skipped: 2, Dash: 3, Kept: 4, Str: 5, Bad: 6, unexp: 7},
			map[string]any{"renamed": int64(1), "-": int64(3), "Kept": int64(4), "str": int64(5), "Bad": int64(6)}},
		{"omitempty keeps non-empty", tagged{Omit: "o", OmitPtr: ptr(0), OmitSlice: []int{0}, OmitMap: map[string]int{"": 0}, OmitZero: when},
			map[string]any{"renamed": int64(0), "-": int64(0), "omit": "o", "omit_ptr": int64(0), "omit_slice": []any{int64(0)},
				"omit_map": map[string]any{"": int64(0)}, "omit_zero": when, "str": int64(0), "Bad": int64(0)}},
		{"embedded flattened, nil embedded pointer skipped",
			withEmbed{Base: Base{ID: 1, Name: "hidden"}, inner: inner{Exported: "e", hidden: "h"}, Name: "outer"},
			map[string]any{"id": int64(1), "Exported": "e", "Name": "outer"}},
		{"embedded pointer followed",
			withEmbed{Extra: &Extra{Note: "n"}},
			map[string]any{"id": int64(0), "note": "n", "Exported": "", "Name": ""}},
		{"ambiguous embedded fields dropped", conflict{A1{1}, A2{2}, 3}, map[string]any{"Y": int64(3)}},
		{"tagged embedded field wins", tagWins{B1{1}, B2{2}}, map[string]any{"X": int64(1)}},
		{"tagged embedded struct nests", nestedEmbed{Base{ID: 1, Name: "n"}}, map[string]any{"base": map[string]any{"id": int64(1), "Name": "n"}}},
		{"struct in interface", map[string]any{"b": Base{ID: 2}}, map[string]any{"b": map[string]any{"id": int64(2), "Name": ""}}},
		{"nil map inside generic map", map[string]any{"m": map[string]any(nil)}, map[string]any{"m": map[string]any(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValueOf(tt.in)
			if err != nil {
				t.Fatalf("ValueOf: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("ValueOf mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValueOfErrors(t *testing.T) {
	cyclicMap := map[string]any{}
	cyclicMap["self"] = cyclicMap
	cyclicList := []any{nil}
	cyclicList[0] = cyclicList
	cyclicNode := &node{}
	cyclicNode.Next = cyclicNode
	type withChan struct {
		A struct {
			C chan int `json:"c"`
		} `json:"a"`
	}
	tests := []struct {
		name     string
		in       any
		want     error
		wantPath string // quoted in the message when not empty
	}{
		{"channel has no Python type", make(chan int), ErrUnsupportedType, ""},
		{"function has no Python type", func() {}, ErrUnsupportedType, ""},
		{"complex has no Python type", complex(1, 2), ErrUnsupportedType, ""},
		{"int map keys are not str", map[int]string{1: "a"}, ErrUnsupportedType, ""},
		{"path through generic containers", map[string]any{"a": map[string]any{"b": []any{1, 2, complex64(3)}}}, ErrUnsupportedType, "a.b[2]"},
		{"path through struct fields", withChan{}, ErrUnsupportedType, "a.c"},
		{"path through Dict and Tuple", Dict{{"d", Tuple{make(chan int)}}}, ErrUnsupportedType, "d[0]"},
		{"cyclic map", cyclicMap, ErrTooDeep, ""},
		{"cyclic list", cyclicList, ErrTooDeep, ""},
		{"cyclic pointers", cyclicNode, ErrTooDeep, ""},
		{"PyValue error wrapped", []any{failValuer{}}, errValuer, "[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValueOf(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ValueOf = %v, %v; want error matching %v", got, err, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "py: ") {
				t.Errorf("message %q lacks the py: prefix", msg)
			}
			if tt.wantPath != "" && !strings.Contains(msg, strconv.Quote(tt.wantPath)) {
				t.Errorf("message %q does not name path %q", msg, tt.wantPath)
			}
		})
	}
}

func TestValueOfNoCopy(t *testing.T) {
	generic := map[string]any{
		"user_id": int64(42),
		"list":    []any{"a", 1.5, nil, []byte("b"), Tuple{true}},
		"dict":    Dict{{"k", Markup("m")}},
		"big":     bigInt("99999999999999999999"),
		"when":    time.Unix(0, 0).UTC(),
		"uuid":    UUID{1},
	}
	got, err := ValueOf(generic)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.ValueOf(got).UnsafePointer() != reflect.ValueOf(generic).UnsafePointer() {
		t.Error("ValueOf copied a map that was already generic")
	}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := ValueOf(generic); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("ValueOf(generic map) allocates %v times, want 0", allocs)
	}

	withInt := map[string]any{"user_id": 42}
	allocs = testing.AllocsPerRun(100, func() {
		if _, err := ValueOf(withInt); err != nil {
			t.Fatal(err)
		}
	})
	// A new map is needed for the int64; that is all.
	if allocs > 3 {
		t.Errorf("ValueOf(map with an int) allocates %v times, want at most 3", allocs)
	}
	got, _ = ValueOf(withInt)
	if diff := cmp.Diff(map[string]any{"user_id": int64(42)}, got); diff != "" {
		t.Errorf("ValueOf mismatch (-want +got):\n%s", diff)
	}
	if withInt["user_id"] != 42 {
		t.Error("ValueOf modified its input")
	}
}

func BenchmarkValueOf(b *testing.B) {
	for _, bm := range []struct {
		name string
		v    any
	}{
		{"int64 (baseline, already generic)", map[string]any{"user_id": int64(42)}},
		{"int", map[string]any{"user_id": 42}},
		{"struct", struct {
			UserID int `json:"user_id"`
		}{42}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := ValueOf(bm.v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
