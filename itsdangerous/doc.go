// Package itsdangerous implements the signed token formats of Python's
// itsdangerous 2.x library, byte for byte: Signer, TimestampSigner and the
// Serializer, TimedSerializer, URLSafeSerializer and URLSafeTimedSerializer
// classes (the last one is what Flask's session cookie is made of).
//
// A token made here verifies in Python, and a token made by Python verifies
// here, with the same classes of failure. Known-answer vectors produced by
// the real itsdangerous 2.1.2 prove it (see the repository's compat and
// testdata directories).
//
// # Names
//
// The Go names map to Python's as follows:
//
//	Python                                   Go
//	Signer(key, salt=..., sep=...)           NewSigner(key, WithSalt(...), WithSeparator(...))
//	Signer([old, new])                       NewSigner(new, WithFallbackKeys(old))
//	key_derivation="hmac"                    WithKeyDerivation(HMACDerive)
//	digest_method=hashlib.sha256             WithDigest(sha256.New)
//	algorithm=NoneAlgorithm()                WithAlgorithm(UnsafeNoneAlgorithm)
//	sign / unsign / validate                 Sign / Unsign / Validate
//	TimestampSigner.unsign(max_age=10,       TimestampSigner.Unsign(tok, MaxAge(10*time.Second))
//	  return_timestamp=True)                   (the signing time is always returned)
//	URLSafeTimedSerializer(key, salt)        NewURLSafeTimedSerializer(key, WithSalt(salt))
//	dumps(obj, salt=...)                     Dumps(v, Salt(...))
//	  (into a buffer, e.g. a header)           AppendDumps(dst, v, ...)
//	loads(s, max_age=..., salt=...)          Loads(s, &v, MaxAge(...), Salt(...))
//	loads_unsafe(s)                          LoadsUnsafe(s, &v)
//	fallback_signers=[{"digest_method": h}]  WithFallbackSigner(WithDigest(h))
//	serializer=json                          WithPayloadFormat(JSON)
//	time.time (the clock)                    WithClock(f), or At(t) for one call
//	BadData, BadSignature, ...               ErrBadData, ErrBadSignature, ... and *Error
//	(a key search, Flask-Unsign's loop)      NewKeyTester(token, opts...).Test(candidate)
//
// Secrets, salts and separators are bytes; a Python str means its UTF-8
// encoding, so []byte("secret") is the Go spelling of "secret".
//
// # Key rotation
//
// A signer or serializer has one current key, which signs, and any number of
// fallback keys, which only verify. Verification tries the current key
// first, then the fallbacks from newest to oldest. This is Python's key list
// [oldest, ..., newest], and Flask's SECRET_KEY with SECRET_KEY_FALLBACKS
// (3.1.1 and later).
//
// # Errors
//
// Every failure matches ErrBadData. The sentinels follow Python's classes:
// ErrBadSignature (and below it ErrBadTimeSignature and ErrSignatureExpired)
// when a token does not verify or has expired, ErrBadPayload when a verified
// payload cannot be decoded. Use errors.Is to test for a class and errors.As
// with *Error to read the signing time. The unverified value of a token that
// fails is never returned, except by the loudly named LoadsUnsafe.
//
// # Compatibility
//
// Base64 in signatures, timestamps and payloads is decoded as leniently as
// Python does it, so that every token Python accepts is accepted here: '+'
// and '/' may stand for '-' and '_', '=' padding may be present, bytes
// outside the alphabet are skipped, trailing bits may be non-zero, and what
// follows a complete padding is ignored. So a signature has more than one
// accepted spelling. WithStrictBase64 accepts only the canonical, unpadded
// URL-safe spelling that itsdangerous writes.
//
// JSON is written exactly as Python's json module writes it (separators,
// \uXXXX escapes with lowercase hex, float repr, NaN and Infinity, integers
// of any size) and read as Python reads it.
//
// Compressed payloads are zlib streams, written by a deflate that gives
// zlib.compress's exact bytes (level 6, internal/zlib6), so tokens are
// byte-identical to Python's, compressed or not. As in Python, a payload is
// compressed only when that saves at least two bytes.
//
// itsdangerous 0.24 and older counted timestamps from 2011-01-01; such
// tokens are read with WithLegacyEpoch.
//
// # Security
//
// MACs are compared in constant time, and nothing is decoded before the MAC
// verifies. Untrusted input is bounded: a token longer than
// DefaultMaxTokenSize (WithMaxTokenSize) is refused before any MAC is
// computed, a payload is never inflated past DefaultMaxPayloadSize
// (WithMaxPayloadSize), and JSON nesting stops at DefaultMaxDepth
// (WithMaxDepth). Since a zlib stream inflates about 1000 times, the work is
// also bounded by the token's own length, with or without a key (LoadsUnsafe
// and codec.DecodeUnverified included): a compressed payload inflates to at
// most DefaultMaxInflateRatio (64) times the length of its text in the token,
// with MinInflateLimit (64 KiB) always allowed (WithMaxInflateRatio), and
// the JSON value built holds at most DefaultMaxValuesPerByte (2) values per
// byte of that text, with MinMaxValues (8192) always allowed (WithMaxValues).
// Real sessions compress 2 to 50 times, and a value costs at most a few
// hundred bytes to build, so decoding a 4 KB cookie allocates at most a few
// MB (fuzz/limits_test.go measures it). Python has none of these limits: a
// verified token past one fails here with ErrBadPayload. Such refusals also
// match ErrTooLarge. No input panics.
//
// An empty secret key, current or fallback, is refused by every
// constructor (ErrEmptyKey, a configuration error), although Python accepts
// one: anyone can sign with the empty key, so a fallback read from an unset
// environment variable would verify forgeries. WithUnsafeEmptyKeys lets it
// through for tools that forge for an application really using it; a key
// search tries the empty key as a candidate through a KeyTester.
//
// Signatures are not encryption: anyone can read a token's payload.
package itsdangerous
