// Package gorilla shows that session.SecureCookieCodec fits gorilla/sessions'
// CookieStore, whose Codecs field is a []securecookie.Codec, without this
// module depending on gorilla: its test declares securecookie's Codec
// interface locally and checks the type against it.
//
// In an application that uses gorilla/sessions:
//
//	c, _ := codec.New([]byte(os.Getenv("SECRET_KEY")))
//	store := &sessions.CookieStore{
//		Codecs:  []securecookie.Codec{session.NewSecureCookieCodec(c)},
//		Options: &sessions.Options{Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode},
//	}
//	s, _ := store.Get(r, "session") // Flask's cookie, read
//	s.Values["user"] = "alice"      // Flask reads it back
//	_ = s.Save(r, w)
//
// gorilla writes the cookie with its own attributes (and http.SetCookie);
// use package session's middleware for Flask's exact Set-Cookie and Vary
// headers.
package gorilla
