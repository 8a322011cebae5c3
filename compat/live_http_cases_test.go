package compat_test

// The scenarios of the live HTTP tests (live_http_test.go), each run against
// the Python app and the Go server.

import (
	"encoding/json"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/session"
	"github.com/google/go-cmp/cmp"
)

// Log in on one side, the other sees the user.
func testLogin(t *testing.T, pa *pyHTTPApp, ga *goHTTPApp) {
	c := newJarClient(t)
	now := time.Now().Unix()
	c.getJSON(pa.URL+"/login?user=alice", "default", now, nil)
	if u := whoami(c, ga.URL, "default", now); u != "alice" {
		t.Errorf("Go sees user %#v after logging in on %s, want alice", u, pa.Framework)
	}
	c.getJSON(ga.URL+"/login?user=bob", "default", now, nil)
	if u := whoami(c, pa.URL, "default", now); u != "bob" {
		t.Errorf("%s sees user %#v after logging in on Go, want bob", pa.Framework, u)
	}
}

// everySessionType holds a value of every type Flask's session can hold.
func everySessionType() map[string]any {
	big, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	return map[string]any{
		"none":      nil,
		"true":      true,
		"false":     false,
		"int":       int64(-42),
		"big":       big,
		"float":     1.5,
		"tiny":      1e-07,
		"nan":       math.NaN(),
		"negzero":   math.Copysign(0, -1),
		"inf":       math.Inf(-1),
		"str":       "J\u00fcrgen \u20ac \U0001F600 \"q\" \\",
		"surrogate": "a\xed\xa0\x80b", // a lone surrogate \ud800, in WTF-8
		"bytes":     []byte{0, 0xff, 'b', 'i', 'n'},
		"list":      []any{int64(1), "a", []any{}, py.Tuple{int64(2), int64(3)}},
		"tuple":     py.Tuple{int64(1), py.Tuple{}, []any{int64(2)}},
		"dict":      map[string]any{"k": []byte("v"), "n": map[string]any{}},
		"tagkey":    map[string]any{" t": "not a tuple"},
		"tagkey2":   map[string]any{" di": int64(1)},
		"markup":    py.Markup("<b>hi</b>"),
		"uuid":      mustParseUUID("12345678-1234-5678-1234-567812345678"),
		"datetime":  time.Unix(1700000000, 0).UTC(),
	}
}

// Values of every type set on one side are read with exact types on the
// other.
func testTypes(t *testing.T, pa *pyHTTPApp, ga *goHTTPApp) {
	now := time.Now().Unix()
	want := everySessionType()
	// Quart before 0.19 has its own tagged JSON; 0.19 and later use
	// Flask's (quart.json.tag imports flask.json.tag).
	ownTags := pa.Framework == "quart" && !pyoracle.Peers(t).AtLeast("quart", "0.19")
	if ownTags {
		// Quart 0.18.3 fails (500) on a cookie holding the " di" tag, which
		// escapes these dicts: its TagDict.to_python unpacks the key string.
		// Go reads Quart's; the test of Flask covers Go's.
		delete(want, "tagkey")
		delete(want, "tagkey2")
	}
	noDatetime := map[string]any{}
	for k, v := range want {
		if k != "datetime" {
			noDatetime[k] = v
		}
	}
	tv, err := testvec.EncodeTV(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []struct{ name, from, to string }{
		{"go to " + pa.Framework, ga.URL, pa.URL},
		{pa.Framework + " to go", pa.URL, ga.URL},
	} {
		t.Run(dir.name, func(t *testing.T) {
			c := newJarClient(t)
			c.do("POST", dir.from+"/set", "default", now, tv, "")
			var dump struct {
				Session testvec.TV `json:"session"`
			}
			c.getJSON(dir.to+"/dump", "default", now, &dump)
			got := decodeTV(t, []byte(dump.Session))
			want := want
			if ownTags && dir.to == ga.URL {
				// Quart 0.18 writes datetimes as ISO 8601, which Flask's
				// tag (and Go's) reads as None; Quart reads Flask's HTTP
				// dates.
				want = noDatetime
				if g, ok := got.(map[string]any); ok && g["datetime"] == nil {
					delete(g, "datetime")
				}
			}
			if diff := testvec.Diff(want, got); diff != "" {
				t.Errorf("session as read (want, got):\n%s", diff)
			}
		})
	}
}

// readFlashes reads /flashes as (category, message) pairs.
func readFlashes(c *jarClient, base string, now int64, categories ...string) []session.Flash {
	c.t.Helper()
	q := url.Values{"category": categories}
	var r struct {
		Flashes testvec.TV `json:"flashes"`
	}
	c.getJSON(base+"/flashes?"+q.Encode(), "default", now, &r)
	list, ok := decodeTV(c.t, []byte(r.Flashes)).([]any)
	if !ok {
		c.t.Fatalf("flashes: %s", r.Flashes)
	}
	var out []session.Flash
	for _, it := range list {
		p, ok := it.(py.Tuple)
		if !ok || len(p) != 2 {
			c.t.Fatalf("flash %#v is not a (category, message) tuple", it)
		}
		out = append(out, session.Flash{Category: p[0].(string), Message: p[1].(string)})
	}
	return out
}

// A message flashed on one side is shown once on the other.
func testFlashes(t *testing.T, pa *pyHTTPApp, ga *goHTTPApp) {
	c := newJarClient(t)
	now := time.Now().Unix()
	for _, dir := range []struct{ name, from, to string }{
		{"go to " + pa.Framework, ga.URL, pa.URL},
		{pa.Framework + " to go", pa.URL, ga.URL},
	} {
		c.getJSON(dir.from+"/flash?message=Saved+%C3%BC&category=info", "default", now, nil)
		c.getJSON(dir.from+"/flash?message=Oops&category=error", "default", now, nil)
		c.getJSON(dir.from+"/flash?message=plain", "default", now, nil)
		want := []session.Flash{{Category: "info", Message: "Saved ü"}, {Category: "error", Message: "Oops"}, {Category: "message", Message: "plain"}}
		if diff := cmp.Diff(want, readFlashes(c, dir.to, now)); diff != "" {
			t.Errorf("%s: flashes (-want +got):\n%s", dir.name, diff)
		}
		if got := readFlashes(c, dir.to, now); len(got) != 0 {
			t.Errorf("%s: flashes shown twice: %v", dir.name, got)
		}
		// A category filter shows some and removes all, on both sides.
		c.getJSON(dir.from+"/flash?message=a&category=info", "default", now, nil)
		c.getJSON(dir.from+"/flash?message=b&category=error", "default", now, nil)
		if diff := cmp.Diff([]session.Flash{{Category: "error", Message: "b"}}, readFlashes(c, dir.from, now, "error")); diff != "" {
			t.Errorf("%s: filtered flashes (-want +got):\n%s", dir.name, diff)
		}
		if got := readFlashes(c, dir.to, now); len(got) != 0 {
			t.Errorf("%s: filtered-out flashes survived: %v", dir.name, got)
		}
	}
}

// Logging out on one side logs out on the other.
func testLogout(t *testing.T, pa *pyHTTPApp, ga *goHTTPApp) {
	now := time.Now().Unix()
	for _, dir := range []struct{ name, login, logout, check, path string }{
		{"clear on go", pa.URL, ga.URL, pa.URL, "/clear"},
		{"clear on " + pa.Framework, ga.URL, pa.URL, ga.URL, "/clear"},
		{"pop on go", pa.URL, ga.URL, pa.URL, "/logout"},
		{"pop on " + pa.Framework, ga.URL, pa.URL, ga.URL, "/logout"},
	} {
		t.Run(dir.name, func(t *testing.T) {
			c := newJarClient(t)
			c.getJSON(dir.login+"/login?user=alice", "default", now, nil)
			if u := whoami(c, dir.check, "default", now); u != "alice" {
				t.Fatalf("not logged in: %#v", u)
			}
			r := c.getJSON(dir.logout+dir.path, "default", now, nil)
			// The session is empty now: the cookie is deleted.
			if len(r.SetCookie) != 1 || !isCookieDeletion(r.SetCookie[0]) {
				t.Errorf("logout Set-Cookie %q, want a deletion", r.SetCookie)
			}
			if u := whoami(c, dir.check, "default", now); u != nil {
				t.Errorf("still logged in as %#v", u)
			}
		})
	}
}

// A permanent session expires after the lifetime unless a request
// refreshes it; both sides refresh it and both expire it.
func testPermanent(t *testing.T, pa *pyHTTPApp, ga *goHTTPApp) {
	c := newJarClient(t)
	// Real time, so that the cookie jar keeps the cookies whose Expires
	// is fake now + 100 s.
	t0 := time.Now().Unix()
	expires := func(at int64) string { return time.Unix(at+100, 0).UTC().Format(http.TimeFormat) }
	c.getJSON(ga.URL+"/login?user=alice", "short", t0, nil)
	r := c.getJSON(pa.URL+"/permanent?on=1", "short", t0, nil)
	if len(r.SetCookie) != 1 || !strings.Contains(r.SetCookie[0], "; Expires="+expires(t0)+";") {
		t.Fatalf("%s permanent Set-Cookie %q, want Expires=%s", pa.Framework, r.SetCookie, expires(t0))
	}
	var dump struct {
		Permanent bool `json:"permanent"`
	}
	c.getJSON(ga.URL+"/dump", "short", t0+1, &dump)
	if !dump.Permanent {
		t.Error("Go does not see the session made permanent on the Python side")
	}
	// Go refreshes a permanent session on a request that does not use it.
	r = c.getJSON(ga.URL+"/touch", "short", t0+80, nil)
	if len(r.SetCookie) != 1 || !strings.Contains(r.SetCookie[0], "; Expires="+expires(t0+80)+";") {
		t.Errorf("Go refresh Set-Cookie %q, want Expires=%s", r.SetCookie, expires(t0+80))
	}
	if u := whoami(c, pa.URL, "short", t0+160); u != "alice" {
		t.Errorf("%s at +160 s after Go's refresh at +80 s: user %#v, want alice", pa.Framework, u)
	}
	r = c.getJSON(pa.URL+"/touch", "short", t0+170, nil)
	if len(r.SetCookie) != 1 || !strings.Contains(r.SetCookie[0], "; Expires="+expires(t0+170)+";") {
		t.Errorf("%s refresh Set-Cookie %q, want Expires=%s", pa.Framework, r.SetCookie, expires(t0+170))
	}
	if u := whoami(c, ga.URL, "short", t0+270); u != "alice" {
		t.Errorf("Go at +270 s after the refresh at +170 s: user %#v, want alice", u)
	}
	// 101 s after the last refresh the cookie has expired on both sides,
	// and neither deletes it.
	for _, base := range []string{ga.URL, pa.URL} {
		var r struct {
			User testvec.TV `json:"user"`
		}
		rep := c.getJSON(base+"/whoami", "short", t0+271+100, &r)
		if u := decodeTV(t, []byte(r.User)); u != nil {
			t.Errorf("%s: expired session still has user %#v", base, u)
		}
		if len(rep.SetCookie) != 0 {
			t.Errorf("%s: expired session answered Set-Cookie %q", base, rep.SetCookie)
		}
	}
	// A non-permanent session is not refreshed.
	c2 := newJarClient(t)
	c2.getJSON(pa.URL+"/login?user=bob", "short", t0, nil)
	for _, base := range []string{ga.URL, pa.URL} {
		if r := c2.getJSON(base+"/touch", "short", t0+10, nil); len(r.SetCookie) != 0 {
			t.Errorf("%s refreshed a non-permanent session: %q", base, r.SetCookie)
		}
	}
}

// A tampered cookie gives an empty session on both sides, which neither
// deletes.
func testTampered(t *testing.T, pa *pyHTTPApp, ga *goHTTPApp) {
	c := newJarClient(t)
	now := time.Now().Unix()
	r := c.getJSON(pa.URL+"/login?user=alice", "default", now, nil)
	value := setCookieValue(r.SetCookie[0])
	// Change the payload ({"user":"alice"} -> {"user":"alicf"}) and keep
	// the signature.
	payload, rest, _ := strings.Cut(value, ".")
	forged := strings.Replace(payload, "YWxpY2U", "YWxpY2Y", 1)
	if forged == payload {
		t.Fatalf("cannot find the user in payload %s", payload)
	}
	for _, bad := range []string{forged + "." + rest, payload + "." + strings.Replace(rest, ".", ".A", 1)} {
		for _, base := range []string{ga.URL, pa.URL} {
			var u struct {
				User testvec.TV `json:"user"`
			}
			rep := c.do("GET", base+"/whoami", "default", now, nil, "session="+bad)
			if err := json.Unmarshal(rep.Body, &u); err != nil {
				t.Fatal(err)
			}
			if got := decodeTV(t, []byte(u.User)); got != nil {
				t.Errorf("%s read tampered cookie %s as user %#v", base, bad, got)
			}
			if len(rep.SetCookie) != 0 {
				t.Errorf("%s answered a tampered cookie with Set-Cookie %q", base, rep.SetCookie)
			}
		}
	}
}

// Rotating the secret: Go, with the old key as a fallback (Flask 3.1.1's
// SECRET_KEY_FALLBACKS), reads the sessions of the app still on the old
// key and re-signs them with the new one.
func testRotation(t *testing.T, pa *pyHTTPApp, ga *goHTTPApp) {
	c := newJarClient(t)
	now := time.Now().Unix()
	c.getJSON(pa.URL+"/login?user=alice", "old", now, nil)
	if u := whoami(c, ga.URL, "new", now); u != nil {
		t.Errorf("Go with only the new key read the old cookie: %#v", u)
	}
	if u := whoami(c, pa.URL, "rotated", now); u != "alice" {
		t.Errorf("%s with the fallback: user %#v, want alice", pa.Framework, u)
	}
	if u := whoami(c, ga.URL, "rotated", now); u != "alice" {
		t.Fatalf("Go with the fallback: user %#v, want alice", u)
	}
	// Any change re-signs with the new key: the app on the new key alone
	// reads it, the app on the old key no longer does.
	c.getJSON(ga.URL+"/flash?message=rotated", "rotated", now, nil)
	if u := whoami(c, pa.URL, "new", now); u != "alice" {
		t.Errorf("%s with only the new key: user %#v, want alice", pa.Framework, u)
	}
	if u := whoami(c, pa.URL, "old", now); u != nil {
		t.Errorf("%s with only the old key read the re-signed cookie: %#v", pa.Framework, u)
	}
}
