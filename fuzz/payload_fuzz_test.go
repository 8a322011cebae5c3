package fuzz_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// jsonSeeds returns JSON texts made by Python: the reader inputs of
// internal/pyjson's CPython vectors, the tagged JSON of every Flask vector
// and the payloads of the plain (not URL-safe) serializer tokens.
func jsonSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	out = append(out, testvec.LoadJSONReaderInputs(tb)...)
	_, fv := testvec.LoadFlask(tb, testvec.Path(tb, testvec.FlaskFile))
	for _, v := range fv {
		if v.JSON != nil {
			out = append(out, []byte(*v.JSON))
		}
	}
	c := sharedCorpus(tb)
	for _, s := range c.valid() {
		if s.Cfg.Class == "Serializer" {
			out = append(out, payloadOf(s.Cfg, s.Token))
		}
	}
	if len(out) < 100 {
		tb.Fatalf("only %d JSON seeds", len(out))
	}
	return out
}

// FuzzJSON checks the JSON reader: errors are *pyjson.DecodeError values
// wrapping a documented sentinel; nesting never exceeds MaxDepth; and what
// decodes is written back (in each dialect) to text that decodes to the
// same value, and writing that again gives the same bytes.
func FuzzJSON(f *testing.F) {
	for _, s := range jsonSeeds(f) {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, depth uint8) {
		o := pyjson.Options{MaxDepth: int(depth % 40), Ordered: depth&0x80 != 0}
		v, err := pyjson.Decode(data, o)
		if err != nil {
			var de *pyjson.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DecodeError", err)
			}
			switch de.Err {
			case pyjson.ErrSyntax, pyjson.ErrDepth, pyjson.ErrInvalidUTF8, pyjson.ErrIntTooLong:
			default:
				t.Fatalf("error %v wraps %v", err, de.Err)
			}
			if de.Offset < 0 || de.Offset > len(data) {
				t.Fatalf("error %v: offset outside the %d-byte input", err, len(data))
			}
			return
		}
		max := o.MaxDepth
		if max <= 0 {
			max = pyjson.DefaultMaxDepth
		}
		if d := nesting(v); d > max {
			t.Fatalf("decoded nesting %d past MaxDepth %d", d, max)
		}
		for _, d := range []pyjson.Dialect{{Compact: true, ASCII: true}, {ASCII: true}, {Compact: true}, {SortKeys: true, ASCII: true}} {
			out, err := pyjson.Append(nil, v, d)
			if err != nil {
				if !d.ASCII && errors.Is(err, pyjson.ErrInvalidUTF8) {
					continue // a lone surrogate is written only as an escape
				}
				t.Fatalf("Append(%#v, %+v): %v", v, d, err)
			}
			o2 := o
			if d.SortKeys {
				o2.Ordered = false // compare as dicts, whose order sorting changed
			}
			v2, err := pyjson.Decode(out, o2)
			if err != nil {
				t.Fatalf("%q -> %q: %v", data, out, err)
			}
			if diff := testvec.Diff(v, v2); diff != "" {
				t.Fatalf("%q -> %q changes the value: %s", data, out, diff)
			}
			out2, err := pyjson.Append(nil, v2, d)
			if err != nil || !bytes.Equal(out, out2) {
				t.Fatalf("%q written twice in %+v: %q then %q (%v)", data, d, out, out2, err)
			}
		}
	})
}

// nesting returns the depth of arrays and objects in v (a scalar is 0).
func nesting(v any) int {
	max := 0
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if d := nesting(e); d > max {
				max = d
			}
		}
	case map[string]any:
		for _, e := range x {
			if d := nesting(e); d > max {
				max = d
			}
		}
	case py.Dict:
		for _, e := range x {
			if d := nesting(e.Value); d > max {
				max = d
			}
		}
	default:
		return 0
	}
	return max + 1
}

// FuzzTaggedJSON checks Flask's tagged JSON: what DecodePayload accepts,
// AppendPayload writes back (unless it holds a date whose UTC year Flask
// cannot write back), to text that decodes to the same value, and writing
// that again gives the same bytes. Seeds: the JSON of the Flask vectors and
// the CPython JSON vectors.
func FuzzTaggedJSON(f *testing.F) {
	for _, s := range jsonSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte(`{" di":{" t__":{" t":[1,{" b":"+//+"},{" m":"<b>"},{" u":"{12345678-1234-5678-1234-567812345678}"},{" d":"Sun, 06 Nov 1994 08:49:37 GMT"}]}}}`))
	f.Add([]byte(`{" t":{"b":1,"a":2}}`))
	f.Add([]byte(`{" di":{"ab":1,"cd":2}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := itsdangerous.Limits{MaxDepth: 64}
		var v any
		if err := codec.TaggedJSON.DecodePayload(data, &v, lim); err != nil {
			return
		}
		if oddTime(v) {
			return
		}
		for _, format := range []itsdangerous.PayloadFormat{codec.TaggedJSON, codec.TaggedJSONInsertionOrder} {
			out, err := format.AppendPayload(nil, v)
			if err != nil {
				t.Fatalf("AppendPayload(%#v) of %q: %v", v, data, err)
			}
			var v2 any
			if err := format.DecodePayload(out, &v2, itsdangerous.Limits{MaxDepth: 4 * lim.MaxDepth}); err != nil {
				t.Fatalf("%q -> %q: %v", data, out, err)
			}
			if d := testvec.Diff(v, v2); d != "" {
				t.Fatalf("%q -> %q changes the value: %s", data, out, d)
			}
			out2, err := format.AppendPayload(nil, v2)
			if err != nil || !bytes.Equal(out, out2) {
				t.Fatalf("%q written twice: %q then %q (%v)", data, out, out2, err)
			}
		}
	})
}

// FuzzBase64 checks the lenient base64 decoder of itsdangerous against
// the standard library on canonical input, and its own invariants on any
// input: '+' and '/' decode as '-' and '_', and the output is never longer
// than 3/4 of the input plus a partial group.
func FuzzBase64(f *testing.F) {
	for _, s := range sharedCorpus(f).Samples {
		for _, part := range bytes.Split(s.Token, []byte(".")) {
			f.Add(part)
		}
	}
	for _, s := range []string{"", "YWJj", "YWI", "YQ", "Y", "12345", "YW+/", "YW-_", "YW!J!j", " YWJj\n", "YQ==YWJj", "YWJj====", "YQ=", "YR", "YQ.", "\r0A"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got, err := pybase64.DecodeURLSafe(nil, src)
		if len(got) > len(src)*3/4+3 {
			t.Fatalf("%q decodes to %d bytes", src, len(got))
		}
		if want, serr := base64.RawURLEncoding.Strict().DecodeString(string(src)); serr == nil && !bytes.ContainsAny(src, "\r\n") {
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("canonical %q: lenient %x, %v; want %x", src, got, err, want)
			}
		}
		swapped := bytes.Map(func(r rune) rune {
			switch r {
			case '+':
				return '-'
			case '/':
				return '_'
			}
			return r
		}, src)
		if len(swapped) == len(src) {
			got2, err2 := pybase64.DecodeURLSafe(nil, swapped)
			if (err == nil) != (err2 == nil) || !bytes.Equal(got, got2) {
				t.Fatalf("%q and %q decode differently: %x, %v / %x, %v", src, swapped, got, err, got2, err2)
			}
		}
		std, err := pybase64.DecodeStd(nil, src)
		if want, serr := base64.StdEncoding.Strict().DecodeString(string(src)); serr == nil && !bytes.ContainsAny(src, "\r\n") {
			if err != nil || !bytes.Equal(std, want) {
				t.Fatalf("canonical standard %q: %x, %v; want %x", src, std, err, want)
			}
		}
	})
}

// FuzzLiteral checks the Python literal parser and the repr writer: errors
// match py.ErrSyntax as a *py.SyntaxError, and whatever parses is written
// by Repr to text that parses to the same value (unless it holds an int
// too long for Python to print, or a datetime outside Python's years),
// whose Repr is the same text again.
func FuzzLiteral(f *testing.F) {
	for _, s := range []string{
		"None", "True", "[1, 2.5, 'a', b'\\x00', (1,), {'k': {'n': None}}]", "0x_ff", "1_000", "1e-7", "-0.0",
		"'\\ud800'", "r'\\n'", "u'x' 'y'", "'''a\nb'''", "1, 2", "nan", "-inf", "float('-nan')",
		"Markup('<b>x</b>')", "UUID('12345678-1234-5678-1234-567812345678')",
		"datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)",
		"datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(seconds=-7200)))",
		"{'a': 1, 'a': 2}", "[[[[[]]]]]", "{", "'\\N{DASH}'", "f'x'", "1j", "{1, 2}",
	} {
		f.Add(s)
	}
	for _, v := range sharedCorpus(f).FlaskValues {
		f.Add(py.Repr(v))
	}
	f.Fuzz(func(t *testing.T, src string) {
		v, err := py.ParseLiteral(src)
		if err != nil {
			var se *py.SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, py.ErrSyntax) {
				t.Fatalf("error %v (%T) is not a *py.SyntaxError matching ErrSyntax", err, err)
			}
			return
		}
		if unprintable(v) {
			return
		}
		r := py.Repr(v)
		v2, err := py.ParseLiteral(r)
		if err != nil {
			t.Fatalf("%q parses to %#v, whose repr %q does not parse: %v", src, v, r, err)
		}
		if d := testvec.Diff(v, v2); d != "" {
			t.Fatalf("%q -> repr %q changes the value: %s", src, r, d)
		}
		if r2 := py.Repr(v2); r2 != r {
			t.Fatalf("%q: repr %q, then %q", src, r, r2)
		}
	})
}

// unprintable reports whether v holds something Python 3.11 cannot repr
// (an int of more than 4300 digits) or a datetime outside years 1..9999.
func unprintable(v any) bool {
	switch x := v.(type) {
	case time.Time:
		return x.Year() < 1 || x.Year() > 9999
	case []any:
		for _, e := range x {
			if unprintable(e) {
				return true
			}
		}
	case py.Tuple:
		for _, e := range x {
			if unprintable(e) {
				return true
			}
		}
	case py.Dict:
		for _, e := range x {
			if unprintable(e.Value) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if unprintable(e) {
				return true
			}
		}
	default:
		if s, ok := bigDecimal(v); ok {
			return len(s) > 4300
		}
	}
	return false
}

func bigDecimal(v any) (string, bool) {
	type stringer interface{ String() string }
	switch v.(type) {
	case int64, string, float64, bool, nil, []byte, py.Markup, py.UUID:
		return "", false
	}
	if s, ok := v.(stringer); ok {
		str := s.String()
		if len(str) > 0 && str[0] == '-' {
			str = str[1:]
		}
		return str, true
	}
	return "", false
}

// assignTarget has a field of every kind that Assign fills.
type assignTarget struct {
	B   bool              `json:"b"`
	I   int8              `json:"i"`
	U   uint64            `json:"u"`
	F   float32           `json:"f"`
	S   string            `json:"s"`
	Bs  []byte            `json:"bs"`
	L   []int             `json:"l"`
	A   [2]string         `json:"a"`
	M   map[string]any    `json:"m"`
	P   *assignTarget     `json:"p"`
	T   py.Tuple          `json:"t"`
	D   py.Dict           `json:"d"`
	Mk  py.Markup         `json:"mk"`
	ID  py.UUID           `json:"id"`
	At  time.Time         `json:"at"`
	Any any               `json:"any"`
	Mi  map[string]int    `json:"mi"`
	Ptr *[]map[string]any `json:"ptr"`
}

// FuzzAssign decodes tagged JSON and stores it with py.Assign into Go
// values of many kinds: it must never panic, a *any must receive the value
// unchanged, and every failure must be a documented error.
func FuzzAssign(f *testing.F) {
	for _, s := range jsonSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte(`{"b":true,"i":-128,"u":18446744073709551615,"f":1e39,"s":"x","bs":{" b":"AAE="},"l":[1,2],"a":["x","y"],"m":{},"p":{"p":{"i":1}},"t":{" t":[1]},"d":{"z":1,"a":2},"mk":{" m":"<b>"},"id":"12345678123456781234567812345678","at":{" d":"Sun, 06 Nov 1994 08:49:37 GMT"},"mi":{"a":1},"ptr":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := codec.TaggedJSON.DecodePayload(data, &v, itsdangerous.Limits{MaxDepth: 64}); err != nil {
			return
		}
		var a any
		if err := py.Assign(&a, v); err != nil || testvec.Diff(v, a) != "" {
			t.Fatalf("Assign into *any: %#v, %v; want %#v", a, err, v)
		}
		var st assignTarget
		var sl []assignTarget
		var m map[string]assignTarget
		for _, dst := range []any{&st, &sl, &m} {
			if err := py.Assign(dst, v); err != nil {
				var ae *py.AssignError
				if !errors.As(err, &ae) && !errors.Is(err, py.ErrTypeMismatch) && !errors.Is(err, py.ErrTooDeep) {
					t.Fatalf("Assign(%T, %#v): undocumented error %v (%T)", dst, v, err, err)
				}
				continue
			}
			if _, err := py.ValueOf(dst); err != nil {
				t.Fatalf("ValueOf(%#v) after Assign: %v", dst, err)
			}
		}
	})
}
