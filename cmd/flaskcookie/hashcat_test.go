package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHashcatCracksExportedLine hands the line of unsign --hashcat for a
// cookie made by Flask 2.2.2 (testdata/audit, key "dev") to Debian's
// hashcat (mode 29100, on the CPU through PoCL) with a tiny wordlist, and
// checks that hashcat finds the key. It is skipped when hashcat is not
// installed, unless FLASKCOOKIE_REQUIRE_PYTHON=1 (CI), which makes it
// mandatory.
//
// hashcat's session and potfile live in t.TempDir(); its compiled kernels
// and PoCL's cache are kept in the user cache directory
// (flaskcookie-hashcat), since compiling them takes minutes on a small
// machine and seconds once cached.
func TestHashcatCracksExportedLine(t *testing.T) {
	hc, err := exec.LookPath("hashcat")
	if err != nil {
		if os.Getenv("FLASKCOOKIE_REQUIRE_PYTHON") == "1" {
			t.Fatal("hashcat is not installed (apt-get install hashcat pocl-opencl-icd); FLASKCOOKIE_REQUIRE_PYTHON=1 makes this test mandatory")
		}
		t.Skip("hashcat is not installed")
	}
	dev := findVector(t, "debian12/flask/dev").Token
	r := fc(t, "", "unsign", "--hashcat", dev)
	wantOK(t, r)
	dir := t.TempDir()
	hashFile := filepath.Join(dir, "flask.hash")
	words := filepath.Join(dir, "words.txt")
	out := filepath.Join(dir, "cracked.txt")
	if err := os.WriteFile(hashFile, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(words, []byte("secret\nchangeme\ndev\nadmin\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = dir
	}
	cache = filepath.Join(cache, "flaskcookie-hashcat")
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, hc, "-m", "29100", "-a", "0", "--force", "--quiet",
		"--potfile-path", filepath.Join(dir, "hashcat.pot"), "--session", "flaskcookie-test",
		"-o", out, "--outfile-format", "2", hashFile, words)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_CACHE_HOME="+cache)
	start := time.Now()
	log, err := cmd.CombinedOutput()
	t.Logf("hashcat ran in %s", time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("hashcat: %v\n%s", err, log)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("hashcat found nothing: %v\n%s", err, log)
	}
	if strings.TrimSpace(string(got)) != "dev" {
		t.Errorf("hashcat found %q, want dev", got)
	}
}
