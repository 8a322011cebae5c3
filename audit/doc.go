// Package audit finds the secret keys of signed session cookies and
// tokens, for security testers and for scanners that import it.
//
// Detect recognises the format of a token from its text alone: Flask's
// session cookie (signed or sealed), the other itsdangerous serializers
// with common salts, Starlette's and FastAPI's session cookie, Django's
// signing.dumps tokens, signed_cookies sessions and set_signed_cookie
// values, and itsdangerous's JWS tokens. NewTarget turns a token into the
// schemes (format, salt, digest, key derivation) that can have signed it,
// each checked by an itsdangerous.KeyTester, the fastest tester there is
// for it. A Fleet tests candidate secrets against many targets in one
// pass, deriving each candidate's key once per salt; Search and SearchKeys
// feed it a wordlist or a list of keys on every core. KnownSecrets are the
// public placeholder keys of framework docs, tutorials and templates,
// embedded in the package with their sources.
//
// Dissect takes a token of a format apart without a key (payload,
// timestamp, signature, JWS header), for tools that show it;
// SplitToken, PayloadText, ParseJWSHeader and TokenDigest are its pieces.
//
// Nothing is reported found unless the candidate's MAC verifies (compared
// in constant time). The empty secret is an ordinary candidate: an app that
// signs with an empty key is exactly what an audit must find.
//
// # Formats and schemes
//
//	Format          salt                                        key derivation, digest
//	flask           cookie-session                              HMAC, SHA-1
//	itsdangerous    CommonSalts and WithSalts                   django-concat, SHA-1
//	starlette       itsdangerous.Signer                         django-concat, SHA-1
//	django          django.core.signing (or WithSalts)          Django's salted_hmac, digest from the signature size
//	django-session  django.contrib.sessions.backends.signed_cookies   the same
//	django-cookie   <cookie name><salt>, django.contrib.messages  the same, key "django.http.cookies"+SECRET_KEY
//	jws, jws-timed  none (or WithSalts)                         none (salted: django-concat SHA-1), the header's HS256/384/512
//	sealed          (Fernet keys are random: not tested)
//
// # Security
//
// Tokens are attacker-controlled: Detect and NewTarget never panic and
// bound what they decode; messages quote the token's bytes.
package audit
