package pyoracle

// The oracle's itsdangerous operations. Expected values come from the spec or are
// typed by hand, as in oracle_test.go.

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestItsdangerousGolden(t *testing.T) {
	o := Shared(t)
	key := []Bytes{Bytes(secretKey)}
	a1000 := fmt.Sprintf(`{"t":"str","v":%q}`, strings.Repeat("a", 1000))
	tests := []struct {
		name string
		req  ItsdangerousRequest
		want string
	}{
		{
			name: "V1 Signer default",
			req:  ItsdangerousRequest{Class: "Signer", Keys: key, Action: "sign", Now: t0, Value: Bytes("my string")},
			want: "my string.wh6tMHxLgJqB6oY1uT73iMlyrOA",
		},
		{
			name: "V1 Signer at another time",
			req:  ItsdangerousRequest{Class: "Signer", Keys: key, Action: "sign", Now: 12345, Value: Bytes("my string")},
			want: "my string.wh6tMHxLgJqB6oY1uT73iMlyrOA",
		},
		{
			name: "V2 concat sha256",
			req: ItsdangerousRequest{Class: "Signer", Keys: key, Salt: B("my-salt"), KeyDerivation: "concat",
				Digest: "sha256", Action: "sign", Now: t0, Value: Bytes("hello world")},
			want: "hello world.T0iNDWtfnr9GEwPZJ0gHp9w1lYWX2uQnjXfnpAPa-rs",
		},
		{
			name: "V3 django-concat sha256",
			req: ItsdangerousRequest{Class: "Signer", Keys: key, Salt: B("my-salt"), KeyDerivation: "django-concat",
				Digest: "sha256", Action: "sign", Now: t0, Value: Bytes("hello world")},
			want: "hello world.bDwlLStR2ekzlRj3qvCKH2LOnOXaEfP-d2AstOJSe58",
		},
		{
			name: "V4 hmac sha256",
			req: ItsdangerousRequest{Class: "Signer", Keys: key, Salt: B("my-salt"), KeyDerivation: "hmac",
				Digest: "sha256", Action: "sign", Now: t0, Value: Bytes("hello world")},
			want: "hello world.mhiZYF4LJ0U2xFyWPstUT6_GnIJtg5wNjhTH8Q9RdWw",
		},
		{
			name: "V5 none sha256",
			req: ItsdangerousRequest{Class: "Signer", Keys: key, Salt: B("my-salt"), KeyDerivation: "none",
				Digest: "sha256", Action: "sign", Now: t0, Value: Bytes("hello world")},
			want: "hello world.CV1aIf5tBkbbIj_fPeZDa7jfsvqwtRZ37PZEH89fKmc",
		},
		{
			name: "md5",
			req:  ItsdangerousRequest{Class: "Signer", Keys: key, Digest: "md5", Action: "sign", Now: t0, Value: Bytes("v")},
			want: "v.VLuUJUsPirFVHpxVjw3lXg",
		},
		{
			name: "colon separator",
			req:  ItsdangerousRequest{Class: "Signer", Keys: key, Sep: B(":"), Action: "sign", Now: t0, Value: Bytes("a.b")},
			want: "a.b:W0U72B29IcPNDNsMSmXlI2pVx1w",
		},
		{
			name: "NoneAlgorithm",
			req:  ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Algorithm: "none", Action: "sign", Now: t0, Value: Bytes("v")},
			want: "v.",
		},
		{
			name: "V6 TimestampSigner",
			req:  ItsdangerousRequest{Class: "TimestampSigner", Keys: key, Action: "sign", Now: t0, Value: Bytes("value")},
			want: "value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw",
		},
		{
			name: "V6 TimestampSigner cookie-session hmac sha256",
			req: ItsdangerousRequest{Class: "TimestampSigner", Keys: key, Salt: B("cookie-session"), KeyDerivation: "hmac",
				Digest: "sha256", Action: "sign", Now: t0, Value: Bytes("value")},
			want: "value.ZVPxAA.kkafDtaFlS0pnhRf1MpQVPDVlUif-dZ6tSl2607Q_ek",
		},
		{
			name: "7.1 TimestampSigner at 1308874145",
			req:  ItsdangerousRequest{Class: "TimestampSigner", Keys: key, Action: "sign", Now: t1, Value: Bytes("value")},
			want: "value.TgPVoQ.UuTmbd1hhGp7tyOFjT0H9ILwyfg",
		},
		{
			name: "V7 URLSafeTimedSerializer plain payload",
			req: ItsdangerousRequest{Class: "URLSafeTimedSerializer", Keys: key, Salt: B("activate"), Action: "dumps", Now: t0,
				Value: json.RawMessage(`{"t":"dict","v":[["id",{"t":"int","v":"42"}],["name",{"t":"str","v":"J\u00fcrgen"}],
					["l",{"t":"list","v":[{"t":"int","v":"1"},{"t":"float","v":"2.5"},{"t":"none"},{"t":"bool","v":true}]}]]}`)},
			want: "eyJpZCI6NDIsIm5hbWUiOiJKw7xyZ2VuIiwibCI6WzEsMi41LG51bGwsdHJ1ZV19.ZVPxAA.wPhp4cNvsKqaL_rvRpHOASkZ_0U",
		},
		{
			name: "V8 URLSafeTimedSerializer compressed payload",
			req: ItsdangerousRequest{Class: "URLSafeTimedSerializer", Keys: key, Action: "dumps", Now: t0,
				Value: json.RawMessage(fmt.Sprintf(`{"t":"dict","v":[["data",{"t":"str","v":%q}]]}`, strings.Repeat("a", 100)))},
			want: ".eJyrVkpJLElUslJKpANQqgUA6jEpOQ.ZVPxAA.HWFMHflv7fFQiqc107Q1vauLbAs",
		},
		{
			name: "7.1 URLSafeSerializer compressed",
			req:  ItsdangerousRequest{Class: "URLSafeSerializer", Keys: key, Action: "dumps", Now: t1, Value: json.RawMessage(a1000)},
			want: ".eJxTShwFo2AUDHugBAD6Fns8.NYEsGZpsS7Gu_E4ck8v7NEZ78HQ",
		},
		{
			name: "V12 rotation signs with the last key",
			req: ItsdangerousRequest{Class: "URLSafeSerializer", Keys: []Bytes{Bytes("old-key"), Bytes("new-key")}, Salt: B("rot"),
				Action: "dumps", Now: t0, Value: json.RawMessage(`{"t":"list","v":[{"t":"int","v":"1"},{"t":"int","v":"2"},{"t":"int","v":"3"}]}`)},
			want: "WzEsMiwzXQ.NbDAXWtAdPg7bIiNP7PTiHIjtsQ",
		},
		{
			name: "V13 Serializer",
			req: ItsdangerousRequest{Class: "Serializer", Keys: []Bytes{Bytes("dev key")}, Salt: B("dev salt"), Action: "dumps",
				Now: t0, Value: json.RawMessage(`{"t":"list","v":[{"t":"int","v":"42"}]}`)},
			want: "[42].-9cNi0CxsSB3hZPNCe9a2eEs1ZM",
		},
		{
			name: "V13 Serializer ensure_ascii",
			req: ItsdangerousRequest{Class: "Serializer", Keys: key, Action: "dumps", Now: t0,
				Value: json.RawMessage(`{"t":"dict","v":[["a",{"t":"int","v":"1"}],["b",{"t":"str","v":"\u00fc"}]]}`)},
			want: `{"a": 1, "b": "\u00fc"}.HveslFQKzbPOLFpHmx_V8limXCA`,
		},
		{
			name: "7.1 test_digests sha512",
			req: ItsdangerousRequest{Class: "Serializer", Keys: []Bytes{Bytes("dev key")}, Salt: B("dev salt"), Digest: "sha512",
				Action: "dumps", Now: t0, Value: json.RawMessage(`{"t":"list","v":[{"t":"int","v":"42"}]}`)},
			want: "[42].MKCz_0nXQqv7wKpfHZcRtJRmpT2T5uvs9YQsJEhJimqxc9bCLxG31QzS5uC8OVBI1i6jyOLAFNoKaF5ckO9L5Q",
		},
		{
			name: "7.1 TimedSerializer",
			req: ItsdangerousRequest{Class: "TimedSerializer", Keys: []Bytes{Bytes("secret_key")}, Action: "dumps", Now: t1,
				Value: json.RawMessage(`{"t":"dict","v":[["id",{"t":"int","v":"42"}]]}`)},
			want: `{"id": 42}.TgPVoQ.go_XSHIC1FOMQN1sUJC45Z1lZRw`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, o, tt.req)
			if !r.OK {
				t.Fatalf("%s", r.Describe())
			}
			if string(r.Token) != tt.want {
				t.Errorf("token = %q, want %q", r.Token, tt.want)
			}
		})
	}
}

func TestItsdangerousVerify(t *testing.T) {
	o := Shared(t)
	key := []Bytes{Bytes(secretKey)}
	tests := []struct {
		name       string
		req        ItsdangerousRequest
		wantValue  string // a bytestr (unsign) or tv (loads), as JSON
		wantSigned *int64
	}{
		{
			name:      "V1 unsign",
			req:       ItsdangerousRequest{Class: "Signer", Keys: key, Action: "unsign", Now: t0, Token: Bytes("my string.wh6tMHxLgJqB6oY1uT73iMlyrOA")},
			wantValue: `"my string"`,
		},
		{
			name:      "V1 unsign accepts +/ and padding (spec 0.3)",
			req:       ItsdangerousRequest{Class: "Signer", Keys: key, Action: "unsign", Now: t0, Token: Bytes("my string.wh6tMHxLgJqB6oY1uT73iMlyrOA==")},
			wantValue: `"my string"`,
		},
		{
			name: "V6 unsign at max_age",
			req: ItsdangerousRequest{Class: "TimestampSigner", Keys: key, Action: "unsign", Now: t0 + 10, MaxAge: ptr(int64(10)),
				Token: Bytes("value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw")},
			wantValue:  `"value"`,
			wantSigned: ptr(int64(t0)),
		},
		{
			name: "V6 unsign without return_timestamp",
			req: ItsdangerousRequest{Class: "TimestampSigner", Keys: key, Action: "unsign", Now: t0, ReturnTimestamp: ptr(false),
				Token: Bytes("value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw")},
			wantValue: `"value"`,
		},
		{
			name: "V7 loads",
			req: ItsdangerousRequest{Class: "URLSafeTimedSerializer", Keys: key, Salt: B("activate"), Action: "loads", Now: t0 + 100,
				Token: Bytes("eyJpZCI6NDIsIm5hbWUiOiJKw7xyZ2VuIiwibCI6WzEsMi41LG51bGwsdHJ1ZV19.ZVPxAA.wPhp4cNvsKqaL_rvRpHOASkZ_0U")},
			wantValue: `{"t":"dict","v":[["id",{"t":"int","v":"42"}],["name",{"t":"str","v":"Jürgen"}],
				["l",{"t":"list","v":[{"t":"int","v":"1"},{"t":"float","v":"2.5"},{"t":"none"},{"t":"bool","v":true}]}]]}`,
			wantSigned: ptr(int64(t0)),
		},
		{
			name: "V8 loads compressed",
			req: ItsdangerousRequest{Class: "URLSafeTimedSerializer", Keys: key, Action: "loads", Now: t0,
				Token: Bytes(".eJyrVkpJLElUslJKpANQqgUA6jEpOQ.ZVPxAA.HWFMHflv7fFQiqc107Q1vauLbAs")},
			wantValue:  fmt.Sprintf(`{"t":"dict","v":[["data",{"t":"str","v":%q}]]}`, strings.Repeat("a", 100)),
			wantSigned: ptr(int64(t0)),
		},
		{
			name: "V13 loads with call salt",
			req: ItsdangerousRequest{Class: "Serializer", Keys: []Bytes{Bytes("dev key")}, CallSalt: B("dev salt"), Action: "loads",
				Now: t0, Token: Bytes("[42].-9cNi0CxsSB3hZPNCe9a2eEs1ZM")},
			wantValue: `{"t":"list","v":[{"t":"int","v":"42"}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, o, tt.req)
			if !r.OK {
				t.Fatalf("%s", r.Describe())
			}
			if !sameJSON(t, r.Value, json.RawMessage(tt.wantValue)) {
				t.Errorf("value = %s, want %s", r.Value, tt.wantValue)
			}
			if !reflect.DeepEqual(r.DateSigned, tt.wantSigned) {
				t.Errorf("date_signed = %v, want %v", fmtPtr(r.DateSigned), fmtPtr(tt.wantSigned))
			}
		})
	}
}

func fmtPtr(p *int64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func TestItsdangerousErrors(t *testing.T) {
	o := Shared(t)
	key := []Bytes{Bytes(secretKey)}
	v6 := Bytes("value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw")
	ts := func(now int64, maxAge *int64, token Bytes) ItsdangerousRequest {
		return ItsdangerousRequest{Class: "TimestampSigner", Keys: key, Action: "unsign", Now: now, MaxAge: maxAge, Token: token}
	}
	// A token whose payload is not JSON, validly signed for
	// URLSafeSerializer (salt "itsdangerous"); the oracle signs it.
	notJSON := do(t, o, ItsdangerousRequest{Class: "Signer", Keys: key, Salt: B("itsdangerous"), Action: "sign", Now: t0, Value: Bytes("eyJhIjo")})
	if !notJSON.OK {
		t.Fatalf("signing the bad payload: %s", notJSON.Describe())
	}
	// A validly signed timestamp too large for a datetime.
	farFuture := do(t, o, ItsdangerousRequest{Class: "TimestampSigner", Keys: key, Action: "sign", Now: 300000000000, Value: Bytes("v")})
	if !farFuture.OK {
		t.Fatalf("signing in the far future: %s", farFuture.Describe())
	}

	tests := []struct {
		name        string
		req         ItsdangerousRequest
		wantClass   string
		wantType    string // for ClassException
		wantMessage string // substring
		wantSigned  *int64
		wantPayload *Bytes
	}{
		{
			name:        "changed value does not match the signature",
			req:         ItsdangerousRequest{Class: "Signer", Keys: key, Action: "unsign", Now: t0, Token: Bytes("other string.wh6tMHxLgJqB6oY1uT73iMlyrOA")},
			wantClass:   ClassBadSignature,
			wantMessage: "does not match",
			wantPayload: B("other string"),
		},
		{
			name:        "wrong key does not match",
			req:         ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("other-key")}, Action: "unsign", Now: t0, Token: Bytes("my string.wh6tMHxLgJqB6oY1uT73iMlyrOA")},
			wantClass:   ClassBadSignature,
			wantPayload: B("my string"),
		},
		{
			name:        "no separator",
			req:         ItsdangerousRequest{Class: "Signer", Keys: key, Action: "unsign", Now: t0, Token: Bytes("no separator here")},
			wantClass:   ClassBadSignature,
			wantMessage: "No b'.' found in value",
		},
		{
			name:        "tampered timestamped value keeps date_signed",
			req:         ts(t0, nil, Bytes("valuf.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw")),
			wantClass:   ClassBadTimeSignature,
			wantSigned:  ptr(int64(t0)),
			wantPayload: B("valuf"),
		},
		{
			name:        "one second past max_age",
			req:         ts(t0+11, ptr(int64(10)), v6),
			wantClass:   ClassSignatureExpired,
			wantMessage: "Signature age 11 > 10 seconds",
			wantSigned:  ptr(int64(t0)),
			wantPayload: B("value"),
		},
		{
			name:        "timestamp in the future",
			req:         ts(t0-1, ptr(int64(10)), v6),
			wantClass:   ClassSignatureExpired,
			wantMessage: "Signature age -1 < 0 seconds",
			wantSigned:  ptr(int64(t0)),
			wantPayload: B("value"),
		},
		{
			name:        "a Signer token has no timestamp",
			req:         ts(t0, nil, Bytes("my string.wh6tMHxLgJqB6oY1uT73iMlyrOA")),
			wantClass:   ClassBadTimeSignature,
			wantMessage: "timestamp missing",
			wantPayload: B("my string"),
		},
		{
			name:        "7.1 malformed future timestamp",
			req:         ts(t1, nil, Bytes("value.TgPVoaGhoQ.AGBfQ6G6cr07byTRt0zAdPljHOY")),
			wantClass:   ClassBadTimeSignature,
			wantMessage: "Malformed timestamp",
			wantPayload: B("value"),
		},
		{
			name:      "signed payload that is not JSON",
			req:       ItsdangerousRequest{Class: "URLSafeSerializer", Keys: key, Action: "loads", Now: t0, Token: notJSON.Token},
			wantClass: ClassBadPayload,
		},
		{
			name:        "absurd timestamp with return_timestamp is a ValueError",
			req:         ts(300000000000, nil, farFuture.Token),
			wantClass:   ClassException,
			wantType:    "ValueError",
			wantMessage: "out of range",
		},
		{
			name:        "serializer salt differs from the call salt",
			req:         ItsdangerousRequest{Class: "Serializer", Keys: []Bytes{Bytes("dev key")}, Salt: B("dev salt"), CallSalt: B("other"), Action: "loads", Now: t0, Token: Bytes("[42].-9cNi0CxsSB3hZPNCe9a2eEs1ZM")},
			wantClass:   ClassBadSignature,
			wantPayload: B("[42]"),
		},
		{
			name:        "illegal separator is a ValueError",
			req:         ItsdangerousRequest{Class: "Signer", Keys: key, Sep: B("-"), Action: "sign", Now: t0, Value: Bytes("v")},
			wantClass:   ClassException,
			wantType:    "ValueError",
			wantMessage: "separator cannot be used",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, o, tt.req)
			if r.OK {
				t.Fatalf("got ok (value %s), want %s", r.Value, tt.wantClass)
			}
			if r.Error != tt.wantClass || r.Type != tt.wantType {
				t.Errorf("got %s, want class %s type %q", r.Describe(), tt.wantClass, tt.wantType)
			}
			if !strings.Contains(r.Message, tt.wantMessage) {
				t.Errorf("message %q does not contain %q", r.Message, tt.wantMessage)
			}
			if !reflect.DeepEqual(r.DateSigned, tt.wantSigned) {
				t.Errorf("date_signed = %v, want %v", fmtPtr(r.DateSigned), fmtPtr(tt.wantSigned))
			}
			if tt.wantPayload != nil && (r.Payload == nil || string(*r.Payload) != string(*tt.wantPayload)) {
				t.Errorf("payload = %v, want %q", r.Payload, *tt.wantPayload)
			}
		})
	}
}

func TestItsdangerousTwoSteps(t *testing.T) {
	o := Shared(t)
	list123 := json.RawMessage(`{"t":"list","v":[{"t":"int","v":"1"},{"t":"int","v":"2"},{"t":"int","v":"3"}]}`)

	t.Run("V12 old-key token loads under [old, new]", func(t *testing.T) {
		old := do(t, o, ItsdangerousRequest{Class: "URLSafeSerializer", Keys: []Bytes{Bytes("old-key")}, Salt: B("rot"), Action: "dumps", Now: t0, Value: list123})
		if !old.OK {
			t.Fatal(old.Describe())
		}
		r := do(t, o, ItsdangerousRequest{Class: "URLSafeSerializer", Keys: []Bytes{Bytes("old-key"), Bytes("new-key")}, Salt: B("rot"), Action: "loads", Now: t0, Token: old.Token})
		if !r.OK || !sameJSON(t, r.Value, list123) {
			t.Errorf("loads = %s %s, want %s", r.Describe(), r.Value, list123)
		}
	})

	t.Run("3.6 loads_unsafe of an expired token", func(t *testing.T) {
		a1 := json.RawMessage(`{"t":"dict","v":[["a",{"t":"int","v":"1"}]]}`)
		tok := do(t, o, ItsdangerousRequest{Class: "URLSafeTimedSerializer", Keys: []Bytes{Bytes(secretKey)}, Action: "dumps", Now: t0, Value: a1})
		if !tok.OK {
			t.Fatal(tok.Describe())
		}
		r := do(t, o, ItsdangerousRequest{Class: "URLSafeTimedSerializer", Keys: []Bytes{Bytes(secretKey)}, Action: "loads_unsafe",
			Now: t0 + 100, MaxAge: ptr(int64(10)), Token: tok.Token})
		if !r.OK || r.Verified || !sameJSON(t, r.Value, a1) {
			t.Errorf("loads_unsafe = ok %v verified %v value %s, want verified false and %s", r.OK, r.Verified, r.Value, a1)
		}
	})

	t.Run("fallback signer with sha256", func(t *testing.T) {
		tok := do(t, o, ItsdangerousRequest{Class: "URLSafeSerializer", Keys: []Bytes{Bytes(secretKey)}, Digest: "sha256", Action: "dumps", Now: t0, Value: list123})
		req := ItsdangerousRequest{Class: "URLSafeSerializer", Keys: []Bytes{Bytes(secretKey)}, Action: "loads", Now: t0, Token: tok.Token}
		if r := do(t, o, req); r.Error != ClassBadSignature {
			t.Errorf("without fallback: %s, want BadSignature (sha1 cannot verify a sha256 token)", r.Describe())
		}
		req.FallbackSigners = []FallbackSigner{{Digest: "sha256"}}
		if r := do(t, o, req); !r.OK || !sameJSON(t, r.Value, list123) {
			t.Errorf("with fallback: %s %s, want %s", r.Describe(), r.Value, list123)
		}
	})

	t.Run("explicit salt=None on a serializer uses the signer default", func(t *testing.T) {
		viaSerializer := do(t, o, ItsdangerousRequest{Class: "URLSafeSerializer", Keys: []Bytes{Bytes(secretKey)}, ExplicitNoneSalt: true,
			Action: "dumps", Now: t0, Value: list123})
		payload, _, _ := strings.Cut(string(viaSerializer.Token), ".")
		viaSigner := do(t, o, ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes(secretKey)}, Action: "sign", Now: t0, Value: Bytes(payload)})
		if string(viaSerializer.Token) != string(viaSigner.Token) {
			t.Errorf("URLSafeSerializer(salt=None) = %q, Signer() = %q; want equal (spec 3.1)", viaSerializer.Token, viaSigner.Token)
		}
	})
}
