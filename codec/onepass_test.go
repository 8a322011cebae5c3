package codec

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// DecodePayload untags while it reads (one pass); decodeGeneral reads the
// JSON, then untags it (the reference). The tests below require the same
// value or the same error from both, on the committed vectors and on
// random tagged JSON, so that the one pass cannot drift.

// checkOnePass decodes data both ways and fails on any difference.
func checkOnePass(t *testing.T, data []byte, lim itsdangerous.Limits) (ok bool) {
	t.Helper()
	var fast, general any
	errFast := taggedJSON{}.DecodePayload(data, &fast, lim)
	errGeneral := decodeGeneral(data, &general, lim)
	switch {
	case (errFast == nil) != (errGeneral == nil):
		t.Fatalf("%q: one pass: %v; general: %v", data, errFast, errGeneral)
	case errFast != nil:
		if errFast.Error() != errGeneral.Error() {
			t.Fatalf("%q: one pass fails with %q, general with %q", data, errFast, errGeneral)
		}
		return false
	}
	if d := testvec.Diff(general, fast); d != "" {
		t.Fatalf("%q: one pass differs from general: %s", data, d)
	}
	if g, f := shape(general), shape(fast); g != f {
		t.Fatalf("%q: Go types differ: general %s, one pass %s", data, g, f)
	}
	return true
}

// shape writes the Go types of v, which testvec.Diff does not fully
// compare (a map and a py.Dict with the same items are equal to it).
func shape(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			b.WriteString("map{")
			for _, k := range sortedKeys(nil, x) {
				b.WriteString(strconv.Quote(k) + ":")
				walk(x[k])
				b.WriteByte(',')
			}
			b.WriteByte('}')
		case []any:
			b.WriteString("list[")
			for _, e := range x {
				walk(e)
				b.WriteByte(',')
			}
			b.WriteByte(']')
		default:
			fmt.Fprintf(&b, "%T", v)
		}
	}
	walk(v)
	return b.String()
}

// TestOnePassVectors decodes the tagged JSON of every Flask vector and
// every JSON text of CPython's reader vectors both ways.
func TestOnePassVectors(t *testing.T) {
	var inputs [][]byte
	_, fv := testvec.LoadFlask(t, testvec.Path(t, testvec.FlaskFile))
	for _, v := range fv {
		if v.JSON != nil {
			inputs = append(inputs, []byte(*v.JSON))
		}
	}
	flask := len(inputs)
	inputs = append(inputs, testvec.LoadJSONReaderInputs(t)...)
	if flask < 20 || len(inputs)-flask < 20 {
		t.Fatalf("only %d Flask and %d CPython inputs loaded", flask, len(inputs)-flask)
	}
	decoded := 0
	for _, in := range inputs {
		for _, lim := range []itsdangerous.Limits{{MaxDepth: 512}, {MaxDepth: 3, MaxValues: 10}} {
			if checkOnePass(t, in, lim) {
				decoded++
			}
		}
	}
	if decoded < flask {
		t.Errorf("only %d of %d decodes succeeded", decoded, 2*len(inputs))
	}
}

// TestOnePassRandom decodes random tagged JSON both ways: well-formed and
// malformed tags, duplicate keys (which may drop a bad tag), one-key
// objects, deep nesting and broken syntax.
func TestOnePassRandom(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	r := rand.New(rand.NewPCG(14, 1))
	ok := 0
	for i := 0; i < n; i++ {
		data := randomTagged(r)
		if checkOnePass(t, data, itsdangerous.Limits{MaxDepth: 8, MaxValues: 200}) {
			ok++
		}
	}
	// The generator must reach both outcomes often.
	if ok < n/10 || ok > n*9/10 {
		t.Errorf("%d of %d random inputs decoded", ok, n)
	}
}

// FuzzOnePass runs the differential check on any input.
func FuzzOnePass(f *testing.F) {
	r := rand.New(rand.NewPCG(14, 2))
	for i := 0; i < 50; i++ {
		f.Add(randomTagged(r))
	}
	f.Add([]byte(`{" di":{"ab":1,"cd":2}}`))
	f.Add([]byte(`{"a":{" b":1},"a":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkOnePass(t, data, itsdangerous.Limits{MaxDepth: 16, MaxValues: 1000})
	})
}

var (
	randomKeys    = []string{tagDict, tagTuple, tagBytes, tagMarkup, tagUUID, tagDateTime, " t__", " di__", "a", "b", "\u00e9", `\ud800`}
	randomScalars = []string{`1`, `-0`, `2.5`, `NaN`, `-Infinity`, `null`, `true`, `false`, `""`, `"abc"`, `"+//+"`, `"QUJD"`, `"QQ"`,
		`"12345678123456781234567812345678"`, `"{12345678-1234-5678-1234-567812345678}"`, `"Sun, 06 Nov 1994 08:49:37 GMT"`,
		`"Sun, 06 Nov 99999999999 08:49:37 GMT"`, `"\u00e9"`, `"\ud800"`, `"<b>"`, `123456789012345678901234567890`}
)

// randomTagged writes random JSON built from tag keys and values that
// Flask's tags accept or refuse.
func randomTagged(r *rand.Rand) []byte {
	var b []byte
	var value func(depth int)
	value = func(depth int) {
		if depth > 6 || r.IntN(3) == 0 {
			b = append(b, randomScalars[r.IntN(len(randomScalars))]...)
			return
		}
		if r.IntN(3) == 0 {
			b = append(b, '[')
			for i, n := 0, r.IntN(4); i < n; i++ {
				if i > 0 {
					b = append(b, ',')
				}
				value(depth + 1)
			}
			b = append(b, ']')
			return
		}
		b = append(b, '{')
		n := r.IntN(4)
		if r.IntN(2) == 0 {
			n = 1 // one-key objects are what untagging looks at
		}
		for i := 0; i < n; i++ {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, randomKeys[r.IntN(len(randomKeys))]...)
			b = append(b, `":`...)
			value(depth + 1)
		}
		b = append(b, '}')
	}
	value(0)
	switch r.IntN(20) {
	case 0: // cut short
		b = b[:r.IntN(len(b)+1)]
	case 1: // one byte changed
		if len(b) > 0 {
			b[r.IntN(len(b))] = "{}[]\",:x "[r.IntN(9)]
		}
	}
	return b
}
