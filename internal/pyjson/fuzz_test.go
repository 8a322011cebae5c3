package pyjson

import (
	"errors"
	"testing"
)

func FuzzDecode(f *testing.F) {
	vf := loadVectors(f)
	seeds := 0
	for _, c := range vf.Reader {
		b, err := bytesField(c.Input)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) < 4096 {
			f.Add(b)
			seeds++
		}
	}
	if seeds == 0 {
		f.Fatal("no fuzz seeds loaded")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ordered := range []bool{false, true} {
			o := Options{Ordered: ordered}
			v, err := Decode(data, o)
			if err != nil {
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("Decode error %v is not a *DecodeError", err)
				}
				continue
			}
			for _, d := range []Dialect{{Compact: true, ASCII: true}, {}} {
				out, err := Append(nil, v, d)
				if err != nil {
					if !d.ASCII && errors.Is(err, ErrInvalidUTF8) {
						continue // a lone surrogate needs ASCII escaping
					}
					t.Fatalf("Append(%#v, %+v): %v", v, d, err)
				}
				v2, err := Decode(out, o)
				if err != nil {
					t.Fatalf("Decode(Append(Decode(%q))) = Decode(%q): %v", data, out, err)
				}
				if !equal(v, v2) {
					t.Fatalf("round trip of %q via %q: %#v != %#v", data, out, v, v2)
				}
			}
		}
	})
}
