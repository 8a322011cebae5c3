package pyoracle

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// PythonPath is the interpreter that has Debian's Python packages.
const PythonPath = "/usr/bin/python3"

// RequireEnv names the environment variable that, set to "1", turns a
// missing Python or missing packages into a test failure instead of a skip.
const RequireEnv = "FLASKCOOKIE_REQUIRE_PYTHON"

// DefaultTimeout is how long [Oracle.Do] waits for an answer before it kills
// the process.
const DefaultTimeout = 30 * time.Second

// ErrTimeout is returned (wrapped) by [Oracle.Do] when the oracle gave no
// answer in time. The process is killed and every later request fails.
var ErrTimeout = errors.New("pyoracle: no answer in time; oracle process killed")

// ErrClosed is returned (wrapped) by [Oracle.Do] after the oracle was stopped.
var ErrClosed = errors.New("pyoracle: oracle is closed")

// stderrLimit bounds how much of the child's stderr is kept (the tail).
const stderrLimit = 64 << 10

// Oracle is a running compat/oracle.py process. It is safe for concurrent
// use: requests are serialized.
type Oracle struct {
	mu       sync.Mutex // serializes requests
	timeout  time.Duration
	cmd      *exec.Cmd
	stdin    *os.File
	stdout   *os.File
	out      *bufio.Reader
	stderr   *Tail
	versions map[string]string
	exited   chan struct{} // closed when the process has been reaped

	stateMu sync.Mutex
	broken  error // set once; every later Do returns it
}

// config says how to start the oracle; tests vary it.
type config struct {
	python  string
	args    []string // interpreter arguments before the script
	timeout time.Duration
}

func defaultConfig() config { return config{python: PythonPath, timeout: DefaultTimeout} }

// Start starts a private oracle for t and stops it when t ends. It skips t
// (or fails it when FLASKCOOKIE_REQUIRE_PYTHON=1) if /usr/bin/python3 or the
// Python packages are missing, and fails t on any other start-up problem.
func Start(t testing.TB) *Oracle {
	t.Helper()
	return startFor(t, defaultConfig())
}

func startFor(t testing.TB, cfg config) *Oracle {
	t.Helper()
	if Peers(t).Set == "" {
		return nil
	}
	o, skip, err := start(cfg)
	switch {
	case skip != "":
		skipOrFatal(t, skip)
		return nil
	case err != nil:
		t.Fatalf("%v", err)
		return nil
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("pyoracle: oracle stderr:\n%s", o.Stderr())
		}
		o.Close()
	})
	return o
}

func skipOrFatal(t testing.TB, reason string) {
	t.Helper()
	SkipOrFatal(t, "pyoracle: %s", reason)
}

// SkipOrFatal skips t with the formatted reason, or fails it when
// FLASKCOOKIE_REQUIRE_PYTHON=1: the rule of every test that needs Python.
// The reason gets a note on the variable: "(set ...=1 to fail instead)" or
// "(...=1 is set)".
func SkipOrFatal(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s (%s=1 is set)", reason, RequireEnv)
		return
	}
	t.Skipf("%s (set %s=1 to fail instead)", reason, RequireEnv)
}

var shared struct {
	mu   sync.Mutex
	o    *Oracle
	skip string
}

// Shared returns an oracle shared by every test of the test binary, started
// on first use. It lives until the test binary exits (the process ends when
// its stdin closes); if it breaks (a timeout), the next call starts a new
// one. It skips or fails t like [Start], and logs the oracle's stderr when t
// fails.
func Shared(t testing.TB) *Oracle {
	t.Helper()
	if Peers(t).Set == "" {
		return nil
	}
	shared.mu.Lock()
	if shared.skip == "" && (shared.o == nil || shared.o.Err() != nil) {
		o, skip, err := start(defaultConfig())
		if err != nil {
			shared.mu.Unlock()
			t.Fatalf("%v", err)
			return nil
		}
		shared.o, shared.skip = o, skip
	}
	o, skip := shared.o, shared.skip
	shared.mu.Unlock()
	if skip != "" {
		skipOrFatal(t, skip)
		return nil
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("pyoracle: shared oracle stderr (tail):\n%s", o.Stderr())
		}
	})
	return o
}

// repoRoot walks up from the working directory to the directory that holds
// go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("pyoracle: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("pyoracle: no go.mod above the working directory")
		}
		dir = parent
	}
}

// start starts and pings an oracle. A non-empty skip is a reason to skip
// (Python or its packages are missing); err is any other failure.
func start(cfg config) (o *Oracle, skip string, err error) {
	root, err := repoRoot()
	if err != nil {
		return nil, "", err
	}
	script := filepath.Join(root, "compat", "oracle.py")
	if _, err := os.Stat(script); err != nil {
		return nil, "", fmt.Errorf("pyoracle: %w", err)
	}
	if _, err := os.Stat(cfg.python); err != nil {
		return nil, fmt.Sprintf("Python interpreter not available: %v", err), nil
	}

	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, "", fmt.Errorf("pyoracle: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, "", fmt.Errorf("pyoracle: %w", err)
	}
	o = &Oracle{
		timeout: cfg.timeout,
		stdin:   inW,
		stdout:  outR,
		out:     bufio.NewReaderSize(outR, 64<<10),
		stderr:  NewTail(stderrLimit),
		exited:  make(chan struct{}),
	}
	args := append(append([]string{}, cfg.args...), script)
	o.cmd = exec.Command(cfg.python, args...)
	o.cmd.Dir = root
	o.cmd.Stdin = inR
	o.cmd.Stdout = outW
	o.cmd.Stderr = o.stderr
	err = o.cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, "", fmt.Errorf("pyoracle: starting %s: %w", cfg.python, err)
	}
	go func() {
		o.cmd.Wait()
		close(o.exited)
	}()

	var r Response
	if err := o.Do(PingRequest{}, &r); err != nil {
		o.Close()
		return nil, "", fmt.Errorf("pyoracle: ping: %w\nstderr:\n%s", err, o.Stderr())
	}
	if !r.OK {
		o.Close()
		if r.MissingPackages {
			return nil, fmt.Sprintf("Python packages missing: %s", r.Describe()), nil
		}
		return nil, "", fmt.Errorf("pyoracle: ping failed: %s", r.Describe())
	}
	o.versions = r.Versions
	return o, "", nil
}

// Versions returns the versions reported at start-up: python, itsdangerous,
// flask, werkzeug and markupsafe.
func (o *Oracle) Versions() map[string]string {
	m := make(map[string]string, len(o.versions))
	for k, v := range o.versions {
		m[k] = v
	}
	return m
}

// Stderr returns the tail of what the process wrote to stderr.
func (o *Oracle) Stderr() string { return o.stderr.String() }

// Err returns the error that broke the oracle (a timeout, a dead process,
// Close), or nil while it works.
func (o *Oracle) Err() error {
	o.stateMu.Lock()
	defer o.stateMu.Unlock()
	return o.broken
}

// fail breaks the oracle with err (the first error wins), kills the process
// and closes the pipes, which unblocks a pending read or write.
func (o *Oracle) fail(err error) {
	o.stateMu.Lock()
	defer o.stateMu.Unlock()
	if o.broken != nil {
		return
	}
	o.broken = err
	if o.cmd.Process != nil {
		o.cmd.Process.Kill()
	}
	o.stdin.Close()
	o.stdout.Close()
}

// Do sends one request (any JSON-marshalable value, normally one of this
// package's request types) and decodes the response into resp (which may be
// nil). An answer with ok=false is not an error: the exception class is in
// the response. Do returns an error when the oracle rejects the request as
// malformed (*RejectedError), when the process fails, or when no answer
// arrives within the timeout (ErrTimeout; the process is then killed).
func (o *Oracle) Do(req any, resp any) error {
	line, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("pyoracle: encoding request: %w", err)
	}
	reply, err := o.roundTrip(line)
	if err != nil {
		return err
	}
	var env struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(reply, &env); err != nil {
		return fmt.Errorf("pyoracle: bad response %q: %w", reply, err)
	}
	if resp != nil {
		if err := json.Unmarshal(reply, resp); err != nil {
			return fmt.Errorf("pyoracle: decoding response %q: %w", reply, err)
		}
	}
	if env.Error == ClassRequest || env.Error == ClassOracle {
		return &RejectedError{Class: env.Error, Message: env.Message}
	}
	return nil
}

// roundTrip writes one line and reads one line, under the timeout. line must
// not contain a newline (json.Marshal never writes one).
func (o *Oracle) roundTrip(line []byte) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.Err(); err != nil {
		return nil, err
	}
	timer := time.AfterFunc(o.timeout, func() {
		o.fail(fmt.Errorf("%w (after %v)", ErrTimeout, o.timeout))
	})
	reply, ioErr := o.exchange(line)
	if !timer.Stop() {
		return nil, o.errWithStderr()
	}
	if ioErr != nil {
		o.fail(fmt.Errorf("pyoracle: oracle process failed: %w", ioErr))
		return nil, o.errWithStderr()
	}
	return reply, nil
}

func (o *Oracle) exchange(line []byte) ([]byte, error) {
	buf := make([]byte, 0, len(line)+1)
	buf = append(append(buf, line...), '\n')
	if _, err := o.stdin.Write(buf); err != nil {
		return nil, err
	}
	reply, err := o.out.ReadBytes('\n')
	if err != nil {
		return nil, err
	}
	return reply, nil
}

// errWithStderr returns the breaking error with the stderr tail, after
// giving the killed process a moment to finish writing it.
func (o *Oracle) errWithStderr() error {
	select {
	case <-o.exited:
	case <-time.After(2 * time.Second):
	}
	err := o.Err()
	if s := o.Stderr(); s != "" {
		return fmt.Errorf("%w\noracle stderr:\n%s", err, s)
	}
	return err
}

// Close stops the process: it closes stdin, which makes oracle.py exit, and
// kills the process if it has not exited within 5 seconds. Later requests
// fail with ErrClosed.
func (o *Oracle) Close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.stateMu.Lock()
	if o.broken == nil {
		o.broken = ErrClosed
		o.stdin.Close()
	}
	o.stateMu.Unlock()
	select {
	case <-o.exited:
	case <-time.After(5 * time.Second):
		o.cmd.Process.Kill()
		<-o.exited
	}
	o.stdout.Close()
}

// Tail is an io.Writer that keeps the last bytes written to it, for a
// child process's stderr. It is safe for concurrent use.
type Tail struct {
	mu    sync.Mutex
	limit int
	buf   []byte
	cut   bool
}

// NewTail returns a Tail that keeps the last limit bytes.
func NewTail(limit int) *Tail { return &Tail{limit: limit} }

// Write keeps the tail of what was written so far, p included; it never
// fails.
func (t *Tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.limit {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.limit:]...)
		t.cut = true
	}
	return len(p), nil
}

// String returns the bytes kept, after a "[...]" line when earlier ones
// were dropped.
func (t *Tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cut {
		return "[...]\n" + string(t.buf)
	}
	return string(t.buf)
}
