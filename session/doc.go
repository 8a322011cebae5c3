// Package session implements Flask's cookie sessions for net/http handlers,
// so that Go handlers and a Flask (or Quart) app on the same site share
// one session: the same cookie, the same login, the same flashed messages.
//
// A Manager made with New from a codec.Codec (the Flask app's SECRET_KEY,
// fallbacks, lifetime and clock) is the middleware: its Handler loads the
// session cookie of each request and saves the session into the response
// exactly as Flask's SecureCookieSessionInterface does. Handlers reach the
// session with FromRequest.
//
//	c, _ := codec.New([]byte(os.Getenv("SECRET_KEY")))
//	m, _ := session.New(c, session.WithSameSite("Lax"))
//	http.ListenAndServe(addr, m.Handler(mux))
//
//	func profile(w http.ResponseWriter, r *http.Request) {
//		s := session.FromRequest(r)
//		user, ok := s.Get("user")
//		...
//	}
//
// # Names
//
// The Flask names map to Go as follows:
//
//	Flask                                   Go
//	session.get("k") / session["k"]         s.Get("k")
//	session["k"] = v                        s.Set("k", v)
//	session.setdefault("k", v)              s.SetDefault("k", v)
//	session.pop("k", None)                  s.Pop("k"), s.Delete("k")
//	session.clear()                         s.Clear()
//	"k" in session, len(session)            s.Has("k"), s.Len()
//	session.permanent (= True)              s.Permanent(), s.SetPermanent(true)
//	session.modified = True                 s.MarkModified()
//	session.accessed, session.modified      s.Accessed(), s.Modified()
//	flash(message, category)                s.Flash(category, message)
//	get_flashed_messages(with_categories=True,
//	  category_filter=[...])                s.FlashedMessages(categories...)
//	SESSION_COOKIE_NAME                     WithCookieName
//	SESSION_COOKIE_DOMAIN                   WithDomain
//	SESSION_COOKIE_PATH / APPLICATION_ROOT  WithPath
//	SESSION_COOKIE_HTTPONLY                 WithHTTPOnly
//	SESSION_COOKIE_SECURE                   WithSecure
//	SESSION_COOKIE_SAMESITE                 WithSameSite
//	SESSION_COOKIE_PARTITIONED (3.1)        WithPartitioned
//	SESSION_REFRESH_EACH_REQUEST            WithRefreshEachRequest
//	PERMANENT_SESSION_LIFETIME              codec.WithLifetime
//	SECRET_KEY, SECRET_KEY_FALLBACKS        codec.New, codec.WithFallbackKeys
//	open_session / save_session             Manager.Load / Manager.Save
//
// # Loading
//
// A missing cookie starts an empty session. So does a cookie that is
// tampered with, signed with an unknown key, older than the lifetime
// (checked for every cookie, permanent or not, as Flask does) or signed in
// the future; as in Flask, no error is reported and the bad cookie is left
// alone until the session is saved. A verified cookie whose payload cannot
// be loaded also gives an empty session, where Flask would answer 500:
// a request never fails because of its cookie.
//
// # Saving
//
// Save follows Flask's save_session (Flask 2.2.5 and later, and Debian's
// 2.2.2, which has the fix for CVE-2023-30861):
//
//   - a session that was accessed adds Vary: Cookie, merged with the Vary
//     values the handler set (Accept-Encoding, Cookie);
//   - an empty session that was modified deletes the cookie: the header
//     is Werkzeug's delete_cookie, name=; Expires=Thu, 01 Jan 1970
//     00:00:00 GMT; Max-Age=0, with the same Domain, Secure, HttpOnly, Path
//     and SameSite;
//   - otherwise the cookie is set when the session was modified, or when it
//     is permanent and refreshed on each request; a permanent session's
//     cookie expires at now plus the lifetime (Expires only, never
//     Max-Age), any other is a browser-session cookie.
//
// The Set-Cookie header is written here, not by http.SetCookie, with
// Werkzeug's attributes in Werkzeug's order: Domain, Expires, Max-Age,
// Secure, HttpOnly, Path, SameSite, Partitioned. For the same session,
// configuration and time it is byte for byte the header Flask sends (the
// compat tests compare them against a live Flask). The cookie is
// validated first (net/http's SetCookie would drop invalid bytes
// silently), and New refuses a name, domain, path or SameSite value that
// Werkzeug would refuse or rewrite.
//
// A session that cannot be encoded (a value Flask cannot hold, or a cookie
// over the codec's size limit) makes the request fail through the
// WithErrorHandler handler (500 by default), as Flask fails it.
//
// # Response writers
//
// The session is saved just before the response headers are written: on
// the handler's first WriteHeader, Write, ReadFrom, Flush or Hijack, or
// when it returns. Changes made later are lost, as they are in Flask. The
// writer handed to the handler implements http.Flusher and http.Hijacker
// and has an Unwrap method, so http.ResponseController works through it.
//
// # Flask versions
//
// The accessed flag follows Flask 2.2: Get, SetDefault, Permanent, Flash
// and every change count as an access; Has, Len and Keys do not, and
// neither does FlashedMessages when there are no messages. Flask 3.1
// counts any use of the session (in, len, iteration) as an access, so it
// sends Vary: Cookie in a few more cases; use Get where a response depends
// on the session. Flask 3.1's SECRET_KEY_FALLBACKS is the codec's
// WithFallbackKeys (the 3.1.1 semantics: the current key signs).
// Flask 3.1's SESSION_COOKIE_PARTITIONED is WithPartitioned.
//
// Quart (0.18.3, Debian) shares the cookie format, with differences that
// the compat tests pin down: it writes dict keys in insertion order rather
// than sorted and datetimes in ISO 8601 (which Flask, and this package,
// read as None, while Quart reads Flask's HTTP dates); it cannot read the
// " di" tag that escapes a one-key dict like {" t": 1}; its save_session
// deletes the cookie without the Secure, HttpOnly and SameSite attributes,
// adds Vary: Cookie only to a non-empty session, and counts pop and
// setdefault as changes even when they change nothing. The sessions each
// side writes are read by the other; this package behaves as Flask does.
//
// # Starlette and FastAPI
//
// NewStarlette makes a Manager for the session cookie of Starlette's
// SessionMiddleware (and so FastAPI's), from a starlette.Codec that holds
// the secret key and the cookie's attributes. Its sessions have the same
// methods, but are saved by Starlette's rules: a non-empty session is
// signed again and set on every response, a session that came in and was
// emptied is deleted with Starlette's "null" cookie, there is no Vary
// header and no modified tracking, and the keys keep their insertion order.
// The Set-Cookie headers are Starlette's, byte for byte (the compat tests
// compare them against a live Starlette app).
//
// # Gorilla
//
// SecureCookieCodec has the method set of gorilla/securecookie's Codec,
// so a gorilla/sessions CookieStore can read and write Flask's cookie
// without this package importing gorilla.
//
// # Security
//
// Flask's session cookie is signed, not encrypted: do not store secrets in
// it. The Manager and its sessions are safe for concurrent use.
package session
