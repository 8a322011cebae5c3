package fuzz_test

// The differential run's report: counts of outcomes and disagreements.

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// report counts what a run did.
type report struct {
	mu                sync.Mutex
	seed              uint64
	workers           int
	runs              int
	elapsed           time.Duration
	pyOutcomes        map[string]int
	goOutcomes        map[string]int
	byClass           map[string]int
	pyByClass         map[string]int
	intended          map[string]int
	unexplained       map[string]int
	examples          map[string][]string
	unexplainedInputs int
	agreeing          int
}

func newReport(seed uint64, workers int) *report {
	return &report{seed: seed, workers: workers, pyOutcomes: map[string]int{}, goOutcomes: map[string]int{}, byClass: map[string]int{}, pyByClass: map[string]int{},
		intended: map[string]int{}, unexplained: map[string]int{}, examples: map[string][]string{}}
}

func outcomeKey(o outcome) string {
	if o.OK {
		if o.Verified {
			return "ok (verified)"
		}
		return "ok"
	}
	if o.PyType != "" {
		return o.Class + " (" + o.PyType + ")"
	}
	return o.Class
}

func (rep *report) add(res *result) {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	rep.runs++
	rep.pyOutcomes[outcomeKey(res.py)]++
	rep.goOutcomes[outcomeKey(res.lenient)]++
	rep.byClass[res.in.Cfg.Class+" "+res.in.Q.Action]++
	rep.pyByClass[fmt.Sprintf("%-22s %-12s python %s", res.in.Cfg.Class, res.in.Q.Action, outcomeKey(res.py))]++
	bad := false
	for _, f := range res.findings {
		if f.intended {
			rep.intended[f.kind]++
			if len(rep.examples["intended "+f.kind]) < 2 {
				rep.examples["intended "+f.kind] = append(rep.examples["intended "+f.kind], fmt.Sprintf("input %d\n%s", res.in.Index, res.describe()))
			}
			continue
		}
		bad = true
		rep.unexplained[f.kind]++
		if len(rep.examples[f.kind]) < 5 {
			rep.examples[f.kind] = append(rep.examples[f.kind], fmt.Sprintf("input %d\n%s", res.in.Index, res.describe()))
		}
	}
	if bad {
		rep.unexplainedInputs++
	} else if len(res.findings) == 0 {
		rep.agreeing++
	}
}

func writeCounts(b *strings.Builder, title string, m map[string]int) {
	fmt.Fprintf(b, "%s:\n", title)
	if len(m) == 0 {
		b.WriteString("  (none)\n")
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	for _, k := range keys {
		fmt.Fprintf(b, "  %9d  %s\n", m[k], k)
	}
}

func (rep *report) String() string {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	var b strings.Builder
	rate := float64(rep.runs) / rep.elapsed.Seconds()
	fmt.Fprintf(&b, "differential run: %d executions in %v (%.0f/s), seed %d, %d workers\n", rep.runs, rep.elapsed.Round(time.Millisecond), rate, rep.seed, rep.workers)
	fmt.Fprintf(&b, "identical outcomes: %d; intended differences only: %d; unexplained: %d\n",
		rep.agreeing, rep.runs-rep.agreeing-rep.unexplainedInputs, rep.unexplainedInputs)
	writeCounts(&b, "inputs by class and action", rep.byClass)
	writeCounts(&b, "Python outcomes", rep.pyOutcomes)
	writeCounts(&b, "Python outcomes by class", rep.pyByClass)
	writeCounts(&b, "Go outcomes", rep.goOutcomes)
	writeCounts(&b, "intended differences (README.md)", rep.intended)
	writeCounts(&b, "UNEXPLAINED disagreements", rep.unexplained)
	keys := make([]string, 0, len(rep.examples))
	for k := range rep.examples {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "examples of %s:\n", k)
		for _, e := range rep.examples[k] {
			b.WriteString(e + "\n")
		}
	}
	return b.String()
}
