package py

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// reprMaxDepth bounds how deeply Repr and Str descend into nested
// containers; a deeper container (in practice, a cyclic one such as a []any
// that holds itself) is written as [...], (...) or {...}, the marks Python
// uses for a container that contains itself.
const reprMaxDepth = 1000

// Repr returns Python's repr(v), exactly as CPython 3.11 writes it, for every
// type of the value model:
//
//	nil                 None
//	bool                True, False
//	int64, *big.Int     123, -5, 123456789012345678901234567890
//	float64             1.0, 1e-07, 1e+16, -0.0, nan, inf, -inf
//	string              'text', "it's", 'caf\xe9\n' ...
//	[]byte              b'\x00abc'
//	[]any               [1, 2]
//	Tuple               (), (1,), (1, 2)
//	map[string]any      {'a': 1, 'b': 2}
//	Dict                {'b': 2, 'a': 1}
//	Markup              Markup('<b>hi</b>')
//	UUID                UUID('12345678-1234-5678-1234-567812345678')
//	time.Time           datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
//
// Strings follow Python's rules: the string is quoted with ' unless it
// contains ' and no ", backslash, the quote, \t, \n and \r are escaped, other
// characters that str.isprintable rejects are written \xhh, \uhhhh or
// \Uhhhhhhhh, and every other character is written as itself. Printability
// follows Unicode 14.0.0, the version of CPython 3.11's tables: characters
// assigned in later versions of Unicode are escaped, as Python 3.11 does. A
// lone surrogate (held in its WTF-8 form, see the package documentation) is
// written \udXXX. A byte that is neither UTF-8 nor WTF-8, which no Python str
// can hold, is written as the surrogate that Python's "surrogateescape" error
// handler decodes it to: byte 0xff becomes \udcff.
//
// Go maps have no order, so the keys of a map[string]any are written sorted
// by code point (as sort.Strings sorts them); a Dict is written in its order,
// and a key it holds twice is written once, at its first position with its
// last value, as a Python dict literal would hold it.
//
// A time.Time is written as an aware datetime in its own zone: the fixed UTC
// offset in effect at that instant becomes datetime.timezone.utc when it is
// zero and datetime.timezone(datetime.timedelta(seconds=7200)) otherwise
// (Python normalizes a negative offset to days=-1, seconds=...). Fields after
// the minute are written only when non-zero, as Python does, and time is
// truncated to microseconds. Zone names are not kept: Python's datetime has
// no counterpart of a Go *time.Location.
//
// Other Go values are first converted with [ValueOf]; a value that it
// rejects is written as <unsupported T>, with T its Go type. Containers nested
// more than 1000 levels deep are cut off as [...], (...) or {...}.
//
// Python 3.11's repr raises an error for an int of more than 4300 decimal
// digits and for a datetime outside years 1 to 9999; Repr writes them anyway.
func Repr(v any) string {
	return string(appendRepr(nil, v, 0, false))
}

// Str returns Python's str(v). It is Repr except at the top level for a str
// or Markup (the text itself, unescaped), a UUID (its canonical dashed form,
// as [UUID.String]) and a time.Time (Python's str of a datetime, such as
// "2024-01-02 03:04:05+00:00", with ".ffffff" after the seconds when the
// microseconds are not zero). Containers hold the Repr of their elements, as
// in Python.
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case Markup:
		return string(x)
	case UUID:
		return x.String()
	case time.Time:
		return string(appendTimeStr(nil, x))
	case nil, bool, int64, float64, []byte, []any, Tuple, map[string]any, Dict, *big.Int:
		return Repr(v)
	}
	c, err := ValueOf(v)
	if err != nil {
		return unsupportedRepr(v)
	}
	switch c.(type) {
	case string, Markup, UUID, time.Time:
		return Str(c)
	}
	return Repr(c)
}

func unsupportedRepr(v any) string {
	return fmt.Sprintf("<unsupported %T>", v)
}

// appendRepr appends repr(v). converted reports that v is the result of
// ValueOf, so that a value ValueOf returned unconverted is not retried.
func appendRepr(b []byte, v any, depth int, converted bool) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "None"...)
	case bool:
		if x {
			return append(b, "True"...)
		}
		return append(b, "False"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case *big.Int:
		if x == nil {
			return append(b, "None"...)
		}
		return x.Append(b, 10)
	case big.Int:
		return x.Append(b, 10)
	case float64:
		return appendFloatRepr(b, x)
	case string:
		return appendStrRepr(b, x)
	case []byte:
		return appendBytesRepr(b, x)
	case Markup:
		b = append(b, "Markup("...)
		b = appendStrRepr(b, string(x))
		return append(b, ')')
	case UUID:
		b = append(b, "UUID('"...)
		b = append(b, x.String()...)
		return append(b, "')"...)
	case time.Time:
		return appendTimeRepr(b, x)
	case []any:
		if depth >= reprMaxDepth {
			return append(b, "[...]"...)
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendRepr(b, e, depth+1, false)
		}
		return append(b, ']')
	case Tuple:
		if depth >= reprMaxDepth {
			return append(b, "(...)"...)
		}
		b = append(b, '(')
		for i, e := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendRepr(b, e, depth+1, false)
		}
		if len(x) == 1 {
			b = append(b, ',')
		}
		return append(b, ')')
	case map[string]any:
		if depth >= reprMaxDepth {
			return append(b, "{...}"...)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendStrRepr(b, k)
			b = append(b, ": "...)
			b = appendRepr(b, x[k], depth+1, false)
		}
		return append(b, '}')
	case Dict:
		if depth >= reprMaxDepth {
			return append(b, "{...}"...)
		}
		items := dedupDict(x)
		b = append(b, '{')
		for i, it := range items {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendStrRepr(b, it.Key)
			b = append(b, ": "...)
			b = appendRepr(b, it.Value, depth+1, false)
		}
		return append(b, '}')
	}
	if converted {
		return append(b, unsupportedRepr(v)...)
	}
	c, err := ValueOf(v)
	if err != nil {
		return append(b, unsupportedRepr(v)...)
	}
	return appendRepr(b, c, depth, true)
}

// dedupDict returns d with every repeated key merged into its first position
// with its last value, as a Python dict literal holds them. d is returned
// unchanged when no key repeats.
func dedupDict(d Dict) Dict {
	if len(d) < 2 {
		return d
	}
	index := make(map[string]int, len(d))
	var out Dict
	for i, it := range d {
		j, seen := index[it.Key]
		if !seen {
			index[it.Key] = len(index)
			if out != nil {
				out = append(out, it)
			}
			continue
		}
		if out == nil {
			out = make(Dict, 0, len(d))
			out = append(out, d[:i]...)
		}
		out[j].Value = it.Value
	}
	if out == nil {
		return d
	}
	return out
}

// appendFloatRepr appends Python's repr of f: the shortest digits that read
// back as f, in fixed notation (with at least one decimal) when the decimal
// exponent is in [-4, 16), else in scientific notation with a signed exponent
// of at least two digits.
func appendFloatRepr(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // d[.ddd]e±XX
	ei := strings.IndexByte(string(e), 'e')
	exp, _ := strconv.Atoi(string(e[ei+1:]))
	digits := make([]byte, 0, 17)
	digits = append(digits, e[0])
	if ei > 1 {
		digits = append(digits, e[2:ei]...)
	}
	if exp < -4 || exp >= 16 {
		b = append(b, digits[0])
		if len(digits) > 1 {
			b = append(b, '.')
			b = append(b, digits[1:]...)
		}
		b = append(b, 'e')
		if exp < 0 {
			b = append(b, '-')
			exp = -exp
		} else {
			b = append(b, '+')
		}
		if exp < 10 {
			b = append(b, '0')
		}
		return strconv.AppendInt(b, int64(exp), 10)
	}
	point := exp + 1 // digits before the decimal point
	switch {
	case point <= 0:
		b = append(b, "0."...)
		for i := point; i < 0; i++ {
			b = append(b, '0')
		}
		b = append(b, digits...)
	case point >= len(digits):
		b = append(b, digits...)
		for i := len(digits); i < point; i++ {
			b = append(b, '0')
		}
		b = append(b, ".0"...)
	default:
		b = append(b, digits[:point]...)
		b = append(b, '.')
		b = append(b, digits[point:]...)
	}
	return b
}

// decodeWTF8 decodes the code point at the start of s, which must not be
// empty. It accepts UTF-8 and the 3-byte encodings of surrogates (WTF-8); a
// byte that starts neither is returned as the surrogate U+DC80..U+DCFF that
// Python's "surrogateescape" error handler maps it to, with size 1.
func decodeWTF8(s string) (r rune, size int) {
	c := s[0]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c == 0xed && len(s) >= 3 && s[1] >= 0xa0 && s[1] <= 0xbf && s[2] >= 0x80 && s[2] <= 0xbf {
		return 0xd000 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f), 3
	}
	r, size = utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size == 1 {
		return 0xdc00 | rune(c), 1
	}
	return r, size
}

// appendWTF8 appends the UTF-8 encoding of r, or for a surrogate its 3-byte
// generalized (WTF-8) encoding.
func appendWTF8(b []byte, r rune) []byte {
	if r >= 0xd800 && r <= 0xdfff {
		return append(b, 0xed, byte(0xa0|(r>>6)&0x1f), byte(0x80|r&0x3f))
	}
	return utf8.AppendRune(b, r)
}

const hexDigits = "0123456789abcdef"

// appendStrRepr appends Python's repr of the str s (CPython's unicode_repr).
func appendStrRepr(b []byte, s string) []byte {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b = append(b, quote)
	for i := 0; i < len(s); {
		r, size := decodeWTF8(s[i:])
		switch {
		case r == rune(quote) || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r < ' ' || r == 0x7f:
			b = append(b, '\\', 'x', hexDigits[r>>4], hexDigits[r&0xf])
		case r < 0x7f:
			b = append(b, byte(r))
		case isPrintable(r):
			b = append(b, s[i:i+size]...)
		case r <= 0xff:
			b = append(b, '\\', 'x', hexDigits[r>>4], hexDigits[r&0xf])
		case r <= 0xffff:
			b = append(b, '\\', 'u')
			for sh := 12; sh >= 0; sh -= 4 {
				b = append(b, hexDigits[(r>>sh)&0xf])
			}
		default:
			b = append(b, '\\', 'U')
			for sh := 28; sh >= 0; sh -= 4 {
				b = append(b, hexDigits[(r>>sh)&0xf])
			}
		}
		i += size
	}
	return append(b, quote)
}

// appendBytesRepr appends Python's repr of the bytes p (CPython's
// bytes_repr).
func appendBytesRepr(b []byte, p []byte) []byte {
	quote := byte('\'')
	if strings.IndexByte(string(p), '\'') >= 0 && strings.IndexByte(string(p), '"') < 0 {
		quote = '"'
	}
	b = append(b, 'b', quote)
	for _, c := range p {
		switch {
		case c == quote || c == '\\':
			b = append(b, '\\', c)
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c < ' ' || c >= 0x7f:
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, quote)
}

// isPrintable reports whether Python 3.11's str.isprintable accepts r, for
// r >= 0x7f: r is printable unless its general category is Cc, Cf, Cs, Co,
// Cn (unassigned), Zl, Zp or Zs. That is unicode.IsPrint, except that Go's
// tables follow a newer Unicode version than Python 3.11's 14.0.0, so the
// characters assigned since then are taken out again.
func isPrintable(r rune) bool {
	return unicode.IsPrint(r) && !unicode.Is(assignedAfterUnicode14, r)
}

// assignedAfterUnicode14 lists the printable characters that Unicode 15.0.0
// (the version of Go's unicode tables since Go 1.21) added to Unicode
// 14.0.0, the version of CPython 3.11's tables, for which they are
// unassigned and so not printable. Should a newer Go toolchain move to a
// later Unicode version, the characters it adds are missing here; the test
// that compares every code point with Python's str.isprintable reports them.
var assignedAfterUnicode14 = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x0cf3, Hi: 0x0cf3, Stride: 1},
		{Lo: 0x0ece, Hi: 0x0ece, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x10efd, Hi: 0x10eff, Stride: 1},
		{Lo: 0x1123f, Hi: 0x11241, Stride: 1},
		{Lo: 0x11b00, Hi: 0x11b09, Stride: 1},
		{Lo: 0x11f00, Hi: 0x11f10, Stride: 1},
		{Lo: 0x11f12, Hi: 0x11f3a, Stride: 1},
		{Lo: 0x11f3e, Hi: 0x11f59, Stride: 1},
		{Lo: 0x1342f, Hi: 0x1342f, Stride: 1},
		{Lo: 0x13440, Hi: 0x13455, Stride: 1},
		{Lo: 0x1b132, Hi: 0x1b132, Stride: 1},
		{Lo: 0x1b155, Hi: 0x1b155, Stride: 1},
		{Lo: 0x1d2c0, Hi: 0x1d2d3, Stride: 1},
		{Lo: 0x1df25, Hi: 0x1df2a, Stride: 1},
		{Lo: 0x1e030, Hi: 0x1e06d, Stride: 1},
		{Lo: 0x1e08f, Hi: 0x1e08f, Stride: 1},
		{Lo: 0x1e4d0, Hi: 0x1e4f9, Stride: 1},
		{Lo: 0x1f6dc, Hi: 0x1f6dc, Stride: 1},
		{Lo: 0x1f774, Hi: 0x1f776, Stride: 1},
		{Lo: 0x1f77b, Hi: 0x1f77f, Stride: 1},
		{Lo: 0x1f7d9, Hi: 0x1f7d9, Stride: 1},
		{Lo: 0x1fa75, Hi: 0x1fa77, Stride: 1},
		{Lo: 0x1fa87, Hi: 0x1fa88, Stride: 1},
		{Lo: 0x1faad, Hi: 0x1faaf, Stride: 1},
		{Lo: 0x1fabb, Hi: 0x1fabd, Stride: 1},
		{Lo: 0x1fabf, Hi: 0x1fabf, Stride: 1},
		{Lo: 0x1face, Hi: 0x1facf, Stride: 1},
		{Lo: 0x1fada, Hi: 0x1fadb, Stride: 1},
		{Lo: 0x1fae8, Hi: 0x1fae8, Stride: 1},
		{Lo: 0x1faf7, Hi: 0x1faf8, Stride: 1},
		{Lo: 0x2b739, Hi: 0x2b739, Stride: 1},
		{Lo: 0x31350, Hi: 0x323af, Stride: 1},
	},
}

// appendTimeRepr appends Python's repr of t as an aware datetime.datetime
// (CPython's datetime_repr): year, month, day, hour and minute always, the
// second when it or the microsecond is not zero, the microsecond when not
// zero, then tzinfo.
func appendTimeRepr(b []byte, t time.Time) []byte {
	us := t.Nanosecond() / 1000
	b = append(b, "datetime.datetime("...)
	b = strconv.AppendInt(b, int64(t.Year()), 10)
	for _, f := range []int{int(t.Month()), t.Day(), t.Hour(), t.Minute()} {
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(f), 10)
	}
	if t.Second() != 0 || us != 0 {
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(t.Second()), 10)
	}
	if us != 0 {
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(us), 10)
	}
	b = append(b, ", tzinfo="...)
	_, off := t.Zone()
	if off == 0 {
		b = append(b, "datetime.timezone.utc"...)
	} else {
		// timedelta(seconds=off) normalized as Python does:
		// 0 <= seconds < 86400, days carrying the sign.
		days, secs := off/86400, off%86400
		if secs < 0 {
			days, secs = days-1, secs+86400
		}
		b = append(b, "datetime.timezone(datetime.timedelta("...)
		if days != 0 {
			b = append(b, "days="...)
			b = strconv.AppendInt(b, int64(days), 10)
			if secs != 0 {
				b = append(b, ", "...)
			}
		}
		if secs != 0 {
			b = append(b, "seconds="...)
			b = strconv.AppendInt(b, int64(secs), 10)
		}
		b = append(b, "))"...)
	}
	return append(b, ')')
}

// appendTimeStr appends Python's str of t as an aware datetime:
// isoformat(sep=" "), such as 2024-01-02 03:04:05.000006+02:00.
func appendTimeStr(b []byte, t time.Time) []byte {
	b = appendPadded(b, t.Year(), 4)
	b = append(b, '-')
	b = appendPadded(b, int(t.Month()), 2)
	b = append(b, '-')
	b = appendPadded(b, t.Day(), 2)
	b = append(b, ' ')
	b = appendPadded(b, t.Hour(), 2)
	b = append(b, ':')
	b = appendPadded(b, t.Minute(), 2)
	b = append(b, ':')
	b = appendPadded(b, t.Second(), 2)
	if us := t.Nanosecond() / 1000; us != 0 {
		b = append(b, '.')
		b = appendPadded(b, us, 6)
	}
	_, off := t.Zone()
	if off < 0 {
		b = append(b, '-')
		off = -off
	} else {
		b = append(b, '+')
	}
	b = appendPadded(b, off/3600, 2)
	b = append(b, ':')
	b = appendPadded(b, off%3600/60, 2)
	if off%60 != 0 {
		b = append(b, ':')
		b = appendPadded(b, off%60, 2)
	}
	return b
}

// appendPadded appends n in decimal with at least width digits, as C's
// printf("%0*d") does (a minus sign counts toward the width).
func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		b = append(b, '-')
		s = s[1:]
		width--
	}
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
