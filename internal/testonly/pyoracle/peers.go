package pyoracle

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// PeersEnv names the environment variable that says which set of Python
// peers the live tests run against: [PeersDebian12] (the default when it is
// unset or empty) or [PeersCurrent].
const PeersEnv = "FLASKCOOKIE_PEERS"

// The peer sets.
const (
	// PeersDebian12 is Debian 12's packages, installed system-wide in
	// [SystemSite]: Flask 2.2.2, Werkzeug 2.2.2, itsdangerous 2.1.2,
	// Django 3.2, Starlette 0.26.1, Quart 0.18.3.
	PeersDebian12 = "debian12"
	// PeersCurrent is the current Debian release's pure-Python packages
	// (Flask 3.1, Werkzeug 3.1, itsdangerous 2.2, Django 4.2, Starlette
	// 0.46, Quart 0.20), unpacked by compat/peers/current.sh into a folder
	// that must come first on PYTHONPATH.
	PeersCurrent = "current"
)

// SystemSite is where Debian 12's Python packages are installed.
const SystemSite = "/usr/lib/python3/dist-packages"

// PeerPackages are the distributions of a peer set that [Peers] reports,
// with the module each one imports as. The current set supplies all of
// them; the rest of the interpreter's packages (markupsafe, jinja2, click,
// hypercorn, uvicorn, cryptography) stay Debian 12's in both sets.
var PeerPackages = []struct{ Dist, Module string }{
	{"flask", "flask"},
	{"werkzeug", "werkzeug"},
	{"itsdangerous", "itsdangerous"},
	{"django", "django"},
	{"starlette", "starlette"},
	{"quart", "quart"},
	{"flask-login", "flask_login"},
	{"flask-wtf", "flask_wtf"},
	{"blinker", "blinker"},
}

// PeerSet returns the name of the peer set the environment selects:
// [PeersDebian12] when FLASKCOOKIE_PEERS is unset or empty, else its value
// (which [Peers] checks). It reads FLASKCOOKIE_PEERS and PYTHONPATH with
// os.Getenv, so both enter Go's test cache key: a run against another set
// is never answered from the cache of the first.
func PeerSet() string {
	os.Getenv("PYTHONPATH") // for the test cache key: Python reads it
	if s := os.Getenv(PeersEnv); s != "" {
		return s
	}
	return PeersDebian12
}

// PeerInfo describes the peer set in use.
type PeerInfo struct {
	// Set is PeersDebian12 or PeersCurrent.
	Set string
	// Python is the interpreter's version, such as "3.11.2".
	Python string
	// Versions maps each of PeerPackages' distributions that imports to
	// its version; a missing package is absent.
	Versions map[string]string
	// Origins maps each package that imports to the folder it imports
	// from.
	Origins map[string]string
}

// Version returns the version of dist ("flask", "flask-login", ...) in the
// set, or "" when it is missing.
func (p PeerInfo) Version(dist string) string { return p.Versions[dist] }

// AtLeast reports whether dist is present in the set with a version of at
// least min (compared as dotted numbers: "3.0.1" >= "3.0", "0.46.1" >
// "0.26.1"; a suffix after the digits of a part is ignored).
func (p PeerInfo) AtLeast(dist, min string) bool {
	v := p.Versions[dist]
	return v != "" && CompareVersions(v, min) >= 0
}

// String names the set and its versions, for t.Logf:
// "debian12: python 3.11.2, flask 2.2.2, werkzeug 2.2.2, ...".
func (p PeerInfo) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: python %s", p.Set, p.Python)
	for _, pkg := range PeerPackages {
		v := p.Versions[pkg.Dist]
		if v == "" {
			v = "missing"
		}
		fmt.Fprintf(&b, ", %s %s", pkg.Dist, v)
	}
	return b.String()
}

// CompareVersions compares two dotted version strings part by part as
// numbers and returns -1, 0 or +1. Missing parts count as 0; the digits at
// the start of a part are its number ("1rc1" is 1).
func CompareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		x, y := versionPart(as, i), versionPart(bs, i)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	return 0
}

func versionPart(parts []string, i int) int {
	if i >= len(parts) {
		return 0
	}
	s := parts[i]
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	v, _ := strconv.Atoi(s[:n])
	return v
}

// probeScript prints, as JSON, the interpreter's version and, for each
// module named in argv (dist=module), its distribution's version and the
// folder on sys.path it imports from, without importing it.
const probeScript = `
import importlib.metadata, importlib.util, json, os, platform, sys
out = {"python": platform.python_version(), "packages": {}}
for arg in sys.argv[1:]:
    dist, mod = arg.split("=")
    spec = importlib.util.find_spec(mod)
    if spec is None or not spec.origin:
        continue
    top = os.path.dirname(os.path.dirname(os.path.realpath(spec.origin)))
    try:
        version = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    out["packages"][dist] = {"version": version, "origin": top}
print(json.dumps(out))
`

var peers struct {
	once sync.Once
	info PeerInfo
	skip string // Python is missing
	err  error  // the environment contradicts itself
}

// Peers returns the peer set in use and its versions, and logs them on t
// ("pyoracle: peers debian12: python 3.11.2, flask 2.2.2, ..."), so every
// live test names what it ran against. The set is probed once per test
// binary.
//
// It fails t when the environment contradicts itself: FLASKCOOKIE_PEERS is
// neither "debian12" nor "current"; it is "current" but a package of the
// set does not import from a folder on PYTHONPATH (PYTHONPATH lacks the
// folder printed by compat/peers/current.sh, or it is incomplete), so the
// tests would silently run against Debian 12; or it is "debian12" but a
// package imports from somewhere else than [SystemSite]. It skips t (or
// fails it when FLASKCOOKIE_REQUIRE_PYTHON=1) when /usr/bin/python3 is
// missing. After a skip or failure (with a testing.TB that records instead
// of stopping the test) it returns the zero PeerInfo, whose Set is "".
func Peers(t testing.TB) PeerInfo {
	t.Helper()
	set, pythonPath := PeerSet(), os.Getenv("PYTHONPATH")
	peers.once.Do(func() {
		peers.info, peers.skip, peers.err = probePeers(set, pythonPath)
	})
	switch {
	case peers.err != nil:
		t.Fatalf("%v", peers.err)
		return PeerInfo{}
	case peers.skip != "":
		SkipOrFatal(t, "pyoracle: %s", peers.skip)
		return PeerInfo{}
	}
	t.Logf("pyoracle: peers %s", peers.info)
	return peers.info
}

// probePeers runs the probe and checks it against the selected set.
func probePeers(set, pythonPath string) (PeerInfo, string, error) {
	if set != PeersDebian12 && set != PeersCurrent {
		return PeerInfo{}, "", fmt.Errorf("pyoracle: %s=%q: want %q (the default) or %q", PeersEnv, set, PeersDebian12, PeersCurrent)
	}
	if _, err := os.Stat(PythonPath); err != nil {
		return PeerInfo{}, fmt.Sprintf("Python interpreter not available: %v", err), nil
	}
	args := []string{"-c", probeScript}
	for _, pkg := range PeerPackages {
		args = append(args, pkg.Dist+"="+pkg.Module)
	}
	cmd := exec.Command(PythonPath, args...)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		return PeerInfo{}, "", fmt.Errorf("pyoracle: probing the Python peers: %v\n%s", err, stderr)
	}
	var r struct {
		Python   string `json:"python"`
		Packages map[string]struct {
			Version string `json:"version"`
			Origin  string `json:"origin"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return PeerInfo{}, "", fmt.Errorf("pyoracle: probing the Python peers: %v: %q", err, out)
	}
	info := PeerInfo{Set: set, Python: r.Python, Versions: map[string]string{}, Origins: map[string]string{}}
	for dist, p := range r.Packages {
		info.Versions[dist], info.Origins[dist] = p.Version, p.Origin
	}
	return info, "", checkPeers(info, pythonPath)
}

// checkPeers reports an error when the packages do not come from the set
// the environment names.
func checkPeers(info PeerInfo, pythonPath string) error {
	var entries []string
	for _, e := range filepath.SplitList(pythonPath) {
		if e != "" {
			if abs, err := filepath.Abs(e); err == nil {
				if real, err := filepath.EvalSymlinks(abs); err == nil {
					abs = real
				}
				entries = append(entries, filepath.Clean(abs))
			}
		}
	}
	var wrong []string
	for _, pkg := range PeerPackages {
		origin, ok := info.Origins[pkg.Dist]
		switch info.Set {
		case PeersCurrent:
			if !ok {
				wrong = append(wrong, pkg.Dist+" missing")
			} else if !slices.Contains(entries, filepath.Clean(origin)) {
				wrong = append(wrong, fmt.Sprintf("%s %s from %s", pkg.Dist, info.Versions[pkg.Dist], origin))
			}
		case PeersDebian12:
			if ok && filepath.Clean(origin) != SystemSite {
				wrong = append(wrong, fmt.Sprintf("%s %s from %s", pkg.Dist, info.Versions[pkg.Dist], origin))
			}
		}
	}
	if len(wrong) == 0 {
		return nil
	}
	if info.Set == PeersCurrent {
		return fmt.Errorf("pyoracle: %s=%s but PYTHONPATH=%q does not supply the current set (%s); "+
			"run with PYTHONPATH=$(bash compat/peers/current.sh)",
			PeersEnv, PeersCurrent, pythonPath, strings.Join(wrong, "; "))
	}
	return fmt.Errorf("pyoracle: %s=%s (the default) but PYTHONPATH=%q shadows Debian 12's packages (%s); "+
		"set %s=%s or clear PYTHONPATH", PeersEnv, PeersDebian12, pythonPath, strings.Join(wrong, "; "), PeersEnv, PeersCurrent)
}
