package jws_test

import (
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
	"github.com/flaskcookie/flaskcookie/py"
)

// T is the clock of the spec's vectors, 2023-11-14T22:13:20Z.
var T = time.Unix(1700000000, 0)

func at(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustNew(t *testing.T, key string, opts ...jws.Option) *jws.Serializer {
	t.Helper()
	s, err := jws.New([]byte(key), append([]jws.Option{jws.WithClock(at(T))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustNewTimed(t *testing.T, key string, opts ...jws.Option) *jws.TimedSerializer {
	t.Helper()
	s, err := jws.NewTimed([]byte(key), append([]jws.Option{jws.WithClock(at(T)), jws.WithExpiresIn(10 * time.Second)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The five tokens of spec §5, made by itsdangerous 2.0.1 and 1.1.0.
func TestSpecTokens(t *testing.T) {
	tests := []struct {
		name  string
		timed bool
		opts  []jws.Option
		value any
		call  []jws.CallOption
		want  string
	}{
		{"default", false, nil, map[string]any{"user_id": 42}, nil,
			"eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyX2lkIjo0Mn0.htU4o83tUVDvEwXn74jmlkv28e-8g-x061hwxeJ3YapG1Lb8DRck2skvGOUggbpJCykbwZXMMuPc7K8U-SmB7Q"},
		{"timed", true, []jws.Option{jws.WithExpiresIn(time.Hour)}, map[string]any{"user_id": 42}, nil,
			"eyJhbGciOiJIUzUxMiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwfQ.eyJ1c2VyX2lkIjo0Mn0.Bi-yn37ebqH5Ut5hTrlgCCDvMABmDZw_ORpTVvs80gSf4fnG8B2-2hKVYlwXYoZOoXNEtQl1-XDYb108RGmAnQ"},
		{"hs256-kid", false, []jws.Option{jws.WithAlgorithm(jws.HS256)}, map[string]any{"a": 1},
			[]jws.CallOption{jws.HeaderFields(map[string]any{"kid": "k1"})},
			"eyJraWQiOiJrMSIsImFsZyI6IkhTMjU2In0.eyJhIjoxfQ.-mx6ZNpBTZcnEnfdR5iVvTbRW5miYQ_G1Itp5h3bZV4"},
		{"salt", false, []jws.Option{jws.WithSalt([]byte("my-salt"))}, map[string]any{"a": 1}, nil,
			"eyJhbGciOiJIUzUxMiJ9.eyJhIjoxfQ.uuCC2w4hqBvRnooc8Z8jew7aQl8Zmp7z8M9oXjkjCFg0eOOMCDmCJ8LWMwKeP64xPyqpQFUib96f5HHsTE7Xgw"},
		{"none", false, []jws.Option{jws.WithUnsafeNoneAlgorithm()}, map[string]any{"a": 1}, nil,
			"eyJhbGciOiJub25lIn0.eyJhIjoxfQ."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s interface {
				Dumps(any, ...jws.CallOption) (string, error)
				Loads(string, any, ...jws.CallOption) (map[string]any, error)
			}
			if tt.timed {
				s = mustNewTimed(t, "secret-key", tt.opts...)
			} else {
				s = mustNew(t, "secret-key", tt.opts...)
			}
			got, err := s.Dumps(tt.value, tt.call...)
			if err != nil || got != tt.want {
				t.Fatalf("Dumps = %s, %v; want %s", got, err, tt.want)
			}
			var v any
			if _, err := s.Loads(tt.want, &v); err != nil {
				t.Fatal(err)
			}
			if d := testvec.Diff(mustValue(t, tt.value), v); d != "" {
				t.Error(d)
			}
		})
	}
}

func mustValue(t *testing.T, v any) any {
	t.Helper()
	g, err := py.ValueOf(v)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// test_algorithm and the inherited test_serializer: every algorithm round
// trips every value, in both classes.
func TestRoundTrip(t *testing.T) {
	values := []any{nil, true, "str", "text \u00e9\U0001f600", []any{int64(1), int64(2), int64(3)},
		map[string]any{"id": int64(42)}, 1.5, new(big.Int).Lsh(big.NewInt(1), 80)}
	algs := []jws.Option{jws.WithAlgorithm(jws.HS256), jws.WithAlgorithm(jws.HS384),
		jws.WithAlgorithm(jws.HS512), jws.WithUnsafeNoneAlgorithm()}
	for ai, alg := range algs {
		for _, timed := range []bool{false, true} {
			for _, in := range values {
				name := []string{"HS256", "HS384", "HS512", "none"}[ai] + "/" + py.Repr(in)
				if timed {
					name = "timed/" + name
				}
				t.Run(name, func(t *testing.T) {
					var tok string
					var err error
					var got any
					if timed {
						s := mustNewTimed(t, "secret-key", alg)
						if tok, err = s.Dumps(in); err == nil {
							_, err = s.Loads(tok, &got)
						}
					} else {
						s := mustNew(t, "secret-key", alg)
						if tok, err = s.Dumps(in); err == nil {
							_, err = s.Loads(tok, &got)
						}
					}
					if err != nil {
						t.Fatal(err)
					}
					if d := testvec.Diff(in, got); d != "" {
						t.Error(d)
					}
				})
			}
		}
	}
}

// test_invalid_algorithm, and "none" only when asked for loudly.
func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		opts []jws.Option
	}{
		{"unknown algorithm", []jws.Option{jws.WithAlgorithm("invalid")}},
		{"none through WithAlgorithm", []jws.Option{jws.WithAlgorithm(jws.None)}},
		{"RS256 is not an itsdangerous algorithm", []jws.Option{jws.WithAlgorithm("RS256")}},
		{"lowercase name", []jws.Option{jws.WithAlgorithm("hs256")}},
		{"nil clock", []jws.Option{jws.WithClock(nil)}},
		{"none then HS256 then none", []jws.Option{jws.WithUnsafeNoneAlgorithm(), jws.WithAlgorithm(jws.None)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := jws.New([]byte("k"), tt.opts...)
			if !errors.Is(err, jws.ErrConfig) || !errors.Is(err, itsdangerous.ErrConfig) {
				t.Errorf("New: %v, want ErrConfig", err)
			}
			_, err = jws.NewTimed([]byte("k"), tt.opts...)
			if !errors.Is(err, jws.ErrConfig) {
				t.Errorf("NewTimed: %v, want ErrConfig", err)
			}
		})
	}
}

// TestEmptyKeys checks that an empty key, current or fallback, is refused:
// Python signs with an empty key, so anyone could make a token that
// verifies. WithUnsafeEmptyKeys is the explicit way through, and the none
// algorithm uses no key.
func TestEmptyKeys(t *testing.T) {
	tests := []struct {
		name string
		key  []byte
		opts []jws.Option
		ok   bool
	}{
		{name: "nil key", key: nil},
		{name: "empty key", key: []byte{}},
		{name: "empty key with a salt", key: []byte{}, opts: []jws.Option{jws.WithSalt([]byte("s"))}},
		{name: "empty fallback", key: []byte("k"), opts: []jws.Option{jws.WithFallbackKeys([]byte("old"), nil)}},
		{name: "empty key allowed", key: nil, opts: []jws.Option{jws.WithUnsafeEmptyKeys()}, ok: true},
		{name: "empty fallback allowed", key: []byte("k"), opts: []jws.Option{jws.WithFallbackKeys(nil), jws.WithUnsafeEmptyKeys()}, ok: true},
		{name: "none algorithm uses no key", key: nil, opts: []jws.Option{jws.WithUnsafeNoneAlgorithm()}, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := jws.New(tt.key, tt.opts...)
			_, errTimed := jws.NewTimed(tt.key, tt.opts...)
			for _, err := range []error{err, errTimed} {
				if tt.ok {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					continue
				}
				if !errors.Is(err, jws.ErrConfig) || !errors.Is(err, itsdangerous.ErrEmptyKey) {
					t.Fatalf("err = %v, want ErrConfig and itsdangerous.ErrEmptyKey", err)
				}
			}
		})
	}
}

// rawSign signs an arbitrary body the way the default serializer's signer
// does (HS512, raw key), as Python's test uses serializer.make_signer().
func rawSign(t *testing.T, body string) string {
	t.Helper()
	s, err := itsdangerous.NewSigner([]byte("secret-key"), itsdangerous.WithSeparator([]byte(".")),
		itsdangerous.WithKeyDerivation(itsdangerous.NoDerivation), itsdangerous.WithAlgorithm(itsdangerous.HMAC(sha512.New)))
	if err != nil {
		t.Fatal(err)
	}
	return string(s.Sign([]byte(body)))
}

// test_load_payload_exceptions, test_algorithm_mismatch, test_missing_exp
// and test_invalid_exp: validly signed bodies that fail, each with the
// class and message Python gives (spec §5, §7.1).
func TestLoadErrors(t *testing.T) {
	const timedHeader = `eyJhbGciOiJIUzUxMiIsImlhdCI6MTcwMDAwMDAwMH0` // {"alg":"HS512","iat":1700000000}
	tests := []struct {
		name   string
		timed  bool
		body   string
		want   error
		reason string
	}{
		{"no dot between header and payload", false, "ab", itsdangerous.ErrBadPayload, `No "." found in value`},
		{"header not base64 (one char left over)", false, "a.b", jws.ErrBadHeader, "Could not base64 decode the header because of an exception"},
		{"payload not base64", false, "ew.b", itsdangerous.ErrBadPayload, "Could not base64 decode the payload because of an exception"},
		{"header is not JSON ({)", false, "ew.ab", jws.ErrBadHeader, "Could not unserialize header because it was malformed"},
		{"header is a list", false, "W10.ab", jws.ErrBadHeader, "Header payload is not a JSON object"},
		// {"alg":"HS256"} signed with HS512: the MAC is fine, the header lies.
		{"algorithm mismatch", false, "eyJhbGciOiJIUzI1NiJ9.InZhbHVlIg", jws.ErrBadHeader, "Algorithm mismatch"},
		{"alg none in an HS512 token", false, "eyJhbGciOiJub25lIn0.InZhbHVlIg", jws.ErrBadHeader, "Algorithm mismatch"},
		{"no alg", false, "e30.InZhbHVlIg", jws.ErrBadHeader, "Algorithm mismatch"},
		{"missing exp", true, timedHeader + ".InZhbHVlIg", itsdangerous.ErrBadSignature, "Missing expiry date"},
		// {"alg":"HS512","exp":"invalid"}
		{"exp not an int", true, "eyJhbGciOiJIUzUxMiIsImV4cCI6ImludmFsaWQifQ.InZhbHVlIg", jws.ErrBadHeader, "Expiry date is not an IntDate"},
		// {"alg":"HS512","exp":-1}
		{"negative exp", true, "eyJhbGciOiJIUzUxMiIsImV4cCI6LTF9.InZhbHVlIg", jws.ErrBadHeader, "Expiry date is not an IntDate"},
		// {"alg":"HS512","exp":null}: TypeError in Python.
		{"null exp", true, "eyJhbGciOiJIUzUxMiIsImV4cCI6bnVsbH0.InZhbHVlIg", jws.ErrBadHeader, "Expiry date is not an IntDate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := rawSign(t, tt.body)
			var err error
			var header map[string]any
			var v any
			if tt.timed {
				header, err = mustNewTimed(t, "secret-key").Loads(tok, &v)
			} else {
				header, err = mustNew(t, "secret-key").Loads(tok, &v)
			}
			if !errors.Is(err, tt.want) || !errors.Is(err, itsdangerous.ErrBadData) {
				t.Fatalf("Loads(%s): %v, want %v", tt.body, err, tt.want)
			}
			var e *itsdangerous.Error
			if !errors.As(err, &e) || e.Reason != tt.reason {
				t.Errorf("reason %q, want %q", e.Reason, tt.reason)
			}
			if header != nil || v != nil {
				t.Errorf("Loads returned header %v and value %v with an error", header, v)
			}
		})
	}
}

// BadHeader is a BadSignature, as in Python; BadPayload is not.
func TestErrBadHeaderMatchesBadSignature(t *testing.T) {
	if !errors.Is(jws.ErrBadHeader, itsdangerous.ErrBadSignature) || !errors.Is(jws.ErrBadHeader, itsdangerous.ErrBadData) {
		t.Error("ErrBadHeader does not match ErrBadSignature and ErrBadData")
	}
	if errors.Is(jws.ErrBadHeader, itsdangerous.ErrBadPayload) || errors.Is(jws.ErrBadHeader, itsdangerous.ErrBadTimeSignature) {
		t.Error("ErrBadHeader matches a sibling class")
	}
}

// The inherited test_changed_value and test_bad_signature_exception: any
// change to a token breaks it.
func TestChangedToken(t *testing.T) {
	s := mustNew(t, "secret-key")
	tok, err := s.Dumps(map[string]any{"id": 42})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, token string }{
		{"upper case", strings.ToUpper(tok)},
		{"character appended to the signature", tok + "a"},
		{"first character replaced", "a" + tok[1:]},
		{"dots removed", strings.ReplaceAll(tok, ".", "")},
		{"last character dropped", tok[:len(tok)-1]},
		{"empty", ""},
		{"signed by another key", mustDumps(t, mustNew(t, "other-key"), "x")},
		{"HS256 token for an HS512 serializer", mustDumps(t, mustNew(t, "secret-key", jws.WithAlgorithm(jws.HS256)), "x")},
		{"none token for an HS512 serializer", mustDumps(t, mustNew(t, "secret-key", jws.WithUnsafeNoneAlgorithm()), "x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			_, err := s.Loads(tt.token, &v)
			if !errors.Is(err, itsdangerous.ErrBadSignature) {
				t.Errorf("Loads: %v, want ErrBadSignature", err)
			}
			if v != nil {
				t.Errorf("value %v set despite the error", v)
			}
		})
	}
}

func mustDumps(t *testing.T, s *jws.Serializer, v any) string {
	t.Helper()
	tok, err := s.Dumps(v)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// An HMAC token never loads in a "none" serializer and the other way
// round, so choosing none cannot widen what an HMAC serializer accepts.
func TestNoneIsolated(t *testing.T) {
	none := mustNew(t, "secret-key", jws.WithUnsafeNoneAlgorithm())
	hs := mustNew(t, "secret-key")
	if _, err := none.Loads(mustDumps(t, hs, "x"), nil); !errors.Is(err, itsdangerous.ErrBadSignature) {
		t.Errorf("none serializer loaded an HS512 token: %v", err)
	}
	// A forged "none" token with the HS512 header.
	forged := "eyJhbGciOiJIUzUxMiJ9.Ingi." // {"alg":"HS512"}."x".
	if _, err := hs.Loads(forged, nil); !errors.Is(err, itsdangerous.ErrBadSignature) {
		t.Errorf("HS512 serializer loaded an unsigned token: %v", err)
	}
	if _, err := none.Loads(forged, nil); !errors.Is(err, jws.ErrBadHeader) {
		t.Errorf("none serializer loaded a token whose alg is HS512: %v", err)
	}
}

// test_secret_keys: a token by key "a" loads with keys ["a", "b"]; "b"
// signs.
func TestSecretKeys(t *testing.T) {
	tok := mustDumps(t, mustNew(t, "a"), "value")
	both := mustNew(t, "b", jws.WithFallbackKeys([]byte("a")))
	var v string
	if _, err := both.Loads(tok, &v); err != nil || v != "value" {
		t.Fatalf("Loads = %q, %v", v, err)
	}
	if got, want := mustDumps(t, both, "value"), mustDumps(t, mustNew(t, "b"), "value"); got != want {
		t.Errorf("the current key does not sign: %s != %s", got, want)
	}
	if _, err := mustNew(t, "b").Loads(tok, nil); !errors.Is(err, itsdangerous.ErrBadSignature) {
		t.Errorf("without the fallback: %v", err)
	}
}

// test_alt_salt: a per-call salt must be given again to load.
func TestAltSalt(t *testing.T) {
	for _, ser := range []string{"unsalted", "salted"} {
		t.Run(ser, func(t *testing.T) {
			var opts []jws.Option
			if ser == "salted" {
				opts = append(opts, jws.WithSalt([]byte("class")))
			}
			s := mustNew(t, "secret-key", opts...)
			tok, err := s.Dumps("v", jws.Salt([]byte("other")))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Loads(tok, nil); !errors.Is(err, itsdangerous.ErrBadSignature) {
				t.Errorf("loaded without the salt: %v", err)
			}
			if _, err := s.Loads(tok, nil, jws.Salt([]byte("other"))); err != nil {
				t.Errorf("with the salt: %v", err)
			}
		})
	}
}

// test_default_expires_in, test_exp and test_return_header.
func TestExpiry(t *testing.T) {
	if d, _ := jws.NewTimed([]byte("k")); d.ExpiresIn() != time.Hour || d.ExpiresIn() != jws.DefaultExpiresIn {
		t.Errorf("default expires_in %v", d.ExpiresIn())
	}
	s := mustNewTimed(t, "secret-key") // expires_in 10
	tok, err := s.Dumps("value")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		after time.Duration
		want  error
	}{
		{"at once", 0, nil},
		{"after a second", time.Second, nil},
		{"at exp", 10 * time.Second, nil},
		{"a second after exp", 11 * time.Second, itsdangerous.ErrSignatureExpired},
		{"before iat (no check, as in Python)", -time.Hour, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v string
			header, err := s.Loads(tok, &v, jws.At(T.Add(tt.after)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Loads: %v, want %v", err, tt.want)
			}
			if tt.want != nil {
				var e *itsdangerous.Error
				if !errors.As(err, &e) || !e.SignedAt.Equal(T) {
					t.Errorf("SignedAt %v, want %v", e.SignedAt, T)
				}
				return
			}
			iat, ok := jws.IssuedAt(header)
			if v != "value" || !ok || !iat.Equal(T) || header["exp"] != int64(1700000010) || header["alg"] != "HS512" {
				t.Errorf("Loads = %q, header %v, issued %v %v", v, header, iat, ok)
			}
		})
	}
}

// test_invalid_iat, and the other iat values get_issue_date meets.
func TestIssuedAt(t *testing.T) {
	tests := []struct {
		name string
		iat  any
		want int64
		ok   bool
	}{
		{"int", int64(1700000000), 1700000000, true},
		{"float truncated", 1699999990.7, 1699999990, true},
		{"negative float truncated toward zero", -5.5, -5, true},
		{"true is 1", true, 1, true},
		{"string is not a number", "invalid", 0, false},
		{"numeric string is not a number either", "1700000000", 0, false},
		{"null", nil, 0, false},
		{"big int out of datetime range", new(big.Int).Lsh(big.NewInt(1), 70), 0, false},
		{"year 10000", int64(253402300800), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := jws.IssuedAt(map[string]any{"iat": tt.iat})
			if ok != tt.ok || ok && got.Unix() != tt.want {
				t.Errorf("IssuedAt = %v, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	if _, ok := jws.IssuedAt(map[string]any{}); ok {
		t.Error("IssuedAt of a header without iat")
	}
}

// Header fields keep their order; alg, iat and exp replace fields of the
// same name in place (expected bytes: base64url of what Python's dict
// assignment gives, spec §5).
func TestHeaderFields(t *testing.T) {
	s := mustNewTimed(t, "secret-key")
	fields := py.Dict{{Key: "exp", Value: int64(1)}, {Key: "kid", Value: "k"}, {Key: "alg", Value: "x"}}
	tok, err := s.Dumps("v", jws.HeaderFields(fields))
	if err != nil {
		t.Fatal(err)
	}
	// {"exp":1700000010,"kid":"k","alg":"HS512","iat":1700000000}
	const want = "eyJleHAiOjE3MDAwMDAwMTAsImtpZCI6ImsiLCJhbGciOiJIUzUxMiIsImlhdCI6MTcwMDAwMDAwMH0."
	if !strings.HasPrefix(tok, want) {
		t.Errorf("token %s, want header %s", tok, want)
	}
	if _, err := s.Dumps("v", jws.HeaderFields([]any{"not a dict"})); err == nil {
		t.Error("a list as header fields was accepted")
	}
	if _, err := s.Dumps([]byte("bytes have no JSON form")); err == nil {
		t.Error("bytes were dumped")
	}
}

// Python's int() on the kinds of "exp" a header can hold.
func TestExpConversion(t *testing.T) {
	s := mustNewTimed(t, "secret-key")
	tests := []struct {
		name string
		exp  string // JSON
		want any    // the header's exp after loading, or an error
	}{
		{"int", "1700000010", int64(1700000010)},
		{"float truncated", "1700000010.9", int64(1700000010)},
		{"string", `"1700000010"`, int64(1700000010)},
		{"string with spaces", `" 1700000010\n"`, int64(1700000010)},
		{"string with underscores", `"1_700_000_010"`, int64(1700000010)},
		{"string with plus", `"+1700000010"`, int64(1700000010)},
		{"big", "1000000000000000000000000000000", new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)},
		{"double underscore is invalid", `"1__700000010"`, jws.ErrBadHeader},
		{"trailing underscore is invalid", `"1700000010_"`, jws.ErrBadHeader},
		{"float string is invalid", `"1700000010.5"`, jws.ErrBadHeader},
		{"empty string is invalid", `""`, jws.ErrBadHeader},
		{"NaN is invalid", "NaN", jws.ErrBadHeader},
		{"Infinity overflows", "Infinity", jws.ErrBadHeader},
		{"list is a TypeError", "[1]", jws.ErrBadHeader},
		{"negative is not an IntDate", "-1", jws.ErrBadHeader},
		{"before now has expired", "1699999999", itsdangerous.ErrSignatureExpired},
		{"false is 0, expired", "false", itsdangerous.ErrSignatureExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := `{"alg":"HS512","exp":` + tt.exp + `}`
			tok := rawSign(t, b64(header)+".InYi")
			got, err := s.Loads(tok, nil)
			if want, ok := tt.want.(error); ok {
				if !errors.Is(err, want) {
					t.Errorf("Loads: %v, want %v", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := testvec.Diff(tt.want, got["exp"]); d != "" {
				t.Error(d)
			}
		})
	}
}

// Untrusted tokens never panic.
func FuzzLoads(f *testing.F) {
	f.Add("eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyX2lkIjo0Mn0.htU4o83tUVDvEwXn74jmlkv28e-8g-x061hwxeJ3YapG1Lb8DRck2skvGOUggbpJCykbwZXMMuPc7K8U-SmB7Q")
	f.Add("eyJhbGciOiJub25lIn0.eyJhIjoxfQ.")
	f.Add("e30.e30.")
	f.Add("..")
	none, err := jws.NewTimed([]byte("k"), jws.WithUnsafeNoneAlgorithm())
	if err != nil {
		f.Fatal(err)
	}
	hs, err := jws.New([]byte("k"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		var v any
		none.Loads(tok, &v)
		hs.Loads(tok, &v)
		// Forge an unsigned token around the input: the header and
		// payload parsers see it.
		none.Loads(b64(tok)+"."+b64(tok)+".", &v)
		none.Loads(b64(`{"alg":"none","exp":`+tok+`}`)+".InYi.", &v)
	})
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
