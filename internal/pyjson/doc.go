// Package pyjson reads and writes JSON exactly as CPython's json module does
// (checked against CPython 3.11), in the dialects that itsdangerous, Flask,
// Starlette and Django use for signed cookies and tokens.
//
// The standard library's encoding/json cannot produce these bytes: Python
// writes 1.0 and 1e+16 where Go writes 1 and 10000000000000000, accepts and
// writes NaN and Infinity, escapes 0x7F but not <, > and & in ASCII mode, and
// writes U+2028 raw in raw mode.
//
// # Writing
//
// [Append] writes the closed set of Go types of package py (see
// [github.com/flaskcookie/flaskcookie/py]): nil, bool, the Go integer types,
// *big.Int and big.Int, float32 and float64, string, py.Markup, []any,
// py.Tuple, map[string]any and py.Dict. Anything else, including []byte,
// py.UUID and time.Time (which Python's json module cannot write either),
// fails with [ErrUnsupportedType]. A [Dialect] selects the separators,
// ensure_ascii and sort_keys.
//
// Key order: a py.Dict is written in its own order unless SortKeys is set.
// A Go map has no order, so its keys are always written sorted, whatever
// SortKeys says; sorted is what Python gives for a dict built in sorted
// order. Sorting compares code points, which for UTF-8 (and for the WTF-8
// form of lone surrogates) is the same as comparing bytes. A py.Dict that
// holds a key twice is written as a Python dict literal would be built: the
// key at its first position, with its last value.
//
// Strings must be valid UTF-8. A lone surrogate in WTF-8 form (bytes ED A0 80
// to ED BF BF) is written as a \udxxx escape with ASCII set, as Python does;
// without ASCII it is an error ([ErrInvalidUTF8]), because Python's json
// output would then fail to encode to UTF-8. Two such surrogates in a row are
// two escapes, never combined, again like a Python str holding them.
//
// A nil []any or nil map is written as an empty list or dict. Containers
// nested deeper than 10000 levels (for example a slice that contains itself)
// fail with [ErrDepth]; Python raises RecursionError or "Circular reference
// detected" in those cases.
//
// # Reading
//
// [Decode] parses data as Python's json.loads(data.decode("utf-8")) does,
// which is what itsdangerous does with a payload: the input must be strictly
// valid UTF-8 ([ErrInvalidUTF8]), a leading byte order mark is an error,
// whitespace is only space, tab, CR and LF, and NaN, Infinity and -Infinity
// are accepted. Integers without fraction or exponent decode to int64, or
// *big.Int when they do not fit; like Python 3.11, an integer of more than
// 4300 digits is refused ([ErrIntTooLong]). Other numbers are float64,
// correctly rounded; out-of-range values become ±Inf or ±0 as in Python.
// A \u escape of a lone surrogate yields its WTF-8 form; a valid escaped
// pair is combined. Objects decode to map[string]any (the last duplicate
// wins) or, with Options.Ordered, to a py.Dict (first position, last value,
// as Python's dict does).
//
// Difference from Python: nesting is limited by Options.MaxDepth (default
// 512 arrays and objects, [ErrDepth]) instead of by Python's recursion limit
// of about 1000, which raises RecursionError. Error messages carry byte
// offsets, where Python counts characters.
//
// Decode never panics, recurses at most MaxDepth levels, and allocates
// memory proportional to the input size.
package pyjson
