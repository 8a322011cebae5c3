package compat_test

import (
	"errors"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// flaskCodec builds the codec a vector's Flask app had.
func flaskCodec(t *testing.T, v *testvec.FlaskVector) *codec.Codec {
	t.Helper()
	opts := []codec.Option{codec.WithClock(func() time.Time { return time.Unix(v.Now, 0) })}
	for _, k := range v.Fallbacks {
		opts = append(opts, codec.WithFallbackKeys(k))
	}
	if v.MaxAge != nil {
		opts = append(opts, codec.WithLifetime(time.Duration(*v.MaxAge)*time.Second))
	}
	c, err := codec.New(v.Secret, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFlaskVectors(t *testing.T) {
	prov, vectors := testvec.LoadFlask(t, testvec.Path(t, testvec.FlaskFile))
	t.Logf("%d vectors from Flask %s, itsdangerous %s", len(vectors), prov.Flask, prov.ItsDangerous)
	identical, compressed, decoded, refused := 0, 0, 0, 0
	for i := range vectors {
		v := &vectors[i]
		t.Run(v.Name, func(t *testing.T) {
			c := flaskCodec(t, v)
			if v.Op == "encode" {
				in, err := v.Value.Ordered()
				if err != nil {
					t.Fatal(err)
				}
				// The tagged JSON is exactly Flask's.
				j, err := codec.TaggedJSON.AppendPayload(nil, in)
				if err != nil {
					t.Fatalf("tagging: %v", err)
				}
				if v.JSON == nil || string(j) != *v.JSON {
					t.Errorf("tagged JSON\n got %s\nwant %v", j, derefString(v.JSON))
				}
				cookie, err := c.EncodeAt(in, time.Unix(v.Now, 0))
				if err != nil && !errors.Is(err, codec.ErrTooLarge) {
					t.Fatalf("Encode: %v", err)
				}
				if err == nil {
					// Compressed or not, the cookie is Flask's: the
					// deflate is zlib's (internal/zlib6).
					if cookie != v.Cookie {
						t.Errorf("cookie\n got %s\nwant %s", cookie, v.Cookie)
					}
					identical++
					if v.Compressed {
						compressed++
					}
				}
			}
			// Decode Flask's cookie: the value Flask's session holds, or
			// the error Flask's serializer raises.
			var got map[string]any
			var err error
			if v.MaxAge != nil {
				_, err = c.DecodeAt(v.Cookie, &got, time.Unix(v.Now, 0))
			} else {
				// Flask's open_session always passes max_age, and so does
				// the codec; a load without it is the serializer's.
				_, err = flaskSerializer(t, v).Loads(v.Cookie, &got)
			}
			if v.Error != "" {
				var e *itsdangerous.Error
				if !errors.As(err, &e) || e.Kind != classes[v.Error] {
					t.Fatalf("error %v, want %s (%s)", err, v.Error, v.Message)
				}
				refused++
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v; Flask read it", err)
			}
			want, err := v.Decoded.Value()
			if err != nil {
				t.Fatal(err)
			}
			if d := testvec.Diff(want, got); d != "" {
				t.Fatalf("decoded: %s", d)
			}
			decoded++
			// Round-trip stability: encoding what we decoded gives the JSON
			// Flask writes for that value.
			// (Where Flask's own round trip changes the value, as for years
			// below 100, the live test compares with Flask's re-dump.)
			if v.Op == "encode" && testvec.Diff(mustValue(t, v.Value), want) == "" {
				j, err := codec.TaggedJSON.AppendPayload(nil, got)
				if err != nil {
					t.Fatal(err)
				}
				if string(j) != *v.JSON {
					t.Errorf("re-encoded JSON\n got %s\nwant %s", j, *v.JSON)
				}
			}
		})
	}
	t.Logf("%d identical cookies (%d of them compressed), %d decoded, %d refused", identical, compressed, decoded, refused)
	if identical == 0 || compressed == 0 || decoded == 0 || refused == 0 {
		t.Error("some kind of vector is missing")
	}
}

// flaskSerializer is Flask's signing serializer for v, without a max age.
func flaskSerializer(t *testing.T, v *testvec.FlaskVector) *itsdangerous.TimedSerializer {
	t.Helper()
	opts := []itsdangerous.Option{
		itsdangerous.WithSalt([]byte(codec.DefaultSalt)),
		itsdangerous.WithKeyDerivation(codec.DefaultKeyDerivation),
		itsdangerous.WithPayloadFormat(codec.TaggedJSON),
		itsdangerous.WithClock(func() time.Time { return time.Unix(v.Now, 0) }),
	}
	for _, k := range v.Fallbacks {
		opts = append(opts, itsdangerous.WithFallbackKeys(k))
	}
	s, err := itsdangerous.NewURLSafeTimedSerializer(v.Secret, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustValue(t *testing.T, tv testvec.TV) any {
	t.Helper()
	v, err := tv.Value()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func derefString(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
