package fernet_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

// specDir is where the Fernet specification's own vectors live, read in
// place (never copied into the repository).
const specDir = "../shared/vectors/fernet"

// specTime parses the specification's RFC 3339 times.
func specTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func mustKey(t testing.TB, s string) fernet.Key {
	t.Helper()
	k, err := fernet.ParseKey(s)
	if err != nil {
		t.Fatalf("ParseKey(%q): %v", s, err)
	}
	return k
}

func mustNew(t testing.TB, keys ...string) *fernet.Fernet {
	t.Helper()
	ks := make([]fernet.Key, len(keys))
	for i, s := range keys {
		ks[i] = mustKey(t, s)
	}
	f, err := fernet.New(ks...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// specVectorsRequired tells why the specification's vectors must be
// present, or "" when a clone without them may skip: they are required in
// CI (CI=true, as CI services set it) and wherever cross-checks are
// mandatory (FLASKCOOKIE_REQUIRE_PYTHON=1). The variables are read with
// os.Getenv in the test, so they enter Go's test cache key.
func specVectorsRequired(getenv func(string) string) string {
	switch {
	case getenv("CI") == "true":
		return "CI=true"
	case getenv(pyoracle.RequireEnv) == "1":
		return pyoracle.RequireEnv + "=1"
	}
	return ""
}

// TestSpecVectorsRequired checks when missing specification vectors fail
// the test instead of skipping it.
func TestSpecVectorsRequired(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		required bool
	}{
		{"a developer's clone", nil, false},
		{"CI", map[string]string{"CI": "true"}, true},
		{"mandatory cross-checks", map[string]string{pyoracle.RequireEnv: "1"}, true},
		{"both", map[string]string{"CI": "true", pyoracle.RequireEnv: "1"}, true},
		{"CI=false", map[string]string{"CI": "false"}, false},
		{"require 0", map[string]string{pyoracle.RequireEnv: "0"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := specVectorsRequired(func(k string) string { return tt.env[k] })
			if (got != "") != tt.required {
				t.Errorf("specVectorsRequired = %q, want required %v", got, tt.required)
			}
		})
	}
	// The path is the repository root's parent's shared/ (where CI copies
	// it), whatever the package directory.
	if got, want := testvec.Path(t, specDir), filepath.Join(filepath.Dir(testvec.Path(t, ".")), "shared", "vectors", "fernet"); got != want {
		t.Errorf("spec vectors looked for at %s, want %s", got, want)
	}
}

// TestFernetSpecVectors checks the specification's generate, verify and
// invalid vectors (github.com/fernet/spec, commit 20dead4).
func TestFernetSpecVectors(t *testing.T) {
	dir := testvec.Path(t, specDir)
	if _, err := os.Stat(dir); err != nil {
		if why := specVectorsRequired(os.Getenv); why != "" {
			t.Fatalf("the Fernet specification's vectors are missing at %s (%v), and %s requires them: CI lays a copy of shared/ beside the clone, as <clone>/../shared", dir, err, why)
		}
		t.Skipf("spec vectors not found at %s: %v (set CI=true or %s=1 to fail instead)", dir, err, pyoracle.RequireEnv)
	}
	read := func(name string, v any) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var generate []struct {
		Token, Now, Src, Secret string
		IV                      []int // a JSON list of byte values
	}
	read("generate.json", &generate)
	var verify []struct {
		Token, Now, Src, Secret string
		TTL                     int64 `json:"ttl_sec"`
	}
	read("verify.json", &verify)
	var invalid []struct {
		Desc, Token, Now, Secret string
		TTL                      int64 `json:"ttl_sec"`
	}
	read("invalid.json", &invalid)
	if len(generate) == 0 || len(verify) == 0 || len(invalid) == 0 {
		t.Fatalf("loaded %d generate, %d verify, %d invalid vectors; want some of each", len(generate), len(verify), len(invalid))
	}

	for _, v := range generate {
		t.Run("generate/"+v.Src, func(t *testing.T) {
			iv := make([]byte, len(v.IV))
			for j, b := range v.IV {
				iv[j] = byte(b)
			}
			got, err := mustNew(t, v.Secret).EncryptAt([]byte(v.Src), specTime(t, v.Now), iv)
			if err != nil || got != v.Token {
				t.Fatalf("EncryptAt = %q, %v; want %q", got, err, v.Token)
			}
		})
	}
	for _, v := range verify {
		t.Run("verify/"+v.Src, func(t *testing.T) {
			got, err := mustNew(t, v.Secret).Decrypt(v.Token,
				fernet.TTL(time.Duration(v.TTL)*time.Second), fernet.At(specTime(t, v.Now)))
			if err != nil || string(got) != v.Src {
				t.Fatalf("Decrypt = %q, %v; want %q", got, err, v.Src)
			}
		})
	}
	for _, v := range invalid {
		t.Run("invalid/"+v.Desc, func(t *testing.T) {
			got, err := mustNew(t, v.Secret).Decrypt(v.Token,
				fernet.TTL(time.Duration(v.TTL)*time.Second), fernet.At(specTime(t, v.Now)))
			if !errors.Is(err, fernet.ErrInvalidToken) || got != nil {
				t.Fatalf("Decrypt = %q, %v; want ErrInvalidToken (%s)", got, err, v.Desc)
			}
		})
	}
}

// pythonVectors is the part of testdata/fernet/vectors.json this package
// reads; compat/gen_fernet.py made it with python3-cryptography.
type pythonVectors struct {
	Provenance struct {
		Cryptography string `json:"cryptography"`
		Command      string `json:"command"`
	} `json:"provenance"`
	Keys []struct {
		Name  string  `json:"name"`
		Key   string  `json:"key"`
		Raw   *string `json:"raw"`
		Error *string `json:"error"`
	} `json:"keys"`
	Encrypt []struct {
		Name      string `json:"name"`
		Key       string `json:"key"`
		Now       int64  `json:"now"`
		IV        string `json:"iv"`
		Plaintext string `json:"plaintext"`
		Token     string `json:"token"`
	} `json:"encrypt"`
	Tokens []struct {
		Name      string   `json:"name"`
		Op        string   `json:"op"`
		Keys      []string `json:"keys"`
		Token     string   `json:"token"`
		Now       int64    `json:"now"`
		TTL       *int64   `json:"ttl"`
		IV        *string  `json:"iv"`
		Timestamp *uint64  `json:"timestamp"`
		Rotated   *string  `json:"rotated"`
		Plaintext *string  `json:"plaintext"`
		Error     *string  `json:"error"`
	} `json:"tokens"`
}

func loadPythonVectors(t *testing.T) *pythonVectors {
	t.Helper()
	data, err := os.ReadFile(testvec.Path(t, "testdata/fernet/vectors.json"))
	if err != nil {
		t.Fatalf("%v (regenerate with compat/gen_fernet.py)", err)
	}
	var v pythonVectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if v.Provenance.Cryptography == "" || len(v.Keys) == 0 || len(v.Encrypt) == 0 || len(v.Tokens) == 0 {
		t.Fatalf("vectors.json: no provenance or an empty section")
	}
	return &v
}

// maxTime is the latest time Go can hold, where larger token timestamps
// are clamped.
var maxTime = time.Unix(math.MaxInt64-62135596800, 0).UTC()

func wantTime(ts uint64) time.Time {
	if ts > uint64(maxTime.Unix()) {
		return maxTime
	}
	return time.Unix(int64(ts), 0).UTC()
}

// TestFernetPythonVectors checks every key, token and rotation of the
// vectors made by python3-cryptography: the same results, and a refusal
// (ErrInvalidToken, ErrInvalidKey) wherever Python raised.
func TestFernetPythonVectors(t *testing.T) {
	v := loadPythonVectors(t)
	t.Logf("python3-cryptography %s: %d keys, %d encryptions, %d token operations",
		v.Provenance.Cryptography, len(v.Keys), len(v.Encrypt), len(v.Tokens))
	for _, kv := range v.Keys {
		t.Run("key/"+kv.Name, func(t *testing.T) {
			k, err := fernet.ParseKey(kv.Key)
			if kv.Error != nil {
				if !errors.Is(err, fernet.ErrInvalidKey) {
					t.Fatalf("ParseKey = %x, %v; Python raised %s", k, err, *kv.Error)
				}
				return
			}
			if err != nil || hex.EncodeToString(k[:]) != *kv.Raw {
				t.Fatalf("ParseKey = %x, %v; want %s", k, err, *kv.Raw)
			}
		})
	}
	for _, ev := range v.Encrypt {
		t.Run("encrypt/"+ev.Name, func(t *testing.T) {
			f := mustNew(t, ev.Key)
			plain := mustHex(t, ev.Plaintext)
			got, err := f.EncryptAt(plain, time.Unix(ev.Now, 0), mustHex(t, ev.IV))
			if err != nil || got != ev.Token {
				t.Fatalf("EncryptAt = %q, %v\nwant %q", got, err, ev.Token)
			}
			// The same bytes through the random source.
			got, err = f.WithRandom(bytes.NewReader(mustHex(t, ev.IV))).EncryptAt(plain, time.Unix(ev.Now, 0), nil)
			if err != nil || got != ev.Token {
				t.Fatalf("EncryptAt with WithRandom = %q, %v\nwant %q", got, err, ev.Token)
			}
		})
	}
	counts := map[string]int{}
	for _, tv := range v.Tokens {
		t.Run("token/"+tv.Name, func(t *testing.T) {
			f := mustNew(t, tv.Keys...).WithClock(func() time.Time { return time.Unix(tv.Now, 0) })
			var err error
			switch tv.Op {
			case "decrypt":
				var opts []fernet.DecryptOption
				if tv.TTL != nil {
					opts = append(opts, fernet.TTL(time.Duration(*tv.TTL)*time.Second))
				}
				var got []byte
				got, err = f.Decrypt(tv.Token, opts...)
				if tv.Error == nil {
					if err != nil || hex.EncodeToString(got) != *tv.Plaintext {
						t.Fatalf("Decrypt = %x, %v; want %s", got, err, *tv.Plaintext)
					}
				} else if got != nil {
					t.Fatalf("Decrypt returned %x with the error", got)
				}
			case "extract_timestamp":
				var got time.Time
				got, err = f.ExtractTimestamp(tv.Token)
				if tv.Error == nil && (err != nil || !got.Equal(wantTime(*tv.Timestamp))) {
					t.Fatalf("ExtractTimestamp = %v, %v; want %d", got, err, *tv.Timestamp)
				}
			case "rotate":
				var got string
				got, err = f.WithRandom(bytes.NewReader(mustHex(t, *tv.IV))).Rotate(tv.Token)
				if tv.Error == nil && (err != nil || got != *tv.Rotated) {
					t.Fatalf("Rotate = %q, %v\nwant %q", got, err, *tv.Rotated)
				}
			default:
				t.Fatalf("unknown op %q", tv.Op)
			}
			if tv.Error != nil {
				// InvalidToken, or ValueError for a str token with a
				// non-ASCII character: both are refusals here.
				if !errors.Is(err, fernet.ErrInvalidToken) {
					t.Fatalf("%s: err = %v; Python raised %s", tv.Op, err, *tv.Error)
				}
				counts["refused"]++
				return
			}
			counts[tv.Op]++
		})
	}
	t.Logf("results: %v", counts)
	for _, k := range []string{"decrypt", "extract_timestamp", "rotate", "refused"} {
		if counts[k] == 0 {
			t.Errorf("no %s vector passed", k)
		}
	}
}
