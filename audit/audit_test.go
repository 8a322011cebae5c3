package audit

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// vector is one token of testdata/audit (compat/gen_audit.py) or of
// testdata/jws (compat/gen_jws.py).
type vector struct {
	Name       string  `json:"name"`
	Format     Format  `json:"format"`
	Secret     *string `json:"secret"`
	SecretHex  string  `json:"secret_hex"`
	CookieName *string `json:"cookie_name"`
	Salt       *string `json:"salt"`
	Value      *string `json:"value"`
	Token      string  `json:"token"`
}

// options are what a tester knows of the token beside its text: the
// cookie's name and the salt argument of set_signed_cookie.
func (v vector) options() []Option {
	var opts []Option
	if v.CookieName != nil {
		opts = append(opts, WithCookieName(*v.CookieName))
	}
	if v.Salt != nil {
		opts = append(opts, WithSalts(*v.Salt))
	}
	return opts
}

func (v vector) secret(t testing.TB) []byte {
	if v.Secret != nil {
		return []byte(*v.Secret)
	}
	b, err := hex.DecodeString(v.SecretHex)
	if err != nil {
		t.Fatalf("%s: %v", v.Name, err)
	}
	return b
}

// loadVectors reads the token vectors made by the real frameworks of both
// peer sets, and the JWS tokens of itsdangerous 2.0.1 made with default
// settings. It fails when any file holds no vector.
func loadVectors(t testing.TB) []vector {
	t.Helper()
	var all []vector
	for _, f := range []string{"testdata/audit/vectors-debian12.json", "testdata/audit/vectors-current.json"} {
		var file struct {
			Provenance map[string]any `json:"provenance"`
			Vectors    []vector       `json:"vectors"`
		}
		b, err := os.ReadFile(testvec.Path(t, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &file); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(file.Vectors) == 0 {
			t.Fatalf("%s: no vectors", f)
		}
		for i := range file.Vectors {
			file.Vectors[i].Name = file.Provenance["peers"].(string) + "/" + file.Vectors[i].Name
		}
		all = append(all, file.Vectors...)
	}
	var jf struct {
		Vectors []struct {
			Name, Class, Op, Token string
			Keys                   []json.RawMessage
			Salt                   json.RawMessage
			Error                  json.RawMessage
			CallSalt               json.RawMessage `json:"call_salt"`
			Header                 json.RawMessage
		} `json:"vectors"`
	}
	b, err := os.ReadFile(testvec.Path(t, testvec.JWSFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &jf); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range jf.Vectors {
		var s string
		if v.Op != "dumps" || !isNull(v.Salt) || !isNull(v.Error) || !isNull(v.CallSalt) || len(v.Keys) != 1 || !strings.Contains(v.Token, ".") ||
			json.Unmarshal(v.Keys[0], &s) != nil {
			continue // a bytes key, a salt, a failure: not a default signing
		}
		if h, err := JWSHeader(v.Token); err != nil || h["alg"] == "none" {
			continue // unsigned: no secret
		}
		f := JWS
		if strings.HasPrefix(v.Class, "Timed") {
			f = JWSTimed
		}
		all = append(all, vector{Name: "itsdangerous-2.0.1/" + v.Name, Format: f, Secret: &s, Token: v.Token})
		n++
	}
	if n == 0 {
		t.Fatal("no JWS dumps vector found in testdata/jws/vectors.json")
	}
	return all
}

func TestDetectVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			d := Detect(v.Token)
			if !d.Fits(v.Format) {
				t.Errorf("Detect(%q) = %+v, does not fit %s", v.Token, d, v.Format)
			}
		})
	}
}

func TestTargetFindsSecret(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			var opts []Option
			opts = v.options()
			tg, err := NewTarget(v.Token, opts...)
			if err != nil {
				t.Fatal(err)
			}
			s, ok := tg.Test(v.secret(t))
			if !ok {
				t.Fatalf("the secret does not verify; schemes %v", tg.Schemes)
			}
			if s.Format != v.Format {
				t.Errorf("verified as %v, want format %s", s, v.Format)
			}
			// A wrong secret must never verify.
			for _, wrong := range [][]byte{[]byte("wrong"), append(v.secret(t), 'x'), nil} {
				if bytes.Equal(wrong, v.secret(t)) {
					continue
				}
				if s, ok := tg.Test(wrong); ok {
					t.Errorf("wrong secret %q verified as %v", wrong, s)
				}
			}
		})
	}
}

func TestFleetFindsEverySecret(t *testing.T) {
	vs := loadVectors(t)
	var targets []*Target
	var list bytes.Buffer
	list.WriteString("nope\r\n\xff\xfe\n")
	seen := map[string]bool{}
	for _, v := range vs {
		tg, err := NewTarget(v.Token, v.options()...)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
		s := v.secret(t)
		if bytes.ContainsAny(s, "\r\n") {
			t.Fatalf("%s: a secret with a line ending cannot be in a wordlist", v.Name)
		}
		if !seen[string(s)] {
			seen[string(s)] = true
			list.Write(s)
			list.WriteString("\r\n") // CRLF: the '\r' is not part of the key
		}
	}
	// "\x00" last: as an HMAC key it equals the empty key (keys are
	// padded with zeros), so it verifies what the empty key signed.
	list.WriteString("\x00\n")
	fleet := NewFleet(targets...)
	finds, err := fleet.Search(context.Background(), &list, WithThreads(2))
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]Find{}
	for _, f := range finds {
		got[f.Target] = f
	}
	for i, v := range vs {
		f, ok := got[i]
		switch {
		case !ok:
			t.Errorf("%s: not found", v.Name)
		case !bytes.Equal(f.Secret, v.secret(t)):
			t.Errorf("%s: found %q, want %q", v.Name, f.Secret, v.secret(t))
		case f.Scheme.Format != v.Format:
			t.Errorf("%s: found as %v", v.Name, f.Scheme)
		}
	}
	if fleet.Left() != 0 {
		t.Errorf("Left() = %d after finding all", fleet.Left())
	}
}

func TestNewTargetErrors(t *testing.T) {
	tests := []struct {
		name  string
		token string
		opts  []Option
		err   error
	}{
		{"no format", "hello", nil, ErrUnknownFormat},
		{"empty", "", nil, ErrUnknownFormat},
		// A Fernet token: random keys, nothing to guess.
		{"sealed", "gAAAAABlU_EA0NHS09TV1tfY2drb3N3e38cmIRzqW-M7Gt8allJeJeYLb1_UOBztVBMpc7CldyOYYAVIsfVnbMwk6vbOYDjeCA==", nil, ErrNotTestable},
		// HMAC-SHA1 makes 20 bytes, not 3.
		{"short signature", "eyJhIjoxfQ.ZVPxAA.AAAA", nil, itsdangerous.ErrBadSignature},
		{"alg none", "eyJhbGciOiJub25lIn0.eyJhIjoxfQ.", nil, ErrNotTestable},
		{"django bad signature size", "eyJhIjoxfQ:1r31eq:AAAA", nil, ErrNotTestable},
		{"unknown format option", "a.b.c", []Option{WithFormat("nope")}, ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewTarget(tt.token, tt.opts...)
			if !errors.Is(err, tt.err) {
				t.Errorf("NewTarget(%q) = %v, want %v", tt.token, err, tt.err)
			}
		})
	}
}

func isNull(m json.RawMessage) bool { return len(m) == 0 || string(m) == "null" }

// TestFormatScheme: the scheme FormatScheme names verifies each vector
// with its secret, and nothing else.
func TestFormatScheme(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			digest := DjangoDigest(v.Token)
			if v.Format == JWS || v.Format == JWSTimed {
				h, _ := JWSHeader(v.Token)
				digest, _ = h["alg"].(string)
			}
			var salt []string
			switch {
			case v.Format == DjangoCookie && v.CookieName != nil:
				salt = []string{*v.CookieName}
				if v.Salt != nil {
					salt[0] += *v.Salt
				}
				if *v.CookieName == "messages" {
					salt[0] = DjangoMessagesSalt
				}
			case v.Format == Itsdangerous && strings.HasPrefix(v.Name, "debian12/itsdangerous/flask-wtf") || strings.HasPrefix(v.Name, "current/itsdangerous/flask-wtf"):
				salt = []string{"wtf-csrf-token"}
			}
			s, err := FormatScheme(v.Format, digest, salt...)
			if err != nil {
				t.Fatal(err)
			}
			tg, err := NewTarget(v.Token, WithSchemes(s))
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := tg.Test(v.secret(t)); !ok {
				t.Errorf("%v does not verify", s)
			}
			if _, ok := tg.Test([]byte("wrong")); ok {
				t.Errorf("%v verifies a wrong key", s)
			}
		})
	}
	if _, err := FormatScheme(Django, "sha3"); !errors.Is(err, ErrConfig) {
		t.Errorf("unknown digest: %v", err)
	}
}

// TestFleetTestBatchMatchesTest checks that TestBatch finds what Test
// finds secret by secret: for every target the first secret that
// verifies it, with the same scheme, reported in the order of the
// secrets, whatever the size of the batches.
func TestFleetTestBatchMatchesTest(t *testing.T) {
	vs := loadVectors(t)
	var targets []*Target
	var secrets [][]byte
	for i, v := range vs {
		tg, err := NewTarget(v.Token, v.options()...)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
		// Wrong secrets between the right ones, and the right ones
		// in reverse order, some twice.
		secrets = append([][]byte{v.secret(t), []byte("wrong-" + strconv.Itoa(i))}, secrets...)
		if i%3 == 0 {
			secrets = append(secrets, v.secret(t))
		}
	}
	// One fleet of every target (where targets share key derivations),
	// and a fleet per target (where a Flask cookie is one KeyTester: its
	// TestBatch computes two secrets at a time).
	fleets := map[string][][]*Target{"one fleet": {targets}}
	for _, tg := range targets {
		fleets["a fleet per target"] = append(fleets["a fleet per target"], []*Target{tg})
	}
	for name, fl := range fleets {
		for fi, ts := range fl {
			checkTestBatch(t, name+" "+strconv.Itoa(fi), ts, secrets)
		}
	}
}

func checkTestBatch(t *testing.T, name string, targets []*Target, secrets [][]byte) {
	type find struct {
		Secret int
		Scheme string
	}
	want := map[int]find{}
	f := NewFleet(targets...)
	for i, s := range secrets {
		f.Test(s, func(target int, sc Scheme) { want[target] = find{i, sc.String()} })
	}
	if len(want) != len(targets) {
		t.Fatalf("%s: Test found %d of %d targets", name, len(want), len(targets))
	}
	for _, size := range []int{1, 2, 3, 7, 64, len(secrets)} {
		t.Run(name+"/batches of "+strconv.Itoa(size), func(t *testing.T) {
			got := map[int]find{}
			f := NewFleet(targets...)
			for start := 0; start < len(secrets); start += size {
				batch := secrets[start:min(start+size, len(secrets))]
				last := -1
				f.TestBatch(batch, func(i, target int, sc Scheme) {
					if i < last {
						t.Errorf("secret %d reported after %d", start+i, start+last)
					}
					last = i
					if _, dup := got[target]; dup {
						t.Errorf("target %d reported twice", target)
					}
					got[target] = find{start + i, sc.String()}
				})
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("TestBatch differs from Test (-Test +TestBatch):\n%s", d)
			}
			if f.Left() != 0 {
				t.Errorf("Left() = %d", f.Left())
			}
		})
	}
}

// TestFleetZeroAllocs checks that testing candidates allocates nothing,
// key by key and in batches, over every vector target at once.
func TestFleetZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts mean nothing under -race")
	}
	var targets []*Target
	for _, v := range loadVectors(t) {
		tg, err := NewTarget(v.Token, v.options()...)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
	}
	f := NewFleet(targets...)
	wrong := []byte("wrong")
	batch := [][]byte{[]byte("wrong-1"), []byte("wrong-2"), []byte("wrong-3")}
	n := testing.AllocsPerRun(20, func() {
		f.Test(wrong, func(int, Scheme) { t.Fatal("found") })
		f.TestBatch(batch, func(int, int, Scheme) { t.Fatal("found") })
	})
	if n != 0 {
		t.Errorf("Test and TestBatch allocate %v times per run, want 0", n)
	}
}
