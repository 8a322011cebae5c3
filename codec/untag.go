package codec

// Reading Flask's tagged JSON: the tags are undone while the JSON is read
// (DecodePayload), with the two-pass decode (decodeGeneral) as reference
// and as fallback for malformed tags.

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// DecodePayload reads tagged JSON into v as Flask's loads does, undoing
// each tag bottom-up, and assigns the result with py.Assign.
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
			if !py.Truth(val) {
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
