// Command loadtest is a bounded load run of the session middleware over
// loopback: K workers send requests for at most N requests or T seconds,
// whichever comes first, and it prints requests per second, latency
// percentiles and the error count.
//
// By default it starts its own server on 127.0.0.1 and runs twice: once
// through the session middleware (each request carries a Flask session
// cookie, the handler reads the user and counts the visit, so the session
// is loaded, changed and saved with a fresh Set-Cookie every time), and
// once against the same handler without sessions, as the baseline:
//
//	go run ./examples/migrate/loadtest -n 20000 -t 10s -c 8
//
// With -url it loads an already running server instead (the migration
// example, say); the address must be a literal loopback IP address, and any cookie is
// sent as given with -cookie:
//
//	go run ./examples/migrate/loadtest -url http://127.0.0.1:8000/go/profile
//
// A request counts as an error when it fails, when the status is not 200,
// or (for the built-in session server) when the response lacks the new
// cookie.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/session"
)

// Upper bounds, whatever the flags say.
const (
	maxRequests = 1_000_000
	maxDuration = 2 * time.Minute
	maxWorkers  = 256
)

func main() {
	n := flag.Int("n", 20000, "stop after this many requests")
	d := flag.Duration("t", 10*time.Second, "stop after this long")
	k := flag.Int("c", 8, "concurrent workers")
	target := flag.String("url", "", "loopback URL to load (default: a built-in server)")
	cookie := flag.String("cookie", "", "Cookie header to send with -url")
	flag.Parse()
	if *n <= 0 || *n > maxRequests || *d <= 0 || *d > maxDuration || *k <= 0 || *k > maxWorkers {
		log.Fatalf("loadtest: want 0 < n <= %d, 0 < t <= %v, 0 < c <= %d", maxRequests, maxDuration, maxWorkers)
	}
	if *target != "" {
		if err := checkLoopback(*target); err != nil {
			log.Fatal(err)
		}
		r := run(*target, *cookie, *n, *d, *k, nil)
		r.print(os.Stdout, *target)
		return
	}
	withSession, bare, cookieHeader, err := builtin()
	if err != nil {
		log.Fatal(err)
	}
	defer withSession.Close()
	defer bare.Close()
	check := func(res *http.Response) error {
		if len(res.Header.Values("Set-Cookie")) != 1 {
			return errors.New("no Set-Cookie")
		}
		return nil
	}
	fmt.Printf("loadtest: %d workers, at most %d requests or %v per run, %s\n", *k, *n, *d, withSession.URL)
	s := run(withSession.URL, cookieHeader, *n, *d, *k, check)
	s.print(os.Stdout, "session middleware (load + change + save)")
	b := run(bare.URL, "", *n, *d, *k, nil)
	b.print(os.Stdout, "bare handler (baseline)")
	if b.rps > 0 {
		fmt.Printf("  throughput ratio session/bare: %.2f\n", s.rps/b.rps)
	}
	if s.errors+b.errors > 0 {
		os.Exit(1)
	}
}

// checkLoopback refuses any URL whose host is not a loopback address.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("loadtest: %w", err)
	}
	if u.Scheme != "http" {
		return fmt.Errorf("loadtest: %s: only http:// on loopback", raw)
	}
	// A literal address only: a name could resolve elsewhere.
	host := u.Hostname()
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("loadtest: %s is not a loopback IP address (use 127.0.0.1 or ::1)", host)
	}
	return nil
}

// builtin starts the two servers of the default run on 127.0.0.1 and
// returns the session cookie the workers send.
func builtin() (withSession, bare *httptest.Server, cookie string, err error) {
	c, err := codec.New([]byte("loadtest-secret"))
	if err != nil {
		return nil, nil, "", err
	}
	m, err := session.New(c)
	if err != nil {
		return nil, nil, "", err
	}
	value, err := c.Encode(map[string]any{"user": "alice", "n": 1})
	if err != nil {
		return nil, nil, "", err
	}
	handler := func(w http.ResponseWriter, r *http.Request) {
		user := "alice"
		if s := session.FromRequest(r); s != nil {
			u, _ := s.Get("user")
			user, _ = u.(string)
			n, _ := s.Get("n")
			i, _ := n.(int64)
			s.Set("n", i+1)
		}
		io.WriteString(w, "hello "+user)
	}
	withSession = httptest.NewServer(m.Handler(http.HandlerFunc(handler)))
	bare = httptest.NewServer(http.HandlerFunc(handler))
	return withSession, bare, "session=" + value, nil
}

type result struct {
	requests  int
	errors    int
	firstErr  string
	elapsed   time.Duration
	rps       float64
	latencies []time.Duration
}

// run sends requests to target with cookie from k workers until n
// requests are done or d has passed.
func run(target, cookie string, n int, d time.Duration, k int, check func(*http.Response) error) result {
	tr := &http.Transport{MaxIdleConnsPerHost: k, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var issued atomic.Int64
	deadline := time.Now().Add(d)
	var mu sync.Mutex
	var res result
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < k; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var errs int
			var first string
			for issued.Add(1) <= int64(n) && time.Now().Before(deadline) {
				t0 := time.Now()
				err := one(client, target, cookie, check)
				lat = append(lat, time.Since(t0))
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.errors += errs
			if res.firstErr == "" {
				res.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.requests = len(res.latencies)
	res.rps = float64(res.requests) / res.elapsed.Seconds()
	return res
}

func one(client *http.Client, target, cookie string, check func(*http.Response) error) error {
	req, err := http.NewRequest("GET", target, nil)
	if err != nil {
		return err
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", res.Status)
	}
	if check != nil {
		return check(res)
	}
	return nil
}

func (r result) print(w io.Writer, name string) {
	sort.Slice(r.latencies, func(i, j int) bool { return r.latencies[i] < r.latencies[j] })
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		i := int(p / 100 * float64(len(r.latencies)-1))
		return r.latencies[i]
	}
	fmt.Fprintf(w, "%s\n  %d requests in %v: %.0f requests/s, %d errors\n", name, r.requests, r.elapsed.Round(time.Millisecond), r.rps, r.errors)
	fmt.Fprintf(w, "  latency p50 %v  p90 %v  p99 %v  max %v\n", pct(50), pct(90), pct(99), pct(100))
	if r.firstErr != "" {
		fmt.Fprintf(w, "  first error: %s\n", strings.TrimSpace(r.firstErr))
	}
}
