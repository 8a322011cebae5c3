package py

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fuzzTarget has fields of many kinds for FuzzAssign.
type fuzzTarget struct {
	B    bool
	I    int
	I8   int8
	U8   uint8
	U64  uint64
	F32  float32
	F64  float64
	S    string
	Bs   []byte
	Arr  [2]int16
	BArr [2]byte
	Sl   []string
	M    map[string]int
	MK   map[textKey]string
	P    *int
	PP   **string
	Any  any
	Tup  Tuple
	D    Dict
	Mk   Markup
	UU   UUID
	T    time.Time
	Big  *big.Int
	BigV big.Int
	Tmp  temp
	Txt  textKey
	Str  fmt.Stringer
	In   *fuzzTarget
	Ins  []fuzzTarget
	Base
	*Extra
}

// fuzzAll adds destinations Assign must refuse.
type fuzzAll struct {
	fuzzTarget
	Ch chan int
	Fn func()
	C  complex64
}

var fuzzKeys = []string{"B", "I", "i8", "U8", "U64", "F32", "F64", "S", "Bs", "Arr", "BArr", "Sl", "M", "MK",
	"P", "PP", "Any", "Tup", "D", "Mk", "UU", "T", "Big", "BigV", "Tmp", "Txt", "Str", "In", "Ins",
	"id", "Name", "note", "Ch", "Fn", "C", "nope", "k:a", "C"}

// fuzzValue builds a generic value from b, returning the bytes left over.
func fuzzValue(b []byte, depth int) (any, []byte) {
	if len(b) == 0 {
		return nil, b
	}
	op := b[0]
	b = b[1:]
	take := func(n int) []byte {
		if n > len(b) {
			n = len(b)
		}
		t := b[:n]
		b = b[n:]
		return t
	}
	count := func() int {
		if len(b) == 0 {
			return 0
		}
		return int(take(1)[0] % 5)
	}
	switch op % 14 {
	case 0:
		return nil, b
	case 1:
		return op&0x80 != 0, b
	case 2:
		var x [8]byte
		copy(x[:], take(int(op>>4)%9))
		return int64(binary.LittleEndian.Uint64(x[:])), b
	case 3:
		n := new(big.Int).SetBytes(take(int(op>>4) + 1))
		if op&0x80 != 0 {
			n.Neg(n)
		}
		return n, b
	case 4:
		var x [8]byte
		copy(x[:], take(8))
		return math.Float64frombits(binary.LittleEndian.Uint64(x[:])), b
	case 5:
		return string(take(count() * 3)), b
	case 6:
		return append([]byte{}, take(count())...), b
	case 7, 8, 9, 10:
		n := count()
		var l []any
		var d Dict
		for i := 0; i < n && depth < 8; i++ {
			var v any
			if op%14 >= 9 {
				k := ""
				if len(b) > 0 {
					k = fuzzKeys[int(take(1)[0])%len(fuzzKeys)]
				}
				v, b = fuzzValue(b, depth+1)
				d = append(d, Item{k, v})
				continue
			}
			v, b = fuzzValue(b, depth+1)
			l = append(l, v)
		}
		switch op % 14 {
		case 7:
			return l, b
		case 8:
			return Tuple(l), b
		case 9:
			m := map[string]any{}
			for _, it := range d {
				m[it.Key] = it.Value
			}
			return m, b
		}
		return d, b
	case 11:
		return Markup(take(count())), b
	case 12:
		var u UUID
		copy(u[:], take(16))
		return u, b
	}
	var x [4]byte
	copy(x[:], take(4))
	return time.Unix(int64(int32(binary.LittleEndian.Uint32(x[:]))), int64(op)*1000).UTC(), b
}

func FuzzAssign(f *testing.F) {
	// Assorted dicts (ops 9 and 10 with keys from fuzzKeys), lists and scalars.
	for _, seed := range [][]byte{
		{},
		{9, 3, 1, 2, 1, 2, 0x12, 0x34},
		{10, 4, 2, 5, 2, 'a', 'b', 'c', 'd', 'e'},
		{7, 2, 2, 4, 4, 1, 2, 3, 4, 5, 6, 7, 8},
		{9, 4, 27, 9, 1, 29, 2, 10, 2, 6, 11, 4, 0, 28, 9, 2, 1, 2, 2, 0x7f},
		{9, 2, 23, 0xe3, 5, 4, 5, 1, 2, 3, 4},
		// {"In": {"id": 5, "note": "abc"}, "Tup": ("msg", "cat"), "UU": UUID, "Any": [True, b"\xff\x00"]}
		{9, 4, 27, 9, 2, 29, 16, 5, 31, 5, 1, 'a', 'b', 'c', 17, 8, 2, 5, 1, 'm', 's', 'g', 5, 1, 'c', 'a', 't',
			20, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 7, 2, 141, 6, 2, 0xff, 0x00},
	} {
		f.Add(seed)
	}
	opts := append(cmp.Options{cmpopts.EquateEmpty(), cmp.AllowUnexported(temp{}, textKey{})}, cmpOpts...)
	f.Fuzz(func(t *testing.T, data []byte) {
		src, _ := fuzzValue(data, 0)
		if _, err := ValueOf(src); err != nil {
			t.Fatalf("ValueOf(%#v) of a generic value: %v", src, err)
		}
		var all fuzzAll
		if err := Assign(&all, src); err != nil {
			var ae *AssignError
			if !errors.As(err, &ae) || !errors.Is(err, ErrTypeMismatch) {
				t.Fatalf("Assign error %v is not an *AssignError", err)
			}
			return
		}
		// What Assign stored converts back and assigns again to the same value.
		v, err := ValueOf(all.fuzzTarget)
		if err != nil {
			t.Fatalf("ValueOf(%+v): %v", all.fuzzTarget, err)
		}
		var again fuzzTarget
		if err := Assign(&again, v); err != nil {
			t.Fatalf("Assign(ValueOf(...)): %v", err)
		}
		if diff := cmp.Diff(all.fuzzTarget, again, opts); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
	})
}
