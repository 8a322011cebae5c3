package pyoracle

// The oracle's Flask session operations. Expected values come from the spec or are
// typed by hand, as in oracle_test.go.

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestFlaskDumps(t *testing.T) {
	o := Shared(t)
	tests := []struct {
		name           string
		value          json.RawMessage
		wantCookie     string
		wantJSON       string
		wantCompressed bool
	}{
		{
			name:       "V10 user_id",
			value:      json.RawMessage(tvUserID42),
			wantCookie: v10Cookie,
			wantJSON:   `{"user_id":42}`,
		},
		{
			name: "V10 flashes and permanent",
			value: json.RawMessage(`{"t":"dict","v":[["_flashes",{"t":"list","v":[{"t":"tuple","v":[{"t":"str","v":"message"},{"t":"str","v":"Hello"}]}]}],
				["_permanent",{"t":"bool","v":true}]]}`),
			wantCookie: "eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIkhlbGxvIl19XSwiX3Blcm1hbmVudCI6dHJ1ZX0.ZVPxAA.VD8nVcas4FnmNnhw972TP5w98uw",
			wantJSON:   `{"_flashes":[{" t":["message","Hello"]}],"_permanent":true}`,
		},
		{
			name:           "V9 every tag",
			value:          v9Value(true, "tuple", false),
			wantCookie:     v9Cookie,
			wantJSON:       v9JSON,
			wantCompressed: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, o, FlaskDumpsRequest{Secret: Bytes(devSecret), Now: t0, Value: tt.value})
			if !r.OK {
				t.Fatal(r.Describe())
			}
			if r.Cookie != tt.wantCookie {
				t.Errorf("cookie = %s\nwant     %s", r.Cookie, tt.wantCookie)
			}
			if r.JSON != tt.wantJSON {
				t.Errorf("json = %s\nwant   %s", r.JSON, tt.wantJSON)
			}
			if r.Compressed != tt.wantCompressed {
				t.Errorf("compressed = %v, want %v", r.Compressed, tt.wantCompressed)
			}
		})
	}
}

func TestFlaskLoads(t *testing.T) {
	o := Shared(t)
	// {" b":"YWJ"} signed like a Flask cookie but with plain JSON: the bytes
	// tag holds bad base64, which Flask reports as BadPayload (spec 4.3).
	badTag := do(t, o, ItsdangerousRequest{Class: "URLSafeTimedSerializer", Keys: []Bytes{Bytes(devSecret)}, Salt: B("cookie-session"),
		KeyDerivation: "hmac", Digest: "sha1", Action: "dumps", Now: t0,
		Value: json.RawMessage(`{"t":"dict","v":[[" b",{"t":"str","v":"YWJ"}]]}`)})
	if !badTag.OK {
		t.Fatal(badTag.Describe())
	}
	tests := []struct {
		name      string
		req       FlaskLoadsRequest
		wantClass string // "" for ok
		wantOpen  string
		wantJSON  string
		wantValue string
	}{
		{
			name:      "V10",
			req:       FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0, Cookie: v10Cookie},
			wantOpen:  OpenSessionOK,
			wantJSON:  `{"user_id":42}`,
			wantValue: tvUserID42,
		},
		{
			name:     "V9 re-dumps to the spec JSON",
			req:      FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0, Cookie: v9Cookie},
			wantOpen: OpenSessionOK,
			wantJSON: v9JSON,
			// The datetime loses its microseconds (spec V9).
			wantValue: string(v9Value(false, "tuple", true)),
		},
		{
			name:     "4.5 still valid at the default max_age",
			req:      FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0 + flaskMax, Cookie: v10Cookie},
			wantOpen: OpenSessionOK,
			wantJSON: `{"user_id":42}`,
		},
		{
			name:      "4.5 one second past the default max_age",
			req:       FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0 + flaskMax + 1, Cookie: v10Cookie},
			wantClass: ClassSignatureExpired,
			wantOpen:  OpenSessionEmpty,
		},
		{
			name:      "4.5 a future timestamp",
			req:       FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0 - 1, Cookie: v10Cookie},
			wantClass: ClassSignatureExpired,
			wantOpen:  OpenSessionEmpty,
		},
		{
			name:     "max_age None never expires",
			req:      FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0 + 1e9, NoMaxAge: true, Cookie: v10Cookie},
			wantOpen: OpenSessionOK,
			wantJSON: `{"user_id":42}`,
		},
		{
			name:      "explicit max_age",
			req:       FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0 + 11, MaxAge: ptr(int64(10)), Cookie: v10Cookie},
			wantClass: ClassSignatureExpired,
			wantOpen:  OpenSessionEmpty,
		},
		{
			name:      "wrong secret",
			req:       FlaskLoadsRequest{Secret: Bytes("other"), Now: t0, Cookie: v10Cookie},
			wantClass: ClassBadTimeSignature,
			wantOpen:  OpenSessionEmpty,
		},
		{
			name:      "tampered payload",
			req:       FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0, Cookie: "eyJ1c2VyX2lkIjo0M30.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"},
			wantClass: ClassBadTimeSignature,
			wantOpen:  OpenSessionEmpty,
		},
		{
			name:      "empty cookie",
			req:       FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0, Cookie: ""},
			wantClass: ClassBadSignature,
			wantOpen:  OpenSessionEmpty,
		},
		{
			name:      "bad bytes tag propagates as BadPayload",
			req:       FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0, Cookie: string(badTag.Token)},
			wantClass: ClassBadPayload,
			wantOpen:  OpenSessionError,
		},
		{
			name:      "empty secret gives a NullSession",
			req:       FlaskLoadsRequest{Secret: Bytes(""), Now: t0, Cookie: v10Cookie},
			wantClass: ClassException,
			wantOpen:  OpenSessionNull,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, o, tt.req)
			if tt.wantClass == "" && !r.OK {
				t.Fatalf("got %s, want ok", r.Describe())
			}
			if tt.wantClass != "" && (r.OK || r.Error != tt.wantClass) {
				t.Fatalf("got %s, want %s", r.Describe(), tt.wantClass)
			}
			if r.OpenSession != tt.wantOpen {
				t.Errorf("open_session = %q, want %q", r.OpenSession, tt.wantOpen)
			}
			if r.JSON != tt.wantJSON {
				t.Errorf("json = %s\nwant   %s", r.JSON, tt.wantJSON)
			}
			if tt.wantValue != "" && !sameJSON(t, r.Value, json.RawMessage(tt.wantValue)) {
				t.Errorf("value = %s\nwant    %s", r.Value, tt.wantValue)
			}
		})
	}
}

func TestFlaskFallbacks(t *testing.T) {
	o := Shared(t)
	old := do(t, o, FlaskDumpsRequest{Secret: Bytes("old-secret"), Now: t0, Value: json.RawMessage(tvUserID42)})
	plainNew := do(t, o, FlaskDumpsRequest{Secret: Bytes("new-secret"), Now: t0, Value: json.RawMessage(tvUserID42)})
	rotated := do(t, o, FlaskDumpsRequest{Secret: Bytes("new-secret"), Fallbacks: []Bytes{Bytes("old-secret")}, Now: t0, Value: json.RawMessage(tvUserID42)})
	if !old.OK || !plainNew.OK || !rotated.OK {
		t.Fatalf("dumps failed: %s / %s / %s", old.Describe(), plainNew.Describe(), rotated.Describe())
	}
	if rotated.Cookie != plainNew.Cookie {
		t.Errorf("with fallbacks the cookie is %s, want the current key's %s (spec 4.2, Flask >= 3.1.1)", rotated.Cookie, plainNew.Cookie)
	}
	if r := do(t, o, FlaskLoadsRequest{Secret: Bytes("new-secret"), Fallbacks: []Bytes{Bytes("old-secret")}, Now: t0, Cookie: old.Cookie}); !r.OK {
		t.Errorf("old cookie with the old key as fallback: %s, want ok", r.Describe())
	}
	if r := do(t, o, FlaskLoadsRequest{Secret: Bytes("new-secret"), Now: t0, Cookie: old.Cookie}); r.OpenSession != OpenSessionEmpty {
		t.Errorf("old cookie without fallback: %s open_session %q, want empty", r.Describe(), r.OpenSession)
	}
}

func TestFlaskCheck(t *testing.T) {
	o := Shared(t)
	dt := func(us, offset string) string {
		return fmt.Sprintf(`{"t":"datetime","v":1700000000,"us":%s,"offset":%s}`, us, offset)
	}
	tests := []struct {
		name   string
		value  string // stored through flask_dumps
		expect string
		equal  bool
	}{
		{name: "V9 as read back", value: string(v9Value(true, "tuple", false)), expect: string(v9Value(false, "tuple", true)), equal: true},
		{name: "tuple is not list", value: string(v9Value(true, "tuple", false)), expect: string(v9Value(false, "list", true)), equal: false},
		{name: "microseconds are lost", value: string(v9Value(true, "tuple", false)), expect: string(v9Value(true, "tuple", false)), equal: false},
		{name: "int", value: `{"t":"int","v":"1"}`, expect: `{"t":"int","v":"1"}`, equal: true},
		{name: "int is not float", value: `{"t":"int","v":"1"}`, expect: `{"t":"float","v":"1.0"}`, equal: false},
		{name: "int is not bool", value: `{"t":"int","v":"1"}`, expect: `{"t":"bool","v":true}`, equal: false},
		{name: "NaN equals NaN", value: `{"t":"float","v":"nan"}`, expect: `{"t":"float","v":"nan"}`, equal: true},
		{name: "-0.0 is not 0.0", value: `{"t":"float","v":"-0.0"}`, expect: `{"t":"float","v":"0.0"}`, equal: false},
		{name: "-0.0", value: `{"t":"float","v":"-0.0"}`, expect: `{"t":"float","v":"-0.0"}`, equal: true},
		{name: "Markup is not str", value: `{"t":"markup","v":"<b>"}`, expect: `{"t":"str","v":"<b>"}`, equal: false},
		{name: "bytes is not str", value: `{"t":"bytes","v":"6869"}`, expect: `{"t":"str","v":"hi"}`, equal: false},
		{name: "big int", value: `{"t":"int","v":"123456789012345678901234567890"}`, expect: `{"t":"int","v":"123456789012345678901234567890"}`, equal: true},
		{name: "lone surrogate", value: `{"t":"str","wtf8":"eda080"}`, expect: `{"t":"str","wtf8":"eda080"}`, equal: true},
		{name: "aware UTC datetime", value: dt("0", "0"), expect: dt("0", "0"), equal: true},
		{name: "naive is not aware", value: dt("0", "0"), expect: dt("0", "null"), equal: false},
		{name: "same instant, other offset", value: dt("0", "0"), expect: dt("0", "7200"), equal: false},
		{name: "naive is stored as UTC", value: dt("0", "null"), expect: dt("0", "0"), equal: true},
		{name: "missing dict key", value: `{"t":"dict","v":[["a",{"t":"none"}],["b",{"t":"none"}]]}`, expect: `{"t":"dict","v":[["a",{"t":"none"}]]}`, equal: false},
		{name: "dict order is not compared", value: `{"t":"dict","v":[["b",{"t":"none"}],["a",{"t":"none"}]]}`, expect: `{"t":"dict","v":[["a",{"t":"none"}],["b",{"t":"none"}]]}`, equal: true},
		{name: "nested type", value: `{"t":"dict","v":[["a",{"t":"list","v":[{"t":"tuple","v":[]}]}]]}`, expect: `{"t":"dict","v":[["a",{"t":"list","v":[{"t":"list","v":[]}]}]]}`, equal: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := do(t, o, FlaskDumpsRequest{Secret: Bytes(devSecret), Now: t0, Value: json.RawMessage(tt.value)})
			if !d.OK {
				t.Fatal(d.Describe())
			}
			r := do(t, o, FlaskCheckRequest{
				FlaskLoadsRequest: FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0, Cookie: d.Cookie},
				Expect:            json.RawMessage(tt.expect),
			})
			if !r.OK {
				t.Fatal(r.Describe())
			}
			if r.Equal != tt.equal {
				t.Errorf("equal = %v (diff %q), want %v; loaded %s", r.Equal, r.Diff, tt.equal, r.Value)
			}
			if r.Equal == (r.Diff != "") {
				t.Errorf("equal = %v but diff = %q", r.Equal, r.Diff)
			}
		})
	}

	t.Run("a failed load is reported, not compared", func(t *testing.T) {
		r := do(t, o, FlaskCheckRequest{
			FlaskLoadsRequest: FlaskLoadsRequest{Secret: Bytes("other"), Now: t0, Cookie: v10Cookie},
			Expect:            json.RawMessage(tvUserID42),
		})
		if r.OK || r.Error != ClassBadTimeSignature || r.OpenSession != OpenSessionEmpty {
			t.Errorf("got %s open_session %q, want BadTimeSignature and empty", r.Describe(), r.OpenSession)
		}
	})
}
