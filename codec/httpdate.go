package codec

// The HTTP-date half of Flask's " d" tag (spec §4.3).
//
// Flask writes a datetime as werkzeug.http.http_date(v), which is
// email.utils.format_datetime(v as UTC, usegmt=True), and reads it back with
// werkzeug.http.parse_date(s), which is email.utils.parsedate_to_datetime(s)
// (a thin wrapper over email._parseaddr._parsedate_tz) with ValueError and
// TypeError turned into None and a naive result given tzinfo=UTC.
//
// parseHTTPDateExact below is a line-by-line port of _parsedate_tz and
// parsedate_to_datetime from CPython 3.11 (Werkzeug 2.2.2). The comments
// quote the Python it ports. Python's str methods are reproduced with tables
// taken from CPython 3.11 (Unicode 14.0.0), not with Go's unicode package
// (Unicode 15), so that a digit or space added in Unicode 15 is not accepted;
// the tables are checked against Python by the "unicode" section of
// testdata/httpdate/vectors.json.
//
// Go strings are treated as sequences of code points. A byte that is not
// valid UTF-8 counts as one code point that is neither a space, a digit nor a
// cased letter; this is what Python does with the U+FFFD or lone surrogate
// that such a byte becomes on the Python side, so the outcome is the same.
//
// Known gaps (documented, not reachable from Flask's own output):
//   - int() honours sys.set_int_max_str_digits / PYTHONINTMAXSTRDIGITS; the
//     default limit of 4300 digits is assumed.
//   - Python's int() strips surrounding whitespace, but every string handed
//     to int() here comes out of str.split() and so holds none; the port does
//     not strip.

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// errHTTPDateRange is returned by appendHTTPDate for a time whose UTC year
// lies outside 1..9999, which no Python datetime can hold (astimezone raises
// OverflowError there).
var errHTTPDateRange = errors.New("codec: datetime out of Python's range (years 1..9999 UTC)")

// errHTTPDateOverflow reports that werkzeug.http.parse_date raises
// OverflowError instead of returning a datetime or None: an integer field too
// large for a C int (datetime()) or an offset too large for a timedelta. Flask
// turns that into BadPayload, unlike None which becomes the session value.
var errHTTPDateOverflow = errors.New("codec: http date: Python raises OverflowError")

var (
	httpDayNames   = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"} // indexed by time.Weekday
	httpMonthNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// appendHTTPDate appends t as Flask's http_date does: t converted to UTC,
// sub-second digits truncated, "%a, %d %b %Y %H:%M:%S GMT" with English
// names, a 2-digit day and a 4-digit zero-padded year (e.g.
// "Sat, 01 Jan 0005 00:00:00 GMT").
//
// Go has no naive times: a caller holding a naive Python datetime passes it
// in UTC, as Werkzeug assumes. A time whose UTC year is outside 1..9999
// cannot exist in Python (an aware datetime near the ends of the range makes
// astimezone raise OverflowError); for it dst is returned unchanged with an
// error matching errHTTPDateRange.
func appendHTTPDate(dst []byte, t time.Time) ([]byte, error) {
	u := t.UTC()
	year, month, day := u.Date()
	if year < 1 || year > 9999 {
		return dst, fmt.Errorf("%w: year %d", errHTTPDateRange, year)
	}
	hour, minute, sec := u.Clock()
	dst = append(dst, httpDayNames[u.Weekday()]...)
	dst = append(dst, ", "...)
	dst = appendDigits(dst, day, 2)
	dst = append(dst, ' ')
	dst = append(dst, httpMonthNames[month-1]...)
	dst = append(dst, ' ')
	dst = appendDigits(dst, year, 4)
	dst = append(dst, ' ')
	dst = appendDigits(dst, hour, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, minute, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, sec, 2)
	dst = append(dst, " GMT"...)
	return dst, nil
}

// appendDigits appends the non-negative v zero-padded to width digits.
func appendDigits(dst []byte, v, width int) []byte {
	var buf [8]byte
	i := len(buf)
	for v > 0 || width > 0 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		width--
	}
	return append(dst, buf[i:]...)
}

// parseHTTPDate is werkzeug.http.parse_date: it returns ok=false where Python
// returns None, and also where Python raises OverflowError (see
// parseHTTPDateExact to tell the two apart).
//
// The result is in time.UTC when the string has no zone, a zone worth 0
// ("GMT", "UT", "UTC", "Z", "+0000", ...) or "-0000". Any other offset gives
// a time.FixedZone named as Python's timezone.tzname() names it, e.g.
// "UTC+02:00" or "UTC-05:00". Sub-second fields never occur.
func parseHTTPDate(s string) (time.Time, bool) {
	t, ok, err := parseHTTPDateExact(s)
	return t, ok && err == nil
}

// _monthnames from email._parseaddr; index(mm) finds the first match, so
// "may" is 5, and the full names count from 13 and get 12 taken off.
var pyMonthNames = [...]string{
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
}

var pyDayNames = [...]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// _timezones from email._parseaddr, in its hhmm form.
var pyTimezones = map[string]int64{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
	"AST": -400, "ADT": -300,
	"EST": -500, "EDT": -400,
	"CST": -600, "CDT": -500,
	"MST": -700, "MDT": -600,
	"PST": -800, "PDT": -700,
}

// parseHTTPDateExact ports parse_date with all three Python outcomes: a
// datetime (ok=true), None (ok=false, err=nil) and a raised OverflowError
// (ok=false, err matching errHTTPDateOverflow). ValueError and TypeError are
// caught by Werkzeug and give None; no other exception can escape
// _parsedate_tz for a str argument. Work is linear in len(s).
func parseHTTPDateExact(s string) (time.Time, bool, error) {
	// if not data: return None
	// data = data.split()
	// Only the first tokens matter (len(data) is compared with 3, 4 and 5,
	// after at most one deletion), so at most 7 are kept; n == 7 means "7 or
	// more".
	data, n := pySplitFirst(s, 7)
	if n == 0 {
		return time.Time{}, false, nil
	}
	// if data[0].endswith(',') or data[0].lower() in _daynames: del data[0]
	// else: i = data[0].rfind(','); if i >= 0: data[0] = data[0][i+1:]
	if strings.HasSuffix(data[0], ",") || pyLowerIn(data[0], pyDayNames[:]) {
		data = data[1:]
		n--
	} else if i := strings.LastIndexByte(data[0], ','); i >= 0 {
		data[0] = data[0][i+1:]
	}
	// if len(data) == 3: stuff = data[0].split('-'); if len(stuff) == 3: data = stuff + data[1:]
	if n == 3 && strings.Count(data[0], "-") == 2 {
		stuff := strings.Split(data[0], "-")
		data = append(stuff, data[1:n]...)
		n = 5
	}
	// if len(data) == 4: split a zone glued to the time on the first '+'
	// (else the first '-') when it is not at position 0, else append ''.
	if n == 4 {
		s3 := data[3]
		i := strings.IndexByte(s3, '+')
		if i == -1 {
			i = strings.IndexByte(s3, '-')
		}
		if i > 0 {
			data = append(data[:3:3], s3[:i], s3[i:])
		} else {
			data = append(data[:4:4], "")
		}
		n = 5
	}
	if n < 5 {
		return time.Time{}, false, nil
	}
	dd, mm, yy, tm, tz := data[0], data[1], data[2], data[3], data[4]
	if dd == "" || mm == "" || yy == "" {
		return time.Time{}, false, nil
	}
	// mm = mm.lower(); if mm not in _monthnames: dd, mm = mm, dd.lower()
	// Lower-casing never adds, removes or changes a digit, sign, underscore,
	// comma or space (checked over all of Unicode for CPython 3.11), so the
	// swapped dd is kept un-lowered: int() and the comma test see the same.
	month := pyMonthIndex(mm)
	if month == 0 {
		dd, month = mm, pyMonthIndex(dd)
		if month == 0 {
			return time.Time{}, false, nil
		}
	}
	// if dd[-1] == ',': dd = dd[:-1]
	dd = strings.TrimSuffix(dd, ",")
	// i = yy.find(':'); if i > 0: yy, tm = tm, yy
	if strings.IndexByte(yy, ':') > 0 {
		yy, tm = tm, yy
	}
	// if yy[-1] == ',': yy = yy[:-1]; if not yy: return None
	if strings.HasSuffix(yy, ",") {
		yy = yy[:len(yy)-1]
		if yy == "" {
			return time.Time{}, false, nil
		}
	}
	// if not yy[0].isdigit(): yy, tz = tz, yy
	if r, _ := utf8.DecodeRuneInString(yy); !pyIsDigit(r) {
		yy, tz = tz, yy
	}
	// if tm[-1] == ',': tm = tm[:-1]
	// (tm is never empty here: it is a split() token or the non-empty yy.)
	tm = strings.TrimSuffix(tm, ",")
	// tm = tm.split(':') with 2 or 3 parts, or tm.split('.') when there is
	// no ':' but a '.'; a missing seconds field is 0.
	var thh, tmm, tss string
	sep := ":"
	if strings.IndexByte(tm, ':') < 0 && strings.IndexByte(tm, '.') >= 0 {
		sep = "."
	}
	switch strings.Count(tm, sep) {
	case 1:
		i := strings.Index(tm, sep)
		thh, tmm, tss = tm[:i], tm[i+1:], "0"
	case 2:
		i := strings.Index(tm, sep)
		j := i + 1 + strings.Index(tm[i+1:], sep)
		thh, tmm, tss = tm[:i], tm[i+1:j], tm[j+1:]
	default:
		return time.Time{}, false, nil
	}
	// yy = int(yy); dd = int(dd); ... except ValueError: return None
	year, ok1 := pyInt(yy)
	day, ok2 := pyInt(dd)
	hour, ok3 := pyInt(thh)
	minute, ok4 := pyInt(tmm)
	second, ok5 := pyInt(tss)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return time.Time{}, false, nil
	}
	// if yy < 100: yy += 1900 if yy > 68 else 2000
	if year < 100 {
		if year > 68 {
			year += 1900
		} else {
			year += 2000
		}
	}
	// tz = tz.upper(); tzoffset = _timezones.get(tz) or int(tz) or None;
	// an int 0 written with a leading '-' ("-0000") is None.
	hasOffset := false
	var offset int64
	if v, ok := pyTimezones[pyUpperASCII(tz)]; ok {
		offset, hasOffset = v, true
	} else if v, ok := pyInt(tz); ok && !(v == 0 && strings.HasPrefix(tz, "-")) {
		offset, hasOffset = v, true
	}
	// tzoffset = tzsign * ((tzoffset//100)*3600 + (tzoffset % 100)*60)
	if offset != 0 {
		sign := int64(1)
		if offset < 0 {
			sign, offset = -1, -offset
		}
		offset = sign * ((offset/100)*3600 + (offset%100)*60)
	}
	// parsedate_to_datetime: timezone(timedelta(seconds=tz)) is built
	// before datetime() is called, so its errors come first.
	loc := time.UTC
	if hasOffset {
		// timedelta: OverflowError unless |days| <= 999999999.
		days := offset / 86400
		if offset%86400 < 0 {
			days--
		}
		if days < -999999999 || days > 999999999 {
			return time.Time{}, false, errHTTPDateOverflow
		}
		// timezone: ValueError unless -24h < offset < 24h.
		if offset <= -86400 || offset >= 86400 {
			return time.Time{}, false, nil
		}
		if offset != 0 {
			loc = time.FixedZone(pyTZName(offset), int(offset))
		}
	}
	// datetime(yy, mm, dd, thh, tmm, tss): every argument is converted to a
	// C int (OverflowError) before any range is checked (ValueError).
	for _, v := range [...]int64{year, day, hour, minute, second} {
		if v < -1<<31 || v > 1<<31-1 {
			return time.Time{}, false, errHTTPDateOverflow
		}
	}
	if year < 1 || year > 9999 || day < 1 || day > int64(daysIn(month, year)) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		return time.Time{}, false, nil
	}
	t := time.Date(int(year), time.Month(month), int(day), int(hour), int(minute), int(second), 0, loc)
	return t, true, nil
}

// daysIn is the number of days of month m (1..12) in the proleptic
// Gregorian year y, as Python's datetime counts them.
func daysIn(m int, y int64) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// pyTZName is datetime.timezone(timedelta(seconds=off)).tzname(None) for a
// whole-minute offset off with 0 < |off| < 86400.
func pyTZName(off int64) string {
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b := []byte("UTC")
	b = append(b, sign)
	b = appendDigits(b, int(off/3600), 2)
	b = append(b, ':')
	b = appendDigits(b, int(off/60%60), 2)
	if off%60 != 0 {
		b = append(b, ':')
		b = appendDigits(b, int(off%60), 2)
	}
	return string(b)
}

// pySplitFirst is str.split() with no arguments, keeping only the first max
// fields. n is the number of fields, capped at max.
func pySplitFirst(s string, max int) (fields []string, n int) {
	fields = make([]string, 0, max)
	start := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 && r == utf8.RuneError {
			r = -1 // an invalid byte: an ordinary character
		}
		if pyIsSpace(r) {
			if start >= 0 {
				fields = append(fields, s[start:i])
				start = -1
				if len(fields) == max {
					return fields, max
				}
			}
		} else if start < 0 {
			start = i
		}
		i += size
	}
	if start >= 0 {
		fields = append(fields, s[start:])
	}
	return fields, len(fields)
}

// pyMonthIndex is _monthnames.index(s.lower()) + 1 folded to 1..12, or 0
// when s.lower() is not a month name.
func pyMonthIndex(s string) int {
	for i, name := range pyMonthNames {
		if pyLowerEquals(s, name) {
			return i%12 + 1
		}
	}
	return 0
}

func pyLowerIn(s string, names []string) bool {
	for _, name := range names {
		if pyLowerEquals(s, name) {
			return true
		}
	}
	return false
}

// pyLowerEquals reports whether s.lower() == name for an ASCII lowercase
// name, with Python's full case mapping: outside ASCII only the code points in
// pyLowerToASCII lower to ASCII; any other lowers to something non-ASCII and
// cannot match.
func pyLowerEquals(s, name string) bool {
	var buf [16]byte
	b := buf[:0]
	for _, r := range s {
		if r < 0x80 {
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		} else {
			m := pyLowerToASCII[r]
			if m == "" {
				return false
			}
			b = append(b, m...)
		}
		if len(b) > len(name) {
			return false
		}
	}
	return string(b) == name
}

// pyUpperASCII returns s.upper() when that is pure ASCII and at most a few
// characters long (long enough for any _timezones key), else "" (which is no
// key). It follows Python's full case mapping for the code points whose
// uppercase is ASCII.
func pyUpperASCII(s string) string {
	const maxLen = 8
	var b []byte
	for _, r := range s {
		var m string
		switch {
		case r < 0x80:
			c := byte(r)
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			b = append(b, c)
		default:
			if m = pyUpperToASCII[r]; m == "" {
				return ""
			}
			b = append(b, m...)
		}
		if len(b) > maxLen {
			return ""
		}
	}
	return string(b)
}

// pyUpperToASCII lists every code point above U+007F whose str.upper() in
// CPython 3.11 is ASCII (full case mapping, so ligatures become two or three
// letters).
var pyUpperToASCII = map[rune]string{
	0x00DF: "SS", 0x0131: "I", 0x017F: "S",
	0xFB00: "FF", 0xFB01: "FI", 0xFB02: "FL", 0xFB03: "FFI", 0xFB04: "FFL",
	0xFB05: "ST", 0xFB06: "ST",
}

// pyLowerToASCII lists every code point above U+007F whose str.lower() in
// CPython 3.11 is ASCII.
var pyLowerToASCII = map[rune]string{0x212A: "k"}

// pyIntMaxStrDigits is CPython's default sys.get_int_max_str_digits().
const pyIntMaxStrDigits = 4300

// pyIntSaturate bounds the magnitude that pyInt reports. Every later check
// treats all values at or beyond it alike (far outside a C int, and as a
// zone offset far beyond timedelta's range), and 36 times it still fits in
// an int64.
const pyIntSaturate = 100_000_000_000_000_000

// pyInt is Python's int(s) for a string without surrounding whitespace:
// an optional sign, then Unicode decimal digits (category Nd) with single
// underscores between them, at most 4300 digits. ok=false is ValueError.
// Values beyond ±pyIntSaturate are clamped to it.
func pyInt(s string) (v int64, ok bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	digits := 0
	prevUnderscore := false
	for _, r := range s {
		if r == '_' {
			if digits == 0 || prevUnderscore {
				return 0, false
			}
			prevUnderscore = true
			continue
		}
		d, isDec := pyDecimal(r)
		if !isDec {
			return 0, false
		}
		prevUnderscore = false
		digits++
		if digits > pyIntMaxStrDigits {
			return 0, false
		}
		if v < pyIntSaturate {
			v = v*10 + int64(d)
			if v > pyIntSaturate {
				v = pyIntSaturate
			}
		}
	}
	if digits == 0 || prevUnderscore {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// pyIsSpace is str.isspace() for one code point in CPython 3.11, which is
// what str.split() splits on.
func pyIsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ',
		0x85, 0xA0, 0x1680,
		0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
		0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return false
}

// pyDecimalZeros holds the DIGIT ZERO of every run of ten decimal digits
// (str.isdecimal(), category Nd) in CPython 3.11 / Unicode 14.0.0. int()
// accepts exactly these digits.
var pyDecimalZeros = [...]rune{
	0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6,
	0xD66, 0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
	0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
	0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136,
	0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950,
	0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2,
	0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
}

// pyDecimal returns the value of a Unicode decimal digit.
func pyDecimal(r rune) (int, bool) {
	if '0' <= r && r <= '9' {
		return int(r - '0'), true
	}
	if r < 0x80 {
		return 0, false
	}
	// The largest zero <= r.
	lo, hi := 0, len(pyDecimalZeros)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if pyDecimalZeros[m] <= r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 {
		return 0, false
	}
	if d := r - pyDecimalZeros[lo-1]; d < 10 {
		return int(d), true
	}
	return 0, false
}

// pyDigitOnly lists, as inclusive ranges, the code points for which
// str.isdigit() is true but str.isdecimal() is false in CPython 3.11
// (superscripts, circled digits, ...). int() rejects them.
var pyDigitOnly = [...][2]rune{
	{0xB2, 0xB3}, {0xB9, 0xB9}, {0x1369, 0x1371}, {0x19DA, 0x19DA}, {0x2070, 0x2070},
	{0x2074, 0x2079}, {0x2080, 0x2089}, {0x2460, 0x2468}, {0x2474, 0x247C},
	{0x2488, 0x2490}, {0x24EA, 0x24EA}, {0x24F5, 0x24FD}, {0x24FF, 0x24FF},
	{0x2776, 0x277E}, {0x2780, 0x2788}, {0x278A, 0x2792}, {0x10A40, 0x10A43},
	{0x10E60, 0x10E68}, {0x11052, 0x1105A}, {0x1F100, 0x1F10A},
}

// pyIsDigit is str.isdigit() for one code point in CPython 3.11.
func pyIsDigit(r rune) bool {
	if _, ok := pyDecimal(r); ok {
		return true
	}
	for _, rg := range pyDigitOnly {
		if rg[0] <= r && r <= rg[1] {
			return true
		}
	}
	return false
}
