package fuzz_test

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
)

// Differential fuzzing against the real itsdangerous and Flask (see
// README.md). Environment:
//
//	FLASKCOOKIE_DIFF_N        inputs to run (default 20000; 2000 with -short)
//	FLASKCOOKIE_DIFF_SEED     seed of the generator (default 1)
//	FLASKCOOKIE_DIFF_WORKERS  oracle processes, one goroutine each (default 2)
//	FLASKCOOKIE_DIFF_ONLY     run only this input index, and log it in full
//	FLASKCOOKIE_DIFF_REPORT   also write the report to this file
//	FLASKCOOKIE_REQUIRE_PYTHON=1  fail instead of skipping without Python

const (
	envN       = "FLASKCOOKIE_DIFF_N"
	envSeed    = "FLASKCOOKIE_DIFF_SEED"
	envWorkers = "FLASKCOOKIE_DIFF_WORKERS"
	envOnly    = "FLASKCOOKIE_DIFF_ONLY"
	envReport  = "FLASKCOOKIE_DIFF_REPORT"
)

// maxDatetime is the last second a Python datetime can hold.
const maxDatetime = 253402300799

func envInt(t *testing.T, name string, def int64) int64 {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a non-negative integer", name, s)
	}
	return n
}

// TestDifferentialSmoke runs generated inputs through Go and Python and
// fails on any disagreement that is not one of the intended differences
// listed in README.md. It prints a report of what it ran.
func TestDifferentialSmoke(t *testing.T) {
	defN := int64(20000)
	if testing.Short() {
		defN = 2000
	}
	n := envInt(t, envN, defN)
	seed := uint64(envInt(t, envSeed, 1))
	workers := int(envInt(t, envWorkers, 2))
	if workers < 1 {
		workers = 1
	}
	gen := newGenerator(t, sharedCorpus(t))
	peers := pyoracle.Peers(t)

	if s := os.Getenv(envOnly); s != "" {
		i, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("%s=%q", envOnly, s)
		}
		o := pyoracle.Start(t)
		in := gen.make(seed, i)
		res, err := runOne(o, in, peers)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("input %d (seed %d)\n%s", i, seed, res.describe())
		for _, f := range res.findings {
			if !f.intended {
				t.Errorf("unexplained %s: %s", f.kind, f.detail)
			}
		}
		return
	}

	oracles := make([]*pyoracle.Oracle, workers)
	for w := range oracles {
		oracles[w] = pyoracle.Start(t)
	}
	rep := newReport(seed, workers)
	var next atomic.Int64
	var broken atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := range oracles {
		wg.Add(1)
		go func(o *pyoracle.Oracle, g *generator) {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= n || broken.Load() != nil {
					return
				}
				in := g.make(seed, int(i))
				res, err := runOne(o, in, peers)
				if err != nil {
					broken.Store(fmt.Sprintf("input %d: %v\n%s", i, err, o.Stderr()))
					return
				}
				rep.add(res)
			}
		}(oracles[w], gen.clone())
	}
	wg.Wait()
	rep.elapsed = time.Since(start)
	text := "peers " + peers.String() + "\n" + rep.String()
	t.Log("\n" + text)
	if path := os.Getenv(envReport); path != "" {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Error(err)
		}
	}
	if b := broken.Load(); b != nil {
		t.Fatalf("the oracle broke on %s", b)
	}
	if int64(rep.runs) != n {
		t.Fatalf("ran %d inputs, want %d", rep.runs, n)
	}
	if rep.unexplainedInputs > 0 {
		t.Errorf("%d of %d inputs disagree with Python in a way README.md does not explain; replay one with %s=<index> %s=%d",
			rep.unexplainedInputs, n, envOnly, envSeed, seed)
	}
}

// result is one input with both sides' outcomes and what differs.
type result struct {
	in                  *input
	py, lenient, strict outcome
	findings            []finding
	// dupKeyTag is set when flaskDuplicateKeyTag explains a refusal.
	dupKeyTag bool
	// peers is the Python side's peer set: some differences are intended
	// for one Flask version only.
	peers pyoracle.PeerInfo
}

// flaskRecursiveUntag is the first Flask that untags the parsed JSON
// recursively (TaggedJSONSerializer._untag_scan) instead of in json.loads'
// object_hook: it ignores a bad tag under a discarded duplicate key, and
// runs out of Python's stack at about half the nesting Flask 2.2 reads.
const flaskRecursiveUntag = "3.0.1"

type finding struct {
	kind     string
	intended bool
	detail   string
}

func (r *result) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "  config:  %v\n", r.in.Cfg)
	fmt.Fprintf(&b, "  action:  %s now=%d", r.in.Q.Action, r.in.Q.Now)
	if r.in.Q.MaxAge != nil {
		fmt.Fprintf(&b, " max_age=%d", *r.in.Q.MaxAge)
	}
	if r.in.Q.NoReturnTimestamp {
		b.WriteString(" return_timestamp=False")
	}
	fmt.Fprintf(&b, "\n  token:   %s\n", trunc(strconv.Quote(string(r.in.Q.Token)), 400))
	fmt.Fprintf(&b, "  made by: %s\n", strings.Join(r.in.Notes, "; "))
	fmt.Fprintf(&b, "  python:  %s\n  go:      %s\n  strict:  %s", r.py.summary(), r.lenient.summary(), r.strict.summary())
	for _, f := range r.findings {
		what := "UNEXPLAINED"
		if f.intended {
			what = "intended"
		}
		fmt.Fprintf(&b, "\n  %s %s: %s", what, f.kind, f.detail)
	}
	return b.String()
}

// runOne asks both sides about one input and compares them; peers is the
// set the oracle runs.
func runOne(o *pyoracle.Oracle, in *input, peers pyoracle.PeerInfo) (*result, error) {
	py, err := in.Cfg.pyRun(o, in.Q)
	if err != nil {
		return nil, err
	}
	lenient, err := in.Cfg.build(false)
	if err != nil {
		return nil, err
	}
	strict, err := in.Cfg.build(true)
	if err != nil {
		return nil, err
	}
	res := &result{in: in, py: py, lenient: lenient.run(in.Q), strict: strict.run(in.Q), peers: peers}
	if in.Cfg.Class == classFlask && py.Class == "BadPayload" && res.lenient.OK {
		if res.dupKeyTag, err = flaskDuplicateKeyTag(o, in, res.lenient); err != nil {
			return nil, err
		}
	}
	res.compare()
	return res, nil
}

// flaskDuplicateKeyTag reports whether Flask refused a cookie that Go reads
// only because of a tagged value under a repeated key: Flask 2.2 to 3.0.0
// untag every object as json.loads parses it (object_hook), so a bad tagged
// value fails the load even when a later duplicate key discards it; Flask
// 3.0.1 and later, like Go, untag the parsed result. It is so when the JSON
// repeats a key and Flask loads the same session written without
// duplicates (Go's value, signed again) to Go's value.
func flaskDuplicateKeyTag(o *pyoracle.Oracle, in *input, g outcome) (bool, error) {
	text, ok := flaskPayloadJSON(in.Cfg, in.Q.Token)
	if !ok || !hasDuplicateKey(text) {
		return false, nil
	}
	canon, err := codec.TaggedJSON.AppendPayload(nil, g.Value)
	if err != nil {
		return false, nil
	}
	cfg := in.Cfg
	msg := base64.RawURLEncoding.EncodeToString(canon) + "." + base64.RawURLEncoding.EncodeToString(intToBytes(uint64(in.Q.Now)))
	raw, err := cfg.rawSigner(cfg.Keys[len(cfg.Keys)-1], nil)
	if err != nil {
		return false, err
	}
	py, err := cfg.pyRun(o, query{Token: raw.Sign([]byte(msg)), Now: in.Q.Now, Action: "flask"})
	if err != nil {
		return false, err
	}
	return py.OK && (py.Unreadable != "" || valueDiff(py.Value, g.Value) == ""), nil
}

// flaskPayloadJSON returns the JSON text inside a Flask cookie.
func flaskPayloadJSON(cfg *tcfg, tok []byte) ([]byte, bool) {
	payload, _, _, ok := cfg.segments(tok)
	if !ok {
		return nil, false
	}
	raw, err := pybase64.DecodeURLSafe(nil, payload)
	if err != nil {
		return nil, false
	}
	if tok[0] != '.' {
		return raw, true
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, false
	}
	text, err := io.ReadAll(io.LimitReader(zr, 8<<20))
	return text, err == nil
}

// hasDuplicateKey reports whether some object of the valid JSON text b
// holds a key twice.
func hasDuplicateKey(b []byte) bool {
	type frame struct {
		obj, expectKey bool
		keys           map[string]bool
	}
	var stack []frame
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '{':
			stack = append(stack, frame{obj: true, expectKey: true, keys: map[string]bool{}})
		case '[':
			stack = append(stack, frame{})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].obj {
				stack[n-1].expectKey = true
			}
		case '"':
			j := i + 1
			for ; j < len(b) && b[j] != '"'; j++ {
				if b[j] == '\\' {
					j++
				}
			}
			if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].expectKey && j < len(b) {
				var key string
				if json.Unmarshal(b[i:j+1], &key) != nil {
					key = string(b[i : j+1])
				}
				if stack[n-1].keys[key] {
					return true
				}
				stack[n-1].keys[key] = true
				stack[n-1].expectKey = false
			}
			i = j
		}
	}
	return false
}

func (r *result) add(kind string, intended bool, format string, args ...any) {
	r.findings = append(r.findings, finding{kind, intended, fmt.Sprintf(format, args...)})
}

// compare records every difference between Python and Go (lenient), and
// between the strict and the lenient Go, and classifies each as intended
// (README.md) or not.
func (r *result) compare() {
	cfg, q, py, g, s := r.in.Cfg, r.in.Q, r.py, r.lenient, r.strict
	for _, o := range []outcome{g, s} {
		if !o.OK && o.Class == "untyped" {
			r.add("go-error-contract", false, "%v (%T) is not an *itsdangerous.Error of a documented class", o.Err, o.Err)
		}
	}

	// Strict mode against the lenient mode.
	if q.Action != "loads_unsafe" {
		switch {
		case s.OK && !g.OK:
			r.add("strict-accepts-more", false, "strict %s; lenient %s", s.summary(), g.summary())
		case s.OK && g.OK && (valueDiff(s.Value, g.Value) != "" || s.Date != g.Date):
			r.add("strict-differs", false, "strict %s; lenient %s", s.summary(), g.summary())
		case !s.OK && g.OK && cfg.hasLenientSpelling(q.Token):
			r.add("strict-base64", true, "strict mode refuses a lenient base64 spelling: %s", s.summary())
		case !s.OK && g.OK && !s.TooLarge && !s.Depth:
			r.add("strict-refuses-canonical", false, "strict %s; lenient %s", s.summary(), g.summary())
		}
	}

	// Python against Go.
	kind, detail := disagreement(cfg, q, py, g)
	if kind == "" {
		return
	}
	switch {
	case g.TooLarge:
		r.add("size-limit", true, "Go's size limit (%s) where Python gives %s", g.summary(), py.summary())
	case g.Depth:
		r.add("depth-limit", true, "Go's depth limit (%s) where Python gives %s", g.summary(), py.summary())
	case py.Class == "Exception" && (py.PyType == "ValueError" || py.PyType == "OverflowError" || py.PyType == "OSError") && absurdTimestamp(cfg, q.Token):
		r.add("python-datetime-range", true, "a validly signed timestamp past year 9999: Python raises %s, Go gives %s", py.summary(), g.summary())
	case r.dupKeyTag && !r.peers.AtLeast("flask", flaskRecursiveUntag):
		r.add("flask-duplicate-key-tag", true, "Flask %s untags a value that a repeated key discards: %s; Go (like Flask 3.0.1+) gives %s", r.peers.Version("flask"), py.summary(), g.summary())
	case r.flaskUntagDepth():
		r.add("flask-untag-depth", true, "Flask %s untags recursively and runs out of stack on a session nested %d deep (JSON) that Go reads: %s", r.peers.Version("flask"), r.jsonDepth(), py.summary())
	case pythonRecursion(py) && g.OK && nesting(g.Value) >= 200:
		r.add("python-recursion", true, "Python runs out of stack on a value nested %d deep that Go reads: %s", nesting(g.Value), py.summary())
	default:
		r.add(kind, false, "%s", detail)
	}
}

// flaskUntagDepth reports whether Flask 3.0.1 or later refused, with a
// RecursionError in its recursive untagging, a cookie whose JSON nests
// deeper than that Flask can untag (about 497 levels inside the oracle; see
// flaskUntagDepthMin) and that Go reads.
func (r *result) flaskUntagDepth() bool {
	return r.in.Cfg.Class == classFlask && r.peers.AtLeast("flask", flaskRecursiveUntag) &&
		r.lenient.OK && r.py.Class == "BadPayload" && r.py.OrigErr == "RecursionError" &&
		r.jsonDepth() >= flaskUntagDepthMin
}

// flaskUntagDepthMin is a floor under the JSON nesting at which Flask 3.1
// runs out of stack while untagging: 497 levels of lists or dicts, 248
// tuples (two levels each), measured through the oracle; Flask 2.2 reads
// 991. A RecursionError on shallower JSON is not this difference.
const flaskUntagDepthMin = 400

// jsonDepth returns the nesting depth of the JSON inside the input's Flask
// cookie, or 0 when it cannot be read.
func (r *result) jsonDepth() int {
	text, ok := flaskPayloadJSON(r.in.Cfg, r.in.Q.Token)
	if !ok {
		return 0
	}
	depth, deepest := 0, 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '{', '[':
			depth++
			deepest = max(deepest, depth)
		case '}', ']':
			depth--
		case '"':
			for i++; i < len(text) && text[i] != '"'; i++ {
				if text[i] == '\\' {
					i++
				}
			}
		}
	}
	return deepest
}

// disagreement returns the first way py and g differ, or "".
func disagreement(cfg *tcfg, q query, py, g outcome) (kind, detail string) {
	both := fmt.Sprintf("python %s; go %s", py.summary(), g.summary())
	switch {
	case py.Class == "Rejected":
		return "oracle-rejected", both
	case py.OK && !g.OK:
		return "python-accepts-go-refuses", both
	case !py.OK && g.OK:
		return "go-accepts-python-refuses", both
	case !py.OK:
		if py.Class != g.Class {
			return "error-class", both
		}
		if py.Class != "BadPayload" && py.Message != g.Message {
			return "error-message", fmt.Sprintf("python %q; go %q", py.Message, g.Message)
		}
		if py.HasDate != g.HasDate || py.Date != g.Date {
			return "date-signed", both
		}
		return "", ""
	}
	if q.Action == "loads_unsafe" && py.Verified != g.Verified {
		return "verified", fmt.Sprintf("python verified=%v; go verified=%v", py.Verified, g.Verified)
	}
	if py.Unreadable == "" {
		if d := valueDiff(py.Value, g.Value); d != "" {
			return "value", d + "; " + both
		}
	}
	if py.HasDate && (!g.HasDate || py.Date != g.Date) {
		return "date-signed", both
	}
	if py.HasDump {
		out, err := codec.TaggedJSON.AppendPayload(nil, g.Value)
		if err != nil || string(out) != py.Redump {
			return "flask-redump", fmt.Sprintf("Flask writes the value back as %q; Go as %q (%v)", trunc(py.Redump, 200), trunc(string(out), 200), err)
		}
	}
	return "", ""
}

// pythonRecursion reports whether Python failed on its recursion limit,
// in itsdangerous or in the oracle's own writing of the answer.
func pythonRecursion(py outcome) bool {
	return (py.Class == "Rejected" || py.Class == "Exception" && py.PyType == "RecursionError") && strings.Contains(py.Message, "recursion")
}

// absurdTimestamp reports whether the timestamp of a timed token decodes
// to a time past Python's datetime range.
func absurdTimestamp(cfg *tcfg, tok []byte) bool {
	if !cfg.isTimed() {
		return false
	}
	for _, sep := range cfg.allSeps() {
		i := bytes.LastIndex(tok, sep)
		if i < 0 {
			continue
		}
		j := bytes.LastIndex(tok[:i], sep)
		if j < 0 {
			continue
		}
		b, err := pybase64.DecodeURLSafe(nil, tok[j+len(sep):i])
		if err != nil || len(b) > 8 {
			continue
		}
		var ts uint64
		for _, c := range b {
			ts = ts<<8 | uint64(c)
		}
		if ts > maxDatetime {
			return true
		}
	}
	return false
}

// TestFlaskUntagDepthByVersion pins the flask-untag-depth difference to the
// Flask version that has it: a session nested 480 lists deep loads in Flask
// 2.2 and 3.1 alike, while at 510 (within Go's limit of 512) Flask 3.0.1
// and later run out of stack in their recursive untagging (BadPayload from
// a RecursionError) and Flask 2.2 still loads it. Go reads both. Python
// runs a small script rather than the oracle, whose typed-value answer for
// such a value would itself be too deep to write.
func TestFlaskUntagDepthByVersion(t *testing.T) {
	peers := pyoracle.Peers(t)
	recursive := peers.AtLeast("flask", flaskRecursiveUntag)
	flask := &tcfg{Class: classFlask, Keys: [][]byte{[]byte("secret-key")}}
	cases := []struct {
		lists int
		want  string // what the script prints
	}{
		{lists: 480, want: "ok 480"},
		{lists: 510, want: "ok 510"},
	}
	if recursive {
		cases[1].want = "BadPayload RecursionError"
	}
	var stdin bytes.Buffer
	for _, c := range cases {
		text := `{"k":` + strings.Repeat("[", c.lists) + strings.Repeat("]", c.lists) + "}"
		tok := timedToken(t, flask, base64.RawURLEncoding.EncodeToString([]byte(text)))
		if err := loaderFor(t, flask)(tok); err != nil {
			t.Errorf("%d lists: Go: %v", c.lists, err)
		}
		stdin.WriteString(tok + "\n")
	}
	out := pyapp.Run(t, stdin.Bytes(), "-c", flaskDepthScript, string(flask.Keys[0]))
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(got) != len(cases) {
		t.Fatalf("Python answered %q", out)
	}
	for i, c := range cases {
		if got[i] != c.want {
			t.Errorf("%d lists: Flask %s gives %q, want %q", c.lists, peers.Version("flask"), got[i], c.want)
		}
	}
}

// flaskDepthScript loads each cookie on stdin with Flask's session
// serializer (secret argv[1], no max_age) and prints "ok <depth of the
// lists under k>" or "BadPayload <class of the original error>".
const flaskDepthScript = `
import sys
try:
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface
    from itsdangerous import BadPayload
except ImportError as e:
    print(e, file=sys.stderr); sys.exit(3)
app = Flask("depth")
app.secret_key = sys.argv[1]
s = SecureCookieSessionInterface().get_signing_serializer(app)
for line in sys.stdin:
    try:
        v = s.loads(line.strip())["k"]
        n = 0
        while isinstance(v, list):
            n += 1
            v = v[0] if v else None
        print("ok", n)
    except BadPayload as e:
        print("BadPayload", type(e.original_error).__name__)
`
