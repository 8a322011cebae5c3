package testvec

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/internal/pyjson"
)

// Bytes is a byte-string field of a vector file: a JSON string when the
// bytes are valid UTF-8 (the string's UTF-8 encoding is the bytes), else
// {"hex": "<lowercase hex>"}. JSON null is rejected; fields that may be null
// are declared as *Bytes.
type Bytes []byte

// UnmarshalJSON implements json.Unmarshaler.
func (b *Bytes) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) > 0 && data[0] == '"':
		s, err := parseJSONString(data)
		if err != nil {
			return err
		}
		*b = Bytes(s)
		return nil
	case len(data) > 0 && data[0] == '{':
		var h struct {
			Hex *string `json:"hex"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&h); err != nil {
			return fmt.Errorf("testvec: byte string object: %w", err)
		}
		if h.Hex == nil {
			return errors.New(`testvec: byte string object without "hex"`)
		}
		v, err := decodeHex(*h.Hex)
		if err != nil {
			return err
		}
		*b = v
		return nil
	}
	return fmt.Errorf("testvec: byte string must be a JSON string or {\"hex\":...}, got %.40s", data)
}

// MarshalJSON implements json.Marshaler with the same two forms.
func (b Bytes) MarshalJSON() ([]byte, error) {
	if utf8.Valid(b) {
		return json.Marshal(string(b))
	}
	return json.Marshal(map[string]string{"hex": hex.EncodeToString(b)})
}

// String returns the bytes as a Go string.
func (b Bytes) String() string { return string(b) }

// decodeHex decodes lowercase hexadecimal digits.
func decodeHex(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return nil, fmt.Errorf("testvec: bad lowercase hex %.40q", s)
		}
	}
	v, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("testvec: bad hex %.40q: %w", s, err)
	}
	return v, nil
}

// parseJSONString decodes one JSON string literal strictly: the raw text must
// be valid UTF-8 without control characters, and a \u escape of a UTF-16
// surrogate must be part of a pair. encoding/json would silently turn a
// lone surrogate or invalid UTF-8 into U+FFFD; a vector file never holds
// either (lone surrogates travel as wtf8 hex), so both are errors here.
// The literal is read by pyjson, Python's reader, which keeps a lone
// surrogate in its WTF-8 form for this check to find.
func parseJSONString(data []byte) (string, error) {
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return "", fmt.Errorf("testvec: not a JSON string: %.40s", data)
	}
	v, err := pyjson.Decode(data, pyjson.Options{})
	if err != nil {
		return "", fmt.Errorf("testvec: bad JSON string: %w", err)
	}
	s := v.(string)
	if !utf8.ValidString(s) {
		return "", errors.New("testvec: JSON string holds a lone surrogate")
	}
	return s, nil
}
