// Package starlettevec builds what Starlette's vectors (testvec.StarletteVector)
// describe, for the tests of package starlette and package session. It is
// apart from testvec because it imports package starlette, and so
// itsdangerous, whose own tests import testvec.
package starlettevec

import (
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/starlette"
)

// Codec returns the starlette.Codec of the vector's middleware: its
// secret (a str, or bytes whose str() Starlette signs with), max_age, path,
// SameSite, https_only and cookie name, at the clock Now. It fails t when
// the package refuses them.
func Codec(t testing.TB, v *testvec.StarletteVector) *starlette.Codec {
	t.Helper()
	key := []byte(v.Secret)
	if v.SecretType == "bytes" {
		key = starlette.PythonBytesKey(key)
	}
	opts := []starlette.Option{
		starlette.WithPath(v.Path), starlette.WithSameSite(v.SameSite),
		starlette.WithHTTPSOnly(v.HTTPSOnly), starlette.WithCookieName(v.SessionCookie),
		starlette.WithClock(func() time.Time { return time.Unix(v.Now, 0) }),
	}
	if v.MaxAge == nil {
		opts = append(opts, starlette.WithoutMaxAge())
	} else {
		opts = append(opts, starlette.WithMaxAge(time.Duration(*v.MaxAge)*time.Second))
	}
	if len(key) == 0 {
		// Starlette signs with secret_key=""; Go needs the explicit option.
		opts = append(opts, starlette.WithUnsafeEmptyKeys())
	}
	c, err := starlette.New(key, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
