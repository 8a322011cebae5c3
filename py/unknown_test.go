package py

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A Flask-Login session as Flask stores it: the app's struct declares
// user_id only; Flask-Login and Flask-WTF add their own keys.
var loginSession = map[string]any{
	"user_id":    int64(42),
	"_user_id":   "42",
	"_fresh":     true,
	"_id":        "2f6b...",
	"csrf_token": "a1b2c3",
	"_flashes":   []any{Tuple{"message", "Hi"}},
}

type withExtra struct {
	UserID int64          `json:"user_id"`
	Rest   map[string]any `json:",unknown"`
}

type withDictExtra struct {
	UserID int64 `json:"user_id"`
	Rest   Dict  `json:",unknown"`
}

// TestUnknownRoundTrip is the regression test of issue 12, point 13:
// decoding a session into a struct and encoding it back dropped every key
// the struct did not declare (Flask-Login's _user_id and _fresh, Flask-WTF's
// csrf_token). A field tagged `json:",unknown"` keeps them.
func TestUnknownRoundTrip(t *testing.T) {
	var s withExtra
	if err := Assign(&s, loginSession); err != nil {
		t.Fatal(err)
	}
	if s.UserID != 42 || len(s.Rest) != 5 || s.Rest["_fresh"] != true {
		t.Fatalf("Assign gave %+v", s)
	}
	if _, ok := s.Rest["user_id"]; ok {
		t.Error("a declared key went to the catch-all too")
	}
	s.UserID = 7
	out, err := ValueOf(s)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{}
	for k, v := range loginSession {
		want[k] = v
	}
	want["user_id"] = int64(7)
	if d := cmp.Diff(want, out); d != "" {
		t.Errorf("ValueOf after Assign (-want +got):\n%s", d)
	}

	// Without the catch-all, the keys are lost (encoding/json's rule).
	var plain struct {
		UserID int64 `json:"user_id"`
	}
	if err := Assign(&plain, loginSession); err != nil {
		t.Fatal(err)
	}
	if out, _ := ValueOf(plain); len(out.(map[string]any)) != 1 {
		t.Errorf("without a catch-all: %v", out)
	}
}

func TestUnknownDict(t *testing.T) {
	src := Dict{{"b", int64(1)}, {"user_id", int64(42)}, {"a", "x"}}
	var s withDictExtra
	if err := Assign(&s, src); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(Dict{{"b", int64(1)}, {"a", "x"}}, s.Rest); d != "" {
		t.Errorf("Dict catch-all keeps the order (-want +got):\n%s", d)
	}
	out, err := ValueOf(s)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]any{"b": int64(1), "a": "x", "user_id": int64(42)}, out); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestUnknownRules(t *testing.T) {
	type embedded struct {
		Rest map[string]any `json:",unknown"`
	}
	type outer struct {
		embedded
		Name  string    `json:"name,omitempty"`
		Login time.Time `json:"login,omitzero"`
	}
	tests := []struct {
		name string
		v    any
		want map[string]any
	}{
		{"declared field wins over the catch-all", withExtra{UserID: 1, Rest: map[string]any{"user_id": int64(2), "x": true}},
			map[string]any{"user_id": int64(1), "x": true}},
		{"an omitted declared field stays omitted", outer{embedded: embedded{Rest: map[string]any{"name": "from rest", "y": int64(1)}}},
			map[string]any{"y": int64(1)}},
		{"catch-all values are converted", withExtra{Rest: map[string]any{"n": int8(3)}},
			map[string]any{"user_id": int64(0), "n": int64(3)}},
		{"nil catch-all", withExtra{UserID: 1}, map[string]any{"user_id": int64(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValueOf(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	t.Run("embedded catch-all receives unknown keys", func(t *testing.T) {
		var o outer
		if err := Assign(&o, map[string]any{"name": "n", "z": int64(1)}); err != nil {
			t.Fatal(err)
		}
		if o.Name != "n" || o.Rest["z"] != int64(1) || len(o.Rest) != 1 {
			t.Errorf("got %+v", o)
		}
	})
	t.Run("existing catch-all is added to", func(t *testing.T) {
		s := withExtra{Rest: map[string]any{"keep": int64(1)}}
		if err := Assign(&s, map[string]any{"new": int64(2)}); err != nil {
			t.Fatal(err)
		}
		if len(s.Rest) != 2 {
			t.Errorf("got %v", s.Rest)
		}
	})
	t.Run("a catch-all of another type is refused", func(t *testing.T) {
		type bad struct {
			Rest map[string]string `json:",unknown"`
		}
		if _, err := ValueOf(bad{}); !errors.Is(err, ErrUnsupportedType) {
			t.Errorf("ValueOf: %v, want ErrUnsupportedType", err)
		}
		var b bad
		if err := Assign(&b, map[string]any{"a": "b"}); !errors.Is(err, ErrUnsupportedType) {
			t.Errorf("Assign: %v, want ErrUnsupportedType", err)
		}
	})
}

// FuzzUnknown checks the catch-all's promise on arbitrary dicts: decoded
// into a struct that declares one key and encoded back, a dict comes back
// whole, every undeclared key with its value.
func FuzzUnknown(f *testing.F) {
	f.Add([]byte{9, 3, 1, 2, 1, 2, 0x12, 0x34})
	f.Add([]byte{10, 4, 2, 5, 2, 'a', 'b', 'c', 'd', 'e'})
	f.Add([]byte{9, 4, 27, 9, 1, 29, 2, 10, 2, 6, 11, 4, 0, 28, 9, 2, 1, 2, 2, 0x7f})
	type session struct {
		ID   any            `json:"id,omitempty"`
		Rest map[string]any `json:",unknown"`
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, _ := fuzzValue(data, 0)
		d, ok := dictItems(src)
		if !ok {
			return
		}
		want := map[string]any{}
		for _, it := range d {
			if it.Key != "id" && foldName(it.Key) == foldName("id") {
				return // matches the declared field ignoring case, as in encoding/json
			}
			want[it.Key] = it.Value
		}
		if v, ok := want["id"]; ok && v == nil {
			delete(want, "id") // None in an omitempty field is omitted
		}
		var s session
		if err := Assign(&s, src); err != nil {
			t.Fatalf("Assign: %v", err)
		}
		got, err := ValueOf(s)
		if err != nil {
			t.Fatalf("ValueOf: %v", err)
		}
		if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
			t.Errorf("a dict through a struct with a catch-all (-want +got):\n%s", diff)
		}
	})
}
