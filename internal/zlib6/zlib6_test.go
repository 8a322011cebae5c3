package zlib6

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type vector struct {
	Name string `json:"name"`
	In   string `json:"in"`
	Out  string `json:"out"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	data, err := os.ReadFile("../../testdata/zlib/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Provenance map[string]string `json:"provenance"`
		Vectors    []vector          `json:"vectors"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) == 0 {
		t.Fatal("testdata/zlib/vectors.json holds no vectors")
	}
	t.Logf("%d vectors from Python %s, zlib %s", len(file.Vectors), file.Provenance["python"], file.Provenance["zlib"])
	return file.Vectors
}

// TestVectors compares Compress with Python's zlib.compress on the
// committed vectors, among them every compressed payload of the other
// vector files.
func TestVectors(t *testing.T) {
	fromTestdata := 0
	for _, v := range loadVectors(t) {
		if strings.HasPrefix(v.Name, "testdata/") {
			fromTestdata++
		}
		t.Run(v.Name, func(t *testing.T) {
			in, err := base64.StdEncoding.DecodeString(v.In)
			if err != nil {
				t.Fatal(err)
			}
			want, err := base64.StdEncoding.DecodeString(v.Out)
			if err != nil {
				t.Fatal(err)
			}
			if got := Compress(in); !bytes.Equal(got, want) {
				t.Errorf("Compress(%d bytes) differs from zlib.compress: got %d bytes, want %d\n%s",
					len(in), len(got), len(want), cmp.Diff(want, got))
			}
			prefix := []byte("prefix")
			if got := AppendCompress(prefix, in); !bytes.Equal(got[:6], prefix) || !bytes.Equal(got[6:], want) {
				t.Errorf("AppendCompress did not append zlib.compress's output to dst")
			}
		})
	}
	if fromTestdata == 0 {
		t.Error("no vector comes from the other testdata files")
	}
}

// TestRoundTrip checks that the output inflates back to the input, for
// sizes past the cookie range too (block splits, window slides).
func TestRoundTrip(t *testing.T) {
	sizes := []int{0, 1, 2, 3, 4, 100, 8192, 16383, 16384, 40000, 70000, 140000}
	for _, n := range sizes {
		for kind := uint64(0); kind < 3; kind++ {
			in := genInput(kind, uint64(n), 8192)
			for len(in) < n {
				in = append(in, genInput(kind+10, uint64(len(in)), 8192)...)
			}
			in = in[:n]
			checkRoundTrip(t, in)
		}
	}
}

func checkRoundTrip(t *testing.T, in []byte) {
	t.Helper()
	out := Compress(in)
	if !bytes.Equal(out[:2], Header[:]) {
		t.Fatalf("header %x, want %x", out[:2], Header)
	}
	r, err := zlib.NewReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("inflating the output of %d bytes: %v", len(in), err)
	}
	if !bytes.Equal(got, in) {
		t.Fatalf("round trip of %d bytes gave %d different bytes", len(in), len(got))
	}
}

func FuzzCompress(f *testing.F) {
	f.Add([]byte("{\"user_id\":42}"))
	f.Add(bytes.Repeat([]byte("ab"), 300))
	// Inputs without repeats, where MayBeShorter's bound decides.
	f.Add([]byte(`{"_flashes":[],"n":2,"user":"alice"}`))
	f.Add([]byte(`{"_flashes":[{" t":["message","hi"]}],"n":9}`))
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i * 7)
	}
	f.Add(all)
	f.Add(all[:40])
	f.Fuzz(func(t *testing.T, in []byte) {
		checkRoundTrip(t, in)
		// MayBeShorter's false is certain, and the fixed-point bound is
		// the floating-point one.
		for _, n := range []int{len(in) - 1, len(in)} {
			if got, want := MayBeShorter(in, n), mayBeShorterFloat(in, n); got != want {
				t.Fatalf("MayBeShorter(%q, %d) = %v, the floating-point bound says %v", in, n, got, want)
			}
			if !MayBeShorter(in, n) {
				if z := Compress(in); len(z) < n {
					t.Fatalf("MayBeShorter(%q, %d) = false, but it compresses to %d bytes", in, n, len(z))
				}
			}
		}
	})
}

// oracle is a Python process running compat/zlib_oracle.py.
type oracle struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *bufio.Reader
	version string
}

func startOracle(t testing.TB) *oracle {
	t.Helper()
	const py = "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		if os.Getenv("FLASKCOOKIE_REQUIRE_PYTHON") == "1" {
			t.Fatalf("FLASKCOOKIE_REQUIRE_PYTHON=1 but %s: %v", py, err)
		}
		t.Skipf("no %s: %v", py, err)
	}
	cmd := exec.Command(py, "../../compat/zlib_oracle.py")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	o := &oracle{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}
	t.Cleanup(func() { o.in.Close(); o.cmd.Wait() })
	if o.version, err = o.out.ReadString('\n'); err != nil {
		t.Fatalf("zlib oracle: %v", err)
	}
	o.version = strings.TrimSpace(o.version)
	return o
}

// send writes one batch; run it beside receive.
func (o *oracle) send(batch [][]byte) error {
	w := bufio.NewWriterSize(o.in, 1<<16)
	binary.Write(w, binary.LittleEndian, uint32(len(batch)))
	for _, b := range batch {
		binary.Write(w, binary.LittleEndian, uint32(len(b)))
		w.Write(b)
	}
	return w.Flush()
}

func (o *oracle) receive() ([]byte, error) {
	var n uint32
	if err := binary.Read(o.out, binary.LittleEndian, &n); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err := io.ReadFull(o.out, b)
	return b, err
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, s, err)
	}
	return n
}

// TestPythonDifferential compresses generated inputs here and in Python and
// requires identical bytes. FLASKCOOKIE_ZLIB_DIFF_N inputs (default 5000,
// 1000 with -short), from seed FLASKCOOKIE_ZLIB_DIFF_SEED (default 1), of
// 1 to FLASKCOOKIE_ZLIB_DIFF_MAX bytes (default 8192). A difference names
// the seed and index; FLASKCOOKIE_ZLIB_DIFF_ONLY=i replays input i alone.
// fuzz/run-zlib-diff.sh runs it for a long run.
func TestPythonDifferential(t *testing.T) {
	n := envInt(t, "FLASKCOOKIE_ZLIB_DIFF_N", 5000)
	if testing.Short() && os.Getenv("FLASKCOOKIE_ZLIB_DIFF_N") == "" {
		n = 1000
	}
	seed := uint64(envInt(t, "FLASKCOOKIE_ZLIB_DIFF_SEED", 1))
	maxLen := envInt(t, "FLASKCOOKIE_ZLIB_DIFF_MAX", 8192)
	first := 0
	if s := os.Getenv("FLASKCOOKIE_ZLIB_DIFF_ONLY"); s != "" {
		first = envInt(t, "FLASKCOOKIE_ZLIB_DIFF_ONLY", 0)
		n = 1
	}
	o := startOracle(t)
	t.Logf("against %s: %d inputs of 1..%d bytes, seed %d", o.version, n, maxLen, seed)

	const batchSize = 512
	start := time.Now()
	batches := make(chan [][]byte, 4)
	sendErr := make(chan error, 1)
	go func() {
		defer close(batches)
		for i := first; i < first+n; i += batchSize {
			var batch [][]byte
			for j := i; j < min(i+batchSize, first+n); j++ {
				batch = append(batch, genInput(seed, uint64(j), maxLen))
			}
			if err := o.send(batch); err != nil {
				sendErr <- err
				return
			}
			batches <- batch
		}
	}()
	diffs, total, i := 0, 0, first
	var dst []byte
	for batch := range batches {
		for _, in := range batch {
			want, err := o.receive()
			if err != nil {
				t.Fatalf("zlib oracle: %v", err)
			}
			dst = AppendCompress(dst[:0], in)
			total += len(in)
			if !bytes.Equal(dst, want) {
				diffs++
				if diffs <= 10 {
					t.Errorf("seed %d input %d (%d bytes): %d bytes, zlib.compress gives %d; replay with FLASKCOOKIE_ZLIB_DIFF_SEED=%d FLASKCOOKIE_ZLIB_DIFF_ONLY=%d",
						seed, i, len(in), len(dst), len(want), seed, i)
				}
			}
			i++
		}
	}
	select {
	case err := <-sendErr:
		t.Fatalf("zlib oracle: %v", err)
	default:
	}
	msg := fmt.Sprintf("%d inputs (%d bytes) compared with %s in %v: %d differences",
		i-first, total, o.version, time.Since(start).Round(time.Millisecond), diffs)
	t.Log(msg)
	if path := os.Getenv("FLASKCOOKIE_ZLIB_DIFF_REPORT"); path != "" {
		if err := os.WriteFile(path, []byte(msg+"\n"), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// TestMayBeShorter checks the bound against the real size: whenever it
// says no, Compress is at least that long.
func TestMayBeShorter(t *testing.T) {
	skipped := 0
	for i := uint64(0); i < 100000; i++ {
		in := genInput(77, i, 300)
		if len(in) > 300 {
			in = in[:1+int(i%300)]
		}
		for _, n := range []int{len(in) - 1, len(in)} {
			if !MayBeShorter(in, n) {
				skipped++
				if z := Compress(in); len(z) < n {
					t.Fatalf("MayBeShorter(%q, %d) = false, but it compresses to %d bytes", in, n, len(z))
				}
			}
		}
	}
	// Short texts over small alphabets: few repeats, where the bound works.
	r := rand.New(rand.NewPCG(14, 6))
	for i := 0; i < 100000; i++ {
		k := 2 + r.IntN(94)
		in := make([]byte, 3+r.IntN(100))
		for j := range in {
			in[j] = byte(33 + r.IntN(k))
		}
		if n := len(in) - 1; !MayBeShorter(in, n) {
			skipped++
			if z := Compress(in); len(z) < n {
				t.Fatalf("MayBeShorter(%q, %d) = false, but it compresses to %d bytes", in, n, len(z))
			}
		}
	}
	for _, s := range []string{`{"user_id":42}`, `{"_fresh":true}`, `{"_flashes":[],"n":2,"user":"alice"}`} {
		if MayBeShorter([]byte(s), len(s)-1) {
			t.Errorf("MayBeShorter(%s): true; no three bytes repeat and it cannot shrink", s)
		}
	}
	if skipped == 0 {
		t.Error("the bound never ruled anything out")
	}
	t.Logf("%d of 300000 ruled out", skipped)
}

// TestMayRepeat checks the repeat searches against a plain one:
// countRepeat exact up to smallInput bytes, with the counts of every byte
// when it finds none; mayRepeat never false on a real repeat.
func TestMayRepeat(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 7))
	counts := [2]int{}
	for i := 0; i < 200000; i++ {
		in := make([]byte, r.IntN(2*smallInput))
		k := 2 + r.IntN(254)
		for j := range in {
			in[j] = byte(r.IntN(k))
		}
		want := hasRepeat(in)
		if want && !mayRepeat(in) {
			t.Fatalf("mayRepeat(%q) = false, but three bytes repeat", in)
		}
		if len(in) < minMatch || len(in) > smallInput {
			continue
		}
		var freq [256]uint8
		var used [4]uint64
		if got := countRepeat(in, &freq, &used); got != want {
			t.Fatalf("countRepeat(%q) = %v, want %v", in, got, want)
		}
		counts[b2i(want)]++
		if want {
			continue
		}
		var wantFreq [256]uint8
		var wantUsed [4]uint64
		for _, c := range in {
			wantFreq[c]++
			wantUsed[c/64] |= 1 << (c % 64)
		}
		if freq != wantFreq || used != wantUsed {
			t.Fatalf("countRepeat(%q) counted %v, %x; want %v, %x", in, freq, used, wantFreq, wantUsed)
		}
	}
	if counts[0] < 1000 || counts[1] < 1000 {
		t.Errorf("short inputs without and with repeats: %v", counts)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
