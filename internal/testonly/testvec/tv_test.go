package testvec

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/py"
)

func bigInt(s string) *big.Int {
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return b
}

func TestTVValue(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want any
		// wantOrdered, when set, is what Ordered must give instead of want.
		wantOrdered any
	}{
		{name: "none", in: `{"t":"none"}`, want: nil},
		{name: "true", in: `{"t":"bool","v":true}`, want: true},
		{name: "false", in: `{"t":"bool","v":false}`, want: false},
		{name: "int zero", in: `{"t":"int","v":"0"}`, want: int64(0)},
		{name: "int negative", in: `{"t":"int","v":"-17"}`, want: int64(-17)},
		{name: "int max int64", in: `{"t":"int","v":"9223372036854775807"}`, want: int64(math.MaxInt64)},
		{name: "int min int64", in: `{"t":"int","v":"-9223372036854775808"}`, want: int64(math.MinInt64)},
		{name: "int 2**63 is big", in: `{"t":"int","v":"9223372036854775808"}`, want: bigInt("9223372036854775808")},
		{name: "int below min is big", in: `{"t":"int","v":"-9223372036854775809"}`, want: bigInt("-9223372036854775809")},
		{name: "int huge", in: `{"t":"int","v":"123456789012345678901234567890"}`, want: bigInt("123456789012345678901234567890")},
		{name: "float 1.0", in: `{"t":"float","v":"1.0"}`, want: 1.0},
		{name: "float 0.1", in: `{"t":"float","v":"0.1"}`, want: 0.1},
		{name: "float -0.0", in: `{"t":"float","v":"-0.0"}`, want: math.Copysign(0, -1)},
		{name: "float 1e-07", in: `{"t":"float","v":"1e-07"}`, want: 1e-07},
		{name: "float 1e+16", in: `{"t":"float","v":"1e+16"}`, want: 1e16},
		{name: "float subnormal", in: `{"t":"float","v":"5e-324"}`, want: 5e-324},
		{name: "float nan", in: `{"t":"float","v":"nan"}`, want: math.NaN()},
		{name: "float inf", in: `{"t":"float","v":"inf"}`, want: math.Inf(1)},
		{name: "float -inf", in: `{"t":"float","v":"-inf"}`, want: math.Inf(-1)},
		{name: "str ascii", in: `{"t":"str","v":"abc"}`, want: "abc"},
		{name: "str empty", in: `{"t":"str","v":""}`, want: ""},
		{name: "str escapes", in: `{"t":"str","v":"J\u00fcrgen \ud83d\ude00\u2028\n\"\\\/"}`, want: "J\u00fcrgen \U0001f600\u2028\n\"\\/"},
		{name: "str raw utf8", in: `{"t":"str","v":"ü😀"}`, want: "ü😀"},
		{name: "str wtf8 lone surrogate", in: `{"t":"str","wtf8":"61eda08062"}`, want: "a\xed\xa0\x80b"},
		{name: "str wtf8 split pair", in: `{"t":"str","wtf8":"eda0bdedb880"}`, want: "\xed\xa0\xbd\xed\xb8\x80"},
		{name: "bytes", in: `{"t":"bytes","v":"00ff62"}`, want: []byte{0, 0xff, 'b'}},
		{name: "bytes empty", in: `{"t":"bytes","v":""}`, want: []byte{}},
		{name: "list", in: `{"t":"list","v":[{"t":"int","v":"1"},{"t":"none"}]}`, want: []any{int64(1), nil}},
		{name: "list empty", in: `{"t":"list","v":[]}`, want: []any{}},
		{name: "tuple nested", in: `{"t":"tuple","v":[{"t":"tuple","v":[]},{"t":"list","v":[{"t":"str","v":"x"}]}]}`,
			want: py.Tuple{py.Tuple{}, []any{"x"}}},
		{name: "dict", in: `{"t":"dict","v":[["b",{"t":"int","v":"1"}],["a",{"t":"dict","v":[["z",{"t":"none"}],["y",{"t":"bool","v":true}]]}]]}`,
			want:        map[string]any{"b": int64(1), "a": map[string]any{"z": nil, "y": true}},
			wantOrdered: py.Dict{{Key: "b", Value: int64(1)}, {Key: "a", Value: py.Dict{{Key: "z", Value: nil}, {Key: "y", Value: true}}}}},
		{name: "dict empty", in: `{"t":"dict","v":[]}`, want: map[string]any{}, wantOrdered: py.Dict{}},
		{name: "dict key with lone surrogate", in: `{"t":"dict","v":[[{"t":"str","wtf8":"6bedb280"},{"t":"int","v":"1"}]]}`,
			want:        map[string]any{"k\xed\xb2\x80": int64(1)},
			wantOrdered: py.Dict{{Key: "k\xed\xb2\x80", Value: int64(1)}}},
		{name: "markup", in: `{"t":"markup","v":"<b>hi</b>"}`, want: py.Markup("<b>hi</b>")},
		{name: "uuid", in: `{"t":"uuid","v":"12345678123456781234567812345678"}`,
			want: py.UUID{0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78}},
		{name: "datetime naive", in: `{"t":"datetime","v":1700000000,"us":123456,"offset":null}`,
			want: time.Date(2023, 11, 14, 22, 13, 20, 123456000, time.UTC)},
		{name: "datetime with offset keeps it as the zone", in: `{"t":"datetime","v":1699956000,"us":0,"offset":7200}`,
			want: time.Date(2023, 11, 14, 12, 0, 0, 0, time.FixedZone("", 7200))},
		{name: "datetime year 1", in: `{"t":"datetime","v":-62135596800,"us":0,"offset":0}`,
			want: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{name: "datetime year 9999", in: `{"t":"datetime","v":253402300799,"us":999999,"offset":0}`,
			want: time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)},
		{name: "datetime before epoch", in: `{"t":"datetime","v":-1,"us":500000,"offset":0}`,
			want: time.Date(1969, 12, 31, 23, 59, 59, 500000000, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TV(tt.in).Value()
			if err != nil {
				t.Fatalf("Value: %v", err)
			}
			if d := Diff(tt.want, got); d != "" {
				t.Errorf("Value: %s", d)
			}
			// Diff compares map and Dict as dicts; check the Go types too.
			if _, isDict := got.(py.Dict); isDict {
				t.Errorf("Value returned a py.Dict, want map[string]any")
			}
			wantOrdered := tt.want
			if tt.wantOrdered != nil {
				wantOrdered = tt.wantOrdered
			}
			got, err = TV(tt.in).Ordered()
			if err != nil {
				t.Fatalf("Ordered: %v", err)
			}
			if d := Diff(wantOrdered, got); d != "" {
				t.Errorf("Ordered: %s", d)
			}
			if _, isMap := got.(map[string]any); isMap {
				t.Errorf("Ordered returned a map, want py.Dict")
			}
			if tm, ok := got.(time.Time); ok {
				want := tt.want.(time.Time)
				_, wantOff := want.Zone()
				_, gotOff := tm.Zone()
				if gotOff != wantOff || (wantOff == 0 && tm.Location() != time.UTC) {
					t.Errorf("datetime zone = %v, want %v", tm.Location(), want.Location())
				}
			}
		})
	}
}

func TestTVValueErrors(t *testing.T) {
	deep := strings.Repeat(`{"t":"list","v":[`, maxTVDepth+2) + `{"t":"none"}` + strings.Repeat(`]}`, maxTVDepth+2)
	tests := []struct {
		name string
		in   string
	}{
		{"null: no value at all", `null`},
		{"empty input", ``},
		{"not an object", `[1]`},
		{"no tag", `{"v":"1"}`},
		{"unknown tag", `{"t":"set","v":[]}`},
		{"unknown field", `{"t":"int","v":"1","x":1}`},
		{"trailing data", `{"t":"none"} {"t":"none"}`},
		{"none with a v", `{"t":"none","v":null}`},
		{"bool without v", `{"t":"bool"}`},
		{"bool as string", `{"t":"bool","v":"true"}`},
		{"int as JSON number", `{"t":"int","v":5}`},
		{"int with plus sign", `{"t":"int","v":"+5"}`},
		{"int with leading zero", `{"t":"int","v":"05"}`},
		{"int negative zero", `{"t":"int","v":"-0"}`},
		{"int empty", `{"t":"int","v":""}`},
		{"int fraction", `{"t":"int","v":"1.5"}`},
		{"int with underscore", `{"t":"int","v":"1_000"}`},
		{"int with us field", `{"t":"int","v":"1","us":0}`},
		{"float as JSON number", `{"t":"float","v":1.5}`},
		{"float NaN spelling is not repr", `{"t":"float","v":"NaN"}`},
		{"float Infinity spelling is not repr", `{"t":"float","v":"Infinity"}`},
		{"float hex", `{"t":"float","v":"0x1p3"}`},
		{"float trailing dot", `{"t":"float","v":"1."}`},
		{"float leading dot", `{"t":"float","v":".5"}`},
		{"float out of range", `{"t":"float","v":"1e400"}`},
		{"float empty", `{"t":"float","v":""}`},
		{"str both v and wtf8", `{"t":"str","v":"a","wtf8":"61"}`},
		{"str neither v nor wtf8", `{"t":"str"}`},
		{"str wtf8 not generalized UTF-8", `{"t":"str","wtf8":"ff"}`},
		{"str wtf8 truncated surrogate", `{"t":"str","wtf8":"eda0"}`},
		{"str wtf8 uppercase hex", `{"t":"str","wtf8":"EDA080"}`},
		{"str v with lone high surrogate escape", `{"t":"str","v":"\ud800"}`},
		{"str v with lone low surrogate escape", `{"t":"str","v":"a\udc00"}`},
		{"str v not a string", `{"t":"str","v":1}`},
		{"str v with invalid UTF-8", "{\"t\":\"str\",\"v\":\"\xff\"}"},
		{"bytes uppercase hex", `{"t":"bytes","v":"FF"}`},
		{"bytes odd hex", `{"t":"bytes","v":"f"}`},
		{"bytes non-hex", `{"t":"bytes","v":"zz"}`},
		{"list v not an array", `{"t":"list","v":{}}`},
		{"list v null", `{"t":"list","v":null}`},
		{"list with a bad item", `{"t":"list","v":[{"t":"none"},{"t":"int","v":"x"}]}`},
		{"tuple without v", `{"t":"tuple"}`},
		{"dict pair of three", `{"t":"dict","v":[["a",{"t":"none"},1]]}`},
		{"dict pair of one", `{"t":"dict","v":[["a"]]}`},
		{"dict duplicate key", `{"t":"dict","v":[["a",{"t":"none"}],["a",{"t":"none"}]]}`},
		{"dict key is an int tv", `{"t":"dict","v":[[{"t":"int","v":"1"},{"t":"none"}]]}`},
		{"dict key is a number", `{"t":"dict","v":[[1,{"t":"none"}]]}`},
		{"dict v not pairs", `{"t":"dict","v":{"a":1}}`},
		{"dict bad value", `{"t":"dict","v":[["a",{"t":"bool","v":1}]]}`},
		{"markup not a string", `{"t":"markup","v":1}`},
		{"uuid 31 digits", `{"t":"uuid","v":"1234567812345678123456781234567"}`},
		{"uuid with dashes", `{"t":"uuid","v":"12345678-1234-5678-1234-567812345678"}`},
		{"uuid uppercase", `{"t":"uuid","v":"ABCDEF78123456781234567812345678"}`},
		{"datetime without us", `{"t":"datetime","v":0,"offset":null}`},
		{"datetime without offset", `{"t":"datetime","v":0,"us":0}`},
		{"datetime us too big", `{"t":"datetime","v":0,"us":1000000,"offset":null}`},
		{"datetime us negative", `{"t":"datetime","v":0,"us":-1,"offset":null}`},
		{"datetime offset a day", `{"t":"datetime","v":0,"us":0,"offset":86400}`},
		{"datetime v fractional", `{"t":"datetime","v":1.5,"us":0,"offset":0}`},
		{"datetime v string", `{"t":"datetime","v":"0","us":0,"offset":0}`},
		{"datetime before year 1", `{"t":"datetime","v":-62135596801,"us":0,"offset":0}`},
		{"datetime after year 9999", `{"t":"datetime","v":253402300800,"us":0,"offset":0}`},
		{"datetime with wtf8", `{"t":"datetime","v":0,"us":0,"offset":0,"wtf8":""}`},
		{"nested too deeply", deep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []func(TV) (any, error){TV.Value, TV.Ordered} {
				v, err := f(TV(tt.in))
				if !errors.Is(err, ErrBadTV) {
					t.Fatalf("got (%v, %v), want an error matching ErrBadTV", v, err)
				}
			}
		})
	}
}

func TestBytesUnmarshal(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []byte
	}{
		{"utf-8 string", `"abc"`, []byte("abc")},
		{"empty string", `""`, []byte{}},
		{"escaped string", `"k\u00e9\ud83d\ude00\n"`, []byte("k\u00e9\U0001f600\n")},
		{"hex", `{"hex":"ff00"}`, []byte{0xff, 0}},
		{"empty hex", `{"hex":""}`, []byte{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b Bytes
			if err := json.Unmarshal([]byte(tt.in), &b); err != nil {
				t.Fatal(err)
			}
			if string(b) != string(tt.want) {
				t.Errorf("got %q, want %q", b, tt.want)
			}
			// MarshalJSON writes the same form back.
			out, err := json.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			var again Bytes
			if err := json.Unmarshal(out, &again); err != nil || string(again) != string(tt.want) {
				t.Errorf("round trip through %s gave %q, %v", out, again, err)
			}
		})
	}
	bad := []struct {
		name string
		in   string
	}{
		{"null: a byte string is required", `null`},
		{"number", `5`},
		{"array", `["a"]`},
		{"object without hex", `{}`},
		{"object with another field", `{"hex":"00","x":1}`},
		{"uppercase hex", `{"hex":"FF"}`},
		{"odd hex", `{"hex":"f"}`},
		{"hex not a string", `{"hex":5}`},
		{"lone surrogate escape", `"\ud800"`},
		{"high surrogate followed by non-low", `"\ud800\u0041"`},
		{"bad escape", `"\x41"`},
		{"short unicode escape", `"\u12"`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			var s struct {
				B Bytes `json:"b"`
			}
			if err := json.Unmarshal([]byte(`{"b":`+tt.in+`}`), &s); err == nil {
				t.Errorf("decoded %q, want an error", s.B)
			}
		})
	}
	t.Run("invalid UTF-8 inside a string", func(t *testing.T) {
		var b Bytes
		if err := b.UnmarshalJSON([]byte("\"\xff\"")); err == nil {
			t.Errorf("decoded %q, want an error", b)
		}
	})
	t.Run("non-UTF-8 bytes marshal as hex", func(t *testing.T) {
		out, err := json.Marshal(Bytes{0xff, 'a'})
		if err != nil || string(out) != `{"hex":"ff61"}` {
			t.Errorf(`got %s, %v; want {"hex":"ff61"}`, out, err)
		}
	})
}

func TestPyFloatRepr(t *testing.T) {
	// Python's repr of each float, as listed in the spec (§0.5) and in
	// CPython's documentation.
	tests := []struct {
		in   float64
		want string
	}{
		{1.0, "1.0"},
		{0.1, "0.1"},
		{1e16, "1e+16"},
		{1e15, "1000000000000000.0"},
		{1e-05, "1e-05"},
		{0.0001, "0.0001"},
		{2.5e-07, "2.5e-07"},
		{1.5e300, "1.5e+300"},
		{math.Copysign(0, -1), "-0.0"},
		{0, "0.0"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.NaN(), "nan"},
		{5e-324, "5e-324"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
		{123456789.125, "123456789.125"},
		{-1.5, "-1.5"},
		{1e22, "1e+22"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := pyFloatRepr(tt.in); got != tt.want {
				t.Errorf("pyFloatRepr(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEncodeTV(t *testing.T) {
	type point struct {
		X int    `json:"x"`
		Y string `json:"y,omitempty"`
	}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, `{"t":"none"}`},
		{"bool", true, `{"t":"bool","v":true}`},
		{"int", 42, `{"t":"int","v":"42"}`},
		{"uint64 max becomes a big int", uint64(math.MaxUint64), `{"t":"int","v":"18446744073709551615"}`},
		{"big int", bigInt("-123456789012345678901234567890"), `{"t":"int","v":"-123456789012345678901234567890"}`},
		{"float", 1e16, `{"t":"float","v":"1e+16"}`},
		{"float -0.0", math.Copysign(0, -1), `{"t":"float","v":"-0.0"}`},
		{"float nan", math.NaN(), `{"t":"float","v":"nan"}`},
		{"string keeps <>& unescaped", "a<&>\u2028", `{"t":"str","v":"a<&>\u2028"}`},
		{"wtf8 string", "a\xed\xa0\x80", `{"t":"str","wtf8":"61eda080"}`},
		{"bytes", []byte{0, 0xff}, `{"t":"bytes","v":"00ff"}`},
		{"list", []any{1, "a"}, `{"t":"list","v":[{"t":"int","v":"1"},{"t":"str","v":"a"}]}`},
		{"typed slice", []string{"a"}, `{"t":"list","v":[{"t":"str","v":"a"}]}`},
		{"tuple", py.Tuple{}, `{"t":"tuple","v":[]}`},
		{"map sorted", map[string]any{"b": 1, "a": nil}, `{"t":"dict","v":[["a",{"t":"none"}],["b",{"t":"int","v":"1"}]]}`},
		{"dict ordered", py.Dict{{Key: "b", Value: 1}, {Key: "a", Value: 2}}, `{"t":"dict","v":[["b",{"t":"int","v":"1"}],["a",{"t":"int","v":"2"}]]}`},
		{"dict duplicate key keeps first position, last value", py.Dict{{Key: "a", Value: 1}, {Key: "b", Value: 2}, {Key: "a", Value: 3}},
			`{"t":"dict","v":[["a",{"t":"int","v":"3"}],["b",{"t":"int","v":"2"}]]}`},
		{"dict wtf8 key", py.Dict{{Key: "k\xed\xb2\x80", Value: nil}}, `{"t":"dict","v":[[{"t":"str","wtf8":"6bedb280"},{"t":"none"}]]}`},
		{"struct", point{X: 1}, `{"t":"dict","v":[["x",{"t":"int","v":"1"}]]}`},
		{"markup", py.Markup("<b>"), `{"t":"markup","v":"<b>"}`},
		{"uuid", py.UUID{15: 1}, `{"t":"uuid","v":"00000000000000000000000000000001"}`},
		{"time utc", time.Date(2023, 11, 14, 22, 13, 20, 123456789, time.UTC), `{"t":"datetime","v":1700000000,"us":123456,"offset":0}`},
		{"time with zone", time.Date(2023, 11, 14, 12, 0, 0, 0, time.FixedZone("", 7200)), `{"t":"datetime","v":1699956000,"us":0,"offset":7200}`},
		{"time before epoch", time.Date(1969, 12, 31, 23, 59, 59, 500000000, time.UTC), `{"t":"datetime","v":-1,"us":500000,"offset":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeTV(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("output is not valid JSON")
			}
		})
	}
	bad := []struct {
		name string
		in   any
	}{
		{"string that is not UTF-8 or WTF-8", "\xff"},
		{"key that is not UTF-8 or WTF-8", map[string]any{"\xff": 1}},
		{"channel", make(chan int)},
		{"nested function", []any{func() {}}},
		{"time after year 9999", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"time before year 1", time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"local time beyond year 9999", time.Date(10000, 1, 1, 1, 0, 0, 0, time.FixedZone("", 7200))},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeTV(tt.in)
			if !errors.Is(err, ErrBadTV) {
				t.Errorf("got (%s, %v), want an error matching ErrBadTV", got, err)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name      string
		want, got any
		equal     bool
	}{
		{"nan equals nan", nan, nan, true},
		{"-0.0 differs from 0.0", math.Copysign(0, -1), 0.0, false},
		{"int64 equals same big.Int", int64(5), big.NewInt(5), true},
		{"int differs from float", int64(1), 1.0, false},
		{"tuple differs from list", py.Tuple{}, []any{}, false},
		{"markup differs from str", py.Markup("a"), "a", false},
		{"bytes differ from str", []byte("a"), "a", false},
		{"map ignores order", map[string]any{"a": 1.0, "b": nil}, py.Dict{{Key: "b", Value: nil}, {Key: "a", Value: 1.0}}, true},
		{"ordered dicts compare order", py.Dict{{Key: "a", Value: nil}, {Key: "b", Value: nil}}, py.Dict{{Key: "b", Value: nil}, {Key: "a", Value: nil}}, false},
		{"dict missing key", map[string]any{"a": nil}, map[string]any{"b": nil}, false},
		{"nested difference", []any{map[string]any{"a": py.Tuple{int64(1)}}}, []any{map[string]any{"a": py.Tuple{int64(2)}}}, false},
		{"time as instant", time.Unix(0, 0).UTC(), time.Unix(0, 0).In(time.FixedZone("", 3600)), true},
		{"nil vs false", nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diff(tt.want, tt.got)
			if (d == "") != tt.equal {
				t.Errorf("Diff = %q, want equal=%v", d, tt.equal)
			}
		})
	}
}
