package main

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hostile holds characters that act on a terminal or reorder text: an
// escape sequence (ESC can only be \u001b in JSON), the C1 CSI, a
// right-to-left override, a bidi isolate, the line separator and DEL.
const (
	hostileRaw  = "\u009b2J\u202e\u2066\u2028\u2029\x7f"
	hostileJSON = `\u001b[2J` + hostileRaw
)

// wantNoInvisible checks that out holds no character that could act on a
// terminal: no control but the newline, nothing unicode.IsPrint refuses,
// no byte that is not UTF-8.
func wantNoInvisible(t *testing.T, what, out string) {
	t.Helper()
	if r, ok := firstInvisible(out); ok {
		t.Errorf("%s writes %U unescaped:\n%q", what, r, out)
	}
}

// firstInvisible returns the first character of out that could act on a
// terminal (a byte that is not UTF-8 as U+FFFD).
func firstInvisible(out string) (rune, bool) {
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRuneInString(out[i:])
		if (r == utf8.RuneError && size == 1) || r == 0x7f || (r < 0x20 && r != '\n') || (r >= 0x80 && !unicode.IsPrint(r)) {
			return r, true
		}
		i += size
	}
	return 0, false
}

// TestHostileBytesEscaped feeds cookies whose every part anyone can write
// (payload, keys, timestamp, cookie names, JWS header) with characters
// that act on a terminal, and checks every output, standard output and
// standard error, of decode in each format and of inspect, run as the
// binary.
func TestHostileBytesEscaped(t *testing.T) {
	payload := `{"a` + hostileJSON + `":"` + hostileJSON + `","n":1}`
	url := base64.RawURLEncoding.EncodeToString([]byte(payload))
	std := base64.StdEncoding.EncodeToString([]byte(payload))
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS512","typ":"` + hostileJSON + hostileRaw + `"}`))
	badAlg := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS512` + hostileRaw + `"}`))
	const sig = "LIr3YcHFjdrdtQSuFvBzSarrgwM"
	tests := []struct {
		name    string
		args    []string
		cookie  string
		formats bool // decode prints a value: try every --format
	}{
		{name: "flask payload", cookie: url + ".ZVPxAA." + sig, formats: true},
		{name: "flask compressed payload", cookie: "." + base64.RawURLEncoding.EncodeToString(deflate(t, payload)) + ".ZVPxAA." + sig, formats: true},
		// The lenient base64 skips what is not in its alphabet: CSI @
		// (insert a character) holds no letter or digit.
		{name: "flask timestamp", cookie: url + ".ZVP\x1b[@\u009b@\u202e\u2066xAA." + sig},
		{name: "flask signature", cookie: url + ".ZVPxAA." + sig + "\x1b]0;x\x07" + hostileRaw},
		{name: "cookie names", cookie: "x\x1b[31m=1; y" + hostileRaw + "=2"},
		{name: "starlette payload", args: []string{"--profile", "starlette"}, cookie: std + ".ZVPxAA." + sig, formats: true},
		{name: "django payload", args: []string{"--profile", "django-session"}, cookie: url + ":1r2ng0:" + sig, formats: true},
		{name: "jws header and payload", args: []string{"--profile", "jws"}, cookie: header + "." + url + "." + sig, formats: true},
		{name: "jws algorithm", args: []string{"--profile", "jws"}, cookie: badAlg + "." + url + "." + sig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(args ...string) result {
				r := fc(t, "", args...)
				wantNoInvisible(t, strings.Join(args[:len(args)-1], " ")+" (stdout)", r.stdout)
				wantNoInvisible(t, strings.Join(args[:len(args)-1], " ")+" (stderr)", r.stderr)
				return r
			}
			inspect := []string{"inspect"}
			if len(tt.args) > 0 && tt.args[1] != "django-session" {
				inspect = append(inspect, tt.args...)
			}
			check(append(inspect, tt.cookie)...)
			check(append(append([]string{"inspect", "--secret", "k"}, tt.args...), tt.cookie)...)
			check(append(append([]string{"decode", "--secret", "k"}, tt.args...), tt.cookie)...)
			if !tt.formats {
				check(append(append([]string{"decode"}, tt.args...), tt.cookie)...)
				return
			}
			for _, f := range []string{"json", "python", "tagged"} {
				r := check(append(append([]string{"decode", "--format", f}, tt.args...), tt.cookie)...)
				wantOK(t, r)
				if f != "python" && !json.Valid([]byte(r.stdout)) {
					t.Errorf("--format %s is not valid JSON: %q", f, r.stdout)
				}
				// Django reads its JSON as Latin-1: other characters.
				if f == "json" && !slices.Contains(tt.args, "django-session") && !strings.Contains(r.stdout, `\u009b2J\u202e\u2066\u2028\u2029\u007f`) {
					t.Errorf("--format json does not escape as JSON: %q", r.stdout)
				}
			}
		})
	}
}

// deflate compresses s with zlib, as a hand-made compressed payload.
func deflate(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
