package session

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

// starletteRules are the load and save rules of Starlette's
// SessionMiddleware, with the cookie of its codec.
type starletteRules struct {
	codec  *starlette.Codec
	cookie starlette.Cookie
}

// NewStarlette returns a Manager that shares its sessions with a Starlette
// (or FastAPI) app: Load, Save and Handler follow Starlette 0.26's
// SessionMiddleware instead of Flask's rules, and the session cookie is
// c's, written with Starlette's exact Set-Cookie headers (see
// starlette.Cookie). The cookie's name, path, max age, SameSite and Secure
// attributes are configured on c (starlette.WithCookieName, WithPath,
// WithMaxAge, WithSameSite, WithHTTPSOnly), as they are arguments of the
// middleware; the only Options that apply are WithErrorHandler and
// WithLogger, and any other that changes a Flask setting is refused with an error matching
// itsdangerous.ErrConfig.
//
// Starlette's rules, which the Manager follows:
//
//   - Load: a cookie that verifies (signature, and age when c has a max
//     age) gives its session, and counts as a session that came in even when
//     it is {} or null. A missing cookie, or one that does not verify,
//     gives an empty session that did not come in. When the Cookie header
//     holds the name twice the last one counts, as in Starlette.
//   - Save, when the response starts: a non-empty session is signed again
//     and its cookie set on every response, whether or not it changed
//     (session=<value>; path=/; Max-Age=1209600; httponly; samesite=lax);
//     an empty session that came in non-empty (it was cleared) deletes the
//     cookie (session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT;
//     httponly; samesite=lax); otherwise nothing is written. There is never
//     a Vary header.
//
// Starlette keeps the session as a Python dict, written by json.dumps in
// insertion order, so the Manager's sessions keep their keys in that order
// too (Keys returns it): a session loaded and saved again, or built by the
// same Set calls, gives the cookie Starlette gives, byte for byte. Nested
// dicts read from a cookie are py.Dict, which keeps their order as well.
// Values must be ones JSON can hold (nil, bool, numbers, strings, lists,
// tuples as lists, dicts); anything else (bytes, UUIDs, times) makes Save
// fail, and the error handler answer (500 by default), as Starlette fails
// in json.dumps.
//
// The Session API is the same. Accessed, Modified and MarkModified are
// kept but decide nothing. Flask's features are plain keys here: Flash and
// FlashedMessages use "_flashes" (tuples become JSON lists), and
// SetPermanent stores "_permanent", which does not change the cookie.
//
// Two deviations, for cookies only the key holder can make: a verified
// cookie whose payload is not base64, JSON or UTF-8, or whose JSON is
// neither an object nor null, gives an empty session, as a bad signature
// does, where Starlette fails the request or keeps the non-dict value.
func NewStarlette(c *starlette.Codec, opts ...Option) (*Manager, error) {
	if c == nil {
		return nil, fmt.Errorf("session: nil Starlette codec: %w", itsdangerous.ErrConfig)
	}
	m := &Manager{codec: c, name: DefaultCookieName, path: DefaultPath, httpOnly: true, refresh: true}
	for _, o := range opts {
		o(m)
	}
	if m.name != DefaultCookieName || m.domain != "" || m.path != DefaultPath || !m.httpOnly || m.secure ||
		m.sameSite != "" || m.partitioned || !m.refresh || m.version != 0 {
		return nil, fmt.Errorf("session: a Starlette manager takes its cookie attributes from its codec, not from Flask options: %w", itsdangerous.ErrConfig)
	}
	if m.onError == nil {
		m.onError = defaultOnError
	}
	if m.logger == nil {
		m.logger = slog.Default()
	}
	ck := c.Cookie()
	// Only the name is read by the Flask side of the Manager (CookieName).
	m.name, m.path, m.sameSite, m.secure = ck.Name, ck.Path, ck.SameSite, ck.Secure
	m.star = &starletteRules{codec: c, cookie: ck}
	return m, nil
}

// load is Starlette's SessionMiddleware reading the request.
func (sr *starletteRules) load(s *Session, r *http.Request) {
	s.data = map[string]any{}
	s.ordered = true
	// Starlette's cookie_parser, not net/http's: the first Cookie line,
	// split on every ";", the last cookie of a name winning.
	value, found := starlette.CookieValue(r.Header["Cookie"], sr.cookie.Name)
	if !found {
		return
	}
	var v any
	if _, err := sr.codec.Decode(value, &v); err != nil {
		return
	}
	switch v := v.(type) {
	case nil:
		// json null: Starlette's session is None, falsy, so the cookie
		// is deleted on the response unless something is stored.
		s.loaded = true
	case py.Dict:
		s.loaded = true
		for _, it := range v {
			s.put(it.Key, it.Value)
		}
	}
	return
}

// save is Starlette's send_wrapper at http.response.start.
func (sr *starletteRules) save(h http.Header, s *Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.data) == 0 {
		if s.loaded {
			h.Add("Set-Cookie", sr.cookie.ClearCookie())
		}
		return nil
	}
	value, err := sr.codec.EncodeAt(s.dict(), sr.codec.Now())
	if err != nil {
		return fmt.Errorf("session: saving: %w", err)
	}
	h.Add("Set-Cookie", sr.cookie.SetCookie(value))
	return nil
}

// dict returns the session as a py.Dict in its order: insertion order for
// an ordered session, sorted (as codecs write maps) otherwise. The caller
// holds s.mu.
func (s *Session) dict() any {
	if !s.ordered || len(s.order) != len(s.data) {
		return s.data
	}
	d := make(py.Dict, len(s.order))
	for i, k := range s.order {
		d[i] = py.Item{Key: k, Value: s.data[k]}
	}
	return d
}
