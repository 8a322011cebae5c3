package compat_test

// Live tests of package csrf against Flask-WTF (1.1.1 on Debian 12, 1.2.2
// in the current set), with the apps of live_login_test.go.

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var tokenInForm = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (p *loginPair) formToken(t *testing.T, base, cfg string, x *req) string {
	t.Helper()
	code, body, _ := p.do(t, base, cfg, "GET", "/form", nil, x)
	m := tokenInForm.FindStringSubmatch(body)
	if code != 200 || m == nil {
		t.Fatalf("GET %s/form: %d %s", base, code, body)
	}
	return m[1]
}

// A form rendered by one side is accepted by the other, in the form field
// and in either header.
func TestLiveCSRFForms(t *testing.T) {
	p := startLoginPair(t)
	for _, render := range p.sides() {
		for _, post := range p.sides() {
			for _, via := range []string{"field", "X-CSRFToken", "X-CSRF-Token", "prefixed-field"} {
				t.Run(render[0]+"-form-to-"+post[0]+"-"+via, func(t *testing.T) {
					p.reset()
					tok := p.formToken(t, render[1], "default", nil)
					form := url.Values{"text": {"hi"}}
					x := &req{}
					switch via {
					case "field":
						form.Set("csrf_token", tok)
					case "prefixed-field":
						form.Set("login-csrf_token", tok)
					default:
						x.Header = map[string]string{via: tok}
					}
					code, body, _ := p.do(t, post[1], "default", "POST", "/submit", form, x)
					if code != 200 || body != "ok:hi" {
						t.Fatalf("POST %s: %d %s", post[0], code, body)
					}
				})
			}
		}
	}
}

// For the same raw token in the session and the same second, both sides
// sign the same token.
func TestLiveCSRFTokenBytes(t *testing.T) {
	p := startLoginPair(t)
	at := time.Now().Unix() - 100
	for _, first := range p.sides() {
		t.Run(first[0]+"-first", func(t *testing.T) {
			p.reset()
			var toks []string
			for _, s := range []string{first[1], p.otherOf(first[1])} {
				_, tok, _ := p.do(t, s, "default", "GET", "/token", nil, &req{At: at})
				toks = append(toks, tok)
			}
			if toks[0] != toks[1] || toks[0] == "" {
				t.Errorf("tokens differ: %s %q, other %q", first[0], toks[0], toks[1])
			}
		})
	}
}

// Bad tokens are refused by both sides with the same status and page,
// whichever side made the token.
func TestLiveCSRFRefusals(t *testing.T) {
	p := startLoginPair(t)
	now := time.Now().Unix()
	type answer struct {
		Code int
		Body string
	}
	cases := []struct {
		name, cfg, reason string
		// post returns the form and extras of the refused POST, after any
		// set-up requests (tokens made on side mk).
		post func(t *testing.T, mk string) (url.Values, *req)
	}{
		{"missing", "default", "The CSRF token is missing.", func(t *testing.T, mk string) (url.Values, *req) {
			p.formToken(t, mk, "default", nil)
			return url.Values{"text": {"x"}}, nil
		}},
		{"empty", "default", "The CSRF token is missing.", func(t *testing.T, mk string) (url.Values, *req) {
			p.formToken(t, mk, "default", nil)
			return url.Values{"csrf_token": {""}}, nil
		}},
		{"no-session-token", "default", "The CSRF session token is missing.", func(t *testing.T, mk string) (url.Values, *req) {
			tok := p.formToken(t, mk, "default", nil)
			p.reset()
			return url.Values{"csrf_token": {tok}}, nil
		}},
		{"tampered", "default", "The CSRF token is invalid.", func(t *testing.T, mk string) (url.Values, *req) {
			tok := p.formToken(t, mk, "default", nil)
			return url.Values{"csrf_token": {tok[:len(tok)-2] + flip(tok[len(tok)-2:])}}, nil
		}},
		{"garbage", "default", "The CSRF token is invalid.", func(t *testing.T, mk string) (url.Values, *req) {
			p.formToken(t, mk, "default", nil)
			return url.Values{"csrf_token": {"not-a-token"}}, nil
		}},
		{"expired", "default", "The CSRF token has expired.", func(t *testing.T, mk string) (url.Values, *req) {
			tok := p.formToken(t, mk, "default", &req{At: now - 3601})
			return url.Values{"csrf_token": {tok}}, &req{At: now}
		}},
		{"expired-short-limit", "short", "The CSRF token has expired.", func(t *testing.T, mk string) (url.Values, *req) {
			tok := p.formToken(t, mk, "short", &req{At: now - 61})
			return url.Values{"csrf_token": {tok}}, &req{At: now}
		}},
		{"future", "default", "The CSRF token has expired.", func(t *testing.T, mk string) (url.Values, *req) {
			p.formToken(t, mk, "default", &req{At: now}) // the session cookie, dated now
			_, tok, _ := p.do(t, mk, "default", "GET", "/token", nil, &req{At: now + 10})
			return url.Values{"csrf_token": {tok}}, &req{At: now}
		}},
		{"future-session", "default", "The CSRF session token is missing.", func(t *testing.T, mk string) (url.Values, *req) {
			// The session cookie itself is signed in the future: both
			// sides drop the session, so its raw token is gone.
			tok := p.formToken(t, mk, "default", &req{At: now + 10})
			return url.Values{"csrf_token": {tok}}, &req{At: now}
		}},
		{"cross-session", "default", "The CSRF tokens do not match.", func(t *testing.T, mk string) (url.Values, *req) {
			tok := p.formToken(t, mk, "default", nil)
			p.reset()
			p.formToken(t, mk, "default", nil) // this client's own session token
			return url.Values{"csrf_token": {tok}}, nil
		}},
		{"https-no-referrer", "https", "The referrer header is missing.", func(t *testing.T, mk string) (url.Values, *req) {
			tok := p.formToken(t, mk, "https", nil)
			return url.Values{"csrf_token": {tok}}, &req{Header: map[string]string{"X-Forwarded-Proto": "https"}}
		}},
		{"https-other-referrer", "https", "The referrer does not match the host.", func(t *testing.T, mk string) (url.Values, *req) {
			tok := p.formToken(t, mk, "https", nil)
			return url.Values{"csrf_token": {tok}}, &req{Header: map[string]string{"X-Forwarded-Proto": "https", "Referer": "https://evil.example/form"}}
		}},
		{"https-http-referrer", "https", "The referrer does not match the host.", func(t *testing.T, mk string) (url.Values, *req) {
			tok := p.formToken(t, mk, "https", nil)
			return url.Values{"csrf_token": {tok}}, &req{Header: map[string]string{"X-Forwarded-Proto": "https", "Referer": "http://127.0.0.1/form"}}
		}},
	}
	for _, tc := range cases {
		for _, mk := range p.sides() {
			t.Run(tc.name+"-made-on-"+mk[0], func(t *testing.T) {
				var got []answer
				for _, post := range p.sides() {
					p.reset()
					form, x := tc.post(t, mk[1])
					code, body, _ := p.do(t, post[1], tc.cfg, "POST", "/submit", form, x)
					got = append(got, answer{code, body})
				}
				if got[0].Code != http.StatusBadRequest || !strings.Contains(got[0].Body, "<p>"+tc.reason+"</p>") {
					t.Errorf("Flask answered %+v, want 400 with %q", got[0], tc.reason)
				}
				if diff := cmp.Diff(got[0], got[1]); diff != "" {
					t.Errorf("(-flask +go):\n%s", diff)
				}
			})
		}
	}
}

// What both sides accept: an HTTPS request with a same-host referrer, a
// token without a time limit long after, an exempt route, a safe method.
func TestLiveCSRFAccepted(t *testing.T) {
	p := startLoginPair(t)
	now := time.Now().Unix()
	for _, mk := range p.sides() {
		for _, post := range p.sides() {
			t.Run(mk[0]+"-token-to-"+post[0], func(t *testing.T) {
				p.reset()
				u, _ := url.Parse(post[1])
				tok := p.formToken(t, mk[1], "https", nil)
				x := &req{Header: map[string]string{"X-Forwarded-Proto": "https", "Referer": "https://" + u.Host + "/form"}}
				if code, body, _ := p.do(t, post[1], "https", "POST", "/submit", url.Values{"csrf_token": {tok}, "text": {"s"}}, x); code != 200 || body != "ok:s" {
					t.Errorf("https with referrer: %d %s", code, body)
				}
				tok = p.formToken(t, mk[1], "nolimit", &req{At: now - 1e6})
				if code, body, _ := p.do(t, post[1], "nolimit", "POST", "/submit", url.Values{"csrf_token": {tok}, "text": {"n"}}, &req{At: now}); code != 200 || body != "ok:n" {
					t.Errorf("no time limit: %d %s", code, body)
				}
				if code, body, _ := p.do(t, post[1], "default", "POST", "/exempt", url.Values{}, nil); code != 200 || body != "exempt" {
					t.Errorf("exempt: %d %s", code, body)
				}
			})
		}
	}
}

// flip changes the last two characters of a signature.
func flip(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
	}
	return string(b)
}

// Flask-WTF 1.1.1 and 1.2.2 differ in one thing: exempting a nested
// blueprint (csrf.exempt(child) for /parent/child/...) works only in 1.2.2.
// csrf.WithExempt("/parent/child/") is the 1.2.2 behaviour.
func TestLiveCSRFBlueprintExemptByVersion(t *testing.T) {
	p := startLoginPair(t)
	p.reset()
	code, body, _ := p.do(t, p.Flask, "default", "POST", "/parent/child/hook", url.Values{}, nil)
	switch v := p.Versions["flask_wtf"]; v {
	case "1.1.1":
		if code != http.StatusBadRequest || !strings.Contains(body, "The CSRF token is missing.") {
			t.Errorf("Flask-WTF 1.1.1 exempted the nested blueprint: %d %s", code, body)
		}
	case "1.2.2":
		if code != http.StatusOK || body != "hook" {
			t.Errorf("Flask-WTF 1.2.2 protected the nested blueprint: %d %s", code, body)
		}
	default:
		t.Fatalf("no expectation for Flask-WTF %s", v)
	}
}
