package pyjson

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/py"
)

// The known answers in testdata/python.json come from CPython's json module
// (see testdata/gen.py for the provenance and layout).

type outcome struct {
	Out *string `json:"out"`
	Err string  `json:"err"`
}

type writerCase struct {
	Name  string             `json:"name"`
	Value json.RawMessage    `json:"value"`
	Dumps map[string]outcome `json:"dumps"`
}

type readerCase struct {
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
	Want  json.RawMessage `json:"want"`
	Err   string          `json:"err"`
}

type vectorFile struct {
	Provenance map[string]string `json:"provenance"`
	Writer     []writerCase      `json:"writer"`
	Reader     []readerCase      `json:"reader"`
}

var (
	vectorsOnce sync.Once
	vectors     vectorFile
	vectorsErr  error
)

func loadVectors(tb testing.TB) *vectorFile {
	tb.Helper()
	vectorsOnce.Do(func() {
		b, err := os.ReadFile("testdata/python.json")
		if err != nil {
			vectorsErr = err
			return
		}
		vectorsErr = json.Unmarshal(b, &vectors)
	})
	if vectorsErr != nil {
		tb.Fatalf("loading testdata/python.json: %v", vectorsErr)
	}
	if len(vectors.Writer) == 0 || len(vectors.Reader) == 0 {
		tb.Fatalf("testdata/python.json holds %d writer and %d reader cases; want some of each",
			len(vectors.Writer), len(vectors.Reader))
	}
	return &vectors
}

// dialects maps the names used by gen.py to the json.dumps arguments.
var dialects = map[string]Dialect{
	"default":            {ASCII: true},
	"compact_raw":        {Compact: true},
	"compact_ascii_sort": {Compact: true, ASCII: true, SortKeys: true},
}

// pythonError maps the Python exception recorded by gen.py to the sentinel
// error the Go code must return.
func pythonError(t *testing.T, exc string) error {
	t.Helper()
	name, _, _ := strings.Cut(exc, ":")
	switch name {
	case "JSONDecodeError":
		return ErrSyntax
	case "UnicodeDecodeError", "UnicodeEncodeError":
		return ErrInvalidUTF8
	case "RecursionError":
		return ErrDepth
	case "TypeError":
		return ErrUnsupportedType
	case "ValueError":
		if strings.Contains(exc, "integer string conversion") {
			return ErrIntTooLong
		}
	}
	t.Fatalf("no Go error for Python exception %q", exc)
	return nil
}

// bytesField decodes a byte-string field: a JSON string or {"hex": ...}.
func bytesField(raw json.RawMessage) ([]byte, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return []byte(s), nil
	}
	var h struct {
		Hex *string `json:"hex"`
	}
	if err := json.Unmarshal(raw, &h); err != nil || h.Hex == nil {
		return nil, fmt.Errorf("bad byte-string field %s", raw)
	}
	return hex.DecodeString(*h.Hex)
}

type tvNode struct {
	T      string          `json:"t"`
	V      json.RawMessage `json:"v"`
	WTF8   *string         `json:"wtf8"`
	US     int64           `json:"us"`
	Offset *int64          `json:"offset"`
}

// fromTV rebuilds the Go value of a typed value. Dicts become py.Dict when
// ordered is set (keeping repeated keys as given), else map[string]any.
func fromTV(raw json.RawMessage, ordered bool) (any, error) {
	var n tvNode
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, err
	}
	switch n.T {
	case "none":
		return nil, nil
	case "bool":
		var b bool
		err := json.Unmarshal(n.V, &b)
		return b, err
	case "int":
		var s string
		if err := json.Unmarshal(n.V, &s); err != nil {
			return nil, err
		}
		b, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("bad int %q", s)
		}
		if b.IsInt64() {
			return b.Int64(), nil
		}
		return b, nil
	case "float":
		var s string
		if err := json.Unmarshal(n.V, &s); err != nil {
			return nil, err
		}
		switch s {
		case "nan":
			return math.NaN(), nil
		case "inf":
			return math.Inf(1), nil
		case "-inf":
			return math.Inf(-1), nil
		}
		return strconv.ParseFloat(s, 64)
	case "str", "markup":
		var s string
		if n.WTF8 != nil {
			b, err := hex.DecodeString(*n.WTF8)
			if err != nil {
				return nil, err
			}
			s = string(b)
		} else if err := json.Unmarshal(n.V, &s); err != nil {
			return nil, err
		}
		if n.T == "markup" {
			return py.Markup(s), nil
		}
		return s, nil
	case "bytes":
		var s string
		if err := json.Unmarshal(n.V, &s); err != nil {
			return nil, err
		}
		return hex.DecodeString(s)
	case "uuid":
		var s string
		if err := json.Unmarshal(n.V, &s); err != nil {
			return nil, err
		}
		return py.ParseUUID(s)
	case "datetime":
		var sec int64
		if err := json.Unmarshal(n.V, &sec); err != nil {
			return nil, err
		}
		return time.Unix(sec, n.US*1000).UTC(), nil
	case "list", "tuple":
		var elems []json.RawMessage
		if err := json.Unmarshal(n.V, &elems); err != nil {
			return nil, err
		}
		out := make([]any, len(elems))
		for i, e := range elems {
			v, err := fromTV(e, ordered)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		if n.T == "tuple" {
			return py.Tuple(out), nil
		}
		return out, nil
	case "dict":
		var pairs [][2]json.RawMessage
		if err := json.Unmarshal(n.V, &pairs); err != nil {
			return nil, err
		}
		d := py.Dict{}
		m := map[string]any{}
		for _, p := range pairs {
			var k string
			if err := json.Unmarshal(p[0], &k); err != nil {
				kv, err := fromTV(p[0], ordered)
				if err != nil {
					return nil, err
				}
				var ok bool
				if k, ok = kv.(string); !ok {
					return nil, fmt.Errorf("dict key %s is not a str", p[0])
				}
			}
			v, err := fromTV(p[1], ordered)
			if err != nil {
				return nil, err
			}
			d = append(d, py.Item{Key: k, Value: v})
			m[k] = v
		}
		if ordered {
			return d, nil
		}
		return m, nil
	}
	return nil, fmt.Errorf("unknown tv type %q", n.T)
}

// equal compares decoded values exactly: same Go types, NaN equal to NaN,
// -0.0 different from 0.0, py.Dict order significant.
func equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	case float64:
		y, ok := b.(float64)
		if !ok {
			return false
		}
		if math.IsNaN(x) || math.IsNaN(y) {
			return math.IsNaN(x) && math.IsNaN(y)
		}
		return math.Float64bits(x) == math.Float64bits(y)
	case string:
		y, ok := b.(string)
		return ok && x == y
	case py.Markup:
		y, ok := b.(py.Markup)
		return ok && x == y
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) == string(y)
	case []any:
		y, ok := b.([]any)
		return ok && equalSlices(x, y)
	case py.Tuple:
		y, ok := b.(py.Tuple)
		return ok && equalSlices(x, y)
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equal(v, w) {
				return false
			}
		}
		return true
	case py.Dict:
		y, ok := b.(py.Dict)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i].Key != y[i].Key || !equal(x[i].Value, y[i].Value) {
				return false
			}
		}
		return true
	}
	return false
}

func equalSlices(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !equal(x[i], y[i]) {
			return false
		}
	}
	return true
}

func short(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

func TestAppendPython(t *testing.T) {
	vf := loadVectors(t)
	n := 0
	for _, c := range vf.Writer {
		ordered, err := fromTV(c.Value, true)
		if err != nil {
			t.Fatalf("%s: bad tv: %v", c.Name, err)
		}
		unordered, err := fromTV(c.Value, false)
		if err != nil {
			t.Fatalf("%s: bad tv: %v", c.Name, err)
		}
		for dname, want := range c.Dumps {
			d, ok := dialects[dname]
			if !ok {
				t.Fatalf("%s: unknown dialect %q", c.Name, dname)
			}
			inputs := []struct {
				kind string
				v    any
			}{{"py.Dict", ordered}}
			if d.SortKeys {
				// Sorted output does not depend on order: Go maps must match too.
				inputs = append(inputs, struct {
					kind string
					v    any
				}{"map", unordered})
			}
			for _, in := range inputs {
				t.Run(c.Name+"/"+dname+"/"+in.kind, func(t *testing.T) {
					n++
					prefix := []byte("prefix")
					got, err := Append(prefix, in.v, d)
					if want.Out == nil {
						wantErr := pythonError(t, want.Err)
						if !errors.Is(err, wantErr) {
							t.Fatalf("Append = %q, %v; want error %v (Python: %s)", got, err, wantErr, want.Err)
						}
						if string(got) != "prefix" {
							t.Errorf("Append changed dst on error: %q", got)
						}
						return
					}
					if err != nil {
						t.Fatalf("Append: %v; want %s", err, short(*want.Out))
					}
					if string(got) != "prefix"+*want.Out {
						t.Errorf("Append:\n got %s\nwant prefix%s", short(string(got)), short(*want.Out))
					}
				})
			}
		}
	}
	if n == 0 {
		t.Fatal("no writer cases ran")
	}
}

// TestAppendStringPython checks AppendString on every str value of the
// writer cases.
func TestAppendStringPython(t *testing.T) {
	vf := loadVectors(t)
	n := 0
	for _, c := range vf.Writer {
		v, err := fromTV(c.Value, true)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := v.(string)
		if !ok {
			continue
		}
		for _, dname := range []string{"default", "compact_raw"} {
			want := c.Dumps[dname]
			n++
			got, err := AppendString(nil, s, dialects[dname].ASCII)
			if want.Out == nil {
				if !errors.Is(err, ErrInvalidUTF8) {
					t.Errorf("%s/%s: AppendString = %q, %v; want ErrInvalidUTF8 (Python: %s)", c.Name, dname, got, err, want.Err)
				}
				continue
			}
			if err != nil || string(got) != *want.Out {
				t.Errorf("%s/%s: AppendString = %q, %v; want %q", c.Name, dname, got, err, *want.Out)
			}
		}
	}
	if n == 0 {
		t.Fatal("no str writer cases")
	}
}

func TestDecodePython(t *testing.T) {
	vf := loadVectors(t)
	for _, c := range vf.Reader {
		input, err := bytesField(c.Input)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		for _, ordered := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/ordered=%v", c.Name, ordered), func(t *testing.T) {
				got, err := Decode(input, Options{Ordered: ordered})
				if c.Err != "" {
					wantErr := pythonError(t, c.Err)
					if !errors.Is(err, wantErr) {
						t.Fatalf("Decode(%q) = %#v, %v; want error %v (Python: %s)", short(string(input)), got, err, wantErr, c.Err)
					}
					var de *DecodeError
					if !errors.As(err, &de) || !strings.Contains(err.Error(), "at offset ") {
						t.Errorf("error %q is not a *DecodeError with an offset", err)
					}
					return
				}
				want, err2 := fromTV(c.Want, ordered)
				if err2 != nil {
					t.Fatalf("bad tv: %v", err2)
				}
				if err != nil {
					t.Fatalf("Decode(%q): %v", short(string(input)), err)
				}
				if !equal(got, want) {
					t.Errorf("Decode(%q)\n got %s\nwant %s", short(string(input)), short(fmt.Sprintf("%#v", got)), short(fmt.Sprintf("%#v", want)))
				}
			})
		}
	}
}
