package testvec

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
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
func parseJSONString(data []byte) (string, error) {
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return "", fmt.Errorf("testvec: not a JSON string: %.40s", data)
	}
	in := data[1 : len(data)-1]
	if !utf8.Valid(in) {
		return "", errors.New("testvec: JSON string is not valid UTF-8")
	}
	var out []byte
	for i := 0; i < len(in); {
		c := in[i]
		switch {
		case c == '"':
			return "", errors.New("testvec: unescaped quote inside JSON string")
		case c < 0x20:
			return "", errors.New("testvec: control character inside JSON string")
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(in) {
			return "", errors.New("testvec: JSON string ends inside an escape")
		}
		switch e := in[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(in[i+2:])
			if !ok {
				return "", errors.New("testvec: bad \\u escape in JSON string")
			}
			i += 6
			switch {
			case r >= 0xdc00 && r <= 0xdfff:
				return "", errors.New("testvec: lone low surrogate escape in JSON string")
			case r >= 0xd800 && r <= 0xdbff:
				lo, ok := rune(0), false
				if i+1 < len(in) && in[i] == '\\' && in[i+1] == 'u' {
					lo, ok = hex4(in[i+2:])
				}
				if !ok || lo < 0xdc00 || lo > 0xdfff {
					return "", errors.New("testvec: lone high surrogate escape in JSON string")
				}
				i += 6
				r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return "", fmt.Errorf("testvec: bad escape \\%c in JSON string", e)
		}
		i += 2
	}
	return string(out), nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
