// Package csrf implements Flask-WTF's CSRF protection (flask_wtf.csrf:
// generate_csrf, validate_csrf and CSRFProtect) for net/http handlers that
// share a Flask app's session (package session), so that a form Flask
// rendered can be posted to Go and a form Go rendered can be posted to
// Flask, and the same bad tokens are refused on both sides with the same
// reason.
//
//	sessions, _ := session.New(c)
//	protect, _ := csrf.New(secret, csrf.WithExempt("/webhook"))
//	http.ListenAndServe(addr, sessions.Handler(protect.Handler(mux)))
//
//	// in a handler that renders a form:
//	tok, _ := protect.Token(r)
//	// <input type="hidden" name="csrf_token" value="{{.}}">
//
// # Names
//
//	Flask-WTF                               Go
//	generate_csrf()                         Protect.Token(r)
//	validate_csrf(data)                     Protect.Validate(r, data)
//	CSRFProtect(app)                        New(secret, ...) and Protect.Handler
//	CSRFProtect.protect()                   Protect.Check(r)
//	csrf.exempt(view or blueprint)          WithExempt(path, "prefix/"), WithExemptFunc
//	CSRFError (400), errorhandler           ReasonError, Reason(err), WithErrorHandler
//	WTF_CSRF_SECRET_KEY / SECRET_KEY        New(secret)
//	WTF_CSRF_FIELD_NAME                     WithFieldName
//	WTF_CSRF_HEADERS                        WithHeaders
//	WTF_CSRF_METHODS                        WithMethods
//	WTF_CSRF_TIME_LIMIT (None)              WithTimeLimit (0)
//	WTF_CSRF_SSL_STRICT                     WithSSLStrict
//	request.is_secure                       WithRequestIsSecure
//
// # Tokens
//
// The session holds the raw token under the field name ("csrf_token"): the
// hex SHA-1 of 64 random bytes. A form holds it signed by itsdangerous's
// URLSafeTimedSerializer with the secret and the salt "wtf-csrf-token", with
// the time of signing; Validate loads it with the time limit (3600 s by
// default; WithTimeLimit(0) is None, no limit) and compares it with the
// session's in constant time. Tokens signed here are byte for byte the ones
// Flask-WTF signs for the same raw token and second.
//
// # Refusals
//
// The errors are Flask-WTF's reasons, in its order: "The CSRF token is
// missing." (no token in the form field, a field ending with the field
// name, or the X-CSRFToken / X-CSRF-Token headers), "The CSRF session
// token is missing.", "The CSRF token has expired." (older than the
// limit, or signed in the future), "The CSRF token is invalid." (bad
// signature, or longer than MaxTokenSize), "The CSRF tokens do not
// match." (signed for another session), and on HTTPS with
// WTF_CSRF_SSL_STRICT "The referrer header is missing." and "The referrer
// does not match the host.". Handler answers them as Flask does: 400 Bad
// Request with Werkzeug's page showing the reason, byte for byte.
//
// # Versions
//
// Flask-WTF 1.1.1 (Debian 12) and 1.2.2 differ only in how a blueprint is
// exempted: 1.1.1 compares the blueprint's name with request.blueprint, so
// exempting a nested blueprint (request.blueprint "parent.child") does
// nothing; 1.2.2 looks the blueprint object up and exempts it. A path
// prefix given to WithExempt exempts every route under it, as 1.2.2 does
// (compat's TestLiveCSRFBlueprintExemptByVersion asserts each version's
// behaviour). Tokens, checks and reasons are the same, and the live compat
// tests run both. Neither has WTF_CSRF_TRUSTED_ORIGINS: the strict
// referrer check accepts only the request's own host.
//
// # Differences
//
// Flask checks only requests that reach a view (request.endpoint); Handler
// cannot know the routes, so it checks every request with an unsafe
// method that is not exempt. A raw token in the session that is not a
// string, which Flask-WTF never stores, is replaced by Token and makes
// Validate refuse (Flask fails with a TypeError). Go's form parser reads a
// body only for POST, PUT and PATCH.
package csrf
