package py

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// cmpOpts compares generic values: big integers by value, NaN equal to NaN.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b *big.Int) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.Cmp(b) == 0
	}),
	cmp.Comparer(func(a, b big.Int) bool { return a.Cmp(&b) == 0 }),
	cmpopts.EquateNaNs(),
}

func bigInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("bad big.Int " + s)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

type role string

// textKey has a non-string kind, so maps keyed by it go through
// MarshalText and UnmarshalText.
type textKey struct{ S string }

func (k textKey) MarshalText() ([]byte, error) { return []byte("k:" + k.S), nil }

var errBadKey = errors.New("bad key")

func (k *textKey) UnmarshalText(b []byte) error {
	s, ok := strings.CutPrefix(string(b), "k:")
	if !ok {
		return errBadKey
	}
	k.S = s
	return nil
}

// temp converts itself to and from the tuple ("C", degrees).
type temp struct{ C float64 }

func (t temp) PyValue() (any, error) { return Tuple{"C", t.C}, nil }

var errBadTemp = errors.New("bad temperature")

func (t *temp) SetPyValue(v any) error {
	tu, ok := v.(Tuple)
	if !ok || len(tu) != 2 || tu[0] != "C" {
		return errBadTemp
	}
	f, ok := tu[1].(float64)
	if !ok {
		return errBadTemp
	}
	t.C = f
	return nil
}

// ptrValuer implements Valuer on its pointer only.
type ptrValuer struct{ N int }

func (p *ptrValuer) PyValue() (any, error) { return p.N * 2, nil }

type failValuer struct{}

var errValuer = errors.New("valuer failed")

func (failValuer) PyValue() (any, error) { return nil, errValuer }

type Base struct {
	ID   int `json:"id"`
	Name string
}

type Extra struct {
	Note string `json:"note"`
}

type inner struct {
	Exported string
	hidden   string
}

type withEmbed struct {
	Base
	*Extra
	inner
	Name string // hides Base.Name
}

type A1 struct{ X int }
type A2 struct{ X int }
type conflict struct {
	A1
	A2
	Y int
}

type B1 struct {
	X int `json:"X"`
}
type B2 struct{ X int }
type tagWins struct {
	B1
	B2
}

type nestedEmbed struct {
	Base `json:"base"`
}

type tagged struct {
	Renamed   int            `json:"renamed"`
	Skipped   int            `json:"-"`
	Dash      int            `json:"-,"`
	Omit      string         `json:"omit,omitempty"`
	OmitPtr   *int           `json:"omit_ptr,omitempty"`
	OmitSlice []int          `json:"omit_slice,omitempty"`
	OmitMap   map[string]int `json:"omit_map,omitempty"`
	OmitZero  time.Time      `json:"omit_zero,omitzero"`
	Kept      int            `json:",omitempty"`
	Str       int            `json:"str,string"`
	Bad       int            `json:"a\"b"` // invalid tag name: field name used
	unexp     int
}

type node struct {
	Next *node
}

type hidden struct{ H int }
type withHidden struct {
	*hidden
}

// everything has a field of every supported kind.
type everything struct {
	Bool    bool
	Int     int
	Int8    int8
	Int16   int16
	Int32   int32
	Int64   int64
	Uint    uint
	Uint8   uint8
	Uint16  uint16
	Uint32  uint32
	Uint64  uint64 `json:"u64"`
	Float32 float32
	Float64 float64
	String  string
	Role    role
	Bytes   []byte
	Array   [3]byte
	Ints    []int
	Strs    [2]string
	Nested  [][]float64
	Map     map[string]int
	Roles   map[role][]string
	Keys    map[textKey]bool
	Any     any
	Anys    []any
	Tuple   Tuple
	Dict    Dict
	Markup  Markup
	UUID    UUID
	Time    time.Time
	Big     *big.Int
	BigV    big.Int
	Ptr     *int
	PtrPtr  **string
	NilPtr  *Base
	Struct  Base
	StructP *Base
	Temp    temp
	Text    textKey
	Iface   fmt.Stringer
	Base
	*Extra
}

func TestRoundTrip(t *testing.T) {
	in := everything{
		Bool: true, Int: -1, Int8: math.MinInt8, Int16: math.MaxInt16, Int32: math.MinInt32, Int64: math.MaxInt64,
		Uint: 1, Uint8: math.MaxUint8, Uint16: math.MaxUint16, Uint32: math.MaxUint32, Uint64: math.MaxUint64,
		Float32: 0.1, Float64: math.Inf(1), String: "s\u00e9", Role: "admin",
		Bytes: []byte{0, 255}, Array: [3]byte{1, 2, 3}, Ints: []int{1, 2}, Strs: [2]string{"a", "b"},
		Nested: [][]float64{{1.5}, {}}, Map: map[string]int{"a": 1}, Roles: map[role][]string{"r": {"x"}},
		Keys: map[textKey]bool{{"k"}: true},
		Any:  map[string]any{"deep": []any{int64(1), nil}}, Anys: []any{"x", 2.5},
		Tuple: Tuple{"message", "category"}, Dict: Dict{{"z", int64(1)}, {"a", Tuple{}}},
		Markup: "<b>", UUID: UUID{0xff, 1}, Time: time.Date(2001, 2, 3, 4, 5, 6, 7000, time.UTC),
		Big: bigInt("-340282366920938463463374607431768211456"), BigV: *bigInt("12345678901234567890123"),
		Ptr: ptr(7), PtrPtr: ptr(ptr("pp")), Struct: Base{ID: 1, Name: "n"}, StructP: &Base{ID: 2},
		Temp: temp{36.6}, Text: textKey{"t"}, Iface: UUID{2},
		Base: Base{ID: 3, Name: "promoted"}, Extra: &Extra{Note: "note"},
	}
	v, err := ValueOf(in)
	if err != nil {
		t.Fatalf("ValueOf: %v", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("ValueOf gave %T, want map[string]any", v)
	}
	// Spot checks of the generic form, as documented.
	for key, want := range map[string]any{
		"u64":     bigInt("18446744073709551615"),
		"Int8":    int64(math.MinInt8),
		"Float32": 0.10000000149011612,
		"Role":    "admin",
		"Array":   []any{int64(1), int64(2), int64(3)},
		"Keys":    map[string]any{"k:k": true},
		"Temp":    Tuple{"C", 36.6},
		"Text":    "k:t",
		"NilPtr":  nil,
		"id":      int64(3),
		"note":    "note",
	} {
		if diff := cmp.Diff(want, m[key], cmpOpts); diff != "" {
			t.Errorf("ValueOf(...)[%q] mismatch (-want +got):\n%s", key, diff)
		}
	}
	var out everything
	if err := Assign(&out, v); err != nil {
		t.Fatalf("Assign: %v", err)
	}
	if diff := cmp.Diff(in, out, cmpOpts, cmp.AllowUnexported(temp{}, textKey{})); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}
