package session

import (
	"fmt"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// errNoCodec is returned by a zero SecureCookieCodec.
var errNoCodec = fmt.Errorf("session: SecureCookieCodec without a codec: %w", itsdangerous.ErrConfig)

// SecureCookieCodec adapts a codec.Codec to the method set of
// gorilla/securecookie's Codec interface, so that a gorilla/sessions
// CookieStore reads and writes Flask's session cookie:
//
//	store := &sessions.CookieStore{
//		Codecs:  []securecookie.Codec{session.NewSecureCookieCodec(c)},
//		Options: &sessions.Options{Path: "/", HttpOnly: true},
//	}
//
// This package does not import gorilla. The cookie name given to Encode
// and Decode is not part of Flask's signature and is ignored. Gorilla's
// session values, a map[interface{}]interface{}, must have string keys.
// The methods are safe for concurrent use.
type SecureCookieCodec struct {
	c codec.SessionCodec
}

// NewSecureCookieCodec returns the securecookie.Codec adapter for c, a
// signed (codec.New) or sealed (codec.NewSealed) codec.
func NewSecureCookieCodec(c codec.SessionCodec) SecureCookieCodec { return SecureCookieCodec{c} }

// Encode signs value as a Flask session cookie. A
// map[interface{}]interface{} (gorilla's Session.Values) is turned into a
// dict; its keys must be strings.
func (g SecureCookieCodec) Encode(name string, value interface{}) (string, error) {
	if g.c == nil {
		return "", errNoCodec
	}
	if m, ok := value.(map[interface{}]interface{}); ok {
		d := make(map[string]any, len(m))
		for k, v := range m {
			ks, ok := k.(string)
			if !ok {
				return "", fmt.Errorf("session: session key %v of type %T is not a string: %w", k, k, codec.ErrUnsupportedType)
			}
			d[ks] = v
		}
		value = d
	}
	return g.c.EncodeAt(value, g.c.Now())
}

// Decode verifies the Flask session cookie value and decodes it into dst:
// a *map[interface{}]interface{} (gorilla's &Session.Values), or anything
// codec.Codec.Decode accepts. Errors are the codec's.
func (g SecureCookieCodec) Decode(name, value string, dst interface{}) error {
	if g.c == nil {
		return errNoCodec
	}
	if p, ok := dst.(*map[interface{}]interface{}); ok {
		var data map[string]any
		if _, err := g.c.Decode(value, &data); err != nil {
			return err
		}
		if *p == nil {
			*p = make(map[interface{}]interface{}, len(data))
		}
		for k, v := range data {
			(*p)[k] = v
		}
		return nil
	}
	_, err := g.c.Decode(value, dst)
	return err
}
