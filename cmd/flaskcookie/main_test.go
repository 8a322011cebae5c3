package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/py"
)

// bin is the flaskcookie binary built once by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "flaskcookie-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	bin = filepath.Join(dir, "flaskcookie")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building flaskcookie:", err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout: %q\nstderr: %q", r.code, r.stdout, r.stderr)
}

// fc runs the built binary with stdin and args.
func fc(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "NO_COLOR=")
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running flaskcookie: %v", err)
		}
		code = ee.ExitCode()
	}
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// fcIn runs the command in-process through the same entry point as main,
// for loops over hundreds of vectors where a process per run is too slow.
func fcIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, now: time.Now}
	code := run(e, args)
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// wantOK checks a successful run.
func wantOK(t *testing.T, r result) {
	t.Helper()
	if r.code != exitOK {
		t.Fatalf("want exit 0, got:\n%v", r)
	}
}

// wantFail checks the contract of exit 1: nothing on stdout and exactly
// one line on stderr, which contains every part of want.
func wantFail(t *testing.T, r result, want ...string) {
	t.Helper()
	if r.code != exitData {
		t.Fatalf("want exit 1, got:\n%v", r)
	}
	if r.stdout != "" {
		t.Errorf("exit 1 with output on stdout: %q", r.stdout)
	}
	if !strings.HasSuffix(r.stderr, "\n") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr is not exactly one line: %q", r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr %q does not say %q", r.stderr, w)
		}
	}
}

// wantSays checks that out, the output of what, contains every one of
// want and none of not.
func wantSays(t *testing.T, what, out string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s does not say %q:\n%s", what, w, out)
		}
	}
	for _, n := range not {
		if strings.Contains(out, n) {
			t.Errorf("%s says %q:\n%s", what, n, out)
		}
	}
}

// wantUsage checks exit 2 with a message and no output.
func wantUsage(t *testing.T, r result, want string) {
	t.Helper()
	if r.code != exitUsage {
		t.Fatalf("want exit 2, got:\n%v", r)
	}
	if r.stdout != "" {
		t.Errorf("usage error with output on stdout: %q", r.stdout)
	}
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q does not say %q", r.stderr, want)
	}
}

// secretArgs passes a key on the command line: as it is when it is UTF-8,
// else as a Python bytes literal with --literal (arguments cannot hold NUL).
func secretArgs(flag string, key []byte) []string {
	if utf8.Valid(key) && !bytes.ContainsRune(key, 0) {
		return []string{flag, string(key)}
	}
	return []string{"--literal", flag, py.Repr(key)}
}

// Cookies from the spec (wire-formats.md §8), made by the real Flask 2.2.2
// with SECRET_KEY "dev-secret" at 1700000000.
const (
	v10Cookie   = "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"
	v10Flashes  = "eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIkhlbGxvIl19XSwiX3Blcm1hbmVudCI6dHJ1ZX0.ZVPxAA.VD8nVcas4FnmNnhw972TP5w98uw"
	v9JSON      = `{"bytes":{" b":"AP9iaW4="},"dt":{" d":"Tue, 14 Nov 2023 22:13:20 GMT"},"list":[1,{" t":[2,3]},{"k":{" b":"dg=="}}],"markup":{" m":"<b>hi</b>"},"nested":{" di":{" t__":"not a tuple"}},"text":"J\u00fcrgen \u20ac","tuple":{" t":[1,"a"]},"uuid":{" u":"12345678123456781234567812345678"}}`
	specSecret  = "dev-secret"
	specNow     = "1700000000"
	v6SHA256Tok = "value.ZVPxAA.kkafDtaFlS0pnhRf1MpQVPDVlUif-dZ6tSl2607Q_ek" // salt cookie-session, hmac, sha256
)
