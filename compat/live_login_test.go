package compat_test

// Live tests of package flasklogin against Flask-Login (0.6.2 on Debian 12,
// 0.6.3 in the current set): compat/loginapp/app.py and a Go server with
// the same routes share one cookie jar, and a login, a logout, session
// protection and the remember cookie made on either side are honoured by
// the other.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/csrf"
	"github.com/flaskcookie/flaskcookie/flasklogin"
	"github.com/google/go-cmp/cmp"
)

const (
	headerLoginapp = "X-Loginapp"
	loginSecret    = "login-secret"
)

// loginConfigs are the apps of both sides, by name (the X-Loginapp header).
var loginConfigs = map[string]map[string]any{
	"default": {"SECRET_KEY": loginSecret, "login_view": "/login-page", "refresh_view": "/reauth"},
	"strong":  {"SECRET_KEY": loginSecret, "SESSION_PROTECTION": "strong"},
	"nolv":    {"SECRET_KEY": loginSecret},
	"short":   {"SECRET_KEY": loginSecret, "WTF_CSRF_TIME_LIMIT": 60, "REMEMBER_COOKIE_DURATION": 600, "REMEMBER_COOKIE_SAMESITE": "Lax"},
	"nolimit": {"SECRET_KEY": loginSecret, "WTF_CSRF_TIME_LIMIT": nil},
	"https":   {"SECRET_KEY": loginSecret, "proxy_fix": true},
	"refresh": {"SECRET_KEY": loginSecret, "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": true},
	"attrs": {"SECRET_KEY": loginSecret, "REMEMBER_COOKIE_NAME": "keep", "REMEMBER_COOKIE_DOMAIN": "example.com",
		"REMEMBER_COOKIE_PATH": "/app", "REMEMBER_COOKIE_SECURE": true, "REMEMBER_COOKIE_HTTPONLY": false, "REMEMBER_COOKIE_SAMESITE": "Strict"},
	"sessnext": {"SECRET_KEY": loginSecret, "login_view": "/login-page", "USE_SESSION_FOR_NEXT": true},
}

// goLoginOptions are the Go spellings of loginConfigs.
func goLoginOptions(name string, v flasklogin.Version) []flasklogin.Option {
	opts := []flasklogin.Option{flasklogin.WithVersion(v), flasklogin.WithUserLoader(func(_ *http.Request, id string) bool { return id != "ghost" })}
	switch name {
	case "default":
		opts = append(opts, flasklogin.WithLoginView("/login-page"), flasklogin.WithRefreshView("/reauth"))
	case "strong":
		opts = append(opts, flasklogin.WithSessionProtection(flasklogin.ProtectionStrong))
	case "short":
		opts = append(opts, flasklogin.WithCookieDuration(600*time.Second), flasklogin.WithCookieSameSite("Lax"))
	case "refresh":
		opts = append(opts, flasklogin.WithRefreshEachRequest(true))
	case "attrs":
		opts = append(opts, flasklogin.WithCookieName("keep"), flasklogin.WithCookieDomain("example.com"), flasklogin.WithCookiePath("/app"),
			flasklogin.WithCookieSecure(true), flasklogin.WithCookieHTTPOnly(false), flasklogin.WithCookieSameSite("strict"))
	case "sessnext":
		opts = append(opts, flasklogin.WithLoginView("/login-page"), flasklogin.WithUseSessionForNext(true))
	}
	return opts
}

func goCSRFOptions(name string) []csrf.Option {
	switch name {
	case "short":
		return []csrf.Option{csrf.WithTimeLimit(60 * time.Second)}
	case "nolimit":
		return []csrf.Option{csrf.WithTimeLimit(0)}
	case "https":
		return []csrf.Option{csrf.WithRequestIsSecure(func(r *http.Request) bool { return r.Header.Get("X-Forwarded-Proto") == "https" })}
	}
	return nil
}

func TestLiveLogin(t *testing.T) {
	p := startLoginPair(t)
	for _, login := range p.sides() {
		for _, view := range p.sides() {
			for _, remember := range []bool{false, true} {
				name := login[0] + "-login-" + view[0] + "-sees"
				if remember {
					name += "-remember"
				}
				t.Run(name, func(t *testing.T) {
					p.reset()
					form := url.Values{"user": {"alice"}}
					if remember {
						form.Set("remember", "1")
					}
					if code, _, _ := p.do(t, login[1], "default", "POST", "/login", form, nil); code != 200 {
						t.Fatalf("login: %d", code)
					}
					w := p.whoami(t, view[1], "default", nil)
					if w.user() != "alice" || !w.Fresh {
						t.Fatalf("after login on %s, %s sees %s fresh=%v", login[0], view[0], w.user(), w.Fresh)
					}
					// _id is the same hash on both sides for the same client.
					if id, _ := w.Session["_id"].(string); id == "" {
						t.Errorf("no _id in %v", w.Session)
					}
					other := p.whoami(t, p.otherOf(view[1]), "default", nil)
					if diff := cmp.Diff(w.Session, other.Session); diff != "" {
						t.Errorf("sessions differ between the sides (-%s +other):\n%s", view[0], diff)
					}
					if got := p.cookie("remember_token") != ""; got != remember {
						t.Fatalf("remember cookie present = %v, want %v", got, remember)
					}
					// Remove the session cookie: with remember me, the
					// viewing side restores the login, not fresh.
					p.dropCookie("session")
					w = p.whoami(t, view[1], "default", nil)
					if remember {
						if w.user() != "alice" || w.Fresh {
							t.Fatalf("restored from the remember cookie on %s: %s fresh=%v", view[0], w.user(), w.Fresh)
						}
						if w.Session["_user_id"] != "alice" || w.Session["_fresh"] != false {
							t.Errorf("restored session on %s: %v", view[0], w.Session)
						}
						o := p.whoami(t, p.otherOf(view[1]), "default", nil)
						if o.user() != "alice" || o.Fresh {
							t.Errorf("after restore by %s, the other side sees %s fresh=%v", view[0], o.user(), o.Fresh)
						}
					} else if w.User != nil {
						t.Fatalf("without a session cookie and remember me, %s still sees %s", view[0], w.user())
					}
				})
			}
		}
	}
}

func TestLiveLogout(t *testing.T) {
	p := startLoginPair(t)
	for _, login := range p.sides() {
		for _, logout := range p.sides() {
			t.Run(login[0]+"-login-"+logout[0]+"-logout", func(t *testing.T) {
				p.reset()
				p.do(t, login[1], "default", "POST", "/login", url.Values{"user": {"bob"}, "remember": {"1"}}, nil)
				_, _, h := p.do(t, logout[1], "default", "POST", "/logout", url.Values{}, nil)
				if !hasDeleteCookie(h, "remember_token") {
					t.Errorf("logout on %s did not delete the remember cookie: %q", logout[0], h.Values("Set-Cookie"))
				}
				for _, s := range p.sides() {
					if w := p.whoami(t, s[1], "default", nil); w.User != nil {
						t.Errorf("after logout on %s, %s sees %s", logout[0], s[0], w.user())
					}
				}
			})
		}
	}
}

// The Set-Cookie headers of the remember cookie are the same bytes on both
// sides, for the same time and settings.
func TestLiveRememberCookieHeader(t *testing.T) {
	p := startLoginPair(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Unix()
	for _, tc := range []struct{ name, cfg, duration string }{
		{"default", "default", ""},
		{"duration", "default", "90"},
		{"config", "short", ""},
		{"attributes", "attrs", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got [2][]string
			for i, s := range p.sides() {
				p.reset()
				form := url.Values{"user": {"42"}, "remember": {"1"}}
				if tc.duration != "" {
					form.Set("duration", tc.duration)
				}
				_, _, h := p.do(t, s[1], tc.cfg, "POST", "/login", form, &req{At: at})
				for _, c := range h.Values("Set-Cookie") {
					if strings.HasPrefix(c, "remember_token=") || strings.HasPrefix(c, "keep=") {
						got[i] = append(got[i], c)
					}
				}
				w := p.whoami(t, s[1], tc.cfg, &req{At: at})
				// login_user stores the duration as a float; it stays until logout.
				if want := map[string]any{"": nil, "90": 90.0}[tc.duration]; w.Session["_remember_seconds"] != want {
					t.Errorf("_remember_seconds = %v, want %v", w.Session["_remember_seconds"], want)
				}
			}
			if len(got[0]) != 1 {
				t.Fatalf("Flask set %q", got[0])
			}
			if diff := cmp.Diff(got[0], got[1]); diff != "" {
				t.Errorf("remember cookie (-flask +go):\n%s", diff)
			}
		})
	}
}

// Session protection: a request from another browser (User-Agent) marks
// the login not fresh (basic) or logs out and deletes the remember cookie
// (strong), whichever side sees it first; the other side agrees.
func TestLiveSessionProtection(t *testing.T) {
	p := startLoginPair(t)
	for _, login := range p.sides() {
		for _, check := range p.sides() {
			t.Run("basic-"+login[0]+"-login-"+check[0]+"-other-browser", func(t *testing.T) {
				p.reset()
				p.do(t, login[1], "default", "POST", "/login", url.Values{"user": {"carol"}}, nil)
				w := p.whoami(t, check[1], "default", &req{UA: "Other/1.0"})
				if w.user() != "carol" || w.Fresh {
					t.Fatalf("basic, other browser on %s: %s fresh=%v", check[0], w.user(), w.Fresh)
				}
				o := p.whoami(t, p.otherOf(check[1]), "default", nil)
				if o.user() != "carol" || o.Fresh {
					t.Errorf("other side after basic protection: %s fresh=%v", o.user(), o.Fresh)
				}
				// fresh_login_required now refuses on both sides alike.
				var locs []string
				for _, s := range p.sides() {
					code, _, h := p.do(t, s[1], "default", "GET", "/fresh", nil, nil)
					if code != http.StatusFound {
						t.Errorf("%s /fresh: %d", s[0], code)
					}
					locs = append(locs, h.Get("Location"))
				}
				if locs[0] != locs[1] || !strings.HasPrefix(locs[0], "/reauth?next=") {
					t.Errorf("needs_refresh Location flask %q go %q", locs[0], locs[1])
				}
				// confirm_login on the side that saw the other browser makes
				// the login fresh again for this browser, on both sides.
				p.do(t, check[1], "default", "POST", "/confirm", url.Values{}, nil)
				for _, s := range p.sides() {
					if w := p.whoami(t, s[1], "default", nil); w.user() != "carol" || !w.Fresh {
						t.Errorf("after confirm_login on %s, %s sees %s fresh=%v", check[0], s[0], w.user(), w.Fresh)
					}
				}
			})
			t.Run("strong-"+login[0]+"-login-"+check[0]+"-other-browser", func(t *testing.T) {
				p.reset()
				p.do(t, login[1], "strong", "POST", "/login", url.Values{"user": {"dave"}, "remember": {"1"}}, nil)
				code, body, h := p.do(t, check[1], "strong", "GET", "/whoami", nil, &req{UA: "Other/1.0"})
				if code != 200 || !strings.Contains(body, `"user":null`) {
					t.Fatalf("strong, other browser on %s: %d %s", check[0], code, body)
				}
				if !hasDeleteCookie(h, "remember_token") {
					t.Errorf("strong protection on %s did not delete the remember cookie: %q", check[0], h.Values("Set-Cookie"))
				}
				for _, s := range p.sides() {
					if w := p.whoami(t, s[1], "strong", nil); w.User != nil {
						t.Errorf("after strong protection on %s, %s sees %s", check[0], s[0], w.user())
					}
				}
			})
		}
	}
}

// login_required: the same redirect (with next and the flashed message),
// the same 401 page without a login view.
func TestLiveLoginRequired(t *testing.T) {
	p := startLoginPair(t)
	for _, tc := range []struct{ name, cfg, path string }{
		{"redirect", "default", "/secret"},
		{"redirect-query", "default", "/secret?a=1&b=x%20y&c=$!'()*,;/?@[]&d=%41%2F%7e%25"},
		{"redirect-path", "default", "/secret/a:b@c;d=e"},
		{"session-next", "sessnext", "/secret?x=1"},
		{"401", "nolv", "/secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			type answer struct {
				Code           int
				Location, Body string
				Flashes        string
			}
			var got []answer
			for _, s := range p.sides() {
				p.reset()
				code, body, h := p.do(t, s[1], tc.cfg, "GET", tc.path, nil, nil)
				_, fl, _ := p.do(t, s[1], tc.cfg, "GET", "/flashes", nil, nil)
				got = append(got, answer{code, h.Get("Location"), body, fl})
			}
			t.Logf("flask: %+v", got[0])
			// Flask-Login 0.6.2 keeps $!'()*,; in the next parameter,
			// 0.6.3 escapes them.
			if tc.name == "redirect-query" {
				want := "%24%21%27%28%29%2A%2C%3B"
				if p.Versions["flask_login"] == "0.6.2" {
					want = "$!'()*,;"
				}
				if !strings.Contains(got[0].Location, want) {
					t.Errorf("Flask-Login %s: Location %q lacks %q", p.Versions["flask_login"], got[0].Location, want)
				}
			}
			if diff := cmp.Diff(got[0], got[1]); diff != "" {
				t.Errorf("(-flask +go):\n%s", diff)
			}
			p.reset()
			p.do(t, p.Go, tc.cfg, "POST", "/login", url.Values{"user": {"erin"}}, nil)
			for _, s := range p.sides() {
				if code, body, _ := p.do(t, s[1], tc.cfg, "GET", "/secret", nil, nil); code != 200 || body != "secret:erin" {
					t.Errorf("%s logged in: %d %q", s[0], code, body)
				}
			}
		})
	}
}

// A user the user loader does not know (Flask's returns None) is anonymous
// on both sides, even with a valid remember cookie for it.
func TestLiveUnknownUser(t *testing.T) {
	p := startLoginPair(t)
	for _, s := range p.sides() {
		p.reset()
		p.do(t, s[1], "default", "POST", "/login", url.Values{"user": {"ghost"}, "remember": {"1"}}, nil)
		for _, v := range p.sides() {
			if w := p.whoami(t, v[1], "default", nil); w.User != nil {
				t.Errorf("login of ghost on %s: %s sees %s", s[0], v[0], w.user())
			}
		}
	}
}

// The session identifier "_id": a login made on Flask with these headers
// stays fresh on Go under basic protection only if Go computes the same
// hash from the same headers, and the other way round.
func TestLiveIdentifier(t *testing.T) {
	p := startLoginPair(t)
	for _, tc := range []struct {
		name string
		x    req
	}{
		{"plain", req{}},
		{"quotes", req{UA: `Mozilla/5.0 (it's "quoted")`}},
		{"apostrophe", req{UA: "it's"}},
		{"backslash-tab", req{UA: "a\\b\tc"}},
		{"latin1", req{UA: "caf\xe9 \xff"}},
		{"xff", req{Header: map[string]string{"X-Forwarded-For": " 10.0.0.1 , 10.0.0.2"}}},
		{"xff-empty-first", req{Header: map[string]string{"X-Forwarded-For": ",10.0.0.2"}}},
		{"xff-ipv6", req{Header: map[string]string{"X-Forwarded-For": "::1"}}},
	} {
		for _, login := range p.sides() {
			t.Run(tc.name+"-"+login[0], func(t *testing.T) {
				p.reset()
				x := tc.x
				p.do(t, login[1], "default", "POST", "/login", url.Values{"user": {"ivan"}}, &x)
				w := p.whoami(t, p.otherOf(login[1]), "default", &x)
				if w.user() != "ivan" || !w.Fresh {
					t.Errorf("login on %s, other side: %s fresh=%v (identifiers differ)", login[0], w.user(), w.Fresh)
				}
			})
		}
	}
}

// REMEMBER_COOKIE_REFRESH_EACH_REQUEST: every response of a logged-in
// session sets the remember cookie again, on both sides.
func TestLiveRememberRefresh(t *testing.T) {
	p := startLoginPair(t)
	for _, login := range p.sides() {
		for _, s := range p.sides() {
			t.Run(login[0]+"-login-"+s[0]+"-refreshes", func(t *testing.T) {
				p.reset()
				p.do(t, login[1], "refresh", "POST", "/login", url.Values{"user": {"fay"}}, nil)
				_, _, h := p.do(t, s[1], "refresh", "GET", "/whoami", nil, nil)
				if sc := strings.Join(h.Values("Set-Cookie"), "\n"); !strings.Contains(sc, "remember_token=fay|") {
					t.Errorf("%s did not refresh the remember cookie: %q", s[0], sc)
				}
			})
		}
	}
}

// USE_SESSION_FOR_NEXT: the page to return to is in the session, the same
// on both sides.
func TestLiveSessionNext(t *testing.T) {
	p := startLoginPair(t)
	var got []any
	for _, s := range p.sides() {
		p.reset()
		p.do(t, s[1], "sessnext", "GET", "/secret?x=1", nil, nil)
		w := p.whoami(t, p.otherOf(s[1]), "sessnext", nil)
		got = append(got, w.Session["next"])
	}
	if got[0] != "/secret?x=1" || got[1] != got[0] {
		t.Errorf("session next: flask %v, go %v", got[0], got[1])
	}
}

// The same steps on each side, from an empty jar at the same second, give
// byte-identical Set-Cookie and Vary headers: the session cookie (whose
// _id, _fresh and _user_id are the same; compressed ones too, since the
// codec compresses as zlib does), the remember cookie set, kept, refreshed
// and deleted.
func TestLiveLoginHeaders(t *testing.T) {
	p := startLoginPair(t)
	at := time.Now().Unix()
	type step struct {
		name, cfg, method, path string
		form                    url.Values
		drop                    string // cookie to drop first
	}
	for _, seq := range []struct {
		name  string
		steps []step
	}{
		{"remember-restore-logout", []step{
			{"login", "default", "POST", "/login", url.Values{"user": {"42"}, "remember": {"1"}}, ""},
			{"whoami", "default", "GET", "/whoami", nil, ""},
			{"restore", "default", "GET", "/whoami", nil, "session"},
			{"after restore", "default", "GET", "/whoami", nil, ""},
			{"logout", "default", "POST", "/logout", url.Values{}, ""},
			{"anonymous", "default", "GET", "/whoami", nil, ""},
		}},
		{"strong-restore", []step{
			{"login", "strong", "POST", "/login", url.Values{"user": {"7"}, "remember": {"1"}}, ""},
			{"restore", "strong", "GET", "/whoami", nil, "session"},
			// Flask-Login stores no _id on a restore: strong protection
			// then drops the login on the next request.
			{"next request", "strong", "GET", "/whoami", nil, ""},
		}},
		{"refresh", []step{
			{"login", "refresh", "POST", "/login", url.Values{"user": {"8"}, "duration": {"30"}}, ""},
			{"refreshed", "refresh", "GET", "/whoami", nil, ""},
		}},
		{"refresh-duration", []step{
			{"login", "refresh", "POST", "/login", url.Values{"user": {"9"}, "remember": {"1"}, "duration": {"30"}}, ""},
			{"refreshed", "refresh", "GET", "/whoami", nil, ""},
		}},
		{"unauthorized", []step{
			{"redirect", "default", "GET", "/secret", nil, ""},
			{"flashes", "default", "GET", "/flashes", nil, ""},
		}},
	} {
		t.Run(seq.name, func(t *testing.T) {
			var got [2][]string
			var bodies [2][]string
			for i, s := range p.sides() {
				p.reset()
				for _, st := range seq.steps {
					if st.drop != "" {
						p.dropCookie(st.drop)
					}
					code, body, h := p.do(t, s[1], st.cfg, st.method, st.path, st.form, &req{At: at})
					got[i] = append(got[i], st.name+": "+strings.Join(h.Values("Set-Cookie"), " || ")+" | Vary: "+strings.Join(h.Values("Vary"), ", "))
					bodies[i] = append(bodies[i], st.name+": "+itoa64(int64(code))+" "+body)
				}
			}
			if diff := cmp.Diff(got[0], got[1]); diff != "" {
				t.Errorf("headers (-flask +go):\n%s", diff)
			}
			if diff := cmp.Diff(bodies[0], bodies[1]); diff != "" {
				t.Errorf("answers (-flask +go):\n%s", diff)
			}
		})
	}
}
