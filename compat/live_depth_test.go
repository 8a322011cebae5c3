package compat_test

// Measures, inside requests to a live Flask app, how deeply nested a
// session Flask loads, and loads and saves again, for lists, dicts, tuples
// and the three in turn, and checks that codec.Encode writes every session
// up to codec.MaxDepth (which Flask then loads and saves) and refuses one
// level deeper with codec.ErrTooDeep, with a margin of a quarter below the
// lowest measured limit. Flask tags the session recursively when saving,
// and Flask 3.0.1 and later untag it recursively when loading; either way
// a too-deep session makes Flask answer 500 (open_session catches only
// BadSignature). Run under both peer sets; the limits are logged:
//
//	go test ./compat -run TestLiveSessionDepth -v -count=1

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// rawJSON is a payload format that writes the JSON text it is given, so
// that the test can sign sessions deeper than codec.Encode allows.
type rawJSON struct{}

func (rawJSON) AppendPayload(dst []byte, v any) ([]byte, error) {
	return append(dst, v.(string)...), nil
}
func (rawJSON) DecodePayload([]byte, any, itsdangerous.Limits) error {
	return errors.New("rawJSON: write only")
}

// depthShapes build the JSON of the session {"x": nested} whose whole
// payload is nested n levels deep (the session's own dict is level 1).
var depthShapes = map[string]func(n int) string{
	"lists": func(n int) string {
		return `{"x":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + "}"
	},
	"dicts": func(n int) string {
		return strings.Repeat(`{"a":`, n-1) + "{}" + strings.Repeat("}", n-1)
	},
	// A tuple is two levels, {" t": [...]}.
	"tuples": func(n int) string {
		r := n - 1
		inner := ""
		if r%2 == 1 {
			inner = "[]"
		}
		return `{"x":` + strings.Repeat(`{" t":[`, r/2) + inner + strings.Repeat("]}", r/2) + "}"
	},
	// Lists, dicts and tuples in turn.
	"mixed": func(n int) string {
		var open, close strings.Builder
		var closers []string
		for i, r := 0, n-1; r > 0; i++ {
			switch {
			case i%3 == 2 && r >= 2:
				open.WriteString(`{" t":[`)
				closers = append(closers, "]}")
				r -= 2
			case i%3 == 1:
				open.WriteString(`{"k":`)
				closers = append(closers, "}")
				r--
				if r == 0 {
					open.WriteString("0")
				}
			default:
				open.WriteString("[")
				closers = append(closers, "]")
				r--
			}
		}
		for i := len(closers) - 1; i >= 0; i-- {
			close.WriteString(closers[i])
		}
		return `{"x":` + open.String() + close.String() + "}"
	},
}

func TestLiveSessionDepth(t *testing.T) {
	peers := pyoracle.Peers(t)
	const secret = "dev-secret"
	cfgs := map[string]httpAppConfig{"default": {Python: map[string]any{"SECRET_KEY": secret}, Cookie: "session"}}
	pa := startPyHTTPApp(t, "flask", cfgs)
	signer, err := itsdangerous.NewURLSafeTimedSerializer([]byte(secret),
		itsdangerous.WithSalt([]byte(codec.DefaultSalt)), itsdangerous.WithKeyDerivation(codec.DefaultKeyDerivation),
		itsdangerous.WithPayloadFormat(rawJSON{}))
	if err != nil {
		t.Fatal(err)
	}
	cd, err := codec.New([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	// works reports whether Flask answers 200 to every request of paths
	// carrying a session of this JSON: GET /whoami loads it, GET /login
	// loads it and saves it again (a change makes Flask dump the whole
	// session, as refreshing a permanent session does on every request).
	works := func(payload string, paths ...string) bool {
		cookie, err := signer.Dumps(payload, itsdangerous.At(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			req, _ := http.NewRequest("GET", pa.URL+path, nil)
			req.Header.Set("Cookie", "session="+cookie)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return false
			}
		}
		return true
	}
	ok := func(payload string) bool { return works(payload, "/whoami", "/login?user=a") }
	// limit returns the deepest session of the shape for which ok holds
	// (0: deeper than 4096).
	limit := func(build func(int) string, ok func(string) bool) int {
		if !ok(build(2)) {
			t.Fatalf("Flask fails on depth 2: %s", build(2))
		}
		lo, hi := 2, 4096
		if ok(build(hi)) {
			return 0
		}
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if ok(build(mid)) {
				lo = mid
			} else {
				hi = mid
			}
		}
		return lo
	}
	lowest := 0
	for _, name := range []string{"lists", "dicts", "tuples", "mixed"} {
		load := limit(depthShapes[name], func(p string) bool { return works(p, "/whoami") })
		both := limit(depthShapes[name], ok)
		t.Logf("%s: inside a request, Flask %s (Python %s) loads sessions nested up to %d levels deep (0: over 4096), and loads and saves them up to %d",
			name, peers.Version("flask"), peers.Python, load, both)
		if both != 0 && (lowest == 0 || both < lowest) {
			lowest = both
		}
	}
	if lowest == 0 {
		lowest = 4096
	}
	// The limit keeps a margin below what the live Flask measured (the
	// stack a request starts with differs between servers).
	if codec.MaxDepth > lowest*3/4 {
		t.Errorf("codec.MaxDepth = %d, want at most 3/4 of the %d levels Flask %s handles", codec.MaxDepth, lowest, peers.Version("flask"))
	}
	// Encode writes MaxDepth and refuses one more, for every shape, and
	// Flask loads what it writes.
	for _, name := range []string{"lists", "dicts", "tuples", "mixed"} {
		t.Run(name, func(t *testing.T) {
			at, err := cd.Encode(valueOfJSON(t, depthShapes[name](codec.MaxDepth)))
			if err != nil {
				t.Fatalf("Encode at MaxDepth: %v", err)
			}
			if !ok(decodeToJSON(t, cd, at)) {
				t.Errorf("Flask fails on the session Encode wrote at MaxDepth")
			}
			if _, err := cd.Encode(valueOfJSON(t, depthShapes[name](codec.MaxDepth+1))); !errors.Is(err, codec.ErrTooDeep) {
				t.Errorf("Encode at MaxDepth+1: %v, want codec.ErrTooDeep", err)
			}
		})
	}
}

// valueOfJSON reads a tagged-JSON session the way the codec reads one.
func valueOfJSON(t *testing.T, text string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := codec.TaggedJSON.DecodePayload([]byte(text), &v, itsdangerous.Limits{MaxDepth: 1 << 20}); err != nil {
		t.Fatalf("%.80s...: %v", text, err)
	}
	return v
}

// decodeToJSON returns the JSON payload of a cookie Encode wrote.
func decodeToJSON(t *testing.T, cd *codec.Codec, cookie string) string {
	t.Helper()
	var v map[string]any
	if _, err := cd.Decode(cookie, &v); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	b, err := codec.TaggedJSON.AppendPayload(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
