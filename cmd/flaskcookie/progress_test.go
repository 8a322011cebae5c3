package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/audit"
)

// fakeTicker stands for time.NewTicker in env.tick: the test sends the
// ticks, and learns the period asked for.
type fakeTicker struct {
	c       chan time.Time
	every   time.Duration
	started bool
}

func (f *fakeTicker) tick(d time.Duration) (<-chan time.Time, func()) {
	f.every, f.started = d, true
	return f.c, func() {}
}

// TestProgressLines drives the progress display with fake ticks and
// counters: the lines, their counts (digit groups, rate, share of the
// wordlist, time left) and where they go are checked exactly.
func TestProgressLines(t *testing.T) {
	start := time.Unix(1700000000, 0)
	tests := []struct {
		name     string
		flags    unsignFlags
		tty      bool
		size     int64
		ticks    []time.Duration // after start
		every    time.Duration   // 0: no display at all
		want     string
		wantNone bool
	}{
		{
			name: "log lines with --progress", flags: unsignFlags{progress: true}, size: 100,
			ticks: []time.Duration{10 * time.Second}, every: 2 * time.Second,
			want: "flaskcookie unsign: progress: tried 1,234,567 keys, 123,456/s, 25.0%, ETA 30s\n",
		},
		{
			name: "two ticks", flags: unsignFlags{progress: true}, size: 100,
			ticks: []time.Duration{5 * time.Second, 10 * time.Second}, every: 2 * time.Second,
			want: "flaskcookie unsign: progress: tried 1,234,567 keys, 246,913/s, 25.0%, ETA 15s\n" +
				"flaskcookie unsign: progress: tried 1,234,567 keys, 123,456/s, 25.0%, ETA 30s\n",
		},
		{
			// Known secrets or standard input: no size, no share.
			name: "without a size", flags: unsignFlags{progress: true}, size: -1,
			ticks: []time.Duration{10 * time.Second}, every: 2 * time.Second,
			want: "flaskcookie unsign: progress: tried 1,234,567 keys, 123,456/s\n",
		},
		{
			// A terminal: one line rewritten in place, cleared at the end.
			name: "terminal", tty: true, size: 100,
			ticks: []time.Duration{10 * time.Second}, every: 250 * time.Millisecond,
			want: "\r\x1b[Ktried 1,234,567 keys, 123,456/s, 25.0%, ETA 30s\r\x1b[K",
		},
		{name: "not a terminal, no --progress", size: 100, wantNone: true},
		{name: "--json on a terminal", flags: unsignFlags{json: true}, tty: true, size: 100, wantNone: true},
		{
			name: "--json --progress", flags: unsignFlags{json: true, progress: true}, size: 100,
			ticks: []time.Duration{10 * time.Second}, every: 2 * time.Second,
			want: "flaskcookie unsign: progress: tried 1,234,567 keys, 123,456/s, 25.0%, ETA 30s\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			ft := &fakeTicker{c: make(chan time.Time)}
			e := &env{stderr: &stderr, stderrTTY: tc.tty, tick: ft.tick}
			var c audit.Counters
			c.Tested.Store(1234567)
			c.Read.Store(25)
			stop := tc.flags.startProgress(e, &c, tc.size, start)
			for _, d := range tc.ticks {
				ft.c <- start.Add(d) // unbuffered: the display has taken it
			}
			stop() // waits for the display to finish writing
			if tc.wantNone {
				if ft.started || stderr.Len() != 0 {
					t.Errorf("a display was started (%v) or written: %q", ft.started, stderr.String())
				}
				return
			}
			if ft.every != tc.every {
				t.Errorf("ticks every %v, want %v", ft.every, tc.every)
			}
			if got := stderr.String(); got != tc.want {
				t.Errorf("stderr:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestProgressUnsign runs unsign --progress on a wordlist read from a
// pipe, with one tick in the middle of it: stderr holds a progress line
// and then the final line, the wordlist's name escaped.
func TestProgressUnsign(t *testing.T) {
	cookie := strings.TrimSpace(fcIn(t, "", "encode", "--secret", "last", `{"a":1}`).stdout)
	dir := t.TempDir()
	named := filepath.Join(dir, "list\x1b[31m.txt")
	if err := os.WriteFile(named, []byte("one\ntwo\nlast\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	progressLine := regexp.MustCompile(`^flaskcookie unsign: progress: tried [0-9][0-9,]* keys, [0-9][0-9,]*/s$`)
	tests := []struct {
		name      string
		args      []string
		stdin     bool // the wordlist comes through a pipe, ticked half-way
		wantFinal string
	}{
		{"standard input", []string{"unsign", "--progress", "-w", "-", cookie}, true,
			"flaskcookie unsign: found the secret key on line 4 of standard input, after 4 guesses"},
		{"--json --progress", []string{"unsign", "--json", "--progress", "-w", named, cookie}, false,
			`flaskcookie unsign: found the secret of 1 of 1 cookies in ` + filepath.Join(dir, `list\x1b[31m.txt`) + `, after 3 guesses`},
		{"not found", []string{"unsign", "--progress", "-w", "-", cookie}, true,
			"flaskcookie unsign: the secret key is not in the wordlist (4 keys tried)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			ft := &fakeTicker{c: make(chan time.Time)}
			pr, pw := io.Pipe()
			e := &env{stdin: pr, stdout: &stdout, stderr: &stderr, now: time.Now, tick: ft.tick}
			if !tc.stdin {
				e.stdin = strings.NewReader("")
			}
			code := make(chan int, 1)
			go func() { code <- run(e, tc.args); pr.Close() }()
			if tc.stdin {
				io.WriteString(pw, "one\ntwo\n")
				select {
				case ft.c <- time.Now().Add(time.Second):
				case c := <-code:
					t.Fatalf("unsign ended (exit %d) before the tick: %q", c, stderr.String())
				}
				last := "last\n"
				if tc.name == "not found" {
					last = "three\n"
				}
				io.WriteString(pw, "\n"+last)
			}
			pw.Close()
			<-code
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			if tc.stdin {
				if len(lines) != 2 || !progressLine.MatchString(lines[0]) {
					t.Fatalf("want a progress line and the final line, got %q", stderr.String())
				}
			}
			if final := lines[len(lines)-1]; !strings.HasPrefix(final, tc.wantFinal) {
				t.Errorf("final line:\n got %q\nwant %q...", final, tc.wantFinal)
			}
			if strings.ContainsRune(stderr.String(), '\x1b') {
				t.Errorf("raw escape on stderr: %q", stderr.String())
			}
		})
	}
}

// TestUnsignProgress runs unsign in-process with stderr taken for a
// terminal: the progress line is drawn and cleared there, and never
// appears when stderr is a pipe.
func TestUnsignProgress(t *testing.T) {
	words := strings.Repeat("wrong\n", 200000) + "dev-secret\n"
	for _, tty := range []bool{true, false} {
		var out, errb strings.Builder
		e := &env{stdin: strings.NewReader(words), stdout: &out, stderr: &errb, stderrTTY: tty, now: time.Now}
		if code := run(e, []string{"unsign", "--wordlist", "-", "--threads", "1", v10Cookie}); code != exitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		if out.String() != "dev-secret\n" {
			t.Errorf("stdout = %q", out.String())
		}
		if got := strings.Contains(errb.String(), "\r\x1b[K"); got != tty {
			t.Errorf("stderr a terminal: %v; progress drawn: %v (%q)", tty, got, errb.String())
		}
		if !strings.Contains(errb.String(), "on line 200001 of standard input, after 200001 guesses") {
			t.Errorf("stderr = %q", errb.String())
		}
	}
}
