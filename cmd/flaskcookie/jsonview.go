package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/py"
)

// The JSON view (--format json) shows a session as ordinary JSON, with the
// Python types that JSON lacks written as one-key objects whose key starts
// with "$":
//
//	tuple               {"$tuple": [1, "a"]}
//	bytes               {"$bytes": "AP9iaW4="}            standard base64, padded
//	markupsafe.Markup   {"$markup": "<b>hi</b>"}
//	uuid.UUID           {"$uuid": "12345678-1234-5678-1234-567812345678"}
//	datetime            {"$datetime": "2023-11-14T22:13:20Z"}  RFC 3339, UTC
//	float NaN, ±inf     {"$float": "nan"}, {"$float": "inf"}, {"$float": "-inf"}
//	a dict with one key starting with "$"
//	                    {"$dict": {"$key": ...}}          keys taken literally
//
// Everything else is plain JSON: dicts are objects (keys sorted, as Flask
// sorts them), lists are arrays, str is a string (non-ASCII written as it
// is; a lone surrogate as \udxxx), ints are numbers of any size, floats are
// numbers that always show a point or an exponent (1.0, 1e-07, -0.0), so an
// int never reads back as a float or the other way round. True, False and
// None are true, false and null.
//
// encode --format json reads the same view back, so decode and encode round
// trip exactly.

const viewIndent = "  "

// appendView appends the JSON view of v, indented at depth.
func appendView(dst []byte, v any, depth int) ([]byte, error) {
	if depth > 600 {
		return dst, errors.New("value nested too deeply")
	}
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if x {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case int64:
		return pyjson.AppendInt(dst, x), nil
	case *big.Int:
		return pyjson.AppendBigInt(dst, x), nil
	case float64:
		switch {
		case math.IsNaN(x):
			return append(dst, `{"$float": "nan"}`...), nil
		case math.IsInf(x, 1):
			return append(dst, `{"$float": "inf"}`...), nil
		case math.IsInf(x, -1):
			return append(dst, `{"$float": "-inf"}`...), nil
		}
		return pyjson.AppendFloat(dst, x), nil
	case string:
		return appendViewString(dst, x)
	case []byte:
		dst = append(dst, `{"$bytes": "`...)
		dst = base64.StdEncoding.AppendEncode(dst, x)
		return append(dst, `"}`...), nil
	case py.Markup:
		dst = append(dst, `{"$markup": `...)
		dst, err := appendViewString(dst, string(x))
		return append(dst, '}'), err
	case py.UUID:
		return append(dst, `{"$uuid": "`+x.String()+`"}`...), nil
	case time.Time:
		return append(dst, `{"$datetime": "`+x.UTC().Format(time.RFC3339Nano)+`"}`...), nil
	case py.Tuple:
		dst = append(dst, `{"$tuple": `...)
		dst, err := appendViewList(dst, x, depth)
		return append(dst, '}'), err
	case []any:
		return appendViewList(dst, x, depth)
	case map[string]any:
		return appendViewDict(dst, py.SortedDict(x), depth)
	case py.Dict:
		return appendViewDict(dst, x, depth)
	}
	return dst, fmt.Errorf("no JSON view for a %T", v)
}

func appendViewString(dst []byte, s string) ([]byte, error) {
	// Raw UTF-8 for readability; a lone surrogate (WTF-8) can only be
	// written escaped, which ASCII mode does.
	return pyjson.AppendString(dst, s, !utf8.ValidString(s))
}

// scalar reports whether v is written on one line.
func scalar(v any) bool {
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case py.Tuple:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	case py.Dict:
		return len(x) == 0
	}
	return true
}

func newline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for i := 0; i < depth; i++ {
		dst = append(dst, viewIndent...)
	}
	return dst
}

// appendViewList writes a list on one line when its items are all
// scalars, else one item per line.
func appendViewList(dst []byte, items []any, depth int) ([]byte, error) {
	var err error
	flat := true
	for _, it := range items {
		flat = flat && scalar(it)
	}
	dst = append(dst, '[')
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ',')
			if flat {
				dst = append(dst, ' ')
			}
		}
		if !flat {
			dst = newline(dst, depth+1)
		}
		if dst, err = appendView(dst, it, depth+1); err != nil {
			return dst, err
		}
	}
	if !flat && len(items) > 0 {
		dst = newline(dst, depth)
	}
	return append(dst, ']'), nil
}

func appendViewDict(dst []byte, items py.Dict, depth int) ([]byte, error) {
	if len(items) == 0 {
		return append(dst, "{}"...), nil
	}
	if len(items) == 1 && strings.HasPrefix(items[0].Key, "$") {
		// A real dict that would read as a tag: escape it.
		dst = append(dst, `{"$dict": `...)
		dst, err := appendViewMembers(dst, items, depth)
		return append(dst, '}'), err
	}
	return appendViewMembers(dst, items, depth)
}

func appendViewMembers(dst []byte, items py.Dict, depth int) ([]byte, error) {
	var err error
	dst = append(dst, '{')
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = newline(dst, depth+1)
		if dst, err = appendViewString(dst, it.Key); err != nil {
			return dst, err
		}
		dst = append(dst, ": "...)
		if dst, err = appendView(dst, it.Value, depth+1); err != nil {
			return dst, err
		}
	}
	dst = newline(dst, depth)
	return append(dst, '}'), nil
}

// parseView reads the JSON view back into the value model.
func parseView(data []byte) (any, error) {
	g, err := pyjson.Decode(data, pyjson.Options{Ordered: true})
	if err != nil {
		return nil, err
	}
	return fromView(g, "$")
}

func fromView(v any, path string) (any, error) {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			var err error
			if out[i], err = fromView(it, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return nil, err
			}
		}
		return out, nil
	case py.Dict:
		if len(x) == 1 && strings.HasPrefix(x[0].Key, "$") {
			return fromTag(x[0].Key, x[0].Value, path)
		}
		return fromViewDict(x, path)
	}
	return v, nil
}

func fromViewDict(d py.Dict, path string) (py.Dict, error) {
	out := make(py.Dict, len(d))
	for i, it := range d {
		val, err := fromView(it.Value, path+"."+it.Key)
		if err != nil {
			return nil, err
		}
		out[i] = py.Item{Key: it.Key, Value: val}
	}
	return out, nil
}

func fromTag(tag string, val any, path string) (any, error) {
	bad := func(want string) error {
		return fmt.Errorf("at %s: %q wants %s", path, tag, want)
	}
	str, isStr := val.(string)
	switch tag {
	case "$tuple":
		l, ok := val.([]any)
		if !ok {
			return nil, bad("an array")
		}
		t, err := fromView(l, path)
		if err != nil {
			return nil, err
		}
		return py.Tuple(t.([]any)), nil
	case "$dict":
		d, ok := val.(py.Dict)
		if !ok {
			return nil, bad("an object")
		}
		return fromViewDict(d, path)
	case "$bytes":
		if !isStr {
			return nil, bad("a base64 string")
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(str); err == nil {
				return b, nil
			}
		}
		return nil, bad("a base64 string")
	case "$markup":
		if !isStr {
			return nil, bad("a string")
		}
		return py.Markup(str), nil
	case "$uuid":
		if !isStr {
			return nil, bad("a UUID string")
		}
		u, err := py.ParseUUID(str)
		if err != nil {
			return nil, bad("a UUID string")
		}
		return u, nil
	case "$datetime":
		if !isStr {
			return nil, bad("an RFC 3339 date string")
		}
		t, err := time.Parse(time.RFC3339Nano, str)
		if err != nil {
			return nil, bad("an RFC 3339 date string such as 2024-01-02T03:04:05Z")
		}
		return t.UTC(), nil
	case "$float":
		if !isStr {
			return nil, bad(`"nan", "inf" or "-inf"`)
		}
		switch strings.ToLower(str) {
		case "nan":
			return math.NaN(), nil
		case "inf", "+inf", "infinity":
			return math.Inf(1), nil
		case "-inf", "-infinity":
			return math.Inf(-1), nil
		}
		return nil, bad(`"nan", "inf" or "-inf"`)
	}
	return nil, fmt.Errorf("at %s: unknown tag %q; the tags are $tuple, $bytes, $markup, $uuid, $datetime, $float and $dict (write a dict whose only key starts with $ as {\"$dict\": {...}})", path, tag)
}

// escapeInvisible rewrites, in JSON text, every character that could act
// on a terminal or reorder the text around it as a \uXXXX escape: DEL, C1
// controls (U+009B starts an escape sequence), bidirectional and other
// format characters (U+202E, U+2066), U+2028 and U+2029, and whatever else
// above ASCII unicode.IsPrint refuses. Such characters occur only inside
// strings, where the escape stands for the same character, so the text
// stays valid JSON with the same value (a byte that is not UTF-8, which no
// JSON text holds, becomes \ufffd). C0 controls cannot occur raw in a
// JSON string, and outside strings only as whitespace: a tab or a carriage
// return (which could hide what precedes it) becomes a space, the same
// JSON; newlines are kept.
func escapeInvisible(b []byte) []byte {
	var out []byte
	start := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == '\n' || (r >= 0x20 && r < 0x7f) || (r >= utf8.RuneSelf && unicode.IsPrint(r) && !(r == utf8.RuneError && size == 1)) {
			i += size
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b)+16)
		}
		out = append(out, b[start:i]...)
		if r == utf8.RuneError && size == 1 {
			r = unicode.ReplacementChar
		}
		if r < 0x20 {
			out = append(out, ' ')
		} else if r1, r2 := utf16.EncodeRune(r); r1 != unicode.ReplacementChar {
			out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
		} else {
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
		start = i
	}
	if out == nil {
		return b
	}
	return append(out, b[start:]...)
}
