package py_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
)

// reprFile is made by compat/gen_repr.py with CPython 3.11 and markupsafe;
// its header records the versions and the command.
const reprFile = "testdata/repr/vectors.json"

// reprText is a text field of the vector file: a JSON string, or
// {"wtf8": "<hex>"} for a str holding a lone surrogate.
type reprText string

func (s *reprText) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '{' {
		var w struct {
			WTF8 string `json:"wtf8"`
		}
		if err := json.Unmarshal(data, &w); err != nil {
			return err
		}
		b, err := hex.DecodeString(w.WTF8)
		if err != nil {
			return err
		}
		*s = reprText(b)
		return nil
	}
	var v string
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*s = reprText(v)
	return nil
}

type reprCase struct {
	Name    string          `json:"name"`
	Value   json.RawMessage `json:"value"`
	Ordered bool            `json:"ordered"`
	Repr    reprText        `json:"repr"`
	Str     reprText        `json:"str"`
	Bool    bool            `json:"bool"`
}

type literalCase struct {
	Name string          `json:"name"`
	Src  string          `json:"src"`
	Want json.RawMessage `json:"want"`
	Repr *string         `json:"repr"`
	// GoError marks a documented divergence: Python accepts Src,
	// ParseLiteral rejects it.
	GoError string `json:"go_error"`
}

type reprVectors struct {
	Provenance struct {
		Command     string `json:"command"`
		Python      string `json:"python"`
		Markupsafe  string `json:"markupsafe"`
		Unicodedata string `json:"unicodedata"`
		Seed        int64  `json:"seed"`
	} `json:"provenance"`
	Repr         []reprCase    `json:"repr"`
	Nonprintable [][2]rune     `json:"nonprintable"`
	Literal      []literalCase `json:"literal"`
}

// loadReprVectors reads the vector file and fails the test when it is
// missing or when a section is empty.
func loadReprVectors(t testing.TB) *reprVectors {
	t.Helper()
	data, err := os.ReadFile(testvec.Path(t, reprFile))
	if err != nil {
		t.Fatalf("%v (regenerate with /usr/bin/python3 compat/gen_repr.py > %s)", err, reprFile)
	}
	var v reprVectors
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", reprFile, err)
	}
	if len(v.Repr) == 0 || len(v.Nonprintable) == 0 || len(v.Literal) == 0 {
		t.Fatalf("%s: an empty section: %d repr, %d nonprintable, %d literal cases",
			reprFile, len(v.Repr), len(v.Nonprintable), len(v.Literal))
	}
	if v.Provenance.Python == "" || v.Provenance.Command == "" {
		t.Fatalf("%s: no provenance", reprFile)
	}
	return &v
}

// tvValue converts a typed value to the py value model with the shared
// loader, which keeps a datetime's UTC offset as its zone so that Repr can
// be checked. Dicts become py.Dict when ordered, else map[string]any.
func tvValue(raw json.RawMessage, ordered bool) (any, error) {
	if ordered {
		return testvec.TV(raw).Ordered()
	}
	return testvec.TV(raw).Value()
}

// TestReprVectors checks Repr, Str and Truth against CPython's repr(),
// str() and bool().
func TestReprVectors(t *testing.T) {
	v := loadReprVectors(t)
	for _, c := range v.Repr {
		t.Run(c.Name, func(t *testing.T) {
			val, err := tvValue(c.Value, c.Ordered)
			if err != nil {
				t.Fatal(err)
			}
			if got := py.Repr(val); got != string(c.Repr) {
				t.Errorf("Repr:\n got %q\nwant %q", got, c.Repr)
			}
			if got := py.Str(val); got != string(c.Str) {
				t.Errorf("Str:\n got %q\nwant %q", got, c.Str)
			}
			if got := py.Truth(val); got != c.Bool {
				t.Errorf("Truth = %v, want %v", got, c.Bool)
			}
		})
	}
}

// TestReprLiteralRoundTrip checks that ParseLiteral reads every repr back
// as the value it came from.
func TestReprLiteralRoundTrip(t *testing.T) {
	v := loadReprVectors(t)
	for _, c := range v.Repr {
		t.Run(c.Name, func(t *testing.T) {
			want, err := tvValue(c.Value, c.Ordered)
			if err != nil {
				t.Fatal(err)
			}
			got, err := py.ParseLiteral(string(c.Repr))
			if err != nil {
				t.Fatalf("ParseLiteral(%.80q): %v", c.Repr, err)
			}
			if d := testvec.Diff(want, got); d != "" {
				t.Errorf("ParseLiteral(%.80q): %s", c.Repr, d)
			}
			// Repr also sees zones and dict order, which Diff does not.
			if r := py.Repr(got); r != string(c.Repr) {
				t.Errorf("Repr(ParseLiteral(%.80q)) = %.80q", c.Repr, r)
			}
		})
	}
}

// wtf8 encodes r in UTF-8, or a surrogate in its 3-byte WTF-8 form.
func wtf8(r rune) string {
	if r >= 0xd800 && r <= 0xdfff {
		return string([]byte{0xed, byte(0xa0 | (r>>6)&0x1f), byte(0x80 | r&0x3f)})
	}
	return string(r)
}

// TestReprPrintable compares, for every code point from U+007F up, whether
// Repr writes it as itself with whether CPython 3.11's str.isprintable
// accepts it (the nonprintable ranges of the vector file).
func TestReprPrintable(t *testing.T) {
	v := loadReprVectors(t)
	nonprintable := make([]bool, utf8.MaxRune+1)
	for _, r := range v.Nonprintable {
		if r[0] < 0 || r[1] > utf8.MaxRune || r[0] > r[1] {
			t.Fatalf("bad range %v", r)
		}
		for c := r[0]; c <= r[1]; c++ {
			nonprintable[c] = true
		}
	}
	bad := 0
	for r := rune(0x7f); r <= utf8.MaxRune; r++ {
		s := wtf8(r)
		got := py.Repr(s)
		asItself := got == "'"+s+"'"
		if asItself == nonprintable[r] {
			bad++
			if bad <= 20 {
				t.Errorf("U+%04X: Repr = %q, Python's isprintable = %v", r, got, !nonprintable[r])
			}
		}
	}
	if bad > 20 {
		t.Errorf("... %d code points in all", bad)
	}
}

// TestReprGo covers Go values that the Python vectors cannot hold. The
// expected texts are Python's repr of the corresponding Python value.
func TestReprGo(t *testing.T) {
	type named string
	cyclic := []any{nil}
	cyclic[0] = cyclic
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"go int", 5, "5"},
		{"uint64 above int64", uint64(math.MaxUint64), "18446744073709551615"},
		{"float32", float32(0.1), "0.10000000149011612"},
		{"named string", named("x"), "'x'"},
		{"nil big.Int pointer", (*big.Int)(nil), "None"},
		{"big.Int value", *big.NewInt(-7), "-7"},
		{"map of ints sorted", map[string]int{"b": 1, "a": 2}, "{'a': 2, 'b': 1}"},
		{"struct", struct {
			B int    `json:"b"`
			A string `json:"a"`
		}{1, "x"}, "{'a': 'x', 'b': 1}"},
		{"byte array is a list", [2]byte{1, 2}, "[1, 2]"},
		// Python: b'\xffa\xc3'.decode('utf-8', 'surrogateescape')
		{"invalid UTF-8 as surrogateescape", "\xffa\xc3", `'\udcffa\udcc3'`},
		{"WTF-8 surrogate pair stays two", "\xed\xa0\xbd\xed\xb8\x80", `'\ud83d\ude00'`},
		{"dict repeated key", py.Dict{{"a", 1}, {"b", 2}, {"a", 3}}, "{'a': 3, 'b': 2}"},
		{"nil slice", []string(nil), "[]"},
		{"time in a named zone", time.Date(2024, 1, 2, 3, 4, 5, 6789, time.FixedZone("CET", 3600)),
			"datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone(datetime.timedelta(seconds=3600)))"},
		{"time nanoseconds truncated", time.Date(2024, 1, 2, 3, 4, 5, 999, time.UTC),
			"datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)"},
		{"unsupported", make(chan int), "<unsupported chan int>"},
		{"unsupported inside", []any{1, func() {}}, "[1, <unsupported func()>]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := py.Repr(tt.v); got != tt.want {
				t.Errorf("Repr = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("cyclic list is cut off", func(t *testing.T) {
		got := py.Repr(cyclic)
		if !strings.HasSuffix(got, "[...]"+strings.Repeat("]", 1000)) {
			t.Errorf("Repr of a cyclic list ends %q", got[len(got)-20:])
		}
	})
}

// TestStrGo covers Str on Go values; the expected texts are Python's str()
// of the corresponding Python values.
func TestStrGo(t *testing.T) {
	type named string
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"named string is text", named("a'b"), "a'b"},
		{"markup is text", py.Markup("<b>"), "<b>"},
		{"list holds reprs", []any{"a", py.Markup("b")}, "['a', Markup('b')]"},
		{"time with seconds offset", time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", -3601)),
			"2024-01-02 03:04:05-01:00:01"},
		{"time with microseconds", time.Date(2024, 1, 2, 3, 4, 5, 60000, time.UTC),
			"2024-01-02 03:04:05.000060+00:00"},
		{"unsupported", make(chan int), "<unsupported chan int>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := py.Str(tt.v); got != tt.want {
				t.Errorf("Str = %q, want %q", got, tt.want)
			}
		})
	}
}

func ExampleRepr() {
	session := map[string]any{
		"_flashes": []any{py.Tuple{"message", "it's done"}},
		"user_id":  int64(42),
		"seen":     time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC),
	}
	fmt.Println(py.Repr(session))
	fmt.Println(py.Repr([]any{1e16, 1e-7, math.Copysign(0, -1), math.NaN(), []byte("\x00'")}))
	// Output:
	// {'_flashes': [('message', "it's done")], 'seen': datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone.utc), 'user_id': 42}
	// [1e+16, 1e-07, -0.0, nan, b"\x00'"]
}

// errorsAsSyntax reports whether err is a *py.SyntaxError matching
// py.ErrSyntax.
func errorsAsSyntax(err error) (*py.SyntaxError, bool) {
	var se *py.SyntaxError
	return se, errors.As(err, &se) && errors.Is(err, py.ErrSyntax)
}
