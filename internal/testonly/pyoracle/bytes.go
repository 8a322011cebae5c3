package pyoracle

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Bytes is a byte string in the oracle's "bytestr" form: a JSON string when
// the bytes are valid UTF-8 (the string's UTF-8 encoding is the bytes), else
// {"hex": "<lowercase hex>"}. Surrogate code points encoded in UTF-8 are not
// valid UTF-8 here, as in Python's strict codec, so they go as hex.
type Bytes []byte

// B returns s as a *Bytes, for the optional byte-string fields of requests.
func B(s string) *Bytes {
	b := Bytes(s)
	return &b
}

// MarshalJSON implements json.Marshaler.
func (b Bytes) MarshalJSON() ([]byte, error) {
	if utf8.Valid(b) {
		return json.Marshal(string(b))
	}
	return json.Marshal(struct {
		Hex string `json:"hex"`
	}{hex.EncodeToString(b)})
}

// errBytes reports a JSON value that is not a bytestr.
var errBytes = errors.New(`pyoracle: bytestr must be a JSON string or {"hex": "..."}`)

// UnmarshalJSON implements json.Unmarshaler. It accepts both forms; null
// leaves b nil.
func (b *Bytes) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*b = nil
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("pyoracle: bytestr: %w", err)
		}
		*b = Bytes(s)
		return nil
	case len(data) > 0 && data[0] == '{':
		var h struct {
			Hex *string `json:"hex"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&h); err != nil || h.Hex == nil {
			return errBytes
		}
		v, err := hex.DecodeString(*h.Hex)
		if err != nil {
			return fmt.Errorf("pyoracle: bytestr: %w", err)
		}
		*b = v
		return nil
	}
	return errBytes
}
