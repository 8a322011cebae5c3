package starlette

import (
	"encoding/hex"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
)

// cookieScript reads, a line each, the hex-encoded Cookie header lines of
// a request (joined by ","), and prints what Starlette's SessionMiddleware
// gives its signer for the cookie "session": hex of
// request.cookies["session"].encode("utf-8"), or null when there is none.
// The request is built from an ASGI scope, whose headers are bytes.
const cookieScript = `
import sys, json
from starlette.requests import Request
for line in sys.stdin:
    line = line.strip()
    raw = [bytes.fromhex(h) for h in line.split(",")] if line else []
    req = Request({"type": "http", "headers": [(b"cookie", h) for h in raw]})
    c = req.cookies
    print(json.dumps(c["session"].encode("utf-8").hex() if "session" in c else None))
`

// cookieCases are the corners of cookie_parser and of net/http's parser,
// where they differ, before the random headers.
var cookieCases = [][]string{
	nil, {""}, {";"}, {"session"}, {"session="}, {"session=abc"}, {" session = abc ; x=1"},
	{"session=abc; session=def"}, {"session=\"abc\""}, {"session=\"a\\.b\\073c\\\"\""},
	{"session=\"a;b\""}, {"session=abc\xa0"}, {"\xa0session=abc"}, {"session=\x85abc\x85"},
	{"session=\x1cabc\x1f"}, {"session==abc"}, {"session=a=b"}, {"sess ion=x; session=y"},
	{"session=\"\\\n\""}, {"session=\"\\400\\377\\08\""}, {"session=\"\""}, {"session=\"\"\""},
	{"session=\xc3\xa9"}, {"session=\"\\351\""}, {"x=1", "session=second-line"},
	{"session=first", "session=second"}, {"=abc; session=d"}, {"abc; session"},
	{"session=a b,c"}, {"se\xe9ssion=x; session=y"},
}

func TestCookieValueMatchesStarlette(t *testing.T) {
	info := pyoracle.Peers(t)
	rng := rand.New(rand.NewSource(14))
	alphabet := []string{"session", "session=", "session=", ";session=", "s", "=", ";", " ", "\t", "\n", "\x0b", "\x1c", "\x85", "\xa0", "\xc3", "\xe9", "\"", "\\", "0", "3", "7", "8", "a", ".", ","}
	headers := append([][]string(nil), cookieCases...)
	for len(headers) < 20000 {
		lines := make([]string, 1+rng.Intn(2))
		for i := range lines {
			var b strings.Builder
			for n := rng.Intn(14); n > 0; n-- {
				b.WriteString(alphabet[rng.Intn(len(alphabet))])
			}
			lines[i] = b.String()
		}
		headers = append(headers, lines)
	}
	in := make([]string, len(headers))
	for i, lines := range headers {
		hexed := make([]string, len(lines))
		for j, l := range lines {
			hexed[j] = hex.EncodeToString([]byte(l))
		}
		in[i] = strings.Join(hexed, ",")
	}
	answers := pyoracle.Lines(t, cookieScript, in)
	found := 0
	for i, lines := range headers {
		var want *string
		if err := json.Unmarshal([]byte(answers[i]), &want); err != nil {
			t.Fatal(err)
		}
		got, ok := CookieValue(lines, "session")
		if ok != (want != nil) || ok && hex.EncodeToString([]byte(got)) != *want {
			t.Errorf("%q: %q %v, starlette %v", lines, got, ok, answers[i])
		}
		if ok {
			found++
		}
	}
	t.Logf("starlette %s: %d headers (%d with a session cookie), the same value for every one", info.Version("starlette"), len(headers), found)
}

// TestCookieValueAllocs checks that reading a plain cookie allocates
// nothing.
func TestCookieValueAllocs(t *testing.T) {
	lines := []string{"x=1; session=abc.def; y=2"}
	got, ok := CookieValue(lines, "session")
	if !ok || got != "abc.def" {
		t.Fatalf("got %q %v", got, ok)
	}
	if n := testing.AllocsPerRun(100, func() { CookieValue(lines, "session") }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// FuzzCookieValue checks that any header is read without a panic, and that
// the value found is the UTF-8 text Starlette would hold.
func FuzzCookieValue(f *testing.F) {
	for _, h := range cookieCases {
		f.Add(strings.Join(h, "\x00"), "session")
	}
	f.Fuzz(func(t *testing.T, header, name string) {
		got, ok := CookieValue(strings.Split(header, "\x00"), name)
		if !ok && got != "" {
			t.Fatalf("no cookie, but a value %q", got)
		}
		if ok && !utf8Valid(got) {
			t.Fatalf("value %q is not UTF-8", got)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\ufffd") == s }
