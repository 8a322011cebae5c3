package pyoracle

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Lines runs script with PythonPath (in the test's environment, so under
// the chosen peer set), writes it the lines of in, one each, and returns
// the lines it prints, which must be as many. Without the interpreter or a
// package the script imports, it skips or fails t as SkipOrFatal does.
// The lines must not hold a newline: encode them (hex, JSON) first.
func Lines(t testing.TB, script string, in []string) []string {
	t.Helper()
	var stdin bytes.Buffer
	for _, l := range in {
		stdin.WriteString(l)
		stdin.WriteByte('\n')
	}
	cmd := exec.Command(PythonPath, "-c", script)
	cmd.Env = os.Environ()
	cmd.Stdin = &stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		SkipOrFatal(t, "%s: %v: %s", PythonPath, err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(in) {
		t.Fatalf("%s printed %d lines for %d", PythonPath, len(lines), len(in))
	}
	return lines
}
