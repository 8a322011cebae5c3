package pyapp

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
)

// recordTB records Skipf and Fatalf instead of stopping the test, so that
// the failure and skip paths can be checked.
type recordTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordTB) Helper()                      {}
func (r *recordTB) Skipf(f string, args ...any)  { r.skipped = fmt.Sprintf(f, args...) }
func (r *recordTB) Fatalf(f string, args ...any) { r.failed = fmt.Sprintf(f, args...) }

// script writes a Python program to a file of its own and returns its path.
func script(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "app.py")
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// webApp follows the protocol of the compat apps: READY <port> once the
// socket listens, exit when stdin closes. It answers every GET with its
// argument and the value of $PYAPP_TEST.
const webApp = `
import http.server, os, sys, threading
arg = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (arg + " " + os.environ.get("PYAPP_TEST", "")).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
def eof():
    sys.stdin.read()
    os._exit(0)
threading.Thread(target=eof, daemon=True).start()
print("READY", srv.server_address[1], flush=True)
srv.serve_forever()
`

func TestStart(t *testing.T) {
	Require(t)
	path := script(t, webApp)
	var app *App
	t.Run("serve", func(t *testing.T) {
		app = Start(t, path, []string{"hello"}, []string{"PYAPP_TEST=env"})
		if want := fmt.Sprintf("http://127.0.0.1:%d", app.Port); app.URL != want {
			t.Errorf("URL %q, want %q", app.URL, want)
		}
		res, err := http.Get(app.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != "hello env" {
			t.Errorf("app answered %q, want %q (args and env passed)", b, "hello env")
		}
	})
	if app == nil {
		t.Fatal("no app")
	}
	// The subtest's cleanup closed stdin: the app has exited.
	select {
	case <-app.exited:
	default:
		t.Fatal("the app still runs after its test ended")
	}
	if !app.cmd.ProcessState.Success() {
		t.Errorf("the app was killed instead of exiting on EOF: %v", app.cmd.ProcessState)
	}
}

func TestStartFailures(t *testing.T) {
	Require(t)
	tests := []struct {
		name string
		src  string
		want string // in the failure message
	}{
		{
			name: "exits before READY: reported with its stderr",
			src:  `import sys; sys.stderr.write("boom\n"); sys.exit(1)`,
			want: "exited before it was ready",
		},
		{
			name: "another first line: not a port",
			src:  `import sys; sys.stderr.write("boom\n"); print("hello", flush=True); sys.stdin.read()`,
			want: "did not start",
		},
		{
			name: "READY without a number",
			src:  `import sys; sys.stderr.write("boom\n"); print("READY x", flush=True); sys.stdin.read()`,
			want: "did not start",
		},
		{
			name: "silent: not ready in time",
			src:  `import sys; sys.stderr.write("boom\n"); sys.stderr.flush(); sys.stdin.read()`,
			want: "not ready after",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordTB{TB: t}
			begin := time.Now()
			if app := start(rec, script(t, tt.src), nil, nil, 2*time.Second); app != nil {
				t.Fatalf("start returned an app at %s", app.URL)
			}
			if !strings.Contains(rec.failed, tt.want) || !strings.Contains(rec.failed, "boom") || rec.skipped != "" {
				t.Errorf("failed %q, skipped %q; want a failure with %q and the stderr", rec.failed, rec.skipped, tt.want)
			}
			if d := time.Since(begin); d > StopTimeout {
				t.Errorf("took %v: the app was not stopped by closing its stdin", d)
			}
		})
	}
}

func TestRun(t *testing.T) {
	Require(t)
	if got := string(Run(t, []byte("abc"), "-c", "import sys; print(sys.stdin.read().upper())")); got != "ABC\n" {
		t.Errorf("Run = %q, want %q", got, "ABC\n")
	}
	if got := string(Run(t, nil, "-c", "import sys; print(len(sys.stdin.read()))")); got != "0\n" {
		t.Errorf("Run without stdin = %q, want %q", got, "0\n")
	}
	missing := `import sys; sys.stderr.write("no module named frob\n"); sys.exit(3)`
	tests := []struct {
		name        string
		src         string
		require     bool
		skip, fatal string // in the message, "" when none is wanted
	}{
		{name: "exit 3 skips", src: missing, skip: "no module named frob"},
		{name: "exit 3 fails when required", src: missing, require: true, fatal: "no module named frob"},
		{name: "another exit status fails, with stderr", src: `import sys; sys.stderr.write("bad\n"); sys.exit(1)`, fatal: "bad"},
		{name: "another exit status fails when required", src: `raise SystemExit(2)`, require: true, fatal: "exit status 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.require {
				t.Setenv(pyoracle.RequireEnv, "1")
			} else {
				t.Setenv(pyoracle.RequireEnv, "")
			}
			rec := &recordTB{TB: t}
			if out := Run(rec, nil, "-c", tt.src); out != nil {
				t.Errorf("Run returned %q", out)
			}
			if (tt.skip == "") != (rec.skipped == "") || !strings.Contains(rec.skipped, tt.skip) ||
				(tt.fatal == "") != (rec.failed == "") || !strings.Contains(rec.failed, tt.fatal) {
				t.Errorf("skipped %q, failed %q; want skip %q, failure %q", rec.skipped, rec.failed, tt.skip, tt.fatal)
			}
		})
	}
}

func TestRequire(t *testing.T) {
	Require(t, "json", "os") // present in every Python
	for _, required := range []bool{false, true} {
		t.Run(fmt.Sprintf("required=%v", required), func(t *testing.T) {
			if required {
				t.Setenv(pyoracle.RequireEnv, "1")
			} else {
				t.Setenv(pyoracle.RequireEnv, "")
			}
			rec := &recordTB{TB: t}
			// A module no Python has: a skip, or a failure when required.
			Require(rec, "json", "flaskcookie_no_such_module")
			got := rec.skipped
			if required {
				got = rec.failed
			}
			if !strings.Contains(got, "flaskcookie_no_such_module") || rec.skipped != "" && rec.failed != "" {
				t.Errorf("skipped %q, failed %q", rec.skipped, rec.failed)
			}
		})
	}
}
