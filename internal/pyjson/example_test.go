package pyjson_test

import (
	"fmt"

	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/py"
)

// The outputs below are what CPython 3.11's json.dumps and json.loads give.

func ExampleAppend() {
	v := py.Dict{{Key: "user", Value: "Zoë"}, {Key: "_fresh", Value: false}, {Key: "n", Value: 1.0}}
	// itsdangerous URLSafeSerializer: separators=(",", ":"), ensure_ascii=False.
	b, _ := pyjson.Append(nil, v, pyjson.Dialect{Compact: true})
	fmt.Println(string(b))
	// Flask session: compact, ensure_ascii=True, sort_keys=True.
	b, _ = pyjson.Append(nil, v, pyjson.Dialect{Compact: true, ASCII: true, SortKeys: true})
	fmt.Println(string(b))
	// Output:
	// {"user":"Zoë","_fresh":false,"n":1.0}
	// {"_fresh":false,"n":1.0,"user":"Zo\u00eb"}
}

func ExampleDecode() {
	v, err := pyjson.Decode([]byte(`{"a": [1, 2.5, NaN], "b": 1e400, "a": 18446744073709551616}`), pyjson.Options{Ordered: true})
	if err != nil {
		panic(err)
	}
	for _, it := range v.(py.Dict) {
		fmt.Printf("%s: %T %v\n", it.Key, it.Value, it.Value)
	}
	// Output:
	// a: *big.Int 18446744073709551616
	// b: float64 +Inf
}
