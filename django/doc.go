// Package django implements the signed tokens of Django's
// django.core.signing module and the cookies of its signed_cookies session
// backend, byte for byte. Django 3.2 (Debian 12) and 4.2 (the current
// Debian release) are run and proven; 4.x drops the SHA-1 fallback and adds
// SECRET_KEY_FALLBACKS, both options here.
//
// A Django token is value ":" timestamp ":" signature, with the timestamp in
// base 62 and the signature an HMAC-SHA256 keyed with
// SHA256(salt ‖ "signer" ‖ SECRET_KEY):
//
//	s, _ := django.NewSerializer([]byte(secretKey))   // signing.dumps / loads
//	tok, _ := s.Dumps(map[string]any{"a": 1})
//	_, err := s.Loads(tok, &v, django.MaxAge(time.Hour))
//
// The signing is built on package itsdangerous (Django's salted_hmac is
// itsdangerous's "django-concat" key derivation); the errors are Django's
// own classes, not itsdangerous's.
//
// # Names
//
//	Django                                         Go
//	Signer(key, sep=..., salt=..., algorithm=...)  NewSigner(key, WithSeparator(...), WithSalt(...), WithAlgorithm(...))
//	TimestampSigner(key, salt=...)                 NewTimestampSigner(key, WithSalt(...))
//	sign / unsign(value, max_age=...)              Sign / Unsign(value, MaxAge(...))
//	signing.dumps(obj, key, salt, compress=True)   NewSerializer(key, WithSalt(...), WithCompress()).Dumps(v)
//	signing.loads(s, key, salt, max_age=...)       NewSerializer(key, WithSalt(...)).Loads(s, &v, MaxAge(...))
//	signed_cookies SessionStore save / load        NewSessionCodec(SECRET_KEY).Encode / Decode
//	set_signed_cookie / get_signed_cookie(name)    NewCookieSigner(SECRET_KEY, name, WithSalt(...)).Sign / Unsign
//	DEFAULT_HASHING_ALGORITHM = "sha1"             WithAlgorithm("sha1")
//	legacy SHA-1 signatures (3.1, 3.2)             WithLegacySHA1()
//	SECRET_KEY_FALLBACKS (4.1+)                    WithFallbackKeys(...)
//	SESSION_COOKIE_AGE                             WithSessionCookieAge(...)
//	time.time (the clock)                          WithClock(f), or At(t) for one call
//	BadSignature, SignatureExpired                 ErrBadSignature, ErrSignatureExpired
//
// Django's values, salts and separators are str: here they are Go strings
// (UTF-8). Keys may be str or bytes in Django: here they are []byte.
//
// # Compatibility
//
// Known-answer vectors made by Debian 12's Django 3.2.25 and the current
// Debian release's Django 4.2 (compat/gen_django.py;
// testdata/django/vectors.json and vectors-current.json) prove every
// operation: tokens are re-created byte for byte, and every
// token is accepted or refused with Django's class and message, including
// Django's quirks:
//
//   - signatures are compared as text, so only their canonical spelling
//     verifies (no base64 leniency, unlike itsdangerous);
//   - the age is a float (the clock's fraction counts), a token has expired
//     only when age > max_age, and a token signed in the future is accepted;
//   - an empty salt means the class's default salt;
//   - a validly signed payload is read as Latin-1 JSON.
//
// Compressed payloads are zlib streams written by a deflate that gives
// zlib.compress's exact bytes (internal/zlib6), so tokens made here are
// byte-identical to Django's, compressed or not.
//
// Django 3.1 and 3.2 also accept SHA-1 signatures whatever the algorithm;
// Django 4.0 dropped that, and so does this package unless WithLegacySHA1 is
// given; Django 4 also ignores the DEFAULT_HASHING_ALGORITHM setting of 3.1
// and 3.2 (signers default to SHA-256). Django 3.2 has no
// SECRET_KEY_FALLBACKS (added in 4.1); fallback keys are offered anyway,
// with 4.1's behaviour: they verify, the key signs. The live tests
// (compat/live_django_test.go, TestLiveDjangoVersions) assert both
// differences against each Django.
//
// # Security
//
// MACs are compared in constant time, and nothing is decoded before the MAC
// verifies. Tokens longer than WithMaxTokenSize are refused before any MAC
// is computed, payloads larger than WithMaxPayloadSize (after base64 and
// after decompression) and JSON nested deeper than WithMaxDepth are
// refused. The work is also bounded by the token's own length, with the
// rule of package itsdangerous (its DefaultMaxInflateRatio and
// DefaultMaxValuesPerByte): a compressed payload inflates to at most 64
// times its length in the token (64 KiB always allowed), and its JSON holds
// at most 2 values per byte of it (8192 always allowed); past either the
// error matches ErrMalformed and ErrTooLarge. No input panics. Signatures are not encryption: anyone can read
// a token's payload.
package django
