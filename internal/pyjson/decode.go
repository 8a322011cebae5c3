package pyjson

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/py"
)

// DefaultMaxDepth is the nesting limit Decode uses when Options.MaxDepth is
// not positive.
const DefaultMaxDepth = 512

// maxIntDigits is CPython 3.11's default limit on the digits of an int
// converted from a string (sys.int_info.default_max_str_digits).
const maxIntDigits = 4300

// indexAt is the size from which an ordered object keeps a key index to find
// duplicate keys, instead of scanning its items.
const indexAt = 8

// Options configures Decode. The zero value is ready to use.
type Options struct {
	// MaxDepth is the maximum nesting of arrays and objects; <= 0 means
	// DefaultMaxDepth.
	MaxDepth int
	// Ordered makes objects decode to py.Dict, in the order Python's dict
	// would have (a duplicate key keeps its first position and takes its
	// last value), instead of map[string]any.
	Ordered bool
	// MaxValues is the largest number of values (scalars, arrays and
	// objects, not counting object keys) decoded; past it Decode fails
	// with ErrTooManyValues. <= 0 means no limit. It bounds the memory
	// that the decoded value takes, which can be tens of times the size
	// of the JSON.
	MaxValues int
	// OneKey, when not nil, is called for every object that ends up with
	// exactly one key (after duplicates), once its value is decoded, with
	// the key and that value. When it returns true, its result replaces
	// the object, which is then never built; when it returns an error,
	// Decode stops and returns that error as it is. Objects inside are
	// passed before the objects holding them, in the order they end, so
	// that a tagged format can be untagged bottom-up while it is read.
	// An object that a later duplicate key drops has been passed too.
	OneKey func(key string, val any) (any, bool, error)
}

type decoder struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int
	ordered  bool
	oneKey   func(string, any) (any, bool, error)
	values   int // values left before ErrTooManyValues, when limited
	limited  bool
	scratch  []byte
}

// Decode parses data as Python's json.loads(data.decode("utf-8")) would and
// returns the value in the types of package py: nil, bool, int64, *big.Int,
// float64, string, []any, and map[string]any or py.Dict. Errors are
// *DecodeError values wrapping ErrSyntax, ErrDepth, ErrInvalidUTF8,
// ErrIntTooLong or ErrTooManyValues.
func Decode(data []byte, o Options) (any, error) {
	if !utf8.Valid(data) {
		return nil, &DecodeError{Offset: invalidUTF8At(data), Msg: "input is not valid UTF-8", Err: ErrInvalidUTF8}
	}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		return nil, &DecodeError{Offset: 0, Msg: "unexpected UTF-8 BOM", Err: ErrSyntax}
	}
	d := decoder{data: data, maxDepth: o.MaxDepth, ordered: o.Ordered, oneKey: o.OneKey, values: o.MaxValues, limited: o.MaxValues > 0}
	if d.maxDepth <= 0 {
		d.maxDepth = DefaultMaxDepth
	}
	d.skipWS()
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.skipWS()
	if d.pos != len(data) {
		return nil, d.syntax("extra data", d.pos)
	}
	return v, nil
}

func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(data)
}

func (d *decoder) syntax(msg string, off int) error {
	return &DecodeError{Offset: off, Msg: msg, Err: ErrSyntax}
}

func (d *decoder) skipWS() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) hasPrefix(lit string) bool {
	return len(d.data)-d.pos >= len(lit) && string(d.data[d.pos:d.pos+len(lit)]) == lit
}

// value parses the value at d.pos, which is not whitespace.
func (d *decoder) value() (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.syntax("expecting value", d.pos)
	}
	if d.limited {
		if d.values == 0 {
			return nil, &DecodeError{Offset: d.pos, Msg: "more values than the limit", Err: ErrTooManyValues}
		}
		d.values--
	}
	switch c := d.data[d.pos]; c {
	case '"':
		return d.str()
	case '{':
		return d.object()
	case '[':
		return d.array()
	case 'n':
		if d.hasPrefix("null") {
			d.pos += 4
			return nil, nil
		}
	case 't':
		if d.hasPrefix("true") {
			d.pos += 4
			return true, nil
		}
	case 'f':
		if d.hasPrefix("false") {
			d.pos += 5
			return false, nil
		}
	case 'N':
		if d.hasPrefix("NaN") {
			d.pos += 3
			return math.NaN(), nil
		}
	case 'I':
		if d.hasPrefix("Infinity") {
			d.pos += 8
			return math.Inf(1), nil
		}
	case '-':
		if d.hasPrefix("-Infinity") {
			d.pos += 9
			return math.Inf(-1), nil
		}
		return d.number()
	default:
		if c >= '0' && c <= '9' {
			return d.number()
		}
	}
	return nil, d.syntax("expecting value", d.pos)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number parses -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? as CPython's
// scanner does: a fraction or exponent that is not followed by a digit is
// left unread (and then fails as unexpected data).
func (d *decoder) number() (any, error) {
	data := d.data
	start := d.pos
	p := start
	if data[p] == '-' {
		p++
	}
	switch {
	case p < len(data) && data[p] >= '1' && data[p] <= '9':
		p++
		for p < len(data) && isDigit(data[p]) {
			p++
		}
	case p < len(data) && data[p] == '0':
		p++
	default:
		return nil, d.syntax("expecting value", start)
	}
	intEnd := p
	isFloat := false
	if p+1 < len(data) && data[p] == '.' && isDigit(data[p+1]) {
		p += 2
		for p < len(data) && isDigit(data[p]) {
			p++
		}
		isFloat = true
	}
	if p < len(data) && (data[p] == 'e' || data[p] == 'E') {
		q := p + 1
		if q < len(data) && (data[q] == '-' || data[q] == '+') {
			q++
		}
		ds := q
		for q < len(data) && isDigit(data[q]) {
			q++
		}
		if q > ds {
			p = q
			isFloat = true
		}
	}
	d.pos = p
	text := data[start:p]
	if isFloat {
		f, err := strconv.ParseFloat(string(text), 64)
		if err != nil {
			var ne *strconv.NumError
			if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
				return nil, d.syntax("bad number", start)
			}
			// Overflow gives ±Inf and underflow ±0, as Python's float().
		}
		return f, nil
	}
	neg := data[start] == '-'
	digits := intEnd - start
	if neg {
		digits--
	}
	if digits > maxIntDigits {
		return nil, &DecodeError{Offset: start, Msg: "integer has " + strconv.Itoa(digits) + " digits, more than 4300", Err: ErrIntTooLong}
	}
	if digits <= 18 {
		var n int64
		for _, c := range text {
			if c != '-' {
				n = n*10 + int64(c-'0')
			}
		}
		if neg {
			n = -n
		}
		return n, nil
	}
	if n, err := strconv.ParseInt(string(text), 10, 64); err == nil {
		return n, nil
	}
	b, ok := new(big.Int).SetString(string(text), 10)
	if !ok {
		return nil, d.syntax("bad integer", start)
	}
	return b, nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// appendWTF8 appends r in UTF-8, or in WTF-8 form if r is a surrogate.
func appendWTF8(b []byte, r rune) []byte {
	if r >= 0xD800 && r <= 0xDFFF {
		return append(b, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(b, r)
}

func plain(c byte) bool { return c != '"' && c != '\\' && c >= 0x20 }

// interned are strings that recur in the payloads this package reads:
// Flask's tag keys, which stand in every tagged value, the keys that Flask
// (flashed messages, permanent sessions), Flask-Login, Flask-WTF and
// Flask's tutorial (user_id) put in sessions, and the usual categories of
// flashed messages. Returning them without a copy saves an allocation
// each.
var interned = [...]string{
	" t", " b", " m", " u", " d", " di",
	"_flashes", "_permanent", "message", "error", "info", "warning", "success",
	"_user_id", "_fresh", "_id", "_remember", "_remember_seconds", "csrf_token", "user_id",
}

// internedByLen lists the interned strings by length.
var internedByLen = func() (t [20][]string) {
	for _, s := range interned {
		t[len(s)] = append(t[len(s)], s)
	}
	return t
}()

// intern returns b as a string, without allocating when it is one of the
// interned strings.
func intern(b []byte) string {
	if len(b) < len(internedByLen) {
		for _, s := range internedByLen[len(b)] {
			if len(b) > 0 && b[0] == s[0] && string(b) == s {
				return s
			}
		}
	}
	return string(b)
}

// str parses the string starting with the '"' at d.pos.
func (d *decoder) str() (string, error) {
	data := d.data
	start := d.pos
	i := start + 1
	for i < len(data) && plain(data[i]) {
		i++
	}
	if i < len(data) && data[i] == '"' {
		d.pos = i + 1
		return intern(data[start+1 : i]), nil
	}
	buf := append(d.scratch[:0], data[start+1:i]...)
	for {
		if i >= len(data) {
			return "", d.syntax("unterminated string starting", start)
		}
		c := data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			d.scratch = buf
			return string(buf), nil
		case c < 0x20:
			return "", d.syntax("invalid control character in string", i)
		case c != '\\':
			j := i + 1
			for j < len(data) && plain(data[j]) {
				j++
			}
			buf = append(buf, data[i:j]...)
			i = j
			continue
		}
		// A backslash escape.
		if i+1 >= len(data) {
			return "", d.syntax("unterminated string starting", start)
		}
		switch e := data[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(data[i+2:])
			if !ok {
				return "", d.syntax(`invalid \uXXXX escape`, i)
			}
			i += 6
			if r >= 0xD800 && r <= 0xDBFF && i+1 < len(data) && data[i] == '\\' && data[i+1] == 'u' {
				r2, ok := hex4(data[i+2:])
				if !ok {
					return "", d.syntax(`invalid \uXXXX escape`, i)
				}
				if r2 >= 0xDC00 && r2 <= 0xDFFF {
					r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
					i += 6
				}
			}
			buf = appendWTF8(buf, r)
			continue
		default:
			return "", d.syntax(`invalid \escape`, i)
		}
		i += 2
	}
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		return &DecodeError{Offset: d.pos, Msg: "arrays and objects nested more than " + strconv.Itoa(d.maxDepth) + " levels", Err: ErrDepth}
	}
	return nil
}

func (d *decoder) array() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.pos++
	d.skipWS()
	arr := []any{}
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		d.depth--
		return arr, nil
	}
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		d.skipWS()
		if d.pos < len(d.data) {
			switch d.data[d.pos] {
			case ']':
				d.pos++
				d.depth--
				return arr, nil
			case ',':
				d.pos++
				d.skipWS()
				continue
			}
		}
		return nil, d.syntax("expecting ',' delimiter", d.pos)
	}
}

func (d *decoder) object() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.pos++
	d.skipWS()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		d.depth--
		if d.ordered {
			return py.Dict{}, nil
		}
		return map[string]any{}, nil
	}
	// The first member is held apart until the object ends or goes on:
	// an object of one key may be replaced (OneKey) without being built.
	key, v, err := d.member()
	if err != nil {
		return nil, err
	}
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		d.depth--
		return d.single(key, v)
	}
	var m map[string]any
	var items py.Dict
	var index map[string]int
	if d.ordered {
		items = py.Dict{{Key: key, Value: v}}
	} else {
		m = map[string]any{key: v}
	}
	for {
		if d.pos >= len(d.data) || d.data[d.pos] != ',' {
			return nil, d.syntax("expecting ',' delimiter", d.pos)
		}
		d.pos++
		d.skipWS()
		if key, v, err = d.member(); err != nil {
			return nil, err
		}
		if d.ordered {
			items, index = addItem(items, index, key, v)
		} else {
			m[key] = v
		}
		if d.pos < len(d.data) && d.data[d.pos] == '}' {
			d.pos++
			d.depth--
			// One key left means every key was the same: the last one.
			if d.oneKey != nil && (len(items) == 1 || len(m) == 1) {
				if r, ok, err := d.oneKey(key, v); err != nil || ok {
					return r, err
				}
			}
			if d.ordered {
				return items, nil
			}
			return m, nil
		}
	}
}

// member parses `"key" : value` at d.pos and the whitespace after it.
func (d *decoder) member() (string, any, error) {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return "", nil, d.syntax("expecting property name enclosed in double quotes", d.pos)
	}
	key, err := d.str()
	if err != nil {
		return "", nil, err
	}
	d.skipWS()
	if d.pos >= len(d.data) || d.data[d.pos] != ':' {
		return "", nil, d.syntax("expecting ':' delimiter", d.pos)
	}
	d.pos++
	d.skipWS()
	v, err := d.value()
	if err != nil {
		return "", nil, err
	}
	d.skipWS()
	return key, v, nil
}

// single returns the object of one key, or what OneKey makes of it.
func (d *decoder) single(key string, v any) (any, error) {
	if d.oneKey != nil {
		if r, ok, err := d.oneKey(key, v); err != nil || ok {
			return r, err
		}
	}
	if d.ordered {
		return py.Dict{{Key: key, Value: v}}, nil
	}
	return map[string]any{key: v}, nil
}

// addItem stores key and v in items as a Python dict would: a key already
// present keeps its position and takes the new value. Large objects keep
// an index of key positions.
func addItem(items py.Dict, index map[string]int, key string, v any) (py.Dict, map[string]int) {
	if index != nil {
		if i, ok := index[key]; ok {
			items[i].Value = v
			return items, index
		}
		index[key] = len(items)
		return append(items, py.Item{Key: key, Value: v}), index
	}
	for i := range items {
		if items[i].Key == key {
			items[i].Value = v
			return items, nil
		}
	}
	items = append(items, py.Item{Key: key, Value: v})
	if len(items) >= indexAt {
		index = make(map[string]int, len(items))
		for i, it := range items {
			index[it.Key] = i
		}
	}
	return items, index
}
