package main

import (
	"github.com/flaskcookie/flaskcookie/audit"
)

// profSealed is what detect says of a sealed (Fernet) Flask cookie.
const profSealed = string(audit.FlaskSealed)

// detection is what the text of a cookie alone says about its format, in
// the CLI's profile names.
type detection struct {
	// prof is a profile name, profSealed, or "" when no format fits. For a
	// Django token it is django-session: only the key tells a session
	// from a signing.dumps token, whose salt differs.
	prof string
	// sure is false when another format fits as well: a Flask cookie
	// whose payload could be a Starlette one, a Django token.
	sure bool
}

// detect recognises the format of a cookie from its text with the audit
// engine's detection (audit.Detect), which holds the rules.
func detect(cookie string) detection {
	d := audit.Detect(cookie)
	switch d.Format {
	case audit.Itsdangerous:
		// An untimed serializer token: read as Flask's, whose layout it
		// shares but for the timestamp.
		return detection{prof: profFlask, sure: true}
	case audit.Flask:
		return detection{prof: profFlask, sure: !d.Fits(audit.Starlette)}
	}
	return detection{prof: string(d.Format), sure: d.Sure}
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
