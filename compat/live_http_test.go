package compat_test

// Live interop of package session with a real Flask and Quart app,
// started from compat/flaskapp/app.py: one cookie jar goes back and forth
// between the Python app and the Go app, and for every configuration ×
// starting cookie × session operation the Set-Cookie and Vary headers are
// compared. The peer set (pyoracle.Peers) decides the Go side's
// session.FlaskVersion: FLASKCOOKIE_PEERS=current (Flask 3.1.1+deb13u1,
// Werkzeug 3.1.3, Quart 0.20) runs the default Flask31, debian12 (Flask
// 2.2.2, Werkzeug 2.2.2, Quart 0.18.3) runs Flask22. Flask's headers must
// be byte-identical; Quart's differences are asserted by version.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/session"
	"github.com/google/go-cmp/cmp"
)

// liveHTTPConfigs are the configurations both apps run, by X-Flaskapp name.
func liveHTTPConfigs() map[string]httpAppConfig {
	const key = "dev-secret"
	return map[string]httpAppConfig{
		"default": {Python: map[string]any{"SECRET_KEY": key}, Cookie: "session"},
		"short": {
			Python: map[string]any{"SECRET_KEY": key, "PERMANENT_SESSION_LIFETIME": 100},
			Codec:  []codec.Option{codec.WithLifetime(100 * time.Second)},
			Cookie: "session",
		},
		"custom": {
			Python: map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_NAME": "sid", "SESSION_COOKIE_DOMAIN": "example.com",
				"SESSION_COOKIE_PATH": "/app", "SESSION_COOKIE_SECURE": true, "SESSION_COOKIE_HTTPONLY": false,
				"SESSION_COOKIE_SAMESITE": "lax", "PERMANENT_SESSION_LIFETIME": 3600},
			Codec: []codec.Option{codec.WithLifetime(time.Hour)},
			Session: []session.Option{session.WithCookieName("sid"), session.WithDomain("example.com"),
				session.WithPath("/app"), session.WithSecure(true), session.WithHTTPOnly(false), session.WithSameSite("lax")},
			Cookie: "sid",
		},
		"dotdomain": {
			Python: map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_DOMAIN": ".example.com",
				"SESSION_COOKIE_SAMESITE": "Strict", "SESSION_REFRESH_EACH_REQUEST": false},
			Session: []session.Option{session.WithDomain(".example.com"), session.WithSameSite("Strict"),
				session.WithRefreshEachRequest(false)},
			Cookie: "session",
		},
		"samesitenone": {
			Python: map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_SAMESITE": "None", "SESSION_COOKIE_SECURE": true,
				"PERMANENT_SESSION_LIFETIME": 42},
			Codec:   []codec.Option{codec.WithLifetime(42 * time.Second)},
			Session: []session.Option{session.WithSameSite("None"), session.WithSecure(true)},
			Cookie:  "session",
		},
		"port": {
			Python: map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_DOMAIN": "example.com:8080",
				"SESSION_COOKIE_SAMESITE": "Lax", "PERMANENT_SESSION_LIFETIME": 600},
			Codec:   []codec.Option{codec.WithLifetime(600 * time.Second)},
			Session: []session.Option{session.WithDomain("example.com:8080"), session.WithSameSite("Lax")},
			Cookie:  "session",
		},
		"dotport": {
			Python: map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_DOMAIN": ".sub.example.com:443",
				"SESSION_COOKIE_SECURE": true, "SESSION_COOKIE_HTTPONLY": false},
			Session: []session.Option{session.WithDomain(".sub.example.com:443"), session.WithSecure(true),
				session.WithHTTPOnly(false)},
			Cookie: "session",
		},
		"brackets": {
			Python:  map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_PATH": "/[x]/a,b%41/!$&'()*+=@:~"},
			Session: []session.Option{session.WithPath("/[x]/a,b%41/!$&'()*+=@:~")},
			Cookie:  "session",
		},
		"unicodepath": {
			Python: map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_PATH": "/\u00fc/a b?q#f",
				"SESSION_COOKIE_NAME": "sess"},
			Session: []session.Option{session.WithPath("/\u00fc/a b?q#f"), session.WithCookieName("sess")},
			Cookie:  "sess",
		},
		"localhost": {
			Python:  map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_DOMAIN": "localhost"},
			Session: []session.Option{session.WithDomain("localhost")},
			Cookie:  "session",
			Since31: true,
		},
		"localport": {
			Python: map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_DOMAIN": "localhost:5000",
				"SESSION_REFRESH_EACH_REQUEST": false},
			Session: []session.Option{session.WithDomain("localhost:5000"), session.WithRefreshEachRequest(false)},
			Cookie:  "session",
			Since31: true,
		},
		"semicolonpath": {
			Python:  map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_PATH": "/a;b", "SESSION_COOKIE_SAMESITE": "strict"},
			Session: []session.Option{session.WithPath("/a;b"), session.WithSameSite("strict")},
			Cookie:  "session",
			Since31: true,
		},
		"partitioned": {
			Python: map[string]any{"SECRET_KEY": key, "SESSION_COOKIE_PARTITIONED": true, "SESSION_COOKIE_SAMESITE": "None",
				"SESSION_COOKIE_DOMAIN": ".example.com", "PERMANENT_SESSION_LIFETIME": 7200},
			Codec: []codec.Option{codec.WithLifetime(2 * time.Hour)},
			Session: []session.Option{session.WithPartitioned(true), session.WithSameSite("None"),
				session.WithDomain(".example.com")},
			Cookie:  "session",
			Since31: true,
		},
		"fallback": {
			Python: map[string]any{"SECRET_KEY": "new-secret", "SECRET_KEY_FALLBACKS": []string{key},
				"PERMANENT_SESSION_LIFETIME": 1000},
			Codec:  []codec.Option{codec.WithFallbackKeys([]byte(key)), codec.WithLifetime(1000 * time.Second)},
			Cookie: "session",
		},
		"old": {Python: map[string]any{"SECRET_KEY": "old-secret"}, Cookie: "session"},
		"rotated": {
			Python: map[string]any{"SECRET_KEY": "new-secret", "SECRET_KEY_FALLBACKS": []string{"old-secret"}},
			Codec:  []codec.Option{codec.WithFallbackKeys([]byte("old-secret"))},
			Cookie: "session",
		},
		"new": {Python: map[string]any{"SECRET_KEY": "new-secret"}, Cookie: "session"},
	}
}

// liveHeaderConfigs are the configs whose headers are compared.
var liveHeaderConfigs = []string{"default", "short", "custom", "dotdomain", "samesitenone", "port", "dotport",
	"brackets", "unicodepath", "localhost", "localport", "semicolonpath", "partitioned", "fallback"}

func TestLiveHTTPFlask(t *testing.T) { liveHTTP(t, "flask") }
func TestLiveHTTPQuart(t *testing.T) { liveHTTP(t, "quart") }

// flaskVersionOf returns the session.FlaskVersion that the Go app runs
// beside a Python app of the peer set: Flask31 (the default) when the set
// has Flask 3.1 or later, Flask22 for Debian 12's Flask 2.2.
func flaskVersionOf(t *testing.T, peers pyoracle.PeerInfo) session.FlaskVersion {
	switch {
	case peers.AtLeast("flask", "3.1"):
		return session.Flask31
	case peers.AtLeast("flask", "2.2") && !peers.AtLeast("flask", "2.3"):
		return session.Flask22
	}
	t.Fatalf("no session.FlaskVersion for Flask %q", peers.Version("flask"))
	return 0
}

func liveHTTP(t *testing.T, framework string) {
	peers := pyoracle.Peers(t)
	version := flaskVersionOf(t, peers)
	t.Logf("Go app: session.WithFlaskVersion(%v)", version)
	cfgs := liveHTTPConfigs()
	pa := startPyHTTPApp(t, framework, cfgs)
	ga := newGoHTTPApp(t, cfgs, version)
	t.Run("headers", func(t *testing.T) { testHeaders(t, pa, ga, cfgs) })
	if version == session.Flask22 && framework == "flask" {
		t.Run("only31", func(t *testing.T) { testOnly31(t, pa, cfgs) })
	}
	t.Run("login", func(t *testing.T) { testLogin(t, pa, ga) })
	t.Run("types", func(t *testing.T) { testTypes(t, pa, ga) })
	t.Run("flashes", func(t *testing.T) { testFlashes(t, pa, ga) })
	t.Run("logout", func(t *testing.T) { testLogout(t, pa, ga) })
	t.Run("permanent", func(t *testing.T) { testPermanent(t, pa, ga) })
	t.Run("tampered", func(t *testing.T) { testTampered(t, pa, ga) })
	t.Run("rotation", func(t *testing.T) { testRotation(t, pa, ga) })
}

// For the same config, cookie, time and session operation, the Go app
// sends the Set-Cookie and Vary headers the Python app sends: byte for byte
// for Flask. Quart 0.18 decides differently when to send them (see the
// package doc of session), so for Quart the headers must be equal whenever
// both set a cookie, and Quart's deletion must be Werkzeug's
// delete_cookie(name, domain=..., path=...).
func testHeaders(t *testing.T, pa *pyHTTPApp, ga *goHTTPApp, cfgs map[string]httpAppConfig) {
	c := newJarClient(t)
	const t0 = 1700000000
	// Starting cookies, made by the Python app.
	states := map[string]string{"empty": ""}
	for _, s := range []string{"set", "permanent", "flash", "types"} {
		r := c.do("GET", pa.URL+"/scenario/"+s, "default", t0, nil, "session=")
		if len(r.SetCookie) != 1 {
			t.Fatalf("%s: Set-Cookie %q", s, r.SetCookie)
		}
		states[s] = setCookieValue(r.SetCookie[0])
	}
	if pa.quart018() {
		// Quart 0.18.3 cannot read the " di" tag it writes (its
		// TagDict.to_python unpacks the key string), and the types
		// scenario stores {" t": 1}.
		delete(states, "types")
	}
	skip := map[string]bool{}
	if pa.quart018() {
		// Quart writes datetimes in ISO format, which Flask (and Go)
		// read as None; the types test covers the rest.
		skip["types"] = true
	}
	equal, quartDiffer, compared := 0, 0, 0
	for _, name := range liveHeaderConfigs {
		cfg := cfgs[name]
		if ga.managers[name] == nil {
			continue // Flask 3.1's only, refused under Flask22 (see testOnly31)
		}
		for state, value := range states {
			for _, sc := range sessionScenarios {
				if skip[sc] {
					continue
				}
				cookie := cfg.Cookie + "=" + value
				path := "/scenario/" + sc
				want := c.do("GET", pa.URL+path, name, t0+5, nil, cookie)
				got := c.do("GET", ga.URL+path, name, t0+5, nil, cookie)
				compared++
				label := fmt.Sprintf("%s/%s/%s", name, state, sc)
				cd := ga.managers[name].Codec().(*codec.Codec)
				if pa.Framework == "flask" {
					if diff := diffSetCookies(cd, t0+5, want.SetCookie, got.SetCookie, true); diff != "" {
						t.Errorf("%s: Set-Cookie (-flask +go):\n%s", label, diff)
					}
					if diff := cmp.Diff(want.Vary, got.Vary); diff != "" {
						t.Errorf("%s: Vary (-flask +go):\n%s", label, diff)
					}
					if len(want.SetCookie) > 0 {
						equal++
					}
					continue
				}
				// Quart.
				if pa.quart020() {
					// Quart 0.20 saves as Flask does, with two
					// differences, asserted exactly: it passes no
					// partitioned to Werkzeug, and on Flask
					// 3.1.1+deb13u1 (CVE-2026-27205) nothing marks its
					// session accessed (Flask's request context does
					// that now, Quart's does not), so Vary: Cookie comes
					// only with a Set-Cookie.
					wantSet, wantVary := quart020Headers(cfg, sc, got.SetCookie, got.Vary)
					if diff := diffSetCookies(cd, t0+5, want.SetCookie, wantSet, false); diff != "" {
						t.Errorf("%s: Set-Cookie (-quart +go as Quart 0.20 would send it):\n%s", label, diff)
					}
					if diff := cmp.Diff(want.Vary, wantVary); diff != "" {
						t.Errorf("%s: Vary (-quart +go as Quart 0.20 would send it):\n%s", label, diff)
					}
					if !cmp.Equal(wantVary, got.Vary) {
						quartDiffer++
					}
					if len(want.SetCookie) > 0 {
						equal++
					}
					continue
				}
				// Quart 0.18 decides differently when to set, delete and
				// add Vary (see the package doc): when both set a cookie it
				// must be equal, and its deletion must be Werkzeug 2.2's
				// delete_cookie(name, domain=..., path=...).
				if len(want.SetCookie) == 1 && len(got.SetCookie) == 1 && !isCookieDeletion(want.SetCookie[0]) && !isCookieDeletion(got.SetCookie[0]) {
					if diff := diffSetCookies(cd, t0+5, want.SetCookie, got.SetCookie, false); diff != "" {
						t.Errorf("%s: Set-Cookie (-quart +go):\n%s", label, diff)
					}
					equal++
				} else if !cmp.Equal(want.SetCookie, got.SetCookie) || !cmp.Equal(want.Vary, got.Vary) {
					quartDiffer++
					t.Logf("%s: quart %q %q, go %q %q", label, want.SetCookie, want.Vary, got.SetCookie, got.Vary)
				}
				if len(want.SetCookie) == 1 && isCookieDeletion(want.SetCookie[0]) {
					if wantDel := quart018Deletion(t, ga.managers[name]); want.SetCookie[0] != wantDel {
						t.Errorf("%s: Quart deletion %s, want %s", label, want.SetCookie[0], wantDel)
					}
				}
			}
		}
	}
	if equal < 50 {
		t.Errorf("only %d of %d cases set a cookie; the comparison is too thin", equal, compared)
	}
	if pa.Framework == "flask" {
		t.Logf("flask %s: %d cases compared, all byte-identical, %d of them setting or deleting a cookie", pa.Versions["flask"], compared, equal)
		return
	}
	t.Logf("quart %s: %d cases compared, %d with a Set-Cookie compared; Quart's headers differ from Go's in %d, each as asserted for its version",
		pa.Versions["quart"], compared, equal, quartDiffer)
}

// quart018 reports whether pa is Quart before 0.19 (Debian 12's 0.18.3),
// which has its own tagged JSON: it writes datetimes as ISO 8601 and
// cannot read the " di" tag.
func (pa *pyHTTPApp) quart018() bool {
	return pa.Framework == "quart" && pyoracle.CompareVersions(pa.Versions["quart"], "0.19") < 0
}

// quart020 reports whether pa is Quart 0.20 or later, whose sessions are
// Flask's.
func (pa *pyHTTPApp) quart020() bool {
	return pa.Framework == "quart" && pyoracle.CompareVersions(pa.Versions["quart"], "0.20") >= 0
}

// quart020Headers returns the Set-Cookie and Vary headers that Quart 0.20
// (on Flask 3.1.1+deb13u1 and Werkzeug 3.1) sends where the Go app, under
// Flask31, sent set and vary for scenario sc: the same cookie, without
// Partitioned (and without the Secure that only Partitioned forces), and
// Vary: Cookie only when a cookie is set or deleted; a Vary the handler
// set stays.
func quart020Headers(cfg httpAppConfig, sc string, set, vary []string) ([]string, []string) {
	var outSet []string
	for _, h := range set {
		if cfg.Python["SESSION_COOKIE_PARTITIONED"] == true {
			h = strings.Replace(h, "; Partitioned", "", 1)
			if cfg.Python["SESSION_COOKIE_SECURE"] != true {
				h = strings.Replace(h, "; Secure", "", 1)
			}
		}
		outSet = append(outSet, h)
	}
	if len(set) > 0 {
		return outSet, vary
	}
	if sc == "vary" {
		return outSet, []string{"Accept-Encoding, Accept-Language"}
	}
	return outSet, nil
}

// quart018Deletion returns the deletion cookie of Quart 0.18 (Werkzeug
// 2.2's delete_cookie(name, domain=..., path=...)) for m's configuration:
// m's own deletion without Secure, HttpOnly and SameSite.
func quart018Deletion(t *testing.T, m *session.Manager) string {
	h := http.Header{}
	s := session.NewSession(nil)
	s.Clear()
	if err := m.Save(h, s); err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, p := range strings.Split(h.Get("Set-Cookie"), "; ") {
		if p != "Secure" && p != "HttpOnly" && !strings.HasPrefix(p, "SameSite=") {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "; ")
}

// testOnly31 asserts what Flask 2.2 does with the configurations that New
// refuses under Flask22 (newGoHTTPApp checked the refusals): Werkzeug 2.2
// fails on a domain without a dot (500), writes a ";" of the path raw (a
// broken header), and Flask 2.2 ignores SESSION_COOKIE_PARTITIONED.
func testOnly31(t *testing.T, pa *pyHTTPApp, cfgs map[string]httpAppConfig) {
	tests := []struct {
		config     string
		wantStatus int
		want       string // in the Set-Cookie header
		wantNot    string
	}{
		{"localhost", http.StatusInternalServerError, "", ""},
		{"localport", http.StatusInternalServerError, "", ""},
		{"semicolonpath", http.StatusOK, "; Path=/a;b;", ""},
		{"partitioned", http.StatusOK, "; SameSite=None", "Partitioned"},
	}
	for _, tt := range tests {
		if !cfgs[tt.config].Since31 {
			t.Fatalf("config %s is not marked Since31", tt.config)
		}
		req, _ := http.NewRequest("GET", pa.URL+"/scenario/set", nil)
		req.Header.Set(headerFlaskapp, tt.config)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		set := strings.Join(res.Header.Values("Set-Cookie"), "\n")
		if res.StatusCode != tt.wantStatus || !strings.Contains(set, tt.want) || tt.wantNot != "" && strings.Contains(set, tt.wantNot) {
			t.Errorf("%s under Flask %s: %d %q, want %d with %q and without %q", tt.config, pa.Versions["flask"], res.StatusCode, set, tt.wantStatus, tt.want, tt.wantNot)
		}
	}
}

// diffSetCookies compares Set-Cookie headers: byte for byte (compressed
// values too: the deflate is zlib's), except that when exact is false
// (Quart does not sort the keys) the two cookie values need only verify
// with cd at the time at and hold the same session, with the same
// timestamp.
func diffSetCookies(cd *codec.Codec, at int64, want, got []string, exact bool) string {
	if len(want) != len(got) {
		return cmp.Diff(want, got)
	}
	var diffs []string
	for i := range want {
		if want[i] == got[i] {
			continue
		}
		wv, gv := setCookieValue(want[i]), setCookieValue(got[i])
		_, wattr, _ := strings.Cut(want[i], ";")
		_, gattr, _ := strings.Cut(got[i], ";")
		if wattr != gattr || exact {
			diffs = append(diffs, cmp.Diff(want[i], got[i]))
			continue
		}
		var ws, gs map[string]any
		wt, werr := cd.DecodeAt(wv, &ws, time.Unix(at, 0))
		gt, gerr := cd.DecodeAt(gv, &gs, time.Unix(at, 0))
		if werr != nil || gerr != nil || !wt.Equal(gt) {
			diffs = append(diffs, fmt.Sprintf("cookies: %v %v, signed at %v and %v", werr, gerr, wt, gt))
			continue
		}
		if d := testvec.Diff(ws, gs); d != "" {
			diffs = append(diffs, "cookies hold different sessions:\n"+d)
		}
	}
	return strings.Join(diffs, "\n")
}

// isCookieDeletion reports whether a Set-Cookie header deletes the cookie (an
// empty value, as Werkzeug's delete_cookie writes).
func isCookieDeletion(setCookie string) bool { return setCookieValue(setCookie) == "" }
