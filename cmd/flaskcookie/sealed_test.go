package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
)

// Sealed (Fernet) sessions. The keys and the cookie are from
// testdata/fernet/vectors.json, made by Python (cryptography 38.0.4, Flask
// 2.2.2 and compat/fernet_session).
const (
	sealedKey    = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	sealedKey2   = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM="
	sealedCookie = "gAAAAABlU_EA0NHS09TV1tfY2drb3N3e38cmIRzqW-M7Gt8allJeJeYLb1_UOBztVBMpc7CldyOYYAVIsfVnbMwk6vbOYDjeCA==" // {"user_id": 42} sealed with sealedKey at 1700000000 (vector decode/ok)
	sealedFile   = "testdata/fernet/vectors.json"
)

func TestSealedDecodeFormats(t *testing.T) {
	// The tagged JSON is Python's (vector encode/small); the other formats
	// show the same session as decode shows signed ones.
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "json", args: []string{"--fernet-key", sealedKey, sealedCookie}, want: "{\n  \"user_id\": 42\n}\n"},
		{name: "python", args: []string{"--fernet-key", sealedKey, "--format", "python", sealedCookie}, want: "{'user_id': 42}\n"},
		{name: "tagged", args: []string{"--fernet-key", sealedKey, "--format", "tagged", sealedCookie}, want: `{"user_id":42}` + "\n"},
		{name: "session=value", args: []string{"--fernet-key", sealedKey, "--format", "python", "session=" + sealedCookie}, want: "{'user_id': 42}\n"},
		{name: "Cookie header", args: []string{"--fernet-key", sealedKey, "--format", "python", "Cookie: a=b; session=" + sealedCookie + "; c=d"}, want: "{'user_id': 42}\n"},
		{name: "flags after the cookie", args: []string{sealedCookie, "--format", "python", "--fernet-key", sealedKey}, want: "{'user_id': 42}\n"},
		// Python's base64 reading accepts '+' and '/' (vector decode/lenient-spelling).
		{name: "lenient spelling", args: []string{"--fernet-key", sealedKey, "--format", "python", strings.NewReplacer("-", "+", "_", "/").Replace(sealedCookie)}, want: "{'user_id': 42}\n"},
		// age == max-age is still valid, as for Fernet's TTL.
		{name: "age equals max-age", args: []string{"--fernet-key", sealedKey, "--max-age", "10", "--now", "1700000010", "--format", "python", sealedCookie}, want: "{'user_id': 42}\n"},
		// Up to 60 seconds in the future is Fernet's clock skew.
		{name: "60 s in the future", args: []string{"--fernet-key", sealedKey, "--max-age", "10", "--now", "1699999940", "--format", "python", sealedCookie}, want: "{'user_id': 42}\n"},
		// Without --max-age no time is checked, as Python's loads(cookie).
		{name: "no max-age, far future", args: []string{"--fernet-key", sealedKey, "--now", "1000000000", "--format", "python", sealedCookie}, want: "{'user_id': 42}\n"},
		// Rotation: the old key, second, still opens.
		{name: "old key second", args: []string{"--fernet-key", sealedKey2, "--fernet-key", sealedKey, "--format", "python", sealedCookie}, want: "{'user_id': 42}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", append([]string{"decode"}, tt.args...)...)
			wantOK(t, r)
			if r.stdout != tt.want {
				t.Errorf("stdout = %q, want %q", r.stdout, tt.want)
			}
			if r.stderr != "" {
				t.Errorf("a sealed cookie opened, yet stderr says %q", r.stderr)
			}
		})
	}
}

func TestSealedDecodeFailures(t *testing.T) {
	tampered := sealedCookie[:40] + "A" + sealedCookie[41:]
	if tampered == sealedCookie {
		tampered = sealedCookie[:40] + "B" + sealedCookie[41:]
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		// Sealed with sealedKey, not sealedKey2.
		{name: "wrong key", args: []string{"--fernet-key", sealedKey2, sealedCookie}, want: []string{"does not open with any --fernet-key"}},
		// A changed byte breaks the HMAC.
		{name: "tampered", args: []string{"--fernet-key", sealedKey, tampered}, want: []string{"does not open"}},
		// 11 seconds old with a maximum of 10.
		{name: "expired", args: []string{"--fernet-key", sealedKey, "--max-age", "10", "--now", "1700000011", sealedCookie}, want: []string{"expired", "11 seconds", "--max-age 10"}},
		// 61 seconds ahead: beyond Fernet's 60 s of clock skew.
		{name: "future", args: []string{"--fernet-key", sealedKey, "--max-age", "10", "--now", "1699999939", sealedCookie}, want: []string{"future", "1 minute 1 second", "60 seconds"}},
		// A sealed cookie cannot be read unverified.
		{name: "no key", args: []string{sealedCookie}, want: []string{"sealed", "cannot be read without its key", "--fernet-key"}},
		{name: "no key, python format", args: []string{"--format", "python", "session=" + sealedCookie}, want: []string{"sealed", "--fernet-key"}},
		{name: "no key, --secret", args: []string{"--secret", specSecret, sealedCookie}, want: []string{"sealed", "--fernet-key instead of --secret"}},
		// A signed cookie is not a Fernet token.
		{name: "signed cookie", args: []string{"--fernet-key", sealedKey, v10Cookie}, want: []string{"malformed", "signed Flask cookie", "--secret"}},
		// Cut short: no longer a whole token.
		{name: "truncated", args: []string{"--fernet-key", sealedKey, sealedCookie[:60]}, want: []string{"malformed"}},
		{name: "truncated without key", args: []string{sealedCookie[:60]}, want: []string{"malformed", "Fernet"}},
		// Missing padding is refused, as by Python.
		{name: "no padding", args: []string{"--fernet-key", sealedKey, strings.TrimRight(sealedCookie, "=")}, want: []string{"malformed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFail(t, fc(t, "", append([]string{"decode"}, tt.args...)...), tt.want...)
		})
	}
	t.Run("flask-unsign decode", func(t *testing.T) {
		wantFail(t, fc(t, "", "--decode", "--cookie", sealedCookie), "sealed", "--fernet-key")
	})
}

// everyType is a session with every type Flask tags, as a Python literal,
// and wantEveryType is Python's repr of what Flask loads back from it.
const (
	everyType = `{'t': (1, 'a', ()), 'b': b'\x00\xff', 'm': Markup('<i>'), 'u': UUID('12345678-1234-5678-1234-567812345678'), ` +
		`'d': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), 'big': 123456789012345678901234567890, ` +
		`'f': [-0.0, 1e-07, 1e+16, nan, inf, -inf, 1.5], 'n': None, 'x': {' t': 1}, '$tuple': {'$tuple': 1}, 's': 'caf\xe9 \U0001f600 \udc80'}`
	wantEveryType = "{'$tuple': {'$tuple': 1}, 'b': b'\\x00\\xff', 'big': 123456789012345678901234567890, " +
		"'d': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), 'f': [-0.0, 1e-07, 1e+16, nan, inf, -inf, 1.5], " +
		"'m': Markup('<i>'), 'n': None, 's': 'café 😀 \\udc80', 't': (1, 'a', ()), 'u': UUID('12345678-1234-5678-1234-567812345678'), 'x': {' t': 1}}\n"
)

// TestSealedRoundTrip seals a session with every type, decodes it in each
// format, seals that output again and decodes it once more.
func TestSealedRoundTrip(t *testing.T) {
	r := fc(t, "", "encode", "--fernet-key", sealedKey, "--format", "python", "--timestamp", specNow, everyType)
	wantOK(t, r)
	cookie := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(cookie, "gAAAAABlU_EA") || strings.Contains(cookie, ".") {
		t.Fatalf("encode --fernet-key printed %q, not a Fernet token stamped 1700000000", cookie)
	}
	for _, format := range []string{"json", "python", "tagged"} {
		t.Run(format, func(t *testing.T) {
			d := fc(t, "", "decode", "--fernet-key", sealedKey, "--format", format, cookie)
			wantOK(t, d)
			e := fc(t, d.stdout, "encode", "--fernet-key", sealedKey, "--format", format, "-")
			wantOK(t, e)
			back := fc(t, "", "decode", "--fernet-key", sealedKey, "--format", "python", strings.TrimSpace(e.stdout))
			wantOK(t, back)
			if back.stdout != wantEveryType {
				t.Errorf("after a round trip through --format %s:\n got %s\nwant %s", format, back.stdout, wantEveryType)
			}
		})
	}
	t.Run("random IV", func(t *testing.T) {
		again := fc(t, "", "encode", "--fernet-key", sealedKey, "--format", "python", "--timestamp", specNow, everyType)
		wantOK(t, again)
		if again.stdout == r.stdout {
			t.Error("two sealed cookies are identical: the IV is not fresh")
		}
	})
	t.Run("timestamp", func(t *testing.T) {
		// Sealed at --timestamp: 10 s later it is 10 s old, not 11.
		wantOK(t, fc(t, "", "decode", "--fernet-key", sealedKey, "--max-age", "10", "--now", "1700000010", cookie))
		wantFail(t, fc(t, "", "decode", "--fernet-key", sealedKey, "--max-age", "10", "--now", "1700000011", cookie), "expired")
	})
}

// TestSealedRotation: the first key seals, every key opens.
func TestSealedRotation(t *testing.T) {
	value := `{"user_id": 7}`
	old := fc(t, "", "encode", "--fernet-key", sealedKey, value)
	wantOK(t, old)
	both := fc(t, "", "encode", "--fernet-key", sealedKey2, "--fernet-key", sealedKey, value)
	wantOK(t, both)
	tests := []struct {
		name   string
		cookie string
		keys   []string
		ok     bool
	}{
		{name: "old cookie, new and old keys", cookie: old.stdout, keys: []string{sealedKey2, sealedKey}, ok: true},
		{name: "old cookie, old and new keys", cookie: old.stdout, keys: []string{sealedKey, sealedKey2}, ok: true},
		// The old key was dropped.
		{name: "old cookie, new key only", cookie: old.stdout, keys: []string{sealedKey2}},
		// Sealed with the first key, sealedKey2.
		{name: "new cookie, new key only", cookie: both.stdout, keys: []string{sealedKey2}, ok: true},
		// The second key never seals.
		{name: "new cookie, old key only", cookie: both.stdout, keys: []string{sealedKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"decode", "--format", "python"}
			for _, k := range tt.keys {
				args = append(args, "--fernet-key", k)
			}
			r := fc(t, "", append(args, strings.TrimSpace(tt.cookie))...)
			if !tt.ok {
				wantFail(t, r, "does not open")
				return
			}
			wantOK(t, r)
			if r.stdout != "{'user_id': 7}\n" {
				t.Errorf("stdout = %q", r.stdout)
			}
		})
	}
}

func TestSealedUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		// 31 bytes: Python's Fernet() raises ValueError (vector keys/31-bytes).
		{name: "short key", args: []string{"decode", "--fernet-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", sealedCookie}, want: "--fernet-key is not a Fernet key"},
		{name: "second key bad", args: []string{"decode", "--fernet-key", sealedKey, "--fernet-key", "secret", sealedCookie}, want: "--fernet-key number 2 is not a Fernet key"},
		{name: "with --secret", args: []string{"decode", "--fernet-key", sealedKey, "--secret", "k", sealedCookie}, want: "--secret: only for signed cookies"},
		{name: "with --salt and --legacy", args: []string{"decode", "--fernet-key", sealedKey, "--salt", "s", "--legacy", sealedCookie}, want: "--legacy, --salt: only for signed cookies"},
		{name: "inspect with --digest", args: []string{"inspect", "--fernet-key", sealedKey, "--digest", "sha256", sealedCookie}, want: "--digest"},
		{name: "encode with --secret", args: []string{"encode", "--fernet-key", sealedKey, "--secret", "k", "{}"}, want: "only for signed cookies"},
		{name: "encode with --fallback-secret", args: []string{"encode", "--fernet-key", sealedKey, "--fallback-secret", "k", "{}"}, want: "--fallback-secret"},
		{name: "encode bad key", args: []string{"encode", "--fernet-key", "not-a-key", "{}"}, want: "not a Fernet key"},
		{name: "encode without any key", args: []string{"encode", "{}"}, want: "--fernet-key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", tt.args...)
			wantUsage(t, r, tt.want)
			if strings.Contains(r.stderr, "not-a-key") || strings.Contains(r.stderr, "AAAAAAAAAAAA") {
				t.Errorf("the message repeats the key: %q", r.stderr)
			}
		})
	}
}

func TestSealedEncodeFailures(t *testing.T) {
	// A list is not a session; an unknown tag is not a value.
	wantFail(t, fc(t, "", "encode", "--fernet-key", sealedKey, "[1]"), "not a dict")
	wantFail(t, fc(t, "", "encode", "--fernet-key", sealedKey, `{"a": {"$set": [1]}}`), "unknown tag")
	// Over Flask's limit: printed, with a warning.
	big := `{"blob": "` + strings.Repeat("x", 4000) + `"}`
	r := fc(t, "", "encode", "--fernet-key", sealedKey, big)
	wantOK(t, r)
	if !strings.Contains(r.stderr, "warning") || !strings.Contains(r.stderr, "4093") {
		t.Errorf("no size warning: %q", r.stderr)
	}
	d := fc(t, "", "decode", "--fernet-key", sealedKey, "--format", "tagged", strings.TrimSpace(r.stdout))
	wantOK(t, d)
	if d.stdout != `{"blob":"`+strings.Repeat("x", 4000)+`"}`+"\n" {
		t.Errorf("the large session came back as %.60q...", d.stdout)
	}
}

// fernetToken builds a token's bytes by hand, with any timestamp and a
// junk MAC: only its public parts are valid.
func fernetToken(ts uint64, blocks int) string {
	b := []byte{0x80}
	for i := 7; i >= 0; i-- {
		b = append(b, byte(ts>>(8*i)))
	}
	b = append(b, make([]byte, 16+16*blocks+32)...)
	return base64.URLEncoding.EncodeToString(b)
}

func TestSealedInspect(t *testing.T) {
	big := fc(t, "", "encode", "--fernet-key", sealedKey, "--timestamp", specNow, `{"blob": "`+strings.Repeat("x", 4000)+`"}`)
	wantOK(t, big)
	tests := []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		// 73 bytes: 1 + 8 + 16 + 16 + 32; the 16-byte ciphertext holds 0 to 15 bytes.
		{name: "no key", args: []string{"--now", "1700003600", sealedCookie}, want: []string{
			"100 bytes (Flask's limit: 4093)", "Fernet token, version 0x80", "73 bytes", "ciphertext 16", "0 to 15 bytes",
			"2023-11-14 22:13:20 UTC", "1700000000", "1 hour", "valid for Flask's default lifetime", "not given (--fernet-key"},
			not: []string{"user_id"}},
		{name: "key", args: []string{"--fernet-key", sealedKey, "session=" + sealedCookie}, want: []string{
			"opens: --fernet-key sealed this cookie", "14 bytes of tagged JSON", `{"user_id":42}`}},
		{name: "rotated key", args: []string{"--fernet-key", sealedKey2, "--fernet-key", sealedKey, sealedCookie}, want: []string{
			"opens with --fernet-key number 2, an older key", `{"user_id":42}`}},
		{name: "wrong key", args: []string{"--fernet-key", sealedKey2, sealedCookie}, want: []string{"does not open"}, not: []string{"user_id"}},
		{name: "expired", args: []string{"--now", "1800000000", sealedCookie}, want: []string{"expired for Flask's default lifetime"}},
		{name: "future within skew", args: []string{"--now", "1699999970", sealedCookie}, want: []string{"30 seconds in the future, within the 60 seconds"}},
		{name: "future beyond skew", args: []string{"--now", "1699999000", sealedCookie}, want: []string{"in the future, beyond the 60 seconds", "Flask refuses it"}},
		{name: "secret given", args: []string{"--secret", "k", sealedCookie}, want: []string{"not used: a sealed cookie has no signature"}},
		{name: "over the limit", args: []string{"--fernet-key", sealedKey, strings.TrimSpace(big.stdout)}, want: []string{"over Flask's limit of 4093", "4011 bytes of tagged JSON"}},
		// Timestamps a key holder alone can write: the largest, and 0.
		{name: "timestamp 2^64-1", args: []string{fernetToken(1<<64-1, 1)}, want: []string{"in the future", "ciphertext 16"}},
		{name: "timestamp 0", args: []string{"--now", "1700000000", fernetToken(0, 2)}, want: []string{"1970-01-01 00:00:00 UTC", "16 to 31 bytes", "expired"}},
		// A signed cookie with a Fernet key: shown as signed.
		{name: "signed cookie with a Fernet key", args: []string{"--fernet-key", sealedKey, v10Cookie}, want: []string{"HMAC-SHA1", "not used: this cookie is signed, not sealed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", append([]string{"inspect"}, tt.args...)...)
			wantOK(t, r)
			wantSays(t, "inspect", r.stdout, tt.want, tt.not)
		})
	}
	wantFail(t, fc(t, "", "inspect", sealedCookie[:60]), "malformed", "Fernet")
}

func TestSealedHelp(t *testing.T) {
	wantHelpShows(t, "--fernet-key KEY", "--fernet-key", "decode", "encode", "inspect")
	// The help's examples work: this key opens this cookie.
	r := fc(t, "", "help", "decode")
	if !strings.Contains(r.stdout, sealedKey) || !strings.Contains(r.stdout, sealedCookie) {
		t.Error("help decode lacks the sealed example")
	}
}

// sealedVector is one of the sessions of testdata/fernet/vectors.json (see
// the README there).
type sealedVector struct {
	Name     string     `json:"name"`
	Op       string     `json:"op"`
	Keys     []string   `json:"keys"`
	Now      int64      `json:"now"`
	Lifetime int64      `json:"lifetime"`
	Value    testvec.TV `json:"value"`
	Decoded  testvec.TV `json:"decoded"`
	JSON     *string    `json:"json"`
	Cookie   string     `json:"cookie"`
	Error    *string    `json:"error"`
}

func loadSealed(t *testing.T) []sealedVector {
	t.Helper()
	b, err := os.ReadFile(testvec.Path(t, sealedFile))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Sessions []sealedVector `json:"sessions"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", sealedFile, err)
	}
	if len(f.Sessions) < 20 {
		t.Fatalf("%s: only %d sessions", sealedFile, len(f.Sessions))
	}
	return f.Sessions
}

func sealedKeyArgs(keys []string) []string {
	var args []string
	for _, k := range keys {
		args = append(args, "--fernet-key", k)
	}
	return args
}

// checkSealed decodes one vector's cookie in every format, with its keys,
// clock and lifetime, and compares with what Python's session interface
// loaded (or the class of its failure).
func checkSealed(t *testing.T, v *sealedVector, run runner) {
	args := func(format string) []string {
		a := append([]string{"decode", "--format", format, "--now", strconv.FormatInt(v.Now, 10), "--max-age", strconv.FormatInt(v.Lifetime, 10)}, sealedKeyArgs(v.Keys)...)
		return append(a, v.Cookie)
	}
	if v.Error != nil {
		r := run(t, "", args("python")...)
		switch *v.Error {
		case "BadSignature":
			wantFail(t, r)
			if !strings.Contains(r.stderr, "does not open") && !strings.Contains(r.stderr, "malformed") &&
				!strings.Contains(r.stderr, "expired") && !strings.Contains(r.stderr, "future") {
				t.Errorf("Python raised BadSignature; we said %q", r.stderr)
			}
		case "BadPayload":
			wantFail(t, r, "opens, but Flask could not load the payload")
		default:
			t.Fatalf("unknown error class %q", *v.Error)
		}
		return
	}
	want, err := v.Decoded.Value()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := want.(map[string]any); !ok {
		// Python loads it, but a Flask session is a dict.
		wantFail(t, run(t, "", args("python")...), "not a dict")
		return
	}
	wantDecodesAs(t, run, args, want)
	r := run(t, "", args("tagged")...)
	wantOK(t, r)
	if v.Op == "encode" && v.JSON != nil {
		in, err := v.Value.Value()
		if err != nil {
			t.Fatal(err)
		}
		// What Python wrote is what it writes again for the session it
		// loads, when loading gives back the value it wrote.
		if testvec.Diff(in, want) == "" && r.stdout != *v.JSON+"\n" {
			t.Errorf("--format tagged:\n got %s\nwant %s (Python's)", r.stdout, *v.JSON)
		}
	}
}

// TestSealedVectors decodes every sealed session of the vectors,
// in-process, and one of each kind through the binary.
func TestSealedVectors(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range loadSealed(t) {
		v := v
		t.Run(v.Name, func(t *testing.T) { checkSealed(t, &v, fcIn) })
		kind := v.Op
		if v.Error != nil {
			kind += "/" + *v.Error
		}
		if !seen[kind] {
			seen[kind] = true
			t.Run("binary/"+v.Name, func(t *testing.T) { checkSealed(t, &v, fc) })
		}
	}
	if len(seen) < 4 {
		t.Errorf("only %d kinds of vectors: %v", len(seen), seen)
	}
}

// TestSealedPython: Flask with compat/fernet_session opens what encode
// seals, and decode opens what Flask seals, with exact Python types; keys
// rotate the same way on both sides.
func TestSealedPython(t *testing.T) {
	pyoracle.Shared(t) // skip before any work when Python is missing
	const lifetime = 2678400
	var batch pyapp.FernetBatch
	add := batch.Add
	read := func(cookie string, keys []string, now int64) map[string]any {
		return pyapp.FernetFlaskRead(cookie, keys, now, lifetime)
	}

	n := 0
	for _, v := range loadSealed(t) {
		if v.Op != "encode" {
			continue
		}
		n++
		v := v
		value, err := v.Value.Ordered()
		if err != nil {
			t.Fatal(err)
		}
		want, err := v.Decoded.Value()
		if err != nil {
			t.Fatal(err)
		}
		now := strconv.FormatInt(v.Now, 10)
		// Go → Flask: encode (first key seals), Flask reads with the keys.
		args := append([]string{"encode", "--format", "python", "--timestamp", now}, sealedKeyArgs(v.Keys)...)
		r := fcIn(t, py.Repr(value), append(args, "-")...)
		wantOK(t, r)
		cookie := strings.TrimSpace(r.stdout)
		add(read(cookie, v.Keys, v.Now), func(t *testing.T, resp pyapp.FernetResponse) {
			if d := testvec.Diff(want, resp.FlaskSession(t)); d != "" {
				t.Errorf("%s: Flask reads our cookie %s as something else: %s", v.Name, cookie, d)
			}
		})
		// Flask → Go: Flask seals the value, decode opens it.
		tv, err := json.Marshal(v.Value)
		if err != nil {
			t.Fatal(err)
		}
		add(map[string]any{"op": "flask_write", "keys": v.Keys, "session": json.RawMessage(tv), "now": v.Now, "lifetime": lifetime},
			func(t *testing.T, resp pyapp.FernetResponse) {
				if resp.Cookie == nil || resp.Status != 200 {
					t.Fatalf("%s: Flask set no cookie: %+v", v.Name, resp)
				}
				if *resp.Cookie == "" {
					// Flask deletes the cookie of an empty session.
					if d := testvec.Diff(map[string]any{}, want); d != "" {
						t.Errorf("%s: Flask deleted the cookie of a session that is not empty: %s", v.Name, d)
					}
					return
				}
				args := append([]string{"decode", "--format", "python", "--now", now, "--max-age", strconv.Itoa(lifetime)}, sealedKeyArgs(v.Keys)...)
				r := fcIn(t, "", append(args, *resp.Cookie)...)
				wantOK(t, r)
				got, err := py.ParseLiteral(r.stdout)
				if err != nil {
					t.Fatalf("%s: --format python printed %q: %v", v.Name, r.stdout, err)
				}
				if d := testvec.Diff(want, got); d != "" {
					t.Errorf("%s: we read Flask's cookie as something else: %s", v.Name, d)
				}
			})
	}
	if n < 10 {
		t.Fatalf("only %d encode vectors", n)
	}

	// Rotation across, through the binary: cookies sealed by encode with
	// [new, old] open in Flask with [new] but not [old] (an empty session);
	// Flask's cookies sealed with [old] open with [new, old].
	const now = 1700000000
	r := fc(t, "", "encode", "--fernet-key", sealedKey2, "--fernet-key", sealedKey, "--timestamp", specNow, `{"user_id": 7}`)
	wantOK(t, r)
	rotated := strings.TrimSpace(r.stdout)
	wantUser7 := map[string]any{"user_id": int64(7)}
	add(read(rotated, []string{sealedKey2}, now), func(t *testing.T, resp pyapp.FernetResponse) {
		if d := testvec.Diff(wantUser7, resp.FlaskSession(t)); d != "" {
			t.Errorf("Flask with the new key: %s", d)
		}
	})
	add(read(rotated, []string{sealedKey}, now), func(t *testing.T, resp pyapp.FernetResponse) {
		if d := testvec.Diff(map[string]any{}, resp.FlaskSession(t)); d != "" {
			t.Errorf("Flask with the old key only should start an empty session: %s", d)
		}
	})
	// Expired for Flask and for decode --max-age alike.
	add(read(rotated, []string{sealedKey2}, now+lifetime+1), func(t *testing.T, resp pyapp.FernetResponse) {
		if d := testvec.Diff(map[string]any{}, resp.FlaskSession(t)); d != "" {
			t.Errorf("Flask reads an expired cookie: %s", d)
		}
		wantFail(t, fc(t, "", "decode", "--fernet-key", sealedKey2, "--max-age", strconv.Itoa(lifetime), "--now", strconv.Itoa(now+lifetime+1), rotated), "expired")
	})
	tv, err := testvec.EncodeTV(map[string]any{"user_id": int64(7)})
	if err != nil {
		t.Fatal(err)
	}
	add(map[string]any{"op": "flask_write", "keys": []string{sealedKey}, "session": tv, "now": now, "lifetime": lifetime},
		func(t *testing.T, resp pyapp.FernetResponse) {
			if resp.Cookie == nil {
				t.Fatalf("Flask set no cookie: %+v", resp)
			}
			r := fc(t, "", "decode", "--fernet-key", sealedKey2, "--fernet-key", sealedKey, "--format", "python", *resp.Cookie)
			wantOK(t, r)
			if r.stdout != "{'user_id': 7}\n" {
				t.Errorf("Flask's cookie with [new, old]: %q", r.stdout)
			}
			wantFail(t, fc(t, "", "decode", "--fernet-key", sealedKey2, *resp.Cookie), "does not open")
		})

	batch.Run(t)
}
