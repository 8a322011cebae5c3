package django_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// vector is one call of Django's signing module or signed_cookies session
// backend (Django 3.2 or 4.2, see vectorFiles); see compat/gen_django.py.
type vector struct {
	testvec.DjangoVector

	// django4 is set for the vectors of Django 4: no legacy SHA-1
	// signatures, no DEFAULT_HASHING_ALGORITHM setting.
	django4 bool
}

// vectorFiles are the committed vector files, one per Django version: the
// same calls of compat/gen_django.py under Debian 12's Django 3.2 and the
// current Debian release's Django 4.2, which differ where Django 4.0
// removed the legacy SHA-1 signatures and DEFAULT_HASHING_ALGORITHM.
var vectorFiles = []struct {
	path, version string
	django4       bool
}{
	{testvec.DjangoFile, "3.2.", false},
	{testvec.DjangoCurrentFile, "4.2.", true},
}

func loadVectors(t *testing.T, path, version string, django4 bool) []vector {
	t.Helper()
	var vs []vector
	prov := testvec.LoadVectors(t, testvec.Path(t, path), "django", "", &vs)
	if v, _ := prov["django"].(string); !strings.HasPrefix(v, version) {
		t.Fatalf("%s: made by Django %v, want %s*", path, prov["django"], version)
	}
	counts := map[string]int{}
	for i := range vs {
		vs[i].django4 = django4
		counts[vs[i].Class+"/"+vs[i].Op]++
	}
	for _, k := range []string{"Signer/init", "Signer/sign", "Signer/unsign", "TimestampSigner/sign",
		"TimestampSigner/unsign", "signing/dumps", "signing/loads", "session/encode", "session/decode",
		"cookie/sign", "cookie/unsign"} {
		if counts[k] == 0 {
			t.Errorf("%s: no %s vectors", path, k)
		}
	}
	return vs
}

// timeOf converts Python's float time.time() to a time.Time.
func timeOf(sec float64) time.Time {
	s := math.Floor(sec)
	return time.Unix(int64(s), int64(math.Round((sec-s)*1e9)))
}

func seconds(f float64) time.Duration { return time.Duration(math.Round(f * 1e9)) }

// options rebuilds the vector's configuration. Django 3.2 always accepts a
// legacy SHA-1 signature, hence WithLegacySHA1, and its signers default to
// the DEFAULT_HASHING_ALGORITHM setting (Hashing); Django 4 has neither and
// defaults to SHA-256.
func (v *vector) options() []django.Option {
	opts := []django.Option{django.WithClock(func() time.Time { return timeOf(v.Now) })}
	if !v.django4 {
		opts = append(opts, django.WithLegacySHA1())
	}
	if v.Salt != nil {
		opts = append(opts, django.WithSalt(*v.Salt))
	}
	if v.Sep != nil {
		opts = append(opts, django.WithSeparator(*v.Sep))
	}
	alg := v.Hashing
	if v.django4 {
		alg = "sha256"
	}
	if v.Algorithm != nil {
		alg = *v.Algorithm
	}
	opts = append(opts, django.WithAlgorithm(alg))
	if v.Compress {
		opts = append(opts, django.WithCompress())
	}
	if v.Op == "decode" && v.MaxAge != nil {
		opts = append(opts, django.WithSessionCookieAge(seconds(*v.MaxAge)))
	}
	return opts
}

func (v *vector) callOpts() []django.CallOption {
	opts := []django.CallOption{django.At(timeOf(v.Now))}
	if v.MaxAge != nil && v.Op != "decode" {
		opts = append(opts, django.MaxAge(seconds(*v.MaxAge)))
	}
	return opts
}

// checkError compares a Go error with the exception Django raised.
func (v *vector) checkError(t *testing.T, err error) {
	t.Helper()
	if v.Error == nil {
		if err != nil {
			t.Fatalf("error %v; Django succeeds", err)
		}
		return
	}
	class := *v.Error
	want := django.ErrMalformed
	switch class {
	case "BadSignature":
		want = django.ErrBadSignature
	case "SignatureExpired":
		want = django.ErrSignatureExpired
	}
	if !errors.Is(err, want) {
		t.Fatalf("error %v; Django raises %s(%q)", err, class, *v.Message)
	}
	if want == django.ErrMalformed && errors.Is(err, django.ErrBadSignature) {
		t.Fatalf("error %v matches ErrBadSignature; Django raises %s", err, class)
	}
	var e *django.Error
	if !errors.As(err, &e) {
		t.Fatalf("%T is not a *django.Error", err)
	}
	switch class {
	case "BadSignature", "SignatureExpired":
		if e.Reason != *v.Message {
			t.Errorf("reason %q, Django says %q", e.Reason, *v.Message)
		}
	case "ValueError", "IndexError", "OverflowError":
		if e.Reason != class+": "+*v.Message {
			t.Errorf("reason %q, Django raises %s: %s", e.Reason, class, *v.Message)
		}
	}
}

// TestVectors runs every Django vector: tokens are re-created byte for
// byte (compressed ones too: the deflate is zlib's), and every token is
// verified with Django's outcome.
func TestVectors(t *testing.T) {
	for _, f := range vectorFiles {
		t.Run("django-"+strings.TrimSuffix(f.version, "."), func(t *testing.T) {
			testVectors(t, loadVectors(t, f.path, f.version, f.django4))
		})
	}
}

func testVectors(t *testing.T, vectors []vector) {
	for i := range vectors {
		v := &vectors[i]
		t.Run(v.Name, func(t *testing.T) {
			switch v.Class {
			case "Signer", "TimestampSigner", "cookie":
				v.runSigner(t)
			case "signing":
				v.runSigning(t)
			case "session":
				v.runSession(t)
			default:
				t.Fatalf("unknown class %q", v.Class)
			}
		})
	}
}

func (v *vector) runSigner(t *testing.T) {
	var sign func(string) string
	var unsign func(string) (string, error)
	var err error
	if v.Class == "Signer" {
		var s *django.Signer
		if s, err = django.NewSigner(v.Key, v.options()...); err == nil {
			sign, unsign = s.Sign, s.Unsign
		}
	} else {
		var s *django.TimestampSigner
		if v.Class == "cookie" {
			// set_signed_cookie and get_signed_cookie.
			s, err = django.NewCookieSigner(v.Key, *v.CookieName, v.options()...)
		} else {
			s, err = django.NewTimestampSigner(v.Key, v.options()...)
		}
		if err == nil {
			sign = s.Sign
			unsign = func(tok string) (string, error) {
				val, _, err := s.Unsign(tok, v.callOpts()...)
				return val, err
			}
		}
	}
	if v.Op == "init" {
		if (v.Error != nil) != errors.Is(err, django.ErrConfig) {
			t.Fatalf("NewSigner: %v; Django: %v %v", err, v.Error, v.Message)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	var value *string
	if err := json.Unmarshal(v.Value, &value); err != nil {
		t.Fatal(err)
	}
	switch v.Op {
	case "sign":
		if got := sign(*value); got != *v.Token {
			t.Errorf("Sign = %q, Django %q", got, *v.Token)
		}
	case "unsign":
		got, err := unsign(*v.Token)
		v.checkError(t, err)
		if err == nil && got != *value {
			t.Errorf("Unsign = %q, Django %q", got, *value)
		}
	default:
		t.Fatalf("unknown op %q", v.Op)
	}
}

func (v *vector) tv(t *testing.T) (ordered, plain any) {
	t.Helper()
	tv := testvec.TV(v.Value)
	o, err := tv.Ordered()
	if err != nil {
		t.Fatal(err)
	}
	p, err := tv.Value()
	if err != nil {
		t.Fatal(err)
	}
	return o, p
}

// runEncode checks a token made by dumps, a Serializer's Dumps or a
// SessionCodec's encode.
func (v *vector) runEncode(t *testing.T, dumps func(any, ...django.CallOption) (string, error)) {
	in, _ := v.tv(t)
	got, err := dumps(in, v.callOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	// Compressed or not, the token is Django's: the deflate is zlib's
	// (internal/zlib6).
	if got != *v.Token {
		t.Errorf("dumps:\n got %s\nwant %s", got, *v.Token)
	}
}

func (v *vector) runSigning(t *testing.T) {
	s, err := django.NewSerializer(v.Key, v.options()...)
	if err != nil {
		t.Fatal(err)
	}
	switch v.Op {
	case "dumps":
		v.runEncode(t, s.Dumps)
	case "loads":
		var got any
		_, err := s.Loads(*v.Token, &got, v.callOpts()...)
		v.checkError(t, err)
		if err == nil {
			_, want := v.tv(t)
			if d := testvec.Diff(want, got); d != "" {
				t.Error(d)
			}
		}
	default:
		t.Fatalf("unknown op %q", v.Op)
	}
}

func (v *vector) runSession(t *testing.T) {
	c, err := django.NewSessionCodec(v.Key, v.options()...)
	if err != nil {
		t.Fatal(err)
	}
	now := timeOf(v.Now)
	switch v.Op {
	case "encode":
		v.runEncode(t, func(x any, _ ...django.CallOption) (string, error) { return c.EncodeAt(x, now) })
	case "decode":
		var got any
		_, err := c.DecodeAt(*v.Token, &got, now)
		if err != nil && !errors.Is(err, itsdangerous.ErrBadSignature) {
			t.Errorf("session error %v does not match itsdangerous.ErrBadSignature", err)
		}
		v.checkError(t, err)
		_, want := v.tv(t)
		if err != nil {
			// load() resets the session: Django's result is {}.
			if d := testvec.Diff(map[string]any{}, want); d != "" {
				t.Fatalf("Django kept %v after %v", want, *v.Error)
			}
			return
		}
		if d := testvec.Diff(want, got); d != "" {
			t.Error(d)
		}
	default:
		t.Fatalf("unknown op %q", v.Op)
	}
}
