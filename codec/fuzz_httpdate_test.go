package codec

import (
	"errors"
	"testing"
)

// FuzzParseHTTPDate checks that parseHTTPDate never panics, that its
// outcomes are consistent, and that whatever it accepts formats back (when
// the UTC year is in Python's range) to a string that parses to the same
// instant, except that a UTC year below 100 comes back as 1900+year (69..99)
// or 2000+year (1..68), which is what Python does with the 4-digit year
// "0099" too. Seeds: every parse input of testdata/httpdate/vectors.json.
func FuzzParseHTTPDate(f *testing.F) {
	v := loadHTTPDateVectors(f)
	for _, c := range v.Parse {
		f.Add(c.In)
	}
	for _, c := range v.Format {
		if c.Want != nil {
			f.Add(*c.Want)
		}
	}
	f.Add("Sun, 06 Nov 1994 08:49:37 \xff\xfe")
	f.Add("06 Nov 1994 08:49:37 +\xed\xa0\x80") // a lone surrogate in WTF-8
	f.Add("1 JAn 100 0.0 1")                    // UTC year 99: formats as 0099, reads back as 1999
	f.Fuzz(func(t *testing.T, s string) {
		got, ok, err := parseHTTPDateExact(s)
		got2, ok2 := parseHTTPDate(s)
		if ok2 != (ok && err == nil) || !got2.Equal(got) {
			t.Fatalf("parseHTTPDate = %v, %v; parseHTTPDateExact = %v, %v, %v", got2, ok2, got, ok, err)
		}
		if err != nil && !errors.Is(err, errHTTPDateOverflow) {
			t.Fatalf("unexpected error %v", err)
		}
		if !ok {
			return
		}
		if err != nil {
			t.Fatalf("ok with error %v", err)
		}
		if y := got.Year(); y < 1 || y > 9999 || got.Nanosecond() != 0 {
			t.Fatalf("parsed %v: local year outside 1..9999 or sub-second digits", got)
		}
		b, err := appendHTTPDate(nil, got)
		if y := got.UTC().Year(); y < 1 || y > 9999 {
			if !errors.Is(err, errHTTPDateRange) {
				t.Fatalf("appendHTTPDate(%v) = %q, %v; want errHTTPDateRange", got, b, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("appendHTTPDate(%v): %v", got, err)
		}
		want := got.UTC()
		if y := want.Year(); y < 100 {
			shift := 2000
			if y > 68 {
				shift = 1900
			}
			// y and y+shift are both leap years or both not, so the date exists.
			want = want.AddDate(shift, 0, 0)
		}
		back, ok := parseHTTPDate(string(b))
		if !ok || !back.Equal(want) {
			t.Fatalf("%q -> %v -> %q -> %v, %v; want %v", s, got, b, back, ok, want)
		}
	})
}
