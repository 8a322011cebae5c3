package pyjson

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/flaskcookie/flaskcookie/py"
)

// TestOneKey checks the OneKey hook: which objects it sees, in which
// order, that its result replaces the object, and that its error stops
// Decode as it is.
func TestOneKey(t *testing.T) {
	errStop := errors.New("stop")
	tests := []struct {
		name    string
		in      string
		ordered bool
		calls   string // the hook's arguments, in order
		want    any
		wantErr error
	}{
		{name: "one key replaced", in: `{"x":1}`, calls: `x=1;`, want: "X"},
		{name: "other key kept", in: `{"a":1}`, calls: `a=1;`, want: map[string]any{"a": int64(1)}},
		{name: "two keys not passed", in: `{"a":1,"b":2}`, want: map[string]any{"a": int64(1), "b": int64(2)}},
		{name: "empty object not passed", in: `{}`, want: map[string]any{}},
		{name: "inner first", in: `{"a":{"x":1},"b":[{"x":2}]}`, calls: `x=1;x=2;`,
			want: map[string]any{"a": "X", "b": []any{"X"}}},
		{name: "replaced value seen by the outer object", in: `{"x":{"x":1}}`, calls: `x=1;x=X;`, want: "X"},
		{name: "duplicates leave one key: the last value", in: `{"x":1,"x":2}`, calls: `x=2;`, want: "X"},
		{name: "dropped duplicate passed too", in: `{"a":{"x":1},"a":2}`, calls: `x=1;a=2;`,
			want: map[string]any{"a": int64(2)}},
		{name: "ordered", in: `{"a":{"x":1},"b":{"a":2,"a":3}}`, ordered: true, calls: `x=1;a=3;`,
			want: py.Dict{{Key: "a", Value: "X"}, {Key: "b", Value: py.Dict{{Key: "a", Value: int64(3)}}}}},
		{name: "error stops", in: `[{"stop":1},{"x":1}]`, calls: `stop=1;`, wantErr: errStop},
		{name: "syntax error before", in: `[{"a":1},{"x" 1}]`, calls: `a=1;`, wantErr: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls strings.Builder
			hook := func(key string, val any) (any, bool, error) {
				fmt.Fprintf(&calls, "%s=%v;", key, val)
				switch key {
				case "x":
					return "X", true, nil
				case "stop":
					return nil, false, errStop
				}
				return nil, false, nil
			}
			got, err := Decode([]byte(tt.in), Options{Ordered: tt.ordered, OneKey: hook})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Decode(%s) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				if tt.wantErr == errStop && err != errStop {
					t.Errorf("the hook's error came back as %#v, not as it is", err)
				}
			} else if err != nil {
				t.Fatalf("Decode(%s): %v", tt.in, err)
			} else if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Decode(%s) (-want +got):\n%s", tt.in, d)
			}
			if calls.String() != tt.calls {
				t.Errorf("hook calls %q, want %q", calls.String(), tt.calls)
			}
		})
	}
}
