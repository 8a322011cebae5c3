package audit

import (
	"errors"
	"fmt"
	"strings"
)

// HashcatMode is hashcat's mode for Flask session cookies: "Flask Session
// Cookie ($salt.$salt.$pass)", whose hash line is the cookie itself,
// PAYLOAD.TIMESTAMP.SIGNATURE (hashcat 6.2.6: hashcat --example-hashes -m
// 29100). It checks Flask's defaults only: salt cookie-session, HMAC key
// derivation, SHA-1.
const HashcatMode = 29100

// ErrHashcat is matched (errors.Is) by every error of HashcatLine: hashcat
// cannot take the token.
var ErrHashcat = errors.New("audit: hashcat cannot take this token")

// HashcatLine returns the line hashcat's mode HashcatMode takes for a
// Flask session cookie, for searches on GPUs, or an error matching
// ErrHashcat that says why hashcat cannot take the token: another format,
// or a compressed cookie, whose leading '.' hashcat 6.2.6's mode refuses
// (Search handles those).
func HashcatLine(token string) (string, error) {
	d := Detect(token)
	why := ""
	switch {
	case d.Format == "":
		why = "it fits no known format"
	case d.Format != Flask:
		why = fmt.Sprintf("hashcat has no mode for %s; only Flask session cookies (mode %d): use unsign", d.Format.Describe(), HashcatMode)
	case strings.HasPrefix(token, "."):
		// hashcat 6.2.6's module_29100 refuses a leading '.' (its
		// tokenizer wants three non-empty base64 fields).
		why = fmt.Sprintf("the cookie is compressed (it starts with '.'), which hashcat's mode %d refuses: use unsign", HashcatMode)
	case strings.Count(token, ".") != 2:
		why = fmt.Sprintf("hashcat's mode %d wants PAYLOAD.TIMESTAMP.SIGNATURE", HashcatMode)
	default:
		return token, nil
	}
	return "", &reasonError{kind: ErrHashcat, msg: why}
}
