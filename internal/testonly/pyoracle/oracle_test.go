package pyoracle

// Expected values in these tests come from the spec
// (/work/shared/spec/wire-formats.md, §7 and §8: itsdangerous 2.1.2,
// Flask 2.2.2, CPython 3.11.2) or are typed by hand; none is produced by Go
// code of this project.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	t0         = 1700000000 // §8: 2023-11-14T22:13:20Z, timestamp ZVPxAA
	t1         = 1308874145 // §7.1: 2011-06-24 00:09:05 UTC, timestamp TgPVoQ
	flaskMax   = DefaultFlaskMaxAge
	v9Cookie   = ".eJx1jssKwjAQRX9lmHXAJK2voIIrQVBcFFxokdTGGqpV2kQU6b87bcWdq3ncO-fOG5OXMxWqN0KCCuebsdXbcIo1w9S165TWkTcMRAjr2wMklwFIqUSgJIfFKmq8F1uReycYHTSNZEFc05D_yGk2JWodM7zqMvf3VriSMElmZzvpJbOGU5jKmbTLtW1xhwOZipsDDc7fL4YgDJ15Ugwu957z07HMTAF7L7k-ImmtS30_EQw10i_ove3Ang6FDML-YDj6VynkA_u-TrQ.ZVPxAA.sWkwMhye4Tr2Ycvk5rpCsfh32wg"
	v9JSON     = `{"bytes":{" b":"AP9iaW4="},"dt":{" d":"Tue, 14 Nov 2023 22:13:20 GMT"},"list":[1,{" t":[2,3]},{"k":{" b":"dg=="}}],"markup":{" m":"<b>hi</b>"},"nested":{" di":{" t__":"not a tuple"}},"text":"J\u00fcrgen \u20ac","tuple":{" t":[1,"a"]},"uuid":{" u":"12345678123456781234567812345678"}}`
	v10Cookie  = "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"
	devSecret  = "dev-secret"
	secretKey  = "secret-key"
	tvUserID42 = `{"t":"dict","v":[["user_id",{"t":"int","v":"42"}]]}`
)

// v9Value is the value of §8 V9 as a tv. withMicro selects the datetime as
// written (with microseconds) or as read back (Flask drops them); tuple is
// the tag of the "tuple" entry; readBack puts the keys in the sorted order
// that Flask's JSON (sort_keys) gives them when read back.
func v9Value(withMicro bool, tuple string, readBack bool) json.RawMessage {
	us := 0
	if withMicro {
		us = 123456
	}
	pairs := [][2]string{
		{"tuple", fmt.Sprintf(`{"t":%q,"v":[{"t":"int","v":"1"},{"t":"str","v":"a"}]}`, tuple)},
		{"bytes", `{"t":"bytes","v":"00ff62696e"}`},
		{"markup", `{"t":"markup","v":"<b>hi</b>"}`},
		{"uuid", `{"t":"uuid","v":"12345678123456781234567812345678"}`},
		{"dt", fmt.Sprintf(`{"t":"datetime","v":1700000000,"us":%d,"offset":0}`, us)},
		{"nested", `{"t":"dict","v":[[" t",{"t":"str","v":"not a tuple"}]]}`},
		{"list", `{"t":"list","v":[{"t":"int","v":"1"},{"t":"tuple","v":[{"t":"int","v":"2"},{"t":"int","v":"3"}]},{"t":"dict","v":[["k",{"t":"bytes","v":"76"}]]}]}`},
		{"text", `{"t":"str","v":"J\u00fcrgen \u20ac"}`},
	}
	if readBack {
		sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
	}
	items := make([]string, len(pairs))
	for i, p := range pairs {
		items[i] = fmt.Sprintf(`[%q,%s]`, p[0], p[1])
	}
	return json.RawMessage(`{"t":"dict","v":[` + strings.Join(items, ",") + `]}`)
}

func do(t *testing.T, o *Oracle, req any) Response {
	t.Helper()
	var r Response
	if err := o.Do(req, &r); err != nil {
		t.Fatalf("Do: %v", err)
	}
	return r
}

// sameJSON reports whether two JSON texts hold the same data.
func sameJSON(t *testing.T, got, want json.RawMessage) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("bad JSON %s: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("bad JSON %s: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

func ptr[T any](v T) *T { return &v }

func TestPing(t *testing.T) {
	o := Shared(t)
	r := do(t, o, PingRequest{})
	if !r.OK {
		t.Fatalf("ping: %s", r.Describe())
	}
	for _, k := range []string{"python", "itsdangerous", "flask", "werkzeug", "markupsafe"} {
		if r.Versions[k] == "" {
			t.Errorf("ping: no version for %s in %v", k, r.Versions)
		}
		if o.Versions()[k] != r.Versions[k] {
			t.Errorf("Versions()[%s] = %q, ping says %q", k, o.Versions()[k], r.Versions[k])
		}
	}
	t.Logf("versions: %v", r.Versions)
}

func TestSharedIsShared(t *testing.T) {
	if Shared(t) != Shared(t) {
		t.Error("Shared returned two different oracles")
	}
}

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

func TestEcho(t *testing.T) {
	o := Shared(t)
	bigInt := strings.Repeat("9", 5000) // beyond CPython's default 4300-digit limit
	tests := []struct {
		name     string
		value    string
		wantType string
		wantRepr string
	}{
		{name: "big int", value: `{"t":"int","v":"` + bigInt + `"}`, wantType: "int", wantRepr: bigInt},
		{name: "lone surrogate", value: `{"t":"str","wtf8":"eda080"}`, wantType: "str", wantRepr: `'\ud800'`},
		{name: "negative zero", value: `{"t":"float","v":"-0.0"}`, wantType: "float", wantRepr: "-0.0"},
		{name: "tiny float", value: `{"t":"float","v":"1e-07"}`, wantType: "float", wantRepr: "1e-07"},
		{name: "tuple", value: `{"t":"tuple","v":[{"t":"int","v":"1"}]}`, wantType: "tuple", wantRepr: "(1,)"},
		{name: "markup", value: `{"t":"markup","v":"<b>"}`, wantType: "Markup", wantRepr: "Markup('<b>')"},
		{name: "uuid", value: `{"t":"uuid","v":"12345678123456781234567812345678"}`, wantType: "UUID", wantRepr: "UUID('12345678-1234-5678-1234-567812345678')"},
		{
			name:     "aware datetime",
			value:    `{"t":"datetime","v":1700000000,"us":5,"offset":7200}`,
			wantType: "datetime",
			wantRepr: "datetime.datetime(2023, 11, 15, 0, 13, 20, 5, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200)))",
		},
		{name: "naive datetime", value: `{"t":"datetime","v":0,"us":0,"offset":null}`, wantType: "datetime", wantRepr: "datetime.datetime(1970, 1, 1, 0, 0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, o, EchoRequest{Value: json.RawMessage(tt.value)})
			if !r.OK {
				t.Fatal(r.Describe())
			}
			if r.PyType != tt.wantType || r.Repr != tt.wantRepr {
				t.Errorf("got %s %.80s, want %s %.80s", r.PyType, r.Repr, tt.wantType, tt.wantRepr)
			}
			if !sameJSON(t, r.Value, json.RawMessage(tt.value)) {
				t.Errorf("round trip = %.200s, want %.200s", r.Value, tt.value)
			}
		})
	}
}

func TestMalformedRequests(t *testing.T) {
	o := Shared(t)
	tests := []struct {
		name string
		req  any
	}{
		{name: "unknown op", req: map[string]any{"op": "nope"}},
		{name: "unknown class", req: ItsdangerousRequest{Class: "JSONWebSignatureSerializer", Keys: []Bytes{Bytes("k")}, Action: "dumps"}},
		{name: "action of another class", req: ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Action: "dumps"}},
		{name: "unknown field (a typo must not be ignored)", req: map[string]any{"op": "flask_loads", "secret": "s", "now": 0, "cookie": "", "max-age": 1}},
		{name: "missing now", req: map[string]any{"op": "flask_dumps", "secret": "s", "value": map[string]any{"t": "none"}}},
		{name: "bad tv tag", req: FlaskDumpsRequest{Secret: Bytes("s"), Value: json.RawMessage(`{"t":"set","v":[]}`)}},
		{name: "bad tv int", req: FlaskDumpsRequest{Secret: Bytes("s"), Value: json.RawMessage(`{"t":"int","v":"1_000"}`)}},
		{name: "max_age on an untimed class", req: ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Action: "unsign", MaxAge: ptr(int64(1))}},
		{name: "bad hex bytestr", req: ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Action: "sign", Value: json.RawMessage(`{"hex":"zz"}`)}},
		{name: "flask_check without expect", req: FlaskCheckRequest{FlaskLoadsRequest: FlaskLoadsRequest{Secret: Bytes("s"), Cookie: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Response
			err := o.Do(tt.req, &r)
			var rej *RejectedError
			if !errors.As(err, &rej) || rej.Class != ClassRequest {
				t.Fatalf("Do = %v (response %s), want a RejectedError of class Request", err, r.Describe())
			}
			if r.Error != ClassRequest {
				t.Errorf("response class = %q, want Request", r.Error)
			}
		})
	}

	t.Run("raw lines never kill the oracle", func(t *testing.T) {
		for _, line := range []string{"garbage", "", "[1,2]", `{"op":`, "\xff\xfe", `"str"`, strings.Repeat("[", 100000)} {
			reply, err := o.roundTrip([]byte(line))
			if err != nil {
				t.Fatalf("line %.20q: %v", line, err)
			}
			var r Response
			if err := json.Unmarshal(reply, &r); err != nil || r.Error != ClassRequest {
				t.Errorf("line %.20q: reply %s, want a Request error", line, reply)
			}
		}
		if r := do(t, o, PingRequest{}); !r.OK {
			t.Errorf("ping after bad lines: %s", r.Describe())
		}
	})
}

func TestConcurrentUse(t *testing.T) {
	o := Shared(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				v := fmt.Sprintf("g%d-i%d", g, i)
				var r Response
				err := o.Do(ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Action: "sign", Now: t0, Value: Bytes(v)}, &r)
				if err != nil {
					errs <- err
					return
				}
				if !strings.HasPrefix(string(r.Token), v+".") {
					errs <- fmt.Errorf("request %s got token %q: responses mixed up", v, r.Token)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestThroughput shows that the oracle is fast enough for differential
// tests; the rate is logged (go test -v), not asserted.
func TestThroughput(t *testing.T) {
	o := Shared(t)
	const n = 1000
	reqs := []any{
		ItsdangerousRequest{Class: "URLSafeTimedSerializer", Keys: []Bytes{Bytes(secretKey)}, Salt: B("activate"), Action: "loads", Now: t0,
			Token: Bytes("eyJpZCI6NDIsIm5hbWUiOiJKw7xyZ2VuIiwibCI6WzEsMi41LG51bGwsdHJ1ZV19.ZVPxAA.wPhp4cNvsKqaL_rvRpHOASkZ_0U")},
		FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0, Cookie: v9Cookie},
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		var r Response
		if err := o.Do(reqs[i%len(reqs)], &r); err != nil {
			t.Fatal(err)
		}
		if !r.OK {
			t.Fatalf("request %d: %s", i, r.Describe())
		}
	}
	d := time.Since(start)
	t.Logf("%d requests (URLSafeTimedSerializer.loads and Flask loads of V9, alternating) in %v: %.0f requests/s",
		n, d.Round(time.Millisecond), n/d.Seconds())
}

func TestTimeoutKillsTheProcess(t *testing.T) {
	o := Start(t)
	o.timeout = 300 * time.Millisecond // before any use, so no race
	start := time.Now()
	err := o.Do(SleepRequest{Seconds: 20}, nil)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Do(sleep 20s) = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the timeout took %v", d)
	}
	select {
	case <-o.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the process was not killed")
	}
	if err := o.Do(PingRequest{}, nil); !errors.Is(err, ErrTimeout) {
		t.Errorf("Do after a timeout = %v, want ErrTimeout again", err)
	}
}

func TestClose(t *testing.T) {
	o := Start(t)
	o.Close()
	if err := o.Do(PingRequest{}, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Do after Close = %v, want ErrClosed", err)
	}
	o.Close() // a second Close is harmless
}

// recordTB records Skipf and Fatalf instead of stopping the test.
type recordTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordTB) Helper()                     {}
func (r *recordTB) Skipf(f string, args ...any) { r.skipped = fmt.Sprintf(f, args...) }
func (r *recordTB) Fatalf(f string, args ...any) {
	r.failed = fmt.Sprintf(f, args...)
}

func TestMissingPythonSkipsOrFails(t *testing.T) {
	// Python itself is needed for the "missing packages" cases.
	_ = Shared(t)
	tests := []struct {
		name    string
		cfg     config
		require bool
	}{
		// -S drops site-packages, so the imports of oracle.py fail.
		{name: "missing packages skip", cfg: config{python: PythonPath, args: []string{"-S"}, timeout: DefaultTimeout}},
		{name: "missing packages fail when required", cfg: config{python: PythonPath, args: []string{"-S"}, timeout: DefaultTimeout}, require: true},
		{name: "missing interpreter skips", cfg: config{python: "/nonexistent/python3", timeout: DefaultTimeout}},
		{name: "missing interpreter fails when required", cfg: config{python: "/nonexistent/python3", timeout: DefaultTimeout}, require: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.require {
				t.Setenv(RequireEnv, "1")
			} else {
				t.Setenv(RequireEnv, "")
			}
			rec := &recordTB{TB: t}
			if o := startFor(rec, tt.cfg); o != nil {
				t.Fatal("startFor returned an oracle")
			}
			if tt.require && (rec.failed == "" || rec.skipped != "") {
				t.Errorf("failed %q, skipped %q; want a failure", rec.failed, rec.skipped)
			}
			if !tt.require && (rec.skipped == "" || rec.failed != "") {
				t.Errorf("failed %q, skipped %q; want a skip", rec.failed, rec.skipped)
			}
			t.Logf("reason: %s%s", rec.failed, rec.skipped)
		})
	}
}

// TestPythonSelfTest runs compat/oracle_test.py, the oracle's own unit tests.
func TestPythonSelfTest(t *testing.T) {
	_ = Shared(t) // skip or fail like the other tests when Python is missing
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "compat", "oracle_test.py")
	if _, err := os.Stat(script); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(PythonPath, script)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
}
