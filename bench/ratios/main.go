// Command ratios reads `go test -bench` output (of bench/ and of package
// session) on standard input and prints issue 14's table: each operation as
// a ratio to its baseline from the same run, with the goal and the machine.
// Of repeated runs (-count) it keeps the fastest of each benchmark, the one
// least disturbed by other work on the machine; of BenchmarkLoopback's
// ratios, the median of the runs.
//
// A row that lacks a figure says "not measured" and why: the reason a
// benchmark gave for skipping (go test -v prints it), or that it did not
// run.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/flaskcookie/flaskcookie/bench/internal/stats"
)

type result struct {
	ns     float64
	allocs float64
	seen   bool
}

var (
	line   = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:.*?\s([\d.]+) allocs/op)?`)
	metric = regexp.MustCompile(`([\d.]+) ([a-z0-9-]+)-ns/op`)
	// BenchmarkLoopback's metrics.
	loopback = regexp.MustCompile(`([\d.]+) ((?:bare|read|cold|save|vary|shell)-req/s|loopback-[a-z-]+)`)
	// go test -v: a benchmark's log line, and its skipping.
	logLine = regexp.MustCompile(`^\s+\S+\.go:\d+: (.*)$`)
	skip    = regexp.MustCompile(`^--- SKIP: Benchmark(\S+)`)
)

func main() {
	res := map[string]*result{}
	loop := map[string][]float64{}   // BenchmarkLoopback's metrics, one per run
	typed := map[string][]float64{}  // BenchmarkTypedLoopback's
	floors := map[string][]float64{} // BenchmarkLoopbackFloors'
	skipped := map[string]string{}   // benchmark -> why it skipped
	var lastLog, peers string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if m := logLine.FindStringSubmatch(sc.Text()); m != nil {
			lastLog = m[1]
			if v, ok := strings.CutPrefix(lastLog, "peers: "); ok {
				peers = v
			}
			continue
		}
		if m := skip.FindStringSubmatch(sc.Text()); m != nil {
			skipped[m[1]] = lastLog
			continue
		}
		if into := loopbackRun(sc.Text(), loop, typed, floors); into != nil {
			for _, mm := range loopback.FindAllStringSubmatch(sc.Text(), -1) {
				v, _ := strconv.ParseFloat(mm[1], 64)
				into[mm[2]] = append(into[mm[2]], v)
			}
			continue
		}
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		ns, _ := strconv.ParseFloat(m[2], 64)
		allocs, _ := strconv.ParseFloat(m[3], 64)
		keep(res, m[1], ns, allocs)
		// BenchmarkInterleaved's figures: the fastest batch of each
		// operation, measured side by side.
		for _, mm := range metric.FindAllStringSubmatch(sc.Text(), -1) {
			v, _ := strconv.ParseFloat(mm[1], 64)
			keep(res, "BenchmarkInterleaved/"+mm[2], v, -1)
		}
	}
	get := func(name string) (*result, bool) {
		r, ok := res["Benchmark"+name]
		return r, ok
	}
	ns := func(name string) float64 {
		if r, ok := get(name); ok {
			return r.ns
		}
		return 0
	}
	// Prefer the interleaved figure of an operation when there is one.
	alias := map[string]string{
		"Floor": "floor", "Decode/small": "decode-small", "Encode/small": "encode-small",
		"Encode/large": "encode-large", "Decode/large": "decode-large", "FloorDecodeLarge": "floor-decode-large",
		"SecureCookie/large/Encode": "securecookie-encode-large", "KeyTester/KeyTester": "keytester", "KeyTester/KeyTester-batch": "keytester-batch",
		"KeyTester/bare-double-HMAC": "bare-double-hmac", "SecureCookie/small/Decode": "securecookie-decode-small",
		"EncodingJSON/small/Unmarshal": "encodingjson-unmarshal-small",
	}
	plain := ns
	ns = func(name string) float64 {
		if v := plain("Interleaved/" + alias[name]); alias[name] != "" && v > 0 {
			return v
		}
		return plain(name)
	}

	fmt.Printf("Machine: %s, %d CPUs (nproc), %s %s/%s\n\n", cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Println("| operation | ns/op | allocs | ratio | goal | met |")
	fmt.Println("|---|---|---|---|---|---|")
	floor := ns("Floor")
	// why says why a figure is missing: the skip reason of the benchmark
	// it comes from, or that the benchmark did not run.
	why := func(names ...string) string {
		for _, n := range names {
			if n == "" {
				continue
			}
			if ns(n) > 0 {
				continue
			}
			top, _, _ := strings.Cut(n, "/")
			if reason, ok := skipped[top]; ok {
				return "Benchmark" + top + " skipped: " + reason
			}
			return "no result of Benchmark" + n + " in the input"
		}
		return "no result in the input"
	}
	notMeasured := func(op, goalText, reason string) {
		fmt.Printf("| %s | not measured (%s) | | | %s | |\n", op, strings.ReplaceAll(reason, "|", "\\|"), goalText)
	}
	// row prints op's figure num, its ratio to den, and the goal; from
	// are the benchmarks the figures come from: when one is missing the
	// row says so instead.
	row := func(op, name string, num, den float64, goal float64, goalText string, higherIsBetter bool, from ...string) {
		for _, n := range from {
			if ns(n) <= 0 {
				notMeasured(op, goalText, why(from...))
				return
			}
		}
		if num <= 0 || den <= 0 {
			notMeasured(op, goalText, "a figure is zero or negative")
			return
		}
		ratio := num / den
		met := ratio <= goal
		if higherIsBetter {
			met = ratio >= goal
		}
		allocs := ""
		if r, ok := get(name); ok && name != "" {
			allocs = strconv.FormatFloat(r.allocs, 'f', -1, 64)
		}
		mark := "yes"
		if !met {
			mark = "no"
		}
		if goal == 0 {
			mark = ""
		}
		fmt.Printf("| %s | %.0f | %s | %.2fx | %s | %s |\n", op, num, allocs, ratio, goalText, mark)
	}
	fmt.Printf("| floor: verify the small cookie (derived key and HMAC state prepared once) | %.0f | 0 | 1x | | |\n", floor)
	row("Decode small into a map / floor", "Decode/small", ns("Decode/small"), floor, 2.5, "<= 2.5x, <= 4 allocs", false, "Decode/small", "Floor")
	if r, ok := get("Decode/small"); ok && r.allocs > 4 {
		fmt.Printf("| (Decode small allocations: %v, goal <= 4) | | | | | no |\n", r.allocs)
	}
	row("Encode small / floor", "Encode/small", ns("Encode/small"), floor, 3, "<= 3x", false, "Encode/small", "Floor")
	row("Encode large (compressed) / floor decode of the same cookie (base64 + inflate + encoding/json)", "Encode/large", ns("Encode/large"), ns("FloorDecodeLarge"), 1.0, "<= 1.0x", false, "Encode/large", "FloorDecodeLarge")
	row("Decode large / floor decode of the same cookie", "Decode/large", ns("Decode/large"), ns("FloorDecodeLarge"), 0, "", false, "Decode/large", "FloorDecodeLarge")
	row("Encode large / gorilla/securecookie encoding it uncompressed", "Encode/large", ns("Encode/large"), ns("SecureCookie/large/Encode"), 0, "", false, "Encode/large", "SecureCookie/large/Encode")
	row("Decode small / gorilla/securecookie decoding it", "Decode/small", ns("Decode/small"), ns("SecureCookie/small/Decode"), 0, "", false, "Decode/small", "SecureCookie/small/Decode")
	row("Python Flask encode large / Go Encode large (speed-up)", "", ns("PythonFlask/large/Encode"), ns("Encode/large"), 0, "", true, "PythonFlask/large/Encode", "Encode/large")
	row("Python Flask decode small / Go Decode small (speed-up)", "", ns("PythonFlask/small/Decode"), ns("Decode/small"), 0, "", true, "PythonFlask/small/Decode", "Decode/small")
	row("encoding/json Unmarshal small / floor", "EncodingJSON/small/Unmarshal", ns("EncodingJSON/small/Unmarshal"), floor, 0, "", false, "EncodingJSON/small/Unmarshal", "Floor")
	// The middleware is measured by package session's plain benchmarks:
	// divide by the plain floor, measured the same way.
	bare, plainFloor := ns("BareHandler"), plain("Floor")
	row("Middleware overhead, read-only request / floor (plain runs)", "", ns("MiddlewareReadOnly")-bare, plainFloor, 4, "<= 4x", false, "MiddlewareReadOnly", "BareHandler", "Floor")
	row("Middleware overhead, read + change + save / floor (plain runs)", "", ns("Middleware")-bare, plainFloor, 8, "<= 8x", false, "Middleware", "BareHandler", "Floor")
	// The same with the Manager's decode cache off: a cookie the Manager
	// has not seen is verified and decoded.
	row("Middleware overhead, read-only, decode cache off / floor (plain runs)", "", ns("MiddlewareReadOnlyNoCache")-bare, plainFloor, 0, "", false, "MiddlewareReadOnlyNoCache", "BareHandler", "Floor")
	row("Middleware overhead, read + change + save, decode cache off / floor (plain runs)", "", ns("MiddlewareNoCache")-bare, plainFloor, 0, "", false, "MiddlewareNoCache", "BareHandler", "Floor")
	row("Key search: bare double-HMAC loop / KeyTester (rate gain)", "KeyTester/KeyTester", ns("KeyTester/bare-double-HMAC"), ns("KeyTester/KeyTester"), 1.25, "keep >= 1.25x", true, "KeyTester/bare-double-HMAC", "KeyTester/KeyTester")
	row("Key search: Python per guess / KeyTester per guess", "", ns("PythonFlask/key-guess"), ns("KeyTester/KeyTester"), 50, ">= 50x", true, "PythonFlask/key-guess", "KeyTester/KeyTester")
	row("Key search: Python per guess / KeyTester.TestBatch per guess", "", ns("PythonFlask/key-guess"), ns("KeyTester/KeyTester-batch"), 0, "", true, "PythonFlask/key-guess", "KeyTester/KeyTester-batch")
	// The loopback load run: throughput, higher is better.
	loopRowAgainst := func(loop map[string][]float64, bench, op, variant, base, ratio string, goal float64, goalText string) {
		rates, ratios, baseRates := loop[variant+"-req/s"], loop[ratio], loop[base+"-req/s"]
		if len(rates) == 0 || len(ratios) == 0 || len(baseRates) == 0 {
			reason := "no result of Benchmark" + bench + " in the input"
			if r, ok := skipped[bench]; ok {
				reason = "Benchmark" + bench + " skipped: " + r
			}
			notMeasured(op, goalText, reason)
			return
		}
		r := stats.Median(ratios)
		mark := ""
		if goal > 0 {
			mark = "no"
			if r >= goal {
				mark = "yes"
			}
		}
		fmt.Printf("| %s | %.0f / %.0f req/s | | %.2fx | %s | %s |\n", op, slices.Max(rates), slices.Max(baseRates), r, goalText, mark)
	}
	loopRowOf := func(loop map[string][]float64, bench, op, variant, ratio string, goal float64, goalText string) {
		loopRowAgainst(loop, bench, op, variant, "bare", ratio, goal, goalText)
	}
	loopRow := func(op, variant, ratio string, goal float64, goalText string) {
		loopRowOf(loop, "Loopback", op, variant, ratio, goal, goalText)
	}
	loopRow("Loopback load run, middleware read-only / bare handler throughput", "read", "loopback-ratio", 0.97, ">= 0.97")
	loopRow("Loopback load run, middleware read-only with its decode cache off / bare handler throughput", "cold", "loopback-cold-ratio", 0, "")
	loopRow("Loopback load run, middleware read + change + save / bare handler throughput", "save", "loopback-save-ratio", 0, "")
	loopRowOf(typed, "TypedLoopback", "Loopback load run, handlers that set Content-Type: middleware read-only / bare throughput", "read", "loopback-ratio", 0, "")
	// The floors, with the read-only middleware in the same rounds.
	loopRowOf(floors, "LoopbackFloors", "Loopback floor: the bare handler adding Vary: Cookie itself / bare throughput", "vary", "loopback-vary-ratio", 0, "")
	loopRowOf(floors, "LoopbackFloors", "Loopback floor: the bare handler behind a minimal middleware of the same shape / bare throughput", "shell", "loopback-shell-ratio", 0, "")
	loopRowOf(floors, "LoopbackFloors", "Loopback, in the floors' rounds: middleware read-only / bare throughput", "read", "loopback-ratio", 0, "")
	loopRowAgainst(floors, "LoopbackFloors", "Loopback, in the floors' rounds: middleware read-only / the bare handler adding Vary: Cookie (the same bytes on the wire)", "read", "vary", "loopback-read-vary-ratio", 0, "")

	fmt.Println("\nFigures are the fastest of the repeated runs; where BenchmarkInterleaved measured an operation,")
	fmt.Println("its fastest batch, side by side with the baseline. Allocations are per operation from the plain benchmarks.")
	if len(loop["loopback-ratio"]) > 0 {
		fmt.Printf("Loopback load run (BenchmarkLoopback: net/http on 127.0.0.1, keep-alive clients in the same process):\n")
		fmt.Printf("req/s are the fastest rounds; the ratio is the median over rounds run side by side (the median of %d runs).\n", len(loop["loopback-ratio"]))
		fmt.Printf("The middleware reads the same cookie on every request, as from a returning browser: read-only has the\n")
		fmt.Printf("Manager's decode cache on (the default), cache off decodes every time, as a cookie not seen before.\n")
		fmt.Printf("Cross-checks, read / cache off / save: ratio of the fastest rounds %.2f / %.2f / %.2f;\n",
			stats.Median(loop["loopback-ratio-fastest"]), stats.Median(loop["loopback-cold-ratio-fastest"]), stats.Median(loop["loopback-save-ratio-fastest"]))
		fmt.Printf("CPU time per request, bare / middleware, %.2f / %.2f / %.2f.\n",
			stats.Median(loop["loopback-cpu-ratio"]), stats.Median(loop["loopback-cold-cpu-ratio"]), stats.Median(loop["loopback-save-cpu-ratio"]))
	}
	if len(typed["loopback-ratio"]) > 0 {
		fmt.Printf("BenchmarkTypedLoopback: both handlers set the Content-Type that the others' responses get by sniffing,\n")
		fmt.Printf("so the bare one fills the header map too; CPU time per request, bare / middleware, %.2f.\n", stats.Median(typed["loopback-cpu-ratio"]))
	}
	if len(floors["loopback-ratio"]) > 0 {
		fmt.Printf("BenchmarkLoopbackFloors: vary answers with the middleware's bytes (Vary: Cookie, which Flask sends whenever\n")
		fmt.Printf("the session is read); shell is the least a middleware handing the session through the request's context does\n")
		fmt.Printf("(one allocation: the request's copy and a writer wrapper adding Vary). Both are ceilings of the middleware's ratio.\n")
		fmt.Printf("CPU time per request, bare / vary / shell / middleware: 1 / %.2f / %.2f / %.2f; vary / middleware, round by round: %.2f.\n",
			stats.Median(floors["loopback-vary-cpu-ratio"]), stats.Median(floors["loopback-shell-cpu-ratio"]), stats.Median(floors["loopback-cpu-ratio"]),
			stats.Median(floors["loopback-read-vary-cpu-ratio"]))
	}
	if peers != "" {
		fmt.Printf("Python timed in a subprocess: %s.\n", peers)
	}
}

func keep(res map[string]*result, name string, ns, allocs float64) {
	r := res[name]
	if r == nil {
		r = &result{}
		res[name] = r
	}
	if !r.seen || ns < r.ns {
		if allocs < 0 {
			allocs = r.allocs
		}
		r.ns, r.allocs, r.seen = ns, allocs, true
	}
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// loopbackRun returns the map that a line of the loopback runs' output
// feeds (BenchmarkLoopback's, BenchmarkTypedLoopback's or
// BenchmarkLoopbackFloors'), or nil for any other line.
func loopbackRun(text string, loop, typed, floors map[string][]float64) map[string][]float64 {
	switch {
	case strings.HasPrefix(text, "BenchmarkLoopbackFloors"):
		return floors
	case strings.HasPrefix(text, "BenchmarkLoopback"):
		return loop
	case strings.HasPrefix(text, "BenchmarkTypedLoopback"):
		return typed
	}
	return nil
}
