// Package py defines the Go representation of the Python values that travel
// inside itsdangerous tokens and Flask session cookies.
//
// One value model is shared by every layer of flaskcookie: the JSON reader
// and writer, Flask's tagged JSON in package codec, the command-line printer
// and parser, and the tests. A decoded value is built from this closed set of
// Go types, so that "what Python holds" can be compared exactly:
//
//	Python              Go (decoded)            Go (also accepted when encoding)
//	None                nil
//	bool                bool
//	int                 int64, or *big.Int      int, int8..int64, uint..uint64, big.Int
//	                    when it does not fit
//	float               float64                 float32
//	str                 string
//	bytes               []byte                  (Flask tag " b")
//	list                []any                   any slice or array
//	tuple               Tuple                   (Flask tag " t")
//	dict                map[string]any          Dict (keeps insertion order), any map
//	                                            with string keys, structs
//	markupsafe.Markup   Markup                  (Flask tag " m")
//	uuid.UUID           UUID                    (Flask tag " u")
//	datetime.datetime   time.Time (UTC)         (Flask tag " d")
//
// Floats keep NaN, ±Inf and -0.0. Integers are exact at any size. Strings
// hold UTF-8; a lone UTF-16 surrogate, which a Python str can hold but UTF-8
// cannot, is kept in its generalized UTF-8 (WTF-8) form so that it is written
// back as the same \udXXXX escape.
//
// Structs are a convenience layered on top: [ValueOf] turns a Go value (with
// encoding/json style struct tags) into the generic form, and [Assign] stores
// a generic value into a Go variable, the way encoding/json does.
package py
