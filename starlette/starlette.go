package starlette

import (
	"encoding/base64"
	"fmt"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// The defaults of Starlette's SessionMiddleware.
const (
	// DefaultCookieName is session_cookie.
	DefaultCookieName = "session"
	// DefaultMaxAge is max_age: 14 days. It is both the cookie's Max-Age
	// and the age checked on every read.
	DefaultMaxAge = 14 * 24 * time.Hour
	// DefaultPath is path.
	DefaultPath = "/"
	// DefaultSameSite is same_site.
	DefaultSameSite = "lax"
	// DefaultMaxPayloadSize bounds the decoded JSON of a cookie, in bytes.
	DefaultMaxPayloadSize = 1 << 20
)

// jsonDialect is json.dumps with its defaults: separators ", " and ": ",
// ensure_ascii, keys in insertion order.
var jsonDialect = pyjson.Dialect{ASCII: true}

// Codec reads and writes the session cookies of Starlette's (and so
// FastAPI's) SessionMiddleware, and knows the cookie's attributes. A Codec
// is immutable and safe for concurrent use.
type Codec struct {
	signer     *itsdangerous.TimestampSigner
	clock      func() time.Time
	maxAge     time.Duration
	checkAge   bool
	maxPayload int
	maxDepth   int
	cookie     Cookie
}

// New returns a Codec for secret_key, the way SessionMiddleware(app,
// secret_key=...) signs: itsdangerous.TimestampSigner(str(secret_key)) with
// all of itsdangerous's defaults (salt "itsdangerous.Signer",
// django-concat key derivation, SHA-1). secretKey is the text of the key;
// for a Python bytes key pass PythonBytesKey(key), because Starlette signs
// with str(key).
//
// It accepts WithMaxAge or WithoutMaxAge, WithCookieName, WithPath,
// WithSameSite, WithHTTPSOnly, WithFallbackKeys, WithClock and the size
// limits. A bad option is an error matching ErrConfig, and so is an empty
// key, current or fallback (it also matches itsdangerous.ErrEmptyKey),
// unless WithUnsafeEmptyKeys is given.
func New(secretKey []byte, opts ...Option) (*Codec, error) {
	c := &config{
		maxAge:   DefaultMaxAge,
		checkAge: true,
		name:     DefaultCookieName,
		path:     DefaultPath,
		sameSite: DefaultSameSite,
		clock:    time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	sopts := append([]itsdangerous.Option{itsdangerous.WithClock(c.clock)}, c.signer...)
	s, err := itsdangerous.NewTimestampSigner(secretKey, sopts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	maxAge := 0
	if c.checkAge {
		maxAge = int(c.maxAge / time.Second)
	}
	return &Codec{
		signer:     s,
		clock:      c.clock,
		maxAge:     c.maxAge,
		checkAge:   c.checkAge,
		maxPayload: c.maxPayload,
		maxDepth:   c.maxDepth,
		cookie: Cookie{
			Name:     c.name,
			Path:     c.path,
			MaxAge:   maxAge,
			SameSite: c.sameSite,
			Secure:   c.httpsOnly,
			Domain:   c.domain,
		},
	}, nil
}

// PythonBytesKey returns the key Starlette actually signs with when its
// secret_key is a Python bytes object: str(key), its repr, so b"abc" signs
// as the text "b'abc'" (spec §6.1). A str or starlette Secret key is used
// as it is.
func PythonBytesKey(key []byte) []byte { return []byte(py.Repr(key)) }

// MaxAge returns the maximum age of a cookie, and false when the codec was
// made WithoutMaxAge (Python's max_age=None: no limit).
func (c *Codec) MaxAge() (time.Duration, bool) { return c.maxAge, c.checkAge }

// Lifetime returns the maximum age (max_age), or 0 for a codec made
// WithoutMaxAge. With MaxAge and Now it makes a Codec a
// codec.SessionCodec, usable by the HTTP middleware and the CLI.
func (c *Codec) Lifetime() time.Duration { return c.maxAge }

// Cookie returns the attributes of the session cookie.
func (c *Codec) Cookie() Cookie { return c.cookie }

// Now returns the codec's clock reading.
func (c *Codec) Now() time.Time { return c.clock() }

// Encode returns the cookie value for session at the current time, as the
// middleware writes it on every response: the standard, padded base64 of
// json.dumps(session) (separators ", " and ": ", non-ASCII escaped), signed
// with a timestamp:
//
//	eyJ1c2VyX2lkIjogNDJ9.ZVPxAA.<signature>
//
// session is a dict (map, py.Dict, struct): a py.Dict keeps its order, a Go
// map is written in sorted key order. The value is byte for byte Starlette's
// for the same session and time. Values JSON cannot hold (bytes, UUIDs,
// times) are an error. The middleware sets no cookie for an empty session;
// Encode still encodes it.
func (c *Codec) Encode(session any) (string, error) {
	return c.EncodeAt(session, c.clock())
}

// EncodeAt is Encode as if the time were t.
func (c *Codec) EncodeAt(session any, t time.Time) (string, error) {
	g, err := py.ValueOf(session)
	if err != nil {
		return "", fmt.Errorf("starlette: %w", err)
	}
	j, err := pyjson.Append(nil, g, jsonDialect)
	if err != nil {
		return "", fmt.Errorf("starlette: %w", err)
	}
	payload := base64.StdEncoding.AppendEncode(nil, j)
	return string(c.signer.SignAt(payload, t)), nil
}

// Decode verifies a cookie value, checks its age, and decodes the session
// into the value v points to (see py.Assign). A *any receives a py.Dict,
// which keeps the order of the keys, so that encoding it again gives the
// cookie Starlette would write. It returns the signing time.
//
// The errors are those of itsdangerous, as in Starlette:
//
//   - a bad signature, a missing or malformed timestamp, a cookie older
//     than the maximum age or signed in the future (itsdangerous 2.x):
//     itsdangerous.ErrBadSignature and below. The middleware then starts an
//     empty session;
//   - a validly signed payload that is not base64 or JSON:
//     itsdangerous.ErrBadPayload. Starlette does not catch these
//     (binascii.Error, json.JSONDecodeError, UnicodeDecodeError): the
//     request fails with a 500. Only the key holder can make such a cookie.
func (c *Codec) Decode(cookie string, v any) (signedAt time.Time, err error) {
	return c.DecodeAt(cookie, v, c.clock())
}

// DecodeAt is Decode with now as the present.
func (c *Codec) DecodeAt(cookie string, v any, now time.Time) (signedAt time.Time, err error) {
	opts := []itsdangerous.CallOption{itsdangerous.At(now)}
	if c.checkAge {
		opts = append(opts, itsdangerous.MaxAge(c.maxAge))
	}
	data, signedAt, err := c.signer.Unsign([]byte(cookie), opts...)
	if err != nil {
		return time.Time{}, err
	}
	if len(data)/4*3 > c.maxPayload {
		return time.Time{}, payloadError("session of "+fmt.Sprint(len(data))+" base64 bytes is larger than the maximum", itsdangerous.ErrTooLarge)
	}
	// json.loads(b64decode(data)): non-validating standard base64.
	raw, err := pybase64.DecodeStd(make([]byte, 0, len(data)/4*3+3), data)
	if err != nil {
		return time.Time{}, payloadError("binascii.Error: invalid base64-encoded data", err)
	}
	text, err := jsonText(raw)
	if err != nil {
		return time.Time{}, payloadError("UnicodeDecodeError", err)
	}
	g, err := pyjson.Decode(text, pyjson.Options{MaxDepth: c.maxDepth, Ordered: true})
	if err != nil {
		return time.Time{}, payloadError("json.JSONDecodeError", err)
	}
	if v == nil {
		return signedAt, nil
	}
	if err := py.Assign(v, g); err != nil {
		return time.Time{}, payloadError("cannot store the session in the Go value", err)
	}
	return signedAt, nil
}

func payloadError(reason string, cause error) error {
	return &itsdangerous.Error{Kind: itsdangerous.ErrBadPayload, Reason: reason, Err: cause}
}
