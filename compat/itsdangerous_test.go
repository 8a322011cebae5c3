package compat_test

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

var digests = map[string]func() hash.Hash{
	"":       sha1.New,
	"sha1":   sha1.New,
	"sha224": sha256.New224,
	"sha256": sha256.New,
	"sha384": sha512.New384,
	"sha512": sha512.New,
	"md5":    md5.New,
}

// classes maps Python's exception classes to the sentinels.
var classes = map[string]error{
	"BadData":          itsdangerous.ErrBadData,
	"BadSignature":     itsdangerous.ErrBadSignature,
	"BadTimeSignature": itsdangerous.ErrBadTimeSignature,
	"SignatureExpired": itsdangerous.ErrSignatureExpired,
	"BadPayload":       itsdangerous.ErrBadPayload,
}

// signerOptions turns a vector's configuration into options, the way
// Python's constructor received it.
func signerOptions(t *testing.T, v *testvec.ItsDangerousVector) []itsdangerous.Option {
	t.Helper()
	var opts []itsdangerous.Option
	if v.Salt != nil {
		opts = append(opts, itsdangerous.WithSalt(*v.Salt))
	}
	if v.Sep != nil {
		opts = append(opts, itsdangerous.WithSeparator(*v.Sep))
	}
	if v.KeyDerivation != "" {
		opts = append(opts, itsdangerous.WithKeyDerivation(itsdangerous.KeyDerivation(v.KeyDerivation)))
	}
	d, ok := digests[v.Digest]
	if !ok {
		t.Fatalf("unknown digest %q", v.Digest)
	}
	opts = append(opts, itsdangerous.WithDigest(d))
	switch v.Algorithm {
	case "", "hmac":
	case "none":
		opts = append(opts, itsdangerous.WithAlgorithm(itsdangerous.UnsafeNoneAlgorithm))
	default:
		t.Fatalf("unknown algorithm %q", v.Algorithm)
	}
	for i := 0; i+1 < len(v.Keys); i++ {
		opts = append(opts, itsdangerous.WithFallbackKeys(v.Keys[i]))
	}
	// Python signs with an empty key (vector signer/empty-key); Go needs
	// the explicit option.
	opts = append(opts, itsdangerous.WithUnsafeEmptyKeys())
	for _, fb := range v.FallbackSigners {
		var fo []itsdangerous.Option
		if fb.KeyDerivation != "" {
			fo = append(fo, itsdangerous.WithKeyDerivation(itsdangerous.KeyDerivation(fb.KeyDerivation)))
		}
		if fb.Digest != "" {
			fo = append(fo, itsdangerous.WithDigest(digests[fb.Digest]))
		}
		if fb.Sep != nil {
			fo = append(fo, itsdangerous.WithSeparator(*fb.Sep))
		}
		opts = append(opts, itsdangerous.WithFallbackSigner(fo...))
	}
	now := time.Unix(v.Now, 0)
	return append(opts, itsdangerous.WithClock(func() time.Time { return now }))
}

// checkError compares a Go error with the class, message and date_signed
// Python gave.
func checkError(t *testing.T, v *testvec.ItsDangerousVector, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; Python raised %s(%q)", v.Error, v.Message)
	}
	var e *itsdangerous.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *itsdangerous.Error", err)
	}
	if want := classes[v.Error]; e.Kind != want {
		t.Fatalf("error class %v, want %s (%q)", e.Kind, v.Error, v.Message)
	}
	if !errors.Is(err, itsdangerous.ErrBadData) {
		t.Errorf("error %v does not match ErrBadData", err)
	}
	if v.Error != "BadPayload" && e.Reason != v.Message {
		t.Errorf("reason %q, want Python's %q", e.Reason, v.Message)
	}
	if v.DateSigned != nil {
		if e.SignedAt.IsZero() || e.SignedAt.Unix() != *v.DateSigned {
			t.Errorf("signed at %v, want %d", e.SignedAt, *v.DateSigned)
		}
	} else if !e.SignedAt.IsZero() {
		t.Errorf("signed at %v, want none", e.SignedAt)
	}
}

func TestItsDangerousVectors(t *testing.T) {
	prov, vectors := testvec.LoadItsDangerous(t, testvec.Path(t, testvec.ItsDangerousFile))
	t.Logf("%d vectors from itsdangerous %s (%s)", len(vectors), prov.ItsDangerous, prov.Command)
	counts := map[string]int{}
	for i := range vectors {
		v := &vectors[i]
		t.Run(v.Name, func(t *testing.T) {
			counts[v.Class+"/"+v.Op]++
			key := []byte(v.Keys[len(v.Keys)-1])
			opts := signerOptions(t, v)
			switch v.Class {
			case "Signer":
				s, err := itsdangerous.NewSigner(key, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if v.Op == "sign" {
					if got := s.Sign(v.SignerValue); string(got) != string(v.Token) {
						t.Errorf("Sign = %q, want %q", got, v.Token)
					}
					return
				}
				got, err := s.Unsign(v.Token)
				if v.Error != "" {
					checkError(t, v, err)
					return
				}
				if err != nil || string(got) != string(v.SignerValue) {
					t.Errorf("Unsign = %q, %v; want %q", got, err, v.SignerValue)
				}
			case "TimestampSigner":
				s, err := itsdangerous.NewTimestampSigner(key, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if v.Op == "sign" {
					if got := s.Sign(v.SignerValue); string(got) != string(v.Token) {
						t.Errorf("Sign = %q, want %q", got, v.Token)
					}
					return
				}
				var call []itsdangerous.CallOption
				if v.MaxAge != nil {
					call = append(call, itsdangerous.MaxAge(time.Duration(*v.MaxAge)*time.Second))
				}
				got, signed, err := s.Unsign(v.Token, call...)
				if v.Error != "" {
					checkError(t, v, err)
					return
				}
				if err != nil || string(got) != string(v.SignerValue) {
					t.Fatalf("Unsign = %q, %v; want %q", got, err, v.SignerValue)
				}
				if v.DateSigned != nil && signed.Unix() != *v.DateSigned {
					t.Errorf("signed at %v, want %d", signed, *v.DateSigned)
				}
			default:
				checkSerializer(t, v, key, opts)
			}
		})
	}
	for _, k := range []string{"Signer/sign", "Signer/verify", "TimestampSigner/sign", "TimestampSigner/verify",
		"Serializer/sign", "Serializer/verify", "TimedSerializer/sign", "TimedSerializer/verify",
		"URLSafeSerializer/sign", "URLSafeSerializer/verify", "URLSafeTimedSerializer/sign", "URLSafeTimedSerializer/verify"} {
		if counts[k] == 0 {
			t.Errorf("no vectors for %s", k)
		}
	}
}

type serializer interface {
	Dumps(v any, opts ...itsdangerous.CallOption) (string, error)
}

func checkSerializer(t *testing.T, v *testvec.ItsDangerousVector, key []byte, opts []itsdangerous.Option) {
	var (
		s     serializer
		loads func(tok string, out any, call ...itsdangerous.CallOption) (time.Time, error)
		err   error
	)
	switch v.Class {
	case "Serializer", "URLSafeSerializer":
		var p *itsdangerous.Serializer
		if v.Class == "Serializer" {
			p, err = itsdangerous.NewSerializer(key, opts...)
		} else {
			p, err = itsdangerous.NewURLSafeSerializer(key, opts...)
		}
		s = p
		loads = func(tok string, out any, call ...itsdangerous.CallOption) (time.Time, error) {
			return time.Time{}, p.Loads(tok, out, call...)
		}
	default:
		var p *itsdangerous.TimedSerializer
		if v.Class == "TimedSerializer" {
			p, err = itsdangerous.NewTimedSerializer(key, opts...)
		} else {
			p, err = itsdangerous.NewURLSafeTimedSerializer(key, opts...)
		}
		s = p
		loads = p.Loads
	}
	if err != nil {
		t.Fatal(err)
	}
	var call []itsdangerous.CallOption
	if v.CallSalt != nil {
		call = append(call, itsdangerous.Salt(*v.CallSalt))
	}
	if v.Op == "sign" {
		in, err := v.SerializerValue.Ordered()
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Dumps(in, call...)
		if err != nil {
			t.Fatalf("Dumps: %v", err)
		}
		// Compressed or not, the token is Python's: the deflate is
		// zlib's (internal/zlib6).
		if got != string(v.Token) {
			t.Errorf("Dumps = %q\nwant    %q", got, v.Token)
		}
		if v.Compressed != strings.HasPrefix(got, ".") {
			t.Errorf("compressed %v, Python's marker says %v", strings.HasPrefix(got, "."), v.Compressed)
		}
		return
	}
	if v.MaxAge != nil {
		call = append(call, itsdangerous.MaxAge(time.Duration(*v.MaxAge)*time.Second))
	}
	var got any
	signed, err := loads(string(v.Token), &got, call...)
	if v.Error != "" {
		checkError(t, v, err)
		return
	}
	if err != nil {
		t.Fatalf("Loads: %v; Python accepted it", err)
	}
	want, err := v.SerializerValue.Value()
	if err != nil {
		t.Fatal(err)
	}
	if d := testvec.Diff(want, got); d != "" {
		t.Errorf("Loads: %s", d)
	}
	if v.DateSigned != nil && signed.Unix() != *v.DateSigned {
		t.Errorf("signed at %v, want %d", signed, *v.DateSigned)
	}
}
