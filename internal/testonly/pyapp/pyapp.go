// Package pyapp runs Python programs for tests: web apps started as child
// processes (compat/flaskapp, compat/starletteapp, compat/djangoapp,
// examples/migrate/flaskapp) and one-shot scripts that answer on stdout.
//
// A web app started with [Start] listens on a loopback port the OS picks,
// prints "READY <port>" on stdout once its socket listens, and exits when
// its stdin closes. [Start] waits for that line (at most [ReadyTimeout]) and
// stops the app when the test ends.
//
// Every function here skips the test when /usr/bin/python3 or a package is
// missing, or fails it when FLASKCOOKIE_REQUIRE_PYTHON=1, by the rule of
// [pyoracle.SkipOrFatal]. Each also checks and logs the peer set in use
// ([pyoracle.Peers]: FLASKCOOKIE_PEERS and PYTHONPATH). The child's stderr
// (its tail) is logged when the test fails.
package pyapp

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
)

// ReadyTimeout bounds the wait for an app's "READY <port>" line.
const ReadyTimeout = 60 * time.Second

// StopTimeout is how long an app has to exit after its stdin closes before
// it is killed.
const StopTimeout = 5 * time.Second

// stderrLimit bounds how much of a child's stderr is kept (the tail).
const stderrLimit = 64 << 10

// MissingExit is the exit status by which the one-shot scripts run with
// [Run] say that a Python package they need is missing.
const MissingExit = 3

// App is a running Python web app.
type App struct {
	// URL is "http://127.0.0.1:<port>", without a trailing slash.
	URL string
	// Port is the port the app listens on.
	Port int

	name     string
	cmd      *exec.Cmd
	stdin    interface{ Close() error }
	stderr   *pyoracle.Tail
	exited   chan struct{} // closed when the process has been reaped
	stopOnce sync.Once
}

// Stderr returns the tail of what the app wrote to stderr so far.
func (a *App) Stderr() string { return a.stderr.String() }

// Require skips t (or fails it when FLASKCOOKIE_REQUIRE_PYTHON=1) unless
// /usr/bin/python3 exists and imports every one of modules.
func Require(t testing.TB, modules ...string) {
	t.Helper()
	available(t, modules)
}

// available is Require, reporting whether t may go on (a testing.TB that
// records instead of stopping the test goes on after a skip).
func available(t testing.TB, modules []string) bool {
	t.Helper()
	if pyoracle.Peers(t).Set == "" {
		return false
	}
	if len(modules) == 0 {
		return true
	}
	stmt := "import " + strings.Join(modules, ", ")
	if out, err := exec.Command(pyoracle.PythonPath, "-c", stmt).CombinedOutput(); err != nil {
		pyoracle.SkipOrFatal(t, "pyapp: %s cannot %s: %v %s", pyoracle.PythonPath, stmt, err, out)
		return false
	}
	return true
}

// Start starts script (a path relative to the working directory, normally
// the test's package directory) with args, and env added to the test's
// environment along with PYTHONDONTWRITEBYTECODE=1 (no __pycache__ in the
// tree). It waits for the app's "READY <port>" line and stops the app when
// t ends: it closes the app's stdin, and kills it if it has not exited
// within [StopTimeout]. It skips t when /usr/bin/python3 is missing (call
// [Require] first for the app's packages) and fails t when the app exits
// or prints anything else first, or is not ready within [ReadyTimeout].
func Start(t testing.TB, script string, args []string, env []string) *App {
	t.Helper()
	return start(t, script, args, env, ReadyTimeout)
}

func start(t testing.TB, script string, args, env []string, readyTimeout time.Duration) *App {
	t.Helper()
	if !available(t, nil) {
		return nil
	}
	path, err := filepath.Abs(script)
	if err != nil {
		t.Fatalf("pyapp: %v", err)
		return nil
	}
	a := &App{
		name:   strings.Join(append([]string{script}, args...), " "),
		stderr: pyoracle.NewTail(stderrLimit),
		exited: make(chan struct{}),
	}
	first := &firstLine{c: make(chan string, 1)}
	a.cmd = exec.Command(pyoracle.PythonPath, append([]string{path}, args...)...)
	a.cmd.Env = append(append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1"), env...)
	a.cmd.Stdout = first
	a.cmd.Stderr = a.stderr
	// The output copiers end even if a grandchild keeps the pipes open.
	a.cmd.WaitDelay = StopTimeout
	stdin, err := a.cmd.StdinPipe()
	if err != nil {
		t.Fatalf("pyapp: %v", err)
		return nil
	}
	a.stdin = stdin
	if err := a.cmd.Start(); err != nil {
		t.Fatalf("pyapp: starting %s: %v", a.name, err)
		return nil
	}
	go func() {
		a.cmd.Wait()
		close(a.exited)
	}()

	timer := time.NewTimer(readyTimeout)
	defer timer.Stop()
	var line string
	select {
	case line = <-first.c:
	case <-a.exited:
		select {
		case line = <-first.c:
		default:
			t.Fatalf("pyapp: %s exited before it was ready (%v)\nstderr:\n%s", a.name, a.cmd.ProcessState, a.Stderr())
			return nil
		}
	case <-timer.C:
		a.stop()
		t.Fatalf("pyapp: %s not ready after %v\nstderr:\n%s", a.name, readyTimeout, a.Stderr())
		return nil
	}
	p, ok := strings.CutPrefix(strings.TrimSpace(line), "READY ")
	port, err := strconv.Atoi(p)
	if !ok || err != nil || port <= 0 || port > 65535 {
		a.stop()
		t.Fatalf("pyapp: %s did not start: first line %q\nstderr:\n%s", a.name, line, a.Stderr())
		return nil
	}
	a.Port = port
	a.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
	t.Cleanup(func() {
		a.stop()
		if t.Failed() {
			t.Logf("pyapp: %s stderr (tail):\n%s", a.name, a.Stderr())
		}
	})
	return a
}

// stop closes the app's stdin, which makes it exit, and kills it if it has
// not exited within StopTimeout.
func (a *App) stop() {
	a.stopOnce.Do(func() {
		a.stdin.Close()
		select {
		case <-a.exited:
		case <-time.After(StopTimeout):
			a.cmd.Process.Kill()
			<-a.exited
		}
	})
}

// firstLine is the app's stdout: it sends the first line (or the first
// 4 KiB without a newline) on c, and drops the rest.
type firstLine struct {
	mu   sync.Mutex
	buf  []byte
	done bool
	c    chan string // buffered: one send
}

func (w *firstLine) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	if i := bytes.IndexByte(w.buf, '\n'); i >= 0 || len(w.buf) > 4<<10 {
		if i >= 0 {
			w.buf = w.buf[:i+1]
		}
		w.done = true
		w.c <- string(w.buf)
		w.buf = nil
	}
	return len(p), nil
}

// Run runs /usr/bin/python3 once with args (a script and its arguments, or
// "-c" and a program), stdin as its input (none when nil) and
// PYTHONDONTWRITEBYTECODE=1 added to the environment, and returns what it
// wrote to stdout. Exit status [MissingExit] means a package is missing:
// Run skips t, or fails it when FLASKCOOKIE_REQUIRE_PYTHON=1, with the
// program's stderr as the reason. Any other failure fails t, with stderr.
func Run(t testing.TB, stdin []byte, args ...string) []byte {
	t.Helper()
	if !available(t, nil) {
		return nil
	}
	name := "python"
	if len(args) > 0 && args[0] != "-c" {
		name = filepath.Base(args[0])
	}
	cmd := exec.Command(pyoracle.PythonPath, args...)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	stderr := pyoracle.NewTail(stderrLimit)
	cmd.Stderr = stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == MissingExit {
		pyoracle.SkipOrFatal(t, "pyapp: %s: %s", name, strings.TrimSpace(stderr.String()))
		return nil
	}
	if err != nil {
		t.Fatalf("pyapp: %s: %v\nstderr:\n%s", name, err, stderr.String())
		return nil
	}
	return out
}
