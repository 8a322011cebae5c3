// Command flaskcookie decodes, encodes, inspects and audits Flask session
// cookies, exactly as Flask and itsdangerous read and write them.
//
//	flaskcookie decode  [--secret KEY] [--fallback-secret KEY]... [--max-age SECONDS]
//	                    [--salt SALT] [--format json|python|tagged] COOKIE
//	flaskcookie decode  --fernet-key KEY [--fernet-key KEY]... [--max-age SECONDS]
//	                    [--format json|python|tagged] COOKIE
//	flaskcookie encode  --secret KEY [--format json|python|tagged] [--timestamp UNIX] VALUE
//	flaskcookie encode  --fernet-key KEY [--fernet-key KEY]... [--format ...] [--timestamp UNIX] VALUE
//	flaskcookie inspect [--secret KEY | --fernet-key KEY...] [--profile NAME] COOKIE
//	flaskcookie unsign  --wordlist FILE|- [--threads N] [--literal] [--profile NAME] COOKIE
//	flaskcookie demo
//
// decode, encode, inspect and unsign take --profile flask (the default),
// starlette, django, django-session, jws or jws-timed for the signed
// cookies and tokens of other frameworks: Starlette's (and FastAPI's)
// SessionMiddleware, Django's signing.dumps tokens and signed_cookies
// sessions, and itsdangerous's JWS serializers (0.x to 2.0). Their value is
// plain JSON: --format json and python show it as for Flask, and --format
// tagged is the JSON text inside the cookie exactly as the framework wrote
// it (on encode, plain JSON). encode --compress (django) and --expires-in
// (jws-timed) complete them. inspect recognises every format from the
// cookie's text alone and names it; with --secret it shows whether the key
// verifies, and the value, signing time and age.
//
// Flask-Unsign's options (--decode, --sign, --unsign with --cookie,
// --secret, --wordlist, --salt, --legacy, --no-literal-eval) work as well.
//
// COOKIE is a bare cookie value, session=VALUE or a whole Cookie header;
// "-" reads it (or VALUE) from standard input. The exit status is 0 on
// success, 1 when a cookie is malformed, does not verify or has expired, a
// value cannot be encoded or no key is found (standard output is then
// empty and standard error holds one line), and 2 for usage errors.
//
// Sealed sessions, which a Flask app's session interface encrypts in a
// Fernet token (compat/fernet_session, codec.NewSealed), are read and
// written with --fernet-key (repeatable, newest first: the first key seals,
// all open, as MultiFernet). With --fernet-key, --max-age is Fernet's TTL:
// a cookie older than that, or sealed more than 60 seconds in the future,
// is refused, as the app refuses it for PERMANENT_SESSION_LIFETIME; without
// --max-age no time is checked. A sealed cookie cannot be decoded without
// its key (exit 1); inspect shows its public parts: version, timestamp,
// sizes. encode's sealed output is not reproducible: the IV is random.
//
// The formats, the JSON view of Python types and every flag are described
// by "flaskcookie help COMMAND".
package main
