package main

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestDecodeFormats(t *testing.T) {
	// Expected outputs: the JSON is Flask's own (spec V10), the Python
	// literal is what Python's repr gives for Flask's session.
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "json default", args: []string{"decode", "--secret", specSecret, v10Cookie}, want: "{\n  \"user_id\": 42\n}\n"},
		{name: "python", args: []string{"decode", "--secret", specSecret, "--format", "python", v10Flashes}, want: "{'_flashes': [('message', 'Hello')], '_permanent': True}\n"},
		{name: "tagged", args: []string{"decode", "--secret", specSecret, "--format", "tagged", v10Flashes}, want: `{"_flashes":[{" t":["message","Hello"]}],"_permanent":true}` + "\n"},
		{name: "flags after the cookie", args: []string{"decode", v10Cookie, "--format", "python", "--secret", specSecret}, want: "{'user_id': 42}\n"},
		{name: "double dash", args: []string{"decode", "--format=python", "--secret=" + specSecret, "--", v10Cookie}, want: "{'user_id': 42}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", tt.args...)
			wantOK(t, r)
			if r.stdout != tt.want {
				t.Errorf("stdout = %q, want %q", r.stdout, tt.want)
			}
			if r.stderr != "" {
				t.Errorf("verified decode wrote to stderr: %q", r.stderr)
			}
		})
	}
}

func TestDecodeUnverifiedWarns(t *testing.T) {
	r := fc(t, "", "decode", "--format", "python", v10Cookie)
	wantOK(t, r)
	if r.stdout != "{'user_id': 42}\n" {
		t.Errorf("stdout = %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "warning") || !strings.Contains(r.stderr, "not checked") {
		t.Errorf("no warning on stderr: %q", r.stderr)
	}
}

func TestCookieForms(t *testing.T) {
	tests := []struct {
		name  string
		arg   string
		stdin string
		extra []string
	}{
		{name: "bare", arg: v10Cookie},
		{name: "name=value", arg: "session=" + v10Cookie},
		{name: "Cookie header", arg: "theme=dark; session=" + v10Cookie + "; lang=fr"},
		{name: "Cookie header with its name", arg: "Cookie: theme=dark; session=" + v10Cookie},
		{name: "Set-Cookie header", arg: "Set-Cookie: session=" + v10Cookie + "; HttpOnly; Path=/"},
		{name: "quoted value", arg: `session="` + v10Cookie + `"`},
		// Pasted arguments: surrounding whitespace is ignored, as the help says.
		{name: "argument with a trailing space", arg: v10Cookie + " "},
		{name: "argument with a trailing newline", arg: v10Cookie + "\n"},
		{name: "argument with surrounding whitespace", arg: "\t " + v10Cookie + " \r\n"},
		{name: "name=value with a trailing newline", arg: "session=" + v10Cookie + "\n"},
		{name: "stdin", arg: "-", stdin: v10Cookie},
		{name: "stdin with whitespace", arg: "-", stdin: "\n  " + v10Cookie + " \r\n\t"},
		{name: "stdin Cookie header", arg: "-", stdin: "a=b; session=" + v10Cookie + "\n"},
		{name: "custom name", arg: "sid=" + v10Cookie + "; session=junk", extra: []string{"--name", "sid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"decode", "--secret", specSecret, "--format", "python"}, tt.extra...)
			r := fc(t, tt.stdin, append(args, tt.arg)...)
			wantOK(t, r)
			if r.stdout != "{'user_id': 42}\n" {
				t.Errorf("stdout = %q", r.stdout)
			}
		})
	}
}

func TestDecodeFailures(t *testing.T) {
	tampered := strings.Replace(v10Cookie, "eyJ1c2VyX2lkIjo0Mn0", "eyJ1c2VyX2lkIjo0M30", 1) // {"user_id":43}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		// Signed with dev-secret, not this key.
		{name: "wrong secret", args: []string{"--secret", "other", v10Cookie}, want: []string{"signature does not match"}},
		// The payload was changed after signing.
		{name: "tampered", args: []string{"--secret", specSecret, tampered}, want: []string{"signature does not match"}},
		// 11 seconds old with a maximum of 10.
		{name: "expired", args: []string{"--secret", specSecret, "--max-age", "10", "--now", "1700000011", v10Cookie}, want: []string{"expired", "11 seconds"}},
		// Signed one second after the present.
		{name: "future", args: []string{"--secret", specSecret, "--max-age", "10", "--now", "1699999999", v10Cookie}, want: []string{"future"}},
		// Age checks apply to unverified cookies too.
		{name: "expired unverified", args: []string{"--max-age", "0", "--now", "1700000001", v10Cookie}, want: []string{"expired"}},
		// No separator at all.
		{name: "no dot", args: []string{"--secret", specSecret, "eyJ1c2VyX2lkIjo0Mn0"}, want: []string{"malformed"}},
		{name: "no dot unverified", args: []string{"eyJ1c2VyX2lkIjo0Mn0"}, want: []string{"malformed"}},
		// The payload is not JSON.
		{name: "garbage payload unverified", args: []string{"bm90IGpzb24.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"}, want: []string{"malformed"}},
		// Another salt gives another key.
		{name: "wrong salt", args: []string{"--secret", specSecret, "--salt", "other", v10Cookie}, want: []string{"signature does not match"}},
		// A header without the session cookie.
		{name: "no session cookie", args: []string{"a=b; c=d"}, want: []string{`no cookie named "session"`, "--name"}},
		// A list is not a session: [1] signed by itsdangerous is not Flask's.
		{name: "not a dict", args: []string{"WzFd.ZVPxAA.x"}, want: []string{"not a dict"}},
		// An empty stdin.
		{name: "empty stdin", args: []string{"-"}, want: []string{"empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFail(t, fc(t, "", append([]string{"decode"}, tt.args...)...), tt.want...)
		})
	}
}

func TestMaxAgeBoundary(t *testing.T) {
	// Python: age == max_age is still valid (spec §2).
	r := fc(t, "", "decode", "--secret", specSecret, "--max-age", "10", "--now", "1700000010", "--format", "python", v10Cookie)
	wantOK(t, r)
	if r.stdout != "{'user_id': 42}\n" {
		t.Errorf("stdout = %q", r.stdout)
	}
}

func TestFallbackSecret(t *testing.T) {
	r := fc(t, "", "decode", "--secret", "new", "--fallback-secret", "older", "--fallback-secret", specSecret, "--format", "python", v10Cookie)
	wantOK(t, r)
	if r.stdout != "{'user_id': 42}\n" {
		t.Errorf("stdout = %q", r.stdout)
	}
	wantFail(t, fc(t, "", "decode", "--secret", "new", "--fallback-secret", "older", v10Cookie), "signature does not match")
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "no arguments", args: nil, want: "Usage"},
		{name: "unknown command", args: []string{"frobnicate"}, want: "unknown command"},
		{name: "unknown flag", args: []string{"decode", "--frob", v10Cookie}, want: "frob"},
		{name: "missing cookie", args: []string{"decode", "--secret", "k"}, want: "missing COOKIE"},
		{name: "two cookies", args: []string{"decode", v10Cookie, v10Cookie}, want: "too many"},
		{name: "bad format", args: []string{"decode", "--format", "xml", v10Cookie}, want: "--format"},
		{name: "bad max-age", args: []string{"decode", "--max-age", "ten", v10Cookie}, want: "--max-age"},
		{name: "bad now", args: []string{"decode", "--now", "yesterday", v10Cookie}, want: "--now"},
		{name: "bad digest", args: []string{"decode", "--digest", "sha3", v10Cookie}, want: "--digest"},
		{name: "bad derivation", args: []string{"decode", "--key-derivation", "pbkdf2", v10Cookie}, want: "--key-derivation"},
		{name: "fallback without secret", args: []string{"decode", "--fallback-secret", "x", v10Cookie}, want: "needs --secret"},
		// Anyone can sign with the empty key: it verifies nothing.
		{name: "decode empty secret", args: []string{"decode", "--secret", "", v10Cookie}, want: "--secret is empty"},
		{name: "decode empty literal secret", args: []string{"decode", "--literal", "--secret", "b''", v10Cookie}, want: "--secret is empty"},
		{name: "decode empty fallback", args: []string{"decode", "--secret", specSecret, "--fallback-secret", "", v10Cookie}, want: "--fallback-secret number 1 is empty"},
		{name: "decode second fallback empty", args: []string{"decode", "--secret", specSecret, "--fallback-secret", "x", "--fallback-secret", "", v10Cookie}, want: "--fallback-secret number 2 is empty"},
		{name: "inspect empty secret", args: []string{"inspect", "--secret", "", v10Cookie}, want: "--secret is empty"},
		{name: "inspect empty fallback", args: []string{"inspect", "--secret", specSecret, "--fallback-secret", "", v10Cookie}, want: "--fallback-secret number 1 is empty"},
		{name: "decode starlette empty secret", args: []string{"decode", "--profile", "starlette", "--secret", "", v10Cookie}, want: "--secret is empty"},
		{name: "flask-unsign decode empty secret", args: []string{"--decode", "--cookie", v10Cookie, "--secret", "''"}, want: "--secret is empty"},
		{name: "encode without secret", args: []string{"encode", `{"a": 1}`}, want: "missing --secret"},
		{name: "encode without value", args: []string{"encode", "--secret", "k"}, want: "missing VALUE"},
		{name: "encode bad timestamp", args: []string{"encode", "--secret", "k", "--timestamp", "-5", `{}`}, want: "--timestamp"},
		{name: "unsign without cookie", args: []string{"unsign", "--wordlist", "-"}, want: "missing COOKIE"},
		{name: "unsign both stdin", args: []string{"unsign", "--wordlist", "-", "-"}, want: "standard input"},
		{name: "unsign missing file", args: []string{"unsign", "--wordlist", "/nonexistent/words", v10Cookie}, want: "cannot read the wordlist"},
		{name: "unsign bad threads", args: []string{"unsign", "--wordlist", "-", "--threads", "0", v10Cookie}, want: "--threads"},
		{name: "literal secret not a string", args: []string{"decode", "--literal", "--secret", "123", v10Cookie}, want: "str or bytes"},
		{name: "help for nothing", args: []string{"help", "nope"}, want: "no help"},
		{name: "flask-unsign without mode", args: []string{"--cookie", v10Cookie}, want: "--decode"},
		{name: "flask-unsign server", args: []string{"--unsign", "--server", "http://x"}, want: "not supported"},
		{name: "flask-unsign sign without secret", args: []string{"--sign", "--cookie", "{}"}, want: "--secret"},
		{name: "flask-unsign secret not a string", args: []string{"--sign", "--cookie", "{}", "--secret", "42"}, want: "--no-literal-eval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantUsage(t, fc(t, "", tt.args...), tt.want)
		})
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{args: []string{"help"}, want: "flaskcookie demo"},
		{args: []string{"-h"}, want: "flaskcookie demo"},
		{args: []string{"--help"}, want: "Usage:"},
		{args: []string{"help", "decode"}, want: "--max-age SECONDS"},
		{args: []string{"decode", "-h"}, want: `{"$tuple": [1, "a"]}`},
		{args: []string{"encode", "--help"}, want: "--timestamp UNIX"},
		{args: []string{"help", "inspect"}, want: "Examples:"},
		{args: []string{"unsign", "-h"}, want: "--threads N"},
		{args: []string{"help", "demo"}, want: "go run ./cmd/flaskcookie demo"},
		{args: []string{"help", "flask-unsign"}, want: "--no-literal-eval"},
		{args: []string{"version"}, want: "flaskcookie"},
		// help has a help of its own, as every command does.
		{args: []string{"help", "help"}, want: "Usage: flaskcookie help [COMMAND]"},
		{args: []string{"help", "--help"}, want: "Usage: flaskcookie help [COMMAND]"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := fc(t, "", tt.args...)
			wantOK(t, r)
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("help does not mention %q:\n%s", tt.want, r.stdout)
			}
		})
	}
	for _, c := range commands {
		if !strings.Contains(c.help, "Example") {
			t.Errorf("the help of %s has no example", c.name)
		}
	}
}

func TestEncode(t *testing.T) {
	// The expected cookies are Flask's (spec V10).
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{name: "json", args: []string{`{"user_id": 42}`}, want: v10Cookie},
		{name: "python", args: []string{"--format", "python", "{'user_id': 42}"}, want: v10Cookie},
		{name: "tagged", args: []string{"--format", "tagged", `{"user_id":42}`}, want: v10Cookie},
		{name: "stdin", args: []string{"-"}, stdin: "  {\"user_id\": 42}\n", want: v10Cookie},
		{name: "flashes python", args: []string{"--format", "python", "{'_permanent': True, '_flashes': [('message', 'Hello')]}"}, want: v10Flashes},
		{name: "flashes json", args: []string{`{"_flashes": [{"$tuple": ["message", "Hello"]}], "_permanent": true}`}, want: v10Flashes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"encode", "--secret", specSecret, "--timestamp", specNow}, tt.args...)
			r := fc(t, tt.stdin, args...)
			wantOK(t, r)
			if r.stdout != tt.want+"\n" {
				t.Errorf("cookie = %q, want Flask's %q", r.stdout, tt.want)
			}
		})
	}
}

func TestEncodeFailures(t *testing.T) {
	tests := []struct {
		name, format, value string
		want                string
	}{
		// A session is a dict.
		{name: "a list", format: "json", value: "[1, 2]", want: "not a dict"},
		{name: "a python str", format: "python", value: "'x'", want: "str"},
		// Not JSON: Python's True is not JSON.
		{name: "bad json", format: "json", value: `{"a": True}`, want: "not valid --format json"},
		// Not a Python literal.
		{name: "bad python", format: "python", value: `{'a': }`, want: "not valid --format python"},
		// An unknown tag of the JSON view.
		{name: "unknown tag", format: "json", value: `{"a": {"$set": [1]}}`, want: "unknown tag"},
		// A bad UUID in the JSON view.
		{name: "bad uuid", format: "json", value: `{"a": {"$uuid": "xyz"}}`, want: "$uuid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFail(t, fc(t, "", "encode", "--secret", "k", "--format", tt.format, tt.value), tt.want)
		})
	}
}

// TestEncodeDecodeRoundTrip sends values with every type through encode
// and decode in each format.
func TestEncodeDecodeRoundTrip(t *testing.T) {
	value := `{'t': (1, 'a', ()), 'b': b'\x00\xff', 'm': Markup('<i>'), 'u': UUID('12345678-1234-5678-1234-567812345678'), ` +
		`'d': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), 'big': 123456789012345678901234567890, ` +
		`'f': [-0.0, 1e-07, 1e+16, nan, inf, -inf, 1.5], 'n': None, 'x': {' t': 1}, '$tuple': {'$tuple': 1}, 's': 'caf\xe9 \U0001f600 \udc80'}`
	want := "{'$tuple': {'$tuple': 1}, 'b': b'\\x00\\xff', 'big': 123456789012345678901234567890, " +
		"'d': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), 'f': [-0.0, 1e-07, 1e+16, nan, inf, -inf, 1.5], " +
		"'m': Markup('<i>'), 'n': None, 's': 'café 😀 \\udc80', 't': (1, 'a', ()), 'u': UUID('12345678-1234-5678-1234-567812345678'), 'x': {' t': 1}}\n"
	r := fc(t, "", "encode", "--secret", "k", "--format", "python", value)
	wantOK(t, r)
	cookie := strings.TrimSpace(r.stdout)
	for _, format := range []string{"json", "python", "tagged"} {
		t.Run(format, func(t *testing.T) {
			d := fc(t, "", "decode", "--secret", "k", "--format", format, cookie)
			wantOK(t, d)
			e := fc(t, d.stdout, "encode", "--secret", "k", "--format", format, "-")
			wantOK(t, e)
			back := fc(t, "", "decode", "--secret", "k", "--format", "python", strings.TrimSpace(e.stdout))
			wantOK(t, back)
			if back.stdout != want {
				t.Errorf("after a round trip through --format %s:\n got %s\nwant %s", format, back.stdout, want)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	v9 := demoCookie
	tests := []struct {
		name      string
		args      []string
		want, not []string
	}{
		{name: "plain", args: []string{"--now", "1700003600", v10Cookie}, want: []string{
			"54 bytes", "4093", "not compressed", `{"user_id":42}`, "2023-11-14 22:13:20 UTC", "1700000000", "1 hour", "HMAC-SHA1", "not given"}},
		// Spec V9: 283 bytes of JSON deflated to 203.
		{name: "compressed", args: []string{"--secret", specSecret, v9}, want: []string{"283 bytes, zlib-compressed to 203", "verifies: --secret"}},
		{name: "wrong secret", args: []string{"--secret", "nope", v10Cookie}, want: []string{"does not verify"}},
		{name: "fallback", args: []string{"--secret", "nope", "--fallback-secret", "x", "--fallback-secret", specSecret, v10Cookie}, want: []string{"verifies with --fallback-secret \"dev-secret\" (number 2)"}},
		{name: "expired", args: []string{"--now", "1800000000", v10Cookie}, want: []string{"expired for Flask's default lifetime"}},
		{name: "future", args: []string{"--now", "1600000000", v10Cookie}, want: []string{"in the future"}},
		// Spec V6 with sha256: a 32-byte signature.
		{name: "sha256", args: []string{"--secret", "secret-key", "--digest", "sha256", v6SHA256Tok}, want: []string{"HMAC-SHA256", "verifies"}},
		{name: "not json", args: []string{"bm90IGpzb24.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"}, want: []string{"not json", "Flask cannot load it"}},
		{name: "no timestamp", args: []string{"eyJ1c2VyX2lkIjo0Mn0.LIr3YcHFjdrdtQSuFvBzSarrgwM"}, want: []string{"timestamp is missing"}},
		{name: "not zlib", args: []string{".bm90IHpsaWI.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"}, want: []string{"not zlib"}},
		{name: "not base64", args: []string{"a.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"}, want: []string{"not base64"}},
		// 1700000000 counted from 2011-01-01 (1293840000).
		{name: "legacy", args: []string{"--legacy", v10Cookie}, want: []string{"2064-11-13 22:13:20 UTC", "= 2993840000, counted from 2011"}},
		// 2^64-1 seconds after 2011 is past the year 9999; added to the
		// epoch in 64 bits it wraps around to 2010-12-31.
		{name: "legacy 2^64-1", args: []string{"--legacy", "eyJ1c2VyX2lkIjo0Mn0.__________8.LIr3YcHFjdrdtQSuFvBzSarrgwM"}, want: []string{"the timestamp is after the year 9999"}, not: []string{"2010"}},
		{name: "2^64-1", args: []string{"eyJ1c2VyX2lkIjo0Mn0.__________8.LIr3YcHFjdrdtQSuFvBzSarrgwM"}, want: []string{"the timestamp is after the year 9999"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", append([]string{"inspect"}, tt.args...)...)
			wantOK(t, r)
			wantSays(t, "inspect", r.stdout, tt.want, tt.not)
			if strings.Contains(r.stdout, "\x1b") {
				t.Errorf("colour in piped output:\n%q", r.stdout)
			}
		})
	}
	// Malformed: nothing can be shown.
	wantFail(t, fc(t, "", "inspect", "no-dots-at-all"), "malformed")
}

func TestDemo(t *testing.T) {
	r := fc(t, "", "demo")
	wantOK(t, r)
	for _, w := range []string{v9JSON, "'tuple': (1, 'a')", `"$bytes": "AP9iaW4="`, "verifies", "283 bytes"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("demo output lacks %q", w)
		}
	}
	if again := fc(t, "", "demo"); again.stdout != r.stdout {
		t.Error("demo output changes from run to run")
	}
}

// TestColour runs inspect in-process with stdout taken for a terminal:
// colour then, unless NO_COLOR is set.
func TestColour(t *testing.T) {
	tests := []struct {
		name         string
		tty, noColor bool
		want         bool
	}{
		{name: "terminal", tty: true, want: true},
		{name: "terminal with NO_COLOR", tty: true, noColor: true, want: false},
		{name: "pipe", tty: false, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb strings.Builder
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, stdoutTTY: tt.tty, noColor: tt.noColor, now: time.Now}
			if code := run(e, []string{"inspect", "--secret", specSecret, v10Cookie}); code != exitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tt.want {
				t.Errorf("colour = %v, want %v:\n%q", got, tt.want, out.String())
			}
		})
	}
}

// TestSecondsOutOfRange checks the flags of seconds against overflow: as a
// time.Duration, 10000000000 seconds wrapped around to a negative span,
// which turned the age check off, so a cookie signed decades in the future
// passed. What does not fit is refused; what fits is checked.
func TestSecondsOutOfRange(t *testing.T) {
	const zeroFernetKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	usage := []struct {
		name string
		args []string
	}{
		{name: "max-age", args: []string{"decode", "--secret", specSecret, "--max-age", "10000000000", v10Cookie}},
		{name: "max-age above int64", args: []string{"decode", "--secret", specSecret, "--max-age", "99999999999999999999", v10Cookie}},
		{name: "max-age unverified", args: []string{"decode", "--max-age", "10000000000", v10Cookie}},
		{name: "max-age starlette", args: []string{"decode", "--profile", "starlette", "--secret", "k", "--max-age", "10000000000", v10Cookie}},
		{name: "max-age django-session", args: []string{"decode", "--profile", "django-session", "--secret", "k", "--max-age", "10000000000", v10Cookie}},
		{name: "fernet ttl", args: []string{"decode", "--fernet-key", zeroFernetKey, "--max-age", "10000000000", v10Cookie}},
		{name: "expires-in", args: []string{"encode", "--profile", "jws-timed", "--secret", "k", "--expires-in", "10000000000", "{}"}},
		{name: "negative expires-in", args: []string{"encode", "--profile", "jws-timed", "--secret", "k", "--expires-in", "-10000000000", "{}"}},
	}
	for _, tt := range usage {
		t.Run(tt.name, func(t *testing.T) {
			wantUsage(t, fc(t, "", tt.args...), "out of range")
		})
	}
	// At --now 0, spec V10 was signed 53 years ahead: the longest
	// --max-age still refuses it.
	for _, key := range [][]string{{"--secret", specSecret}, nil} {
		args := append(append([]string{"decode", "--max-age", "8589934591", "--now", "0"}, key...), v10Cookie)
		wantFail(t, fc(t, "", args...), "signed in the future", "53 years")
	}
}

// TestTruncatedCookie cuts Flask's cookies short, as a paste that lost its
// end does: decode and inspect say the cookie looks truncated instead of
// what the cut leaves (an empty payload that is "not JSON", a signature
// that "does not match", "signature 1 bytes").
func TestTruncatedCookie(t *testing.T) {
	v9 := demoCookie // compressed, spec V9
	dot := strings.Index(v9[1:], ".") + 1
	midZlib := v9[:dot/8*4] + v9[dot:] // the payload cut in half, the rest kept
	sigCut := v10Cookie[:len(v10Cookie)-25]
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{name: "compressed, cut in the payload", args: []string{"--secret", specSecret, v9[:100]}, want: []string{"looks truncated", "no timestamp and signature"}},
		{name: "compressed, cut in the payload, unverified", args: []string{v9[:100]}, want: []string{"looks truncated", "no timestamp and signature"}},
		{name: "cut in the signature", args: []string{"--secret", specSecret, sigCut}, want: []string{"looks truncated", "signature is 1 byte,"}},
		{name: "cut in the zlib stream, unverified", args: []string{midZlib}, want: []string{"looks truncated", "zlib stream"}},
	}
	for _, tt := range tests {
		t.Run("decode "+tt.name, func(t *testing.T) {
			wantFail(t, fc(t, "", append([]string{"decode"}, tt.args...)...), tt.want...)
		})
	}
	t.Run("decode unverified, cut in the signature", func(t *testing.T) {
		r := fc(t, "", "decode", "--format", "python", sigCut)
		wantOK(t, r)
		wantSays(t, "decode", r.stderr, []string{"warning: the cookie looks truncated: its signature is 1 byte,"}, nil)
	})
	t.Run("another digest is not a cut", func(t *testing.T) {
		// Spec V6's 32-byte SHA-256 signature under the default SHA-1.
		wantFail(t, fc(t, "", "decode", "--secret", "secret-key", v6SHA256Tok), "signature does not match")
	})
	inspect := []struct {
		name      string
		cookie    string
		want, not []string
	}{
		{name: "compressed, cut in the payload", cookie: v9[:100], want: []string{"looks truncated", "zlib stream cut short", "timestamp is cut off"}, not: []string{"pyjson", "payload    0 bytes"}},
		{name: "cut in the signature", cookie: sigCut, want: []string{"looks truncated", "signature  1 byte: shorter than the digest's 20"}, not: []string{"1 bytes"}},
		{name: "whole", cookie: v10Cookie, not: []string{"truncated"}},
		{name: "starlette, cut in the signature", cookie: v11Starlette[:len(v11Starlette)-20], want: []string{"signature  5 bytes: not the 20 bytes of Starlette's HMAC-SHA1, so the cookie looks truncated"}},
		{name: "django, cut in the signature", cookie: v14Session[:len(v14Session)-40], want: []string{"no HMAC digest gives that length, so the cookie looks truncated"}},
		{name: "jws, cut in the signature", cookie: jwsDefault[:len(jwsDefault)-60], want: []string{`but "alg": "HS512" makes 64, so the cookie looks truncated`}},
	}
	for _, tt := range inspect {
		t.Run("inspect "+tt.name, func(t *testing.T) {
			r := fc(t, "", "inspect", tt.cookie)
			wantOK(t, r)
			wantSays(t, "inspect", r.stdout, tt.want, tt.not)
		})
	}
}

// TestInspectLongPayload checks that inspect wraps a payload's text to
// fit 80 columns and shows at most a few lines of it, on a terminal and
// off, with a note of what it left out.
func TestInspectLongPayload(t *testing.T) {
	long := `{"data":"` + strings.Repeat("x", 5000) + `"}`
	medium := `{"data":"` + strings.Repeat("ab", 100) + `"}`
	escapes := `{"data":"` + strings.Repeat(`\u00e9`, 60) + `"}`
	cutEscape := regexp.MustCompile(`\\(u[0-9a-f]{0,3})?$`)
	cookie := func(json string) string {
		return base64.RawURLEncoding.EncodeToString([]byte(json)) + ".ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"
	}
	ansi := regexp.MustCompile("\x1b\\[[0-9;]*m")
	for _, tty := range []bool{false, true} {
		for _, tt := range []struct {
			name, json string
			cut        bool
		}{{"long", long, true}, {"medium", medium, false}, {"escapes", escapes, false}} {
			t.Run(fmt.Sprintf("%s tty=%v", tt.name, tty), func(t *testing.T) {
				var out, errb strings.Builder
				e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, stdoutTTY: tty, now: time.Now}
				if code := run(e, []string{"inspect", cookie(tt.json)}); code != exitOK {
					t.Fatalf("exit %d: %s", code, errb.String())
				}
				text := ansi.ReplaceAllString(out.String(), "")
				shown := ""
				for _, l := range strings.Split(text, "\n") {
					if n := utf8.RuneCountInString(l); n > 80 && (strings.HasPrefix(l, "payload") || strings.HasPrefix(l, " ")) {
						t.Errorf("a line of %d characters:\n%s", n, l)
					}
					if strings.HasPrefix(l, strings.Repeat(" ", 11)) && !strings.HasPrefix(l, strings.Repeat(" ", 11)+"...") {
						if cutEscape.MatchString(l) {
							t.Errorf("a line ends in the middle of an escape: %q", l)
						}
						shown += l[11:]
					}
				}
				if tt.cut {
					left := fmt.Sprintf("... and %d more (decode --format tagged shows them all)", len(tt.json)-len(shown))
					wantSays(t, "inspect", text, []string{left}, nil)
					if len(shown) > 600 || !strings.HasPrefix(tt.json, shown) {
						t.Errorf("inspect shows %d characters: %q", len(shown), shown)
					}
				} else if shown != tt.json {
					t.Errorf("inspect shows %q, want the whole %q", shown, tt.json)
				}
			})
		}
	}
}
