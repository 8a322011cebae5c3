package itsdangerous_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// The clock of these examples: 2023-11-14T22:13:20Z. The tokens shown
// are the ones Python's itsdangerous 2.1.2 makes at that time.
func frozen() time.Time { return time.Unix(1700000000, 0) }

func ExampleSigner() {
	s, err := itsdangerous.NewSigner([]byte("secret-key"))
	if err != nil {
		panic(err)
	}
	signed := s.Sign([]byte("my string"))
	fmt.Println(string(signed))

	value, err := s.Unsign(signed)
	fmt.Println(string(value), err)

	_, err = s.Unsign([]byte("my string.wh6tMHxLgJqB6oY1uT73iMlyrXA"))
	fmt.Println(errors.Is(err, itsdangerous.ErrBadSignature))
	// Output:
	// my string.wh6tMHxLgJqB6oY1uT73iMlyrOA
	// my string <nil>
	// true
}

func ExampleTimestampSigner_Unsign() {
	s, _ := itsdangerous.NewTimestampSigner([]byte("secret-key"), itsdangerous.WithClock(frozen))
	signed := s.Sign([]byte("value"))
	fmt.Println(string(signed))

	// Eleven seconds later, with a maximum age of ten seconds.
	later := itsdangerous.At(frozen().Add(11 * time.Second))
	_, _, err := s.Unsign(signed, itsdangerous.MaxAge(10*time.Second), later)
	var e *itsdangerous.Error
	if errors.As(err, &e) && errors.Is(err, itsdangerous.ErrSignatureExpired) {
		fmt.Println(e.Reason, "| signed", e.SignedAt.Format(time.RFC3339))
	}
	// Output:
	// value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw
	// Signature age 11 > 10 seconds | signed 2023-11-14T22:13:20Z
}

func ExampleNewURLSafeTimedSerializer() {
	s, _ := itsdangerous.NewURLSafeTimedSerializer([]byte("secret-key"),
		itsdangerous.WithSalt([]byte("activate")), itsdangerous.WithClock(frozen))
	token, _ := s.Dumps(map[string]any{"id": 42})
	fmt.Println(token)

	var v struct {
		ID int `json:"id"`
	}
	signed, err := s.Loads(token, &v, itsdangerous.MaxAge(time.Hour))
	fmt.Println(v.ID, signed.UTC().Format(time.RFC3339), err)
	// Output:
	// eyJpZCI6NDJ9.ZVPxAA.6JavxSe_KJZqIIu2WnrYhW49Tn4
	// 42 2023-11-14T22:13:20Z <nil>
}

// Rotate keys: the newest key signs, older ones still verify.
func ExampleWithFallbackKeys() {
	old, _ := itsdangerous.NewURLSafeSerializer([]byte("old-key"), itsdangerous.WithSalt([]byte("rot")))
	token, _ := old.Dumps([]any{1, 2, 3})

	s, _ := itsdangerous.NewURLSafeSerializer([]byte("new-key"),
		itsdangerous.WithFallbackKeys([]byte("old-key")), itsdangerous.WithSalt([]byte("rot")))
	var v []int
	err := s.Loads(token, &v)
	fmt.Println(v, err)

	fresh, _ := s.Dumps([]any{1, 2, 3})
	fmt.Println(fresh)
	// Output:
	// [1 2 3] <nil>
	// WzEsMiwzXQ.NbDAXWtAdPg7bIiNP7PTiHIjtsQ
}

// A serializer reads tokens signed with another digest through a fallback
// signer, as Python's fallback_signers.
func ExampleWithFallbackSigner() {
	sha256Signed, _ := itsdangerous.NewURLSafeSerializer([]byte("k"), itsdangerous.WithDigest(sha256.New))
	token, _ := sha256Signed.Dumps("hello")

	s, _ := itsdangerous.NewURLSafeSerializer([]byte("k"),
		itsdangerous.WithFallbackSigner(itsdangerous.WithDigest(sha256.New)))
	var v string
	fmt.Println(s.Loads(token, &v), v)
	// Output: <nil> hello
}

// A key search over a wordlist: TestBatch returns the index of the first
// candidate that signed the cookie. The cookie is the one Flask's session
// makes with the secret key "dev-secret" at the examples' clock
// (itsdangerous 2.1.2's TimestampSigner, Flask's salt and key derivation).
func ExampleKeyTester_TestBatch() {
	cookie := []byte("eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM")
	kt, err := itsdangerous.NewKeyTester(cookie,
		itsdangerous.WithSalt([]byte("cookie-session")), itsdangerous.WithKeyDerivation(itsdangerous.HMACDerive))
	if err != nil {
		panic(err)
	}
	candidates := [][]byte{[]byte("secret"), []byte("changeme"), []byte("dev-secret"), []byte("hunter2")}
	if i := kt.TestBatch(candidates); i >= 0 {
		fmt.Printf("the secret key is %q\n", candidates[i])
	}
	// Output:
	// the secret key is "dev-secret"
}
