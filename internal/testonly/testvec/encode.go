package testvec

// Writing Go values as typed-value JSON (EncodeTV), the inverse of TV.Value.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/py"
)

// EncodeTV turns a Go value into typed-value JSON, for instance to send it
// to the Python oracle. The value is first normalized with py.ValueOf, so
// every type that package py accepts when encoding works (int kinds, any
// slice, string-keyed maps, structs). A map[string]any becomes a dict with
// its keys sorted (Go maps have no order); use py.Dict to choose the order.
// A string that is neither UTF-8 nor WTF-8 has no Python form and is an
// error, as is a time.Time outside years 1..9999. A time.Time keeps its
// zone's UTC offset (0 for UTC) and is truncated to microseconds, as Python
// holds them.
func EncodeTV(v any) (json.RawMessage, error) {
	nv, err := py.ValueOf(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadTV, err)
	}
	var buf bytes.Buffer
	if err := encodeTV(&buf, nv, 0); err != nil {
		return nil, err
	}
	return json.RawMessage(buf.Bytes()), nil
}

func encodeTV(w *bytes.Buffer, v any, depth int) error {
	if depth > maxTVDepth {
		return badTV("value nested more than %d levels", maxTVDepth)
	}
	switch x := v.(type) {
	case nil:
		w.WriteString(`{"t":"none"}`)
	case bool:
		w.WriteString(`{"t":"bool","v":` + strconv.FormatBool(x) + `}`)
	case int64:
		w.WriteString(`{"t":"int","v":"` + strconv.FormatInt(x, 10) + `"}`)
	case *big.Int:
		if x == nil {
			w.WriteString(`{"t":"none"}`)
			break
		}
		w.WriteString(`{"t":"int","v":"` + x.String() + `"}`)
	case big.Int:
		w.WriteString(`{"t":"int","v":"` + x.String() + `"}`)
	case float64:
		w.WriteString(`{"t":"float","v":"` + pyFloatRepr(x) + `"}`)
	case string:
		return encodeStr(w, x)
	case []byte:
		w.WriteString(`{"t":"bytes","v":"`)
		w.WriteString(fmt.Sprintf("%x", x))
		w.WriteString(`"}`)
	case py.Markup:
		w.WriteString(`{"t":"markup","v":`)
		if err := writeJSONString(w, string(x)); err != nil {
			return badTV("markup: %v", err)
		}
		w.WriteString(`}`)
	case py.UUID:
		w.WriteString(`{"t":"uuid","v":"` + x.Hex() + `"}`)
	case time.Time:
		_, off := x.Zone()
		secs := x.Unix()
		local := secs + int64(off)
		if secs < minDatetime || secs > maxDatetime || local < minDatetime || local > maxDatetime {
			return badTV("time %v is outside years 1..9999", x)
		}
		fmt.Fprintf(w, `{"t":"datetime","v":%d,"us":%d,"offset":%d}`, secs, x.Nanosecond()/1000, off)
	case []any:
		return encodeList(w, "list", x, depth)
	case py.Tuple:
		return encodeList(w, "tuple", x, depth)
	case map[string]any:
		return encodeDict(w, py.SortedDict(x), depth)
	case py.Dict:
		return encodeDict(w, x, depth)
	default:
		return badTV("no typed-value form for %T", v)
	}
	return nil
}

func encodeList(w *bytes.Buffer, tag string, items []any, depth int) error {
	w.WriteString(`{"t":"` + tag + `","v":[`)
	for i, it := range items {
		if i > 0 {
			w.WriteByte(',')
		}
		if err := encodeTV(w, it, depth+1); err != nil {
			return err
		}
	}
	w.WriteString(`]}`)
	return nil
}

func encodeDict(w *bytes.Buffer, d py.Dict, depth int) error {
	// A Dict holding a key twice keeps the first position with the last
	// value, as a Python dict literal does.
	index := make(map[string]int, len(d))
	var merged py.Dict
	for _, it := range d {
		if i, ok := index[it.Key]; ok {
			merged[i].Value = it.Value
			continue
		}
		index[it.Key] = len(merged)
		merged = append(merged, it)
	}
	w.WriteString(`{"t":"dict","v":[`)
	for i, it := range merged {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('[')
		if utf8.ValidString(it.Key) {
			if err := writeJSONString(w, it.Key); err != nil {
				return err
			}
		} else if err := encodeStr(w, it.Key); err != nil {
			return fmt.Errorf("dict key: %w", err)
		}
		w.WriteByte(',')
		if err := encodeTV(w, it.Value, depth+1); err != nil {
			return fmt.Errorf("dict[%q]: %w", it.Key, err)
		}
		w.WriteByte(']')
	}
	w.WriteString(`]}`)
	return nil
}

func encodeStr(w *bytes.Buffer, s string) error {
	if utf8.ValidString(s) {
		w.WriteString(`{"t":"str","v":`)
		if err := writeJSONString(w, s); err != nil {
			return err
		}
		w.WriteString(`}`)
		return nil
	}
	if !validWTF8([]byte(s)) {
		return badTV("string %.40q is neither UTF-8 nor WTF-8", s)
	}
	fmt.Fprintf(w, `{"t":"str","wtf8":"%x"}`, s)
	return nil
}

// writeJSONString writes s (valid UTF-8) as a JSON string literal, without
// HTML escaping.
func writeJSONString(w *bytes.Buffer, s string) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return badTV("%v", err)
	}
	w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return nil
}

// pyFloatRepr formats f the way Python's repr(float) does: the shortest
// digits that round-trip, fixed notation for decimal exponents -4..15 with at
// least one decimal ("1.0", "0.0001", "1000000000000000.0"), scientific
// notation otherwise with a signed exponent of at least two digits ("1e-05",
// "1e+16", "1.5e+300"), and "nan", "inf", "-inf".
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d[.ddd]e±XX
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e // Go's shortest 'e' form is Python's: 1e-05, 1.5e+300
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
