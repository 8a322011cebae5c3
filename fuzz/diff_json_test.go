package fuzz_test

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsonWriter writes random JSON with the spellings Python's json module
// reads: escapes of every kind, number forms, whitespace, duplicate keys,
// NaN and Infinity, deep nesting; and, for Flask, tagged values with good
// and bad contents.
type jsonWriter struct {
	r     *rand.Rand
	b     []byte
	flask bool
	dates []string
}

func (w *jsonWriter) top() {
	r := w.r
	if chance(r, 3) {
		d := pick(r, []int{100, 255, 256, 257, 511, 512, 513, 700, 900, 990, 1000, 1100, 3000})
		open, close := "[", "]"
		switch {
		case w.flask && chance(r, 50):
			open, close = `{" t":[`, "]}"
			d /= 2
		case chance(r, 40):
			open, close = `{"a":`, "}"
		}
		w.b = append(w.b, strings.Repeat(open, d)...)
		w.value(5)
		w.b = append(w.b, strings.Repeat(close, d)...)
		return
	}
	if w.flask && chance(r, 80) {
		w.object(0)
		return
	}
	w.value(0)
}

func (w *jsonWriter) ws() {
	if chance(w.r, 15) {
		w.b = append(w.b, pick(w.r, []string{" ", "\n", "\t", "\r", "  ", " \n "})...)
	}
}

func (w *jsonWriter) value(depth int) {
	r := w.r
	w.ws()
	n := 10
	if depth > 4 {
		n = 6 // scalars only
	}
	if w.flask {
		n += 3
	}
	switch k := r.IntN(n); {
	case k < 3:
		w.str()
	case k < 5:
		w.number()
	case k < 6:
		w.b = append(w.b, pick(r, []string{"true", "false", "null", "NaN", "Infinity", "-Infinity"})...)
	case k < 8:
		w.object(depth + 1)
	case k < 10:
		w.array(depth + 1)
	default:
		w.tag(depth + 1)
	}
	w.ws()
}

func (w *jsonWriter) array(depth int) {
	w.b = append(w.b, '[')
	for i, n := 0, w.r.IntN(4); i < n; i++ {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.value(depth)
	}
	w.ws()
	w.b = append(w.b, ']')
}

func (w *jsonWriter) object(depth int) {
	r := w.r
	w.b = append(w.b, '{')
	var keys []string
	for i, n := 0, r.IntN(4); i < n; i++ {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.ws()
		var k string
		switch {
		case len(keys) > 0 && chance(r, 10):
			k = pick(r, keys) // a duplicate key: the last value wins
		case w.flask && chance(r, 15):
			k = pick(r, []string{" t", " b", " m", " u", " d", " di", " x", "_flashes", "_permanent"})
		default:
			k = w.randomString()
		}
		keys = append(keys, k)
		w.quoted(k)
		w.ws()
		w.b = append(w.b, ':')
		w.value(depth)
	}
	w.ws()
	w.b = append(w.b, '}')
}

// tag writes one of Flask's tagged values, with a good or a bad content.
func (w *jsonWriter) tag(depth int) {
	r := w.r
	key := pick(r, []string{" t", " b", " m", " u", " d", " di"})
	w.b = append(w.b, `{"`...)
	w.b = append(w.b, key...)
	w.b = append(w.b, `":`...)
	bad := chance(r, 20)
	switch {
	case bad:
		w.value(depth)
	case key == " t":
		w.array(depth)
	case key == " b":
		raw := make([]byte, r.IntN(12))
		for i := range raw {
			raw[i] = byte(r.IntN(256))
		}
		s := base64.StdEncoding.EncodeToString(raw)
		switch r.IntN(6) {
		case 0:
			s = strings.TrimRight(s, "=")
		case 1:
			s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
		case 2:
			s = s[:len(s)/2] + pick(r, []string{" ", "\n", "!", "é", "=", "\\u00e9"}) + s[len(s)/2:]
		}
		w.quotedRaw(s)
	case key == " m":
		w.str()
	case key == " u":
		h := fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64())
		s := h
		switch r.IntN(7) {
		case 0:
			s = h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
		case 1:
			s = "{" + strings.ToUpper(h) + "}"
		case 2:
			s = "urn:uuid:" + h
		case 3:
			s = h[:31]
		case 4:
			s = h[:30] + "zz"
		}
		w.quotedRaw(s)
	case key == " d":
		if chance(r, 80) {
			w.quoted(pick(r, w.dates))
		} else {
			w.value(depth)
		}
	default: // " di"
		w.b = append(w.b, '{')
		for i, n := 0, pick(r, []int{1, 1, 1, 0, 2}); i < n; i++ {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			k := pick(r, []string{" t__", " di__", "x__", "ab", "", " t", "é__"})
			w.quoted(k)
			w.b = append(w.b, ':')
			w.value(depth)
		}
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) randomString() string {
	r := w.r
	var b strings.Builder
	for n := r.IntN(6); n > 0; n-- {
		switch r.IntN(8) {
		case 0:
			b.WriteString(pick(r, []string{"é", "€", "😀", "\u2028", "\ufeff", "\u007f", "ÿ"}))
		case 1:
			b.WriteByte(byte(r.IntN(0x20)))
		default:
			b.WriteByte(pickByte(r, "abcxyz09 _-'\"\\/<>&"))
		}
	}
	return b.String()
}

// quoted writes s as a JSON string, escaping each character in one of the
// ways JSON allows.
func (w *jsonWriter) quoted(s string) {
	r := w.r
	w.b = append(w.b, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\' || c < 0x20 || chance(r, 10):
			if c < 0x10000 {
				w.b = fmt.Appendf(w.b, pick(r, []string{`\u%04x`, `\u%04X`}), c)
			} else {
				c -= 0x10000
				w.b = fmt.Appendf(w.b, `\u%04x\u%04x`, 0xd800+(c>>10), 0xdc00+(c&0x3ff))
			}
		default:
			w.b = utf8.AppendRune(w.b, c)
		}
	}
	w.b = append(w.b, '"')
}

// quotedRaw writes s between quotes as it is (s must not need escaping to
// be what the test wants).
func (w *jsonWriter) quotedRaw(s string) {
	w.b = append(append(append(w.b, '"'), s...), '"')
}

func (w *jsonWriter) str() {
	r := w.r
	w.b = append(w.b, '"')
	for n := r.IntN(8); n > 0; n-- {
		switch r.IntN(12) {
		case 0:
			w.b = append(w.b, pick(r, []string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`})...)
		case 1:
			w.b = fmt.Appendf(w.b, pick(r, []string{`\u%04x`, `\u%04X`}), r.IntN(0x10000))
		case 2:
			w.b = append(w.b, pick(r, []string{`\ud800`, `\udfff`, `\ud83d\ude00`, `\uD83D\uDE00`, `\ude00\ud83d`, `\u0000`, `\u00e9`})...)
		case 3:
			w.b = append(w.b, pick(r, []string{"é", "€", "😀", "\u2028", "\ufeff", "\x7f", "ÿ"})...)
		case 4:
			if chance(r, 10) {
				w.b = append(w.b, byte(r.IntN(0x20))) // a raw control character: an error
			}
		default:
			w.b = append(w.b, pickByte(r, "abcxyz09 _-'<>&"))
		}
	}
	w.b = append(w.b, '"')
}

func (w *jsonWriter) number() {
	r := w.r
	switch r.IntN(10) {
	case 0, 1:
		w.b = strconv.AppendInt(w.b, r.Int64N(2000)-1000, 10)
	case 2:
		w.b = append(w.b, pick(r, []string{"9223372036854775807", "9223372036854775808", "-9223372036854775808",
			"-9223372036854775809", "18446744073709551616", "-0", "0", "123456789012345678901234567890"})...)
	case 3:
		if chance(r, 5) {
			w.b = append(w.b, strings.Repeat("9", pick(r, []int{4300, 4301}))...)
		} else {
			for n := 1 + r.IntN(40); n > 0; n-- {
				w.b = append(w.b, byte('1'+r.IntN(9)))
			}
		}
	case 4, 5:
		w.b = strconv.AppendFloat(w.b, r.NormFloat64()*pick(r, []float64{1, 1e-5, 1e20, 1e300}), pick(r, []byte("efg")), -1, 64)
	case 6:
		w.b = append(w.b, pick(r, []string{"1.0", "1.50", "1e5", "1E+5", "1e-5", "-0.0", "0.1", "1e309", "-1e309", "1e-400",
			"2.2250738585072014e-308", "4.9e-324", "2.4e-324", "1.7976931348623157e308", "1.7976931348623159e308",
			"3.14159265358979323846264338327950288", "1e16", "1e15", "0.0001", "0.00001", "100000000000000000000.0"})...)
	case 7:
		w.b = append(w.b, pick(r, []string{"01", "1.", ".5", "+1", "0x10", "1e", "-", "1e+", "--1", "1.e5", "0e", "1_0"})...)
	default:
		w.b = strconv.AppendInt(w.b, r.Int64(), 10)
	}
}
