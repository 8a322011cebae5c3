package main

import (
	"strings"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// profSealed is what detect says of a sealed (Fernet) Flask cookie.
const profSealed = "sealed"

// detection is what the text of a cookie alone says about its format.
type detection struct {
	// prof is a profile name, profSealed, or "" when no format fits. For a
	// Django token it is django-session: only the key tells a session
	// from a signing.dumps token, whose salt differs.
	prof string
	// sure is false when another format fits as well: a Flask cookie
	// whose payload could be a Starlette one, a Django token.
	sure bool
}

// detect recognises the format of a cookie from its text:
//
//   - sealed: a Fernet token (gAAAAA..., no '.');
//   - JWS: three '.'-separated parts, the first a JSON object with "alg",
//     the second JSON; timed when the header holds "exp";
//   - Django: PAYLOAD:TIMESTAMP:SIGNATURE, the timestamp in base 62, the
//     signature URL-safe base64 (the payload starts with '.' when
//     compressed);
//   - Starlette: PAYLOAD.TIMESTAMP.SIGNATURE whose payload is standard,
//     padded base64 (with '+', '/' or '=', or spaced JSON such as
//     json.dumps writes);
//   - Flask: PAYLOAD.TIMESTAMP.SIGNATURE with URL-safe base64 ('-', '_', a
//     leading '.' when compressed, no padding) and compact JSON.
func detect(cookie string) detection {
	c := strings.TrimSpace(cookie)
	if _, sealed, _ := sealedShape(c); sealed {
		return detection{prof: profSealed, sure: true}
	}
	if looksDjango(c) {
		return detection{prof: profDjangoSession}
	}
	if p := looksJWS(c); p != "" {
		return detection{prof: p, sure: true}
	}
	payload, _, _, ok := split3(c, '.')
	switch {
	case !ok:
		if strings.Contains(c, ".") {
			return detection{prof: profFlask, sure: true}
		}
		return detection{}
	case strings.HasPrefix(c, "."), strings.ContainsAny(payload, "-_"):
		return detection{prof: profFlask, sure: true}
	case strings.ContainsAny(payload, "+/="):
		return detection{prof: profStarlette, sure: true}
	case len(payload)%4 != 0:
		return detection{prof: profFlask, sure: true} // Starlette pads
	}
	raw, err := pybase64.DecodeStd(nil, []byte(payload))
	if err != nil || !utf8.Valid(raw) {
		return detection{prof: profFlask, sure: true}
	}
	switch jsonSpacing(raw) {
	case spaced:
		return detection{prof: profStarlette, sure: true}
	case compact:
		return detection{prof: profFlask, sure: true}
	}
	return detection{prof: profFlask}
}

// looksDjango reports a Django signed token: PAYLOAD:TIMESTAMP:SIGNATURE.
func looksDjango(c string) bool {
	_, ts, sig, ok := split3(c, ':')
	if !ok || ts == "" || len(ts) > 12 || sig == "" {
		return false
	}
	for i := 0; i < len(ts); i++ {
		if !isAlnum(ts[i]) {
			return false
		}
	}
	for i := 0; i < len(sig); i++ {
		if !isAlnum(sig[i]) && sig[i] != '-' && sig[i] != '_' {
			return false
		}
	}
	return true
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// looksJWS returns jws or jws-timed for a JWS token, else "".
func looksJWS(c string) string {
	parts := strings.Split(c, ".")
	if len(parts) != 3 {
		return ""
	}
	h, _, err := jwsHeader(c)
	if err != nil {
		return ""
	}
	if _, ok := h["alg"].(string); !ok {
		return ""
	}
	raw, err := pybase64.DecodeURLSafe(nil, []byte(parts[1]))
	if err != nil {
		return ""
	}
	if _, err := pyjson.Decode(raw, pyjson.Options{MaxDepth: itsdangerous.DefaultMaxDepth}); err != nil {
		return ""
	}
	if _, ok := h["exp"]; ok {
		return profJWSTimed
	}
	return profJWS
}

// spacing is how JSON text separates its items.
type spacing int

const (
	unknownSpacing spacing = iota // no separator outside strings: a scalar, one item
	spaced                        // whitespace outside strings: Python's json.dumps defaults
	compact                       // separators without whitespace: Flask's
)

// jsonSpacing tells how the JSON text b separates its items.
func jsonSpacing(b []byte) spacing {
	in, esc, sep := false, false, false
	for _, c := range b {
		switch {
		case in && esc:
			esc = false
		case in && c == '\\':
			esc = true
		case in && c == '"':
			in = false
		case in:
		case c == '"':
			in = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			return spaced
		case c == ',' || c == ':':
			sep = true
		}
	}
	if sep {
		return compact
	}
	return unknownSpacing
}

// detectHint is added to the messages of decode and unsign run with the
// Flask profile by default on a cookie that looks like another format's.
func detectHint(cookie string) string {
	d := detect(cookie)
	switch {
	case d.prof == profDjangoSession:
		return "; it looks like a Django signed token: add --profile django-session (a signed_cookies session) or --profile django (signing.dumps)"
	case d.sure && d.prof != profFlask && d.prof != profSealed && d.prof != "":
		return "; it looks like " + describeProfile(d.prof) + ": add --profile " + d.prof
	}
	return ""
}
