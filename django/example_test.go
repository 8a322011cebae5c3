package django_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/flaskcookie/flaskcookie/django"
)

// The tokens in these examples are what Django 3.2.25 makes with
// SECRET_KEY = "django-secret" at 2023-11-14T22:13:20Z (spec V14).

func ExampleSerializer() {
	s, err := django.NewSerializer([]byte("django-secret"), django.WithClock(frozen))
	if err != nil {
		panic(err)
	}
	tok, err := s.Dumps(map[string]any{"a": 1, "b": "ü"})
	if err != nil {
		panic(err)
	}
	fmt.Println(tok) // signing.dumps({"a": 1, "b": "ü"})

	var v struct {
		A int    `json:"a"`
		B string `json:"b"`
	}
	signed, err := s.Loads(tok, &v, django.MaxAge(time.Hour))
	fmt.Println(v.A, v.B, signed.Format(time.RFC3339), err)
	// Output:
	// eyJhIjoxLCJiIjoiXHUwMGZjIn0:1r31eq:OC3dkd41NCpz7SQjeX2xPI0EkyfcIqUutZhCz6yKFe0
	// 1 ü 2023-11-14T22:13:20Z <nil>
}

func ExampleSigner() {
	s, _ := django.NewSigner([]byte("django-secret"))
	fmt.Println(s.Sign("hello")) // Signer().sign("hello")

	_, err := s.Unsign("hello:jJBiK7rh_4jPrL47pDvJ4BLLAv8mFGzW8GfMTLAjJEX")
	fmt.Println(err)
	// Output:
	// hello:jJBiK7rh_4jPrL47pDvJ4BLLAv8mFGzW8GfMTLAjJEc
	// django: Signature "jJBiK7rh_4jPrL47pDvJ4BLLAv8mFGzW8GfMTLAjJEX" does not match
}

func ExampleTimestampSigner_Unsign() {
	s, _ := django.NewTimestampSigner([]byte("django-secret"))
	const tok = "hello:1r31eq:_GwpwRzMai8X5cuq-_hfZkoXwc_GndRPWUKBZPTf-5o"

	// 10.5 seconds later, with max_age=10.
	later := django.At(time.Unix(1700000010, 500_000_000))
	_, _, err := s.Unsign(tok, django.MaxAge(10*time.Second), later)
	fmt.Println(errors.Is(err, django.ErrSignatureExpired), err)
	// Output:
	// true django: Signature age 10.5 > 10 seconds
}

func ExampleSessionCodec_Decode() {
	// The sessionid cookie of a Django app with
	// SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies".
	c, _ := django.NewSessionCodec([]byte("django-secret"), django.WithClock(frozen))
	var session map[string]any
	_, err := c.Decode("eyJ1c2VyX2lkIjo0Mn0:1r31eq:lIY0VP6AROwehoElhvrluN-vnamT0pO5bKxRV6KtY8U", &session)
	fmt.Println(session, err)

	// Two weeks and a second later Django starts an empty session.
	_, err = c.DecodeAt("eyJ1c2VyX2lkIjo0Mn0:1r31eq:lIY0VP6AROwehoElhvrluN-vnamT0pO5bKxRV6KtY8U", &session,
		frozen().Add(django.DefaultSessionCookieAge+time.Second))
	fmt.Println(err)
	// Output:
	// map[user_id:42] <nil>
	// django: Signature age 1209601.0 > 1209600 seconds
}
