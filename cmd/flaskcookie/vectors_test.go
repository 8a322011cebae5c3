package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
)

// The tests in this file take their expected values from
// testdata/flask/vectors.json: cookies written and read by the real Flask
// 2.2.2 (see testdata/README.md for how it is made).

func loadFlask(t *testing.T) []testvec.FlaskVector {
	t.Helper()
	_, vs := testvec.LoadFlask(t, testvec.Path(t, testvec.FlaskFile))
	return vs
}

// flaskVectorCookie returns a cookie Flask signed with key and loaded
// successfully.
func flaskVectorCookie(t *testing.T, key string) string {
	t.Helper()
	for _, v := range loadFlask(t) {
		if string(v.Secret) == key && v.Error == "" && v.Cookie != "" && len(v.Fallbacks) == 0 {
			return v.Cookie
		}
	}
	t.Fatalf("no Flask vector with the secret %q", key)
	return ""
}

// keyArgs passes the vector's secret and fallbacks: as they are when they
// are text, else all as Python literals with --literal.
func keyArgs(v *testvec.FlaskVector) []string {
	keys := append([][]byte{v.Secret}, bytesList(v.Fallbacks)...)
	literal := false
	for _, k := range keys {
		if !utf8.Valid(k) || bytes.ContainsRune(k, 0) {
			literal = true
		}
	}
	arg := func(k []byte) string {
		if literal {
			return py.Repr(k)
		}
		return string(k)
	}
	var args []string
	if literal {
		args = append(args, "--literal", "--salt", "'cookie-session'")
	}
	args = append(args, "--secret", arg(v.Secret))
	for _, f := range v.Fallbacks {
		args = append(args, "--fallback-secret", arg(f))
	}
	return args
}

func bytesList(bs []testvec.Bytes) [][]byte {
	out := make([][]byte, len(bs))
	for i, b := range bs {
		out[i] = b
	}
	return out
}

// decodeArgs decodes the vector's cookie the way Flask did: with its keys,
// its clock and its max_age.
func decodeArgs(v *testvec.FlaskVector, format string) []string {
	args := []string{"decode", "--format", format, "--now", strconv.FormatInt(v.Now, 10)}
	args = append(args, keyArgs(v)...)
	if v.Op == "decode" && v.MaxAge != nil {
		args = append(args, "--max-age", strconv.FormatInt(*v.MaxAge, 10))
	}
	return append(args, v.Cookie)
}

// roundTrips reports whether Flask loads back the value it encoded. It
// does not for datetimes with microseconds (dropped) or before the year
// 100 (Werkzeug reads "0005" as 2005).
func roundTrips(t *testing.T, v *testvec.FlaskVector) bool {
	t.Helper()
	in, err := v.Value.Value()
	if err != nil {
		t.Fatal(err)
	}
	out, err := v.Decoded.Value()
	if err != nil {
		t.Fatal(err)
	}
	return testvec.Diff(in, out) == ""
}

type runner func(t *testing.T, stdin string, args ...string) result

// checkDecode decodes one vector's cookie in every format and compares
// with what Flask's session held (or the class of its failure).
func checkDecode(t *testing.T, v *testvec.FlaskVector, run runner) {
	if trimmed := strings.TrimSpace(v.Cookie); trimmed != v.Cookie {
		// Flask is handed these bytes as they are; the CLI ignores
		// surrounding whitespace, as its help says (a pasted cookie
		// often ends in one), so it reads the cookie without it.
		w := *v
		w.Cookie = trimmed
		want := run(t, "", decodeArgs(&w, "python")...)
		if got := run(t, "", decodeArgs(v, "python")...); got != want {
			t.Errorf("with surrounding whitespace:\n%v\nwithout:\n%v", got, want)
		}
		return
	}
	if v.Error != "" {
		r := run(t, "", decodeArgs(v, "python")...)
		switch v.Error {
		case "SignatureExpired":
			if !strings.Contains(r.stderr, "expired") && !strings.Contains(r.stderr, "future") {
				t.Errorf("Python raised SignatureExpired(%q); we said %q", v.Message, r.stderr)
			}
		case "BadSignature", "BadTimeSignature":
			if !strings.Contains(r.stderr, "signature does not match") && !strings.Contains(r.stderr, "malformed") {
				t.Errorf("Python raised %s(%q); we said %q", v.Error, v.Message, r.stderr)
			}
		case "BadPayload":
			if !strings.Contains(r.stderr, "Flask could not load the payload") {
				t.Errorf("Python raised BadPayload(%q); we said %q", v.Message, r.stderr)
			}
		}
		wantFail(t, r)
		return
	}
	want, err := v.Decoded.Value()
	if err != nil {
		t.Fatal(err)
	}

	wantDecodesAs(t, run, func(format string) []string { return decodeArgs(v, format) }, want)

	r := run(t, "", decodeArgs(v, "tagged")...)
	wantOK(t, r)
	if v.JSON != nil && r.stdout != *v.JSON+"\n" {
		// The JSON text in the cookie, as Python reads it.
		t.Errorf("--format tagged:\n got %s\nwant %s (the text in the cookie)", r.stdout, *v.JSON)
	}
}

// wantDecodesAs runs decode with args(format) for the python and json
// formats, and compares what each prints, read back, with want: the
// session Python loaded.
func wantDecodesAs(t *testing.T, run runner, args func(format string) []string, want any) {
	t.Helper()
	for _, f := range []struct {
		format, unread string
		read           func(string) (any, error)
	}{
		{"python", "not a literal", func(s string) (any, error) { return py.ParseLiteral(s) }},
		{"json", "which does not read back", func(s string) (any, error) { return parseView([]byte(s)) }},
	} {
		r := run(t, "", args(f.format)...)
		wantOK(t, r)
		got, err := f.read(r.stdout)
		if err != nil {
			t.Fatalf("--format %s printed %q, %s: %v", f.format, r.stdout, f.unread, err)
		}
		if d := testvec.Diff(want, got); d != "" {
			t.Errorf("--format %s: %s\n%s", f.format, d, r.stdout)
		}
	}
}

// wantHelpShows checks that help CMD names a flag (usage, such as
// "--profile") and has an example with it (flaskcookie CMD example), for
// each command.
func wantHelpShows(t *testing.T, usage, example string, cmds ...string) {
	t.Helper()
	for _, cmd := range cmds {
		r := fc(t, "", "help", cmd)
		wantOK(t, r)
		for _, w := range []string{usage, "flaskcookie " + cmd + " " + example} {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("help %s does not mention %q", cmd, w)
			}
		}
	}
}

// TestFlaskVectorsDecode decodes every Flask vector's cookie, in-process
// (a process per run would take minutes); TestFlaskVectorsBinary runs a
// sample through the binary.
func TestFlaskVectorsDecode(t *testing.T) {
	vs := loadFlask(t)
	for i := range vs {
		v := &vs[i]
		t.Run(v.Name, func(t *testing.T) { checkDecode(t, v, fcIn) })
	}
}

func TestFlaskVectorsBinary(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range loadFlask(t) {
		group := v.Name
		if i := strings.IndexByte(group, '/'); i >= 0 {
			group = group[:i]
		}
		key := group + "/" + v.Op + "/" + v.Error
		if seen[key] {
			continue
		}
		seen[key] = true
		v := v
		t.Run(v.Name, func(t *testing.T) { checkDecode(t, &v, fc) })
	}
	if len(seen) < 10 {
		t.Fatalf("only %d vector groups", len(seen))
	}
}

// encodeFlaskVectors runs encode on the session of every Flask encode
// vector, from the Python literal and the JSON view (with tagged, also
// from Flask's own tagged JSON where it round-trips), signed as the vector
// was (fallback keys never sign), and hands encode's output to check. It
// returns how many vectors ran.
func encodeFlaskVectors(t *testing.T, tagged bool, check func(t *testing.T, v *testvec.FlaskVector, format, in, stdout string)) int {
	t.Helper()
	n := 0
	for _, v := range loadFlask(t) {
		if v.Op != "encode" {
			continue
		}
		n++
		v := v
		t.Run(v.Name, func(t *testing.T) {
			value, err := v.Value.Ordered()
			if err != nil {
				t.Fatal(err)
			}
			view, err := appendView(nil, value, 0)
			if err != nil {
				t.Fatal(err)
			}
			inputs := map[string]string{"python": py.Repr(value), "json": string(view)}
			if tagged && v.JSON != nil && roundTrips(t, &v) {
				inputs["tagged"] = *v.JSON
			}
			signer := v
			signer.Fallbacks = nil // fallback keys never sign
			for format, in := range inputs {
				args := append([]string{"encode", "--format", format, "--timestamp", strconv.FormatInt(v.Now, 10)}, keyArgs(&signer)...)
				r := fcIn(t, in, append(args, "-")...)
				wantOK(t, r)
				check(t, &v, format, in, r.stdout)
			}
		})
	}
	return n
}

// TestFlaskVectorsEncode encodes every session Flask encoded, from each
// input format, and expects Flask's exact cookie, compressed or not.
func TestFlaskVectorsEncode(t *testing.T) {
	n := encodeFlaskVectors(t, true, func(t *testing.T, v *testvec.FlaskVector, format, in, stdout string) {
		if stdout != v.Cookie+"\n" {
			t.Errorf("--format %s %s\n got %s\nwant %s (Flask's)", format, in, stdout, v.Cookie)
		}
	})
	if n < 100 {
		t.Fatalf("only %d uncompressed encode vectors", n)
	}
}
