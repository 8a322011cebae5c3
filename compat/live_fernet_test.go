package compat_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// The live Fernet tests run compat/fernet_session/peer.py (the real
// cryptography.fernet, and Flask with compat/fernet_session) and check that
// Go and Python read each other's tokens and sealed sessions.

const fernetNow = 1700000000

// The Python session interface's own tests pass.
func TestLiveFernetSessionPythonTests(t *testing.T) {
	pyapp.Require(t)
	cmd := exec.Command(pyoracle.PythonPath, "-m", "unittest", "-v")
	cmd.Dir = testvec.Path(t, "compat/fernet_session")
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		if bytes.Contains(out, []byte("ModuleNotFoundError")) {
			pyoracle.SkipOrFatal(t, "Python packages missing:\n%s", out)
		}
		t.Fatalf("python -m unittest: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("\nOK")) || bytes.Contains(out, []byte("Ran 0 tests")) {
		t.Fatalf("unexpected unittest output:\n%s", out)
	}
}

func fernetKeys(t *testing.T, n int) ([]fernet.Key, []string) {
	t.Helper()
	keys := make([]fernet.Key, n)
	text := make([]string, n)
	for i := range keys {
		k, err := fernet.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[i], text[i] = k, k.String()
	}
	return keys, text
}

// Tokens made here open in Python and the other way round; rotation
// works across; and for mutated tokens Go and Python accept exactly the
// same ones (with the same plaintext).
func TestLiveFernetTokens(t *testing.T) {
	keys, text := fernetKeys(t, 3)
	at := time.Unix(fernetNow, 0)
	all, err := fernet.New(keys...)
	if err != nil {
		t.Fatal(err)
	}
	all = all.WithClock(func() time.Time { return at })
	r := rand.New(rand.NewSource(8))

	var reqs []map[string]any
	type check struct {
		name  string
		token string
		plain []byte // what Go opens it to; nil when Go refuses it
		check func(t *testing.T, resp pyapp.FernetResponse)
	}
	var checks []check
	add := func(c check, req map[string]any) {
		checks = append(checks, c)
		reqs = append(reqs, req)
	}
	decryptReq := func(tok string) map[string]any {
		return map[string]any{"op": "decrypt", "keys": text, "token": tok, "now": fernetNow, "ttl": 60}
	}

	// Go → Python, under each key.
	var goTokens []string
	for n := 0; n < 40; n++ {
		plain := make([]byte, n*3)
		r.Read(plain)
		f, _ := fernet.New(keys[n%3])
		tok, err := f.EncryptAt(plain, at, nil)
		if err != nil {
			t.Fatal(err)
		}
		goTokens = append(goTokens, tok)
		add(check{name: "go-token", token: tok, plain: plain}, decryptReq(tok))
	}
	// Python → Go.
	for n := 0; n < 20; n++ {
		plain := make([]byte, n*5)
		r.Read(plain)
		want := plain
		add(check{name: "python-token", check: func(t *testing.T, resp pyapp.FernetResponse) {
			got, err := all.Decrypt(resp.Token, fernet.TTL(time.Minute))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("Python's token %s: Decrypt = %x, %v; want %x", resp.Token, got, err, want)
			}
		}}, map[string]any{"op": "encrypt", "keys": text[1:], "plaintext": hex.EncodeToString(plain), "now": fernetNow})
	}
	// Python rotates a Go token to its first key, keeping the time.
	add(check{name: "python-rotate", check: func(t *testing.T, resp pyapp.FernetResponse) {
		f, _ := fernet.New(keys[0])
		got, made, err := f.DecryptWithTimestamp(resp.Token)
		if err != nil || !made.Equal(at) || len(got) != 3*2 {
			t.Errorf("Python's rotated token: %x, %v, %v", got, made, err)
		}
	}}, map[string]any{"op": "rotate", "keys": text, "token": goTokens[2], "now": fernetNow + 5})
	// Go rotates; Python reads the time with the first key only.
	rotated, err := all.Rotate(goTokens[4])
	if err != nil {
		t.Fatal(err)
	}
	add(check{name: "go-rotate", check: func(t *testing.T, resp pyapp.FernetResponse) {
		if resp.Error != "" || resp.Timestamp == nil || *resp.Timestamp != fernetNow {
			t.Errorf("Python's extract_timestamp of our rotated token: %+v", resp)
		}
	}}, map[string]any{"op": "extract_timestamp", "keys": text[:1], "token": rotated})

	// Mutations of Go tokens: Go and Python agree on each.
	const junk = "ABCabc019-_+/=*. \n\x00\u00e9"
	mutants := map[string]bool{}
	for _, tok := range goTokens[:10] {
		for i := 0; i < 25; i++ {
			m := []rune(tok)
			pos := r.Intn(len(m) + 1)
			switch r.Intn(4) {
			case 0: // replace
				if pos == len(m) {
					pos--
				}
				m[pos] = []rune(junk)[r.Intn(len([]rune(junk)))]
			case 1: // insert
				m = append(m[:pos], append([]rune{[]rune(junk)[r.Intn(len([]rune(junk)))]}, m[pos:]...)...)
			case 2: // delete
				if pos == len(m) {
					pos--
				}
				m = append(m[:pos], m[pos+1:]...)
			case 3: // truncate
				m = m[:pos]
			}
			mutants[string(m)] = true
		}
	}
	for m := range mutants {
		plain, err := all.Decrypt(m, fernet.TTL(time.Minute))
		if err != nil && !errors.Is(err, fernet.ErrInvalidToken) {
			t.Fatalf("Decrypt(%q): untyped error %v", m, err)
		}
		add(check{name: "mutant", token: m, plain: plain}, decryptReq(m))
	}

	resps := pyapp.FernetPeer(t, reqs)
	accepted, refused := 0, 0
	for i, c := range checks {
		resp := resps[i]
		if c.check != nil {
			if resp.Error != "" && c.name != "go-rotate" {
				t.Errorf("%s: Python raised %s", c.name, resp.Error)
				continue
			}
			c.check(t, resp)
			continue
		}
		switch {
		case resp.Error != "" && c.plain != nil:
			t.Errorf("%s %q: Go opened it to %x, Python raised %s", c.name, c.token, c.plain, resp.Error)
		case resp.Error == "" && c.plain == nil:
			t.Errorf("%s %q: Go refused it, Python opened it to %s", c.name, c.token, *resp.Plaintext)
		case resp.Error == "" && hex.EncodeToString(c.plain) != *resp.Plaintext:
			t.Errorf("%s %q: Go %x, Python %s", c.name, c.token, c.plain, *resp.Plaintext)
		case resp.Error != "":
			refused++
		default:
			accepted++
		}
	}
	t.Logf("%d mutants: Go and Python both accept %d, refuse %d (besides the 40+20 tokens)", len(mutants), accepted-40, refused)
	if refused == 0 || accepted <= 40 {
		t.Error("the mutants should include accepted spellings and refused tokens")
	}
}

// fernetSessions are sessions that survive Flask's tagged JSON unchanged.
func fernetSessions() map[string]map[string]any {
	u, _ := py.ParseUUID("12345678123456781234567812345678")
	return map[string]map[string]any{
		"small": {"user_id": int64(42)},
		"every-tag": {
			"_flashes":   []any{py.Tuple{"message", "Welcome"}},
			"_permanent": true,
			"blob":       []byte{0, 0xff, 0x80},
			"motto":      py.Markup("<b>hi</b>"),
			"token":      u,
			"login":      time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC),
			" t":         "escaped",
			"roles":      py.Tuple{"admin", py.Tuple{int64(1), nil}},
		},
		"unicode": {"name": "J\u00fcrgen \U0001f600", "nested": map[string]any{"list": []any{1.5, false, "x"}}},
	}
}

// Flask with compat/fernet_session reads the sessions Go seals, and Go
// reads the sessions Flask seals, with exact Python types; both refuse
// expired and foreign cookies the same way.
func TestLiveFernetFlaskSessions(t *testing.T) {
	keys, text := fernetKeys(t, 2)
	now := time.Unix(fernetNow, 0)
	f, _ := fernet.New(keys[0])
	lifetime := 3600
	goCodec, err := codec.NewSealed(f, codec.WithClock(func() time.Time { return now }),
		codec.WithLifetime(time.Duration(lifetime)*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	rotatedF, _ := fernet.New(keys[1], keys[0])
	rotatedCodec, _ := codec.NewSealed(rotatedF, codec.WithClock(func() time.Time { return now }),
		codec.WithLifetime(time.Duration(lifetime)*time.Second))

	var batch pyapp.FernetBatch
	add := batch.Add
	read := func(cookie string, keys []string, at int64) map[string]any {
		return pyapp.FernetFlaskRead(cookie, keys, at, int64(lifetime))
	}

	for name, s := range fernetSessions() {
		want := any(s)
		cookie, err := goCodec.Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		// Go → Flask, with the key, and with the key rotated out to second.
		for _, keys := range [][]string{text[:1], {text[1], text[0]}} {
			add(read(cookie, keys, fernetNow), func(t *testing.T, resp pyapp.FernetResponse) {
				if d := testvec.Diff(want, resp.FlaskSession(t)); d != "" {
					t.Errorf("%s: Flask read our cookie as something else: %s", name, d)
				}
			})
		}
		// Flask → Go.
		tv, err := testvec.EncodeTV(s)
		if err != nil {
			t.Fatal(err)
		}
		add(map[string]any{"op": "flask_write", "keys": []string{text[1], text[0]}, "session": tv, "now": fernetNow, "lifetime": lifetime},
			func(t *testing.T, resp pyapp.FernetResponse) {
				if resp.Cookie == nil || resp.Status != 200 {
					t.Fatalf("%s: Flask set no cookie: %+v", name, resp)
				}
				var got map[string]any
				made, err := rotatedCodec.Decode(*resp.Cookie, &got)
				if err != nil || !made.Equal(now) {
					t.Fatalf("%s: Decode of Flask's cookie: %v, %v", name, made, err)
				}
				if d := testvec.Diff(want, got); d != "" {
					t.Errorf("%s: we read Flask's cookie as something else: %s", name, d)
				}
				// Flask seals with its first key: the old key alone fails.
				if _, err := goCodec.Decode(*resp.Cookie, &got); !errors.Is(err, itsdangerous.ErrBadSignature) {
					t.Errorf("%s: Flask's cookie opened with its second key: %v", name, err)
				}
			})
	}

	// Time: the same window on both sides.
	cookie, _ := goCodec.Encode(map[string]any{"a": int64(1)})
	for _, tt := range []struct {
		name string
		at   int64
		ok   bool
	}{
		{"age equals lifetime", fernetNow + int64(lifetime), true},
		{"expired", fernetNow + int64(lifetime) + 1, false},
		{"60 s in the future", fernetNow - 60, true},
		{"61 s in the future", fernetNow - 61, false},
	} {
		tt := tt
		add(read(cookie, text[:1], tt.at), func(t *testing.T, resp pyapp.FernetResponse) {
			got := resp.FlaskSession(t)
			var ours map[string]any
			_, err := goCodec.DecodeAt(cookie, &ours, time.Unix(tt.at, 0))
			flaskEmpty := testvec.Diff(map[string]any{}, got) == ""
			if flaskEmpty == tt.ok || (err == nil) != tt.ok {
				t.Errorf("%s: Flask session %v, Go error %v; want ok %v on both sides", tt.name, got, err, tt.ok)
			}
			if err != nil && !errors.Is(err, itsdangerous.ErrSignatureExpired) {
				t.Errorf("%s: Go error %v; want ErrSignatureExpired", tt.name, err)
			}
		})
	}
	// A token that opens but holds no session fails the request on both
	// sides.
	bad, _ := f.EncryptAt([]byte(`{"a":`), now, nil)
	add(read(bad, text[:1], fernetNow), func(t *testing.T, resp pyapp.FernetResponse) {
		var ours map[string]any
		_, err := goCodec.Decode(bad, &ours)
		if resp.Error != "BadPayload" || !errors.Is(err, itsdangerous.ErrBadPayload) {
			t.Errorf("bad payload: Flask %+v, Go %v; want BadPayload on both sides", resp, err)
		}
	})

	batch.Run(t)
}
