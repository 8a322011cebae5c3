package pyjson

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/py"
)

// Dialect selects how values are written. The zero Dialect is json.dumps'
// default apart from ensure_ascii: separators ", " and ": ", raw UTF-8,
// insertion order.
type Dialect struct {
	// Compact selects the separators "," and ":" (Python's
	// separators=(",", ":")); false selects Python's defaults ", " and ": ".
	Compact bool
	// ASCII is ensure_ascii=True: every character outside 0x20..0x7E is
	// escaped as \uXXXX with lowercase hex, characters above U+FFFF as a
	// surrogate pair.
	ASCII bool
	// SortKeys is sort_keys=True: object keys are sorted by code point.
	// When false, a py.Dict keeps its order; a Go map is sorted anyway.
	SortKeys bool
}

// maxWriteDepth bounds the nesting Append follows, so that a cyclic value
// fails instead of exhausting the stack.
const maxWriteDepth = 10000

// kv is one object member waiting to be written.
type kv struct {
	key string
	val any
	pos int // position in a py.Dict
}

// encoder holds the state of one Append call. Encoders are pooled so that
// the key-sorting scratch space is reused.
type encoder struct {
	buf   []byte
	d     Dialect
	kvs   []kv // stack of members being sorted, shared by nested objects
	depth int
}

var encoderPool = sync.Pool{New: func() any { return new(encoder) }}

// Append appends the JSON text of v to dst, as Python's json.dumps would
// write it in dialect d. On error it returns dst with its original length
// and an error wrapping ErrUnsupportedType, ErrInvalidUTF8 or ErrDepth.
func Append(dst []byte, v any, d Dialect) ([]byte, error) {
	e := encoderPool.Get().(*encoder)
	e.buf, e.d, e.depth = dst, d, 0
	err := e.value(v)
	out := e.buf
	e.buf = nil
	if cap(e.kvs) > 1024 {
		e.kvs = nil
	}
	encoderPool.Put(e)
	if err != nil {
		return dst, err
	}
	return out, nil
}

func (e *encoder) value(v any) error {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case bool:
		if x {
			e.buf = append(e.buf, "true"...)
		} else {
			e.buf = append(e.buf, "false"...)
		}
	case string:
		return e.str(x)
	case py.Markup:
		return e.str(string(x))
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int8:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int16:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int32:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int64:
		e.buf = strconv.AppendInt(e.buf, x, 10)
	case uint:
		e.buf = strconv.AppendUint(e.buf, uint64(x), 10)
	case uint8:
		e.buf = strconv.AppendUint(e.buf, uint64(x), 10)
	case uint16:
		e.buf = strconv.AppendUint(e.buf, uint64(x), 10)
	case uint32:
		e.buf = strconv.AppendUint(e.buf, uint64(x), 10)
	case uint64:
		e.buf = strconv.AppendUint(e.buf, x, 10)
	case uintptr:
		e.buf = strconv.AppendUint(e.buf, uint64(x), 10)
	case float64:
		e.buf = AppendFloat(e.buf, x)
	case float32:
		e.buf = AppendFloat(e.buf, float64(x))
	case *big.Int:
		if x == nil {
			return fmt.Errorf("pyjson: cannot write a nil *big.Int: %w", ErrUnsupportedType)
		}
		e.buf = x.Append(e.buf, 10)
	case big.Int:
		e.buf = x.Append(e.buf, 10)
	case []any:
		return e.array(x)
	case py.Tuple:
		return e.array(x)
	case map[string]any:
		return e.goMap(x)
	case py.Dict:
		return e.dict(x)
	default:
		return fmt.Errorf("pyjson: cannot write Go type %T: %w", v, ErrUnsupportedType)
	}
	return nil
}

func (e *encoder) enter() error {
	e.depth++
	if e.depth > maxWriteDepth {
		return fmt.Errorf("pyjson: value nested more than %d levels (cyclic?): %w", maxWriteDepth, ErrDepth)
	}
	return nil
}

func (e *encoder) itemSep() {
	if e.d.Compact {
		e.buf = append(e.buf, ',')
	} else {
		e.buf = append(e.buf, ", "...)
	}
}

func (e *encoder) keySep() {
	if e.d.Compact {
		e.buf = append(e.buf, ':')
	} else {
		e.buf = append(e.buf, ": "...)
	}
}

func (e *encoder) str(s string) error {
	var err error
	e.buf, err = appendString(e.buf, s, e.d.ASCII)
	return err
}

func (e *encoder) array(a []any) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, '[')
	for i, v := range a {
		if i > 0 {
			e.itemSep()
		}
		if err := e.value(v); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	e.depth--
	return nil
}

func (e *encoder) member(key string, val any) error {
	if err := e.str(key); err != nil {
		return err
	}
	e.keySep()
	return e.value(val)
}

// members writes the object whose members are e.kvs[start:], then pops them.
func (e *encoder) members(start int) error {
	seg := e.kvs[start:]
	// Nested objects push beyond len(e.kvs) and pop back to it, so seg stays
	// intact even if e.kvs is reallocated meanwhile.
	e.buf = append(e.buf, '{')
	var err error
	for i := range seg {
		if i > 0 {
			e.itemSep()
		}
		if err = e.member(seg[i].key, seg[i].val); err != nil {
			break
		}
	}
	clear(seg)
	e.kvs = e.kvs[:start]
	if err != nil {
		return err
	}
	e.buf = append(e.buf, '}')
	e.depth--
	return nil
}

func byKey(a, b kv) int { return strings.Compare(a.key, b.key) }

func byKeyPos(a, b kv) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	return a.pos - b.pos
}

func byPos(a, b kv) int { return a.pos - b.pos }

func (e *encoder) goMap(m map[string]any) error {
	if err := e.enter(); err != nil {
		return err
	}
	if len(m) == 0 {
		e.buf = append(e.buf, "{}"...)
		e.depth--
		return nil
	}
	start := len(e.kvs)
	for k, v := range m {
		e.kvs = append(e.kvs, kv{key: k, val: v})
	}
	slices.SortFunc(e.kvs[start:], byKey)
	return e.members(start)
}

// hasDup reports whether a small Dict repeats a key.
func hasDup(d py.Dict) bool {
	for i := 1; i < len(d); i++ {
		for j := 0; j < i; j++ {
			if d[i].Key == d[j].Key {
				return true
			}
		}
	}
	return false
}

func (e *encoder) dict(d py.Dict) error {
	if err := e.enter(); err != nil {
		return err
	}
	if !e.d.SortKeys && len(d) <= 16 && !hasDup(d) {
		// Fast path: write in order, no scratch space.
		e.buf = append(e.buf, '{')
		for i := range d {
			if i > 0 {
				e.itemSep()
			}
			if err := e.member(d[i].Key, d[i].Value); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
		e.depth--
		return nil
	}
	start := len(e.kvs)
	for i, it := range d {
		e.kvs = append(e.kvs, kv{key: it.Key, val: it.Value, pos: i})
	}
	seg := e.kvs[start:]
	slices.SortFunc(seg, byKeyPos)
	// Merge duplicates: first position, last value (a Python dict literal).
	n := 0
	dup := false
	for i := 0; i < len(seg); i++ {
		if n > 0 && seg[n-1].key == seg[i].key {
			seg[n-1].val = seg[i].val
			dup = true
			continue
		}
		seg[n] = seg[i]
		n++
	}
	clear(seg[n:])
	e.kvs = e.kvs[:start+n]
	if !e.d.SortKeys && (dup || len(d) > 16) {
		slices.SortFunc(e.kvs[start:], byPos)
	}
	return e.members(start)
}

// AppendString appends s as a JSON string literal, escaped as Python's
// json.dumps does with ensure_ascii=ascii. s must be valid UTF-8, except
// that lone surrogates in WTF-8 form are written as \udxxx escapes when
// ascii is true. Errors wrap ErrInvalidUTF8.
func AppendString(dst []byte, s string, ascii bool) ([]byte, error) {
	out, err := appendString(dst, s, ascii)
	if err != nil {
		return dst, err
	}
	return out, nil
}

const hexDigits = "0123456789abcdef"

func appendU(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}

// plainByte[c] reports whether the byte c is written as it is in either
// mode: printable ASCII but '"' and '\\' (and DEL, which ensure_ascii
// escapes).
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7F; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func appendString(dst []byte, s string, ascii bool) ([]byte, error) {
	// Most strings (keys, names, tokens) need no escape: copy them whole.
	i := 0
	for i < len(s) && plainByte[s[i]] {
		i++
	}
	if i == len(s) {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"'), nil
	}
	dst = append(dst, '"')
	start := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (c != 0x7F || !ascii) {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"':
				dst = append(dst, '\\', '"')
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = appendU(dst, rune(c))
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			if c != 0xED || i+2 >= len(s) || s[i+1] < 0xA0 || s[i+1] > 0xBF || s[i+2] < 0x80 || s[i+2] > 0xBF {
				return dst, fmt.Errorf("pyjson: string is not valid UTF-8 at byte %d: %w", i, ErrInvalidUTF8)
			}
			// A lone surrogate in WTF-8 form.
			r = 0xD000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			size = 3
			if !ascii {
				return dst, fmt.Errorf("pyjson: string holds lone surrogate U+%04X at byte %d, which cannot be written without ASCII escaping: %w", r, i, ErrInvalidUTF8)
			}
		}
		if !ascii {
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		if r > 0xFFFF {
			r1, r2 := utf16.EncodeRune(r)
			dst = appendU(appendU(dst, r1), r2)
		} else {
			dst = appendU(dst, r)
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), nil
}

// AppendFloat appends f as Python's json module writes a float: repr(f)
// (the shortest digits that round-trip; exponent form when the decimal
// exponent is below -4 or at least 16, otherwise fixed with at least one
// digit after the point) and NaN, Infinity, -Infinity.
func AppendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	var tmp [32]byte
	b := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	// b is [-]d[.ddd]e±dd[d].
	epos := len(b) - 4
	for b[epos] != 'e' {
		epos--
	}
	exp := 0
	for _, c := range b[epos+2:] {
		exp = exp*10 + int(c-'0')
	}
	if b[epos+1] == '-' {
		exp = -exp
	}
	if exp < -4 || exp >= 16 {
		return append(dst, b...)
	}
	mant := b[:epos]
	if mant[0] == '-' {
		dst = append(dst, '-')
		mant = mant[1:]
	}
	var digs [20]byte
	digits := append(digs[:0], mant[0])
	if len(mant) > 2 {
		digits = append(digits, mant[2:]...)
	}
	if exp < 0 {
		dst = append(dst, '0', '.')
		for i := 0; i < -exp-1; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	if len(digits) <= exp+1 {
		dst = append(dst, digits...)
		for i := len(digits); i <= exp; i++ {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	}
	dst = append(dst, digits[:exp+1]...)
	dst = append(dst, '.')
	return append(dst, digits[exp+1:]...)
}

// AppendInt appends i in decimal, as Python writes an int.
func AppendInt(dst []byte, i int64) []byte { return strconv.AppendInt(dst, i, 10) }

// AppendBigInt appends i in decimal, as Python writes an int. i must not be
// nil (math/big would write "<nil>"; Append reports a nil *big.Int as
// ErrUnsupportedType instead).
func AppendBigInt(dst []byte, i *big.Int) []byte { return i.Append(dst, 10) }
