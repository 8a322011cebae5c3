package compat_test

// Live tests against the peer set's Django (compat/djangoapp/app.py, the
// signed_cookies session backend behind Django's SessionMiddleware, served
// by wsgiref): Debian 12's 3.2 and the current Debian release's 4.2. Django
// reads the session cookies and signing tokens package django writes, and
// package django reads, and re-creates, Django's. TestLiveDjangoVersions
// asserts what differs between the versions.

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
)

const djangoLiveKey = "django-secret"

func startDjangoApp(t *testing.T) *livePy {
	t.Helper()
	return startDjangoAppWith(t, map[string]any{"SECRET_KEY": djangoLiveKey})
}

// startDjangoAppWith starts the Django app with the given settings and
// checks that it runs the peer set's Django.
func startDjangoAppWith(t *testing.T, settings map[string]any) *livePy {
	t.Helper()
	js, _ := json.Marshal(settings)
	app := startLivePy(t, "djangoapp/app.py", []string{"django"}, "DJANGOAPP_SETTINGS="+string(js))
	if want := pyoracle.Peers(t).Version("django"); app.Versions["django"] != want {
		t.Fatalf("the app runs Django %v, the peer set has %s", app.Versions, want)
	}
	return app
}

// djangoRead sends cookie as the session cookie at now and returns the
// session Django loads from it.
func djangoRead(t *testing.T, app *livePy, cookie string, now time.Time) any {
	t.Helper()
	h := djangoNow(now)
	h["Cookie"] = django.SessionCookieName + "=" + cookie
	var out struct {
		Session testvec.TV `json:"session"`
	}
	app.do(t, "GET", "/dump", h, nil, &out)
	got, err := out.Session.Ordered()
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// djangoNow is the X-Fake-Now header for a time with its fraction.
func djangoNow(t time.Time) map[string]string {
	f := float64(t.Unix()) + float64(t.Nanosecond())/1e9
	return map[string]string{"X-Fake-Now": strconv.FormatFloat(f, 'f', -1, 64)}
}

// cookieAttrs splits a Set-Cookie header into its value and attributes.
func cookieAttrs(header string) (nameValue string, attrs map[string]string) {
	parts := strings.Split(strings.TrimSpace(header), ";")
	attrs = map[string]string{}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		attrs[strings.ToLower(k)] = v
	}
	return parts[0], attrs
}

// djangoResult is a signing answer of the app.
type djangoResult struct {
	Value   json.RawMessage `json:"value"`
	Token   string          `json:"token"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

// checkDjangoError compares a Go error with what Django raised.
func checkDjangoError(t *testing.T, goErr error, r djangoResult) {
	t.Helper()
	switch r.Error {
	case "":
		if goErr != nil {
			t.Fatalf("Go: %v; Django accepts it", goErr)
		}
		return
	case "BadSignature", "SignatureExpired":
		want := map[string]error{"BadSignature": django.ErrBadSignature, "SignatureExpired": django.ErrSignatureExpired}[r.Error]
		var e *django.Error
		if !errors.Is(goErr, want) || !errors.As(goErr, &e) || e.Reason != r.Message {
			t.Fatalf("Go: %v; Django: %s(%q)", goErr, r.Error, r.Message)
		}
	default:
		if !errors.Is(goErr, django.ErrMalformed) {
			t.Fatalf("Go: %v; Django: %s(%q)", goErr, r.Error, r.Message)
		}
	}
}

func TestLiveDjangoSessions(t *testing.T) {
	app := startDjangoApp(t)
	codec, err := django.NewSessionCodec([]byte(djangoLiveKey), django.WithClock(func() time.Time { return liveT }))
	if err != nil {
		t.Fatal(err)
	}
	sessions := liveSessions()
	// Django's JSON has no NaN guarantee issue, but its session keys are
	// plain str; the shared sessions all fit.
	for sn, s := range sessions {
		t.Run("python-to-go/"+sn, func(t *testing.T) {
			resp := app.do(t, "POST", "/set", djangoNow(liveT), mustTV(t, s), nil)
			sc := setCookies(resp)
			if len(sc) != 1 {
				t.Fatalf("Set-Cookie %q", sc)
			}
			nv, attrs := cookieAttrs(sc[0])
			name, value, _ := strings.Cut(nv, "=")
			if name != django.SessionCookieName {
				t.Errorf("cookie name %q", name)
			}
			if attrs["path"] != django.SessionCookiePath || attrs["samesite"] != django.SessionCookieSameSite ||
				attrs["max-age"] != strconv.Itoa(int(django.DefaultSessionCookieAge/time.Second)) {
				t.Errorf("attributes %v differ from the package's defaults", attrs)
			}
			if _, ok := attrs["httponly"]; ok != django.SessionCookieHTTPOnly {
				t.Errorf("HttpOnly %v", ok)
			}
			if _, ok := attrs["secure"]; ok != django.SessionCookieSecure {
				t.Errorf("Secure %v", ok)
			}
			if want := liveT.Add(django.DefaultSessionCookieAge).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT"); attrs["expires"] != want {
				t.Errorf("expires %q, want %q", attrs["expires"], want)
			}
			var got any
			signed, err := codec.Decode(value, &got)
			if err != nil {
				t.Fatalf("Decode(%s): %v", value, err)
			}
			if d := testvec.Diff(s, got); d != "" {
				t.Error(d)
			}
			ours, err := codec.EncodeAt(s, signed)
			if err != nil {
				t.Fatal(err)
			}
			if value[0] != '.' && ours != value {
				t.Errorf("Encode:\n got %s\nwant %s", ours, value)
			}
		})
		t.Run("go-to-python/"+sn, func(t *testing.T) {
			cookie, err := codec.Encode(s)
			if err != nil {
				t.Fatal(err)
			}
			got := djangoRead(t, app, cookie, liveT.Add(time.Hour))
			if d := testvec.Diff(s, got); d != "" {
				t.Errorf("Django read %s: %s", cookie, d)
			}
		})
	}
	// Cookies that both sides refuse; Django starts an empty session.
	good, _ := codec.Encode(sessions["small"])
	other, _ := django.NewSessionCodec([]byte("other"), django.WithClock(func() time.Time { return liveT }))
	otherTok, _ := other.Encode(sessions["small"])
	refused := map[string]struct {
		cookie string
		now    time.Time
	}{
		"expired":   {good, liveT.Add(django.DefaultSessionCookieAge + time.Second/2)},
		"other key": {otherTok, liveT},
		"tampered":  {strings.Replace(good, "eyJ1", "eyJ2", 1), liveT},
	}
	for rn, r := range refused {
		t.Run("refused/"+rn, func(t *testing.T) {
			if _, err := codec.DecodeAt(r.cookie, nil, r.now); !errors.Is(err, django.ErrBadSignature) {
				t.Errorf("Go accepted it: %v", err)
			}
			h := djangoNow(r.now)
			h["Cookie"] = django.SessionCookieName + "=" + r.cookie
			var out struct {
				Session testvec.TV `json:"session"`
			}
			app.do(t, "GET", "/dump", h, nil, &out)
			got, _ := out.Session.Value()
			if d := testvec.Diff(map[string]any{}, got); d != "" {
				t.Errorf("Django kept the session: %s", d)
			}
		})
	}
	// A future cookie is fine for Django (no check), and for us.
	t.Run("future-accepted", func(t *testing.T) {
		if _, err := codec.DecodeAt(good, nil, liveT.Add(-time.Hour)); err != nil {
			t.Errorf("Go: %v", err)
		}
	})
}

func TestLiveDjangoSigning(t *testing.T) {
	app := startDjangoApp(t)
	key := []byte(djangoLiveKey)
	values := map[string]any{
		"dict":    py.Dict{{Key: "a", Value: int64(1)}, {Key: "b", Value: "\u00fc"}},
		"list":    []any{int64(1), "two", 3.5, nil, true},
		"large":   py.Dict{{Key: "items", Value: largeList(40)}},
		"unicode": "J\u00fcrgen \U0001f600 \u2028",
	}
	for _, compress := range []bool{false, true} {
		for _, salt := range []string{"", "my.salt"} {
			opts := []django.Option{django.WithClock(func() time.Time { return liveT })}
			if compress {
				opts = append(opts, django.WithCompress())
			}
			if salt != "" {
				opts = append(opts, django.WithSalt(salt))
			}
			s, err := django.NewSerializer(key, opts...)
			if err != nil {
				t.Fatal(err)
			}
			req := map[string]any{"compress": compress}
			if salt != "" {
				req["salt"] = salt
			}
			for vn, v := range values {
				name := vn + "/compress=" + strconv.FormatBool(compress) + "/salt=" + salt
				t.Run("dumps/go-to-python/"+name, func(t *testing.T) {
					tok, err := s.Dumps(v)
					if err != nil {
						t.Fatal(err)
					}
					for _, at := range []struct {
						after  time.Duration
						maxAge *float64
					}{{time.Minute, nil}, {10 * time.Second, ptr(10.0)}, {10500 * time.Millisecond, ptr(10.0)}, {-time.Hour, ptr(1.0)}} {
						q := map[string]any{"token": tok, "salt": req["salt"], "max_age": at.maxAge}
						var r djangoResult
						app.do(t, "POST", "/signing/loads", djangoNow(liveT.Add(at.after)), q, &r)
						var callOpts []django.CallOption
						callOpts = append(callOpts, django.At(liveT.Add(at.after)))
						if at.maxAge != nil {
							callOpts = append(callOpts, django.MaxAge(time.Duration(*at.maxAge*1e9)))
						}
						var got any
						_, goErr := s.Loads(tok, &got, callOpts...)
						checkDjangoError(t, goErr, r)
						if r.Error == "" {
							pv, err := testvec.TV(r.Value).Ordered()
							if err != nil {
								t.Fatal(err)
							}
							if d := testvec.Diff(v, pv); d != "" {
								t.Errorf("Django loads %s: %s", tok, d)
							}
						}
					}
				})
				t.Run("dumps/python-to-go/"+name, func(t *testing.T) {
					q := map[string]any{"value": mustTV(t, v), "compress": compress, "salt": req["salt"]}
					var r djangoResult
					app.do(t, "POST", "/signing/dumps", djangoNow(liveT), q, &r)
					var got any
					if _, err := s.Loads(r.Token, &got); err != nil {
						t.Fatalf("Loads(%s): %v", r.Token, err)
					}
					if d := testvec.Diff(v, got); d != "" {
						t.Error(d)
					}
					if ours, _ := s.Dumps(v); r.Token[0] != '.' && ours != r.Token {
						t.Errorf("Dumps:\n got %s\nwant %s", ours, r.Token)
					}
				})
			}
		}
	}
	// Signers, plain and timestamped, with other separators, salts and
	// algorithms. Django 3.2 also accepts legacy SHA-1 signatures, so does
	// the Go side WithLegacySHA1; Django 4 does not, and these tokens never
	// use one (TestLiveDjangoVersions covers that difference).
	signers := []struct {
		name      string
		timestamp bool
		q         map[string]any
		opts      []django.Option
	}{
		{"signer", false, map[string]any{}, nil},
		{"signer/sep-salt", false, map[string]any{"sep": "/", "salt": "s\u00e9"}, []django.Option{django.WithSeparator("/"), django.WithSalt("s\u00e9")}},
		{"signer/sha1", false, map[string]any{"algorithm": "sha1"}, []django.Option{django.WithAlgorithm("sha1")}},
		{"signer/sha512", false, map[string]any{"algorithm": "sha512"}, []django.Option{django.WithAlgorithm("sha512")}},
		{"timestamp", true, map[string]any{}, nil},
		{"timestamp/salt", true, map[string]any{"salt": "x"}, []django.Option{django.WithSalt("x")}},
	}
	for _, sg := range signers {
		opts := append([]django.Option{django.WithLegacySHA1(), django.WithClock(func() time.Time { return liveT })}, sg.opts...)
		var sign func(string) string
		var unsign func(string, time.Time, *float64) (string, error)
		if sg.timestamp {
			s, err := django.NewTimestampSigner(key, opts...)
			if err != nil {
				t.Fatal(err)
			}
			sign = s.Sign
			unsign = func(tok string, now time.Time, maxAge *float64) (string, error) {
				o := []django.CallOption{django.At(now)}
				if maxAge != nil {
					o = append(o, django.MaxAge(time.Duration(*maxAge*1e9)))
				}
				v, _, err := s.Unsign(tok, o...)
				return v, err
			}
		} else {
			s, err := django.NewSigner(key, opts...)
			if err != nil {
				t.Fatal(err)
			}
			sign = s.Sign
			unsign = func(tok string, _ time.Time, _ *float64) (string, error) { return s.Unsign(tok) }
		}
		for _, value := range []string{"hello", "J\u00fcrgen:a/b", ""} {
			t.Run(sg.name+"/"+value, func(t *testing.T) {
				// Python signs, Go re-creates and verifies.
				q := map[string]any{"value": value, "timestamp": sg.timestamp}
				for k, v := range sg.q {
					q[k] = v
				}
				var r djangoResult
				app.do(t, "POST", "/signer/sign", djangoNow(liveT), q, &r)
				if got := sign(value); got != r.Token {
					t.Errorf("Sign = %s, Django %s", got, r.Token)
				}
				// Go's token (and tampered or aged versions) through
				// Django's unsign, compared with Go's verdict.
				tok := sign(value)
				cases := []struct {
					tok    string
					after  time.Duration
					maxAge *float64
				}{
					{tok, 0, nil},
					{tok + "x", 0, nil},
					{strings.Replace(tok, value, value+"!", 1), 0, nil},
					{tok, 11500 * time.Millisecond, ptr(11.0)},
					{tok, 11 * time.Second, ptr(11.0)},
					{tok, -time.Hour, ptr(1.0)},
				}
				for _, c := range cases {
					q := map[string]any{"token": c.tok, "timestamp": sg.timestamp, "max_age": c.maxAge}
					for k, v := range sg.q {
						q[k] = v
					}
					var r djangoResult
					app.do(t, "POST", "/signer/unsign", djangoNow(liveT.Add(c.after)), q, &r)
					got, err := unsign(c.tok, liveT.Add(c.after), c.maxAge)
					checkDjangoError(t, err, r)
					if r.Error == "" {
						var want string
						json.Unmarshal(r.Value, &want)
						if got != want {
							t.Errorf("Unsign(%s) = %q, Django %q", c.tok, got, want)
						}
					}
				}
			})
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestLiveDjangoVersions asserts, against the peer set's Django, the
// behaviours that differ between Django 3.2 (Debian 12) and 4.2 (the
// current Debian release), and that the package's option for each version
// gives that version's answer:
//
//   - legacy SHA-1 signatures: Django 3.1 and 3.2 accept a SHA-1 signature
//     whatever the algorithm (WithLegacySHA1); Django 4.0 and later refuse it
//     (the default);
//   - SECRET_KEY_FALLBACKS: Django 4.1 and later verify with the fallback
//     keys (WithFallbackKeys) and sign with SECRET_KEY; Django 3.2 ignores
//     the setting, so an old key's cookie starts an empty session.
func TestLiveDjangoVersions(t *testing.T) {
	const oldKey = "django-old-secret"
	app := startDjangoAppWith(t, map[string]any{"SECRET_KEY": djangoLiveKey, "SECRET_KEY_FALLBACKS": []string{oldKey}})
	peers := pyoracle.Peers(t)
	key := []byte(djangoLiveKey)
	at := func() time.Time { return liveT }

	t.Run("legacy SHA-1 signature", func(t *testing.T) {
		sha1Signer, err := django.NewSigner(key, django.WithAlgorithm("sha1"), django.WithClock(at))
		if err != nil {
			t.Fatal(err)
		}
		tok := sha1Signer.Sign("hello")
		var r djangoResult
		app.do(t, "POST", "/signer/unsign", djangoNow(liveT), map[string]any{"token": tok}, &r)
		djangoAccepts := r.Error == ""
		if want := !peers.AtLeast("django", "4.0"); djangoAccepts != want {
			t.Errorf("Django %s accepts a SHA-1 signature of the sha256 signer: %v, want %v (%s %s)",
				peers.Version("django"), djangoAccepts, want, r.Error, r.Message)
		}
		for _, tt := range []struct {
			name   string
			opts   []django.Option
			accept bool
		}{
			{"default (Django 4)", nil, false},
			{"WithLegacySHA1 (Django 3.1, 3.2)", []django.Option{django.WithLegacySHA1()}, true},
		} {
			s, err := django.NewSigner(key, append(tt.opts, django.WithClock(at))...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Unsign(tok)
			if (err == nil) != tt.accept {
				t.Errorf("%s: Unsign = %v, want accepted %v", tt.name, err, tt.accept)
			}
			if tt.accept == djangoAccepts {
				t.Logf("%s matches Django %s", tt.name, peers.Version("django"))
			}
		}
	})

	t.Run("SECRET_KEY_FALLBACKS", func(t *testing.T) {
		fallbacks := peers.AtLeast("django", "4.1")
		session := py.Dict{{Key: "user", Value: "ana"}}
		old, err := django.NewSessionCodec([]byte(oldKey), django.WithClock(at))
		if err != nil {
			t.Fatal(err)
		}
		cookie, err := old.Encode(session)
		if err != nil {
			t.Fatal(err)
		}
		got := djangoRead(t, app, cookie, liveT)
		want := any(py.Dict{})
		if fallbacks {
			want = session
		}
		if d := testvec.Diff(want, got); d != "" {
			t.Errorf("Django %s reading a cookie of a fallback key: %s", peers.Version("django"), d)
		}
		// The Go side with the same settings reads it; Django signs with
		// SECRET_KEY, never a fallback, and so does Go.
		cur, err := django.NewSessionCodec(key, django.WithFallbackKeys([]byte(oldKey)), django.WithClock(at))
		if err != nil {
			t.Fatal(err)
		}
		var mine any
		if _, err := cur.Decode(cookie, &mine); err != nil {
			t.Errorf("WithFallbackKeys: Decode: %v", err)
		}
		resp := app.do(t, "POST", "/set", djangoNow(liveT), mustTV(t, session), nil)
		sc := setCookies(resp)
		if len(sc) != 1 {
			t.Fatalf("Set-Cookie %q", sc)
		}
		nv, _ := cookieAttrs(sc[0])
		_, value, _ := strings.Cut(nv, "=")
		signed, err := cur.Decode(value, &mine)
		if err != nil {
			t.Fatalf("Decode(%s): %v", value, err)
		}
		if ours, err := cur.EncodeAt(session, signed); err != nil || value[0] != '.' && ours != value {
			t.Errorf("Encode with fallbacks = %s, %v; Django wrote %s", ours, err, value)
		}
		if _, err := old.Decode(value, &mine); err == nil {
			t.Errorf("Django %s signed with the fallback key", peers.Version("django"))
		}
		// Signing tokens follow the same rule.
		oldSer, _ := django.NewSerializer([]byte(oldKey), django.WithClock(at))
		tok, err := oldSer.Dumps("x")
		if err != nil {
			t.Fatal(err)
		}
		var r djangoResult
		app.do(t, "POST", "/signing/loads", djangoNow(liveT), map[string]any{"token": tok}, &r)
		if (r.Error == "") != fallbacks {
			t.Errorf("Django %s signing.loads of a fallback key's token: %s %s, want accepted %v",
				peers.Version("django"), r.Error, r.Message, fallbacks)
		}
	})
}
