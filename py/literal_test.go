package py_test

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
)

// TestParseLiteralVectors checks ParseLiteral against what CPython makes of
// each source (ast.literal_eval, extended with the calls Repr writes; see
// compat/gen_repr.py).
func TestParseLiteralVectors(t *testing.T) {
	v := loadReprVectors(t)
	for _, c := range v.Literal {
		t.Run(c.Name, func(t *testing.T) {
			got, err := py.ParseLiteral(c.Src)
			if string(c.Want) == "null" || c.GoError != "" {
				// Python fails, or the value has no place in the model,
				// or (GoError) a documented divergence.
				if _, ok := errorsAsSyntax(err); !ok {
					t.Fatalf("ParseLiteral(%.80q) = %.80s, %v; want a *SyntaxError", c.Src, py.Repr(got), err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseLiteral(%.80q): %v", c.Src, err)
			}
			want, err := tvValue(c.Want, true)
			if err != nil {
				t.Fatal(err)
			}
			if d := testvec.Diff(want, got); d != "" {
				t.Errorf("ParseLiteral(%.80q): %s", c.Src, d)
			}
			if c.Repr == nil {
				t.Fatal("vector has a value but no repr")
			}
			if r := py.Repr(got); r != *c.Repr {
				t.Errorf("Repr(ParseLiteral(%.80q)):\n got %.200q\nwant %.200q", c.Src, r, *c.Repr)
			}
		})
	}
}

// TestParseLiteralTypes checks the Go types chosen for results, which the
// vectors (compared by value) do not pin down.
func TestParseLiteralTypes(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		check func(v any) bool
	}{
		{"empty dict is a non-nil Dict", "{}", func(v any) bool { d, ok := v.(py.Dict); return ok && d != nil }},
		{"dict keeps source order", "{'b': 1, 'a': 2}", func(v any) bool {
			d, ok := v.(py.Dict)
			return ok && len(d) == 2 && d[0].Key == "b" && d[1].Key == "a"
		}},
		{"empty list is non-nil", "[]", func(v any) bool { l, ok := v.([]any); return ok && l != nil }},
		{"empty bytes are non-nil", "b''", func(v any) bool { b, ok := v.([]byte); return ok && b != nil }},
		{"empty tuple", "()", func(v any) bool { tu, ok := v.(py.Tuple); return ok && len(tu) == 0 }},
		{"int64 range", "-9223372036854775808", func(v any) bool { _, ok := v.(int64); return ok }},
		{"big int", "9223372036854775808", func(v any) bool { _, ok := v.(*big.Int); return ok }},
		{"negated big int that fits", "-0x8000000000000000", func(v any) bool { _, ok := v.(int64); return ok }},
		{"utc datetime in time.UTC", "datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)",
			func(v any) bool { tm, ok := v.(time.Time); return ok && tm.Location() == time.UTC }},
		{"naive datetime in time.UTC", "datetime.datetime(2024, 1, 2)",
			func(v any) bool { tm, ok := v.(time.Time); return ok && tm.Location() == time.UTC }},
		{"fixed offset kept", "datetime.datetime(2024, 1, 2, 3, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=82800)))",
			func(v any) bool {
				tm, ok := v.(time.Time)
				_, off := tm.Zone()
				return ok && off == -3600 && tm.Hour() == 3
			}},
		{"lone surrogate in WTF-8", `'\ud800'`, func(v any) bool { return v == "\xed\xa0\x80" }},
		{"surrogate pair escapes stay two code points", `'\ud83d\ude00'`,
			func(v any) bool { return v == "\xed\xa0\xbd\xed\xb8\x80" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := py.ParseLiteral(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(v) {
				t.Errorf("ParseLiteral(%q) = %#v", tt.src, v)
			}
		})
	}
}

// TestParseLiteralErrors covers sources a Python str cannot hold, and the
// position reported in errors.
func TestParseLiteralErrors(t *testing.T) {
	tests := []struct {
		name         string
		src          string
		line, column int
	}{
		{"invalid UTF-8 fails at the bad byte", "'ab\xff'", 1, 4},
		{"encoded surrogate is not UTF-8", "'\xed\xa0\x80'", 1, 2},
		{"NUL byte", "[1,\x00]", 1, 4},
		{"position on a later line, in characters", "[1,\n 'é', 2 3]", 2, 9},
		{"CRLF counts as one line break", "[1,\r\n\r\n 2 3]", 3, 4},
		{"unterminated string is reported at its start", "[1, 'abc", 1, 5},
		{"too deep", strings.Repeat("[", 201), 1, 201},
		{"bad escape", `'ab\x4'`, 1, 4},
		{"complex", "[1j]", 1, 2},
		{"set", "{1, 2}", 1, 2},
		{"dict key not str", "{'a': 1, 2: 3}", 1, 10},
		{"unknown name", "[foo]", 1, 2},
		{"empty", "", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := py.ParseLiteral(tt.src)
			se, ok := errorsAsSyntax(err)
			if !ok {
				t.Fatalf("ParseLiteral(%q) = %#v, %v; want a *SyntaxError", tt.src, v, err)
			}
			if se.Line != tt.line || se.Column != tt.column {
				t.Errorf("error %q at line %d column %d, want line %d column %d", err, se.Line, se.Column, tt.line, tt.column)
			}
			if !strings.HasPrefix(err.Error(), "py: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

// bigIntTooLongForRepr reports whether v holds an int with more decimal
// digits than ParseLiteral (like Python 3.11) reads back.
func bigIntTooLongForRepr(v any) bool {
	switch x := v.(type) {
	case *big.Int:
		return x.BitLen() > 14000 // 4300 decimal digits need about 14284 bits
	case []any:
		for _, e := range x {
			if bigIntTooLongForRepr(e) {
				return true
			}
		}
	case py.Tuple:
		return bigIntTooLongForRepr([]any(x))
	case py.Dict:
		for _, it := range x {
			if bigIntTooLongForRepr(it.Value) {
				return true
			}
		}
	}
	return false
}

// FuzzParseLiteral checks that ParseLiteral never panics and that what it
// returns is written by Repr as a literal that reads back the same.
func FuzzParseLiteral(f *testing.F) {
	v := loadReprVectors(f)
	for _, c := range v.Literal {
		f.Add(c.Src)
	}
	f.Add("'\xff'")
	f.Add("[1, \"\\ud800\", b'\\xff', {'a': (1,)}]")
	f.Fuzz(func(t *testing.T, src string) {
		v, err := py.ParseLiteral(src)
		if err != nil {
			if _, ok := errorsAsSyntax(err); !ok {
				t.Fatalf("ParseLiteral(%q): error %v is not a *SyntaxError", src, err)
			}
			return
		}
		if bigIntTooLongForRepr(v) {
			return
		}
		r := py.Repr(v)
		v2, err := py.ParseLiteral(r)
		if err != nil {
			t.Fatalf("ParseLiteral(%q) = %q, which does not parse: %v", src, r, err)
		}
		if d := testvec.Diff(v, v2); d != "" {
			t.Fatalf("ParseLiteral(%q): Repr %q reads back differently: %s", src, r, d)
		}
		if r2 := py.Repr(v2); r2 != r {
			t.Fatalf("ParseLiteral(%q): Repr %q, then %q", src, r, r2)
		}
	})
}

func ExampleParseLiteral() {
	v, err := py.ParseLiteral(`{'user_id': 42, '_flashes': [('message', 'Hi')],
		'at': datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := v.(py.Dict)
	fmt.Println(d[0].Key, d[0].Value, d[2].Value.(time.Time).Format(time.RFC3339))

	_, err = py.ParseLiteral("{'a': 1, 2: 3}")
	fmt.Println(errors.Is(err, py.ErrSyntax), err)
	// Output:
	// user_id 42 2024-01-02T03:04:00Z
	// true py: invalid Python literal at line 1, column 10: dict keys must be str, not int
}
