package audit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// flaskDev is a Flask session cookie signed with the key "dev" by Flask
// 2.2.2 (testdata/audit/vectors-debian12.json, flask/dev).
func flaskDev(t testing.TB) *Target {
	t.Helper()
	for _, v := range loadVectors(t) {
		if v.Name == "debian12/flask/dev" {
			tg, err := NewTarget(v.Token)
			if err != nil {
				t.Fatal(err)
			}
			return tg
		}
	}
	t.Fatal("no vector debian12/flask/dev")
	return nil
}

func TestSearchWordlists(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name    string
		list    string
		line    int64 // 0: not found
		tooLong int64
		tested  int64
	}{
		{"empty file", "", 0, 0, 0},
		{"one empty line", "\n", 0, 0, 1},
		{"found", "x\ndev\n", 2, 0, 2},
		{"no final newline", "x\ndev", 2, 0, 2},
		{"CRLF", "x\r\ndev\r\n", 2, 0, 2},
		{"NUL and invalid UTF-8", "\x00\n\xff\xfe\nd\x00ev\ndev\n", 4, 0, 4},
		// Issue 12 point 2: two long lines in a row made the reader slice
		// with -1.
		{"long lines in a row", long(MaxLine+1) + "\n" + long(MaxLine-1) + "\ndev\n", 3, 1, 2},
		{"longest line kept", long(MaxLine) + "\n" + long(MaxLine+5) + "\n" + long(MaxLine+1) + "\ndev\n", 4, 2, 2},
		{"long last line", "x\n" + long(MaxLine+1), 0, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Counters
			f := NewFleet(flaskDev(t))
			finds, err := f.Search(context.Background(), strings.NewReader(tt.list), WithCounters(&c), WithThreads(2))
			if err != nil {
				t.Fatal(err)
			}
			var line int64
			if len(finds) == 1 {
				line = finds[0].Line
				if string(finds[0].Secret) != "dev" {
					t.Errorf("found %q", finds[0].Secret)
				}
			} else if len(finds) > 1 {
				t.Fatalf("%d finds for one target", len(finds))
			}
			got := []int64{line, c.TooLong.Load(), c.Tested.Load()}
			if tt.line != 0 {
				got[2] = tt.tested // the other workers may stop early
			}
			if d := cmp.Diff([]int64{tt.line, tt.tooLong, tt.tested}, got); d != "" {
				t.Errorf("line, too long, tested (-want +got):\n%s", d)
			}
		})
	}
}

// errReader fails after its data.
type errReader struct{ r io.Reader }

var errBroken = errors.New("broken disk")

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, errBroken
	}
	return n, err
}

func TestSearchReadError(t *testing.T) {
	f := NewFleet(flaskDev(t))
	_, err := f.Search(context.Background(), &errReader{strings.NewReader("a\nb\n")})
	if !errors.Is(err, errBroken) {
		t.Fatalf("err = %v, want %v", err, errBroken)
	}
}

func TestSearchCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := NewFleet(flaskDev(t))
	_, err := f.Search(ctx, strings.NewReader("dev\n"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// FuzzWordlistReader checks the batch reader against a plain split: every
// line no longer than the limit is tested exactly once with its bytes, the
// longer ones are counted, and nothing panics.
func FuzzWordlistReader(f *testing.F) {
	for _, s := range []string{"", "\n", "a\nb", "aaaaaaaaaaaaaaaaaaaaa\naaaaaaaaaaaaaaaaaaa\n", "a\r\n\x00\n\xff\n",
		strings.Repeat("x", 40) + "\n" + strings.Repeat("y", 31) + "\n" + strings.Repeat("z", 33)} {
		f.Add([]byte(s), uint8(16))
	}
	tg, err := NewTarget("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM") // not "dev"'s
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, max uint8) {
		maxLine := int(max%64) + 1
		var want []string
		var tooLong int64
		if len(data) > 0 {
			lines := bytes.Split(data, []byte("\n"))
			if len(lines[len(lines)-1]) == 0 {
				lines = lines[:len(lines)-1]
			}
			for _, l := range lines {
				if len(l) > maxLine {
					tooLong++
					continue
				}
				want = append(want, string(l))
			}
		}
		var mu sync.Mutex
		var got []string
		rec := func(b []byte) ([]byte, bool) {
			mu.Lock()
			got = append(got, string(b))
			mu.Unlock()
			return b, true
		}
		var c Counters
		fl := NewFleet(tg)
		_, err := fl.Search(context.Background(), bytes.NewReader(data), WithLineFunc(rec), WithCounters(&c), WithThreads(1),
			func(s *search) { s.maxLine, s.bufSize = maxLine, 16 })
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("lines tested (-want +got):\n%s", d)
		}
		if c.TooLong.Load() != tooLong {
			t.Errorf("too long = %d, want %d", c.TooLong.Load(), tooLong)
		}
		if c.Read.Load() != int64(len(data)) {
			t.Errorf("read %d bytes of %d", c.Read.Load(), len(data))
		}
	})
}
