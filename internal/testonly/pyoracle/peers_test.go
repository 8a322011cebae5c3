package pyoracle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"3.0.1", "3.0.1", 0},
		{"3.0", "3.0.0", 0},
		{"3.0.1", "3.0", 1},
		{"2.2.2", "3.0.1", -1},
		{"0.46.1", "0.26.1", 1},
		{"4.2.30", "4.2.28", 1},
		{"10.0", "9.9", 1}, // numbers, not strings
		{"1.0rc1", "1.0", 0},
		{"", "0", 0},
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			if got := CompareVersions(tt.a, tt.b); got != tt.want {
				t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := CompareVersions(tt.b, tt.a); got != -tt.want {
				t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
		})
	}
}

func TestPeerInfo(t *testing.T) {
	p := PeerInfo{Set: PeersCurrent, Python: "3.11.2", Versions: map[string]string{"flask": "3.1.1", "werkzeug": "3.1.3"}}
	if !p.AtLeast("flask", "3.0.1") || p.AtLeast("flask", "3.2") || p.AtLeast("django", "0") {
		t.Errorf("AtLeast wrong for %v", p.Versions)
	}
	s := p.String()
	for _, want := range []string{"current: python 3.11.2", "flask 3.1.1", "werkzeug 3.1.3", "django missing"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() = %q lacks %q", s, want)
		}
	}
}

func TestPeerSet(t *testing.T) {
	t.Setenv(PeersEnv, "")
	if got := PeerSet(); got != PeersDebian12 {
		t.Errorf("unset: PeerSet() = %q, want %q", got, PeersDebian12)
	}
	t.Setenv(PeersEnv, PeersCurrent)
	if got := PeerSet(); got != PeersCurrent {
		t.Errorf("PeerSet() = %q, want %q", got, PeersCurrent)
	}
}

// TestCheckPeers checks the rule that keeps a run from silently testing
// another set than the one it names.
func TestCheckPeers(t *testing.T) {
	cur := t.TempDir()
	all := func(origin string) map[string]string {
		m := map[string]string{}
		for _, p := range PeerPackages {
			m[p.Dist] = origin
		}
		return m
	}
	partial := all(cur)
	partial["django"] = SystemSite
	tests := []struct {
		name       string
		set        string
		origins    map[string]string
		pythonPath string
		ok         bool
	}{
		{"debian12 from the system", PeersDebian12, all(SystemSite), "", true},
		{"debian12 with an unrelated PYTHONPATH", PeersDebian12, all(SystemSite), "/elsewhere", true},
		{"debian12 with a package missing", PeersDebian12, map[string]string{"flask": SystemSite}, "", true},
		{"debian12 shadowed by PYTHONPATH fails", PeersDebian12, all(cur), cur, false},
		{"current from PYTHONPATH", PeersCurrent, all(cur), "/x:" + cur, true},
		{"current without PYTHONPATH fails: it would test Debian 12", PeersCurrent, all(SystemSite), "", false},
		{"current with a package from the system fails", PeersCurrent, partial, cur, false},
		{"current with a package missing fails", PeersCurrent, map[string]string{"flask": cur}, cur, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkPeers(PeerInfo{Set: tt.set, Versions: map[string]string{}, Origins: tt.origins}, tt.pythonPath)
			if (err == nil) != tt.ok {
				t.Errorf("checkPeers = %v, want ok %v", err, tt.ok)
			}
			if err != nil {
				t.Logf("%v", err)
			}
		})
	}
}

// TestProbePeers runs the probe against real interpreters: the set in use
// passes, an unknown set name fails, and a PYTHONPATH folder that shadows
// flask is seen for what it is under either name.
func TestProbePeers(t *testing.T) {
	p := Peers(t)
	if p.Version("flask") == "" || p.Version("itsdangerous") == "" || p.Python == "" {
		t.Fatalf("Peers = %v: flask, itsdangerous or python missing", p)
	}
	switch p.Set {
	case PeersDebian12:
		if !strings.HasPrefix(p.Version("flask"), "2.2.") {
			t.Errorf("debian12 set has flask %s", p.Version("flask"))
		}
	case PeersCurrent:
		if !p.AtLeast("flask", "3.1") || !p.AtLeast("werkzeug", "3.1") || !p.AtLeast("itsdangerous", "2.2") {
			t.Errorf("current set is %v", p)
		}
	}
	if _, _, err := probePeers("debian13", ""); err == nil {
		t.Error("an unknown set name was accepted")
	}

	fake := t.TempDir()
	if err := os.MkdirAll(filepath.Join(fake, "flask"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fake, "flask", "__init__.py"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PYTHONPATH", fake)
	for _, set := range []string{PeersDebian12, PeersCurrent} {
		info, skip, err := probePeers(set, fake)
		if skip != "" || err == nil {
			t.Errorf("%s with a fake flask on PYTHONPATH: %v, skip %q, err %v; want an error", set, info, skip, err)
		}
		t.Logf("%s: %v", set, err)
	}
}
