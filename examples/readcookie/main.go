// Command readcookie reads a Flask session cookie with the app's secret
// key and prints the session as Python would show it.
//
//	go run ./examples/readcookie                      # a built-in sample
//	go run ./examples/readcookie SECRET COOKIE
package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// The sample: a cookie set by Flask 2.2.2 at 2023-11-14T22:13:20Z for a
// session holding every tagged type, with SECRET_KEY = "dev-secret".
const (
	sampleSecret = "dev-secret"
	sampleCookie = ".eJx1jssKwjAQRX9lmHXAJK2voIIrQVBcFFxokdTGGqpV2kQU6b87bcWdq3ncO-fOG5OXMxWqN0KCCuebsdXbcIo1w9S165TWkTcMRAjr2wMklwFIqUSgJIfFKmq8F1uReycYHTSNZEFc05D_yGk2JWodM7zqMvf3VriSMElmZzvpJbOGU5jKmbTLtW1xhwOZipsDDc7fL4YgDJ15Ugwu957z07HMTAF7L7k-ImmtS30_EQw10i_ove3Ang6FDML-YDj6VynkA_u-TrQ.ZVPxAA.sWkwMhye4Tr2Ycvk5rpCsfh32wg"
)

func main() {
	secret, cookie := sampleSecret, sampleCookie
	opts := []codec.Option{}
	switch len(os.Args) {
	case 1:
		// The sample was signed long ago; read it as of its signing time.
		opts = append(opts, codec.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	case 3:
		secret, cookie = os.Args[1], os.Args[2]
	default:
		fmt.Fprintln(os.Stderr, "usage: readcookie [SECRET COOKIE]")
		os.Exit(2)
	}
	c, err := codec.New([]byte(secret), opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "readcookie:", err)
		os.Exit(2)
	}
	var session map[string]any
	signed, err := c.Decode(cookie, &session)
	switch {
	case errors.Is(err, itsdangerous.ErrSignatureExpired):
		fmt.Fprintln(os.Stderr, "readcookie: the cookie has expired:", err)
		os.Exit(1)
	case err != nil:
		fmt.Fprintln(os.Stderr, "readcookie: not a session this key signed:", err)
		os.Exit(1)
	}
	fmt.Println("signed at", signed.UTC().Format(time.RFC3339))
	fmt.Println(py.Repr(session))
}
