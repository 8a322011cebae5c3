// Command migrate is a Go server in front of a Flask app, as when a Flask
// site moves to Go one route at a time. Go serves the routes under /go/
// itself and proxies every other request to Flask; both read and write the
// same Flask session cookie, so a user logged in with Flask-Login on a
// Flask page is logged in on the Go pages (also through Flask-Login's
// remember cookie), a logout on either side is a logout on both, messages
// flashed on one side are shown on the other, and forms carry Flask-WTF's
// CSRF token whichever side rendered them.
//
// Run the Flask half (flaskapp/app.py) and this server with the same
// SECRET_KEY:
//
//	SECRET_KEY=change-me FLASK_PORT=5000 /usr/bin/python3 flaskapp/app.py
//	SECRET_KEY=change-me go run . -listen 127.0.0.1:8000 -flask http://127.0.0.1:5000
//
// and open http://127.0.0.1:8000/login.
package main

import (
	"errors"
	"flag"
	"html/template"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/csrf"
	"github.com/flaskcookie/flaskcookie/flasklogin"
	"github.com/flaskcookie/flaskcookie/session"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8000", "address to listen on")
	flaskURL := flag.String("flask", "http://127.0.0.1:5000", "URL of the Flask app")
	flag.Parse()
	secret := os.Getenv("SECRET_KEY")
	if secret == "" {
		log.Fatal("migrate: set SECRET_KEY to the Flask app's SECRET_KEY")
	}
	target, err := url.Parse(*flaskURL)
	if err != nil {
		log.Fatal(err)
	}
	h, err := newHandler([]byte(secret), target)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *listen, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("migrate: serving on http://%s, proxying to %s", *listen, target)
	log.Fatal(srv.ListenAndServe())
}

// newHandler returns the server: /go/ in Go, with the session, login and
// CSRF middleware, and everything else proxied to the Flask app at flask.
func newHandler(secret []byte, flask *url.URL) (http.Handler, error) {
	c, err := codec.New(secret)
	if err != nil {
		return nil, err
	}
	// The same cookie settings as the Flask app (SESSION_COOKIE_SAMESITE).
	m, err := session.New(c, session.WithSameSite("Lax"))
	if err != nil {
		return nil, err
	}
	// Flask-Login's LoginManager: login_view = "login".
	logins, err := flasklogin.New(secret, flasklogin.WithLoginView("/login"))
	if err != nil {
		return nil, err
	}
	// Flask-WTF's CSRFProtect, with the same SECRET_KEY.
	protect, err := csrf.New(secret)
	if err != nil {
		return nil, err
	}
	a := &app{logins: logins, csrf: protect}
	goRoutes := http.NewServeMux()
	goRoutes.Handle("GET /go/profile", logins.LoginRequired(http.HandlerFunc(a.profile)))
	goRoutes.Handle("POST /go/note", logins.LoginRequired(http.HandlerFunc(a.note)))
	goRoutes.HandleFunc("POST /go/logout", a.logout)

	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(flask)
		r.Out.Host = r.In.Host
		r.SetXForwarded()
	}}

	mux := http.NewServeMux()
	// Only the Go routes go through the middleware: proxied responses
	// carry Flask's own Set-Cookie, which Go must not add to.
	mux.Handle("/go/", m.Handler(logins.Handler(protect.Handler(goRoutes))))
	mux.Handle("/", proxy)
	return mux, nil
}

// app holds the Go routes' Flask-Login and Flask-WTF counterparts.
type app struct {
	logins *flasklogin.Manager
	csrf   *csrf.Protect
}

var profilePage = template.Must(template.New("profile").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Profile (Go)</title></head>
<body>
<h1>Profile</h1>
<ul id="flashes">{{range .Flashes}}<li class="{{.Category}}">{{.Message}}</li>{{end}}</ul>
<p id="user">Logged in as {{.User}}{{if not .Fresh}} (remembered){{end}}</p>
{{with .Note}}<p id="note">Your note: {{.}}</p>{{end}}
<form method="post" action="/go/note"><input type="hidden" name="csrf_token" value="{{.Token}}">
<input name="note" id="note-input"><button type="submit" id="go-note">Save note</button></form>
<form method="post" action="/go/logout"><input type="hidden" name="csrf_token" value="{{.Token}}">
<button type="submit" id="go-logout">Log out</button></form>
<p><a href="/">Home (Flask)</a></p>
<footer>Served by Go</footer>
</body></html>
`))

// profile shows the user that logged in on the Flask side (LoginRequired
// sends anyone else to Flask's login page, as @login_required does), the
// messages flashed on either side, and a form protected by Flask-WTF's
// token.
func (a *app) profile(w http.ResponseWriter, r *http.Request) {
	user, _ := a.logins.CurrentUser(r)
	token, err := a.csrf.Token(r)
	if err != nil {
		http.Error(w, "no CSRF token", http.StatusInternalServerError)
		return
	}
	s := session.FromRequest(r)
	note, _ := s.Get("note")
	data := struct {
		User, Token string
		Fresh       bool
		Note        any
		Flashes     []session.Flash
	}{user, token, flasklogin.LoginFresh(r), note, s.FlashedMessages()}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := profilePage.Execute(w, data); err != nil && !errors.Is(err, session.ErrSaveFailed) {
		log.Printf("migrate: profile: %v", err)
	}
}

// note receives the note form, whether Go or Flask rendered it: the CSRF
// middleware has already checked its token against the session.
func (a *app) note(w http.ResponseWriter, r *http.Request) {
	s := session.FromRequest(r)
	s.Set("note", r.PostFormValue("note"))
	s.Flash("info", "Note saved by Go")
	http.Redirect(w, r, "/go/profile", http.StatusSeeOther)
}

// logout logs out on both sides, as Flask-Login's logout_user does (which
// also deletes the remember cookie), and flashes a message that the Flask
// page shows.
func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	if err := a.logins.LogoutUser(r); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	session.FromRequest(r).Flash("info", "Logged out by Go")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
