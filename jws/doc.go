// Package jws implements the JSON Web Signature tokens of Python's
// itsdangerous 0.x to 2.0 (JSONWebSignatureSerializer and
// TimedJSONWebSignatureSerializer), byte for byte.
//
// itsdangerous 2.1 removed these classes, so applications that still hold
// such tokens (password-reset links, API tokens) can no longer read them in
// current Python; this package reads and writes them in Go.
//
// A token is base64url(header) "." base64url(payload) "." base64url(MAC),
// with compact JSON (raw UTF-8, keys in insertion order) in both parts:
//
//	s, _ := jws.New([]byte("secret-key"))
//	tok, _ := s.Dumps(map[string]any{"user_id": 42})
//	// eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyX2lkIjo0Mn0.htU4o83t…
//
//	var v map[string]any
//	header, err := s.Loads(tok, &v)
//
// # Names
//
//	Python                                          Go
//	JSONWebSignatureSerializer(key)                 New(key)
//	TimedJSONWebSignatureSerializer(key,            NewTimed(key, WithExpiresIn(d))
//	  expires_in=...)
//	JSONWebSignatureSerializer([old, new])          New(new, WithFallbackKeys(old))
//	algorithm_name="HS256"                          WithAlgorithm(HS256)
//	algorithm_name="none"                           WithUnsafeNoneAlgorithm()
//	salt=...                                        WithSalt(...)
//	dumps(obj, salt=..., header_fields={...})       Dumps(v, Salt(...), HeaderFields(...))
//	loads(s, salt=..., return_header=True)          Loads(s, &v, Salt(...)) (the header is returned)
//	get_issue_date(header)                          IssuedAt(header)
//	BadSignature, BadHeader, BadPayload,            itsdangerous.ErrBadSignature, ErrBadHeader,
//	  SignatureExpired                                itsdangerous.ErrBadPayload, itsdangerous.ErrSignatureExpired
//
// # Keys and salts
//
// Without a salt (the default) the secret key is the HMAC key as it is, so
// the tokens are standard JWS that any JWS library verifies with the same key
// and algorithm. With a salt the HMAC key is SHA-1(salt ‖ "signer" ‖ key),
// as itsdangerous derives it. As in itsdangerous 2.0, fallback keys verify
// and the current key signs.
//
// # Compatibility
//
// The MACs are computed with github.com/golang-jwt/jwt/v5's HS256, HS384 and
// HS512 signing methods, inside an itsdangerous.Signer that splits the token
// and compares MACs in constant time. Vectors made by the real itsdangerous
// 2.0.1 (and replayed on 1.1.0, with identical results) prove the format:
// the spec's example tokens are re-created byte for byte, and every accepted
// and refused token gets the class of error Python gives, in Python's order
// of checks. Two exceptions escape Python's error classes: an "exp" of null,
// a list or a dict raises TypeError, an infinite "exp" OverflowError; here
// both are ErrBadHeader. Python's int() accepts the decimal digits of every
// script in a string "exp"; this package only ASCII digits.
//
// As in itsdangerous, base64 in all three parts is decoded leniently (padding,
// '+' and '/' are accepted, junk characters are skipped), so a signature has
// more than one accepted spelling.
//
// # Security
//
// The algorithm is pinned: a serializer verifies with the algorithm it was
// made with, and refuses a token whose "alg" header names another one
// (ErrBadHeader, "Algorithm mismatch"), so a token cannot choose its own
// algorithm. "none" (no signature at all) is only available through the
// loudly named WithUnsafeNoneAlgorithm. Nothing is decoded before the MAC
// verifies; tokens longer than WithMaxTokenSize and JSON nested deeper than
// WithMaxDepth are refused. No input panics.
//
// The expiry of a timed token is in its signed header; a token has no
// other age limit. Signatures are not encryption: anyone can read a token.
package jws
