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
//	list(session) / for k in session        s.Keys()
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
//	(Flask 2.2 or 3.1 installed)            WithFlaskVersion(Flask22 / Flask31)
//	app.logger                              WithLogger
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
// The cookie is read from the Cookie header as Werkzeug reads it (the
// first cookie of the name; quotes, escapes and white space by the rules
// of Werkzeug 2.2 or 3.1; RequestCookie reads any other cookie the same
// way), and verified and decoded on the first use of
// the session, with its age checked as of the start of the request. A
// request whose handler never uses the session pays for no decoding,
// unless the cookie may hold a permanent session that has to be
// refreshed: for Flask's default codec the payload is looked into for
// "_permanent" without verifying it (a cookie without it cannot be
// permanent, whether it verifies or not).
//
// A Manager remembers the sessions of the last cookies that verified (see
// WithDecodeCache): a browser sends the same cookie until the session
// changes, and the same cookie verifies the same way, so it is not
// verified and decoded again; its age is still checked on every request,
// and each request gets a session of its own.
//
// # Saving
//
// Save follows Flask's save_session (Flask 3.1, and Flask 2.2.5 and later
// or Debian's 2.2.2, which have the fix for CVE-2023-30861):
//
//   - a session that was accessed adds Vary: Cookie, merged with the Vary
//     values the handler set (Accept-Encoding, Cookie);
//   - an empty session that was modified deletes the cookie: the header
//     is Werkzeug's delete_cookie, name=; Expires=Thu, 01 Jan 1970
//     00:00:00 GMT; Max-Age=0, with the same Domain, Secure, HttpOnly,
//     Path, SameSite and Partitioned;
//   - otherwise the cookie is set when the session was modified, or when it
//     is permanent and refreshed on each request; a permanent session's
//     cookie expires at now plus the lifetime (Expires only, never
//     Max-Age), any other is a browser-session cookie.
//
// The Set-Cookie header is written here, not by http.SetCookie, with
// Werkzeug's attributes in Werkzeug's order: Domain, Expires, Max-Age,
// Secure, HttpOnly, Path, SameSite, Partitioned, and the Domain and Path
// written as the Werkzeug of the chosen Flask version writes them (see
// WithDomain, WithPath). For the same session, configuration and time it
// is byte for byte the header Flask sends (the compat tests compare them
// against a live Flask 3.1 and a live Flask 2.2). The cookie is validated
// first (net/http's SetCookie would drop invalid bytes silently), and New
// refuses a name, domain, path or SameSite value that Werkzeug would
// refuse, or write as a broken header.
//
// A session that cannot be encoded (a value Flask cannot hold, or a cookie
// over the codec's size limit) makes the request fail through the
// WithErrorHandler handler (500 by default), as Flask fails it, and is
// logged through WithLogger's logger (slog.Default() by default), with the
// largest key of a session that is too large.
//
// # Response writers
//
// The session is saved when the response starts. Up to BufferSize bytes of
// the body are held back until the handler returns, so that, as in Flask,
// which saves the session once the response is built, everything the
// handler did to the session counts, even after it wrote part of its body.
// A response that outgrows the buffer, or that the handler flushes or
// hijacks, starts early: the session is saved as it is then (later
// changes are lost, as in a streamed Flask response), and under Flask 3.1
// the response carries Vary: Cookie, since the handler may still read the
// session. The writer handed to the handler implements http.Flusher and
// http.Hijacker and has an Unwrap method, so http.ResponseController works
// through it.
//
// # Flask versions
//
// Where Flask releases differ, a Manager follows the one chosen with
// WithFlaskVersion: Flask31 (the default) or Flask22. Cookies are the same
// under both (and so are Quart's, below); what differs is:
//
//   - Vary: Cookie. Flask 3.1.3 (and Debian 13's 3.1.1+deb13u1, the fix
//     for CVE-2026-27205) marks the session accessed on any use of it, so
//     under Flask31 every Session method but Accessed and Modified counts:
//     Has ("k" in session), Len, Keys (iterating), Pop and Delete of a
//     missing key, FlashedMessages with no messages, MarkModified, as well
//     as Get, SetDefault, Permanent, Flash and every change. Flask 2.2
//     counts only Get, GetAs, SetDefault, Permanent, Flash and the
//     changes.
//   - The cookie's Domain: Werkzeug 3.1 drops a leading dot, cuts a port
//     and accepts a name without a dot (localhost); Werkzeug 2.2 keeps the
//     dot, cuts the port and refuses a name without a dot.
//   - The cookie's Path: Werkzeug 3.1 percent-encodes "[", "]", ";", "?",
//     "#", spaces and non-ASCII; Werkzeug 2.2 encodes spaces and
//     non-ASCII but keeps "[", "]", "?", "#" (and ";", which New refuses).
//   - SESSION_COOKIE_PARTITIONED (WithPartitioned) exists from Flask 3.1
//     on; New refuses it under Flask22.
//
// Both are proven by compat/live_http_test.go, which compares the
// Set-Cookie and Vary headers with a live Flask app over configurations ×
// session operations: under FLASKCOOKIE_PEERS=current (Flask 3.1.1+deb13u1,
// Werkzeug 3.1.3) with the default, under FLASKCOOKIE_PEERS=debian12
// (Flask 2.2.2, Werkzeug 2.2.2) with Flask22. Flask 3.1's
// SECRET_KEY_FALLBACKS is the codec's WithFallbackKeys (the 3.1.1
// semantics: the current key signs).
//
// Quart shares the cookie format. Quart 0.20 (with Flask 3.1) uses Flask's
// sessions and tagged JSON; the compat tests pin down its two differences
// from Flask 3.1.1+deb13u1: nothing marks its session accessed (Flask's
// request context does that now, Quart's does not), so it sends Vary:
// Cookie only with a Set-Cookie, and it writes no Partitioned attribute.
// Quart 0.18 (Debian 12) has its own: it writes dict keys in insertion
// order rather than sorted and datetimes in ISO 8601 (which Flask, and
// this package, read as None, while Quart reads Flask's HTTP dates); it
// cannot read the " di" tag that escapes a one-key dict like {" t": 1};
// its save_session deletes the cookie without the Secure, HttpOnly and
// SameSite attributes, adds Vary: Cookie only to a non-empty session, and
// counts pop and setdefault as changes even when they change nothing. The
// sessions each side writes are read by the other; this package behaves
// as Flask does.
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
