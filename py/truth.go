package py

import (
	"math/big"
	"reflect"
	"time"
)

// Truth returns Python's bool(v): False for None, False, zero, and empty
// strings, byte strings and containers; True for everything else,
// including NaN, UUIDs and datetimes. Flask tests session.permanent this
// way, and werkzeug's date parsing returns None for a false value.
//
// It takes the value model (see [Repr]) and the Go values [ValueOf]
// converts, judged by what they become: an int by its value, a struct or
// pointer as a dict or None. Values ValueOf refuses are true, as Python
// objects are by default.
func Truth(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case int64:
		return v != 0
	case float64:
		return v != 0 // NaN is true
	case string:
		return v != ""
	case Markup:
		return v != ""
	case []byte:
		return len(v) > 0
	case []any:
		return len(v) > 0
	case Tuple:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	case Dict:
		return len(v) > 0
	case *big.Int:
		return v != nil && v.Sign() != 0
	case UUID, time.Time:
		return true
	}
	if g, err := ValueOf(v); err == nil && reflect.TypeOf(g) != reflect.TypeOf(v) {
		return Truth(g)
	}
	return true
}
