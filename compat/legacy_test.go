package compat_test

// Tokens of itsdangerous 0.24, whose timestamps count from 2011-01-01,
// read and re-created with itsdangerous.WithLegacyEpoch; and proof that
// without the option Go reads them exactly as current itsdangerous (2.1.2)
// does. The vectors come from the real 0.24 (compat/gen_legacy.py).

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

type legacyVector struct {
	Name       string          `json:"name"`
	Version    string          `json:"version"`
	Class      string          `json:"class"`
	Key        testvec.Bytes   `json:"key"`
	Salt       *testvec.Bytes  `json:"salt"`
	Op         string          `json:"op"`
	Now        int64           `json:"now"`
	MaxAge     *int64          `json:"max_age"`
	Value      json.RawMessage `json:"value"`
	Token      testvec.Bytes   `json:"token"`
	Compressed bool            `json:"compressed"`
	Error      *string         `json:"error"`
	Message    *string         `json:"message"`
	DateSigned *int64          `json:"date_signed"`
	LegacyTS   *int64          `json:"legacy_ts"`
}

// legacyCompactJSON is itsdangerous 0.24's compact_json: separators ","
// and ":" like 1.0 and later, but with ensure_ascii left on, so non-ASCII
// characters are \u-escaped (1.0 and later write them raw).
type legacyCompactJSON struct{}

func (legacyCompactJSON) AppendPayload(dst []byte, v any) ([]byte, error) {
	g, err := py.ValueOf(v)
	if err != nil {
		return dst, err
	}
	return pyjson.Append(dst, g, pyjson.Dialect{Compact: true, ASCII: true})
}

func (legacyCompactJSON) DecodePayload(data []byte, v any, lim itsdangerous.Limits) error {
	g, err := pyjson.Decode(data, pyjson.Options{MaxDepth: lim.MaxDepth})
	if err != nil {
		return err
	}
	return py.Assign(v, g)
}

func loadLegacy(t *testing.T) []legacyVector {
	t.Helper()
	var vs []legacyVector
	testvec.LoadVectors(t, testvec.Path(t, "testdata/legacy/vectors.json"), "itsdangerous", "", &vs)
	versions := map[string]int{}
	for _, v := range vs {
		versions[v.Version]++
	}
	if versions["0.24"] == 0 || versions["2.1.2"] == 0 {
		t.Fatalf("testdata/legacy/vectors.json: vectors per version %v", versions)
	}
	return vs
}

var legacyClasses = map[string]error{
	"BadSignature":     itsdangerous.ErrBadSignature,
	"BadTimeSignature": itsdangerous.ErrBadTimeSignature,
	"SignatureExpired": itsdangerous.ErrSignatureExpired,
	"BadPayload":       itsdangerous.ErrBadPayload,
}

func TestLegacyEpochVectors(t *testing.T) {
	for _, v := range loadLegacy(t) {
		t.Run(v.Name, func(t *testing.T) {
			// 0.24's tokens with the legacy epoch; 2.1.2's verdicts
			// without it.
			opts := []itsdangerous.Option{itsdangerous.WithClock(func() time.Time { return time.Unix(v.Now, 0) })}
			if v.Version == "0.24" {
				opts = append(opts, itsdangerous.WithLegacyEpoch())
			}
			if v.Salt != nil {
				opts = append(opts, itsdangerous.WithSalt(*v.Salt))
			}
			var callOpts []itsdangerous.CallOption
			if v.MaxAge != nil {
				callOpts = append(callOpts, itsdangerous.MaxAge(time.Duration(*v.MaxAge)*time.Second))
			}
			var sign func() (string, error)
			var verify func() (value any, signed time.Time, err error)
			switch v.Class {
			case "TimestampSigner":
				s, err := itsdangerous.NewTimestampSigner(v.Key, opts...)
				if err != nil {
					t.Fatal(err)
				}
				var in testvec.Bytes
				if v.Op == "sign" {
					if err := json.Unmarshal(v.Value, &in); err != nil {
						t.Fatal(err)
					}
				}
				sign = func() (string, error) { return string(s.Sign(in)), nil }
				verify = func() (any, time.Time, error) {
					b, ts, err := s.Unsign(v.Token, callOpts...)
					return []byte(b), ts, err
				}
			case "TimedSerializer", "URLSafeTimedSerializer":
				var s *itsdangerous.TimedSerializer
				var err error
				if v.Class == "TimedSerializer" {
					s, err = itsdangerous.NewTimedSerializer(v.Key, opts...)
				} else {
					if v.Version == "0.24" {
						opts = append(opts, itsdangerous.WithPayloadFormat(legacyCompactJSON{}))
					}
					s, err = itsdangerous.NewURLSafeTimedSerializer(v.Key, opts...)
				}
				if err != nil {
					t.Fatal(err)
				}
				sign = func() (string, error) {
					in, err := testvec.TV(v.Value).Ordered()
					if err != nil {
						t.Fatal(err)
					}
					return s.Dumps(in)
				}
				verify = func() (any, time.Time, error) {
					var got any
					ts, err := s.Loads(v.Token.String(), &got, callOpts...)
					return got, ts, err
				}
			default:
				t.Fatalf("unknown class %q", v.Class)
			}

			switch v.Op {
			case "sign":
				got, err := sign()
				if err != nil {
					t.Fatal(err)
				}
				// Compressed or not: the deflate is zlib's.
				if got != v.Token.String() {
					t.Errorf("token:\n got %s\nwant %s", got, v.Token)
				}
			case "verify":
				got, signed, err := verify()
				if v.Version == "0.24" && v.Error == nil && v.MaxAge != nil && *v.DateSigned > v.Now {
					// 0.24 accepted tokens signed in the future;
					// itsdangerous 2.x (and Go) refuse them.
					if !errors.Is(err, itsdangerous.ErrSignatureExpired) {
						t.Errorf("future token: %v, want ErrSignatureExpired (2.x semantics)", err)
					}
					return
				}
				if v.Error != nil {
					if !errors.Is(err, legacyClasses[*v.Error]) {
						t.Fatalf("error %v; Python %s(%q)", err, *v.Error, *v.Message)
					}
					var e *itsdangerous.Error
					errors.As(err, &e)
					if *v.Error == "SignatureExpired" || v.Version == "2.1.2" {
						// The messages of the other classes changed
						// after 0.24 ("No '.' found" became "No b'.'").
						if e.Reason != *v.Message {
							t.Errorf("reason %q, Python %q", e.Reason, *v.Message)
						}
					}
					if v.DateSigned != nil && e.SignedAt.Unix() != *v.DateSigned {
						t.Errorf("SignedAt %v, Python %d", e.SignedAt, *v.DateSigned)
					}
					return
				}
				if err != nil {
					t.Fatalf("error %v; Python accepts it", err)
				}
				var want any
				if v.Class == "TimestampSigner" {
					var b testvec.Bytes
					if err := json.Unmarshal(v.Value, &b); err != nil {
						t.Fatal(err)
					}
					want = []byte(b)
				} else if want, err = testvec.TV(v.Value).Value(); err != nil {
					t.Fatal(err)
				}
				if d := testvec.Diff(want, got); d != "" {
					t.Error(d)
				}
				if v.DateSigned == nil || signed.Unix() != *v.DateSigned {
					t.Errorf("signed at %v, Python %v", signed, v.DateSigned)
				}
			default:
				t.Fatalf("unknown op %q", v.Op)
			}
		})
	}
}
