// Package fernet implements Fernet tokens (version 0x80 of the Fernet
// specification, github.com/fernet/spec) on the standard library, as
// Python's cryptography.fernet reads and writes them.
//
// A token is the padded URL-safe base64 of
//
//	0x80 ‖ timestamp (8 bytes, big-endian Unix seconds) ‖ IV (16 bytes)
//	‖ AES-128-CBC ciphertext of the PKCS#7-padded message
//	‖ HMAC-SHA256 of everything before it (32 bytes)
//
// and a key is the padded URL-safe base64 of 32 bytes: the signing key,
// then the encryption key.
//
// # Names
//
//	Python (cryptography 38)               Go
//	Fernet.generate_key()                  NewKey, Key.String
//	Fernet(key)                            ParseKey, then New(key)
//	MultiFernet([Fernet(k1), Fernet(k2)])  New(k1, k2)
//	encrypt(data)                          Encrypt(data)
//	encrypt_at_time(data, t)               EncryptAt(data, t, nil)
//	_encrypt_from_parts(data, t, iv)       EncryptAt(data, t, iv)
//	decrypt(token, ttl=60)                 Decrypt(token, TTL(time.Minute))
//	decrypt_at_time(token, ttl, t)         Decrypt(token, TTL(ttl), At(t))
//	extract_timestamp(token)               ExtractTimestamp(token)
//	MultiFernet.rotate(token)              Rotate(token)
//	InvalidToken                           ErrInvalidToken (and *TimeError)
//	time.time, os.urandom                  WithClock, WithRandom
//
// # Key rotation
//
// A Fernet made with several keys is a MultiFernet: the first key
// encrypts, every key decrypts, tried in order. To rotate, put the new key
// first and keep the old ones until their tokens have expired or have been
// re-encrypted with Rotate, which keeps a token's timestamp.
//
// # Time
//
// The timestamp is checked only when Decrypt is given a TTL, as in Python:
// a token is refused when timestamp + TTL < now (older than the TTL) or
// now + MaxClockSkew < timestamp (more than 60 seconds in the future), all
// in whole seconds. Without a TTL any timestamp is accepted.
//
// # Compatibility
//
// Checked against the specification's test vectors and against Debian's
// python3-cryptography 38.0.4 both ways (the repository's compat and
// testdata/fernet directories). For every token and key, Go and Python
// accept the same and refuse the same, with these documented exceptions:
//
//   - Base64 is read as leniently as Python's urlsafe_b64decode reads it,
//     so that every token Python accepts is accepted: '+' and '/' may stand
//     for '-' and '_'; bytes outside the alphabet are skipped; '=' is
//     skipped where it cannot start a padding; what follows a complete
//     padding is ignored; non-zero trailing bits are ignored. Missing
//     padding is refused, as in Python. A token therefore has more than one
//     accepted spelling, all of the same bytes; the MAC covers the bytes, so
//     this gives no way to forge one. StrictBase64 accepts only the
//     canonical spelling.
//   - A token holding a non-ASCII character is refused with
//     ErrInvalidToken; Python raises ValueError for such a str.
//   - A token's MAC is checked before its timestamp (Python checks the time
//     first). The outcome is the same, but only an authentic token gives a
//     *TimeError.
//   - Timestamps after year 292277026596, which only a hand-made token can
//     hold, are reported as that year (Python's integers have no limit).
//     The TTL check itself is exact.
//
// # Security
//
// The MAC is verified in constant time before anything is decrypted, so a
// forged or altered token is refused without touching the ciphertext, and
// every refusal is the same ErrInvalidToken: there is no padding oracle.
// Untrusted tokens never cause a panic. IVs come from crypto/rand; the
// fixed IV of EncryptAt is for known-answer tests only. A Fernet is
// immutable and safe for concurrent use.
package fernet
