package py_test

import (
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
