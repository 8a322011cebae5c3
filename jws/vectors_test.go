package jws_test

import (
	"errors"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
)

// vector is one operation of itsdangerous 2.0.1's JWS serializers; see
// compat/gen_jws.py.
type vector struct{ testvec.JWSVector }

func loadVectors(t *testing.T) []vector {
	t.Helper()
	var vs []vector
	testvec.LoadVectors(t, testvec.Path(t, testvec.JWSFile), "itsdangerous", "", &vs)
	return vs
}

// errorClasses maps the Python exception classes to the errors they are
// here. TypeError and OverflowError escape Python's own classes (an "exp"
// of null or infinity); this package reports them as ErrBadHeader.
var errorClasses = map[string]error{
	"BadSignature":     itsdangerous.ErrBadSignature,
	"BadHeader":        jws.ErrBadHeader,
	"BadPayload":       itsdangerous.ErrBadPayload,
	"SignatureExpired": itsdangerous.ErrSignatureExpired,
	"TypeError":        jws.ErrBadHeader,
	"OverflowError":    jws.ErrBadHeader,
}

// serializer is a JWS serializer of either class.
type serializer interface {
	Dumps(v any, opts ...jws.CallOption) (string, error)
	Loads(token string, v any, opts ...jws.CallOption) (map[string]any, error)
}

func (v *vector) build(t *testing.T) serializer {
	t.Helper()
	if len(v.Keys) == 0 {
		t.Fatal("vector without keys")
	}
	var opts []jws.Option
	for _, k := range v.Keys[:len(v.Keys)-1] {
		opts = append(opts, jws.WithFallbackKeys(k))
	}
	if v.Salt != nil {
		opts = append(opts, jws.WithSalt(*v.Salt))
	}
	switch {
	case v.AlgorithmName == nil:
	case *v.AlgorithmName == jws.None:
		opts = append(opts, jws.WithUnsafeNoneAlgorithm())
	default:
		opts = append(opts, jws.WithAlgorithm(*v.AlgorithmName))
	}
	if v.ExpiresIn != nil {
		opts = append(opts, jws.WithExpiresIn(time.Duration(*v.ExpiresIn)*time.Second))
	}
	opts = append(opts, jws.WithClock(func() time.Time { return time.Unix(v.Now, 0) }))
	key := v.Keys[len(v.Keys)-1]
	// Python signs with an empty key (vector key/empty); Go needs the
	// explicit option.
	opts = append(opts, jws.WithUnsafeEmptyKeys())
	var s serializer
	var err error
	switch v.Class {
	case "JSONWebSignatureSerializer":
		s, err = jws.New(key, opts...)
	case "TimedJSONWebSignatureSerializer":
		s, err = jws.NewTimed(key, opts...)
	default:
		t.Fatalf("unknown class %q", v.Class)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (v *vector) callOpts() []jws.CallOption {
	if v.CallSalt == nil {
		return nil
	}
	return []jws.CallOption{jws.Salt(*v.CallSalt)}
}

// TestVectors re-creates every token itsdangerous 2.0.1 made, byte for byte,
// and loads every token with Python's outcome: the payload and header, or
// the error class and message.
func TestVectors(t *testing.T) {
	vectors := loadVectors(t)
	var dumps, loads int
	for i := range vectors {
		v := &vectors[i]
		t.Run(v.Name, func(t *testing.T) {
			s := v.build(t)
			switch v.Op {
			case "dumps":
				dumps++
				in, err := v.Value.Ordered()
				if err != nil {
					t.Fatal(err)
				}
				opts := v.callOpts()
				if !v.HeaderFields.IsNull() {
					hf, err := v.HeaderFields.Ordered()
					if err != nil {
						t.Fatal(err)
					}
					opts = append(opts, jws.HeaderFields(hf))
				}
				got, err := s.Dumps(in, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if got != v.Token.String() {
					t.Errorf("Dumps:\n got %s\nwant %s", got, v.Token)
				}
			case "loads":
				loads++
				var got any
				header, err := s.Loads(v.Token.String(), &got, v.callOpts()...)
				if v.Error == nil {
					if err != nil {
						t.Fatalf("Loads: %v; Python loads it", err)
					}
					want, err := v.Value.Value()
					if err != nil {
						t.Fatal(err)
					}
					if d := testvec.Diff(want, got); d != "" {
						t.Errorf("payload: %s", d)
					}
					wantH, err := v.Header.Value()
					if err != nil {
						t.Fatal(err)
					}
					if d := testvec.Diff(wantH, header); d != "" {
						t.Errorf("header: %s", d)
					}
					return
				}
				class, ok := errorClasses[*v.Error]
				if !ok {
					t.Fatalf("unknown Python class %q", *v.Error)
				}
				if !errors.Is(err, class) {
					t.Fatalf("Loads error %v; Python raises %s(%q)", err, *v.Error, *v.Message)
				}
				var e *itsdangerous.Error
				if !errors.As(err, &e) {
					t.Fatalf("error %T is not an *itsdangerous.Error", err)
				}
				if *v.Error != "TypeError" && *v.Error != "OverflowError" && e.Reason != *v.Message {
					t.Errorf("reason %q, Python says %q", e.Reason, *v.Message)
				}
				var signed int64
				if !e.SignedAt.IsZero() {
					signed = e.SignedAt.Unix()
				}
				if (v.DateSigned == nil) != e.SignedAt.IsZero() || v.DateSigned != nil && *v.DateSigned != signed {
					t.Errorf("SignedAt %v, Python date_signed %v", e.SignedAt, v.DateSigned)
				}
				if header != nil {
					t.Errorf("header %v returned with an error", header)
				}
			default:
				t.Fatalf("unknown op %q", v.Op)
			}
		})
	}
	if dumps == 0 || loads == 0 {
		t.Fatalf("%d dumps and %d loads vectors", dumps, loads)
	}
}
