package codec

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// httpDateVectors is testdata/httpdate/vectors.json, written by
// compat/gen_httpdate.py from Werkzeug's http_date/parse_date.
type httpDateVectors struct {
	Provenance map[string]any `json:"provenance"`
	Unicode    struct {
		Space        []rune            `json:"space"`
		DecimalZeros []rune            `json:"decimal_zeros"`
		DigitOnly    [][2]rune         `json:"digit_only"`
		LowerToASCII map[string]string `json:"lower_to_ascii"`
		UpperToASCII map[string]string `json:"upper_to_ascii"`
	} `json:"unicode"`
	Format []struct {
		Name   string       `json:"name"`
		In     httpDateTime `json:"in"`
		Want   *string      `json:"want"`
		Raises string       `json:"raises"`
	} `json:"format"`
	Parse []struct {
		In   string `json:"in"`
		Want *struct {
			httpDateTime
			TZName string `json:"tzname"`
		} `json:"want"`
		Raises string `json:"raises"`
	} `json:"parse"`
}

// httpDateTime is a Python datetime: unix seconds (floor), microseconds and
// the UTC offset in seconds (nil for a naive datetime, counted as UTC).
type httpDateTime struct {
	Unix   int64 `json:"unix"`
	US     int64 `json:"us"`
	Offset *int  `json:"offset"`
}

func (d httpDateTime) time() time.Time {
	loc := time.UTC
	if d.Offset != nil {
		loc = time.FixedZone("", *d.Offset)
	}
	return time.Unix(d.Unix, d.US*1000).In(loc)
}

func loadHTTPDateVectors(tb testing.TB) *httpDateVectors {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "httpdate", "vectors.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var v httpDateVectors
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatal(err)
	}
	if len(v.Format) == 0 || len(v.Parse) == 0 || len(v.Unicode.Space) == 0 {
		tb.Fatalf("vectors.json: %d format, %d parse cases, %d spaces: want some of each",
			len(v.Format), len(v.Parse), len(v.Unicode.Space))
	}
	return &v
}

func TestAppendHTTPDateVectors(t *testing.T) {
	v := loadHTTPDateVectors(t)
	for _, c := range v.Format {
		t.Run(c.Name, func(t *testing.T) {
			in := c.In.time()
			got, err := appendHTTPDate([]byte("prefix:"), in)
			switch {
			case c.Raises != "":
				// Python cannot convert the datetime to UTC (OverflowError).
				if !errors.Is(err, errHTTPDateRange) {
					t.Fatalf("appendHTTPDate(%v) = %q, %v; want errHTTPDateRange (Python raises %s)", in, got, err, c.Raises)
				}
				if string(got) != "prefix:" {
					t.Errorf("appendHTTPDate changed dst on error: %q", got)
				}
			case c.Want == nil:
				t.Fatal("vector has neither want nor raises")
			default:
				if err != nil {
					t.Fatalf("appendHTTPDate(%v): %v; want %q", in, err, *c.Want)
				}
				if want := "prefix:" + *c.Want; string(got) != want {
					t.Errorf("appendHTTPDate(%v) = %q; want %q", in, got, want)
				}
			}
		})
	}
}

func TestParseHTTPDateVectors(t *testing.T) {
	v := loadHTTPDateVectors(t)
	for i, c := range v.Parse {
		name := strconv.Itoa(i) + "/" + strconv.QuoteToASCII(httpDateTruncate(c.In, 40))
		t.Run(name, func(t *testing.T) {
			got, ok, err := parseHTTPDateExact(c.In)
			got2, ok2 := parseHTTPDate(c.In)
			if ok2 != (ok && err == nil) || !got2.Equal(got) {
				t.Errorf("parseHTTPDate = %v, %v; parseHTTPDateExact = %v, %v, %v", got2, ok2, got, ok, err)
			}
			switch {
			case c.Raises != "":
				if c.Raises != "OverflowError" || !errors.Is(err, errHTTPDateOverflow) || ok {
					t.Fatalf("parseHTTPDateExact(%q) = %v, %v, %v; Python raises %s", c.In, got, ok, err, c.Raises)
				}
			case c.Want == nil:
				if ok || err != nil {
					t.Fatalf("parseHTTPDateExact(%q) = %v, %v, %v; Python returns None", c.In, got, ok, err)
				}
			default:
				w := c.Want
				if !ok || err != nil {
					t.Fatalf("parseHTTPDateExact(%q) = %v, %v, %v; Python returns %+v", c.In, got, ok, err, *w)
				}
				zone, off := got.Zone()
				if got.Unix() != w.Unix || int64(got.Nanosecond()) != w.US*1000 || w.Offset == nil || off != *w.Offset || zone != w.TZName {
					t.Errorf("parseHTTPDateExact(%q) = %v (zone %q %d); Python returns unix %d us %d offset %v tzname %q",
						c.In, got, zone, off, w.Unix, w.US, httpDatePtrStr(w.Offset), w.TZName)
				}
				if (off == 0) != (got.Location() == time.UTC) {
					t.Errorf("offset %d in location %v; want time.UTC exactly when the offset is 0", off, got.Location())
				}
			}
		})
	}
}

// TestHTTPDateUnicodeTables checks the hardcoded CPython 3.11 tables against
// the ones Python exported into vectors.json, over every code point.
func TestHTTPDateUnicodeTables(t *testing.T) {
	u := loadHTTPDateVectors(t).Unicode
	space := map[rune]bool{}
	for _, r := range u.Space {
		space[r] = true
	}
	if len(u.DecimalZeros) != len(pyDecimalZeros) {
		t.Fatalf("%d decimal zeros in Python, %d in Go", len(u.DecimalZeros), len(pyDecimalZeros))
	}
	for i, z := range u.DecimalZeros {
		if pyDecimalZeros[i] != z {
			t.Fatalf("decimal zero %d: Go %#x, Python %#x", i, pyDecimalZeros[i], z)
		}
	}
	for r := rune(0); r <= 0x10FFFF; r++ {
		if pyIsSpace(r) != space[r] {
			t.Errorf("pyIsSpace(%#x) = %v; Python str.isspace says %v", r, !space[r], space[r])
		}
		wantDec, wantDigit := -1, false
		for _, z := range u.DecimalZeros {
			if z <= r && r < z+10 {
				wantDec, wantDigit = int(r-z), true
			}
		}
		for _, rg := range u.DigitOnly {
			if rg[0] <= r && r <= rg[1] {
				wantDigit = true
			}
		}
		if d, ok := pyDecimal(r); ok != (wantDec >= 0) || (ok && d != wantDec) {
			t.Errorf("pyDecimal(%#x) = %d, %v; Python says %d", r, d, ok, wantDec)
		}
		if pyIsDigit(r) != wantDigit {
			t.Errorf("pyIsDigit(%#x) = %v; Python str.isdigit says %v", r, !wantDigit, wantDigit)
		}
	}
	checkCaseMap := func(name string, goMap map[rune]string, pyMap map[string]string) {
		if len(goMap) != len(pyMap) {
			t.Errorf("%s: %d entries in Go, %d in Python", name, len(goMap), len(pyMap))
		}
		for k, want := range pyMap {
			r, err := strconv.ParseUint(k, 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			if got := goMap[rune(r)]; got != want {
				t.Errorf("%s[%#x] = %q; Python says %q", name, r, got, want)
			}
		}
	}
	checkCaseMap("pyLowerToASCII", pyLowerToASCII, u.LowerToASCII)
	checkCaseMap("pyUpperToASCII", pyUpperToASCII, u.UpperToASCII)
}

// TestParseHTTPDateQuirks spells out a few of email._parseaddr's quirks.
// Expected values are parse_date's in CPython 3.11 + Werkzeug 2.2.2 (each
// input is also in vectors.json, or was checked by hand with /usr/bin/python3).
func TestParseHTTPDateQuirks(t *testing.T) {
	utc := func(y int, m time.Month, d, hh, mm, ss int) time.Time {
		return time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
	}
	tests := []struct {
		name string
		in   string
		want time.Time // zero: Python returns None
		zone string
	}{
		{name: "rfc1123", in: "Sun, 06 Nov 1994 08:49:37 GMT", want: utc(1994, 11, 6, 8, 49, 37), zone: "UTC"},
		{name: "rfc850", in: "Sunday, 06-Nov-94 08:49:37 GMT", want: utc(1994, 11, 6, 8, 49, 37), zone: "UTC"},
		{name: "asctime", in: "Sun Nov  6 08:49:37 1994", want: utc(1994, 11, 6, 8, 49, 37), zone: "UTC"},
		{name: "year 0005 reads as 2005 (spec §4.3)", in: "Sat, 01 Jan 0005 00:00:00 GMT", want: utc(2005, 1, 1, 0, 0, 0), zone: "UTC"},
		{name: "numeric offset kept", in: "Sun, 06 Nov 1994 08:49:37 +0200", want: utc(1994, 11, 6, 6, 49, 37), zone: "UTC+02:00"},
		{name: "minus zero is UTC", in: "06 Nov 1994 08:49:37 -0000", want: utc(1994, 11, 6, 8, 49, 37), zone: "UTC"},
		{name: "missing seconds", in: "06 Nov 1994 08:49", want: utc(1994, 11, 6, 8, 49, 0), zone: "UTC"},
		{name: "long s uppercases to S", in: "01 Jan 2024 12:00:00 E\u017fT", want: utc(2024, 1, 1, 17, 0, 0), zone: "UTC-05:00"},
		{name: "arabic-indic digits are decimal", in: "06 Nov 1994 08:49:37 +\u0660\u0662\u0660\u0660", want: utc(1994, 11, 6, 6, 49, 37), zone: "UTC+02:00"},
		{name: "huge string, only the first five fields count", in: "1 Jan 2000 00:00 " + strings.Repeat("x ", 1<<19), want: utc(2000, 1, 1, 0, 0, 0), zone: "UTC"},
		// Python returns None for these:
		{name: "empty string"},
		{name: "only unicode spaces", in: " \u00a0\u2028\u3000"},
		{name: "february 31 raises ValueError", in: "31 Feb 2024 00:00:00"},
		{name: "hour 24 raises ValueError", in: "01 Jan 2024 24:00:00"},
		{name: "offset of 24h raises ValueError", in: "01 Jan 2024 12:00:00 +2400"},
		{name: "superscript two is isdigit but not int", in: "06 Nov \u00b2\u00b3 08:49:37"},
		{name: "Kawi digits are Unicode 15, unknown to Python 3.11", in: "06 Nov \U00011f51\U00011f59\U00011f59\U00011f54 08:49:37"},
		{name: "over 4300 digits raises ValueError in int()", in: "1 Jan " + strings.Repeat("1", 1_000_000) + " 00:00"},
		{name: "megabyte of spaces", in: strings.Repeat(" ", 1<<20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseHTTPDate(tt.in)
			if tt.want.IsZero() {
				if ok {
					t.Fatalf("parseHTTPDate = %v; Python returns None", got)
				}
				return
			}
			if !ok || !got.Equal(tt.want) {
				t.Fatalf("parseHTTPDate = %v, %v; want %v", got, ok, tt.want)
			}
			if zone, _ := got.Zone(); zone != tt.zone {
				t.Errorf("zone %q; want %q", zone, tt.zone)
			}
		})
	}
}

func TestParseHTTPDateOverflow(t *testing.T) {
	// Python raises OverflowError (Flask: BadPayload) rather than returning None.
	tests := []struct{ name, in string }{
		{"year beyond C int", "1 Jan 2147483648 00:00"},
		{"seconds beyond C int", "1 Jan 2000 00:00:99999999999999999999999"},
		{"offset beyond timedelta", "01 Jan 2024 12:00:00 +2400000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := parseHTTPDateExact(tt.in)
			if ok || !errors.Is(err, errHTTPDateOverflow) {
				t.Fatalf("parseHTTPDateExact = %v, %v, %v; want errHTTPDateOverflow", got, ok, err)
			}
			if _, ok := parseHTTPDate(tt.in); ok {
				t.Error("parseHTTPDate ok; want false")
			}
		})
	}
}

func TestAppendHTTPDateRange(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
	}{
		{"year 0 has no Python datetime", time.Date(0, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"year 10000 has no Python datetime", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"year 1 local is year 0 in UTC", time.Date(1, 1, 1, 0, 30, 0, 0, time.FixedZone("", 3600))},
		{"zero time.Time is year 1 but negative years are not", time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := appendHTTPDate(nil, tt.in)
			if !errors.Is(err, errHTTPDateRange) || got != nil {
				t.Fatalf("appendHTTPDate(%v) = %q, %v; want errHTTPDateRange", tt.in, got, err)
			}
		})
	}
}

func httpDateTruncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

func httpDatePtrStr(p *int) string {
	if p == nil {
		return "null"
	}
	return strconv.Itoa(*p)
}
