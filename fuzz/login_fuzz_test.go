package fuzz_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/csrf"
	"github.com/flaskcookie/flaskcookie/flasklogin"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/session"
)

var loginSecret = []byte("fuzz-login-secret")

// FuzzRememberCookie: any remember cookie value either verifies, and is
// then exactly the cookie Flask-Login's encode_cookie makes for the ID it
// gives, or is refused with a *CookieError matching ErrBadCookie; and a
// request carrying it logs in exactly that ID, or nobody, without a panic.
func FuzzRememberCookie(f *testing.F) {
	good := flasklogin.EncodeRememberCookie(loginSecret, "42")
	for _, s := range []string{good, good[:len(good)-1], "42|", "|", "", "a|b|" + good[3:],
		flasklogin.EncodeRememberCookie(loginSecret, "a|b"), strings.ToUpper(good), "\xff|00"} {
		f.Add(s)
	}
	m, err := flasklogin.New(loginSecret)
	if err != nil {
		f.Fatal(err)
	}
	c, _ := codec.New(loginSecret)
	sm, _ := session.New(c)
	f.Fuzz(func(t *testing.T, value string) {
		id, err := flasklogin.DecodeRememberCookie(loginSecret, value)
		if err != nil {
			var ce *flasklogin.CookieError
			if !errors.Is(err, flasklogin.ErrBadCookie) || !errors.As(err, &ce) {
				t.Fatalf("error %v is not a CookieError matching ErrBadCookie", err)
			}
			if id != "" {
				t.Fatalf("refused cookie gave ID %q", id)
			}
		} else if flasklogin.EncodeRememberCookie(loginSecret, id) != value {
			t.Fatalf("accepted %q for ID %q, which encodes differently", value, id)
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", "remember_token="+value)
		sm.Handler(m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, ok := m.CurrentUser(r)
			c, cerr := r.Cookie("remember_token")
			if cerr != nil {
				if ok {
					t.Fatalf("logged in %q without a readable cookie", got)
				}
				return
			}
			want, derr := flasklogin.DecodeRememberCookie(loginSecret, c.Value)
			if ok != (derr == nil) || (ok && got != want) {
				t.Fatalf("cookie %q: logged in %q %v, decode %q %v", c.Value, got, ok, want, derr)
			}
		}))).ServeHTTP(httptest.NewRecorder(), r)
	})
}

// FuzzCSRFToken: any submitted token is accepted only when it is the
// session's raw token signed with Flask-WTF's salt and in time; anything
// else gets one of Flask-WTF's reasons, matching ErrCSRF, without a panic.
func FuzzCSRFToken(f *testing.F) {
	now := time.Unix(1700000000, 0)
	clock := func() time.Time { return now }
	p, err := csrf.New(loginSecret, csrf.WithClock(clock))
	if err != nil {
		f.Fatal(err)
	}
	s, _ := itsdangerous.NewURLSafeTimedSerializer(loginSecret, itsdangerous.WithSalt([]byte(csrf.Salt)), itsdangerous.WithClock(clock))
	const raw = "5d41402abc4b2a76b9719d911017c592ae4e3bd2"
	good, _ := s.Dumps(raw)
	other, _ := s.Dumps("other")
	old, _ := s.Dumps(raw, itsdangerous.At(now.Add(-2*time.Hour)))
	for _, tok := range []string{good, other, old, good[:len(good)-1], "", ".", "..", "a.b.c", strings.Repeat("A", 5000), "\x00"} {
		f.Add(tok)
	}
	reasons := []error{csrf.ErrTokenMissing, csrf.ErrTokenExpired, csrf.ErrTokenInvalid, csrf.ErrTokensDoNotMatch}
	f.Fuzz(func(t *testing.T, tok string) {
		r := httptest.NewRequest("POST", "/", nil)
		r = r.WithContext(session.NewContext(r.Context(), session.NewSession(map[string]any{csrf.DefaultFieldName: raw})))
		err := p.Validate(r, tok)
		var v any
		_, lerr := s.Loads(tok, &v, itsdangerous.MaxAge(csrf.DefaultTimeLimit))
		if err == nil {
			if lerr != nil || v != raw {
				t.Fatalf("accepted %q, which loads as %v, %v", tok, v, lerr)
			}
			return
		}
		if !errors.Is(err, csrf.ErrCSRF) || csrf.Reason(err) == "" {
			t.Fatalf("error %v has no Flask-WTF reason", err)
		}
		known := false
		for _, k := range reasons {
			known = known || errors.Is(err, k)
		}
		if !known {
			t.Fatalf("unexpected refusal %v", err)
		}
		if lerr == nil && v == raw {
			t.Fatalf("refused %q (%v), which is a good token", tok, err)
		}
	})
}
