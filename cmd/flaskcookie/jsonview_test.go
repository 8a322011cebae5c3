package main

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
)

// TestJSONView checks the documented JSON view (see jsonview.go) value by
// value, and that it reads back to the same value.
func TestJSONView(t *testing.T) {
	big1, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	uuid, _ := py.ParseUUID("12345678-1234-5678-1234-567812345678")
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{name: "scalars", value: map[string]any{"n": nil, "t": true, "f": false, "i": int64(-7), "s": "x"},
			want: "{\n  \"f\": false,\n  \"i\": -7,\n  \"n\": null,\n  \"s\": \"x\",\n  \"t\": true\n}"},
		{name: "big int", value: map[string]any{"b": big1}, want: "{\n  \"b\": -123456789012345678901234567890\n}"},
		{name: "floats", value: map[string]any{"f": []any{1.0, 1e-07, 1e16, math.Copysign(0, -1), 0.1}},
			want: "{\n  \"f\": [1.0, 1e-07, 1e+16, -0.0, 0.1]\n}"},
		{name: "non-finite floats", value: map[string]any{"f": []any{math.NaN(), math.Inf(1), math.Inf(-1)}},
			want: "{\n  \"f\": [{\"$float\": \"nan\"}, {\"$float\": \"inf\"}, {\"$float\": \"-inf\"}]\n}"},
		{name: "tagged types", value: map[string]any{"b": []byte{0, 0xff}, "m": py.Markup("<b>"), "u": uuid,
			"d": time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC), "t": py.Tuple{int64(1), "a"}, "e": py.Tuple{}},
			want: "{\n  \"b\": {\"$bytes\": \"AP8=\"},\n  \"d\": {\"$datetime\": \"2023-11-14T22:13:20Z\"},\n  \"e\": {\"$tuple\": []},\n" +
				"  \"m\": {\"$markup\": \"<b>\"},\n  \"t\": {\"$tuple\": [1, \"a\"]},\n  \"u\": {\"$uuid\": \"12345678-1234-5678-1234-567812345678\"}\n}"},
		{name: "nested", value: map[string]any{"l": []any{int64(1), map[string]any{"k": []any{}}, py.Tuple{[]any{int64(2)}}}},
			want: "{\n  \"l\": [\n    1,\n    {\n      \"k\": []\n    },\n    {\"$tuple\": [\n      [2]\n    ]}\n  ]\n}"},
		{name: "dollar keys escaped", value: map[string]any{"$tuple": map[string]any{"$x": int64(1)}},
			want: "{\"$dict\": {\n  \"$tuple\": {\"$dict\": {\n    \"$x\": 1\n  }}\n}}"},
		{name: "two dollar keys need no escape", value: map[string]any{"$a": int64(1), "$b": int64(2)},
			want: "{\n  \"$a\": 1,\n  \"$b\": 2\n}"},
		{name: "text", value: map[string]any{"s": "J\u00fcrgen \U0001f600 \"q\" \n \x7f", "w": "\xed\xb2\x80"},
			want: "{\n  \"s\": \"J\u00fcrgen \U0001f600 \\\"q\\\" \\n \x7f\",\n  \"w\": \"\\udc80\"\n}"},
		{name: "empty", value: map[string]any{}, want: "{}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := appendView(nil, tt.value, 0)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("view:\n%s\nwant:\n%s", got, tt.want)
			}
			back, err := parseView(got)
			if err != nil {
				t.Fatalf("reading back: %v", err)
			}
			if d := testvec.Diff(tt.value, back); d != "" {
				t.Errorf("read back: %s", d)
			}
		})
	}
}

func TestParseViewErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Not JSON at all.
		{name: "syntax", in: `{"a": }`, want: "pyjson"},
		// The tags are a closed set.
		{name: "unknown tag", in: `{"a": {"$set": [1]}}`, want: "unknown tag"},
		// Each tag wants one JSON type.
		{name: "tuple of a string", in: `{"a": {"$tuple": "x"}}`, want: "an array"},
		{name: "bytes not base64", in: `{"a": {"$bytes": "!!"}}`, want: "base64"},
		{name: "bad datetime", in: `{"a": {"$datetime": "yesterday"}}`, want: "RFC 3339"},
		{name: "bad float", in: `{"a": {"$float": "1.5"}}`, want: "nan"},
		{name: "dict of a list", in: `{"a": {"$dict": [1]}}`, want: "an object"},
		{name: "markup of a number", in: `{"a": {"$markup": 1}}`, want: "a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := parseView([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseView(%s) = %v, %v; want an error about %q", tt.in, v, err, tt.want)
			}
		})
	}
}

func TestLiteralKey(t *testing.T) {
	// Flask-Unsign's helpers.parse: literal_eval of the stripped line, else
	// the stripped text; bytes lines that are not UTF-8 stay bytes.
	tests := []struct {
		name, in string
		want     string
		isStr    bool
		err      error
	}{
		{name: "str literal", in: "  'secret'\n", want: "secret", isStr: true},
		{name: "bytes literal", in: `b'\x00\xff'`, want: "\x00\xff"},
		{name: "plain text", in: "secret key\r\n", want: "secret key", isStr: true},
		{name: "unicode whitespace", in: "\u00a0key\u2003\x1c", want: "key", isStr: true},
		{name: "not utf-8", in: " \xff\xfe \n", want: "\xff\xfe"},
		{name: "concatenation", in: `'a' "b"`, want: "ab", isStr: true},
		{name: "name not literal", in: "nan", want: "nan", isStr: true},
		{name: "call not literal", in: "Markup('x')", want: "Markup('x')", isStr: true},
		// A number is a literal, but not a key.
		{name: "number", in: "42", err: errNotKey},
		{name: "list", in: "['a']", err: errNotKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, isStr, err := literalKey([]byte(tt.in))
			if err != tt.err {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err == nil && (string(got) != tt.want || isStr != tt.isStr) {
				t.Errorf("literalKey(%q) = %q (str %v), want %q (str %v)", tt.in, got, isStr, tt.want, tt.isStr)
			}
		})
	}
}

func TestASCIIRepr(t *testing.T) {
	// Python: ascii('dév 😀') == "'d\\xe9v \\U0001f600'", ascii(b'\x00a') == "b'\\x00a'".
	if got := asciiRepr("dév \u20ac 😀"); got != `'d\xe9v \u20ac \U0001f600'` {
		t.Errorf("asciiRepr = %s", got)
	}
	if got := asciiRepr([]byte("\x00a")); got != `b'\x00a'` {
		t.Errorf("asciiRepr = %s", got)
	}
}
