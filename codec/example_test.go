package codec_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// The clock of these examples: the time Flask made the cookies below.
func clock() time.Time { return time.Unix(1700000000, 0) }

// Read the session a Flask app set, with the app's SECRET_KEY.
func ExampleCodec_Decode() {
	c, err := codec.New([]byte("dev-secret"), codec.WithClock(clock))
	if err != nil {
		panic(err)
	}
	// Set by Flask for session["_flashes"] = [("message", "Hello")] and
	// session.permanent = True.
	const cookie = "eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIkhlbGxvIl19XSwiX3Blcm1hbmVudCI6dHJ1ZX0.ZVPxAA.VD8nVcas4FnmNnhw972TP5w98uw"
	var session map[string]any
	signed, err := c.Decode(cookie, &session)
	if err != nil {
		fmt.Println("empty session:", err)
		return
	}
	flash := session["_flashes"].([]any)[0].(py.Tuple)
	fmt.Println(signed.UTC().Format(time.RFC3339), session["_permanent"], flash[0], flash[1])
	// Output: 2023-11-14T22:13:20Z true message Hello
}

// Decode into a struct, the way encoding/json does.
func ExampleCodec_Decode_struct() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(clock))
	var s struct {
		UserID int `json:"user_id"`
	}
	if _, err := c.Decode("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM", &s); err != nil {
		panic(err)
	}
	fmt.Println(s.UserID)
	// Output: 42
}

// Decode into a struct and encode it back without losing the keys that the
// struct does not declare: here Flask-Login's _user_id and _fresh and
// Flask-WTF's csrf_token, which a Go handler must not delete. The field
// tagged `json:",unknown"` receives them and writes them back.
func ExampleCodec_Decode_unknownKeys() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(clock))
	// Set by Flask 2.2.2 (compressed, as Flask does for this session) for
	// {"user_id": 42, "_user_id": "42", "_fresh": True, "csrf_token": "5f1d0c"}.
	const cookie = ".eJyrViotTi2Kz0xRsjIx0lGKh_OUTIyUgPy0otTiDCWrkqLSVB2l5OKitPiS_OzUPKC8aZphikGyUi0Ax8wVJg.ZVPxAA.YRYtgm3ddhok9r6eoiUeHz4HANo"
	var s struct {
		UserID int64          `json:"user_id"`
		Login  time.Time      `json:"login,omitzero"` // omitzero: no key while unset
		Rest   map[string]any `json:",unknown"`
	}
	if _, err := c.Decode(cookie, &s); err != nil {
		panic(err)
	}
	fmt.Println(s.UserID, s.Rest["_user_id"], s.Rest["_fresh"], s.Rest["csrf_token"])

	s.UserID = 7
	out, err := c.Encode(s)
	if err != nil {
		panic(err)
	}
	var back map[string]any
	if _, err := c.Decode(out, &back); err != nil {
		panic(err)
	}
	fmt.Println(back)
	// Output:
	// 42 42 true 5f1d0c
	// map[_fresh:true _user_id:42 csrf_token:5f1d0c user_id:7]
}

// Write a cookie that Flask reads back as {"user_id": 42}.
func ExampleCodec_Encode() {
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(clock))
	cookie, err := c.Encode(map[string]any{"user_id": 42})
	if err != nil {
		panic(err)
	}
	fmt.Println(cookie)
	// Output: eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM
}

// Rotate keys: cookies signed with the old key still read, new cookies are
// signed with the new key (Flask's SECRET_KEY_FALLBACKS).
func ExampleWithFallbackKeys() {
	old, _ := codec.New([]byte("old-secret"), codec.WithClock(clock))
	cookie, _ := old.Encode(map[string]any{"user_id": 7})

	c, _ := codec.New([]byte("new-secret"),
		codec.WithFallbackKeys([]byte("old-secret")), codec.WithClock(clock))
	var s map[string]any
	_, err := c.Decode(cookie, &s)
	fmt.Println(s["user_id"], err)

	fresh, _ := c.Encode(s)
	_, err = old.Decode(fresh, &s)
	fmt.Println(errors.Is(err, itsdangerous.ErrBadSignature))
	// Output:
	// 7 <nil>
	// true
}

// An expired cookie is refused: Flask would start an empty session.
func ExampleCodec_Decode_expired() {
	later := func() time.Time { return clock().Add(32 * 24 * time.Hour) }
	c, _ := codec.New([]byte("dev-secret"), codec.WithClock(later))
	var s map[string]any
	_, err := c.Decode("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM", &s)
	switch {
	case errors.Is(err, itsdangerous.ErrSignatureExpired):
		fmt.Println("expired: start an empty session")
	case errors.Is(err, itsdangerous.ErrBadSignature):
		fmt.Println("tampered: start an empty session")
	}
	var e *itsdangerous.Error
	if errors.As(err, &e) {
		fmt.Println("signed", e.SignedAt.Format(time.DateOnly))
	}
	// Output:
	// expired: start an empty session
	// signed 2023-11-14
}
