package testvec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/py"
)

// TV is one typed value, kept as raw JSON until it is converted:
//
//	None      {"t":"none"}
//	bool      {"t":"bool","v":true}
//	int       {"t":"int","v":"<decimal, any size>"}
//	float     {"t":"float","v":"<Python repr: 1.0, 1e-07, -0.0, nan, inf, -inf>"}
//	str       {"t":"str","v":"..."}, or {"t":"str","wtf8":"<hex>"} with a lone surrogate
//	bytes     {"t":"bytes","v":"<lowercase hex>"}
//	list      {"t":"list","v":[tv,...]}
//	tuple     {"t":"tuple","v":[tv,...]}
//	dict      {"t":"dict","v":[[key, tv],...]}   insertion order; the key is a
//	          JSON string, or a str tv when it holds a lone surrogate
//	Markup    {"t":"markup","v":"<str>"}
//	UUID      {"t":"uuid","v":"<32 lowercase hex>"}
//	datetime  {"t":"datetime","v":<unix seconds>,"us":<0..999999>,"offset":<seconds>|null}
//
// A TV that held JSON null (or nothing) reports IsNull.
type TV json.RawMessage

// UnmarshalJSON implements json.Unmarshaler by keeping a copy of the JSON.
func (tv *TV) UnmarshalJSON(data []byte) error {
	*tv = append((*tv)[:0], data...)
	return nil
}

// MarshalJSON implements json.Marshaler; an empty TV is written as null.
func (tv TV) MarshalJSON() ([]byte, error) {
	if len(tv) == 0 {
		return []byte("null"), nil
	}
	return tv, nil
}

// IsNull reports whether the TV is absent or JSON null.
func (tv TV) IsNull() bool {
	t := bytes.TrimSpace(tv)
	return len(t) == 0 || string(t) == "null"
}

// String returns the raw JSON.
func (tv TV) String() string { return string(tv) }

// Value converts the typed value to the py value model, with every dict as
// map[string]any:
//
//	none → nil, bool → bool, int → int64 (or *big.Int when it does not fit),
//	float → float64 (NaN, ±Inf and -0.0 kept), str → string (a lone
//	surrogate in its WTF-8 bytes), bytes → []byte, list → []any,
//	tuple → py.Tuple, dict → map[string]any, markup → py.Markup,
//	uuid → py.UUID, datetime → time.Unix(v, us*1000) in time.UTC, or in
//	an unnamed time.FixedZone of its UTC offset when that is not zero (a
//	naive datetime is UTC, as Flask takes it).
func (tv TV) Value() (any, error) { return decodeTV(tv, false, 0) }

// Ordered is like Value but turns every dict into a py.Dict that keeps the
// insertion order recorded in the file.
func (tv TV) Ordered() (any, error) { return decodeTV(tv, true, 0) }

// ErrBadTV is matched (with errors.Is) by every error that Value, Ordered
// and EncodeTV return for a value that is not a well-formed typed value or
// that has no typed-value form.
var ErrBadTV = errors.New("testvec: bad typed value")

// Python datetimes cover 0001-01-01T00:00:00 to 9999-12-31T23:59:59.999999,
// as Unix seconds.
const minDatetime, maxDatetime = -62135596800, 253402300799

// maxTVDepth bounds the nesting of typed values.
const maxTVDepth = 1000

func badTV(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadTV}, args...)...)
}

// tvNode is the JSON object of one typed value.
type tvNode struct {
	T      *string         `json:"t"`
	V      json.RawMessage `json:"v"`
	WTF8   *string         `json:"wtf8"`
	US     json.RawMessage `json:"us"`
	Offset json.RawMessage `json:"offset"`
}

func decodeTV(data []byte, ordered bool, depth int) (any, error) {
	if depth > maxTVDepth {
		return nil, badTV("nested more than %d levels", maxTVDepth)
	}
	if TV(data).IsNull() {
		return nil, badTV("missing (null)")
	}
	var n tvNode
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&n); err != nil {
		return nil, badTV("%v in %.60s", err, data)
	}
	if dec.More() {
		return nil, badTV("trailing data after %.60s", data)
	}
	if n.T == nil {
		return nil, badTV(`no "t" tag in %.60s`, data)
	}
	t := *n.T
	// only checks which optional fields are present: "v" must be present
	// exactly when needV (str checks "v" and "wtf8" itself), "wtf8" is only
	// for str, "us" and "offset" only for datetime.
	only := func(needV, wtf8, dt bool) error {
		if t != "str" && (len(n.V) > 0) != needV || n.WTF8 != nil && !wtf8 ||
			(len(n.US) > 0 || len(n.Offset) > 0) && !dt {
			return badTV("%s: wrong set of fields in %.60s", t, data)
		}
		return nil
	}
	switch t {
	case "none":
		if err := only(false, false, false); err != nil {
			return nil, err
		}
		return nil, nil
	case "bool":
		if err := only(true, false, false); err != nil {
			return nil, err
		}
		switch string(n.V) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, badTV("bool: v must be true or false, got %.20s", n.V)
	case "int":
		if err := only(true, false, false); err != nil {
			return nil, err
		}
		s, err := parseJSONString(n.V)
		if err != nil {
			return nil, badTV("int: v must be a decimal string: %v", err)
		}
		return parseInt(s)
	case "float":
		if err := only(true, false, false); err != nil {
			return nil, err
		}
		s, err := parseJSONString(n.V)
		if err != nil {
			return nil, badTV("float: v must be a string: %v", err)
		}
		return parseFloat(s)
	case "str":
		if err := only(false, true, false); err != nil {
			return nil, err
		}
		return decodeStr(n)
	case "bytes":
		if err := only(true, false, false); err != nil {
			return nil, err
		}
		s, err := parseJSONString(n.V)
		if err != nil {
			return nil, badTV("bytes: v must be a hex string: %v", err)
		}
		b, err := decodeHex(s)
		if err != nil {
			return nil, badTV("bytes: %v", err)
		}
		return b, nil
	case "list", "tuple":
		if err := only(true, false, false); err != nil {
			return nil, err
		}
		var items []json.RawMessage
		if err := json.Unmarshal(n.V, &items); err != nil || items == nil {
			return nil, badTV("%s: v must be an array", t)
		}
		out := make([]any, len(items))
		for i, it := range items {
			v, err := decodeTV(it, ordered, depth+1)
			if err != nil {
				return nil, fmt.Errorf("%s[%d]: %w", t, i, err)
			}
			out[i] = v
		}
		if t == "tuple" {
			return py.Tuple(out), nil
		}
		return out, nil
	case "dict":
		if err := only(true, false, false); err != nil {
			return nil, err
		}
		return decodeDict(n.V, ordered, depth)
	case "markup":
		if err := only(true, false, false); err != nil {
			return nil, err
		}
		s, err := parseJSONString(n.V)
		if err != nil {
			return nil, badTV("markup: v must be a string: %v", err)
		}
		return py.Markup(s), nil
	case "uuid":
		if err := only(true, false, false); err != nil {
			return nil, err
		}
		s, err := parseJSONString(n.V)
		if err != nil {
			return nil, badTV("uuid: v must be a string: %v", err)
		}
		b, err := decodeHex(s)
		if err != nil || len(b) != 16 {
			return nil, badTV("uuid: want 32 lowercase hex digits, got %.40q", s)
		}
		var u py.UUID
		copy(u[:], b)
		return u, nil
	case "datetime":
		if err := only(true, false, true); err != nil {
			return nil, err
		}
		return decodeDatetime(n)
	}
	return nil, badTV("unknown tag %.20q", t)
}

func parseInt(s string) (any, error) {
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	ok := len(digits) > 0 && !(len(digits) > 1 && digits[0] == '0') && !(s[0] == '-' && digits == "0")
	for i := 0; ok && i < len(digits); i++ {
		ok = '0' <= digits[i] && digits[i] <= '9'
	}
	if !ok {
		return nil, badTV("int: %.40q is not a canonical decimal integer", s)
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, badTV("int: %.40q is not a decimal integer", s)
	}
	return b, nil
}

// parseFloat accepts what Python's repr writes for a float.
func parseFloat(s string) (float64, error) {
	switch s {
	case "nan":
		return math.NaN(), nil
	case "inf":
		return math.Inf(1), nil
	case "-inf":
		return math.Inf(-1), nil
	}
	// -?digits(.digits)?(e[+-]digits)?
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i - j
	}
	ok := digits() > 0
	if ok && i < len(s) && s[i] == '.' {
		i++
		ok = digits() > 0
	}
	if ok && i < len(s) && s[i] == 'e' {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		ok = digits() > 0
	}
	if !ok || i != len(s) {
		return 0, badTV("float: %.40q is not a Python float repr", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, badTV("float: %.40q: %v", s, err)
	}
	return f, nil
}

func decodeStr(n tvNode) (string, error) {
	if n.WTF8 != nil {
		if len(n.V) > 0 {
			return "", badTV(`str: both "v" and "wtf8"`)
		}
		b, err := decodeHex(*n.WTF8)
		if err != nil {
			return "", badTV("str: wtf8: %v", err)
		}
		if !validWTF8(b) {
			return "", badTV("str: wtf8 %.40q is not generalized UTF-8", *n.WTF8)
		}
		return string(b), nil
	}
	if len(n.V) == 0 {
		return "", badTV(`str: neither "v" nor "wtf8"`)
	}
	s, err := parseJSONString(n.V)
	if err != nil {
		return "", badTV("str: %v", err)
	}
	return s, nil
}

// validWTF8 reports whether b is UTF-8 in which surrogate code points
// (U+D800..U+DFFF, encoded ED A0..BF 80..BF) are also allowed, which is what
// Python's s.encode("utf-8", "surrogatepass") produces.
func validWTF8(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			if len(b) < 3 || b[0] != 0xed || b[1] < 0xa0 || b[1] > 0xbf || b[2] < 0x80 || b[2] > 0xbf {
				return false
			}
			size = 3
		}
		b = b[size:]
	}
	return true
}

func decodeDict(v json.RawMessage, ordered bool, depth int) (any, error) {
	var pairs [][]json.RawMessage
	if err := json.Unmarshal(v, &pairs); err != nil || pairs == nil {
		return nil, badTV("dict: v must be an array of [key, tv] pairs")
	}
	seen := make(map[string]bool, len(pairs))
	var d py.Dict
	m := make(map[string]any, len(pairs))
	for i, p := range pairs {
		if len(p) != 2 {
			return nil, badTV("dict: pair %d has %d elements, want 2", i, len(p))
		}
		k, err := decodeKey(p[0], depth)
		if err != nil {
			return nil, fmt.Errorf("dict key %d: %w", i, err)
		}
		if seen[k] {
			return nil, badTV("dict: duplicate key %.40q", k)
		}
		seen[k] = true
		val, err := decodeTV(p[1], ordered, depth+1)
		if err != nil {
			return nil, fmt.Errorf("dict[%q]: %w", k, err)
		}
		if ordered {
			d = append(d, py.Item{Key: k, Value: val})
		} else {
			m[k] = val
		}
	}
	if ordered {
		if d == nil {
			d = py.Dict{}
		}
		return d, nil
	}
	return m, nil
}

func decodeKey(raw json.RawMessage, depth int) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		s, err := parseJSONString(raw)
		if err != nil {
			return "", badTV("%v", err)
		}
		return s, nil
	}
	k, err := decodeTV(raw, false, depth+1)
	if err != nil {
		return "", err
	}
	s, ok := k.(string)
	if !ok {
		return "", badTV("a dict key must be a str, got %T", k)
	}
	return s, nil
}

func decodeDatetime(n tvNode) (time.Time, error) {
	var secs, us int64
	if err := json.Unmarshal(n.V, &secs); err != nil {
		return time.Time{}, badTV("datetime: v must be an integer: %v", err)
	}
	if len(n.US) == 0 || json.Unmarshal(n.US, &us) != nil || us < 0 || us > 999999 {
		return time.Time{}, badTV("datetime: us must be an integer in [0, 999999], got %.20s", n.US)
	}
	if len(n.Offset) == 0 {
		return time.Time{}, badTV(`datetime: "offset" missing (use null for a naive datetime)`)
	}
	var off int64
	if string(n.Offset) != "null" {
		if err := json.Unmarshal(n.Offset, &off); err != nil || off <= -86400 || off >= 86400 {
			return time.Time{}, badTV("datetime: offset must be null or an integer in (-86400, 86400), got %.20s", n.Offset)
		}
	}
	if secs < minDatetime || secs > maxDatetime {
		return time.Time{}, badTV("datetime: %d seconds is outside years 1..9999", secs)
	}
	t := time.Unix(secs, us*1000).UTC()
	if off != 0 {
		// Keep Python's UTC offset as the zone; the instant is the same.
		t = t.In(time.FixedZone("", int(off)))
	}
	return t, nil
}
