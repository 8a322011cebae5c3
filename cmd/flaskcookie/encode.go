package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

func runEncode(e *env, args []string) error {
	fs := newFlagSet("encode")
	var keys keyFlags
	keys.add(fs, true)
	var fk fernetFlags
	fk.add(fs)
	format := fs.String("format", "json", "")
	timestamp := fs.String("timestamp", "", "")
	pos, err := parseArgs("encode", fs, args)
	if err != nil {
		return err
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
		s, err := keys.serializer(secret, nil, e.now)
		if err != nil {
			return err
		}
		if len(secret) == 0 {
			fmt.Fprintln(e.stderr, "flaskcookie encode: warning: the secret key is empty; Flask has no session without one")
		}
		seal = func(v any) (string, error) { return encodeSession(s, v, at) }
	}
	switch len(pos) {
	case 0:
		return usagef("encode", "missing VALUE, the session to sign (or - to read it from standard input)")
	case 1:
	default:
		return usagef("encode", "too many arguments: quote the VALUE")
	}
	text, err := readArg(e, pos[0], "the value")
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

// parseValue reads a session in one of the input formats. The session must
// be a dict.
func parseValue(text, format string) (any, error) {
	var v any
	var err error
	switch format {
	case "python":
		v, err = py.ParseLiteral(text)
	case "tagged":
		err = codec.TaggedJSON.DecodePayload([]byte(text), &v, itsdangerous.Limits{MaxDepth: itsdangerous.DefaultMaxDepth})
	default:
		v, err = parseView([]byte(text))
	}
	if err != nil {
		return nil, fmt.Errorf("the value is not valid --format %s: %v", format, err)
	}
	switch v.(type) {
	case map[string]any, py.Dict:
		return v, nil
	}
	return nil, fmt.Errorf("the value is a %s, not a dict: a Flask session is a dict, such as %s", pyTypeName(v), exampleFor(format))
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
