package session

import (
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/py"
)

// DefaultDecodeCache is how many decoded cookies a Manager remembers by
// default (see WithDecodeCache).
const DefaultDecodeCache = 1024

// decodeCacheBytes bounds the cookie text a Manager's cache holds, and
// decodeCacheCookie the length of a cookie it remembers.
const (
	decodeCacheBytes  = 1 << 20
	decodeCacheCookie = 4096
)

// WithDecodeCache sets how many decoded cookies the Manager remembers
// (default DefaultDecodeCache; 0 turns the cache off). A browser sends
// the same cookie on every request until the session changes, and a
// cookie that verified once verifies again: the Manager keeps the
// session of a cookie that verified and decoded, and gives a copy of it
// when the same cookie comes again, after checking its age as the codec
// checks it (so an expired cookie still gives an empty session). Only
// cookies of a signed codec (codec.New) that are not compressed are kept,
// at most 1 MiB of cookie text; cookies that do not verify are never kept.
// The values handed to a request are its own: changing them in place
// does not reach another request.
func WithDecodeCache(entries int) Option { return func(m *Manager) { m.cacheSize = entries } }

// decodeCache maps cookies that verified to their sessions, which are
// never handed out, only copied.
type decodeCache struct {
	max    int           // entries
	maxAge time.Duration // the codec's, in whole seconds
	mu     sync.RWMutex
	byKey  map[string]cacheEntry
	bytes  int // cookie text held
}

type cacheEntry struct {
	data     map[string]any
	signedAt int64 // Unix seconds
	// flat says that data holds no value that can be changed in place
	// (only numbers, strings and other values, and empty lists, tuples
	// and py.Dicts, but no map, which takes keys even when empty), so
	// that a request can share it until its first change (Session.own)
	// instead of getting a copy.
	flat bool
}

// newDecodeCache returns the cache of a Manager whose codec is c, or nil
// when it has none.
func newDecodeCache(c codec.SessionCodec, entries int) *decodeCache {
	if _, ok := c.(*codec.Codec); !ok || entries <= 0 {
		return nil
	}
	return &decodeCache{max: entries, maxAge: c.Lifetime().Truncate(time.Second), byKey: map[string]cacheEntry{}}
}

// cacheable reports whether a cookie may be kept.
func cacheable(cookie string) bool {
	return cookie != "" && cookie[0] != '.' && len(cookie) <= decodeCacheCookie
}

// get returns the session of cookie, if it is kept and its
// age at now is within the lifetime by the rule of itsdangerous, which the
// codec applies: the age in whole seconds, at least 0 and at most the
// lifetime (truncated to seconds). Otherwise the codec decodes the cookie
// again, and decides. The session is a copy, or, when shared is true, the
// kept map itself, which must be copied before it is changed.
func (c *decodeCache) get(cookie string, now time.Time) (data map[string]any, shared, ok bool) {
	c.mu.RLock()
	e, ok := c.byKey[cookie]
	c.mu.RUnlock()
	if !ok {
		return nil, false, false
	}
	age := now.Unix() - e.signedAt
	if age < 0 || age > 1<<33 || time.Duration(age)*time.Second > c.maxAge {
		return nil, false, false
	}
	if e.flat {
		return e.data, true, true
	}
	data, ok = copyMap(e.data)
	return data, false, ok
}

// put keeps a copy of the session of cookie, signed at signedAt, making
// room by forgetting others if needed.
func (c *decodeCache) put(cookie string, data map[string]any, signedAt time.Time) {
	kept, ok := copyMap(data)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[cookie]; ok {
		return
	}
	for k := range c.byKey {
		if len(c.byKey) < c.max && c.bytes+len(cookie) <= decodeCacheBytes {
			break
		}
		// Map order is random: this forgets any one.
		delete(c.byKey, k)
		c.bytes -= len(k)
	}
	// The cookie is a piece of the request's Cookie header, which may be
	// far longer: keep a copy, so that only the counted bytes are held.
	cookie = strings.Clone(cookie)
	c.byKey[cookie] = cacheEntry{data: kept, signedAt: signedAt.Unix(), flat: flat(kept)}
	c.bytes += len(cookie)
}

// flat reports whether no value of m can be changed in place: copyValue
// gives every empty slice capacity 0, so that an append copies it.
func flat(m map[string]any) bool {
	for _, v := range m {
		switch v := v.(type) {
		case nil, bool, int64, float64, string, py.Markup, py.UUID, time.Time:
		case []any:
			if len(v) > 0 {
				return false
			}
		case py.Tuple:
			if len(v) > 0 {
				return false
			}
		case py.Dict:
			if len(v) > 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// copyMap returns a deep copy of a decoded session, and false if it holds
// a value of a type that decoding does not give.
func copyMap(m map[string]any) (map[string]any, bool) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		c, ok := copyValue(v)
		if !ok {
			return nil, false
		}
		out[k] = c
	}
	return out, true
}

// copyValue deep-copies one decoded value: containers and the mutable
// types (bytes, big integers) are copied, the others are values.
func copyValue(v any) (any, bool) {
	switch v := v.(type) {
	case nil, bool, int64, float64, string, py.Markup, py.UUID, time.Time:
		return v, true
	case *big.Int:
		return new(big.Int).Set(v), true
	case []byte:
		return append([]byte{}, v...), true
	case []any:
		return copySlice(v)
	case py.Tuple:
		s, ok := copySlice(v)
		return py.Tuple(s), ok
	case map[string]any:
		return copyMap(v)
	case py.Dict:
		d := make(py.Dict, len(v))
		for i, it := range v {
			c, ok := copyValue(it.Value)
			if !ok {
				return nil, false
			}
			d[i] = py.Item{Key: it.Key, Value: c}
		}
		return d, true
	}
	return nil, false
}

func copySlice(v []any) ([]any, bool) {
	if v == nil {
		return nil, true
	}
	out := make([]any, len(v))
	for i, e := range v {
		c, ok := copyValue(e)
		if !ok {
			return nil, false
		}
		out[i] = c
	}
	return out, true
}
