package py_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/flaskcookie/flaskcookie/py"
)

func ExampleAssign() {
	// A Flask session as the decoder returns it: generic values.
	session := map[string]any{
		"user_id":    int64(42),
		"_flashes":   []any{py.Tuple{"message", "Welcome back"}},
		"csrf_token": "2f1e",
	}

	var s struct {
		UserID  int64       `json:"user_id"`
		Flashes [][2]string `json:"_flashes"`
		CSRF    string      `json:"csrf_token"`
	}
	if err := py.Assign(&s, session); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.UserID, s.Flashes, s.CSRF)

	// A value that does not fit is reported with its path.
	var wrong struct {
		Flashes [][2]int `json:"_flashes"`
	}
	err := py.Assign(&wrong, session)
	var ae *py.AssignError
	if errors.As(err, &ae) {
		fmt.Println(ae.Path, ae.Value, ae.Type, errors.Is(err, py.ErrTypeMismatch))
	}
	fmt.Println(err)
	// Output:
	// 42 [[message Welcome back]] 2f1e
	// _flashes[0][0] str int true
	// py: cannot assign str to Go value of type int at "_flashes[0][0]"
}

func ExampleValueOf() {
	type session struct {
		UserID   uint64   `json:"user_id"`
		Roles    []string `json:"roles,omitempty"`
		Theme    *string  `json:"theme"`
		Remember bool
		secret   string
	}
	v, err := py.ValueOf(session{UserID: 1 << 63, Remember: true, secret: "x"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, it := range py.SortedDict(v.(map[string]any)) {
		fmt.Printf("%s: %T %v\n", it.Key, it.Value, it.Value)
	}
	// Output:
	// Remember: bool true
	// theme: <nil> <nil>
	// user_id: *big.Int 9223372036854775808
}

func ExampleTruth() {
	// session.permanent is bool(session.get("_permanent")) in Flask.
	for _, v := range []any{nil, int64(0), "", py.Tuple{}, math.NaN(), "0", py.Tuple{nil}} {
		fmt.Printf("%s -> %v\n", py.Repr(v), py.Truth(v))
	}
	// Output:
	// None -> false
	// 0 -> false
	// '' -> false
	// () -> false
	// nan -> true
	// '0' -> true
	// (None,) -> true
}
