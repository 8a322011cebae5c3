package codec

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
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

func (f taggedJSON) AppendPayload(dst []byte, v any) ([]byte, error) {
	w := tagWriter{sortKeys: f.sortKeys, maxDepth: f.maxDepth}
	if w.maxDepth == 0 {
		w.maxDepth = maxTagDepth
	}
	if m, ok := v.(map[string]any); ok {
		// py.ValueOf would copy a map of scalars only to turn int into
		// int64, which the writer does itself.
		var room [8]py.Item // the members of a small session
		if items, ok := flatSession(room[:0], m); ok {
			return w.flatDict(dst, items)
		}
	}
	g, err := py.ValueOf(v)
	if err != nil {
		return dst, fmt.Errorf("%w: %w", ErrUnsupportedType, err)
	}
	return w.value(dst, g, 0)
}

// flatSession appends the members of m to items, sorted by key, and
// reports whether every value is a scalar that py.ValueOf leaves alone or
// only widens from int to int64. It walks the map once.
func flatSession(items []py.Item, m map[string]any) ([]py.Item, bool) {
	for k, v := range m {
		switch v.(type) {
		case nil, bool, int, int64, float64, string:
		default:
			return items, false
		}
		items = append(items, py.Item{Key: k, Value: v})
	}
	if len(items) > 1 {
		slices.SortFunc(items, func(a, b py.Item) int { return strings.Compare(a.Key, b.Key) })
	}
	return items, true
}

// flatDict writes the session of flatSession's items, as value writes
// the map they come from.
func (w *tagWriter) flatDict(dst []byte, items []py.Item) ([]byte, error) {
	if err := w.open(1); err != nil {
		return dst, err
	}
	if len(items) == 1 && isTag(items[0].Key) {
		return w.escapedDict(dst, items[0].Key, items[0].Value, 0)
	}
	dst = append(dst, '{')
	var err error
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = w.member(dst, it.Key, it.Value, 0); err != nil {
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
	case int: // only from flatSession's maps; py.ValueOf widens the others
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

func (f taggedJSON) DecodePayload(data []byte, v any, lim itsdangerous.Limits) error {
	// One pass: each one-key object is untagged as soon as it is read,
	// bottom-up, as untag does after the fact.
	g, err := pyjson.Decode(data, pyjson.Options{MaxDepth: lim.MaxDepth, MaxValues: lim.MaxValues, OneKey: untagOne})
	if err != nil {
		var je *pyjson.DecodeError
		if errors.As(err, &je) {
			return err // the first JSON error, as decodeGeneral finds it
		}
		// A tag Flask cannot load, or one whose meaning depends on the
		// order of keys: decide as decodeGeneral does (a later
		// duplicate key may even drop the value, or a JSON error
		// after it come first).
		return decodeGeneral(data, v, lim)
	}
	return py.Assign(v, g)
}

// untagOne is untag for an object of one key, as pyjson.Options.OneKey.
func untagOne(key string, val any) (any, bool, error) {
	if !isTag(key) {
		return nil, false, nil
	}
	u, err := toPython(key, val)
	return u, true, err
}

// decodeGeneral decodes tagged JSON in two passes: the JSON, then untag
// over the value. It is the reference for DecodePayload's one pass, and
// its fallback for malformed tags.
func decodeGeneral(data []byte, v any, lim itsdangerous.Limits) error {
	g, err := pyjson.Decode(data, pyjson.Options{MaxDepth: lim.MaxDepth, MaxValues: lim.MaxValues})
	if err != nil {
		return err
	}
	u, err := untag(g, false)
	if err != nil {
		// A malformed tag. Its meaning may depend on the order of
		// keys (errNeedOrder), and with several, the one Flask reports
		// is the first in the document (maps are walked in random
		// order): decode again keeping the order.
		if g, err = pyjson.Decode(data, pyjson.Options{MaxDepth: lim.MaxDepth, MaxValues: lim.MaxValues, Ordered: true}); err != nil {
			return err
		}
		if u, err = untag(g, true); err == nil {
			u = toMaps(u)
		}
	}
	if err != nil {
		return err
	}
	return py.Assign(v, u)
}

// errNeedOrder reports that untagging needs the order of an object's keys,
// which maps do not keep.
var errNeedOrder = errors.New("codec: key order needed")

// errBadTag is the cause of a tagged value that Flask fails to load.
var errBadTag = errors.New("bad tagged value")

// untag turns tagged JSON into Python's values bottom-up, as Flask's
// TaggedJSONSerializer.loads does: the values of each object are untagged
// first, then an object with exactly one key that is a tag is replaced by
// the tag's value. In ordered mode objects are py.Dict throughout.
func untag(v any, ordered bool) (any, error) {
	var err error
	switch x := v.(type) {
	case map[string]any:
		var last string
		for k, val := range x {
			last = k
			switch val.(type) {
			case map[string]any, py.Dict, []any:
				// Only containers change; scalars stay as they are.
				if x[k], err = untag(val, ordered); err != nil {
					return nil, err
				}
			}
		}
		if len(x) == 1 && isTag(last) {
			return toPython(last, x[last])
		}
		return x, nil
	case py.Dict:
		for i := range x {
			if x[i].Value, err = untag(x[i].Value, ordered); err != nil {
				return nil, err
			}
		}
		if len(x) == 1 && isTag(x[0].Key) {
			return toPython(x[0].Key, x[0].Value)
		}
		return v, nil // the same slice; boxing it again would allocate
	case []any:
		for i, val := range x {
			if x[i], err = untag(val, ordered); err != nil {
				return nil, err
			}
		}
		return v, nil // the same slice, changed in place
	}
	return v, nil
}

func tagError(tag, format string, args ...any) error {
	return fmt.Errorf("%w %q: "+format, append([]any{errBadTag, tag}, args...)...)
}

// toPython is the to_python of Flask's tag for key, applied to an already
// untagged value. Each case follows what the Python call does with the
// types JSON can produce.
func toPython(key string, val any) (any, error) {
	switch key {
	case tagDict:
		// key = next(iter(value)); return {key[:-2]: value[key]}
		switch d := val.(type) {
		case map[string]any:
			if len(d) > 1 {
				return nil, errNeedOrder
			}
			for k, inner := range d {
				return map[string]any{dropLastRunes(k, 2): inner}, nil
			}
			return nil, tagError(key, "empty object")
		case py.Dict:
			if len(d) == 0 {
				return nil, tagError(key, "empty object")
			}
			return py.Dict{{Key: dropLastRunes(d[0].Key, 2), Value: d[0].Value}}, nil
		}
		return nil, tagError(key, "value of type %s", py.TypeName(val))
	case tagTuple:
		// tuple(value)
		switch x := val.(type) {
		case []any:
			return py.Tuple(x), nil
		case py.Tuple:
			return x, nil
		case string:
			return stringTuple(x), nil
		case py.Markup:
			return stringTuple(string(x)), nil
		case []byte:
			t := make(py.Tuple, len(x))
			for i, c := range x {
				t[i] = int64(c)
			}
			return t, nil
		case map[string]any:
			if len(x) > 1 {
				return nil, errNeedOrder
			}
			t := py.Tuple{}
			for k := range x {
				t = append(t, k)
			}
			return t, nil
		case py.Dict:
			t := make(py.Tuple, len(x))
			for i, it := range x {
				t[i] = it.Key
			}
			return t, nil
		}
		return nil, tagError(key, "value of type %s is not iterable", py.TypeName(val))
	case tagBytes:
		// base64.b64decode(value), not validating, no padding added.
		var src []byte
		switch x := val.(type) {
		case string:
			src = []byte(x)
		case py.Markup:
			src = []byte(x)
		case []byte:
			src = x
		default:
			return nil, tagError(key, "value of type %s is not base64 text", py.TypeName(val))
		}
		for _, c := range src {
			if c >= utf8.RuneSelf {
				if _, ok := val.([]byte); !ok {
					return nil, tagError(key, "string argument should contain only ASCII characters")
				}
			}
		}
		out, err := pybase64.DecodeStd(make([]byte, 0, len(src)*3/4+3), src)
		if err != nil {
			return nil, tagError(key, "%v", err)
		}
		return out, nil
	case tagMarkup:
		// Markup(value): str(value) for anything without __html__.
		switch x := val.(type) {
		case string:
			return py.Markup(x), nil
		case py.Markup:
			return x, nil
		}
		if hasUnorderedDict(val) {
			// str() writes a dict in insertion order, which a map lost.
			return nil, errNeedOrder
		}
		return py.Markup(py.Str(val)), nil
	case tagUUID:
		// uuid.UUID(value)
		var s string
		switch x := val.(type) {
		case string:
			s = x
		case py.Markup:
			s = string(x)
		default:
			return nil, tagError(key, "value of type %s is not a UUID string", py.TypeName(val))
		}
		u, err := py.ParseUUID(s)
		if err != nil {
			return nil, tagError(key, "badly formed hexadecimal UUID string")
		}
		return u, nil
	case tagDateTime:
		// werkzeug.http.parse_date(value): None when it cannot parse.
		var s string
		switch x := val.(type) {
		case string:
			s = x
		case py.Markup:
			s = string(x)
		case []byte:
			// email.utils fails on bytes with a TypeError, which
			// parse_date turns into None.
			return nil, nil
		default:
			if falsy(val) {
				return nil, nil
			}
			return nil, tagError(key, "value of type %s is not a date string", py.TypeName(val))
		}
		// parse_date returns None for what it cannot parse, but lets an
		// OverflowError through (a field too large for a C int), which
		// fails the load.
		t, ok, err := parseHTTPDateExact(s)
		if err != nil {
			return nil, tagError(key, "%v", err)
		}
		if ok {
			return t, nil
		}
		return nil, nil
	}
	return nil, tagError(key, "unknown tag")
}

// hasUnorderedDict reports whether v holds a map of more than one key,
// whose order Python's str() would show.
func hasUnorderedDict(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if len(x) > 1 {
			return true
		}
		for _, e := range x {
			if hasUnorderedDict(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasUnorderedDict(e) {
				return true
			}
		}
	case py.Tuple:
		for _, e := range x {
			if hasUnorderedDict(e) {
				return true
			}
		}
	}
	return false
}

// falsy reports whether Python's bool(v) is False.
func falsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case int64:
		return x == 0
	case *big.Int:
		return x.Sign() == 0
	case float64:
		return x == 0 && !math.IsNaN(x)
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case py.Tuple:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	case py.Dict:
		return len(x) == 0
	case []byte:
		return len(x) == 0
	}
	return false
}

// stringTuple is tuple(s) for a str: one string per code point. A lone
// surrogate, kept as three WTF-8 bytes, is one code point.
func stringTuple(s string) py.Tuple {
	t := make(py.Tuple, 0, len(s))
	for i := 0; i < len(s); {
		n := runeLen(s[i:])
		t = append(t, s[i:i+n])
		i += n
	}
	return t
}

// dropLastRunes is Python's s[:-n] on code points.
func dropLastRunes(s string, n int) string {
	end := len(s)
	for ; n > 0 && end > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:end])
		if size == 1 && end >= 3 && isSurrogateWTF8(s[end-3:end]) {
			size = 3
		}
		end -= size
	}
	return s[:end]
}

// runeLen is the byte length of the code point at the start of s, counting
// a WTF-8 surrogate as one.
func runeLen(s string) int {
	if len(s) >= 3 && isSurrogateWTF8(s[:3]) {
		return 3
	}
	_, n := utf8.DecodeRuneInString(s)
	return n
}

func isSurrogateWTF8(b string) bool {
	return len(b) == 3 && b[0] == 0xED && b[1] >= 0xA0 && b[1] <= 0xBF && b[2] >= 0x80 && b[2] <= 0xBF
}

// toMaps turns every py.Dict of an ordered decode into a map.
func toMaps(v any) any {
	switch x := v.(type) {
	case py.Dict:
		m := make(map[string]any, len(x))
		for _, it := range x {
			m[it.Key] = toMaps(it.Value)
		}
		return m
	case map[string]any:
		for k, val := range x {
			x[k] = toMaps(val)
		}
		return x
	case []any:
		for i, val := range x {
			x[i] = toMaps(val)
		}
		return x
	case py.Tuple:
		for i, val := range x {
			x[i] = toMaps(val)
		}
		return x
	}
	return v
}
