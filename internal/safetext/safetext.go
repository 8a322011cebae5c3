// Package safetext makes text that may hold attacker-controlled bytes safe
// to print in a terminal or write to a log: it is the one escaping rule of
// every error message of the library packages.
package safetext

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every character that could act on a terminal or
// reorder the text around it written as a Go escape: C0 and C1 controls
// and DEL (\n, \t, \x1b, \u009b), bidirectional and other format
// characters (\u202e, \u2066), every other character that unicode.IsPrint
// refuses except the ASCII space (\u00a0, \u2028), and bytes that are not
// UTF-8 (\xff). Printable characters, backslashes and quotes are kept as
// they are, so a message that holds a Python repr stays readable, and
// Escape(Escape(s)) == Escape(s). s is returned unchanged, without
// allocating, when it needs no escape.
func Escape(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			return escapeFrom(s, i)
		}
		i += size
	}
	return s
}

// needsEscape reports whether the rune r, decoded from size bytes, must be
// escaped.
func needsEscape(r rune, size int) bool {
	if r < utf8.RuneSelf {
		return r < 0x20 || r == 0x7f
	}
	if r == utf8.RuneError && size == 1 {
		return true
	}
	return !unicode.IsPrint(r)
}

// escapeFrom escapes s, whose first i bytes need no escape.
func escapeFrom(s string, i int) string {
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !needsEscape(r, size):
			b = append(b, s[i:i+size]...)
		case r == utf8.RuneError && size == 1:
			b = append(b, `\x`...)
			b = append(b, hex[s[i]>>4], hex[s[i]&15])
		default:
			// strconv's escapes: \n, \t, \x1b, \u009b, \U000e0001.
			q := strconv.QuoteRuneToASCII(r)
			b = append(b, q[1:len(q)-1]...)
		}
		i += size
	}
	return string(b)
}

const hex = "0123456789abcdef"
