package itsdangerous

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"hash"
	"strings"
	"sync"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

var keyTestDigests = map[string]func() hash.Hash{
	"":       sha1.New,
	"sha1":   sha1.New,
	"sha224": sha256.New224,
	"sha256": sha256.New,
	"sha384": sha512.New384,
	"sha512": sha512.New,
	"md5":    md5.New,
}

// keyTesterConfigs returns the option sets under which Python may have
// verified the vector's token: the main signer, then each fallback signer
// (whose kwargs replace the main ones, as in itsdangerous).
func keyTesterConfigs(t *testing.T, v *testvec.ItsDangerousVector) [][]Option {
	t.Helper()
	var salt []byte
	switch {
	case v.CallSalt != nil:
		salt = *v.CallSalt
	case v.Salt != nil:
		salt = *v.Salt
	case v.IsSigner():
		salt = []byte(DefaultSignerSalt)
	default:
		salt = []byte(DefaultSerializerSalt)
	}
	digest := func(name string) Option {
		d, ok := keyTestDigests[name]
		if !ok {
			t.Fatalf("unknown digest %q", name)
		}
		return WithDigest(d)
	}
	main := []Option{WithSalt(salt), digest(v.Digest)}
	if v.Sep != nil {
		main = append(main, WithSeparator(*v.Sep))
	}
	if v.KeyDerivation != "" {
		main = append(main, WithKeyDerivation(KeyDerivation(v.KeyDerivation)))
	}
	switch v.Algorithm {
	case "", "hmac":
	case "none":
		main = append(main, WithAlgorithm(UnsafeNoneAlgorithm))
	default:
		t.Fatalf("unknown algorithm %q", v.Algorithm)
	}
	configs := [][]Option{main}
	for _, fb := range v.FallbackSigners {
		o := []Option{WithSalt(salt), digest(fb.Digest)}
		if fb.Sep != nil {
			o = append(o, WithSeparator(*fb.Sep))
		}
		if fb.KeyDerivation != "" {
			o = append(o, WithKeyDerivation(KeyDerivation(fb.KeyDerivation)))
		}
		configs = append(configs, o)
	}
	return configs
}

// TestKeyTesterVectors checks, for every verify vector of itsdangerous
// 2.1.2, that a key verifies exactly when Python's signature check passed:
// the token loaded, or failed only after the signature (expired, bad
// timestamp, bad payload). A key that is none of the vector's keys never
// verifies, except under the none algorithm.
func TestKeyTesterVectors(t *testing.T) {
	_, vectors := testvec.LoadItsDangerous(t, testvec.Path(t, testvec.ItsDangerousFile))
	tested := 0
	for i := range vectors {
		v := &vectors[i]
		if v.Op != "verify" {
			continue
		}
		tested++
		t.Run(v.Name, func(t *testing.T) {
			var sigValid, known bool = false, true
			switch {
			case v.Error == "", v.Error == "SignatureExpired", v.Error == "BadPayload":
				sigValid = true
			case strings.Contains(v.Message, "does not match"), strings.HasPrefix(v.Message, "No "):
				sigValid = false
			case v.Message == "timestamp missing":
				sigValid = true // Python checks the timestamp after the signature
			case v.Message == "Malformed timestamp":
				// Python says so whether the signature matched or not.
				known = false
			default:
				t.Fatalf("unclassified vector: %s(%q)", v.Error, v.Message)
			}
			wrong := []byte("not-" + string(v.Keys[len(v.Keys)-1]))
			verified := false
			for _, opts := range keyTesterConfigs(t, v) {
				kt, err := NewKeyTester(v.Token, opts...)
				if err != nil {
					if !errors.Is(err, ErrBadSignature) {
						t.Fatalf("NewKeyTester: %v does not match ErrBadSignature", err)
					}
					continue
				}
				for _, k := range v.Keys {
					if kt.Test(k) {
						verified = true
					}
				}
				if kt.Test(wrong) && v.Algorithm != "none" {
					t.Errorf("wrong key %q verifies", wrong)
				}
				// The split and prepared paths agree with Test.
				var p PreparedKey
				cands := [][]byte{wrong}
				for _, k := range v.Keys {
					cands = append(cands, k)
				}
				for _, k := range cands {
					want := kt.Test(k)
					if got := kt.TestKey(kt.DeriveKey(k)); got != want {
						t.Errorf("TestKey(DeriveKey(%q)) = %v, Test = %v", k, got, want)
					}
					kt.PrepareKey(&p, kt.DeriveKey(k))
					if got := kt.TestPrepared(&p); got != want {
						t.Errorf("TestPrepared(%q) = %v, Test = %v", k, got, want)
					}
				}
			}
			if known && verified != sigValid {
				t.Errorf("some key verifies: %v; Python's signature check passed: %v (%s %q)", verified, sigValid, v.Error, v.Message)
			}
			if strings.HasPrefix(v.Message, "No ") && len(v.FallbackSigners) == 0 {
				if _, err := NewKeyTester(v.Token, keyTesterConfigs(t, v)[0]...); !errors.Is(err, ErrBadSignature) {
					t.Errorf("token without separator: NewKeyTester error %v, want ErrBadSignature", err)
				}
			}
		})
	}
	if tested == 0 {
		t.Fatal("no verify vectors")
	}
}

// TestKeyTesterGolden checks tokens from the spec (wire-formats.md §8),
// made by the real itsdangerous and Flask.
func TestKeyTesterGolden(t *testing.T) {
	flask := []Option{WithSalt([]byte("cookie-session")), WithKeyDerivation(HMACDerive)}
	tests := []struct {
		name   string
		token  string
		key    string
		opts   []Option
		wrong  string
		reason string
	}{
		{name: "V1 Signer", token: "my string.wh6tMHxLgJqB6oY1uT73iMlyrOA", key: "secret-key", wrong: "secret-kez"},
		{name: "V2 concat sha256", token: "hello world.T0iNDWtfnr9GEwPZJ0gHp9w1lYWX2uQnjXfnpAPa-rs", key: "secret-key",
			opts: []Option{WithSalt([]byte("my-salt")), WithKeyDerivation(Concat), WithDigest(sha256.New)}, wrong: "secret"},
		{name: "V3 django-concat sha256", token: "hello world.bDwlLStR2ekzlRj3qvCKH2LOnOXaEfP-d2AstOJSe58", key: "secret-key",
			opts: []Option{WithSalt([]byte("my-salt")), WithKeyDerivation(DjangoConcat), WithDigest(sha256.New)}, wrong: ""},
		{name: "V4 hmac sha256", token: "hello world.mhiZYF4LJ0U2xFyWPstUT6_GnIJtg5wNjhTH8Q9RdWw", key: "secret-key",
			opts: []Option{WithSalt([]byte("my-salt")), WithKeyDerivation(HMACDerive), WithDigest(sha256.New)}, wrong: "Secret-key"},
		{name: "V5 none sha256", token: "hello world.CV1aIf5tBkbbIj_fPeZDa7jfsvqwtRZ37PZEH89fKmc", key: "secret-key",
			opts: []Option{WithSalt([]byte("my-salt")), WithKeyDerivation(NoDerivation), WithDigest(sha256.New)}, wrong: "secret-key "},
		{name: "md5", token: "v.VLuUJUsPirFVHpxVjw3lXg", key: "secret-key", opts: []Option{WithDigest(md5.New)}, wrong: "x"},
		{name: "colon separator", token: "a.b:W0U72B29IcPNDNsMSmXlI2pVx1w", key: "secret-key", opts: []Option{WithSeparator([]byte(":"))}, wrong: "x"},
		{name: "V6 TimestampSigner", token: "value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw", key: "secret-key", wrong: "x"},
		{name: "V8 compressed", token: ".eJyrVkpJLElUslJKpANQqgUA6jEpOQ.ZVPxAA.HWFMHflv7fFQiqc107Q1vauLbAs", key: "secret-key",
			opts: []Option{WithSalt([]byte("itsdangerous"))}, wrong: "secret-key\n"},
		{name: "V9 Flask every tag", token: ".eJx1jssKwjAQRX9lmHXAJK2voIIrQVBcFFxokdTGGqpV2kQU6b87bcWdq3ncO-fOG5OXMxWqN0KCCuebsdXbcIo1w9S165TWkTcMRAjr2wMklwFIqUSgJIfFKmq8F1uReycYHTSNZEFc05D_yGk2JWodM7zqMvf3VriSMElmZzvpJbOGU5jKmbTLtW1xhwOZipsDDc7fL4YgDJ15Ugwu957z07HMTAF7L7k-ImmtS30_EQw10i_ove3Ang6FDML-YDj6VynkA_u-TrQ.ZVPxAA.sWkwMhye4Tr2Ycvk5rpCsfh32wg",
			key: "dev-secret", opts: flask, wrong: "dev-secret2"},
		{name: "V10 Flask user_id", token: "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM", key: "dev-secret", opts: flask, wrong: "dev"},
		// RFC 2202 test case 6: a key longer than the block is hashed first.
		{name: "RFC 2202 long key", token: "Test Using Larger Than Block-Size Key - Hash Key First." + b64.EncodeToString(unhex(t, "aa4ae5e15272d00e95705637ce8a3b55ed402112")),
			key: strings.Repeat("\xaa", 80), opts: []Option{WithKeyDerivation(NoDerivation)}, wrong: strings.Repeat("\xaa", 81)},
		// RFC 2202 test case 7: a long key and a message longer than a block.
		{name: "RFC 2202 long key and data", token: "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data:" + b64.EncodeToString(unhex(t, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91")),
			key: strings.Repeat("\xaa", 80), opts: []Option{WithKeyDerivation(NoDerivation), WithSeparator([]byte(":"))}, wrong: strings.Repeat("\xaa", 64)},
		{name: "none algorithm", token: "v.", key: "anything", opts: []Option{WithAlgorithm(UnsafeNoneAlgorithm)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kt, err := NewKeyTester([]byte(tt.token), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if !kt.Test([]byte(tt.key)) {
				t.Errorf("key %q does not verify", tt.key)
			}
			if tt.wrong != "" && kt.Test([]byte(tt.wrong)) {
				t.Errorf("wrong key %q verifies", tt.wrong)
			}
			if !kt.Test([]byte(tt.key)) {
				t.Errorf("key %q does not verify after a wrong key: state leaks between tests", tt.key)
			}
		})
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	var b []byte
	for i := 0; i+1 < len(s); i += 2 {
		var c byte
		for _, d := range s[i : i+2] {
			c <<= 4
			switch {
			case d >= '0' && d <= '9':
				c |= byte(d - '0')
			case d >= 'a' && d <= 'f':
				c |= byte(d-'a') + 10
			default:
				t.Fatalf("bad hex %q", s)
			}
		}
		b = append(b, c)
	}
	return b
}

func TestNewKeyTesterErrors(t *testing.T) {
	tests := []struct {
		name  string
		token string
		opts  []Option
		want  error
	}{
		// The separator is what splits off the signature.
		{name: "no separator", token: "abcdef", want: ErrBadSignature},
		// Strict base64 refuses '=' padding.
		{name: "signature not canonical base64", token: "v.VLuUJUsPirFVHpxVjw3lXg==", opts: []Option{WithDigest(md5.New), WithStrictBase64()}, want: ErrBadSignature},
		// HMAC-SHA1 always gives 20 bytes; this is 16.
		{name: "signature of the wrong length", token: "v.VLuUJUsPirFVHpxVjw3lXg", want: ErrBadSignature},
		// An empty signature is never an HMAC.
		{name: "empty signature", token: "v.", want: ErrBadSignature},
		// Longer than the configured maximum.
		{name: "too large", token: "value.wh6tMHxLgJqB6oY1uT73iMlyrOA", opts: []Option{WithMaxTokenSize(8)}, want: ErrTooLarge},
		// Python refuses separators from the base64 alphabet.
		{name: "bad separator", token: "a.b", opts: []Option{WithSeparator([]byte("a"))}, want: ErrConfig},
		// Not one of the four derivations.
		{name: "bad derivation", token: "a.b", opts: []Option{WithKeyDerivation("pbkdf2")}, want: ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kt, err := NewKeyTester([]byte(tt.token), tt.opts...)
			if !errors.Is(err, tt.want) {
				t.Fatalf("NewKeyTester = %v, %v; want an error matching %v", kt, err, tt.want)
			}
		})
	}
}

// TestKeyTesterAgainstSigner checks every derivation and digest, and keys
// around the block size, against the Signer (itself checked against the
// Python vectors), with a custom algorithm too.
func TestKeyTesterAgainstSigner(t *testing.T) {
	keys := [][]byte{nil, []byte("k"), bytes.Repeat([]byte("x"), 64), bytes.Repeat([]byte("y"), 65), bytes.Repeat([]byte("z"), 200), {0xff, 0x00, 0x80}}
	for _, kd := range []KeyDerivation{Concat, DjangoConcat, HMACDerive, NoDerivation} {
		for name, d := range keyTestDigests {
			if name == "" {
				continue
			}
			for _, key := range keys {
				opts := []Option{WithKeyDerivation(kd), WithDigest(d), WithSalt([]byte("salt"))}
				// The empty key signs only when allowed; the KeyTester
				// tests it as any candidate (a key search must find an
				// application that signs with it).
				s, err := NewTimestampSigner(key, append(opts, WithUnsafeEmptyKeys())...)
				if err != nil {
					t.Fatal(err)
				}
				tok := s.Sign(bytes.Repeat([]byte("payload "), 20))
				kt, err := NewKeyTester(tok, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if !kt.Test(key) {
					t.Errorf("%s/%s: key of %d bytes does not verify", kd, name, len(key))
				}
				if kt.Test(append(bytes.Clone(key), 'x')) {
					t.Errorf("%s/%s: wrong key verifies", kd, name)
				}
			}
		}
	}
	alg := HMAC(sha256.New) // an HMAC over another digest than the derivation's
	s, _ := NewSigner([]byte("key"), WithAlgorithm(alg))
	kt, err := NewKeyTester(s.Sign([]byte("v")), WithAlgorithm(alg))
	if err != nil {
		t.Fatal(err)
	}
	if !kt.Test([]byte("key")) || kt.Test([]byte("kez")) {
		t.Error("HMAC-SHA256 algorithm over a SHA-1 derivation: wrong answers")
	}
	rev := reverseAlgorithm{}
	s, _ = NewSigner([]byte("key"), WithAlgorithm(rev))
	kt, err = NewKeyTester(s.Sign([]byte("v")), WithAlgorithm(rev))
	if err != nil {
		t.Fatal(err)
	}
	if !kt.Test([]byte("key")) || kt.Test([]byte("kez")) {
		t.Error("custom algorithm: wrong answers")
	}
}

func TestKeyTesterZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts mean nothing under -race")
	}
	msg := bytes.Repeat([]byte("m"), 300)
	for _, kd := range []KeyDerivation{Concat, DjangoConcat, HMACDerive, NoDerivation} {
		t.Run(string(kd), func(t *testing.T) {
			opts := []Option{WithKeyDerivation(kd)}
			s, _ := NewSigner([]byte("secret"), opts...)
			kt, err := NewKeyTester(s.Sign(msg), opts...)
			if err != nil {
				t.Fatal(err)
			}
			guess, long := []byte("guess"), bytes.Repeat([]byte("L"), 100)
			batch := [][]byte{guess, long, guess}
			if n := testing.AllocsPerRun(100, func() { kt.Test(guess); kt.Test(long); kt.TestBatch(batch) }); n != 0 {
				t.Errorf("Test allocates %v times per run, want 0", n)
			}
			var p PreparedKey
			kt.PrepareKey(&p, kt.DeriveKey(guess))
			if n := testing.AllocsPerRun(100, func() { kt.PrepareKey(&p, kt.DeriveKey(long)); kt.TestPrepared(&p); TestPreparedPair(kt, kt, &p) }); n != 0 {
				t.Errorf("PrepareKey and TestPrepared allocate %v times per run, want 0", n)
			}
		})
	}
}

// TestKeyTesterClone runs clones in parallel (meaningful under -race).
func TestKeyTesterClone(t *testing.T) {
	kt, err := NewKeyTester([]byte("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"),
		WithSalt([]byte("cookie-session")), WithKeyDerivation(HMACDerive))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 4; g++ {
		c := kt.Clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if c.Test([]byte("wrong")) || !c.Test([]byte("dev-secret")) {
					errs <- "clone gave a wrong answer"
					return
				}
				if c.TestBatch([][]byte{[]byte("wrong"), []byte("dev-secret"), []byte("x")}) != 1 {
					errs <- "clone's TestBatch gave a wrong answer"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// Benchmarks: BenchmarkKeyTester beside BenchmarkBareHMAC, the least a
// guess can cost with crypto/hmac: HMAC-SHA1(key, "cookie-session"), then
// HMAC-SHA1 of the signed message under the derived key, same bytes. Compare
// the ns/op of the two in the same run.

var benchCookie = []byte("eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIkhlbGxvIl19XSwiX3Blcm1hbmVudCI6dHJ1ZX0.ZVPxAA.VD8nVcas4FnmNnhw972TP5w98uw")

var benchSink bool

func BenchmarkKeyTester(b *testing.B) {
	kt, err := NewKeyTester(benchCookie, WithSalt([]byte("cookie-session")), WithKeyDerivation(HMACDerive))
	if err != nil {
		b.Fatal(err)
	}
	guess := []byte("not-the-secret-key")
	// The SHA-1 kernel as Test runs it, the kernel on the pure Go
	// compression, and the hash.Hash path that other digests take.
	for _, path := range ktPaths {
		b.Run(path, func(b *testing.B) {
			kt := ktOnPath(b, kt, path)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				benchSink = kt.Test(guess)
			}
		})
		// TestBatch, per guess.
		b.Run(path+"/batch", func(b *testing.B) {
			kt := ktOnPath(b, kt, path)
			batch := make([][]byte, 64)
			for i := range batch {
				batch[i] = guess
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i += len(batch) {
				benchSink = kt.TestBatch(batch) >= 0
			}
		})
	}
}

func BenchmarkBareHMAC(b *testing.B) {
	i := bytes.LastIndexByte(benchCookie, '.')
	msg, want := benchCookie[:i], benchCookie[i+1:]
	sig := make([]byte, base64.RawURLEncoding.DecodedLen(len(want)))
	if _, err := base64.RawURLEncoding.Decode(sig, want); err != nil {
		b.Fatal(err)
	}
	salt := []byte("cookie-session")
	guess := []byte("not-the-secret-key")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		kd := hmac.New(sha1.New, guess)
		kd.Write(salt)
		m := hmac.New(sha1.New, kd.Sum(nil))
		m.Write(msg)
		benchSink = hmac.Equal(m.Sum(nil), sig)
	}
}
