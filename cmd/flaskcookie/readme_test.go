package main

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestREADMEBuildIsStatic runs the README's build line and checks that it
// gives what the README says: one static binary, with no ELF interpreter
// and no shared library to load.
func TestREADMEBuildIsStatic(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("checks an ELF binary")
	}
	if testing.Short() {
		t.Skip("builds the binary again")
	}
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var line string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if !strings.Contains(l, "go build ./cmd/flaskcookie") {
			continue
		}
		if parts := strings.Split(l, "`"); len(parts) >= 3 {
			l = parts[1] // inline code in a sentence
		}
		line = l
		break
	}
	if line == "" {
		t.Fatal("the README has no build line for ./cmd/flaskcookie")
	}
	if i := strings.Index(line, "#"); i >= 0 {
		line = line[:i]
	}
	var envs, args []string
	for _, w := range strings.Fields(line) {
		if len(args) == 0 && strings.Contains(w, "=") {
			envs = append(envs, w)
			continue
		}
		args = append(args, w)
	}
	if len(args) < 2 || args[0] != "go" || args[1] != "build" {
		t.Fatalf("the README's build line %q is not a go build", line)
	}
	out := filepath.Join(t.TempDir(), "flaskcookie")
	cmd := exec.Command("go", append([]string{"build", "-o", out}, args[2:]...)...)
	cmd.Dir = "../.."
	// The README's line decides: the environment's CGO_ENABLED does not.
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED="), envs...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, b)
	}
	bin, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer bin.Close()
	for _, p := range bin.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%q gives a dynamically linked binary (it has an ELF interpreter)", line)
		}
	}
	if libs, err := bin.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("%q gives a binary that loads %v (%v)", line, libs, err)
	}
}
