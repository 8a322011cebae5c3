// Package flasklogin implements Flask-Login's login state for net/http
// handlers that share a Flask app's session (package session): Go
// handlers see the user a Flask page logged in, log users in and out so
// that Flask's current_user agrees, honour and write the remember-me
// cookie, and apply Flask-Login's session protection, so that a user who
// moves between Go and Flask pages is never logged in on one side and out
// on the other.
//
//	sessions, _ := session.New(c)                      // the Flask app's SECRET_KEY
//	logins, _ := flasklogin.New(secret, flasklogin.WithLoginView("/login"))
//	mux.Handle("GET /account", logins.LoginRequired(account))
//	http.ListenAndServe(addr, sessions.Handler(logins.Handler(mux)))
//
//	func account(w http.ResponseWriter, r *http.Request) {
//		id, _ := logins.CurrentUser(r)
//		...
//	}
//
// # Names
//
//	Flask-Login                             Go
//	LoginManager(app)                       New(secret, ...) and Manager.Handler
//	@login_manager.user_loader              WithUserLoader
//	current_user.get_id(), .is_authenticated Manager.CurrentUser(r)
//	login_user(user, remember, duration,
//	  fresh=False)                          Manager.LoginUser(r, id, Remember(), RememberFor(d), NotFresh())
//	logout_user()                           Manager.LogoutUser(r)
//	confirm_login()                         Manager.ConfirmLogin(r)
//	login_fresh()                           LoginFresh(r)
//	@login_required                         Manager.LoginRequired(h)
//	@fresh_login_required                   Manager.FreshLoginRequired(h)
//	login_manager.unauthorized()            Manager.Unauthorized(w, r)
//	login_manager.needs_refresh()           Manager.NeedsRefresh(w, r)
//	unauthorized_handler, needs_refresh_handler WithUnauthorizedHandler, WithNeedsRefreshHandler
//	login_url(view, next_url)               Manager.LoginURL(view, next)
//	login_view, refresh_view                WithLoginView, WithRefreshView
//	login_message(_category)                WithLoginMessage
//	needs_refresh_message(_category)        WithRefreshMessage
//	session_protection / SESSION_PROTECTION WithSessionProtection
//	_create_identifier()                    Identifier(r)
//	encode_cookie, decode_cookie            EncodeRememberCookie, DecodeRememberCookie
//	REMEMBER_COOKIE_NAME, _DURATION,
//	  _DOMAIN, _PATH, _SECURE, _HTTPONLY,
//	  _SAMESITE, _REFRESH_EACH_REQUEST      WithCookieName, WithCookieDuration, WithCookieDomain,
//	                                          WithCookiePath, WithCookieSecure, WithCookieHTTPOnly,
//	                                          WithCookieSameSite, WithRefreshEachRequest
//	USE_SESSION_FOR_NEXT, LOGIN_DISABLED    WithUseSessionForNext, WithLoginDisabled
//
// # Session keys
//
// LoginUser writes what login_user writes: "_user_id" (the ID as a str),
// "_fresh" (true), "_id" (Identifier: the hex SHA-512 of the repr of the
// client's address, the first X-Forwarded-For element when that header is
// present, and of its User-Agent), and with remember me "_remember": "set"
// and, with a duration, "_remember_seconds" (a float). Handler turns
// "_remember" into the cookie just before the session is saved, removing
// the key, as Flask-Login's after_request does. LogoutUser removes
// "_user_id", "_fresh" and "_id", and when the request has a remember
// cookie stores "_remember": "clear" (and drops "_remember_seconds"), so
// the response deletes the cookie.
//
// # Remember me
//
// The cookie (remember_token) is "<user id>|<hex HMAC-SHA512 of the id
// under SECRET_KEY>", set for REMEMBER_COOKIE_DURATION (365 days) with
// Werkzeug's attributes (Expires, HttpOnly, Path=/), byte for byte the
// header Flask-Login sends. When the session has no user, CurrentUser
// restores the login from a cookie that verifies (constant-time
// comparison) and stores it in the session, not fresh, as Flask-Login
// does. A forged, tampered or malformed cookie gives no login.
//
// # Session protection
//
// Before loading the user, a non-empty session whose "_id" differs from
// the request's identifier is, with ProtectionBasic (the default) or when
// the session is permanent, marked not fresh; with ProtectionStrong it
// loses Flask-Login's keys and its remember cookie. Flask-Login does not
// store "_id" when it restores a login from the remember cookie, so with
// strong protection the request after a restore logs the user out; this
// package does the same.
//
// # Versions
//
// Flask-Login 0.6.2 (Debian 12, with Werkzeug 2.2) and 0.6.3 (with
// Werkzeug 3.1) differ in login_url: 0.6.2 sorts the query and escapes
// with Werkzeug's url_encode, 0.6.3 keeps the order and escapes with
// urllib; and the "next" URL is request.url as each Werkzeug quotes it.
// WithVersion selects one (default 0.6.3). Everything else is the same,
// and the compat tests run both live.
//
// # Differences
//
// The user loader only says whether an ID is a user; the user object is
// the caller's to load. A user ID that a cookie cannot hold unquoted
// (allowed: letters, digits and !#$%&'*+-.^_`|~:) cannot be remembered
// (LoginUser returns ErrUserID; Flask would quote it, differently in
// Werkzeug 2.2 and 3.1). request.url escapes of non-ASCII bytes are left
// as they are where Werkzeug would decode them. Flask-Login's
// request_loader and header_loader have no counterpart.
package flasklogin
