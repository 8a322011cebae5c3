package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzInput feeds untrusted text to every command that reads a cookie or a
// value: none may panic, none may print a character that acts on a
// terminal, and with valid flags the exit code is 0 or 1 and a failure
// prints one line.
func FuzzInput(f *testing.F) {
	for _, s := range []string{
		v10Cookie, v10Flashes, demoCookie, "session=" + v10Cookie, "a=b; session=x", "Cookie: session=\"x\"",
		"", ".", "..", ".eJw.x.y", "e30.ZVPxAA.x", `{"a": {"$tuple": [1]}}`, `{"a": {"$dict": {"$x": 1}}}`,
		"{'a': (1, b'x', Markup('m'), UUID('12345678123456781234567812345678'))}", `{"a":{" t":[1]}}`,
		`{"a": {"$float": "nan"}, "b": 1e400, "c": -0.0}`, "'secret'", "b'\\x00'",
		sealedCookie, "session=" + sealedCookie, fernetToken(1<<64-1, 1), fernetToken(0, 3), "gAAAAA", "gAAAAA==",
		v11Starlette, "sessionid=" + v14Session, v14Dumps, jwsDefault, jwsTimed, jwsHS256Kid, jwsNone, "a=.b.c", "e30=.ZVPxAA.x",
		"::", ".:1r31eq:x", "eyJhbGciOiJub25lIn0..", "eyJhbGciOiJIUzI1NiIsImV4cCI6bnVsbH0.e30.x", `[1, "a", {"b": null}]`, "'x'",
	} {
		f.Add(s)
	}
	words := filepath.Join(f.TempDir(), "words.txt")
	if err := os.WriteFile(words, []byte("a\ndev-secret\n\nk\n"), 0o600); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The audit commands: exit 0 or 1, never a usage error or a panic
		// (their JSON and fleet reports may print on exit 1).
		for _, args := range [][]string{
			{"unsign", "-w", words, "--threads", "1", "-"},
			{"unsign", "--json", "--threads", "1", "-"},
			{"unsign", "--hashcat", "-"},
			{"unsign", "--cookies", "-", "-w", words, "--threads", "1"},
			{"inspect", "--json", "-"},
			{"decode", "--secret", "k", "-"},
		} {
			var out, errb bytes.Buffer
			e := &env{stdin: strings.NewReader(s), stdout: &out, stderr: &errb, now: time.Now}
			if code := run(e, args); code != exitOK && code != exitData {
				t.Fatalf("%v on %q: exit %d: %s", args, s, code, errb.String())
			}
		}
		runs := [][]string{
			{"decode", "-"},
			{"decode", "--secret", specSecret, "--max-age", "10", "--now", specNow, "-"},
			{"decode", "--format", "python", "-"},
			{"decode", "--format", "tagged", "-"},
			{"inspect", "--secret", "k", "-"},
			{"encode", "--secret", "k", "--timestamp", "0", "-"},
			{"encode", "--secret", "k", "--format", "python", "-"},
			{"encode", "--secret", "k", "--format", "tagged", "-"},
			{"--decode", "--cookie", "-"},
			{"decode", "--fernet-key", sealedKey, "-"},
			{"decode", "--fernet-key", sealedKey2, "--fernet-key", sealedKey, "--max-age", "10", "--now", specNow, "--format", "python", "-"},
			{"inspect", "-"},
			{"inspect", "--fernet-key", sealedKey, "-"},
			{"encode", "--fernet-key", sealedKey, "-"},
			{"decode", "--profile", "starlette", "-"},
			{"decode", "--profile", "starlette", "--secret", "k", "--max-age", "10", "--now", specNow, "--format", "tagged", "-"},
			{"decode", "--profile", "django-session", "--secret", "k", "--legacy", "--max-age", "10", "--now", specNow, "-"},
			{"decode", "--profile", "django", "--format", "python", "-"},
			{"decode", "--profile", "jws-timed", "--secret", "k", "--now", specNow, "-"},
			{"decode", "--profile", "jws", "--format", "tagged", "-"},
			{"inspect", "--secret", "k", "--now", specNow, "-"},
			{"inspect", "--profile", "django", "-"},
			{"inspect", "--profile", "jws", "--secret", "k", "-"},
			{"encode", "--profile", "starlette", "--secret", "k", "--timestamp", "0", "-"},
			{"encode", "--profile", "django", "--secret", "k", "--compress", "--format", "python", "-"},
			{"encode", "--profile", "jws-timed", "--secret", "k", "--format", "tagged", "-"},
		}
		for _, args := range runs {
			var out, errb bytes.Buffer
			e := &env{stdin: strings.NewReader(s), stdout: &out, stderr: &errb, now: time.Now}
			code := run(e, args)
			// Nothing that acts on a terminal gets out unescaped.
			if r, ok := firstInvisible(out.String() + errb.String()); ok {
				t.Fatalf("%v on %q: %U unescaped in stdout %q, stderr %q", args, s, r, out.String(), errb.String())
			}
			switch code {
			case exitOK:
			case exitData:
				if out.Len() != 0 || strings.Count(errb.String(), "\n") != 1 {
					t.Fatalf("%v on %q: exit 1 with stdout %q, stderr %q", args, s, out.String(), errb.String())
				}
			default:
				t.Fatalf("%v on %q: exit %d: %s", args, s, code, errb.String())
			}
		}
		if _, _, err := literalKey([]byte(s)); err != nil && err != errNotKey && !strings.Contains(err.Error(), "surrogate") {
			t.Fatalf("literalKey(%q): %v", s, err)
		}
	})
}
