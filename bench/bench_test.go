package bench

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/securecookie"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/testonly/fixture"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

const secret = "dev-secret"

var signedAt = time.Unix(1700000000, 0)

// The sessions of issue 14 (package fixture): small is {"user_id": 42};
// large holds every tag and makes a compressed cookie of about 300
// characters.
var small, large = fixture.Small, fixture.Large

func newCodec(b *testing.B) *codec.Codec {
	c, err := codec.New([]byte(secret), codec.WithClock(func() time.Time { return signedAt }))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func encode(b *testing.B, c *codec.Codec, v any) string {
	s, err := c.EncodeAt(v, signedAt)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkFloor verifies the small cookie's signature the cheapest way
// crypto/hmac allows: the derived key and the HMAC state prepared once, the
// signature decoded once, no allocation. Every ratio of issue 14 divides by
// it.
func BenchmarkFloor(b *testing.B) {
	c := newCodec(b)
	cookie := encode(b, c, small())
	i := strings.LastIndexByte(cookie, '.')
	msg := []byte(cookie[:i])
	sig, err := base64.RawURLEncoding.DecodeString(cookie[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	kd := hmac.New(sha1.New, []byte(secret))
	kd.Write([]byte(codec.DefaultSalt))
	m := hmac.New(sha1.New, kd.Sum(nil))
	var sum [sha1.Size]byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Reset()
		m.Write(msg)
		if !hmac.Equal(m.Sum(sum[:0]), sig) {
			b.Fatal("bad signature")
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	c := newCodec(b)
	for _, tc := range []struct {
		name string
		v    map[string]any
	}{{"small", small()}, {"large", large()}} {
		cookie := encode(b, c, tc.v)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var s map[string]any
				if _, err := c.DecodeAt(cookie, &s, signedAt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	c := newCodec(b)
	for _, tc := range []struct {
		name string
		v    map[string]any
	}{{"small", small()}, {"large", large()}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.EncodeAt(tc.v, signedAt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFloorDecodeLarge is the floor for encoding the large cookie:
// decoding it with the standard library alone (base64, a pooled inflater,
// encoding/json into a map), no signature check.
func BenchmarkFloorDecodeLarge(b *testing.B) {
	c := newCodec(b)
	cookie := encode(b, c, large())
	if cookie[0] != '.' {
		b.Fatal("the large cookie is not compressed")
	}
	payload := []byte(cookie[1 : strings.IndexByte(cookie[1:], '.')+1])
	raw := make([]byte, base64.RawURLEncoding.DecodedLen(len(payload)))
	var zr io.ReadCloser
	var out bytes.Buffer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := base64.RawURLEncoding.Decode(raw, payload)
		if err != nil {
			b.Fatal(err)
		}
		src := bytes.NewReader(raw[:n])
		if zr == nil {
			zr, err = zlib.NewReader(src)
		} else {
			err = zr.(zlib.Resetter).Reset(src, nil)
		}
		if err != nil {
			b.Fatal(err)
		}
		out.Reset()
		if _, err := out.ReadFrom(zr); err != nil {
			b.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(out.Bytes(), &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodingJSON marshals and unmarshals the sessions with
// encoding/json, for scale.
func BenchmarkEncodingJSON(b *testing.B) {
	for _, tc := range []struct {
		name string
		v    map[string]any
	}{{"small", small()}, {"large", large()}} {
		data, err := json.Marshal(tc.v)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name+"/Marshal", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := json.Marshal(tc.v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/Unmarshal", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var v map[string]any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSecureCookie encodes and decodes the same sessions with
// gorilla/securecookie (HMAC-SHA256, no encryption, its JSON encoder, no
// compression), the nearest Go prior art.
func BenchmarkSecureCookie(b *testing.B) {
	sc := securecookie.New([]byte(secret), nil)
	sc.SetSerializer(securecookie.JSONEncoder{})
	for _, tc := range []struct {
		name string
		v    map[string]any
	}{{"small", small()}, {"large", large()}} {
		enc, err := sc.Encode("session", tc.v)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name+"/Encode", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := sc.Encode("session", tc.v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/Decode", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var v map[string]any
				if err := sc.Decode("session", enc, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkKeyTester is one guess of a key search beside the bare loop a
// guess needs with crypto/hmac (derive, then sign the message).
func BenchmarkKeyTester(b *testing.B) {
	c := newCodec(b)
	cookie := []byte(encode(b, c, small()))
	guess := []byte("not-the-secret-key")
	b.Run("KeyTester", func(b *testing.B) {
		kt, err := itsdangerous.NewKeyTester(cookie, itsdangerous.WithSalt([]byte(codec.DefaultSalt)), itsdangerous.WithKeyDerivation(itsdangerous.HMACDerive))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if kt.Test(guess) {
				b.Fatal("guessed")
			}
		}
	})
	b.Run("KeyTester-batch", func(b *testing.B) {
		// Per guess, by TestBatch of 64 guesses: the unsign loop's way.
		kt, err := itsdangerous.NewKeyTester(cookie, itsdangerous.WithSalt([]byte(codec.DefaultSalt)), itsdangerous.WithKeyDerivation(itsdangerous.HMACDerive))
		if err != nil {
			b.Fatal(err)
		}
		batch := make([][]byte, 64)
		for i := range batch {
			batch[i] = guess
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i += len(batch) {
			if kt.TestBatch(batch) >= 0 {
				b.Fatal("guessed")
			}
		}
	})
	b.Run("bare-double-HMAC", func(b *testing.B) {
		i := bytes.LastIndexByte(cookie, '.')
		msg := cookie[:i]
		sig, err := base64.RawURLEncoding.DecodeString(string(cookie[i+1:]))
		if err != nil {
			b.Fatal(err)
		}
		salt := []byte(codec.DefaultSalt)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			kd := hmac.New(sha1.New, guess)
			kd.Write(salt)
			m := hmac.New(sha1.New, kd.Sum(nil))
			m.Write(msg)
			if hmac.Equal(m.Sum(nil), sig) {
				b.Fatal("guessed")
			}
		}
	})
}

// flaskTiming is what flask_timing.py prints: Flask's own session
// serializer and one itsdangerous key guess timed with timeit, in ns per
// operation, and the versions it ran.
type flaskTiming struct {
	Times    map[string]float64 `json:"times"`
	Versions string             `json:"versions"`
}

// flaskTimes runs flask_timing.py once, with /usr/bin/python3 (Debian's
// Flask; the first python3 on PATH may lack it) and the environment's
// PYTHONPATH. The error says why Python could not be timed, with the last
// line Python wrote on standard error.
var flaskTimes = sync.OnceValues(func() (flaskTiming, error) {
	var t flaskTiming
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		return t, errors.New("no /usr/bin/python3")
	}
	out, err := exec.Command("/usr/bin/python3", "flask_timing.py").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			lines := strings.Split(strings.TrimSpace(string(ee.Stderr)), "\n")
			return t, fmt.Errorf("/usr/bin/python3 flask_timing.py: %v: %q", err, lines[len(lines)-1])
		}
		return t, err
	}
	if err := json.Unmarshal(out, &t); err != nil {
		return t, fmt.Errorf("flask_timing.py: %w", err)
	}
	return t, nil
})

// BenchmarkPythonFlask reports Python's Flask (and itsdangerous, for one
// key guess) timed in a subprocess, as ns/op, when /usr/bin/python3 has
// Flask; otherwise it skips, saying why. It logs the versions it timed
// (peers: ...). Python is timed once per process: run it with -count 1
// and -v, as run.sh does, so that the reason or the versions reach
// bench/ratios.
func BenchmarkPythonFlask(b *testing.B) {
	t, err := flaskTimes()
	if err != nil {
		b.Skipf("python not timed: %v", err)
	}
	b.Logf("peers: %s", t.Versions)
	for _, name := range []string{"small/Encode", "small/Decode", "large/Encode", "large/Decode", "key-guess"} {
		b.Run(name, func(b *testing.B) {
			ns, ok := t.Times[name]
			if !ok {
				b.Fatalf("python gave no %s", name)
			}
			b.ReportMetric(ns, "ns/op")
		})
	}
}
