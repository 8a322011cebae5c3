package session_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/session"
)

// The clock of these examples: the time Flask made the cookies below.
func exampleClock() time.Time { return time.Unix(1700000000, 0) }

// Serve Go handlers with the session of a Flask app. The Set-Cookie header
// is the one Flask sends for session["user_id"] = 42.
func Example() {
	c, err := codec.New([]byte("dev-secret"), codec.WithClock(exampleClock))
	if err != nil {
		panic(err)
	}
	m, err := session.New(c)
	if err != nil {
		panic(err)
	}
	login := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromRequest(r).Set("user_id", 42)
		fmt.Fprintln(w, "logged in")
	}))

	rec := httptest.NewRecorder()
	login.ServeHTTP(rec, httptest.NewRequest("POST", "/login", nil))
	fmt.Println(rec.Header().Get("Set-Cookie"))
	fmt.Println(rec.Header().Get("Vary"))
	// Output:
	// session=eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM; HttpOnly; Path=/
	// Cookie
}

// Read the user a Flask app logged in.
func ExampleSession_Get() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(exampleClock))
	m, _ := session.New(c)
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := session.FromRequest(r).Get("user_id")
		fmt.Printf("%v %T %v\n", ok, id, id)
	}))
	req := httptest.NewRequest("GET", "/", nil)
	// Set by Flask for session["user_id"] = 42.
	req.Header.Set("Cookie", "session=eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM")
	h.ServeHTTP(httptest.NewRecorder(), req)
	// Output: true int64 42
}

// Show the messages flashed by flask.flash, once.
func ExampleSession_FlashedMessages() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(exampleClock))
	m, _ := session.New(c)
	req := httptest.NewRequest("GET", "/", nil)
	// Set by Flask for flash("Hello") on a permanent session.
	req.Header.Set("Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIkhlbGxvIl19XSwiX3Blcm1hbmVudCI6dHJ1ZX0.ZVPxAA.VD8nVcas4FnmNnhw972TP5w98uw")
	s := m.Load(req)
	for _, f := range s.FlashedMessages() {
		fmt.Println(f.Category, f.Message)
	}
	fmt.Println(len(s.FlashedMessages("error")), s.Has(session.FlashesKey))
	// Output:
	// message Hello
	// 0 false
}

// Log out: an emptied session deletes the cookie, as Flask does.
func ExampleSession_Clear() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(exampleClock))
	m, _ := session.New(c, session.WithSameSite("Lax"))
	s := session.NewSession(map[string]any{"user_id": 42})
	s.Clear()
	h := http.Header{}
	if err := m.Save(h, s); err != nil {
		panic(err)
	}
	fmt.Println(h.Get("Set-Cookie"))
	// Output: session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/; SameSite=Lax
}

// A permanent session's cookie expires after the lifetime, and is
// refreshed on every request.
func ExampleSession_SetPermanent() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(exampleClock))
	m, _ := session.New(c)
	s := session.NewSession(nil)
	s.SetPermanent(true)
	s.Set("x", 1)
	h := http.Header{}
	if err := m.Save(h, s); err != nil {
		panic(err)
	}
	fmt.Println(h.Get("Set-Cookie"))
	// Output: session=eyJfcGVybWFuZW50Ijp0cnVlLCJ4IjoxfQ.ZVPxAA.YeKPMFnKd9_5vKBUhy3bTkKHVZU; Expires=Fri, 15 Dec 2023 22:13:20 GMT; HttpOnly; Path=/
}

// Use Flask's cookie as a gorilla/sessions CookieStore codec:
// Codecs: []securecookie.Codec{session.NewSecureCookieCodec(c)}.
func ExampleSecureCookieCodec() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(exampleClock))
	g := session.NewSecureCookieCodec(c)
	values := map[interface{}]interface{}{"user_id": 42} // gorilla's Session.Values
	cookie, err := g.Encode("session", values)
	if err != nil {
		panic(err)
	}
	fmt.Println(cookie)
	back := map[interface{}]interface{}{}
	if err := g.Decode("session", cookie, &back); err != nil {
		panic(err)
	}
	fmt.Println(back["user_id"])
	// Output:
	// eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM
	// 42
}

// Match the Flask release of the app beside you: "k" in session sends
// Vary: Cookie in Flask 3.1 (the default), not in Flask 2.2. The Domain
// attribute differs too (Werkzeug 3 drops the leading dot).
func ExampleWithFlaskVersion() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(exampleClock))
	for _, v := range []session.FlaskVersion{session.Flask31, session.Flask22} {
		m, err := session.New(c, session.WithFlaskVersion(v), session.WithDomain(".example.com"))
		if err != nil {
			panic(err)
		}
		h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if session.FromRequest(r).Has("user_id") {
				fmt.Fprintln(w, "welcome back")
			}
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		fmt.Printf("%v: Vary %q\n", v, rec.Header().Get("Vary"))

		logout := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			session.FromRequest(r).Clear()
		}))
		rec = httptest.NewRecorder()
		logout.ServeHTTP(rec, httptest.NewRequest("GET", "/logout", nil))
		fmt.Printf("%v: %s\n", v, rec.Header().Get("Set-Cookie"))
	}
	// Output:
	// Flask 3.1: Vary "Cookie"
	// Flask 3.1: session=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/
	// Flask 2.2: Vary ""
	// Flask 2.2: session=; Domain=.example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/
}

// Log sessions that cannot be saved (here: too large for the cookie) with
// your own logger.
func ExampleWithLogger() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(exampleClock), codec.WithMaxCookieSize(100))
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "error" {
				return slog.Attr{} // a stable output for the example
			}
			return a
		},
	}))
	m, _ := session.New(c, session.WithLogger(logger))
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromRequest(r)
		s.Set("user_id", 42)
		s.Set("cart", []any{"0123456789abcdef", "fedcba9876543210", "0f1e2d3c4b5a6978", "8796a5b4c3d2e1f0"})
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	fmt.Println(rec.Code)
	// Output:
	// level=ERROR msg="session: session too large to save" cookie=session largest_key="\"cart\"" largest_key_bytes=86
	// 500
}
