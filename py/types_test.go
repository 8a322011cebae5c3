package py_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/flaskcookie/flaskcookie/py"
)

// TestSortedDict checks the order of SortedDict against Python's
// sorted() of str keys: by code point, lone surrogates (kept as WTF-8)
// between U+D7FF and U+E000, astral code points last.
func TestSortedDict(t *testing.T) {
	// In code point order; the map below is built from them in reverse.
	keys := []string{"", "Z", "_flashes", "a", "user_id", "\u00e9", "\ud7ff", "\xed\xa0\x80", "\xed\xbf\xbf", "\ue000", "\uffff", "\U0001f600"}
	m := map[string]any{}
	var want py.Dict
	for i, k := range keys {
		m[keys[len(keys)-1-i]] = int64(len(keys) - 1 - i)
		want = append(want, py.Item{Key: k, Value: int64(i)})
	}
	if diff := cmp.Diff(want, py.SortedDict(m)); diff != "" {
		t.Errorf("SortedDict (-want +got):\n%s", diff)
	}
	if d := py.SortedDict(nil); len(d) != 0 {
		t.Errorf("SortedDict(nil) = %v, want no items", d)
	}
}

// TestTruthGoValues checks Truth on Go values that ValueOf converts
// (TestReprVectors checks the value model against Python's bool()).
func TestTruthGoValues(t *testing.T) {
	type user struct{ ID int }
	var nilUser *user
	for _, c := range []struct {
		name string
		v    any
		want bool
	}{
		{"int 0", 0, false},
		{"int 7", 7, true},
		{"uint8 0", uint8(0), false},
		{"float32 0", float32(0), false},
		{"float32 NaN", float32(math.NaN()), true},
		{"string slice empty", []string{}, false},
		{"string slice", []string{"a"}, true},
		{"map empty", map[string]int{}, false},
		{"struct", user{}, true},
		{"nil pointer", nilUser, false},
		{"pointer", &user{}, true},
		{"channel (no Python form)", make(chan int), true},
	} {
		if got := py.Truth(c.v); got != c.want {
			t.Errorf("%s: Truth(%#v) = %v, want %v", c.name, c.v, got, c.want)
		}
	}
}
