package fuzz_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// TestConcurrentUse shares one signer, serializer or codec per
// configuration between goroutines that load every Python-made token of
// the vectors (each goroutine in its own order) and compare the result with
// Python's, while other goroutines sign and encode with the same objects
// and load what they made. Run it with -race.
func TestConcurrentUse(t *testing.T) {
	c := sharedCorpus(t)
	type job struct {
		s sample
		g *goTarget
	}
	built := map[*tcfg]*goTarget{}
	var jobs []job
	for _, s := range c.Samples {
		if !s.HasWant {
			continue
		}
		g, ok := built[s.Cfg]
		if !ok {
			var err error
			if g, err = s.Cfg.build(false); err != nil {
				t.Fatal(err)
			}
			built[s.Cfg] = g
		}
		jobs = append(jobs, job{s, g})
	}
	if len(jobs) < 100 {
		t.Fatalf("only %d tokens with a known value", len(jobs))
	}

	cd, err := codec.New([]byte("shared-secret"), codec.WithFallbackKeys([]byte("old-secret")))
	if err != nil {
		t.Fatal(err)
	}
	ser, err := itsdangerous.NewURLSafeTimedSerializer([]byte("shared-secret"))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := itsdangerous.NewTimestampSigner([]byte("shared-secret"))
	if err != nil {
		t.Fatal(err)
	}

	const readers, writers = 4, 4
	var wg sync.WaitGroup
	errs := make(chan string, readers+writers)
	for r := 0; r < readers; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for i := range jobs {
				j := jobs[(i*(2*r+1)+r*97)%len(jobs)] // a different order for each reader
				o := j.g.run(query{Token: j.s.Token, Now: j.s.Now, MaxAge: j.s.MaxAge, Action: actionFor(j.s.Cfg)})
				want := j.s.Value
				if j.s.Cfg.isSigner() {
					want = j.s.Signed
				}
				if !o.OK {
					errs <- fmt.Sprintf("%s: %v", j.s.Name, o.Err)
					return
				}
				if d := valueDiff(plain(want), o.Value); d != "" {
					errs <- fmt.Sprintf("%s: %s", j.s.Name, d)
					return
				}
			}
		}(r)
	}
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			at := time.Unix(1700000000, 0)
			for i := 0; i < 300; i++ {
				v := map[string]any{"w": int64(w), "i": int64(i), "t": py.Tuple{"x", []byte{byte(i)}}, "big": fmt.Sprint(make([]int, i%50))}
				cookie, err := cd.EncodeAt(v, at)
				if err != nil {
					errs <- fmt.Sprintf("EncodeAt: %v", err)
					return
				}
				var got any
				if _, err := cd.DecodeAt(cookie, &got, at); err != nil || testvec.Diff(v, got) != "" {
					errs <- fmt.Sprintf("cookie %q: %#v, %v; want %#v", cookie, got, err, v)
					return
				}
				tok, err := ser.Dumps(v["big"], itsdangerous.At(at))
				if err != nil {
					errs <- fmt.Sprintf("Dumps: %v", err)
					return
				}
				var s any
				if _, err := ser.Loads(tok, &s, itsdangerous.MaxAge(time.Hour), itsdangerous.At(at)); err != nil || s != v["big"] {
					errs <- fmt.Sprintf("token %q: %#v, %v", tok, s, err)
					return
				}
				val := []byte(fmt.Sprint(w, i))
				got2, when, err := signer.Unsign(signer.SignAt(val, at))
				if err != nil || string(got2) != string(val) || !when.Equal(at) {
					errs <- fmt.Sprintf("timestamp signer: %q, %v, %v", got2, when, err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// plain turns the ordered dicts of a vector value into maps, the form
// Loads and Decode give into a *any.
func plain(v any) any {
	switch x := v.(type) {
	case py.Dict:
		m := make(map[string]any, len(x))
		for _, it := range x {
			m[it.Key] = plain(it.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case py.Tuple:
		out := make(py.Tuple, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}
