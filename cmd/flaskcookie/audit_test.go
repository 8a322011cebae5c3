package main

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

// auditVector is a token of testdata/audit (compat/gen_audit.py): made by
// the real Flask, Starlette or Django of a peer set.
type auditVector struct {
	Name, Format, Token string
	Secret              *string
	SecretHex           string  `json:"secret_hex"`
	CookieName          *string `json:"cookie_name"`
	Salt                *string
}

// flaskShaped reports an itsdangerous token with a Flask cookie's shape,
// which unsign tests as Flask's unless --profile itsdangerous says.
func (v auditVector) flaskShaped() bool {
	return v.Format == "itsdangerous" && strings.Count(v.Token, ".") == 2
}

// arg is the vector as a tester pastes it: NAME=VALUE when the name matters.
func (v auditVector) arg() string {
	if v.CookieName != nil {
		return *v.CookieName + "=" + v.Token
	}
	return v.Token
}

func (v auditVector) secret(t *testing.T) string {
	if v.Secret != nil {
		return *v.Secret
	}
	b, err := hex.DecodeString(v.SecretHex)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func auditVectors(t *testing.T) []auditVector {
	t.Helper()
	var all []auditVector
	for _, f := range []string{"testdata/audit/vectors-debian12.json", "testdata/audit/vectors-current.json"} {
		var file struct {
			Provenance map[string]string `json:"provenance"`
			Vectors    []auditVector     `json:"vectors"`
		}
		b, err := os.ReadFile(testvec.Path(t, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &file); err != nil {
			t.Fatal(err)
		}
		if len(file.Vectors) == 0 {
			t.Fatalf("%s: no vectors", f)
		}
		for _, v := range file.Vectors {
			v.Name = file.Provenance["peers"] + "/" + v.Name
			all = append(all, v)
		}
	}
	return all
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUnsignEveryFormat: unsign finds the secret of every format without
// --profile (issue 12 point 10), from a wordlist.
func TestUnsignEveryFormat(t *testing.T) {
	vs := auditVectors(t)
	var words strings.Builder
	words.WriteString("wrong\n")
	for _, v := range vs {
		if v.Salt != nil {
			continue
		}
		words.WriteString(v.secret(t) + "\n")
	}
	list := writeFile(t, "words.txt", words.String())
	for _, v := range vs {
		if v.Salt != nil || v.secret(t) == "" {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			args := []string{"unsign", "-w", list, "--format", "hex", v.arg()}
			if v.flaskShaped() {
				args = append(args, "--profile", "itsdangerous")
			}
			r := fc(t, "", args...)
			wantOK(t, r)
			if got := strings.TrimSpace(r.stdout); got != hex.EncodeToString([]byte(v.secret(t))) {
				t.Errorf("found %s, want the hex of %q", got, v.secret(t))
			}
		})
	}
}

// TestUnsignKnownSecrets: without --wordlist the built-in list of public
// secrets is tried, the empty key included.
func TestUnsignKnownSecrets(t *testing.T) {
	n := 0
	for _, v := range auditVectors(t) {
		switch v.secret(t) {
		case "dev", "changeme", "secret", "you-will-never-guess", "":
		default:
			continue
		}
		if v.Salt != nil || v.flaskShaped() {
			continue
		}
		n++
		t.Run(v.Name, func(t *testing.T) {
			r := fc(t, "", "unsign", "--format", "hex", v.arg())
			wantOK(t, r)
			if got := strings.TrimSpace(r.stdout); got != hex.EncodeToString([]byte(v.secret(t))) {
				t.Errorf("found %q, want the hex of %q", got, v.secret(t))
			}
			if !strings.Contains(r.stderr, "known public secrets") {
				t.Errorf("stderr %q does not name the built-in list", r.stderr)
			}
		})
	}
	if n < 5 {
		t.Fatalf("only %d vectors signed with a known secret", n)
	}
	// A secret that is not public: exit 1.
	wantFail(t, fc(t, "", "unsign", findVector(t, "debian12/flask/unicode").Token), "not in the built-in list")
}

func findVector(t *testing.T, name string) auditVector {
	for _, v := range auditVectors(t) {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no vector %s", name)
	return auditVector{}
}

// TestUnsignWordlists: hostile wordlists are read or refused cleanly
// (issue 12 points 2 and 11; issue 15's bad input).
func TestUnsignWordlists(t *testing.T) {
	dev := findVector(t, "debian12/flask/dev").Token
	number := findVector(t, "debian12/flask/number").Token // signed with "123456"
	mib := 1 << 20
	tests := []struct {
		name   string
		list   string
		args   []string
		cookie string
		want   string // stdout; "" means exit 1
		says   string // on stderr
	}{
		{"long lines in a row", strings.Repeat("a", mib+1) + "\n" + strings.Repeat("b", mib-1) + "\ndev\n", nil, dev, "dev\n", "line 3"},
		{"NUL bytes and invalid UTF-8", "\x00\n\xff\xfe\xfd\nde\x00v\ndev\n", nil, dev, "dev\n", "line 4"},
		{"CRLF", "x\r\ndev\r\n", nil, dev, "dev\n", "line 2"},
		{"empty file", "", nil, dev, "", "0 keys tried"},
		{"only a long line", strings.Repeat("a", mib+1), nil, dev, "", "longer than"},
		{"numeric line literal", "'x'\n123456\n", []string{"--literal"}, number, "123456\n", "line 2"},
		{"numeric line raw", "123456\n", nil, number, "123456\n", "line 1"},
		{"numeric line python format", "[1]\n123456\n", []string{"--literal", "--format", "python"}, number, "'123456'\n", "line 2"},
		{"wrong keys only", "nope\ndev-secret\n\n", nil, dev, "", "3 keys tried"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := writeFile(t, "w.txt", tt.list)
			args := append(append([]string{"unsign", "-w", list}, tt.args...), tt.cookie)
			r := fc(t, "", args...)
			if tt.want == "" {
				wantFail(t, r, tt.says)
				return
			}
			wantOK(t, r)
			if r.stdout != tt.want || !strings.Contains(r.stderr, tt.says) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", r.stdout, r.stderr, tt.want, tt.says)
			}
		})
	}
}

// TestUnsignFleet: --cookies audits a file of many cookies of every format
// in one pass; junk lines are skipped and counted; --json gives one object
// a cookie; nothing is found for a secret that does not verify.
func TestUnsignFleet(t *testing.T) {
	vs := auditVectors(t)
	var cookies, words strings.Builder
	cookies.WriteString("# a comment\nnot a cookie\n\x1b[31mred\n\n")
	seen := map[string]bool{}
	var want []auditVector
	for _, v := range vs {
		if v.Salt != nil || v.flaskShaped() {
			continue
		}
		want = append(want, v)
		cookies.WriteString(v.arg() + "\n")
		if s := v.secret(t); !seen[s] {
			seen[s] = true
			words.WriteString(s + "\n")
		}
	}
	// A cookie no candidate signed (Flask 2.2.2, key "dev-secret").
	cookies.WriteString("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM\n")
	file := writeFile(t, "cookies.txt", cookies.String())
	list := writeFile(t, "words.txt", words.String())
	r := fc(t, "", "unsign", "--cookies", file, "-w", list, "--json")
	wantOK(t, r)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != len(want)+1 {
		t.Fatalf("%d JSON lines for %d cookies:\n%s", len(lines), len(want)+1, r.stdout)
	}
	for i, l := range lines {
		var o struct {
			Format, Verdict, SecretHex string
			Secret                     *string
		}
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("line %d: %v: %s", i, err, l)
		}
		if strings.ContainsAny(l, "\x1b\u009b\u202e") {
			t.Errorf("line %d holds raw control or bidi bytes: %q", i, l)
		}
		if i == len(want) {
			if o.Verdict != "not found" || o.Secret != nil {
				t.Errorf("the unsigned-by-any cookie: %s", l)
			}
			continue
		}
		v := want[i]
		if o.Verdict != "found" || o.Format != v.Format || o.Secret == nil || *o.Secret != v.secret(t) {
			t.Errorf("%s: got %s", v.Name, l)
		}
	}
	// Text output and the junk count.
	r = fc(t, "", "unsign", "--cookies", file, "-w", list)
	wantOK(t, r)
	if !strings.Contains(r.stderr, "2 lines of the cookie file") || strings.Count(r.stdout, ": found ") != len(want) {
		t.Errorf("stdout %q\nstderr %q", r.stdout, r.stderr)
	}
	// No secret verifies: exit 1, every verdict "not found".
	r = fc(t, "wrong\nalso wrong\n", "unsign", "--cookies", file, "-w", "-", "--json")
	if r.code != exitData || strings.Contains(r.stdout, `"found"`) {
		t.Errorf("wrong keys: %v", r)
	}
	// A file of junk only.
	wantFail(t, fc(t, "", "unsign", "--cookies", writeFile(t, "junk.txt", "a\nb c\n"), "-w", list), "no cookie", "2 lines skipped")
}

// TestUnsignJSONSingle: --json on one cookie.
func TestUnsignJSONSingle(t *testing.T) {
	v := findVector(t, "current/starlette/changeme")
	r := fc(t, "", "unsign", "--json", v.Token)
	wantOK(t, r)
	var o map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &o); err != nil {
		t.Fatalf("%v: %q", err, r.stdout)
	}
	if o["verdict"] != "found" || o["secret"] != "changeme" || o["format"] != "starlette" || o["seconds"] == nil {
		t.Errorf("got %v", o)
	}
	r = fc(t, "", "unsign", "--json", "-w", writeFile(t, "w", "nope\n"), v.Token)
	if r.code != exitData || !strings.Contains(r.stdout, `"verdict":"not found"`) {
		t.Errorf("not found: %v", r)
	}
	// A cookie that cannot be searched still gets its object.
	r = fc(t, "", "unsign", "--json", sealedCookie)
	if r.code != exitData || !strings.Contains(r.stdout, `"verdict":"untestable"`) || !strings.Contains(r.stdout, `"format":"sealed"`) {
		t.Errorf("sealed: %v", r)
	}
}

// TestUnsignHashcat: --hashcat prints the line hashcat -m 29100 takes, and
// says why a compressed cookie or another format cannot be handed over.
func TestUnsignHashcat(t *testing.T) {
	dev := findVector(t, "debian12/flask/dev").Token
	r := fc(t, "", "unsign", "--hashcat", dev)
	wantOK(t, r)
	if r.stdout != dev+"\n" || !strings.Contains(r.stderr, "-m 29100") {
		t.Errorf("%v", r)
	}
	wantFail(t, fc(t, "", "unsign", "--hashcat", findVector(t, "debian12/flask/compressed").Token), "compressed", "refuses")
	wantFail(t, fc(t, "", "unsign", "--hashcat", findVector(t, "debian12/starlette/secret").Token), "no mode", "Starlette")
}

// TestInspectJSON: inspect --json gives one object: format, verdict, time.
func TestInspectJSON(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		format  string
		verdict string
	}{
		{"flask verified", []string{"--secret", "dev", findVector(t, "debian12/flask/dev").Token}, exitOK, "flask", "verified"},
		{"flask wrong key", []string{"--secret", "nope", findVector(t, "debian12/flask/dev").Token}, exitData, "flask", "refused"},
		{"starlette unverified", []string{findVector(t, "current/starlette/secret").Token}, exitOK, "starlette", "unverified"},
		{"django session verified", []string{"--secret", "secret", findVector(t, "current/django-session/short").Token}, exitOK, "django-session", "verified"},
		{"sealed without key", []string{sealedCookie}, exitData, "sealed", "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", append([]string{"inspect", "--json"}, tt.args...)...)
			var o struct{ Format, Verdict, Error string }
			if err := json.Unmarshal([]byte(r.stdout), &o); err != nil || r.code != tt.code || o.Format != tt.format || o.Verdict != tt.verdict {
				t.Errorf("%v (%v)", r, err)
			}
			for _, c := range r.stdout {
				if c > 0x7e {
					t.Errorf("non-ASCII output %q", r.stdout)
					break
				}
			}
		})
	}
}
