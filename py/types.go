package py

import (
	"encoding/hex"
	"errors"
	"slices"
	"strings"
)

// Tuple is a Python tuple. Flask stores it with the " t" tag; flashed
// messages, for example, are (category, message) tuples.
type Tuple []any

// Markup is a markupsafe.Markup string: text already safe to insert into
// HTML. Flask stores it with the " m" tag.
type Markup string

// UUID is a Python uuid.UUID. Flask stores it with the " u" tag as 32
// lowercase hexadecimal digits.
type UUID [16]byte

// String returns the canonical form, as Python's str(uuid) does:
// 12345678-1234-5678-1234-567812345678.
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// Hex returns the 32 lowercase hexadecimal digits, as Python's uuid.hex does.
func (u UUID) Hex() string { return hex.EncodeToString(u[:]) }

// MarshalText implements encoding.TextMarshaler with the canonical form.
func (u UUID) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseUUID].
func (u *UUID) UnmarshalText(b []byte) error {
	v, err := ParseUUID(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// ErrBadUUID is returned by [ParseUUID] for a string that Python's
// uuid.UUID(hex) rejects.
var ErrBadUUID = errors.New("py: badly formed hexadecimal UUID string")

// ParseUUID parses a UUID the way Python's uuid.UUID(hex) does: every
// "urn:" and "uuid:" is removed, then '{' and '}' at either end, then every
// '-'; exactly 32 characters must remain, which Python's int(s, 16) must
// accept (so surrounding spaces, a leading '+' and single underscores
// between digits are allowed, as in Python). Non-ASCII digits, which Python
// also accepts, are rejected.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) > 256 {
		return u, ErrBadUUID
	}
	s = strings.ReplaceAll(s, "urn:", "")
	s = strings.ReplaceAll(s, "uuid:", "")
	s = strings.Trim(s, "{}")
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 32 {
		return u, ErrBadUUID
	}
	s = strings.Trim(s, " \t\n\r\v\f")
	s = strings.TrimPrefix(s, "+")
	var digits []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			// Python allows one underscore between two digits.
			if i == 0 || i == len(s)-1 || s[i-1] == '_' {
				return u, ErrBadUUID
			}
			continue
		}
		digits = append(digits, c)
	}
	if len(digits) == 0 {
		return u, ErrBadUUID
	}
	var full [32]byte
	for i := range full {
		full[i] = '0'
	}
	copy(full[32-len(digits):], digits)
	if _, err := hex.Decode(u[:], full[:]); err != nil {
		return UUID{}, ErrBadUUID
	}
	return u, nil
}

// Item is one key and value of a [Dict].
type Item struct {
	Key   string
	Value any
}

// Dict is a Python dict that keeps its insertion order. Decoders produce
// map[string]any; use Dict when encoding to control the order of keys for
// formats that do not sort them (the itsdangerous serializers do not, Flask
// does). A Dict should not hold the same key twice; if it does, the first
// position is kept with the last value, as a Python dict literal would.
type Dict []Item

// SortedDict returns the items of m as a Dict in the order of their keys'
// bytes: by code point, the order in which Flask's session serializer and
// this module's encoders write a Go map.
func SortedDict(m map[string]any) Dict {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	d := make(Dict, len(keys))
	for i, k := range keys {
		d[i] = Item{Key: k, Value: m[k]}
	}
	return d
}

// Get returns the value stored under key and whether it was found.
func (d Dict) Get(key string) (any, bool) {
	for i := len(d) - 1; i >= 0; i-- {
		if d[i].Key == key {
			return d[i].Value, true
		}
	}
	return nil, false
}
