package pyjson

import (
	"encoding/json"
	"testing"

	"github.com/flaskcookie/flaskcookie/py"
)

// The encoding/json benchmarks are a baseline to compare with in the same
// run (their output differs from Python's).

var (
	smallMap = map[string]any{
		"_fresh": false, "_id": "0f3a6b2c9d", "user_id": int64(42),
		"csrf_token": "d41d8cd98f00b204e9800998ecf8427e", "lang": "fr",
	}
	smallDict = py.Dict{
		{Key: "_fresh", Value: false}, {Key: "_id", Value: "0f3a6b2c9d"}, {Key: "user_id", Value: int64(42)},
		{Key: "csrf_token", Value: "d41d8cd98f00b204e9800998ecf8427e"}, {Key: "lang", Value: "fr"},
	}
	smallObject = []byte(`{"_fresh":false,"_id":"0f3a6b2c9d","user_id":42,"csrf_token":"d41d8cd98f00b204e9800998ecf8427e","lang":"fr","scores":[1.5,2,null]}`)
)

func BenchmarkAppendSmallMap(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 256)
	d := Dialect{Compact: true, ASCII: true, SortKeys: true}
	for i := 0; i < b.N; i++ {
		var err error
		if buf, err = Append(buf[:0], smallMap, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendSmallDict(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 256)
	d := Dialect{Compact: true}
	var v any = smallDict // box once, outside the loop
	for i := 0; i < b.N; i++ {
		var err error
		if buf, err = Append(buf[:0], v, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendSmallMapEncodingJSON(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := json.Marshal(smallMap); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSmallObject(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(smallObject, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeSmallObjectMaxValues is BenchmarkDecodeSmallObject with
// the value budget the serializers set (issue 12): compare the two.
func BenchmarkDecodeSmallObjectMaxValues(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(smallObject, Options{MaxValues: 8192}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSmallObjectOrdered(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(smallObject, Options{Ordered: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSmallObjectEncodingJSON(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var v any
		if err := json.Unmarshal(smallObject, &v); err != nil {
			b.Fatal(err)
		}
	}
}
