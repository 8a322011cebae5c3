package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
	"github.com/flaskcookie/flaskcookie/py"
)

func runUnsign(e *env, args []string) error {
	fs := newFlagSet("unsign")
	var keys keyFlags
	keys.add(fs, false)
	wordlist := fs.String("wordlist", "", "")
	fs.StringVar(wordlist, "w", "", "")
	threads := fs.Int("threads", runtime.NumCPU(), "")
	format := fs.String("format", "text", "")
	prof := addProfile(fs)
	pos, err := parseArgs("unsign", fs, args)
	if err != nil {
		return err
	}
	if err := checkProfile("unsign", prof); err != nil {
		return err
	}
	switch *format {
	case "text", "python", "hex":
	default:
		return usagef("unsign", "unknown --format %q; use text (the default), python or hex", *format)
	}
	if *wordlist == "" {
		return usagef("unsign", "missing --wordlist FILE (one candidate key per line; - reads standard input)")
	}
	if *wordlist == "-" && len(pos) == 1 && pos[0] == "-" {
		return usagef("unsign", "the cookie and the wordlist cannot both come from standard input")
	}
	if *threads < 1 || *threads > 4096 {
		return usagef("unsign", "--threads wants a number from 1 to 4096, not %d", *threads)
	}
	var opts []itsdangerous.Option
	var other *otherConfig
	if prof.value == profFlask {
		opts, err = keys.signerOptions()
	} else {
		other, err = keys.otherConfig(prof.value)
	}
	if err != nil {
		return err
	}
	cookie, err := cookieArg(e, "unsign", pos, keys.cookieNames(prof.value), prof.value != profFlask)
	if err != nil {
		return err
	}
	if other != nil {
		alg := other.sigAlgorithm(cookie)
		if alg == "" {
			return unsignNoAlgorithm(other, cookie)
		}
		opts = other.testerOptions(alg)
	}
	mode := linesRaw
	if keys.literal {
		mode = linesLiteral
	}
	res, err := crackWordlist(e, "unsign", cookie, opts, *wordlist, *threads, mode)
	var nf *notFoundError
	if errors.As(err, &nf) && !prof.set {
		if hint := detectHint(cookie); hint != "" {
			return fmt.Errorf("%v%s", err, hint)
		}
	}
	if err != nil {
		return err
	}
	where := "standard input"
	if *wordlist != "-" {
		where = *wordlist
	}
	fmt.Fprintf(e.stderr, "flaskcookie unsign: found the secret key on line %d of %s, after %d guesses\n", res.line, where, res.tested)
	var out string
	switch {
	case *format == "hex":
		out = hex.EncodeToString(res.key)
	case *format == "text" && printable(res.key):
		out = string(res.key)
	case *format == "python" && utf8.Valid(res.key):
		out = py.Repr(string(res.key)) // a str, as SECRET_KEY is usually written
	default:
		out = py.Repr(res.key)
	}
	_, err = fmt.Fprintln(e.stdout, out)
	return err
}

// unsignNoAlgorithm explains why no key can be searched for: the
// signature fits no algorithm of the format.
func unsignNoAlgorithm(c *otherConfig, cookie string) error {
	if isJWS(c.prof) {
		if alg, _ := jwsHeaderAlg(cookie); alg == jws.None {
			return errors.New("the token is not signed (its header says \"alg\": \"none\"): there is no key to find")
		}
		return fmt.Errorf("malformed token: its header names the algorithm %s; itsdangerous signs with HS256, HS384 or HS512 (--digest)", quoteAlg(cookie))
	}
	n := sigSize(cookie, ':')
	if n < 0 {
		return errors.New("malformed token: a Django signed token is PAYLOAD:TIMESTAMP:SIGNATURE, the signature in URL-safe base64")
	}
	return fmt.Errorf("malformed token: a signature of %d bytes fits no digest Django signs with (--digest)", n)
}

// lineMode says how a wordlist line becomes a key.
type lineMode int

const (
	linesRaw     lineMode = iota // the bytes, without the line ending
	linesStrip                   // Flask-Unsign --no-literal-eval: bytes.strip()
	linesLiteral                 // Flask-Unsign's default: a Python literal
)

// crackResult is a key found in a wordlist.
type crackResult struct {
	key    []byte
	isStr  bool  // Python would hold the key as a str (literal mode)
	line   int64 // 1-based line number
	tested int64
}

// errNotFound is returned when no line of the wordlist is the key.
type notFoundError struct{ tested, skipped int64 }

func (n *notFoundError) Error() string {
	s := fmt.Sprintf("the secret key is not in the wordlist (%d keys tried)", n.tested)
	if n.skipped > 0 {
		s += fmt.Sprintf("; %d lines were literals of another type than str or bytes and were skipped", n.skipped)
	}
	return s
}

// crackWordlist opens the wordlist and searches it for the key of cookie.
func crackWordlist(e *env, cmd, cookie string, opts []itsdangerous.Option, path string, threads int, mode lineMode) (*crackResult, error) {
	kt, err := itsdangerous.NewKeyTester([]byte(cookie), opts...)
	if err != nil {
		return nil, fmt.Errorf("malformed cookie: %s", trimPkg(err))
	}
	var r io.Reader = e.stdin
	size := int64(-1)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usagef(cmd, "cannot read the wordlist: %v", err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
		r = f
	}
	c := &cracker{tester: kt, mode: mode, threads: threads}
	if e.stderrTTY {
		c.progress, c.size = e.stderr, size
	}
	res, err := c.run(r)
	if err != nil {
		var nf *notFoundError
		if errors.As(err, &nf) {
			return nil, err
		}
		return nil, usagef(cmd, "cannot read the wordlist: %v", err)
	}
	return res, nil
}

func trimPkg(err error) string {
	s := err.Error()
	const p = "itsdangerous: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// A cracker tests the lines of a wordlist on all cores. A reader splits
// the stream into batches of lines held in reused buffers; each worker has
// its own KeyTester.
type cracker struct {
	tester   *itsdangerous.KeyTester
	mode     lineMode
	threads  int
	progress io.Writer // progress lines go here, or nowhere when nil
	size     int64     // wordlist size in bytes, -1 if unknown

	read    atomic.Int64 // bytes read
	tested  atomic.Int64
	skipped atomic.Int64
	stop    atomic.Bool

	mu    sync.Mutex
	found *crackResult
}

type batch struct {
	data  []byte
	ends  []int // end offset of each line in data; -1 for a dropped line
	first int64 // line number of the first line
}

const (
	batchLines = 2048
	batchBytes = 128 << 10
	maxLine    = 1 << 20 // longer lines are skipped
)

func (c *cracker) run(r io.Reader) (*crackResult, error) {
	work := make(chan *batch, 2*c.threads)
	free := make(chan *batch, 4*c.threads)
	var wg sync.WaitGroup
	for i := 0; i < c.threads; i++ {
		kt := c.tester
		if i > 0 {
			kt = c.tester.Clone()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.work(kt, work, free)
		}()
	}
	stopProgress := c.startProgress()
	readErr := c.readBatches(r, work, free)
	close(work)
	wg.Wait()
	stopProgress()
	if c.found != nil {
		c.found.tested = c.tested.Load()
		return c.found, nil
	}
	if readErr != nil {
		return nil, readErr
	}
	return nil, &notFoundError{tested: c.tested.Load(), skipped: c.skipped.Load()}
}

// readBatches streams lines into batches until the end or a find.
func (c *cracker) readBatches(r io.Reader, work, free chan *batch) error {
	br := bufio.NewReaderSize(r, 256<<10)
	line := int64(1)
	skipping := false // inside a line longer than maxLine
	for !c.stop.Load() {
		var b *batch
		select {
		case b = <-free:
			b.data, b.ends = b.data[:0], b.ends[:0]
		default:
			b = &batch{data: make([]byte, 0, batchBytes+4096), ends: make([]int, 0, batchLines)}
		}
		b.first = line
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			c.read.Add(int64(len(chunk)))
			last := 0
			if len(b.ends) > 0 {
				last = b.ends[len(b.ends)-1]
			}
			if !skipping {
				b.data = append(b.data, chunk...)
			}
			if len(b.data)-last > maxLine {
				// No key is that long: drop the line.
				b.data, skipping = b.data[:last], true
			}
			if err == bufio.ErrBufferFull {
				continue // a long line: keep reading it
			}
			switch {
			case skipping:
				skipping = false
				c.skipped.Add(1)
				b.ends = append(b.ends, -1) // keeps the line numbers right
			case len(b.data) > last && b.data[len(b.data)-1] == '\n':
				b.data = b.data[:len(b.data)-1]
				b.ends = append(b.ends, len(b.data))
			case len(b.data) > last:
				b.ends = append(b.ends, len(b.data)) // a last line without '\n'
			}
			if err != nil || len(b.ends) >= batchLines || len(b.data) >= batchBytes {
				break
			}
		}
		line += int64(len(b.ends))
		if len(b.ends) > 0 {
			work <- b
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (c *cracker) work(kt *itsdangerous.KeyTester, work <-chan *batch, free chan<- *batch) {
	for b := range work {
		if c.stop.Load() {
			continue // drain
		}
		start, n := 0, 0
		for i, end := range b.ends {
			if end < 0 {
				continue // a line too long to be a key
			}
			raw := b.data[start:end]
			start = end
			key, isStr, ok := c.key(raw)
			if !ok {
				c.skipped.Add(1)
				continue
			}
			n++
			if kt.Test(key) {
				c.report(&crackResult{key: bytes.Clone(key), isStr: isStr, line: b.first + int64(i)})
				break
			}
		}
		c.tested.Add(int64(n))
		select {
		case free <- b:
		default:
		}
	}
}

// key turns a line into a candidate key.
func (c *cracker) key(raw []byte) (key []byte, isStr, ok bool) {
	switch c.mode {
	case linesStrip:
		return stripASCII(raw), false, true
	case linesLiteral:
		k, isStr, err := literalKey(raw)
		return k, isStr, err == nil
	}
	if n := len(raw); n > 0 && raw[n-1] == '\r' {
		raw = raw[:n-1]
	}
	return raw, false, true
}

func (c *cracker) report(r *crackResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.found == nil || r.line < c.found.line {
		c.found = r
	}
	c.stop.Store(true)
}

// startProgress shows the rate, count and (when the size is known)
// percentage and ETA every quarter second, until the returned function is
// called.
func (c *cracker) startProgress() func() {
	if c.progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		start := time.Now()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(c.progress, "\r\x1b[K")
				return
			case now := <-t.C:
				el := now.Sub(start).Seconds()
				n := c.tested.Load()
				rate := float64(n) / el
				s := fmt.Sprintf("\r\x1b[Ktried %s keys, %s/s", groupDigits(n), groupDigits(int64(rate)))
				if c.size > 0 {
					frac := float64(c.read.Load()) / float64(c.size)
					s += fmt.Sprintf(", %.1f%%", 100*frac)
					if frac > 0.001 {
						eta := time.Duration(el*(1-frac)/frac) * time.Second
						s += ", ETA " + eta.Round(time.Second).String()
					}
				}
				fmt.Fprint(c.progress, s)
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// groupDigits writes n with thousands separators.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
