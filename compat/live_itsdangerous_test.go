package compat_test

import (
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// Python's itsdangerous loads every serializer token we make for the
// vectors, compressed ones included, to the value it loads from its own.
func TestLivePythonLoadsOurTokens(t *testing.T) {
	o := pyoracle.Shared(t)
	_, vectors := testvec.LoadItsDangerous(t, testvec.Path(t, testvec.ItsDangerousFile))
	checked, compressed := 0, 0
	for i := range vectors {
		v := &vectors[i]
		if v.IsSigner() || v.Op != "sign" {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			key := []byte(v.Keys[len(v.Keys)-1])
			opts := signerOptions(t, v)
			var s serializer
			var err error
			switch v.Class {
			case "Serializer":
				s, err = itsdangerous.NewSerializer(key, opts...)
			case "URLSafeSerializer":
				s, err = itsdangerous.NewURLSafeSerializer(key, opts...)
			case "TimedSerializer":
				s, err = itsdangerous.NewTimedSerializer(key, opts...)
			default:
				s, err = itsdangerous.NewURLSafeTimedSerializer(key, opts...)
			}
			if err != nil {
				t.Fatal(err)
			}
			var call []itsdangerous.CallOption
			if v.CallSalt != nil {
				call = append(call, itsdangerous.Salt(*v.CallSalt))
			}
			in, err := v.SerializerValue.Ordered()
			if err != nil {
				t.Fatal(err)
			}
			ours, err := s.Dumps(in, call...)
			if err != nil {
				t.Fatal(err)
			}
			if ours[0] == '.' {
				compressed++
			}
			ask := func(tok string) pyoracle.Response {
				req := itsdangerousRequest(v, "loads", tok)
				var resp pyoracle.Response
				if err := o.Do(req, &resp); err != nil {
					t.Fatal(err)
				}
				if !resp.OK {
					t.Fatalf("Python refused %q: %s", tok, resp.Describe())
				}
				return resp
			}
			mine, theirs := ask(ours), ask(string(v.Token))
			a, err := testvec.TV(mine.Value).Value()
			if err != nil {
				t.Fatal(err)
			}
			b, err := testvec.TV(theirs.Value).Value()
			if err != nil {
				t.Fatal(err)
			}
			if d := testvec.Diff(b, a); d != "" {
				t.Errorf("Python loads our token differently: %s", d)
			}
			checked++
		})
	}
	if checked == 0 || compressed == 0 {
		t.Fatalf("checked %d tokens, %d compressed; want some of each", checked, compressed)
	}
	t.Logf("Python loaded %d of our tokens (%d compressed)", checked, compressed)
}

// itsdangerousRequest asks the oracle to do what vector v describes, with
// the given action and token.
func itsdangerousRequest(v *testvec.ItsDangerousVector, action, token string) pyoracle.ItsdangerousRequest {
	req := pyoracle.ItsdangerousRequest{
		Class:         v.Class,
		KeyDerivation: v.KeyDerivation,
		Digest:        v.Digest,
		Algorithm:     v.Algorithm,
		Action:        action,
		Now:           v.Now,
		MaxAge:        v.MaxAge,
		Token:         pyoracle.Bytes(token),
	}
	for _, k := range v.Keys {
		req.Keys = append(req.Keys, pyoracle.Bytes(k))
	}
	if v.Salt != nil {
		req.Salt = pyoracle.B(string(*v.Salt))
	}
	if v.Sep != nil {
		req.Sep = pyoracle.B(string(*v.Sep))
	}
	if v.CallSalt != nil {
		req.CallSalt = pyoracle.B(string(*v.CallSalt))
	}
	for _, fb := range v.FallbackSigners {
		f := pyoracle.FallbackSigner{KeyDerivation: fb.KeyDerivation, Digest: fb.Digest}
		if fb.Sep != nil {
			f.Sep = pyoracle.B(string(*fb.Sep))
		}
		req.FallbackSigners = append(req.FallbackSigners, f)
	}
	return req
}
