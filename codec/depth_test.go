package codec

import (
	"errors"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// nested returns a session {"x": v} whose payload is depth JSON levels
// deep, built by wrap (which adds levels levels around a value) over
// innermost (a value of inner levels).
func nested(depth, levels int, wrap func(any) any, innermost any, inner int) map[string]any {
	v := innermost
	d := 1 + inner
	for d+levels <= depth {
		v = wrap(v)
		d += levels
	}
	if d != depth {
		panic("depth not reachable with this shape")
	}
	return map[string]any{"x": v}
}

// Encode writes a session nested MaxDepth levels deep and refuses one
// level more, with ErrTooDeep, whatever the containers: lists, dicts,
// tuples (two levels each), escaped one-key dicts (two), py.Dict, and
// tagged leaves (one).
func TestEncodeDepthLimit(t *testing.T) {
	list := func(v any) any { return []any{v} }
	dict := func(v any) any { return map[string]any{"a": v} }
	tuple := func(v any) any { return py.Tuple{v} }
	escaped := func(v any) any { return map[string]any{" t": v} }
	odict := func(v any) any { return py.Dict{{Key: "a", Value: v}} }
	tests := []struct {
		name      string
		levels    int
		wrap      func(any) any
		innermost any
		inner     int
	}{
		{"lists", 1, list, []any{}, 1},
		{"dicts", 1, dict, map[string]any{}, 1},
		{"py.Dict", 1, odict, int64(1), 0},
		{"tuples", 2, tuple, py.Tuple{}, 2},
		{"escaped dicts", 2, escaped, "leaf", 0},
		{"lists around bytes", 1, list, []byte("b"), 1},
		{"lists around Markup", 1, list, py.Markup("m"), 1},
	}
	c := mustCodec(t, "dev-secret")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			depth := MaxDepth // the deepest session of this shape within the limit
			for (depth-1-tt.inner)%tt.levels != 0 {
				depth--
			}
			s := nested(depth, tt.levels, tt.wrap, tt.innermost, tt.inner)
			out, err := TaggedJSON.AppendPayload(nil, s)
			if err != nil {
				t.Fatal(err)
			}
			if got := jsonDepth(out); got != depth {
				t.Fatalf("the test's session is %d levels deep, want %d", got, depth)
			}
			if _, err := c.Encode(s); err != nil {
				t.Errorf("Encode at depth %d: %v", depth, err)
			}
			over := nested(depth+tt.levels, tt.levels, tt.wrap, tt.innermost, tt.inner)
			if _, err := c.Encode(over); !errors.Is(err, ErrTooDeep) {
				t.Errorf("Encode at depth %d: %v, want ErrTooDeep", depth+tt.levels, err)
			}
			// Decoding is lenient: Flask 2.2 writes and reads deeper
			// sessions, and the exported format writes them.
			if _, err := TaggedJSON.AppendPayload(nil, over); err != nil {
				t.Errorf("TaggedJSON at depth %d: %v", depth+tt.levels, err)
			}
		})
	}
}

// jsonDepth is the deepest nesting of arrays and objects in JSON text
// without strings holding brackets.
func jsonDepth(b []byte) int {
	d, max := 0, 0
	for _, c := range string(b) {
		switch c {
		case '[', '{':
			d++
			if d > max {
				max = d
			}
		case ']', '}':
			d--
		}
	}
	return max
}

// A cookie nested deeper than MaxDepth, signed elsewhere (Flask 2.2 writes
// such sessions), still decodes.
func TestDecodeDeeperThanMaxDepth(t *testing.T) {
	text := `{"x":` + strings.Repeat("[", MaxDepth+50) + strings.Repeat("]", MaxDepth+50) + "}"
	var v map[string]any
	if err := TaggedJSON.DecodePayload([]byte(text), &v, itsdangerous.Limits{MaxDepth: itsdangerous.DefaultMaxDepth}); err != nil {
		t.Fatal(err)
	}
}

// The sealed codec has the same limit.
func TestSealedEncodeDepthLimit(t *testing.T) {
	key, err := fernet.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	f, err := fernet.New(key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewSealed(f)
	if err != nil {
		t.Fatal(err)
	}
	list := func(v any) any { return []any{v} }
	if _, err := c.Encode(nested(MaxDepth, 1, list, []any{}, 1)); err != nil {
		t.Errorf("Encode at MaxDepth: %v", err)
	}
	if _, err := c.Encode(nested(MaxDepth+1, 1, list, []any{}, 1)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("Encode at MaxDepth+1: %v, want ErrTooDeep", err)
	}
}
