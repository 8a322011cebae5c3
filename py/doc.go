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
//
// # Keys a struct does not declare
//
// As with encoding/json, [Assign] drops the keys of a dict that no field of
// the struct declares, and [ValueOf] cannot write them back. For a session
// that other code shares (Flask-Login's _user_id, _fresh and _id, Flask-WTF's
// csrf_token, flashed messages), decoding into a struct and encoding it again
// would then delete them. Declare a catch-all field tagged `json:",unknown"`
// (the option of encoding/json/v2), of type map[string]any or [Dict]: it
// receives every undeclared key with its value, and ValueOf writes them back
// beside the declared fields:
//
//	type Session struct {
//		UserID int64          `json:"user_id"`
//		Login  time.Time      `json:"login,omitzero"`
//		Rest   map[string]any `json:",unknown"`
//	}
//
// For time.Time (and UUID) fields, use omitzero (or a pointer with
// omitempty): omitempty does not omit a zero struct, so a session without
// the key would gain one holding the zero time.
package py
