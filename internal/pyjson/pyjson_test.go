package pyjson

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/py"
)

// Expected strings in this file come from /usr/bin/python3 (CPython 3.11.2)
// json.dumps / json.loads, or from the spec (wire-formats.md §0.5) where
// noted; none were produced by this package.

func TestAppendGoTypes(t *testing.T) {
	huge, _ := new(big.Int).SetString("-1267650600228229401496703205376", 10) // -2**100
	tests := []struct {
		name string
		v    any
		want string
	}{
		// json.dumps([-128, 2**64-1, 2**63, 65535])
		{name: "int kinds", v: []any{int8(-128), uint64(math.MaxUint64), uint64(1 << 63), uint16(65535)},
			want: "[-128, 18446744073709551615, 9223372036854775808, 65535]"},
		{name: "int uint uintptr int16 int32 uint8 uint32", v: []any{int(-1), uint(1), uintptr(2), int16(-3), int32(4), uint8(255), uint32(5)},
			want: "[-1, 1, 2, -3, 4, 255, 5]"},
		{name: "big.Int pointer", v: huge, want: "-1267650600228229401496703205376"},
		{name: "big.Int value", v: *huge, want: "-1267650600228229401496703205376"},
		// struct.unpack("f", struct.pack("f", 0.1))[0] is 0.10000000149011612
		{name: "float32 widened", v: float32(0.1), want: "0.10000000149011612"},
		{name: "float32 integral", v: float32(3), want: "3.0"},
		{name: "markup", v: py.Markup("<b>"), want: `"<b>"`},
		{name: "nil slice is an empty list", v: []any(nil), want: "[]"},
		{name: "nil map is an empty dict", v: map[string]any(nil), want: "{}"},
		{name: "nil py.Dict is an empty dict", v: py.Dict(nil), want: "{}"},
		// Go maps are always sorted, even without SortKeys:
		// json.dumps({"b": 1, "a": 2, "é": 3}, sort_keys=True)
		{name: "map sorted", v: map[string]any{"b": 1, "a": 2, "é": 3}, want: `{"a": 2, "b": 1, "\u00e9": 3}`},
		// json.dumps({"id": 42, "name": "Zoë", "score": 1e16})
		{name: "dict in order", v: py.Dict{{Key: "id", Value: 42}, {Key: "name", Value: "Zoë"}, {Key: "score", Value: 1e16}},
			want: `{"id": 42, "name": "Zo\u00eb", "score": 1e+16}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Append(nil, tt.v, Dialect{ASCII: true})
			if err != nil || string(got) != tt.want {
				t.Errorf("Append(%#v) = %s, %v; want %s", tt.v, got, err, tt.want)
			}
		})
	}
}

func TestAppendDialects(t *testing.T) {
	v := py.Dict{{Key: "user", Value: "Zoë"}, {Key: "_fresh", Value: false}, {Key: "n", Value: 1.0}}
	tests := []struct {
		name string
		d    Dialect
		want string
	}{
		// json.dumps(v, separators=(",", ":"), ensure_ascii=False)
		{name: "URL-safe serializer", d: Dialect{Compact: true}, want: `{"user":"Zoë","_fresh":false,"n":1.0}`},
		// json.dumps(v, separators=(",", ":"), sort_keys=True)
		{name: "Flask session", d: Dialect{Compact: true, ASCII: true, SortKeys: true}, want: `{"_fresh":false,"n":1.0,"user":"Zo\u00eb"}`},
		// json.dumps(v, ensure_ascii=False, sort_keys=True)
		{name: "default separators sorted raw", d: Dialect{SortKeys: true}, want: `{"_fresh": false, "n": 1.0, "user": "Zoë"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Append(nil, v, tt.d)
			if err != nil || string(got) != tt.want {
				t.Errorf("Append = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

type point struct{ X int }

func TestAppendErrors(t *testing.T) {
	cyclic := []any{nil}
	cyclic[0] = cyclic
	tests := []struct {
		name    string
		v       any
		d       Dialect
		wantErr error
		why     string
	}{
		{name: "bytes", v: []byte("x"), wantErr: ErrUnsupportedType, why: "Python's json cannot write bytes"},
		{name: "uuid", v: py.UUID{}, wantErr: ErrUnsupportedType, why: "Python's json cannot write uuid.UUID"},
		{name: "time", v: time.Unix(0, 0), wantErr: ErrUnsupportedType, why: "Python's json cannot write datetime"},
		{name: "typed slice", v: []string{"a"}, wantErr: ErrUnsupportedType, why: "only []any and py.Tuple are lists"},
		{name: "typed map", v: map[string]int{"a": 1}, wantErr: ErrUnsupportedType, why: "only map[string]any and py.Dict are dicts"},
		{name: "struct", v: point{1}, wantErr: ErrUnsupportedType, why: "structs are not in the value model"},
		{name: "nil big.Int", v: (*big.Int)(nil), wantErr: ErrUnsupportedType, why: "a nil *big.Int has no value"},
		{name: "nested unsupported", v: map[string]any{"a": []any{1, []byte{}}}, wantErr: ErrUnsupportedType, why: "bytes deep inside"},
		{name: "invalid UTF-8", v: "a\xffb", d: Dialect{ASCII: true}, wantErr: ErrInvalidUTF8, why: "0xFF never occurs in UTF-8"},
		{name: "invalid UTF-8 raw", v: "a\xffb", wantErr: ErrInvalidUTF8, why: "0xFF never occurs in UTF-8"},
		{name: "overlong", v: "\xc0\xaf", d: Dialect{ASCII: true}, wantErr: ErrInvalidUTF8, why: "overlong encodings are not UTF-8"},
		{name: "truncated surrogate", v: "\xed\xa0", d: Dialect{ASCII: true}, wantErr: ErrInvalidUTF8, why: "a WTF-8 surrogate needs 3 bytes"},
		{name: "bad surrogate continuation", v: "\xed\xa0\x41", d: Dialect{ASCII: true}, wantErr: ErrInvalidUTF8, why: "third byte is not a continuation byte"},
		{name: "invalid key", v: map[string]any{"\xff": 1}, d: Dialect{ASCII: true}, wantErr: ErrInvalidUTF8, why: "keys are strings too"},
		{name: "surrogate raw", v: "\xed\xa0\x80", wantErr: ErrInvalidUTF8, why: "Python's output could not be encoded to UTF-8"},
		{name: "surrogate key raw", v: py.Dict{{Key: "\xed\xbf\xbf", Value: 1}}, wantErr: ErrInvalidUTF8, why: "Python's output could not be encoded to UTF-8"},
		{name: "cyclic", v: cyclic, wantErr: ErrDepth, why: "Python raises 'Circular reference detected'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Append([]byte("x"), tt.v, tt.d)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Append = %q, %v; want %v because %s", got, err, tt.wantErr, tt.why)
			}
			if string(got) != "x" {
				t.Errorf("Append returned %q on error; want dst unchanged", got)
			}
			if !strings.HasPrefix(err.Error(), "pyjson: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestAppendUnsupportedNamesType(t *testing.T) {
	_, err := Append(nil, []string{"a"}, Dialect{})
	if err == nil || !strings.Contains(err.Error(), "[]string") {
		t.Errorf("error %v does not name the Go type []string", err)
	}
}

// TestAppendWTF8 uses the escapes json.dumps writes for str values holding
// lone surrogates (wire-formats.md §0.5: lowercase \uXXXX; a str holding
// "\ud83d\ude00" as two code points prints as two escapes).
func TestAppendWTF8(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want string
	}{
		{name: "lone high", s: "\xed\xa0\x80", want: `"\ud800"`},
		{name: "lone low", s: "x\xed\xbf\xbfy", want: `"x\udfffy"`},
		{name: "pair in WTF-8 form", s: "\xed\xa0\xbd\xed\xb8\x80", want: `"\ud83d\ude00"`},
		{name: "next to real emoji", s: "\xed\xa0\xbd😀", want: `"\ud83d\ud83d\ude00"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendString(nil, tt.s, true)
			if err != nil || string(got) != tt.want {
				t.Errorf("AppendString = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

// TestAppendFloat covers the repr rules of wire-formats.md §0.5.
func TestAppendFloat(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{1.0, "1.0"}, {0.1, "0.1"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"}, {1e-5, "1e-05"},
		{1e-4, "0.0001"}, {2.5e-7, "2.5e-07"}, {1.5e300, "1.5e+300"}, {math.Copysign(0, -1), "-0.0"},
		{math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"}, {math.NaN(), "NaN"},
		{123.456, "123.456"}, {-0.00012, "-0.00012"}, {1234567890123456.7, "1234567890123456.8"},
	}
	for _, tt := range tests {
		if got := string(AppendFloat([]byte("p"), tt.f)); got != "p"+tt.want {
			t.Errorf("AppendFloat(%v) = %s; want p%s", tt.f, got, tt.want)
		}
	}
}

func TestAppendIntBigInt(t *testing.T) {
	if got := string(AppendInt(nil, math.MinInt64)); got != "-9223372036854775808" {
		t.Errorf("AppendInt = %s", got)
	}
	b := new(big.Int).Lsh(big.NewInt(1), 64) // 2**64
	if got := string(AppendBigInt([]byte("["), b)); got != "[18446744073709551616" {
		t.Errorf("AppendBigInt = %s", got)
	}
}

func TestDecodeDepth(t *testing.T) {
	nest := func(open, close string, n int) []byte {
		return []byte(strings.Repeat(open, n) + "1" + strings.Repeat(close, n))
	}
	tests := []struct {
		name    string
		data    []byte
		max     int
		wantErr error
	}{
		{name: "arrays at default limit", data: nest("[", "]", DefaultMaxDepth)},
		{name: "arrays over default limit", data: nest("[", "]", DefaultMaxDepth+1), wantErr: ErrDepth},
		{name: "objects at default limit", data: nest(`{"a":`, "}", DefaultMaxDepth)},
		{name: "objects over default limit", data: nest(`{"a":`, "}", DefaultMaxDepth+1), wantErr: ErrDepth},
		{name: "mixed at custom limit", data: []byte(`[{"a":[1]}]`), max: 3},
		{name: "mixed over custom limit", data: []byte(`[{"a":[[]]}]`), max: 3, wantErr: ErrDepth},
		{name: "siblings do not add up", data: []byte(`[[],[],[[]],{}]`), max: 3},
		{name: "unclosed beyond limit", data: []byte(strings.Repeat("[", 1<<20)), wantErr: ErrDepth},
		{name: "above Python's limit", data: nest("[", "]", 2000), max: 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.data, Options{MaxDepth: tt.max})
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Decode error = %v; want %v", err, tt.wantErr)
			}
		})
	}
}

func TestDecodeErrorOffset(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		offset  int
		wantErr error
	}{
		{name: "extra data after value", data: `[1] x`, offset: 4, wantErr: ErrSyntax},
		{name: "invalid byte position", data: "\"ab\xff\"", offset: 3, wantErr: ErrInvalidUTF8},
		{name: "bad escape position", data: `"ab\q"`, offset: 3, wantErr: ErrSyntax},
		{name: "long int position", data: "[0, " + strings.Repeat("7", 4301) + "]", offset: 4, wantErr: ErrIntTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.data), Options{})
			var de *DecodeError
			if !errors.As(err, &de) || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Decode error = %v; want *DecodeError wrapping %v", err, tt.wantErr)
			}
			if de.Offset != tt.offset {
				t.Errorf("Offset = %d; want %d (%v)", de.Offset, tt.offset, err)
			}
		})
	}
}

func TestDecodeTypes(t *testing.T) {
	// json.loads('{"a": [1, 2.5, NaN], "b": 1e400, "a": 18446744073709551616}')
	// == {'a': 18446744073709551616, 'b': inf}
	got, err := Decode([]byte(`{"a": [1, 2.5, NaN], "b": 1e400, "a": 18446744073709551616}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": new(big.Int).Lsh(big.NewInt(1), 64), "b": math.Inf(1)}
	if !equal(got, want) {
		t.Errorf("Decode = %#v; want %#v", got, want)
	}
}

func TestDecodeMaxValues(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		ok   bool
	}{
		{"scalar within one", `1`, 1, true},
		{"array and its elements", `[1,2,3]`, 4, true},
		{"one value over", `[1,2,3]`, 3, false},
		{"object keys are not values", `{"a":1,"b":2}`, 3, true},
		{"object one over", `{"a":1,"b":2}`, 2, false},
		{"nested", `[[],{},[[]]]`, 5, true},
		{"nested one over", `[[],{},[[]]]`, 4, false},
		{"no limit", `[[],{},[[]]]`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in), Options{MaxValues: tt.max})
			if tt.ok != (err == nil) || (err != nil && !errors.Is(err, ErrTooManyValues)) {
				t.Fatalf("Decode(%s, MaxValues %d) = %v, want ok %v", tt.in, tt.max, err, tt.ok)
			}
		})
	}
}
