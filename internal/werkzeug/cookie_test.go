package werkzeug

import (
	"encoding/hex"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
)

// cookieScript reads hex-encoded Cookie headers, one a line, and prints
// for each, as JSON, what the installed Werkzeug's Request reads from a
// WSGI environ holding it (latin-1 decoded, as PEP 3333 has it): every
// (key, value) pair in order (parse_cookie of the header Request.cookies
// parses, into a list, since a MultiDict groups the values of a key), and
// cookies.get("session"), which Flask's open_session reads.
const cookieScript = `
import sys, json
from werkzeug.sansio.http import parse_cookie
from werkzeug.wrappers import Request
for line in sys.stdin:
    raw = bytes.fromhex(line.strip())
    req = Request({"HTTP_COOKIE": raw.decode("latin1"), "REQUEST_METHOD": "GET"})
    pairs = parse_cookie(";".join(req.headers.getlist("Cookie")), cls=list)
    print(json.dumps([pairs, req.cookies.get("session")]))
`

// cookieCases are headers picked for the corners of both parsers, before
// the random ones.
var cookieCases = []string{
	"", ";", "session", "session=", "session=abc", " session = abc ; x=1",
	"x=1; session=abc; session=def", "session=\"abc\"", "session=\"a\\.b\\073c\\\"\"",
	"session=\"abc\" x", "session=\"a;b\"", "session=\"unterminated; session=b",
	"a=b\nc; session=x", "session=a\nb; session=c", "session=a \n; session=c",
	"session=abc\xa0", "\xa0session=abc", "session=\x85abc\x85", "session=\x1cabc\x1f",
	"session\x0b=abc", "=abc; session=d", "session==abc", "session=a=b", "sess ion=x; session=y",
	"session=\"\\\n\"", "session=\"\\400\\377\\08\"", "session=\"\"", "session=\"", "session=\"\"\"",
	"x=\"a\\\"; session=b\"; session=c", "session=\"a\"\t;", "  ;; session = \" q \" ;",
	"session=\xc3\xa9", "a\"=b; session=c", "x=\n; session=ok", "x=1;\nsession=ok",
}

func TestCookieValueMatchesWerkzeug(t *testing.T) {
	info := pyoracle.Peers(t)
	v := V22
	if info.AtLeast("werkzeug", "3.0") {
		v = V31
	}
	rng := rand.New(rand.NewSource(14))
	alphabet := []string{"session", "s", "=", ";", " ", "\t", "\n", "\x0b", "\x1c", "\x85", "\xa0", "\xc3", "\"", "\\", "0", "3", "7", "8", "a", ".", ","}
	headers := append([]string(nil), cookieCases...)
	for len(headers) < 20000 {
		var b strings.Builder
		for n := rng.Intn(14); n > 0; n-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		headers = append(headers, b.String())
	}
	in := make([]string, len(headers))
	for i, h := range headers {
		in[i] = hex.EncodeToString([]byte(h))
	}
	lines := pyoracle.Lines(t, cookieScript, in)
	exact, nonASCII := 0, 0
	for i, h := range headers {
		var ans [2]json.RawMessage
		var pairs [][2]string
		var session *string
		if err := json.Unmarshal([]byte(lines[i]), &ans); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(ans[0], &pairs); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(ans[1], &session); err != nil {
			t.Fatal(err)
		}
		got := cookiePairs(h, v)
		if len(got) != len(pairs) {
			t.Errorf("%q: pairs %q, werkzeug %q", h, got, pairs)
			continue
		}
		same := func(g, w string) bool {
			if isASCII(g) {
				return g == w
			}
			nonASCII++ // Werkzeug holds decoded text here (see CookieValue)
			return !isASCII(w)
		}
		for j := range got {
			if !same(got[j][0], pairs[j][0]) || !same(got[j][1], pairs[j][1]) {
				t.Errorf("%q: pair %d %q, werkzeug %q", h, j, got[j], pairs[j])
			}
		}
		val, ok := CookieValue([]string{h}, "session", v)
		if ok != (session != nil) || ok && !same(val, *session) {
			t.Errorf("%q: session %q %v, werkzeug %v", h, val, ok, session)
		}
		exact++
	}
	if exact < len(cookieCases) {
		t.Fatalf("only %d headers compared", exact)
	}
	t.Logf("werkzeug %s: %d headers, every pair and session value the same (%d non-ASCII keys or values compared by kind)", info.Version("werkzeug"), exact, nonASCII)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// TestCookieValueLines joins several Cookie lines with ";", as Werkzeug
// does (Request.cookies), and allocates nothing for one line.
func TestCookieValueLines(t *testing.T) {
	for _, v := range []Version{V22, V31} {
		got, ok := CookieValue([]string{"a=1", "session=x"}, "session", v)
		if !ok || got != "x" {
			t.Errorf("%v: %q %v", v, got, ok)
		}
		got, ok = CookieValue([]string{"a=\"1", "session=x\""}, "session", v)
		if ok {
			t.Errorf("%v: a quote across lines: %q %v, want none", v, got, ok)
		}
		lines := []string{"x=1; session=abc.def; y=2"}
		if n := testing.AllocsPerRun(100, func() { CookieValue(lines, "session", v) }); n != 0 {
			t.Errorf("%v: %v allocations", v, n)
		}
	}
}

// FuzzCookieValue checks that any header is scanned without a panic, and
// that CookieValue returns the value of the first pair cookiePairs finds
// under the name, for both versions.
func FuzzCookieValue(f *testing.F) {
	for _, h := range cookieCases {
		f.Add(h, "session")
	}
	f.Fuzz(func(t *testing.T, header, name string) {
		for _, v := range []Version{V22, V31} {
			got, ok := CookieValue([]string{header}, name, v)
			want, wantOK := "", false
			for _, p := range cookiePairs(header, v) {
				if p[0] == name {
					want, wantOK = p[1], true
					break
				}
			}
			if got != want || ok != wantOK {
				t.Errorf("%v: CookieValue(%q, %q) = %q, %v; the pairs give %q, %v", v, header, name, got, ok, want, wantOK)
			}
		}
	})
}
