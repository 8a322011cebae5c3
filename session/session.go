package session

import (
	"maps"
	"sort"
	"sync"
	"time"

	"github.com/flaskcookie/flaskcookie/py"
)

// Keys that Flask itself stores in the session.
const (
	// PermanentKey holds session.permanent: "_permanent": true.
	PermanentKey = "_permanent"
	// FlashesKey holds the messages of flask.flash: a list of
	// (category, message) tuples.
	FlashesKey = "_flashes"
	// DefaultCategory is flask.flash's default category.
	DefaultCategory = "message"
)

// A Session is the session of one request: Flask's SecureCookieSession,
// a dict that records whether it was read (accessed) and changed
// (modified), which decides the Vary and Set-Cookie headers.
//
// Every method but Accessed and Modified is a use of the session, which
// Flask 3.1 counts as an access; Flask 2.2 counts only some (see the
// package documentation, and WithFlaskVersion). A Session is safe for concurrent
// use by the goroutines of one request. Changes made after the response
// headers were written are not saved, as in Flask.
type Session struct {
	mu   sync.Mutex
	data map[string]any
	// lazy, while not nil, is the Manager that read the cookie value
	// raw at loadedAt and has not decoded it yet: data is nil until the
	// first use of the session decodes it (decode).
	lazy     *Manager
	raw      string
	loadedAt time.Time
	// flashes, once FlashedMessages was called, holds the messages its
	// first call of the request popped (Flask's request_ctx.flashes).
	flashes *[]Flash
	// Starlette sessions only (see NewStarlette): order holds the keys
	// in insertion order, as a Python dict keeps them, when ordered is
	// set; loaded records that the request brought a session (Starlette's
	// initial_session_was_empty is false).
	order []string
	// accessed is Flask 2.2's accessed flag; used records any use at all,
	// which Flask 3.1 counts as an access.
	accessed bool
	used     bool
	modified bool
	// flask22 says that the Manager that loaded the session follows
	// Flask22 (for Accessed and RequestCookie); otherwise the session
	// follows Flask31, the default.
	flask22 bool
	// shared says that data is the Manager's cached session of the
	// cookie, which holds no value that can be changed in place: it is
	// copied before the first change (own).
	shared  bool
	ordered bool
	loaded  bool
	// The fields are ordered so that a Session, part of the one
	// allocation Handler makes per request, takes no padding.
}

// flaskVersion is the Flask release whose rules the session follows.
func (s *Session) flaskVersion() FlaskVersion {
	if s.flask22 {
		return Flask22
	}
	return Flask31
}

// newSession returns a session holding data, which it now owns.
func newSession(data map[string]any) *Session {
	if data == nil {
		data = map[string]any{}
	}
	return &Session{data: data}
}

// NewSession returns a session holding data (which it now owns), neither
// accessed nor modified, as Flask's SecureCookieSession(data). Manager.Load
// is the usual way to get a session; NewSession serves tests (with
// NewContext) and Manager.Save.
func NewSession(data map[string]any) *Session { return newSession(data) }

// decode decodes the cookie into data, if that is still to do. The caller
// holds s.mu; every method that reads or changes data calls it first.
func (s *Session) decode() {
	if s.lazy == nil {
		return
	}
	m := s.lazy
	s.lazy = nil
	m.decodeInto(s, s.raw, s.loadedAt)
	s.raw = ""
}

// own copies data before its first change when it is shared with the
// Manager's decode cache. The caller holds s.mu.
func (s *Session) own() {
	if s.shared {
		s.data, s.shared = maps.Clone(s.data), false
	}
}

// drop forgets the cookie not yet decoded, for Clear, which needs no
// data. The caller holds s.mu.
func (s *Session) drop() {
	if s.lazy != nil {
		s.lazy, s.raw = nil, ""
		s.data = map[string]any{}
	}
}

// put stores value under key, keeping the insertion order of an ordered
// session (an existing key keeps its place, as in a Python dict).
func (s *Session) put(key string, value any) {
	if s.ordered {
		if _, ok := s.data[key]; !ok {
			s.order = append(s.order, key)
		}
	}
	s.own()
	s.data[key] = value
}

// del removes key, from the order too.
func (s *Session) del(key string) {
	if s.ordered {
		for i, k := range s.order {
			if k == key {
				s.order = append(s.order[:i], s.order[i+1:]...)
				break
			}
		}
	}
	s.own()
	delete(s.data, key)
}

// touch records a write: Flask's on_update sets both flags.
func (s *Session) touch() {
	s.accessed = true
	s.used = true
	s.modified = true
}

// Get returns the value stored under key and whether there is one,
// marking the session accessed (session.get(key)).
//
// Values read from a cookie use the generic forms of package py (int64,
// float64, string, []any, py.Tuple, map[string]any, ...); values Set during
// this request are returned as they were given.
func (s *Session) Get(key string) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.used = true
	s.accessed = true
	v, ok := s.data[key]
	return v, ok
}

// GetAs stores the value under key into the variable dst points to, with
// py.Assign (so a dict fills a struct as encoding/json would), and reports
// whether there was a value. It marks the session accessed, like Get.
func (s *Session) GetAs(key string, dst any) (bool, error) {
	v, ok := s.Get(key)
	if !ok {
		return false, nil
	}
	if w, err := py.ValueOf(v); err == nil {
		v = w
	}
	return true, py.Assign(dst, v)
}

// Set stores value under key (session[key] = value), marking the session
// accessed and modified. The value must be one Flask's session can hold
// (see package codec); otherwise saving the session fails and the
// Manager's error handler answers the request, as Flask answers 500.
//
// As in Flask, changing a mutable value in place (a slice or map already
// stored) is not seen: call MarkModified, or Set it again.
func (s *Session) Set(key string, value any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.put(key, value)
	s.touch()
}

// SetDefault returns the value under key, storing value there first if
// there is none (session.setdefault). It marks the session accessed, and
// modified only when it stores.
func (s *Session) SetDefault(key string, value any) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.used = true
	s.accessed = true
	if v, ok := s.data[key]; ok {
		return v
	}
	s.put(key, value)
	s.touch()
	return value
}

// Pop removes key and returns its value (session.pop(key, None)). When key
// was present the session is marked accessed and modified; when it was
// not, it is accessed under Flask 3.1 only, as in Flask.
func (s *Session) Pop(key string) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.used = true
	v, ok := s.data[key]
	if ok {
		s.del(key)
		s.touch()
	}
	return v, ok
}

// Delete removes key: Pop without the value. Deleting a missing key
// changes nothing, as session.pop(key, None) does.
func (s *Session) Delete(key string) { s.Pop(key) }

// Clear removes every key (session.clear()), marking the session accessed
// and modified even when it was empty; an empty modified session deletes
// the cookie. This is how to log out.
func (s *Session) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop()
	if s.shared {
		s.data, s.shared = map[string]any{}, false
	}
	clear(s.data)
	s.order = s.order[:0]
	s.touch()
}

// Has reports whether key is present (key in session). It marks the
// session accessed under Flask 3.1 (the default), which sends Vary: Cookie,
// and not under Flask 2.2, as in those releases.
func (s *Session) Has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.used = true
	_, ok := s.data[key]
	return ok
}

// Len returns the number of keys (len(session)). Like Has, it marks the
// session accessed under Flask 3.1 only.
func (s *Session) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.used = true
	return len(s.data)
}

// Keys returns the keys in sorted order, as iterating over the session
// does in Flask; like Has, it marks the session accessed under Flask 3.1
// only. The keys of a session loaded
// by a Starlette Manager (NewStarlette) come in the session's own order,
// the insertion order of Python's dict, in which they are saved.
func (s *Session) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.used = true
	if s.ordered {
		return append([]string(nil), s.order...)
	}
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Permanent reports session.permanent: whether "_permanent" holds a true
// value (by Python's truth rules, as Flask tests it). It marks the session
// accessed, as Flask's property does through session.get.
func (s *Session) Permanent() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decode()
	s.used = true
	s.accessed = true
	return py.Truth(s.data[PermanentKey])
}

// SetPermanent sets session.permanent: it stores "_permanent" and marks the
// session modified. A permanent session's cookie has an Expires attribute
// (now plus the lifetime) and, by default, is refreshed on every request.
func (s *Session) SetPermanent(permanent bool) {
	s.Set(PermanentKey, permanent)
}

// Accessed reports whether the session was accessed as the Flask release
// of the Manager that loaded it counts accesses (Flask 3.1 for a session
// made by NewSession): any use under Flask 3.1, the uses Flask 2.2 tracks
// under Flask 2.2. The response then gets Vary: Cookie. Accessed and
// Modified only report: they are not uses themselves (in Flask 3.1,
// reading session.accessed through the flask.session proxy would be).
func (s *Session) Accessed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accessedAs(s.flaskVersion())
}

// accessedAs reports whether the session counts as accessed under v. The
// caller holds s.mu.
func (s *Session) accessedAs(v FlaskVersion) bool {
	return s.accessed || v != Flask22 && s.used
}

// Modified reports whether the session was changed, which makes the
// response set (or, when empty, delete) the cookie.
func (s *Session) Modified() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.modified
}

// MarkModified marks the session modified, for a value changed in place
// (Flask's session.modified = True, which Flask 3.1 also counts as an
// access).
func (s *Session) MarkModified() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used = true
	s.modified = true
}
