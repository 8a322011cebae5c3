package main

import (
	"slices"
	"strings"
	"testing"
)

// In a real browser (headless Chromium, one profile, so one cookie jar):
// log in with remember me on Flask's form (Flask-Login, Flask-WTF), submit
// the Go form, submit a Flask-rendered form to Go, lose the session cookie
// and stay logged in on both sides through Flask-Login's remember cookie,
// then log out on Go and be logged out on Flask, which shows the message
// Go flashed. Skipped without Chromium unless
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

	p := b.navigate("go profile anonymous", base+"/go/profile")
	check("Go sends to Flask's login", p, "/login?next=", []string{"Log in", "Please log in to access this page.", "Served by Flask"}, nil)

	p = b.act("login", `document.getElementById("user-input").value = "alice"; document.getElementById("remember").checked = true; document.getElementById("login").click()`)
	check("logged in on Flask, back on Go", p, "/go/profile", []string{"Welcome, alice!", "Logged in as alice", "Served by Go"}, []string{"remembered"})
	if names := b.cookieNames(base); !slices.Contains(names, "remember_token") || !slices.Contains(names, "session") {
		t.Errorf("cookies after login with remember me: %v", names)
	}

	p = b.act("go form", `document.getElementById("note-input").value = "typed on Go"; document.getElementById("go-note").click()`)
	check("Go form posted to Go", p, "/go/profile", []string{"Note saved by Go", "Your note: typed on Go"}, nil)

	p = b.navigate("flask note form", base+"/note")
	check("Flask's form", p, "/note", []string{"Served by Flask", "Save in Go"}, nil)
	p = b.act("flask form to go", `document.getElementById("note-input").value = "typed on Flask"; document.getElementById("flask-note").click()`)
	check("Flask form posted to Go", p, "/go/profile", []string{"Note saved by Go", "Your note: typed on Flask", "Served by Go"}, nil)

	b.deleteCookie("session", base)
	p = b.navigate("go after losing the session", base+"/go/profile")
	check("Go restores from the remember cookie", p, "/go/profile", []string{"Logged in as alice (remembered)", "Served by Go"}, []string{"typed on"})

	b.deleteCookie("session", base)
	p = b.navigate("flask after losing the session", base+"/")
	check("Flask restores from the remember cookie", p, "/", []string{"Logged in as alice", "Served by Flask"}, nil)

	p = b.navigate("go profile again", base+"/go/profile")
	check("still logged in on Go", p, "/go/profile", []string{"Logged in as alice"}, nil)
	p = b.act("go logout", `document.getElementById("go-logout").click()`)
	check("logged out on Go, seen on Flask", p, "/", []string{"Logged out by Go", "Not logged in", "Served by Flask"}, []string{"alice"})
	if names := b.cookieNames(base); slices.Contains(names, "remember_token") {
		t.Errorf("remember cookie left after logout on Go: %v", names)
	}

	b.deleteCookie("session", base)
	p = b.navigate("flask home without session", base+"/")
	check("no login to restore", p, "/", []string{"Not logged in"}, []string{"alice"})

	p = b.navigate("go profile logged out", base+"/go/profile")
	check("Go page after logout", p, "/login", []string{"Please log in to access this page.", "Served by Flask"}, []string{"alice"})
}
