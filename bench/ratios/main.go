// Command ratios reads `go test -bench` output (of bench/ and of package
// session) on standard input and prints issue 14's table: each operation as
// a ratio to its baseline from the same run, with the goal and the machine.
// Of repeated runs (-count) it keeps the fastest of each benchmark, the one
// least disturbed by other work on the machine.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
)

type result struct {
	ns     float64
	allocs float64
	seen   bool
}

var (
	line   = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:.*?\s([\d.]+) allocs/op)?`)
	metric = regexp.MustCompile(`([\d.]+) ([a-z0-9-]+)-ns/op`)
)

func main() {
	res := map[string]*result{}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
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
		"SecureCookie/large/Encode": "securecookie-encode-large", "KeyTester/KeyTester": "keytester",
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
	row := func(op, name string, num, den float64, goal float64, goalText string, higherIsBetter bool) {
		if num == 0 || den == 0 {
			fmt.Printf("| %s | not measured | | | %s | |\n", op, goalText)
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
	row("Decode small into a map / floor", "Decode/small", ns("Decode/small"), floor, 2.5, "<= 2.5x, <= 4 allocs", false)
	if r, ok := get("Decode/small"); ok && r.allocs > 4 {
		fmt.Printf("| (Decode small allocations: %v, goal <= 4) | | | | | no |\n", r.allocs)
	}
	row("Encode small / floor", "Encode/small", ns("Encode/small"), floor, 3, "<= 3x", false)
	row("Encode large (compressed) / floor decode of the same cookie (base64 + inflate + encoding/json)", "Encode/large", ns("Encode/large"), ns("FloorDecodeLarge"), 1.0, "<= 1.0x", false)
	row("Decode large / floor decode of the same cookie", "Decode/large", ns("Decode/large"), ns("FloorDecodeLarge"), 0, "", false)
	row("Encode large / gorilla/securecookie encoding it uncompressed", "Encode/large", ns("Encode/large"), ns("SecureCookie/large/Encode"), 0, "", false)
	row("Decode small / gorilla/securecookie decoding it", "Decode/small", ns("Decode/small"), ns("SecureCookie/small/Decode"), 0, "", false)
	row("Python Flask encode large / Go Encode large (speed-up)", "", ns("PythonFlask/large/Encode"), ns("Encode/large"), 0, "", true)
	row("Python Flask decode small / Go Decode small (speed-up)", "", ns("PythonFlask/small/Decode"), ns("Decode/small"), 0, "", true)
	row("encoding/json Unmarshal small / floor", "EncodingJSON/small/Unmarshal", ns("EncodingJSON/small/Unmarshal"), floor, 0, "", false)
	// The middleware is measured by package session's plain benchmarks:
	// divide by the plain floor, measured the same way.
	bare, plainFloor := ns("BareHandler"), plain("Floor")
	row("Middleware overhead, read-only request / floor (plain runs)", "", ns("MiddlewareReadOnly")-bare, plainFloor, 4, "<= 4x", false)
	row("Middleware overhead, read + change + save / floor (plain runs)", "", ns("Middleware")-bare, plainFloor, 8, "<= 8x", false)
	row("Key search: bare double-HMAC loop / KeyTester (rate gain)", "KeyTester/KeyTester", ns("KeyTester/bare-double-HMAC"), ns("KeyTester/KeyTester"), 1.25, "keep >= 1.25x", true)
	row("Key search: Python per guess / KeyTester per guess", "", ns("PythonFlask/key-guess"), ns("KeyTester/KeyTester"), 50, ">= 50x", true)
	fmt.Println("\nFigures are the fastest of the repeated runs; where BenchmarkInterleaved measured an operation,")
	fmt.Println("its fastest batch, side by side with the baseline. Allocations are per operation from the plain benchmarks.")
	fmt.Println("The loopback load run (middleware / bare handler throughput) is not part of this command.")
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
