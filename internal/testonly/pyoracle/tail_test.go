package pyoracle

import (
	"strings"
	"testing"
)

func TestTail(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{name: "under the limit: all kept", writes: []string{"ab", "cd"}, want: "abcd"},
		{name: "at the limit: all kept", writes: []string{"abc", "def", "gh"}, want: "abcdefgh"},
		{name: "over the limit: the last bytes, marked", writes: []string{"abc", "def", "ghi"}, want: "[...]\nbcdefghi"},
		{name: "one write over the limit", writes: []string{"0123456789"}, want: "[...]\n23456789"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := NewTail(8)
			for _, w := range tt.writes {
				if n, err := tl.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", w, n, err)
				}
			}
			if got := tl.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSkipOrFatal(t *testing.T) {
	for _, required := range []bool{false, true} {
		name := map[bool]string{false: "skips", true: "fails when required"}[required]
		t.Run(name, func(t *testing.T) {
			if required {
				t.Setenv(RequireEnv, "1")
			} else {
				t.Setenv(RequireEnv, "")
			}
			rec := &recordTB{TB: t}
			SkipOrFatal(rec, "no %s", "frob")
			got, other := rec.skipped, rec.failed
			if required {
				got, other = rec.failed, rec.skipped
			}
			if !strings.HasPrefix(got, "no frob (") || !strings.Contains(got, RequireEnv) || other != "" {
				t.Errorf("skipped %q, failed %q", rec.skipped, rec.failed)
			}
		})
	}
}
