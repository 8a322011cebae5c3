package audit

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// MaxLine is the longest wordlist line tested, in bytes without the line
// ending. No secret key is that long: longer lines are skipped and counted
// (Counters.TooLong).
const MaxLine = 1 << 20

// A Find is a secret found for a target.
type Find struct {
	// Target is the index of the target in the fleet.
	Target int
	// Scheme is the signing that verified.
	Scheme Scheme
	// Secret is the secret key (after the line function).
	Secret []byte
	// Raw is the wordlist line as read, without its line ending.
	Raw []byte
	// Line is the 1-based number of the line (or of the key in a list).
	Line int64
	// After is the time from the start of the search to the find.
	After time.Duration
}

// Counters count the work of a search as it runs; read them from another
// goroutine to show progress.
type Counters struct {
	Read    atomic.Int64 // bytes of the wordlist read
	Tested  atomic.Int64 // candidates tested
	Skipped atomic.Int64 // lines the line function refused
	TooLong atomic.Int64 // lines longer than MaxLine, skipped
}

// A SearchOption configures Search and SearchKeys.
type SearchOption func(*search)

type search struct {
	threads  int
	line     func([]byte) ([]byte, bool)
	counters *Counters
	onFind   func(Find)
	now      func() time.Time
	maxLine  int // MaxLine; smaller in tests
	bufSize  int // the reader's buffer
}

// WithThreads sets the number of goroutines testing candidates (default
// runtime.NumCPU(); n < 1 means the default).
func WithThreads(n int) SearchOption { return func(s *search) { s.threads = n } }

// WithLineFunc sets how a wordlist line (without its '\n') becomes a
// candidate secret; returning false skips the line (counted in
// Counters.Skipped). The default takes the bytes as they are, a final '\r'
// removed. The function must be safe for concurrent use and may return a
// slice of its argument.
func WithLineFunc(f func(line []byte) (secret []byte, ok bool)) SearchOption {
	return func(s *search) { s.line = f }
}

// WithCounters makes the search count its work in c.
func WithCounters(c *Counters) SearchOption { return func(s *search) { s.counters = c } }

// WithOnFind calls f for every find as it happens (from a worker
// goroutine, one call at a time).
func WithOnFind(f func(Find)) SearchOption { return func(s *search) { s.onFind = f } }

// WithSearchClock sets the clock that times finds (default time.Now).
func WithSearchClock(now func() time.Time) SearchOption { return func(s *search) { s.now = now } }

// rawLine is the default line function: the bytes, without a final '\r'.
func rawLine(b []byte) ([]byte, bool) {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b, true
}

// Search reads candidate secrets from r, one a line, and tests each against
// every target of the fleet not yet found, on all cores. It returns when
// every target is found, at the end of r, or when ctx is done (with
// ctx.Err()). The finds are sorted by target. Lines may hold any bytes (NUL,
// invalid UTF-8); lines longer than MaxLine are skipped; an empty line tests
// the empty secret.
func (f *Fleet) Search(ctx context.Context, r io.Reader, opts ...SearchOption) ([]Find, error) {
	s := newSearch(opts)
	br := bufio.NewReaderSize(r, s.bufSize)
	return s.run(ctx, f, func(b *batch) error {
		return s.readBatch(br, b)
	})
}

// SearchKeys tests the secrets keys (each as it is) against every target
// of the fleet, like Search.
func (f *Fleet) SearchKeys(ctx context.Context, keys [][]byte, opts ...SearchOption) ([]Find, error) {
	s := newSearch(opts)
	s.line = func(b []byte) ([]byte, bool) { return b, true }
	next := 0
	return s.run(ctx, f, func(b *batch) error {
		for next < len(keys) && len(b.lines) < batchLines {
			start := len(b.data)
			b.data = append(b.data, keys[next]...)
			b.lines = append(b.lines, span{start, len(b.data)})
			next++
		}
		if next == len(keys) {
			return io.EOF
		}
		return nil
	})
}

func newSearch(opts []SearchOption) *search {
	s := &search{line: rawLine, now: time.Now, maxLine: MaxLine, bufSize: 256 << 10}
	for _, o := range opts {
		o(s)
	}
	if s.threads < 1 {
		s.threads = runtime.NumCPU()
	}
	if s.counters == nil {
		s.counters = new(Counters)
	}
	if s.line == nil {
		s.line = rawLine
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// A batch is lines held in one reused buffer.
type batch struct {
	data  []byte
	lines []span
	first int64 // number of the first line
}

// span locates a line in batch.data; start < 0 marks a line too long.
type span struct{ start, end int }

const (
	batchLines = 2048
	batchBytes = 128 << 10
)

// readBatch fills b with lines from br; it returns io.EOF at the end.
func (s *search) readBatch(br *bufio.Reader, b *batch) error {
	skipping, inLine := false, false
	start := len(b.data)
	for {
		chunk, err := br.ReadSlice('\n')
		s.counters.Read.Add(int64(len(chunk)))
		if len(chunk) > 0 {
			inLine = true
		}
		if !skipping {
			b.data = append(b.data, chunk...)
			n := len(b.data) - start
			if err == nil {
				n-- // the '\n'
			}
			if n > s.maxLine {
				b.data, skipping = b.data[:start], true // no key is that long
			}
		}
		if err == bufio.ErrBufferFull {
			continue // a long line: read on
		}
		if inLine {
			if skipping {
				s.counters.TooLong.Add(1)
				b.lines = append(b.lines, span{-1, -1}) // keeps the line numbers right
			} else {
				end := len(b.data)
				if end > start && b.data[end-1] == '\n' {
					end--
				}
				b.lines = append(b.lines, span{start, end})
			}
		}
		skipping, inLine = false, false
		start = len(b.data)
		if err != nil {
			return err
		}
		if len(b.lines) >= batchLines || len(b.data) >= batchBytes {
			return nil
		}
	}
}

// run feeds batches from fill to the workers.
func (s *search) run(ctx context.Context, f *Fleet, fill func(*batch) error) ([]Find, error) {
	start := s.now()
	work := make(chan *batch, 2*s.threads)
	free := make(chan *batch, 4*s.threads)
	var stop atomic.Bool
	var mu sync.Mutex
	var finds []Find
	var wg sync.WaitGroup
	for i := 0; i < s.threads; i++ {
		fl := f
		if i > 0 {
			fl = f.Clone()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				if !stop.Load() {
					s.test(fl, b, &stop, func(fd Find) {
						fd.After = s.now().Sub(start)
						mu.Lock()
						finds = append(finds, fd)
						if s.onFind != nil {
							s.onFind(fd)
						}
						mu.Unlock()
					})
				}
				select {
				case free <- b:
				default:
				}
			}
		}()
	}
	line := int64(1)
	var err error
	if f.Left() == 0 {
		stop.Store(true)
	}
	for !stop.Load() {
		if e := ctx.Err(); e != nil {
			err = e
			break
		}
		var b *batch
		select {
		case b = <-free:
			b.data, b.lines = b.data[:0], b.lines[:0]
		default:
			b = &batch{data: make([]byte, 0, batchBytes+4096), lines: make([]span, 0, batchLines)}
		}
		b.first = line
		e := fill(b)
		line += int64(len(b.lines))
		if len(b.lines) > 0 {
			work <- b
		}
		if e == io.EOF {
			break
		}
		if e != nil {
			err = e
			break
		}
	}
	close(work)
	wg.Wait()
	sortFinds(finds)
	if err == nil {
		err = ctx.Err()
	}
	return finds, err
}

// test tests the lines of b against fl, a chunk of keys at a time
// (Fleet.TestBatch). The keys are copied out of the line function's result,
// which may reuse its buffer.
func (s *search) test(fl *Fleet, b *batch, stop *atomic.Bool, report func(Find)) {
	const chunk = 64
	var (
		keys  [chunk][]byte
		spans [chunk]span // each key in data
		lines [chunk]int  // each key's index in b.lines
		data  []byte
		k     int
		n     int64
	)
	flush := func() {
		for j := range k {
			keys[j] = data[spans[j].start:spans[j].end]
		}
		fl.TestBatch(keys[:k], func(i, target int, sc Scheme) {
			sp := b.lines[lines[i]]
			report(Find{Target: target, Scheme: sc, Secret: bytes.Clone(keys[i]), Raw: bytes.Clone(b.data[sp.start:sp.end]), Line: b.first + int64(lines[i])})
		})
		k, data = 0, data[:0]
	}
	for i, sp := range b.lines {
		if sp.start < 0 {
			continue
		}
		key, ok := s.line(b.data[sp.start:sp.end])
		if !ok {
			s.counters.Skipped.Add(1)
			continue
		}
		n++
		start := len(data)
		data = append(data, key...)
		spans[k], lines[k] = span{start, len(data)}, i
		if k++; k == chunk {
			flush()
			if fl.Left() == 0 {
				break
			}
		}
	}
	if k > 0 && fl.Left() > 0 {
		flush()
	}
	if fl.Left() == 0 {
		stop.Store(true)
	}
	s.counters.Tested.Add(n)
}

func sortFinds(f []Find) {
	sort.SliceStable(f, func(i, j int) bool { return f[i].Target < f[j].Target })
}
