package codec

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// The keys of Flask's tags, in the order Flask tries them.
const (
	tagDict     = " di"
	tagTuple    = " t"
	tagBytes    = " b"
	tagMarkup   = " m"
	tagUUID     = " u"
	tagDateTime = " d"
)

func isTag(key string) bool {
	switch key {
	case tagDict, tagTuple, tagBytes, tagMarkup, tagUUID, tagDateTime:
		return true
	}
	return false
}

// ErrUnsupportedType is matched by an Encode error for a value that
// Flask's session cannot hold.
var ErrUnsupportedType = errors.New("codec: unsupported type")

// TaggedJSON is Flask's TaggedJSONSerializer as Flask uses it for the
// session inside a request: compact separators, non-ASCII escaped, keys
// sorted. Tuples, bytes, Markup, UUIDs and datetimes are tagged so that
// they come back with their types (see the package documentation). It
// implements itsdangerous.PayloadFormat.
var TaggedJSON itsdangerous.PayloadFormat = taggedJSON{sortKeys: true}

// TaggedJSONInsertionOrder is TaggedJSON with keys in insertion order, as
// Flask 2.2 writes them when an app sets JSON_SORT_KEYS = False. Only a
// py.Dict has an insertion order; Go maps are still written sorted.
var TaggedJSONInsertionOrder itsdangerous.PayloadFormat = taggedJSON{sortKeys: false}

// MaxDepth is the deepest JSON nesting that Encode writes in a session:
// the session's own dict is level 1, every list and dict one more, a tuple
// two ({" t": [...]}), an escaped one-key dict two ({" di": {...}}), and
// bytes, Markup, UUIDs and datetimes one ({" b": ...}).
//
// Flask tags the session recursively when it saves it (any change, or the
// refresh of a permanent session on every request), Flask 3.0.1 and later
// untag it recursively when they load it, and Flask answers 500 to every
// request whose session it cannot load or save (open_session catches only
// BadSignature): a deeper cookie would break the Flask app for that user.
// Measured inside requests to a live Flask (Werkzeug's threaded server,
// CPython 3.11) by compat/live_depth_test.go: Flask 3.1.1 loads sessions
// up to 489 levels deep (Flask 2.2.2: 972), and both save them only up to
// 325 levels of lists or dicts, 487 levels of tuples (243 tuples) and 390
// levels of the three in turn, failing one level deeper. MaxDepth keeps a
// quarter of the lowest, 325, as a margin for deeper stacks (other
// servers, middleware, extensions). Decoding is not limited by it: cookies
// up to itsdangerous.DefaultMaxDepth levels decode.
const MaxDepth = 240

// ErrTooDeep is matched by an Encode error for a session nested deeper
// than MaxDepth, which Flask 3.1 cannot load inside a request.
var ErrTooDeep = errors.New("codec: session nested too deeply for Flask")

// maxTagDepth bounds the exported formats, TaggedJSON and
// TaggedJSONInsertionOrder, which are Flask's serializer for any use; the
// codecs write sessions with MaxDepth (sessionFormat).
const maxTagDepth = 10000

type taggedJSON struct {
	sortKeys bool
	maxDepth int // 0: maxTagDepth
}

// sessionFormat returns f with the session depth limit MaxDepth, when f
// is one of the tagged JSON formats.
func sessionFormat(f itsdangerous.PayloadFormat) itsdangerous.PayloadFormat {
	if t, ok := f.(taggedJSON); ok {
		t.maxDepth = MaxDepth
		return t
	}
	return f
}

// AppendPayload appends the tagged JSON of v to dst, as Flask's dumps
// writes it.
func (f taggedJSON) AppendPayload(dst []byte, v any) ([]byte, error) {
	w := tagWriter{sortKeys: f.sortKeys, maxDepth: f.maxDepth}
	if w.maxDepth == 0 {
		w.maxDepth = maxTagDepth
	}
	if m, ok := v.(map[string]any); ok && len(m) <= flatMembers {
		// A small session whose values need no conversion (flatValue) is
		// written from its members, sorted, after one walk of the map:
		// py.ValueOf would copy it only to turn int into int64, which the
		// writer does itself. The members are kept in a local array, where
		// storing them needs no write barrier, and sorted by index.
		var items [flatMembers]py.Item
		n, flat := 0, true
		for k, v := range m {
			if !flatValue(v, flatNesting) {
				flat = false
				break
			}
			items[n] = py.Item{Key: k, Value: v}
			n++
		}
		if flat {
			var order [flatMembers]uint8
			return w.flatDict(dst, &items, sortedOrder(&items, order[:n]))
		}
	}
	g, err := py.ValueOf(v)
	if err != nil {
		return dst, fmt.Errorf("%w: %w", ErrUnsupportedType, err)
	}
	return w.value(dst, g, 0)
}

// flatMembers is the most members of a session AppendPayload writes
// without py.ValueOf (Flask-Login's sessions have about six).
const flatMembers = 12

// flatNesting is how deep flatValue follows lists and tuples: deep enough
// for Flask's flashes, a list of (category, message) tuples.
const flatNesting = 2

// flatValue reports whether v is a scalar that py.ValueOf leaves alone or
// only widens from int to int64 (both of which the writer takes), or a
// list or tuple of such values, nested at most containers deep.
func flatValue(v any, containers int) bool {
	switch x := v.(type) {
	case nil, bool, int, int64, float64, string:
		return true
	case []any:
		return containers > 0 && flatList(x, containers-1)
	case py.Tuple:
		return containers > 0 && flatList(x, containers-1)
	}
	return false
}

func flatList(items []any, containers int) bool {
	for _, it := range items {
		if !flatValue(it, containers) {
			return false
		}
	}
	return true
}

// sortedOrder fills order with the indexes of the first len(order) items
// (distinct keys), sorted by key, and returns it: by insertion, moving
// bytes rather than items.
func sortedOrder(items *[flatMembers]py.Item, order []uint8) []uint8 {
	for i := range order {
		k := items[i].Key
		j := i
		for ; j > 0 && keyLess(k, items[order[j-1]].Key); j-- {
			order[j] = order[j-1]
		}
		order[j] = uint8(i)
	}
	return order
}

// keyLess is a < b, deciding on the first bytes without a call when they
// differ.
func keyLess(a, b string) bool {
	if a != "" && b != "" && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// flatDict writes the session of AppendPayload's items in the given
// order, as value writes the map they come from.
func (w *tagWriter) flatDict(dst []byte, items *[flatMembers]py.Item, order []uint8) ([]byte, error) {
	if err := w.open(1); err != nil {
		return dst, err
	}
	if len(order) == 1 && isTag(items[0].Key) {
		return w.escapedDict(dst, items[0].Key, items[0].Value, 0)
	}
	dst = append(dst, '{')
	var err error
	for i, j := range order {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = w.member(dst, items[j].Key, items[j].Value, 0); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

type tagWriter struct {
	sortKeys bool
	maxDepth int
}

// open checks that a JSON container at nesting level lvl may be written.
func (w *tagWriter) open(lvl int) error {
	if lvl <= w.maxDepth {
		return nil
	}
	if w.maxDepth == maxTagDepth {
		return fmt.Errorf("%w: nesting deeper than %d", ErrUnsupportedType, maxTagDepth)
	}
	return fmt.Errorf("%w: nesting deeper than %d levels", ErrTooDeep, w.maxDepth)
}

// value writes v, a member or item of a container at nesting level depth
// (0 for the top).
func (w *tagWriter) value(dst []byte, v any, depth int) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case map[string]any:
		if err := w.open(depth + 1); err != nil {
			return dst, err
		}
		if len(x) == 1 {
			for k, val := range x {
				if isTag(k) {
					return w.escapedDict(dst, k, val, depth)
				}
			}
		}
		var kb [8]string // room for the keys of a small session
		keys := sortedKeys(kb[:0], x)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = w.member(dst, k, x[k], depth); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case py.Dict:
		if err := w.open(depth + 1); err != nil {
			return dst, err
		}
		x = dedupe(x)
		if len(x) == 1 && isTag(x[0].Key) {
			return w.escapedDict(dst, x[0].Key, x[0].Value, depth)
		}
		if w.sortKeys {
			x = append(py.Dict(nil), x...)
			sort.SliceStable(x, func(i, j int) bool { return x[i].Key < x[j].Key })
		}
		dst = append(dst, '{')
		for i, it := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = w.member(dst, it.Key, it.Value, depth); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case py.Tuple:
		if err := w.open(depth + 2); err != nil {
			return dst, err
		}
		dst = append(dst, `{" t":`...)
		if dst, err = w.list(dst, x, depth+1); err != nil {
			return dst, err
		}
		return append(dst, '}'), nil
	case []any:
		if err := w.open(depth + 1); err != nil {
			return dst, err
		}
		return w.list(dst, x, depth)
	case py.Markup, py.UUID, time.Time:
		if err := w.open(depth + 1); err != nil {
			return dst, err
		}
	}
	switch x := v.(type) {
	case []byte:
		if err := w.open(depth + 1); err != nil {
			return dst, err
		}
		dst = append(dst, `{" b":"`...)
		n := base64.StdEncoding.EncodedLen(len(x))
		dst = append(dst, make([]byte, n)...)
		base64.StdEncoding.Encode(dst[len(dst)-n:], x)
		return append(dst, `"}`...), nil
	case py.Markup:
		dst = append(dst, `{" m":`...)
		if dst, err = pyjson.AppendString(dst, string(x), true); err != nil {
			return dst, err
		}
		return append(dst, '}'), nil
	case py.UUID:
		dst = append(dst, `{" u":"`...)
		dst = append(dst, x.Hex()...)
		return append(dst, `"}`...), nil
	case time.Time:
		dst = append(dst, `{" d":"`...)
		if dst, err = appendHTTPDate(dst, x); err != nil {
			return dst, fmt.Errorf("%w: %w", ErrUnsupportedType, err)
		}
		return append(dst, `"}`...), nil
	case string:
		return pyjson.AppendString(dst, x, true)
	case int64:
		return pyjson.AppendInt(dst, x), nil
	case int: // only from AppendPayload's flat sessions; py.ValueOf widens the others
		return pyjson.AppendInt(dst, int64(x)), nil
	case float64:
		return pyjson.AppendFloat(dst, x), nil
	case bool:
		if x {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case nil:
		return append(dst, "null"...), nil
	case *big.Int:
		if x == nil {
			return append(dst, "null"...), nil
		}
		return pyjson.AppendBigInt(dst, x), nil
	}
	return pyjson.Append(dst, v, pyjson.Dialect{Compact: true, ASCII: true, SortKeys: w.sortKeys})
}

// escapedDict writes Flask's TagDict: a one-key dict whose key is itself a
// tag key is wrapped so that it is not mistaken for a tagged value. The
// dict is at level depth+1; its wrapper adds one.
func (w *tagWriter) escapedDict(dst []byte, key string, val any, depth int) ([]byte, error) {
	if err := w.open(depth + 2); err != nil {
		return dst, err
	}
	dst = append(dst, `{" di":{`...)
	dst, err := w.member(dst, key+"__", val, depth+1)
	if err != nil {
		return dst, err
	}
	return append(dst, "}}"...), nil
}

func (w *tagWriter) member(dst []byte, key string, val any, depth int) ([]byte, error) {
	dst, err := pyjson.AppendString(dst, key, true)
	if err != nil {
		return dst, err
	}
	dst = append(dst, ':')
	return w.value(dst, val, depth+1)
}

func (w *tagWriter) list(dst []byte, items []any, depth int) ([]byte, error) {
	dst = append(dst, '[')
	var err error
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = w.value(dst, it, depth+1); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}

// sortedKeys appends the keys of m to keys, sorted by code point (which byte order
// of UTF-8, and of the WTF-8 surrogates, gives).
func sortedKeys(keys []string, m map[string]any) []string {
	for k := range m {
		keys = append(keys, k)
	}
	if len(keys) > 1 {
		slices.Sort(keys)
	}
	return keys
}

// dedupe keeps the first position and the last value of a repeated key, as
// a Python dict built from the items would.
func dedupe(d py.Dict) py.Dict {
	if len(d) < 2 {
		return d
	}
	seen := make(map[string]int, len(d))
	dup := false
	for i, it := range d {
		if _, ok := seen[it.Key]; ok {
			dup = true
			break
		}
		seen[it.Key] = i
	}
	if !dup {
		return d
	}
	out := make(py.Dict, 0, len(d))
	pos := make(map[string]int, len(d))
	for _, it := range d {
		if i, ok := pos[it.Key]; ok {
			out[i].Value = it.Value
			continue
		}
		pos[it.Key] = len(out)
		out = append(out, it)
	}
	return out
}
