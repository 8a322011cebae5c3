package fernet_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/flaskcookie/flaskcookie/fernet"
)

// The specification's key, time and IV give the specification's token.
func ExampleFernet_EncryptAt() {
	key, err := fernet.ParseKey("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=")
	if err != nil {
		panic(err)
	}
	f, _ := fernet.New(key)
	made := time.Date(1985, 10, 26, 1, 20, 0, 0, time.FixedZone("PDT", -7*3600))
	iv := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15} // for test vectors only
	token, err := f.EncryptAt([]byte("hello"), made, iv)
	fmt.Println(token, err)
	// Output: gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA== <nil>
}

// Decrypt with a time to live: one second after it was made the token
// opens; ninety seconds after, it has expired.
func ExampleFernet_Decrypt() {
	key, _ := fernet.ParseKey("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=")
	f, _ := fernet.New(key)
	const token = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA=="
	made := time.Unix(499162800, 0)

	plain, err := f.Decrypt(token, fernet.TTL(time.Minute), fernet.At(made.Add(time.Second)))
	fmt.Printf("%s %v\n", plain, err)

	_, err = f.Decrypt(token, fernet.TTL(time.Minute), fernet.At(made.Add(90*time.Second)))
	var te *fernet.TimeError
	fmt.Println(errors.Is(err, fernet.ErrInvalidToken), errors.As(err, &te) && !te.Future)

	_, err = f.Decrypt(token[:40] + "A" + token[41:])
	fmt.Println(err)
	// Output:
	// hello <nil>
	// true true
	// fernet: invalid token
}

// Several keys are MultiFernet: the first encrypts, all decrypt, and
// Rotate moves a token to the first key, keeping its timestamp.
func ExampleFernet_Rotate() {
	oldKey, newKey := keyOf(1), keyOf(100) // use fernet.NewKey()
	old, _ := fernet.New(oldKey)
	token, _ := old.EncryptAt([]byte("session"), time.Unix(1700000000, 0), nil)

	f, _ := fernet.New(newKey, oldKey)
	plain, _ := f.Decrypt(token)
	fmt.Printf("%s\n", plain)

	rotated, _ := f.Rotate(token)
	onlyNew, _ := fernet.New(newKey)
	plain, made, err := onlyNew.DecryptWithTimestamp(rotated)
	fmt.Printf("%s %d %v\n", plain, made.Unix(), err)
	_, err = old.Decrypt(rotated)
	fmt.Println(err)
	// Output:
	// session
	// session 1700000000 <nil>
	// fernet: invalid token
}

// Keys are 32 bytes of URL-safe base64, as Fernet.generate_key() makes them.
func ExampleParseKey() {
	key, err := fernet.NewKey()
	if err != nil {
		panic(err)
	}
	back, err := fernet.ParseKey(key.String())
	fmt.Println(len(key.String()), back == key, err)

	_, err = fernet.ParseKey("too-short")
	fmt.Println(err)
	// Output:
	// 44 true <nil>
	// fernet: key must be 32 url-safe base64-encoded bytes
}

// Without the key, a token shows only when it was made and how large it is.
func ExampleParseUnverified() {
	info, err := fernet.ParseUnverified("gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==")
	fmt.Println(info.Timestamp.Format(time.RFC3339), info.Size, info.CiphertextSize, err)
	// Output: 1985-10-26T08:20:00Z 73 16 <nil>
}
