package gorilla_test

import (
	"errors"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/session"
)

// securecookieCodec is gorilla/securecookie's Codec interface, copied from
// github.com/gorilla/securecookie (securecookie.go):
//
//	type Codec interface {
//		Encode(name string, value interface{}) (string, error)
//		Decode(name, value string, dst interface{}) error
//	}
type securecookieCodec interface {
	Encode(name string, value interface{}) (string, error)
	Decode(name, value string, dst interface{}) error
}

// The adapter has securecookie.Codec's method set.
var _ securecookieCodec = session.SecureCookieCodec{}

// encodeMulti and decodeMulti do what securecookie.EncodeMulti and
// DecodeMulti do for gorilla/sessions' CookieStore.Save and New: the first
// codec that succeeds wins.
func encodeMulti(name string, value interface{}, codecs ...securecookieCodec) (string, error) {
	var errs []error
	for _, c := range codecs {
		s, err := c.Encode(name, value)
		if err == nil {
			return s, nil
		}
		errs = append(errs, err)
	}
	return "", errors.Join(errs...)
}

func decodeMulti(name, value string, dst interface{}, codecs ...securecookieCodec) error {
	var errs []error
	for _, c := range codecs {
		err := c.Decode(name, value, dst)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func clock() time.Time { return time.Unix(1700000000, 0) }

// A CookieStore-style round trip over session.Values, a
// map[interface{}]interface{}, with Flask's cookie (known answer:
// wire-formats.md §8 V10, Flask 2.2.2, SECRET_KEY "dev-secret").
func TestCookieStoreRoundTrip(t *testing.T) {
	const flaskCookie = "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM" // {"user_id": 42}
	c, err := codec.New([]byte("dev-secret"), codec.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	old, err := codec.New([]byte("old-secret"), codec.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	// Key rotation the gorilla way: several codecs, the first one signs.
	codecs := []securecookieCodec{session.NewSecureCookieCodec(c), session.NewSecureCookieCodec(old)}

	values := map[interface{}]interface{}{}
	if err := decodeMulti("session", flaskCookie, &values, codecs...); err != nil {
		t.Fatalf("decoding Flask's cookie: %v", err)
	}
	if values["user_id"] != int64(42) {
		t.Errorf("Values = %#v, want user_id 42", values)
	}
	got, err := encodeMulti("session", map[interface{}]interface{}{"user_id": 42}, codecs...)
	if err != nil {
		t.Fatal(err)
	}
	if got != flaskCookie {
		t.Errorf("Encode = %s, want Flask's %s", got, flaskCookie)
	}

	tests := []struct {
		name    string
		value   string
		wantErr error
	}{
		{"a tampered cookie fails with every codec", flaskCookie[:len(flaskCookie)-6] + "AAAAAA", itsdangerous.ErrBadSignature},
		{"garbage fails", "x", itsdangerous.ErrBadData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := decodeMulti("session", tt.value, &map[interface{}]interface{}{}, codecs...)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Decode: %v, want %v", err, tt.wantErr)
			}
		})
	}
	// gorilla allows any key type; Flask's session only str keys.
	if _, err := encodeMulti("session", map[interface{}]interface{}{1: "x"}, codecs...); !errors.Is(err, codec.ErrUnsupportedType) {
		t.Errorf("Encode with an int key: %v, want codec.ErrUnsupportedType", err)
	}
}
