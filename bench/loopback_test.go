package bench

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/bench/internal/stats"
	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/session"
)

var (
	loopbackConns = flag.Int("loopback.conns", 8, "BenchmarkLoopback: concurrent keep-alive connections")
	loopbackRound = flag.Duration("loopback.round", 100*time.Millisecond, "BenchmarkLoopback: length of one round")
)

// The endpoints of the loopback server. Their paths have the same length,
// so that every request carries as many bytes.
const (
	pathBare = "/bare" // the handler alone
	pathRead = "/read" // the middleware around a handler that reads the session
	pathCold = "/cold" // the same with the Manager's decode cache off
	pathSave = "/save" // the middleware around a handler that reads, changes and saves it
	// the bare handler adding Vary: Cookie itself, the one header the
	// middleware adds to a response whose session was read
	pathVary = "/vary"
	// the bare handler behind shell, the least a middleware of
	// session.Manager's shape does: see shell
	pathShell = "/shel"
	// the bare handler and the read-only middleware with a handler that
	// sets its Content-Type, as most handlers do: the same bytes on the
	// wire as net/http's sniffing gives the others
	pathBareTyped = "/btyp"
	pathReadTyped = "/rtyp"
)

// An endpoint is a path of the loopback server and the name its metrics
// carry.
type endpoint struct{ path, name string }

// loopbackEndpoints are BenchmarkLoopback's endpoints in the order of a
// round.
var loopbackEndpoints = []endpoint{
	{pathBare, "bare"}, {pathRead, "read"}, {pathCold, "cold"}, {pathSave, "save"},
}

// floorEndpoints are BenchmarkLoopbackFloors'.
var floorEndpoints = []endpoint{{pathBare, "bare"}, {pathVary, "vary"}, {pathShell, "shell"}, {pathRead, "read"}}

// typedEndpoints are BenchmarkTypedLoopback's.
var typedEndpoints = []endpoint{{pathBareTyped, "bare"}, {pathReadTyped, "read"}}

// textPlain is the Content-Type that net/http sniffs for loopbackBody,
// which the typed handlers set themselves.
var textPlain = []string{"text/plain; charset=utf-8"}

// noVary reports whether the response to path has no Vary header: the
// bare handlers' responses.
func noVary(path string) bool { return path == pathBare || path == pathBareTyped }

// varyCookie is the value of the Vary header that pathVary's handler sets.
// net/http copies the header map's values when the response starts, so
// the slice is never changed.
var varyCookie = []string{"Cookie"}

// The body every endpoint answers with: the user_id of the session (the
// bare handler has none and writes the same bytes).
const loopbackBody = "42"

// loopbackServer is a real net/http server on 127.0.0.1 serving the
// endpoints with session.Managers of the benchmarks' key, and the cookie
// of a small session ({"user_id": 42}) that it accepts.
type loopbackServer struct {
	addr   string
	cookie string // the Cookie header's value: session=...
	codec  *codec.Codec
}

// startLoopback starts the server on an ephemeral port; it stops when the
// test ends. The manager's codec uses serverKey, the client's cookie is
// signed with secret: a different serverKey makes every session fail to
// load, which the client must notice.
func startLoopback(tb testing.TB, serverKey string) *loopbackServer {
	tb.Helper()
	client, err := codec.New([]byte(secret))
	if err != nil {
		tb.Fatal(err)
	}
	value, err := client.Encode(small())
	if err != nil {
		tb.Fatal(err)
	}
	c, err := codec.New([]byte(serverKey))
	if err != nil {
		tb.Fatal(err)
	}
	m, err := session.New(c)
	if err != nil {
		tb.Fatal(err)
	}
	// A browser sends the same cookie until the session changes, as the
	// load generator does, and m's decode cache (on by default) then
	// spares the decoding; mCold decodes every time, as for a cookie the
	// Manager has not seen.
	mCold, err := session.New(c, session.WithDecodeCache(0))
	if err != nil {
		tb.Fatal(err)
	}
	userID := func(w http.ResponseWriter, r *http.Request) (*session.Session, bool) {
		s := session.FromRequest(r)
		v, _ := s.Get("user_id")
		id, ok := v.(int64)
		if !ok {
			http.Error(w, "no session", http.StatusInternalServerError)
			return nil, false
		}
		_, _ = io.WriteString(w, strconv.FormatInt(id, 10))
		return s, true
	}
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, loopbackBody)
	})
	vary := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// As the middleware adds it: no slice allocated per request.
		w.Header()["Vary"] = varyCookie
		_, _ = io.WriteString(w, loopbackBody)
	})
	reader := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID(w, r)
	})
	read, cold := m.Handler(reader), mCold.Handler(reader)
	shelled := shell(bare)
	// typed is h setting its Content-Type first.
	typed := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = textPlain
			h(w, r)
		}
	}
	bareTyped, readTyped := typed(bare), m.Handler(typed(reader))
	save := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s, ok := userID(w, r); ok {
			n, _ := s.Get("visits")
			i, _ := n.(int64)
			s.Set("visits", i+1)
		}
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case pathBare:
			bare.ServeHTTP(w, r)
		case pathRead:
			read.ServeHTTP(w, r)
		case pathCold:
			cold.ServeHTTP(w, r)
		case pathSave:
			save.ServeHTTP(w, r)
		case pathVary:
			vary.ServeHTTP(w, r)
		case pathShell:
			shelled.ServeHTTP(w, r)
		case pathBareTyped:
			bareTyped.ServeHTTP(w, r)
		case pathReadTyped:
			readTyped.ServeHTTP(w, r)
		default:
			http.NotFound(w, r)
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return &loopbackServer{addr: ln.Addr().String(), cookie: m.CookieName() + "=" + value, codec: client}
}

// loopbackConn is one keep-alive HTTP/1.1 connection of the load
// generator. It writes prepared requests and reads the responses with a
// small parser of its own, much cheaper than net/http's client, so that
// on a machine of few cores most of the CPU goes to the server being
// measured; the parser refuses any response it does not fully check.
type loopbackConn struct {
	c      net.Conn
	r      *bufio.Reader
	reqs   map[string][]byte // path -> the request's bytes
	body   []byte
	cookie []byte // the last Set-Cookie value received
}

func (s *loopbackServer) dial() (*loopbackConn, error) {
	c, err := net.Dial("tcp", s.addr)
	if err != nil {
		return nil, err
	}
	k := &loopbackConn{c: c, r: bufio.NewReaderSize(c, 4096), reqs: map[string][]byte{}}
	for _, p := range []string{pathBare, pathRead, pathCold, pathSave, pathVary, pathShell, pathBareTyped, pathReadTyped} {
		k.reqs[p] = fmt.Appendf(nil, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: flaskcookie-bench\r\nCookie: %s\r\n\r\n", p, s.addr, s.cookie)
	}
	return k, nil
}

var errResponse = errors.New("loopback: unexpected response")

// do sends one request for path and checks its response: status 200, the
// body loopbackBody, Vary: Cookie from the middleware and a Set-Cookie
// exactly when the session was saved (path pathSave). The middleware's
// handlers answer 500 when the session did not load, so a session that
// fails to decode fails here.
func (k *loopbackConn) do(path string) error {
	req, ok := k.reqs[path]
	if !ok {
		return fmt.Errorf("%w: no request for %s", errResponse, path)
	}
	if _, err := k.c.Write(req); err != nil {
		return err
	}
	line, err := k.r.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
		return fmt.Errorf("%w: %s: status %q", errResponse, path, bytes.TrimSpace(line))
	}
	length, vary, setCookie, typed := -1, false, false, false
	for {
		line, err = k.r.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return fmt.Errorf("%w: %s: header line %q", errResponse, path, line)
		}
		value = bytes.TrimSpace(value)
		switch string(name) {
		case "Content-Length":
			if length, err = strconv.Atoi(string(value)); err != nil {
				return fmt.Errorf("%w: %s: Content-Length %q", errResponse, path, value)
			}
		case "Transfer-Encoding":
			return fmt.Errorf("%w: %s: Transfer-Encoding %q", errResponse, path, value)
		case "Content-Type":
			typed = string(value) == textPlain[0]
		case "Vary":
			vary = string(value) == "Cookie"
		case "Set-Cookie":
			setCookie = true
			k.cookie = append(k.cookie[:0], value...)
		}
	}
	if length != len(loopbackBody) {
		return fmt.Errorf("%w: %s: Content-Length %d", errResponse, path, length)
	}
	k.body = slices.Grow(k.body[:0], length)[:length]
	if _, err := io.ReadFull(k.r, k.body); err != nil {
		return err
	}
	if string(k.body) != loopbackBody {
		return fmt.Errorf("%w: %s: body %q", errResponse, path, k.body)
	}
	if vary == noVary(path) || setCookie != (path == pathSave) || !typed {
		return fmt.Errorf("%w: %s: Vary: Cookie %v, Set-Cookie %v, Content-Type %s %v", errResponse, path, vary, setCookie, textPlain[0], typed)
	}
	return nil
}

// checkSaved decodes the last cookie the server set: the session it saved
// must hold the user and the visit the handler counted.
func (k *loopbackConn) checkSaved(c *codec.Codec) error {
	name, rest, _ := bytes.Cut(k.cookie, []byte("="))
	value, _, _ := bytes.Cut(rest, []byte(";"))
	var s map[string]any
	if _, err := c.Decode(string(value), &s); err != nil || string(name) != session.DefaultCookieName {
		return fmt.Errorf("%w: saved cookie %q: %v", errResponse, k.cookie, err)
	}
	if s["user_id"] != int64(42) || s["visits"] != int64(1) {
		return fmt.Errorf("%w: saved session %v", errResponse, s)
	}
	return nil
}

// loopbackRun sends requests for path on every connection at once, each
// as soon as the previous answer is read, until d has passed. It returns
// the requests answered per second (the requests in flight when d ends are
// waited for and counted) and the CPU time the whole process (server and
// load generator) spent per request, 0 where that is unknown.
func loopbackRun(conns []*loopbackConn, path string, d time.Duration, c *codec.Codec) (perSecond, cpuPerRequest float64, err error) {
	var stop atomic.Bool
	var wg sync.WaitGroup
	counts := make([]int, len(conns))
	errs := make([]error, len(conns))
	cpu0 := processCPU()
	t0 := time.Now()
	for i, k := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				if err := k.do(path); err != nil {
					errs[i] = err
					return
				}
				counts[i]++
			}
		}()
	}
	time.Sleep(d)
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(t0)
	cpu := processCPU() - cpu0
	total := 0
	for i, k := range conns {
		if errs[i] != nil {
			return 0, 0, errs[i]
		}
		if path == pathSave {
			if err := k.checkSaved(c); err != nil {
				return 0, 0, err
			}
		}
		total += counts[i]
	}
	if total == 0 {
		return 0, 0, fmt.Errorf("%w: no request answered in %v", errResponse, elapsed)
	}
	return float64(total) / elapsed.Seconds(), float64(cpu) / float64(total), nil
}

func dialAll(tb testing.TB, s *loopbackServer, n int) []*loopbackConn {
	conns := make([]*loopbackConn, n)
	for i := range conns {
		k, err := s.dial()
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = k.c.Close() })
		conns[i] = k
	}
	return conns
}

// TestLoopback runs one short round of each endpoint, checking every
// response, and checks that the load generator fails when the server
// cannot load the session (signed with another key): a session that does
// not decode never passes for a fast one. It asserts no timing.
func TestLoopback(t *testing.T) {
	s := startLoopback(t, secret)
	conns := dialAll(t, s, 2)
	for _, e := range append(loopbackEndpoints, floorEndpoints[1], floorEndpoints[2], typedEndpoints[0], typedEndpoints[1]) {
		if _, _, err := loopbackRun(conns, e.path, 20*time.Millisecond, s.codec); err != nil {
			t.Errorf("%s: %v", e.path, err)
		}
	}

	wrong := startLoopback(t, "another-secret")
	conns = dialAll(t, wrong, 1)
	if _, _, err := loopbackRun(conns, pathBare, 10*time.Millisecond, s.codec); err != nil {
		t.Errorf("bare handler with another key: %v", err)
	}
	for _, p := range []string{pathRead, pathCold, pathSave} {
		conns = dialAll(t, wrong, 1)
		if _, _, err := loopbackRun(conns, p, 10*time.Millisecond, s.codec); !errors.Is(err, errResponse) {
			t.Errorf("%s with another key: got %v, want %v", p, err, errResponse)
		}
	}
}

// BenchmarkLoopback is issue 14's load run: a real net/http server on
// 127.0.0.1 (an ephemeral port) and, in the same process, a load generator
// holding -loopback.conns keep-alive HTTP/1.1 connections (8 by default),
// each sending its next request, with the same small session cookie, as
// soon as the previous answer is read. The same handler is served bare
// (bare), behind session.Manager's middleware reading the session (read,
// as package session's BenchmarkMiddlewareReadOnly, with the Manager's
// decode cache on, as by default: a browser sends the same cookie until
// the session changes), the same with the cache off (cold: every request
// verifies and decodes the cookie, as for a cookie the Manager has not
// seen, BenchmarkMiddlewareReadOnlyNoCache), and behind the middleware
// reading, changing and saving the session (save, as BenchmarkMiddleware).
// Every response is checked (status, body, Vary and Set-Cookie; a handler
// that finds no session answers 500), and the last cookie saved on each
// connection is decoded after each round.
//
// Each b.N iteration runs a round of -loopback.round (100 ms) of each
// endpoint, in the order bare-read-cold-save and then save-cold-read-bare,
// so that drift and other work on the machine hit them alike. It reports
// loopback-ratio (read), loopback-cold-ratio and loopback-save-ratio: the
// median, over the iterations, of a round's requests per second divided
// by those of the bare round run beside it. Other work on a shared machine
// comes and goes within seconds; a ratio of rounds run side by side
// cancels what hits both, and the median drops the pairs it hit unevenly.
// Two cross-checks are reported: the ratio of the fastest round of each
// (loopback-ratio-fastest, ...), which swings more, since one lucky round
// moves it and it pairs rounds run seconds apart (0.52 to 0.99 for the
// read-only ratio over runs where the median stayed within 0.72 to 0.83);
// and the bare round's CPU time per request (user and system, the whole
// process) over the middleware round's (loopback-cpu-ratio, ...), which
// other processes hardly move and which agrees with the throughput ratio
// when the process keeps both cores busy. bare-req/s, read-req/s,
// cold-req/s and save-req/s are the fastest rounds'.
//
// The load generator shares the 2 cores of the project's machine with the
// server and takes a fair share of them (a system call to write each
// request and one or two to read the answer, about a quarter of the
// process's CPU in profiles, with a response parser much cheaper than
// net/http's client). That dilutes the middleware's share of the cost of
// a request: the ratio is the throughput a client in the same machine
// sees, not the server's cost alone (package session's benchmarks measure
// the middleware without a network); a heavier client (net/http's) would
// dilute it more and flatter the middleware. 8 connections keep both
// cores busy: each connection waits for its answer, and with 4 the server
// idled (about 25,000 bare requests/s against 44,000 with 8), while 16
// gave little more throughput (45,000 to 57,000) and noisier ratios, more
// goroutines competing for 2 cores.
func BenchmarkLoopback(b *testing.B) { benchLoopback(b, loopbackEndpoints) }

// BenchmarkLoopbackFloors is BenchmarkLoopback's run for the bare
// handler, two floors of the read-only middleware, and the middleware
// reading the session (read), in the same rounds:
//
//   - vary: the bare handler setting Vary: Cookie itself. It answers
//     with the bytes the middleware's responses carry, and it measures
//     what that one header costs a handler that sets none: in net/http
//     (the header map it then fills and copies when the response starts)
//     and in the load generator. No session middleware can avoid it:
//     Flask's rules send Vary: Cookie whenever the session is read.
//   - shell: the bare handler behind shell, the least a net/http
//     middleware of session.Manager's shape does without reading a
//     cookie: one allocation holding the copy of the request whose
//     context carries a value and the wrapper of the response writer,
//     which adds Vary: Cookie when the response starts.
//
// Their ratios (loopback-vary-ratio, loopback-shell-ratio, with their
// cpu-ratio cross-checks) are ceilings of read's (loopback-ratio): what
// remains between shell and read is the session's own work (finding the
// cookie, the decode cache, holding the response back until it is saved).
// loopback-read-vary-ratio (and loopback-read-vary-cpu-ratio) compares
// read with vary, round by round: the middleware against a handler whose
// responses carry the same bytes.
// bench/run.sh runs it (its name matches Loopback) and bench/ratios
// reports it under BenchmarkLoopback's rows.
func BenchmarkLoopbackFloors(b *testing.B) { benchLoopback(b, floorEndpoints) }

// BenchmarkTypedLoopback is BenchmarkLoopback's read-only comparison with
// a handler that sets its own Content-Type, as most handlers do, bare and
// behind the middleware. Such a handler already fills the header map that
// net/http copies when the response starts, so the middleware's Vary adds
// one value to it rather than the copy itself. The responses carry the
// same bytes as BenchmarkLoopback's, whose bare handler lets net/http
// sniff the same Content-Type. bench/run.sh runs it (its name matches
// Loopback) and bench/ratios reports it beside BenchmarkLoopback's row.
func BenchmarkTypedLoopback(b *testing.B) { benchLoopback(b, typedEndpoints) }

// benchLoopback runs the rounds of the endpoints, the first of which is
// the bare handler that the others are compared with.
func benchLoopback(b *testing.B, endpoints []endpoint) {
	s := startLoopback(b, secret)
	conns := dialAll(b, s, *loopbackConns)
	type round struct{ rate, cpu float64 }
	run := func(path string, d time.Duration) round {
		runtime.GC() // the previous round's garbage is not this one's cost
		rate, cpu, err := loopbackRun(conns, path, d, s.codec)
		if err != nil {
			b.Fatal(err)
		}
		return round{rate, cpu}
	}
	n := len(endpoints)
	for _, e := range endpoints { // warm up connections, pools and caches
		run(e.path, *loopbackRound/2)
	}
	// With both vary and read among the endpoints, read is also compared
	// with vary, the handler that answers with the same bytes.
	iVary, iRead := -1, -1
	for j, e := range endpoints {
		switch e.name {
		case "vary":
			iVary = j
		case "read":
			iRead = j
		}
	}
	var sameBytes, sameBytesCPU []float64 // read / vary
	best := make([]float64, n)
	ratios := make([][]float64, n)    // throughput / the bare round's
	cpuRatios := make([][]float64, n) // the bare round's CPU per request / this one's
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rounds := make([]round, n)
		for j := range endpoints {
			if i%2 == 1 {
				j = n - 1 - j
			}
			rounds[j] = run(endpoints[j].path, *loopbackRound)
			best[j] = max(best[j], rounds[j].rate)
		}
		for j := 1; j < n; j++ {
			ratios[j] = append(ratios[j], rounds[j].rate/rounds[0].rate)
			if rounds[j].cpu > 0 {
				cpuRatios[j] = append(cpuRatios[j], rounds[0].cpu/rounds[j].cpu)
			}
		}
		if iVary >= 0 && iRead >= 0 {
			sameBytes = append(sameBytes, rounds[iRead].rate/rounds[iVary].rate)
			if rounds[iRead].cpu > 0 {
				sameBytesCPU = append(sameBytesCPU, rounds[iVary].cpu/rounds[iRead].cpu)
			}
		}
	}
	b.StopTimer()
	for j, e := range endpoints {
		b.ReportMetric(best[j], e.name+"-req/s")
		if j == 0 {
			continue
		}
		prefix := "loopback-" // loopback-ratio is the read-only one
		if e.name != "read" {
			prefix += e.name + "-"
		}
		b.ReportMetric(stats.Median(ratios[j]), prefix+"ratio")
		b.ReportMetric(best[j]/best[0], prefix+"ratio-fastest")
		if len(cpuRatios[j]) > 0 {
			b.ReportMetric(stats.Median(cpuRatios[j]), prefix+"cpu-ratio")
		}
	}
	if len(sameBytes) > 0 {
		b.ReportMetric(stats.Median(sameBytes), "loopback-read-vary-ratio")
	}
	if len(sameBytesCPU) > 0 {
		b.ReportMetric(stats.Median(sameBytesCPU), "loopback-read-vary-cpu-ratio")
	}
}
