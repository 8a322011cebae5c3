package compat_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

// generators are the vector generators whose output depends on the Python
// peer set, with the packages each records in its provenance and the
// modules it needs. gen_jws.py and gen_legacy.py run itsdangerous from
// git tags (and Debian 12's 2.1.2 with PYTHONPATH cleared), whatever the
// set, so they are not here.
var generators = []struct {
	script, dir string
	modules     []string
	versions    []string // provenance keys that name a package of the set
}{
	{"gen_itsdangerous.py", "itsdangerous", []string{"itsdangerous"}, []string{"itsdangerous"}},
	{"gen_flask.py", "flask", []string{"flask"}, []string{"flask", "werkzeug", "itsdangerous"}},
	{"gen_httpdate.py", "httpdate", []string{"werkzeug"}, []string{"werkzeug"}},
	{"gen_starlette.py", "starlette", []string{"starlette"}, []string{"starlette", "itsdangerous"}},
	{"gen_django.py", "django", []string{"django"}, []string{"django"}},
	{"gen_fernet.py", "fernet", []string{"flask", "cryptography"}, []string{"flask", "itsdangerous"}},
	{"gen_repr.py", "repr", []string{"markupsafe"}, nil},
	{"gen_login.py", "flasklogin", []string{"flask", "flask_login"}, []string{"flask", "werkzeug", "flask-login"}},
	{"gen_csrf.py", "csrf", []string{"flask", "flask_wtf"}, []string{"flask", "itsdangerous", "flask-wtf"}},
	// zlib is the system's under both sets; the inputs include every
	// compressed payload of the other committed files.
	{"gen_zlib.py", "zlib", nil, nil},
}

// TestGeneratorsReproduceVectors runs every generator above with the peer
// set in use and compares its output with the committed file of that set:
// testdata/<dir>/vectors.json for Debian 12, byte for byte, provenance
// included; for the current set, testdata/<dir>/vectors-current.json where
// the current set's vectors differ (committed, like the Django ones), else
// vectors.json, in both cases apart from the provenance, whose versions must
// be the set's. So CI proves that the committed vectors are what both
// sets' Python writes, or that the differences are committed vectors of
// their own.
func TestGeneratorsReproduceVectors(t *testing.T) {
	peers := pyoracle.Peers(t)
	for _, g := range generators {
		t.Run(g.script, func(t *testing.T) {
			t.Parallel()
			pyapp.Require(t, g.modules...)
			root := testvec.Path(t, ".")
			want, file := committedVectors(t, root, g.dir, peers.Set)
			got := pyapp.Run(t, nil, filepath.Join(root, "compat", g.script))
			if peers.Set == pyoracle.PeersDebian12 {
				if !bytes.Equal(got, want) {
					t.Fatalf("%s differs from what %s writes with %s; regenerate with its provenance's command and review the diff",
						file, g.script, peers)
				}
				return
			}
			gotProv, gotRest := splitProvenance(t, got)
			_, wantRest := splitProvenance(t, want)
			for _, pkg := range g.versions {
				if v, _ := gotProv[pkg].(string); v != peers.Version(pkg) {
					t.Errorf("provenance says %s %v, the set has %s", pkg, gotProv[pkg], peers.Version(pkg))
				}
			}
			var keys []string
			for k := range wantRest {
				keys = append(keys, k)
			}
			for k := range gotRest {
				if _, ok := wantRest[k]; !ok {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				if w, g2 := wantRest[k], gotRest[k]; !bytes.Equal(w, g2) {
					t.Errorf("%q of %s differs from what %s writes with %s (first difference at line %d); "+
						"commit the current set's output as testdata/%s/vectors-current.json, checked by the package's tests",
						k, file, g.script, peers, firstDiffLine(w, g2), g.dir)
				}
			}
		})
	}
}

// committedVectors reads the committed vector file of dir for the set.
func committedVectors(t *testing.T, root, dir, set string) ([]byte, string) {
	t.Helper()
	if set == pyoracle.PeersCurrent {
		file := filepath.Join("testdata", dir, "vectors-current.json")
		b, err := os.ReadFile(filepath.Join(root, file))
		if err == nil {
			return b, file
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	file := filepath.Join("testdata", dir, "vectors.json")
	b, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	return b, file
}

// splitProvenance returns the provenance of a generator's output and its
// other top-level members, as raw bytes.
func splitProvenance(t *testing.T, data []byte) (map[string]any, map[string]json.RawMessage) {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatalf("generator output: %v", err)
	}
	var prov map[string]any
	if err := json.Unmarshal(top["provenance"], &prov); err != nil || prov == nil {
		t.Fatalf("generator output without a provenance object: %v", err)
	}
	delete(top, "provenance")
	return prov, top
}

// firstDiffLine returns the 1-based line of a at which a and b first
// differ.
func firstDiffLine(a, b []byte) int {
	line := 1
	for i := 0; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		if a[i] == '\n' {
			line++
		}
	}
	return line
}
