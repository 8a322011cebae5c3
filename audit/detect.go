package audit

import (
	"strings"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// A Format is a kind of signed (or sealed) token. Its value is the name
// the command line's --profile gives it.
type Format string

// The formats Detect recognises.
const (
	// Flask is Flask's session cookie: itsdangerous's URLSafeTimedSerializer
	// with salt "cookie-session", HMAC key derivation and SHA-1.
	Flask Format = "flask"
	// FlaskSealed is a sealed Flask session (a Fernet token). Its keys are
	// random 32-byte keys, not secrets people choose: it is recognised but
	// not tested.
	FlaskSealed Format = "sealed"
	// Itsdangerous is a token of itsdangerous's URL-safe serializers
	// (timed or not) made with a salt of their own: password-reset and
	// confirmation links, Flask-WTF CSRF tokens. It has a Flask cookie's
	// shape; the salts tried are CommonSalts and WithSalts.
	Itsdangerous Format = "itsdangerous"
	// Starlette is Starlette's (and FastAPI's) SessionMiddleware cookie.
	Starlette Format = "starlette"
	// Django is a django.core.signing.dumps token.
	Django Format = "django"
	// DjangoSession is a cookie of Django's signed_cookies session backend.
	DjangoSession Format = "django-session"
	// DjangoCookie is a value of HttpResponse.set_signed_cookie (read back
	// by HttpRequest.get_signed_cookie): VALUE:TIMESTAMP:SIGNATURE signed
	// with the salt "<cookie name><salt>" and the key
	// "django.http.cookies" + SECRET_KEY. The Django messages framework's
	// cookie storage signs the same way with the salt
	// "django.contrib.messages".
	DjangoCookie Format = "django-cookie"
	// JWS is itsdangerous's JSONWebSignatureSerializer (itsdangerous < 2.1).
	JWS Format = "jws"
	// JWSTimed is itsdangerous's TimedJSONWebSignatureSerializer.
	JWSTimed Format = "jws-timed"
)

// Formats lists every format, in the order help texts give them.
var Formats = []Format{Flask, FlaskSealed, Itsdangerous, Starlette, Django, DjangoSession, DjangoCookie, JWS, JWSTimed}

// Describe says in a few words what tokens of format f are.
func (f Format) Describe() string {
	switch f {
	case Flask:
		return "a Flask session cookie"
	case FlaskSealed:
		return "a sealed Flask session cookie (a Fernet token)"
	case Itsdangerous:
		return "an itsdangerous URL-safe serializer token"
	case Starlette:
		return "a Starlette session cookie (SessionMiddleware, FastAPI too)"
	case Django:
		return "a Django signed token (django.core.signing.dumps)"
	case DjangoSession:
		return "a Django session cookie (the signed_cookies session backend)"
	case DjangoCookie:
		return "a Django signed cookie value (set_signed_cookie)"
	case JWS:
		return "an itsdangerous JWS token (JSONWebSignatureSerializer)"
	case JWSTimed:
		return "an itsdangerous timed JWS token (TimedJSONWebSignatureSerializer)"
	}
	return "a token of no known format"
}

// Framework names what reads the tokens of format f.
func (f Format) Framework() string {
	switch f {
	case Starlette:
		return "Starlette"
	case Django, DjangoSession, DjangoCookie:
		return "Django"
	case JWS, JWSTimed, Itsdangerous:
		return "itsdangerous"
	}
	return "Flask"
}

// A Detection is what the text of a token alone says about its format.
type Detection struct {
	// Format is the most likely format, or "" when none fits.
	Format Format
	// Sure is false when other formats fit the text as well (listed in
	// Also): only a key tells them apart.
	Sure bool
	// Also lists the other formats that fit, most likely first.
	Also []Format
}

// Fits reports whether f is the detected format or one of the others
// that fit.
func (d Detection) Fits(f Format) bool {
	if d.Format == f && f != "" {
		return true
	}
	for _, g := range d.Also {
		if g == f {
			return true
		}
	}
	return false
}

// Detect recognises the format of a token from its text (surrounding
// whitespace ignored); it checks no signature:
//
//   - sealed: a Fernet token (gAAAAA..., no '.');
//   - JWS: three '.'-separated parts, the first a JSON object with "alg",
//     the second JSON; timed when the header holds "exp";
//   - Django: PAYLOAD:TIMESTAMP:SIGNATURE, the timestamp in base 62, the
//     signature URL-safe base64. A payload of base64 JSON (with a leading
//     '.' when compressed) is a signing.dumps token or a signed_cookies
//     session (only the key's salt tells which); any other payload is a
//     set_signed_cookie value;
//   - Starlette: PAYLOAD.TIMESTAMP.SIGNATURE whose payload is standard,
//     padded base64 (with '+', '/' or '=', or spaced JSON such as
//     json.dumps writes);
//   - Flask: PAYLOAD.TIMESTAMP.SIGNATURE with URL-safe base64 ('-', '_', a
//     leading '.' when compressed, no padding) and compact JSON. Such a
//     token may also be another itsdangerous serializer's, with its own
//     salt (Also holds Itsdangerous).
func Detect(token string) Detection {
	c := strings.TrimSpace(token)
	if !strings.Contains(c, ".") {
		if _, err := fernet.ParseUnverified(c); err == nil {
			return Detection{Format: FlaskSealed, Sure: true}
		}
	}
	if payload, ok := looksDjango(c); ok {
		if djangoJSON(payload) {
			return Detection{Format: DjangoSession, Also: []Format{Django, DjangoCookie}}
		}
		return Detection{Format: DjangoCookie, Sure: true}
	}
	if f := looksJWS(c); f != "" {
		return Detection{Format: f, Sure: true}
	}
	flask := Detection{Format: Flask, Also: []Format{Itsdangerous}}
	payload, _, _, ok := SplitToken(c, '.')
	switch {
	case !ok:
		if strings.Contains(c, ".") {
			// PAYLOAD.SIGNATURE: an untimed URLSafeSerializer token.
			return Detection{Format: Itsdangerous, Sure: true}
		}
		return Detection{}
	case strings.HasPrefix(c, "."), strings.ContainsAny(payload, "-_"):
		return flask
	case strings.ContainsAny(payload, "+/="):
		return Detection{Format: Starlette, Sure: true}
	case len(payload)%4 != 0:
		return flask // Starlette pads
	}
	raw, err := pybase64.DecodeStd(nil, []byte(payload))
	if err != nil || !utf8.Valid(raw) {
		return flask
	}
	switch jsonSpacing(raw) {
	case spaced:
		return Detection{Format: Starlette, Sure: true}
	case compact:
		return flask
	}
	return Detection{Format: Flask, Also: []Format{Itsdangerous, Starlette}}
}

// looksDjango reports a Django signed token, PAYLOAD:TIMESTAMP:SIGNATURE,
// and returns its payload.
func looksDjango(c string) (string, bool) {
	p, ts, sig, ok := SplitToken(c, ':')
	if !ok || ts == "" || len(ts) > 12 || sig == "" {
		return "", false
	}
	for i := 0; i < len(ts); i++ {
		if !isAlnum(ts[i]) {
			return "", false
		}
	}
	for i := 0; i < len(sig); i++ {
		if !isAlnum(sig[i]) && sig[i] != '-' && sig[i] != '_' {
			return "", false
		}
	}
	return p, true
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// looksJWS returns JWS or JWSTimed for a JWS token, else "".
func looksJWS(c string) Format {
	if strings.Count(c, ".") != 2 {
		return ""
	}
	h, err := JWSHeader(c)
	if err != nil {
		return ""
	}
	if _, ok := h["alg"].(string); !ok {
		return ""
	}
	_, rest, _ := strings.Cut(c, ".")
	body, _, _ := strings.Cut(rest, ".")
	raw, err := pybase64.DecodeURLSafe(nil, []byte(body))
	if err != nil {
		return ""
	}
	if _, err := pyjson.Decode(raw, pyjson.Options{MaxDepth: itsdangerous.DefaultMaxDepth}); err != nil {
		return ""
	}
	if _, ok := h["exp"]; ok {
		return JWSTimed
	}
	return JWS
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
