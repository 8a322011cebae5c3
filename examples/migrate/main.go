// Command migrate is a Go server in front of a Flask app, as when a Flask
// site moves to Go one route at a time. Go serves the routes under /go/
// itself and proxies every other request to Flask; both read and write the
// same Flask session cookie, so a user logged in on a Flask page is logged
// in on the Go pages, a logout on either side is a logout on both, and
// messages flashed on one side are shown on the other.
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

// newHandler returns the server: /go/ in Go, with the session middleware,
// and everything else proxied to the Flask app at flask.
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
	goRoutes := http.NewServeMux()
	goRoutes.HandleFunc("GET /go/profile", profile)
	goRoutes.HandleFunc("POST /go/logout", logout)

	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(flask)
		r.Out.Host = r.In.Host
		r.SetXForwarded()
	}}

	mux := http.NewServeMux()
	// Only the Go routes go through the session middleware: proxied
	// responses carry Flask's own Set-Cookie, which Go must not add to.
	mux.Handle("/go/", m.Handler(goRoutes))
	mux.Handle("/", proxy)
	return mux, nil
}

var profilePage = template.Must(template.New("profile").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Profile (Go)</title></head>
<body>
<h1>Profile</h1>
<ul id="flashes">{{range .Flashes}}<li class="{{.Category}}">{{.Message}}</li>{{end}}</ul>
{{if .User}}<p id="user">Logged in as {{.User}}</p>
<form method="post" action="/go/logout"><button type="submit">Log out</button></form>
{{else}}<p id="user">Not logged in</p> <a href="/login">Log in</a>{{end}}
<p><a href="/">Home (Flask)</a></p>
<footer>Served by Go</footer>
</body></html>
`))

// profile shows the user that logged in on the Flask side, and the
// messages flashed on either side.
func profile(w http.ResponseWriter, r *http.Request) {
	s := session.FromRequest(r)
	user, _ := s.Get("user")
	name, _ := user.(string)
	data := struct {
		User    string
		Flashes []session.Flash
	}{name, s.FlashedMessages()}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := profilePage.Execute(w, data); err != nil && !errors.Is(err, session.ErrSaveFailed) {
		log.Printf("migrate: profile: %v", err)
	}
}

// logout logs out on both sides, as the Flask app's own logout does
// (session.pop("user")), and flashes a message that the Flask page shows.
func logout(w http.ResponseWriter, r *http.Request) {
	s := session.FromRequest(r)
	s.Delete("user")
	s.Flash("info", "Logged out by Go")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
