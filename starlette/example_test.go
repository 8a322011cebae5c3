package starlette_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

// The cookies in these examples are what Starlette 0.26.1's
// SessionMiddleware(app, secret_key="starlette-secret") sends at
// 2023-11-14T22:13:20Z (spec V11).

func ExampleCodec_Encode() {
	c, err := starlette.New([]byte("starlette-secret"), starlette.WithClock(frozen))
	if err != nil {
		panic(err)
	}
	// A py.Dict keeps the order of the keys, as a Python dict does.
	value, _ := c.Encode(py.Dict{
		{Key: "user_id", Value: 42},
		{Key: "name", Value: "Jürgen"},
		{Key: "roles", Value: []string{"a", "b"}},
	})
	fmt.Println(c.Cookie().SetCookie(value))
	// Output:
	// session=eyJ1c2VyX2lkIjogNDIsICJuYW1lIjogIkpcdTAwZmNyZ2VuIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxAA.CnjCu-ijoXWdBdrJQPp5iZet9FE; path=/; Max-Age=1209600; httponly; samesite=lax
}

func ExampleCodec_Decode() {
	c, _ := starlette.New([]byte("starlette-secret"), starlette.WithClock(frozen))
	const cookie = "eyJ1c2VyX2lkIjogNDIsICJuYW1lIjogIkpcdTAwZmNyZ2VuIiwgInJvbGVzIjogWyJhIiwgImIiXX0=.ZVPxAA.CnjCu-ijoXWdBdrJQPp5iZet9FE"

	var session struct {
		UserID int      `json:"user_id"`
		Name   string   `json:"name"`
		Roles  []string `json:"roles"`
	}
	_, err := c.Decode(cookie, &session)
	fmt.Println(session.UserID, session.Name, session.Roles, err)

	// 14 days and one second later the middleware starts an empty session.
	_, err = c.DecodeAt(cookie, &session, frozen().Add(starlette.DefaultMaxAge+time.Second))
	fmt.Println(errors.Is(err, itsdangerous.ErrSignatureExpired), err)
	// Output:
	// 42 Jürgen [a b] <nil>
	// true itsdangerous: Signature age 1209601 > 1209600 seconds
}

func ExamplePythonBytesKey() {
	// SessionMiddleware(app, secret_key=b"starlette-secret") signs with
	// str(b"starlette-secret"), the text "b'starlette-secret'".
	key := starlette.PythonBytesKey([]byte("starlette-secret"))
	fmt.Println(string(key))
	c, _ := starlette.New(key, starlette.WithClock(frozen))
	value, _ := c.Encode(map[string]int{"a": 1})
	fmt.Println(value)
	// Output:
	// b'starlette-secret'
	// eyJhIjogMX0=.ZVPxAA.5MF2Yc88cmuiakk6Vm7nvCFLq44
}
