package main

import (
	"strings"
	"testing"
)

// In a real browser (headless Chromium, one profile, so one cookie jar):
// log in with the form on a Flask page, see the user on a Go page, log out
// with the form on the Go page, and be logged out on the Flask page, which
// shows the message Go flashed. Skipped without Chromium unless
// FLASKCOOKIE_REQUIRE_BROWSER=1; FLASKCOOKIE_SCREENSHOTS=dir keeps a PNG
// of every page.
func TestBrowserEndToEnd(t *testing.T) {
	findChromium(t) // skip early, before starting Flask
	base := startExample(t)
	b := startBrowser(t)

	check := func(step string, p page, path string, want, not []string) {
		t.Helper()
		if !strings.HasPrefix(p.URL, base+path) {
			t.Errorf("%s: at %s, want %s%s", step, p.URL, base, path)
		}
		for _, w := range want {
			if !strings.Contains(p.Text, w) {
				t.Errorf("%s: page lacks %q:\n%s", step, w, p.Text)
			}
		}
		for _, n := range not {
			if strings.Contains(p.Text, n) {
				t.Errorf("%s: page has %q:\n%s", step, n, p.Text)
			}
		}
	}

	p := b.navigate("flask login", base+"/login")
	check("Flask login page", p, "/login", []string{"Log in", "Served by Flask"}, nil)

	p = b.act("flask home after login", `document.getElementById("user-input").value = "alice"; document.getElementById("login").click()`)
	check("logged in on Flask", p, "/", []string{"Welcome, alice!", "Logged in as alice", "Served by Flask"}, nil)

	p = b.navigate("go profile", base+"/go/profile")
	check("Go page", p, "/go/profile", []string{"Logged in as alice", "Served by Go"}, []string{"Welcome"})

	p = b.act("flask home after go logout", `document.querySelector("form[action='/go/logout'] button").click()`)
	check("logged out on Go, seen on Flask", p, "/", []string{"Logged out by Go", "Not logged in", "Served by Flask"}, []string{"alice"})

	p = b.navigate("flask home again", base+"/")
	check("flash shown once", p, "/", []string{"Not logged in"}, []string{"Logged out by Go"})

	p = b.navigate("go profile logged out", base+"/go/profile")
	check("Go page after logout", p, "/go/profile", []string{"Not logged in", "Served by Go"}, []string{"alice"})
}
