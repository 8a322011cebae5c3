package testvec

import (
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/flaskcookie/flaskcookie/py"
)

// Diff compares two values of the py value model exactly and returns "" when
// they are equal, else a description of the first difference with its path
// (such as `$.a[2]`).
//
// Types must match: int64 and *big.Int are both "int" and compare by value,
// but a Tuple differs from a []any, a Markup from a string, an int from a
// float. Floats compare by value except that NaN equals NaN and -0.0 differs
// from 0.0. A time.Time compares as an instant. A map[string]any ignores
// order; a py.Dict compares in order; a map and a Dict compare as dicts with
// the same items regardless of order.
func Diff(want, got any) string {
	return diff("$", want, got)
}

func diff(path string, want, got any) string {
	mismatch := func(what string) string {
		return fmt.Sprintf("%s: %s: want %s, got %s", path, what, short(want), short(got))
	}
	if wi, ok := asInt(want); ok {
		gi, ok := asInt(got)
		if !ok {
			return mismatch("type")
		}
		if wi.Cmp(gi) != 0 {
			return mismatch("int value")
		}
		return ""
	}
	switch w := want.(type) {
	case nil:
		if got != nil {
			return mismatch("type")
		}
	case bool:
		g, ok := got.(bool)
		if !ok {
			return mismatch("type")
		}
		if g != w {
			return mismatch("value")
		}
	case float64:
		g, ok := got.(float64)
		if !ok {
			return mismatch("type")
		}
		if math.IsNaN(w) || math.IsNaN(g) {
			if !(math.IsNaN(w) && math.IsNaN(g)) {
				return mismatch("float value")
			}
			return ""
		}
		if w != g || math.Signbit(w) != math.Signbit(g) {
			return mismatch("float value")
		}
	case string:
		g, ok := got.(string)
		if !ok {
			return mismatch("type")
		}
		if g != w {
			return mismatch("str value")
		}
	case []byte:
		g, ok := got.([]byte)
		if !ok {
			return mismatch("type")
		}
		if string(g) != string(w) {
			return mismatch("bytes value")
		}
	case py.Markup:
		g, ok := got.(py.Markup)
		if !ok {
			return mismatch("type")
		}
		if g != w {
			return mismatch("markup value")
		}
	case py.UUID:
		g, ok := got.(py.UUID)
		if !ok {
			return mismatch("type")
		}
		if g != w {
			return mismatch("uuid value")
		}
	case time.Time:
		g, ok := got.(time.Time)
		if !ok {
			return mismatch("type")
		}
		if !g.Equal(w) {
			return mismatch("datetime value")
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			return mismatch("type")
		}
		return diffList(path, w, g)
	case py.Tuple:
		g, ok := got.(py.Tuple)
		if !ok {
			return mismatch("type")
		}
		return diffList(path, w, g)
	case map[string]any, py.Dict:
		wd, _ := asDict(want)
		gd, ok := asDict(got)
		if !ok {
			return mismatch("type")
		}
		_, wOrdered := want.(py.Dict)
		_, gOrdered := got.(py.Dict)
		return diffDict(path, wd, gd, wOrdered && gOrdered)
	default:
		return fmt.Sprintf("%s: want holds %T, which is not a py value", path, want)
	}
	return ""
}

func diffList(path string, w, g []any) string {
	if len(w) != len(g) {
		return fmt.Sprintf("%s: length: want %d, got %d", path, len(w), len(g))
	}
	for i := range w {
		if d := diff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i]); d != "" {
			return d
		}
	}
	return ""
}

func diffDict(path string, w, g py.Dict, ordered bool) string {
	if ordered {
		for i := 0; i < len(w) && i < len(g); i++ {
			if w[i].Key != g[i].Key {
				return fmt.Sprintf("%s: key %d: want %q, got %q", path, i, w[i].Key, g[i].Key)
			}
		}
	}
	if len(w) != len(g) {
		return fmt.Sprintf("%s: dict size: want %d, got %d", path, len(w), len(g))
	}
	gm := make(map[string]any, len(g))
	for _, it := range g {
		gm[it.Key] = it.Value
	}
	for _, it := range w {
		gv, ok := gm[it.Key]
		if !ok {
			return fmt.Sprintf("%s: key %q missing", path, it.Key)
		}
		if d := diff(fmt.Sprintf("%s[%q]", path, it.Key), it.Value, gv); d != "" {
			return d
		}
	}
	return ""
}

func asInt(v any) (*big.Int, bool) {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x), true
	case *big.Int:
		if x == nil {
			return nil, false
		}
		return x, true
	}
	return nil, false
}

func asDict(v any) (py.Dict, bool) {
	switch x := v.(type) {
	case py.Dict:
		return x, true
	case map[string]any:
		return py.SortedDict(x), true
	}
	return nil, false
}

func short(v any) string {
	s := fmt.Sprintf("%T(%v)", v, v)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
