// Package codec implements Flask's session cookie: the signed, timestamped
// cookie that Flask's default SecureCookieSessionInterface reads and writes,
// with Flask's tagged JSON inside.
//
// A Codec made with New and Flask's SECRET_KEY decodes the cookies a Flask
// app sets into Go values or structs, and encodes Go values into cookies the
// Flask app reads back with exactly the Python types it would have stored.
// For the same value and time, a cookie is byte-identical to Flask's,
// compressed or not: large sessions are compressed with a deflate that
// writes zlib's exact bytes (internal/zlib6).
//
// # Flask's settings
//
// The defaults are Flask's: a URL-safe timed serializer with the salt
// "cookie-session", HMAC key derivation and SHA-1 (DefaultSalt,
// DefaultKeyDerivation, DefaultDigest); tagged JSON with sorted keys and
// non-ASCII characters escaped, as Flask writes inside a request; a lifetime
// of 31 days (DefaultLifetime) checked on every read, as Flask passes
// PERMANENT_SESSION_LIFETIME as max_age for every cookie, permanent or not.
// A cookie signed in the future is refused, as itsdangerous 2 does. Salt,
// digest and key derivation can be changed for apps that change them.
//
// # Key rotation
//
// WithFallbackKeys is Flask's SECRET_KEY_FALLBACKS with the semantics of
// Flask 3.1.1 and later: the secret key signs, and verification tries the
// secret key, then the fallbacks from last to first. A fallback key never
// signs (Flask 3.1.0 signed with the last fallback, CVE-2025-47278).
//
// # Types
//
// Flask tags the Python types that JSON cannot hold. The generic form of a
// decoded session uses the value model of package py:
//
//	Flask tag  Python             Go
//	" t"       tuple              py.Tuple
//	" b"       bytes              []byte (standard, padded base64 in the cookie)
//	" m"       Markup             py.Markup
//	" u"       uuid.UUID          py.UUID
//	" d"       datetime           time.Time: an HTTP date, UTC, whole seconds
//	" di"      a one-key dict whose key is itself a tag key, escaped
//	           dict               map[string]any
//	           list               []any
//	           int, float, ...    int64 or *big.Int, float64, string, bool, nil
//
// A datetime's microseconds are dropped, as Flask drops them, and a
// datetime that Werkzeug cannot parse decodes to nil, as it does in Flask.
// Decoding into a struct follows encoding/json: json struct tags name the
// keys, and time.Time, []byte, py.UUID, py.Markup and py.Tuple fields map to
// the tags.
//
// As with encoding/json, keys the struct does not declare are dropped, so a
// session decoded into a struct and encoded again loses them: Flask-Login's
// _user_id, _fresh and _id, Flask-WTF's csrf_token, the flashed messages,
// whatever the Flask app stored. A Go handler that writes such a session
// back logs the user out. Keep them with a catch-all field tagged
// `json:",unknown"` (map[string]any or py.Dict; see package py), which
// receives every undeclared key and is written back beside the declared
// fields (ExampleCodec_Decode_unknownKeys). Tag time.Time fields omitzero
// (or use a *time.Time with omitempty): omitempty does not omit a zero
// time, which would add a key holding year 1 to sessions that had none.
//
// Flashed messages live under "_flashes" as a list of (category, message)
// tuples, and session.permanent as "_permanent": true; both travel like any
// other key.
//
// # Compatibility
//
// Proven against Flask 2.2.2 (Debian) by the vectors in testdata/flask,
// made by compat/gen_flask.py, and, where Python is present, by asking a
// live Flask to read the cookies made here. Flask 2.2 through 3.1 write the
// same cookies. Compressed cookies (large sessions, marked by a leading
// ".") are Flask's bytes too: the deflate is zlib 1.2's level 6, checked
// against Python's zlib.compress (internal/zlib6).
//
// # Security
//
// Flask's session cookie is signed, not encrypted: anyone can read it, as
// DecodeUnverified shows. NewSealed makes a codec whose cookies are sealed
// in a Fernet token instead (encrypted and authenticated), for Flask apps
// that install the matching session interface (compat/fernet_session);
// both codecs satisfy SessionCodec. Nothing is decoded before the signature verifies,
// except by DecodeUnverified. Sizes and nesting are bounded by the limits of
// package itsdangerous.
//
// # Limits
//
// Encode refuses, so that no cookie written here breaks the Flask app
// that reads it: a cookie longer than the maximum size (WithMaxCookieSize,
// MaxCookieSize by default; ErrTooLarge, a *SizeError), a value Flask's
// session cannot hold (ErrUnsupportedType), and a session nested deeper
// than MaxDepth JSON levels (ErrTooDeep), which Flask cannot save again
// inside a request, and Flask 3.1 not even load (measured live: Flask 2.2
// and 3.1 fail to save from 326 levels of lists or dicts, Flask 3.1 to load
// from 490; see MaxDepth). Decode accepts sessions nested up to
// itsdangerous.DefaultMaxDepth levels.
package codec
