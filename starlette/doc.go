// Package starlette implements the session cookie of Starlette's
// SessionMiddleware, which FastAPI uses too, byte for byte: a Go service
// can read and write the sessions of a Starlette or FastAPI app that shares
// its secret key.
//
// The cookie is itsdangerous's TimestampSigner (with its defaults) over the
// standard, padded base64 of json.dumps(session):
//
//	eyJ1c2VyX2lkIjogNDJ9.ZVPxAA.<signature>     {"user_id": 42}
//
//	c, _ := starlette.New([]byte(secretKey))
//	var session map[string]any
//	_, err := c.Decode(cookieValue, &session)
//	value, _ := c.Encode(session)
//	header := c.Cookie().SetCookie(value)       // for a Set-Cookie header
//
// # Names
//
//	Starlette                                    Go
//	SessionMiddleware(app, secret_key=k)         New(k)
//	secret_key=b"k" (signs with str(b"k"))       New(PythonBytesKey([]byte("k")))
//	max_age=14*24*3600 / max_age=None            WithMaxAge(d) / WithoutMaxAge()
//	session_cookie, path, same_site, https_only  WithCookieName, WithPath, WithSameSite, WithHTTPSOnly
//	domain (Starlette 0.32+)                     WithDomain
//	request.session after the middleware read it Decode(cookie, &v)
//	the cookie written on each response          Encode(v), Cookie().SetCookie(value)
//	the cookie written when a session is cleared Cookie().ClearCookie()
//
// # Compatibility
//
// Proven against Starlette 0.26.1 (Debian 12) with itsdangerous 2.1.2 and
// Starlette 0.46.1 (the current Debian release) with itsdangerous 2.2.0:
// vectors made by driving the real SessionMiddleware in-process
// (compat/gen_starlette.py, the same under both) are re-created byte for
// byte, Set-Cookie headers included, and a live Starlette app reads the
// cookies made here and the other way round (compat/live_starlette_test.go).
// The one difference between the two versions is the domain argument that
// Starlette 0.32 added (WithDomain), asserted live by version.
//
// The JSON is Python's json.dumps with its defaults: separators ", " and
// ": ", non-ASCII characters escaped as \uXXXX, keys in insertion order.
// So that a session read here is written back exactly as Starlette would,
// decoding into a *any gives a py.Dict, which keeps the order.
//
// Reading follows Starlette: an expired cookie, one signed in the future
// (itsdangerous 2.x; Starlette running on itsdangerous 1.x accepted these)
// or with a bad signature gives an error matching
// itsdangerous.ErrBadSignature, for which the middleware starts an empty
// session. Starlette does not catch a validly signed payload that is not
// base64 or JSON (the request fails); here that is itsdangerous.ErrBadPayload.
// As Python's json.loads does on bytes, UTF-8 with a byte order mark, UTF-16
// and UTF-32 payloads are read too.
//
// # Security
//
// The cookie is signed, not encrypted: anyone can read the session. The
// signature is compared in constant time and nothing is decoded before it
// verifies; the cookie size, the decoded size and the JSON nesting are
// bounded. No input panics.
package starlette
