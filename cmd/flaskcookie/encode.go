package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/audit"
	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

func runEncode(e *env, args []string) error {
	fs := newFlagSet("encode")
	var keys keyFlags
	keys.add(fs, true)
	var fk fernetFlags
	fk.add(fs)
	format := fs.String("format", "json", "")
	timestamp := fs.String("timestamp", "", "")
	prof := addProfile(fs)
	compress := fs.Bool("compress", false, "")
	expiresIn := fs.String("expires-in", "", "")
	pos, err := parseArgs("encode", fs, args)
	if err != nil {
		return err
	}
	if err := checkProfile("encode", prof); err != nil {
		return err
	}
	if prof.value != profFlask {
		return encodeProfile(e, &keys, prof.value, &fk, *format, *timestamp, *compress, *expiresIn, pos)
	}
	for _, n := range []string{"compress", "expires-in"} {
		if keys.given(n) {
			return usagef("encode", "--%s has no use with --profile flask: Flask compresses when that is shorter, and its session has no expiry inside", n)
		}
	}
	fernetKeys, err := fk.parse("encode", fs)
	if err != nil {
		return err
	}
	if fernetKeys == nil && !keys.secret.set {
		return usagef("encode", "missing --secret: the cookie is signed with the app's SECRET_KEY (or give --fernet-key for a sealed cookie)")
	}
	if len(keys.fallbacks) > 0 {
		return usagef("encode", "--fallback-secret has no use here: fallback keys never sign")
	}
	if err := checkFormat("encode", *format); err != nil {
		return err
	}
	at := e.now()
	if *timestamp != "" {
		if at, err = parseUnix("encode", "--timestamp", *timestamp); err != nil {
			return err
		}
	}
	var seal func(v any) (string, error)
	if fernetKeys != nil {
		f, err := newFernet("encode", fernetKeys)
		if err != nil {
			return err
		}
		seal = func(v any) (string, error) { return encodeSealed(f, v, at) }
	} else {
		secret, _, err := keys.secrets()
		if err != nil {
			return err
		}
		s, err := keys.serializer(secret, nil, e.now, nil)
		if err != nil {
			return err
		}
		if len(secret) == 0 {
			fmt.Fprintln(e.stderr, "flaskcookie encode: warning: the secret key is empty; Flask has no session without one")
		}
		seal = func(v any) (string, error) { return encodeSession(s, v, at) }
	}
	text, err := valueArg(e, pos)
	if err != nil {
		return err
	}
	v, err := parseValue(text, *format)
	if err != nil {
		return err
	}
	cookie, err := seal(v)
	if err != nil {
		return err
	}
	if len(cookie) > codec.MaxCookieSize {
		fmt.Fprintf(e.stderr, "flaskcookie encode: warning: the cookie is %d bytes, more than Flask's MAX_COOKIE_SIZE of %d; browsers may drop it\n", len(cookie), codec.MaxCookieSize)
	}
	_, err = fmt.Fprintln(e.stdout, cookie)
	return err
}

// valueArg reads the VALUE argument of encode.
func valueArg(e *env, pos []string) (string, error) {
	switch len(pos) {
	case 0:
		return "", usagef("encode", "missing VALUE, the session to sign (or - to read it from standard input)")
	case 1:
	default:
		return "", usagef("encode", "too many arguments: quote the VALUE")
	}
	return readArg(e, pos[0], "the value")
}

// encodeProfile is encode for the profiles other than Flask.
func encodeProfile(e *env, keys *keyFlags, prof string, fk *fernetFlags, format, timestamp string, compress bool, expires string, pos []string) error {
	if len(fk.keys) > 0 {
		return usagef("encode", "--fernet-key is for sealed Flask sessions; it has no use with --profile %s", prof)
	}
	if !keys.secret.set {
		return usagef("encode", "missing --secret: the %s is signed with the app's secret key", strings.TrimPrefix(strings.TrimPrefix(audit.Format(prof).Describe(), "an "), "a "))
	}
	if len(keys.fallbacks) > 0 {
		return usagef("encode", "--fallback-secret has no use here: fallback keys never sign")
	}
	if err := checkFormat("encode", format); err != nil {
		return err
	}
	if compress && prof != profDjango {
		return usagef("encode", "--compress is for --profile django (signing.dumps(compress=True)); the signed_cookies backend always compresses when that is shorter, and the other formats never do")
	}
	expiresIn := time.Duration(-1 << 62) // not given
	if expires != "" {
		if prof != profJWSTimed {
			return usagef("encode", "--expires-in is for --profile jws-timed")
		}
		var err error
		if expiresIn, err = parseSeconds("encode", "--expires-in", expires, true, "a number of seconds (itsdangerous's default is 3600)"); err != nil {
			return err
		}
	}
	at := e.now()
	if timestamp != "" {
		if prof == profJWS {
			return usagef("encode", "--timestamp has no use with --profile jws: the token holds no time (--profile jws-timed does)")
		}
		var err error
		if at, err = parseUnix("encode", "--timestamp", timestamp); err != nil {
			return err
		}
	}
	keys.reprBytes = prof == profStarlette
	secret, _, err := keys.secrets()
	if err != nil {
		return err
	}
	c, err := keys.otherConfig(prof)
	if err != nil {
		return err
	}
	if prof == profDjangoCookie {
		if !keys.given("name") {
			return usagef("encode", "--profile django-cookie needs the cookie's name, which Django puts in the salt: --name NAME")
		}
		c.name = keys.name
	}
	text, err := valueArg(e, pos)
	if err != nil {
		return err
	}
	v, err := parseOther(text, format, prof)
	if err != nil {
		return err
	}
	cookie, err := encodeOther(c, secret, v, at, compress, expiresIn)
	if err != nil {
		return err
	}
	if !isJWS(prof) && len(cookie) > browserCookieSize {
		fmt.Fprintf(e.stderr, "flaskcookie encode: warning: the cookie is %d bytes, more than the %d bytes browsers keep; they may drop it\n", len(cookie), browserCookieSize)
	}
	_, err = fmt.Fprintln(e.stdout, cookie)
	return err
}

// browserCookieSize is the size of a cookie browsers are sure to keep
// (RFC 6265's minimum), name and attributes included.
const browserCookieSize = 4096

// parseInput reads a value in an input format: a Python literal (python),
// the JSON view (json), or with tagged, the format's own text. The error
// says which --format the text is not.
func parseInput(text, format string, tagged func(text string) (any, error)) (any, error) {
	var v any
	var err error
	switch format {
	case "python":
		v, err = py.ParseLiteral(text)
	case "tagged":
		v, err = tagged(text)
	default:
		v, err = parseView([]byte(text))
	}
	if err != nil {
		return nil, fmt.Errorf("the value is not valid --format %s: %v", format, err)
	}
	return v, nil
}

// isDict reports a dict of the model.
func isDict(v any) bool {
	switch v.(type) {
	case map[string]any, py.Dict:
		return true
	}
	return false
}

// parseOther reads the value of a profile other than Flask: the JSON view
// (json), a Python literal (python) or plain JSON as the frameworks write
// it (tagged). The sessions of Starlette and Django's session backend must
// be dicts; signing.dumps and JWS take any value.
func parseOther(text, format, prof string) (any, error) {
	if prof == profDjangoCookie {
		return parseCookieValue(text, format)
	}
	v, err := parseInput(text, format, func(text string) (any, error) {
		return pyjson.Decode([]byte(text), pyjson.Options{Ordered: true, MaxDepth: itsdangerous.DefaultMaxDepth})
	})
	if err != nil {
		return nil, err
	}
	if (prof == profStarlette || prof == profDjangoSession) && !isDict(v) {
		return nil, fmt.Errorf("the value is a %s, not a dict: a %s session is a dict, such as %s", pyTypeName(v), audit.Format(prof).Framework(), exampleFor(format))
	}
	return v, nil
}

// parseCookieValue reads the value of a Django signed cookie, a str: as
// JSON (json), a Python literal (python), or the text as the cookie holds
// it (tagged), the forms decode prints.
func parseCookieValue(text, format string) (any, error) {
	const asIs = " (--format tagged takes the value as it is)"
	v, err := parseInput(text, format, func(text string) (any, error) { return text, nil })
	if err != nil {
		return nil, errors.New(err.Error() + asIs)
	}
	if _, ok := v.(string); !ok {
		return nil, fmt.Errorf("the value is a %s, not a str: set_signed_cookie signs a str, such as %s%s", pyTypeName(v), py.Repr("alice"), asIs)
	}
	return v, nil
}

// parseValue reads a session in one of the input formats. The session must
// be a dict.
func parseValue(text, format string) (any, error) {
	v, err := parseInput(text, format, func(text string) (any, error) {
		var v any
		err := codec.TaggedJSON.DecodePayload([]byte(text), &v, itsdangerous.Limits{MaxDepth: itsdangerous.DefaultMaxDepth})
		return v, err
	})
	if err != nil {
		return nil, err
	}
	if !isDict(v) {
		return nil, fmt.Errorf("the value is a %s, not a dict: a Flask session is a dict, such as %s", pyTypeName(v), exampleFor(format))
	}
	return v, nil
}

func exampleFor(format string) string {
	if format == "python" {
		return `{'user_id': 42}`
	}
	return `{"user_id": 42}`
}

// encodeSession signs v at time at.
func encodeSession(s *itsdangerous.TimedSerializer, v any, at time.Time) (string, error) {
	cookie, err := s.Dumps(v, itsdangerous.At(at))
	if err != nil {
		if errors.Is(err, codec.ErrUnsupportedType) {
			return "", fmt.Errorf("a Flask session cannot hold this value: %v", err)
		}
		return "", fmt.Errorf("cannot encode the value: %s", strings.TrimPrefix(err.Error(), "itsdangerous: "))
	}
	return cookie, nil
}

// encodeOther signs v as a profile other than Flask writes it, at time at.
func encodeOther(c *otherConfig, secret []byte, v any, at time.Time, compress bool, expiresIn time.Duration) (string, error) {
	var out string
	var err error
	switch {
	case c.prof == profStarlette:
		var s *starlette.Codec
		if s, err = starlette.New(secret, starlette.WithUnsafeEmptyKeys()); err == nil {
			out, err = s.EncodeAt(v, at)
		}
	case c.prof == profDjangoCookie:
		opts := []django.Option{django.WithAlgorithm(c.digest)}
		if c.salt != nil {
			opts = append(opts, django.WithSalt(string(c.salt)))
		}
		var s *django.TimestampSigner
		if s, err = django.NewCookieSigner(secret, c.name, opts...); err == nil {
			out = s.SignAt(v.(string), at)
		}
	case c.prof == profDjangoSession:
		var s *django.SessionCodec
		if s, err = django.NewSessionCodec(secret, django.WithAlgorithm(c.digest)); err == nil {
			out, err = s.EncodeAt(v, at)
		}
	case c.prof == profDjango:
		opts := []django.Option{django.WithSalt(c.djangoSalt()), django.WithAlgorithm(c.digest)}
		if compress {
			opts = append(opts, django.WithCompress())
		}
		var s *django.Serializer
		if s, err = django.NewSerializer(secret, opts...); err == nil {
			out, err = s.Dumps(v, django.At(at))
		}
	default:
		alg := c.digest
		if alg == "" {
			alg = jws.DefaultAlgorithm
		}
		opts := []jws.Option{jws.WithAlgorithm(alg), jws.WithClock(func() time.Time { return at })}
		if c.salt != nil {
			opts = append(opts, jws.WithSalt(c.salt))
		}
		if expiresIn != -1<<62 {
			opts = append(opts, jws.WithExpiresIn(expiresIn))
		}
		var s jwsSerializer
		if s, err = newJWS(c.prof, secret, opts...); err == nil {
			out, err = s.Dumps(v, jws.At(at))
		}
	}
	if err != nil {
		if errors.Is(err, django.ErrConfig) || errors.Is(err, starlette.ErrConfig) || errors.Is(err, jws.ErrConfig) {
			return "", usagef("encode", "%v", err)
		}
		return "", fmt.Errorf("%s cannot hold this value: %v", audit.Format(c.prof).Framework(), err)
	}
	return out, nil
}
