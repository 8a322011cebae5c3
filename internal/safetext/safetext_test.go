package safetext

import (
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain ASCII", `Signature "abc-_=" does not match`, `Signature "abc-_=" does not match`},
		{"printable non-ASCII kept", "clé ключ 鍵 😀", "clé ключ 鍵 😀"},
		{"backslashes and quotes kept", `b'\x00' "q"`, `b'\x00' "q"`},
		{"newline and carriage return (log injection)", "a\nlevel=ERROR b\r", `a\nlevel=ERROR b\r`},
		{"tab", "a\tb", `a\tb`},
		{"escape sequence", "\x1b[2J\x1b]0;title\x07", `\x1b[2J\x1b]0;title\a`},
		{"DEL", "a\x7fb", `a\x7fb`},
		{"C1 control CSI", "a\u009b2Jb", `a\u009b2Jb`},
		{"right-to-left override", "user\u202etxt.exe", `user\u202etxt.exe`},
		{"bidi isolates and marks", "\u2066\u2067\u2068\u2069\u200e\u200f\u061c", `\u2066\u2067\u2068\u2069\u200e\u200f\u061c`},
		{"line and paragraph separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"non-breaking space", "a\u00a0b", `a\u00a0b`},
		{"zero width space", "a\u200bb", `a\u200bb`},
		{"invalid UTF-8", "a\xff\xfeb", `a\xff\xfeb`},
		{"truncated UTF-8", "a\xe2\x80", `a\xe2\x80`},
		{"NUL", "a\x00b", `a\x00b`},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Escape(tt.in)
			if got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Escape(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

// TestEscapeOutputIsSafe checks every rune and some invalid bytes: the
// output is valid UTF-8 with no control, format or other non-printable
// character.
func TestEscapeOutputIsSafe(t *testing.T) {
	var in []byte
	for r := rune(0); r <= 0x10ffff; r++ {
		in = utf8.AppendRune(in, r)
	}
	in = append(in, 0x80, 0xbf, 0xc0, 0xf5, 0xff)
	out := Escape(string(in))
	if !utf8.ValidString(out) {
		t.Fatal("output is not UTF-8")
	}
	for _, r := range out {
		if r != ' ' && needsEscape(r, utf8.RuneLen(r)) {
			t.Fatalf("output holds %U", r)
		}
	}
}

func TestEscapeNoAllocation(t *testing.T) {
	s := `Signature "abc" does not match, clé`
	if n := testing.AllocsPerRun(100, func() { _ = Escape(s) }); n != 0 {
		t.Errorf("%v allocations for text that needs no escape", n)
	}
}
