package audit

import (
	"strings"
	"testing"
)

func TestKnownSecrets(t *testing.T) {
	ks := KnownSecrets()
	lines := 0
	for _, l := range strings.Split(knownTSV, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			lines++
		}
	}
	if len(ks) == 0 || len(ks) != lines {
		t.Fatalf("%d secrets parsed from %d lines (a duplicate or a line without a tab)", len(ks), lines)
	}
	want := map[string]bool{"": false, "dev": false, "you-will-never-guess": false, "changeme": false, "_5#y2L\"F4Q8z\n\xec]/": false}
	for _, k := range ks {
		if strings.TrimSpace(k.Source) == "" {
			t.Errorf("%q has no source", k.Secret)
		}
		if _, ok := want[k.Secret]; ok {
			want[k.Secret] = true
		}
	}
	for s, seen := range want {
		if !seen {
			t.Errorf("%q is not in the list", s)
		}
	}
}

func TestUnescapeTSV(t *testing.T) {
	for in, want := range map[string]string{`a\tb`: "a\tb", `\\x41`: `\x41`, `\x41\xzz`: `A\xzz`, `end\`: `end\`, `\q`: `\q`} {
		if got := unescapeTSV(in); got != want {
			t.Errorf("unescapeTSV(%q) = %q, want %q", in, got, want)
		}
	}
}
