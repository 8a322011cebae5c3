package pyoracle

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestBytesMarshal(t *testing.T) {
	tests := []struct {
		name string
		in   Bytes
		want string
	}{
		{name: "ascii", in: Bytes("my string"), want: `"my string"`},
		{name: "empty", in: Bytes{}, want: `""`},
		{name: "utf8", in: Bytes("J\u00fcrgen"), want: `"Jürgen"`},
		{name: "html characters stay a string", in: Bytes("<&>"), want: `"\u003c\u0026\u003e"`},
		// Invalid UTF-8 cannot be a JSON string, so it must go as hex.
		{name: "invalid utf8 goes as hex", in: Bytes{0x00, 0xff, 'b'}, want: `{"hex":"00ff62"}`},
		// A UTF-8-encoded surrogate is rejected by Python's strict codec.
		{name: "encoded surrogate goes as hex", in: Bytes{0xed, 0xa0, 0x80}, want: `{"hex":"eda080"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal(%q) = %s, want %s", []byte(tt.in), got, tt.want)
			}
		})
	}
}

func TestBytesUnmarshal(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Bytes
		wantErr bool
	}{
		{name: "string", in: `"abc"`, want: Bytes("abc")},
		{name: "escaped string", in: `"\u00fc"`, want: Bytes("\u00fc")},
		{name: "hex", in: `{"hex":"00ff"}`, want: Bytes{0x00, 0xff}},
		{name: "empty hex", in: `{"hex":""}`, want: Bytes{}},
		{name: "null", in: `null`, want: nil},
		{name: "odd hex is not hex", in: `{"hex":"abc"}`, wantErr: true},
		{name: "non-hex digits", in: `{"hex":"zz"}`, wantErr: true},
		{name: "object without hex", in: `{"hax":"00"}`, wantErr: true},
		{name: "extra field", in: `{"hex":"00","x":1}`, wantErr: true},
		{name: "number is not a bytestr", in: `12`, wantErr: true},
		{name: "array is not a bytestr", in: `[1]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Bytes
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Unmarshal(%s) = %q, want an error", tt.in, []byte(got))
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			if !bytes.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("Unmarshal(%s) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestRequestMarshal(t *testing.T) {
	age := int64(10)
	tests := []struct {
		name string
		req  any
		want string
	}{
		{name: "ping", req: PingRequest{}, want: `{"op":"ping"}`},
		{
			name: "flask_loads without max_age leaves the key out (Flask default)",
			req:  FlaskLoadsRequest{Secret: Bytes("s"), Now: 1, Cookie: "c"},
			want: `{"op":"flask_loads","secret":"s","fallbacks":null,"now":1,"cookie":"c"}`,
		},
		{
			name: "flask_loads NoMaxAge sends null",
			req:  FlaskLoadsRequest{Secret: Bytes("s"), Now: 1, NoMaxAge: true, Cookie: "c"},
			want: `{"op":"flask_loads","secret":"s","fallbacks":null,"now":1,"max_age":null,"cookie":"c"}`,
		},
		{
			name: "flask_check",
			req: FlaskCheckRequest{
				FlaskLoadsRequest: FlaskLoadsRequest{Secret: Bytes("s"), Now: 1, MaxAge: &age, Cookie: "c"},
				Expect:            json.RawMessage(`{"t":"none"}`),
			},
			want: `{"op":"flask_check","secret":"s","fallbacks":null,"now":1,"max_age":10,"cookie":"c","expect":{"t":"none"}}`,
		},
		{
			name: "itsdangerous",
			req:  ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Action: "sign", Value: Bytes("v")},
			want: `{"op":"itsdangerous","class":"Signer","keys":["k"],"salt":null,"sep":null,"action":"sign","now":0,"max_age":null,"call_salt":null,"value":"v","token":""}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal = %s\nwant      %s", got, tt.want)
			}
		})
	}
}
