package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnsign(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := write("plain.txt", "secret\npassword\n\ndev-secret\nchangeme\n")
	crlf := write("crlf.txt", "secret\r\npassword\r\ndev-secret\r\n")
	lastNoNewline := write("last.txt", "a\nb\ndev-secret")
	literal := write("literal.txt", "'secret'\nb'\\x00\\x01'\n  \"dev-secret\"  \n")
	absent := write("absent.txt", "a\nb\nc\n")
	long := write("long.txt", "x\n"+strings.Repeat("y", 3<<20)+"\ndev-secret\n")
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{name: "plain", args: []string{"--wordlist", plain}, want: "dev-secret\n"},
		{name: "one thread", args: []string{"--wordlist", plain, "--threads", "1"}, want: "dev-secret\n"},
		{name: "many threads", args: []string{"--wordlist", plain, "--threads", "7"}, want: "dev-secret\n"},
		{name: "crlf", args: []string{"-w", crlf}, want: "dev-secret\n"},
		{name: "last line without newline", args: []string{"-w", lastNoNewline}, want: "dev-secret\n"},
		{name: "literal", args: []string{"-w", literal, "--literal"}, want: "dev-secret\n"},
		{name: "python format", args: []string{"-w", plain, "--format", "python"}, want: "'dev-secret'\n"},
		{name: "hex format", args: []string{"-w", plain, "--format", "hex"}, want: "6465762d736563726574\n"},
		{name: "stdin wordlist", args: []string{"-w", "-"}, stdin: "nope\ndev-secret\n", want: "dev-secret\n"},
		{name: "line over 1 MiB skipped", args: []string{"-w", long}, want: "dev-secret\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, tt.stdin, append(append([]string{"unsign"}, tt.args...), v10Cookie)...)
			wantOK(t, r)
			if r.stdout != tt.want {
				t.Errorf("stdout = %q, want %q", r.stdout, tt.want)
			}
			if !strings.Contains(r.stderr, "found the secret key on line") {
				t.Errorf("stderr = %q", r.stderr)
			}
		})
	}
	t.Run("line numbers", func(t *testing.T) {
		r := fc(t, "", "unsign", "-w", plain, v10Cookie)
		if !strings.Contains(r.stderr, "on line 4 of") {
			t.Errorf("stderr = %q, want line 4", r.stderr)
		}
		r = fc(t, "", "unsign", "-w", long, v10Cookie)
		if !strings.Contains(r.stderr, "on line 3 of") {
			t.Errorf("stderr = %q, want line 3", r.stderr)
		}
	})
	t.Run("not found", func(t *testing.T) {
		wantFail(t, fc(t, "", "unsign", "-w", absent, v10Cookie), "not in the wordlist", "3 keys tried")
	})
	t.Run("not found without --literal", func(t *testing.T) {
		// The quotes are part of the keys unless --literal.
		wantFail(t, fc(t, "", "unsign", "-w", literal, v10Cookie), "not in the wordlist")
	})
	t.Run("malformed cookie", func(t *testing.T) {
		wantFail(t, fc(t, "", "unsign", "-w", plain, "no-separator"), "malformed")
	})
	t.Run("binary key", func(t *testing.T) {
		// Spec V10's value signed by Flask with a key that is not UTF-8
		// is not available; use the Flask vector with such a secret.
		key := "\xff\x00secret"
		words := write("binary.txt", "a\n"+key+"\nb\n")
		cookie := flaskVectorCookie(t, key)
		r := fc(t, "", "unsign", "-w", words, cookie)
		wantOK(t, r)
		if r.stdout != "b'\\xff\\x00secret'\n" {
			t.Errorf("stdout = %q, want a bytes literal", r.stdout)
		}
	})
}

func TestFlaskUnsignFlags(t *testing.T) {
	dir := t.TempDir()
	words := filepath.Join(dir, "words.txt")
	if err := os.WriteFile(words, []byte("'nope'\n\"dev-secret\"\nb'x'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	plainWords := filepath.Join(dir, "plain.txt")
	if err := os.WriteFile(plainWords, []byte("nope\n  dev-secret  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{name: "decode", args: []string{"--decode", "--cookie", v10Flashes}, want: "{'_flashes': [('message', 'Hello')], '_permanent': True}\n"},
		{name: "decode short flags", args: []string{"-d", "-c", v10Cookie}, want: "{'user_id': 42}\n"},
		{name: "decode stdin", args: []string{"--decode", "--cookie"}, stdin: v10Cookie + "\n", want: "{'user_id': 42}\n"},
		{name: "decode stdin before another flag", args: []string{"-c", "-d"}, stdin: v10Cookie, want: "{'user_id': 42}\n"},
		{name: "decode verified", args: []string{"--decode", "--cookie", v10Cookie, "--secret", "'dev-secret'", "--format", "tagged"}, want: `{"user_id":42}` + "\n"},
		{name: "sign", args: []string{"--sign", "--cookie", "{'user_id': 42}", "--secret", "dev-secret", "--timestamp", specNow}, want: v10Cookie + "\n"},
		{name: "sign literal secret", args: []string{"--sign", "--cookie", "{'user_id': 42}", "--secret", "'dev-secret'", "--timestamp", specNow}, want: v10Cookie + "\n"},
		{name: "sign literal salt", args: []string{"-s", "-c", "{'user_id': 42}", "-S", "dev-secret", "--salt", "'cookie-session'", "--timestamp", specNow}, want: v10Cookie + "\n"},
		{name: "sign no literal eval", args: []string{"--sign", "--cookie", "{'user_id': 42}", "--secret", "dev-secret", "-nE", "--timestamp", specNow}, want: v10Cookie + "\n"},
		{name: "unsign", args: []string{"--unsign", "--cookie", v10Cookie, "--wordlist", words}, want: "'dev-secret'\n"},
		{name: "unsign no literal eval", args: []string{"-u", "-c", v10Cookie, "-w", plainWords, "--no-literal-eval", "-t", "2"}, want: "b'dev-secret'\n"},
		{name: "unsign quiet", args: []string{"-u", "-c", v10Cookie, "-w", words, "-q"}, want: "'dev-secret'\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, tt.stdin, tt.args...)
			wantOK(t, r)
			if r.stdout != tt.want {
				t.Errorf("stdout = %q, want %q", r.stdout, tt.want)
			}
		})
	}
	t.Run("unsign not found", func(t *testing.T) {
		absent := filepath.Join(dir, "absent.txt")
		if err := os.WriteFile(absent, []byte("'nope'\ndev-secret-2\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		wantFail(t, fc(t, "", "--unsign", "--cookie", v10Cookie, "--wordlist", absent), "not in the wordlist", "2 keys tried")
	})
	t.Run("decode wrong secret", func(t *testing.T) {
		wantFail(t, fc(t, "", "--decode", "--cookie", v10Cookie, "--secret", "x"), "signature does not match")
	})
	t.Run("output file", func(t *testing.T) {
		out := filepath.Join(dir, "out.txt")
		r := fc(t, "", "--decode", "--cookie", v10Cookie, "-o", out)
		wantOK(t, r)
		b, err := os.ReadFile(out)
		if err != nil || string(b) != "{'user_id': 42}\n" || r.stdout != "" {
			t.Errorf("--output wrote %q (%v), stdout %q", b, err, r.stdout)
		}
	})
}

// TestEmptyKeyEncodeAndUnsign keeps the two uses of the empty key that the
// libraries refuse by default: encode signs with it (with a warning), for a
// tester forging a cookie for an app that uses it, and unsign finds it as a
// candidate, since such an app is what an audit must find.
func TestEmptyKeyEncodeAndUnsign(t *testing.T) {
	for _, prof := range []string{"flask", "starlette", "jws"} {
		t.Run(prof, func(t *testing.T) {
			args := []string{"encode", "--secret", "", `{"user_id": 1}`}
			if prof != "flask" {
				args = append([]string{"encode", "--profile", prof}, args[1:]...)
			}
			r := fc(t, "", args...)
			wantOK(t, r)
			if !strings.Contains(r.stderr, "empty") && prof == "flask" {
				t.Errorf("no warning about the empty key: %q", r.stderr)
			}
			cookie := strings.TrimSpace(r.stdout)
			if prof != "flask" {
				return
			}
			r = fc(t, "a\n\nb\n", "unsign", "-w", "-", cookie)
			wantOK(t, r)
			if !strings.Contains(r.stderr, "on line 2 of") {
				t.Errorf("unsign: stdout %q, stderr %q; want the empty key, line 2", r.stdout, r.stderr)
			}
		})
	}
}
