package jws_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
)

// The clock of these examples: 2023-11-14T22:13:20Z. The tokens shown are
// the ones Python's itsdangerous 2.0.1 (and 1.1.0) makes at that time.
func frozen() time.Time { return time.Unix(1700000000, 0) }

func ExampleSerializer() {
	s, err := jws.New([]byte("secret-key"))
	if err != nil {
		panic(err)
	}
	tok, err := s.Dumps(map[string]any{"user_id": 42})
	if err != nil {
		panic(err)
	}
	fmt.Println(tok)

	var v struct {
		UserID int `json:"user_id"`
	}
	header, err := s.Loads(tok, &v)
	fmt.Println(v.UserID, header["alg"], err)
	// Output:
	// eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyX2lkIjo0Mn0.htU4o83tUVDvEwXn74jmlkv28e-8g-x061hwxeJ3YapG1Lb8DRck2skvGOUggbpJCykbwZXMMuPc7K8U-SmB7Q
	// 42 HS512 <nil>
}

func ExampleSerializer_Dumps_headerFields() {
	s, _ := jws.New([]byte("secret-key"), jws.WithAlgorithm(jws.HS256))
	tok, _ := s.Dumps(map[string]any{"a": 1}, jws.HeaderFields(map[string]any{"kid": "k1"}))
	fmt.Println(tok)
	// Output:
	// eyJraWQiOiJrMSIsImFsZyI6IkhTMjU2In0.eyJhIjoxfQ.-mx6ZNpBTZcnEnfdR5iVvTbRW5miYQ_G1Itp5h3bZV4
}

func ExampleTimedSerializer_Loads() {
	// A password-reset token made by Python's
	// TimedJSONWebSignatureSerializer("secret-key", expires_in=3600).
	const tok = "eyJhbGciOiJIUzUxMiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwfQ." +
		"eyJ1c2VyX2lkIjo0Mn0." +
		"Bi-yn37ebqH5Ut5hTrlgCCDvMABmDZw_ORpTVvs80gSf4fnG8B2-2hKVYlwXYoZOoXNEtQl1-XDYb108RGmAnQ"
	s, _ := jws.NewTimed([]byte("secret-key"), jws.WithExpiresIn(time.Hour))

	var v map[string]any
	header, err := s.Loads(tok, &v, jws.At(frozen().Add(time.Hour)))
	fmt.Println(v["user_id"], header["exp"], err)

	_, err = s.Loads(tok, &v, jws.At(frozen().Add(time.Hour+time.Second)))
	var e *itsdangerous.Error
	if errors.Is(err, itsdangerous.ErrSignatureExpired) && errors.As(err, &e) {
		fmt.Println(e.Reason, "| issued", e.SignedAt.Format(time.RFC3339))
	}
	// Output:
	// 42 1700003600 <nil>
	// Signature expired | issued 2023-11-14T22:13:20Z
}

func ExampleWithSalt() {
	s, _ := jws.New([]byte("secret-key"), jws.WithSalt([]byte("my-salt")))
	tok, _ := s.Dumps(map[string]any{"a": 1})
	fmt.Println(tok)
	// Output:
	// eyJhbGciOiJIUzUxMiJ9.eyJhIjoxfQ.uuCC2w4hqBvRnooc8Z8jew7aQl8Zmp7z8M9oXjkjCFg0eOOMCDmCJ8LWMwKeP64xPyqpQFUib96f5HHsTE7Xgw
}

func ExampleSerializer_Loads_algorithmPinned() {
	// The algorithm is the serializer's, whatever the token's header says:
	// an HS512 serializer refuses this HS256 token (its MAC is checked
	// with HS512), and a HS256 serializer takes it.
	const tok = "eyJraWQiOiJrMSIsImFsZyI6IkhTMjU2In0.eyJhIjoxfQ.-mx6ZNpBTZcnEnfdR5iVvTbRW5miYQ_G1Itp5h3bZV4"
	hs512, _ := jws.New([]byte("secret-key"))
	_, err := hs512.Loads(tok, nil)
	fmt.Println(errors.Is(err, itsdangerous.ErrBadSignature))

	hs256, _ := jws.New([]byte("secret-key"), jws.WithAlgorithm(jws.HS256))
	header, err := hs256.Loads(tok, nil)
	fmt.Println(header["kid"], err)
	// Output:
	// true
	// k1 <nil>
}
