package session_test

import (
	"errors"
	"math/big"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/session"
	"github.com/google/go-cmp/cmp"
)

// What one request does to the session of a cookie, in place or not,
// never reaches another request with the same cookie, which the Manager
// may serve from its decode cache.
func TestDecodeCacheIsolation(t *testing.T) {
	c := newCodec(t, now)
	nested := map[string]any{
		"list":  []any{int64(1), []any{"a"}},
		"dict":  map[string]any{"k": "v"},
		"bytes": []byte("raw"),
		"big":   new(big.Int).Lsh(big.NewInt(1), 80),
		"tuple": py.Tuple{"x", int64(2)},
	}
	flat := map[string]any{"user": "alice", "n": int64(1), "_flashes": []any{}, "t": py.Tuple{}, "d": map[string]any{}}
	for name, data := range map[string]map[string]any{"nested": nested, "flat": flat} {
		t.Run(name, func(t *testing.T) {
			cookie, err := c.Encode(data)
			if err != nil {
				t.Fatal(err)
			}
			m := newManager(t, c)
			load := func() *session.Session {
				req := httptest.NewRequest("GET", "/", nil)
				req.Header.Set("Cookie", "session="+cookie)
				return m.Load(req)
			}
			snapshot := func(s *session.Session) map[string]any {
				got := map[string]any{}
				for _, k := range s.Keys() {
					got[k], _ = s.Get(k)
				}
				return got
			}
			want := snapshot(load())
			for i := 0; i < 3; i++ {
				s := load()
				if diff := cmp.Diff(want, snapshot(s), bigEqual); diff != "" {
					t.Fatalf("load %d (-first +now):\n%s", i, diff)
				}
				// Change everything that can be changed.
				for _, k := range s.Keys() {
					v, _ := s.Get(k)
					switch v := v.(type) {
					case []any:
						if len(v) > 0 {
							v[0] = "changed"
						}
						_ = append(v, "appended")
					case py.Tuple:
						if len(v) > 0 {
							v[0] = "changed"
						}
						_ = append(v, "appended")
					case map[string]any:
						v["k"] = "changed"
					case []byte:
						v[0] = 'X'
					case *big.Int:
						v.SetInt64(7)
					}
				}
				s.Set("user", "mallory")
				s.Delete("n")
				s.Flash("message", "hi")
				if i == 2 {
					s.Clear()
				}
			}
		})
	}
}

var bigEqual = cmp.Comparer(func(a, b *big.Int) bool { return a.Cmp(b) == 0 })

// A cookie served from the cache is still checked for age, as the codec
// checks it: it expires one second after the lifetime.
func TestDecodeCacheAge(t *testing.T) {
	m, clock, req := movingClock(t)
	for _, tt := range []struct {
		at   int64
		want bool
	}{{now, true}, {now + 2678400, true}, {now + 2678401, false}, {now - 1, false}, {now + 10, true}} {
		clock.Store(tt.at)
		if _, got := m.Load(req).Get("x"); got != tt.want {
			t.Errorf("at now%+d: x present %v, want %v", tt.at-now, got, tt.want)
		}
	}
}

func TestDecodeCacheOption(t *testing.T) {
	c := newCodec(t, now)
	if _, err := session.New(c, session.WithDecodeCache(-1)); !errors.Is(err, itsdangerous.ErrConfig) {
		t.Errorf("negative cache size: %v, want ErrConfig", err)
	}
	m := newManager(t, c, session.WithDecodeCache(0))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", "session="+cookieX)
	for i := 0; i < 2; i++ {
		if v, _ := m.Load(req).Get("x"); v != int64(1) {
			t.Errorf("without a cache, load %d: x = %v", i, v)
		}
	}
}

// Requests with the same cookie at once share what the cache keeps, each
// changing its own session (run with -race).
func TestDecodeCacheConcurrent(t *testing.T) {
	c := newCodec(t, now)
	cookie, err := c.Encode(map[string]any{"user": "alice", "n": int64(1), "_flashes": []any{}, "l": []any{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	m := newManager(t, c)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				req := httptest.NewRequest("GET", "/", nil)
				req.Header.Set("Cookie", "session="+cookie)
				s := m.Load(req)
				if v, _ := s.Get("user"); v != "alice" {
					t.Errorf("user = %v", v)
					return
				}
				if l, _ := s.Get("l"); l.([]any)[0] != "x" {
					t.Errorf("l = %v", l)
					return
				}
				l, _ := s.Get("l")
				l.([]any)[0] = g
				s.Set("user", g)
				s.Flash("message", "m")
			}
		}(g)
	}
	wg.Wait()
}
