package session

// Writing the session into the response headers (Save): the Set-Cookie
// line and Vary, as Flask's save_session does.

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/flaskcookie/flaskcookie/py"
)

// Save writes the session into the response headers h exactly as Flask's
// save_session does:
//
//   - Vary: Cookie when the session was accessed (any use under Flask
//     3.1, the uses Flask 2.2 tracks under Flask22), merged with the Vary
//     values already there;
//   - when the session is empty: if modified, a cookie that deletes it
//     (with the same attributes) and Vary: Cookie; nothing else;
//   - when it was modified, or is permanent and refreshed on each request:
//     the cookie, with Expires (now plus the lifetime) only when permanent,
//     and Vary: Cookie.
//
// It fails, writing nothing, when the session cannot be encoded. Handler
// calls it; call it directly only when not using Handler. A Manager made
// by NewStarlette saves by Starlette's rules instead (see NewStarlette).
func (m *Manager) Save(h http.Header, s *Session) error { return m.save(h, s, false, nil) }

// save is Save; early says that the response starts before the handler
// returned, so that the session may still be read after it is saved: under
// Flask 3.1 the response then gets Vary: Cookie whatever happened so far.
// slots, when not nil, back the header values it adds.
func (m *Manager) save(h http.Header, s *Session, early bool, slots *headerSlots) error {
	if m.star != nil {
		return m.star.save(h, s)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	accessed := s.accessedAs(m.version) || early && m.version != Flask22
	if s.lazy != nil && !s.modified && !(m.refresh && m.mayBePermanent(s.raw)) {
		// Not decoded, so neither read nor changed, and not refreshed:
		// whatever it holds, nothing but Vary can be written.
		if accessed {
			addVaryCookie(h, slots)
		}
		return nil
	}
	s.decode()
	if len(s.data) == 0 {
		if accessed || s.modified {
			addVaryCookie(h, slots)
		}
		if s.modified {
			addSetCookie(h, m.cookie.Delete(), slots)
		}
		return nil
	}
	permanent := py.Truth(s.data[PermanentKey])
	if !s.modified && !(permanent && m.refresh) {
		if accessed {
			addVaryCookie(h, slots)
		}
		return nil
	}
	line, err := m.setCookieLine(s.data, permanent)
	if err != nil {
		return fmt.Errorf("session: saving: %w", err)
	}
	addVaryCookie(h, slots)
	addSetCookie(h, line, slots)
	return nil
}

// appendEncoder is a codec that can write its cookie into a buffer, as
// codec.Codec does: the Set-Cookie header is then built with one
// allocation, not one for the value and one for the header.
type appendEncoder interface {
	AppendEncodeAt(dst []byte, v any, t time.Time) ([]byte, error)
}

// lineBufs holds the buffers (*[]byte) setCookieLine builds headers in.
var lineBufs = sync.Pool{New: func() any { return new([]byte) }}

// setCookieLine encodes data now and returns the Set-Cookie header that
// sets it, with Expires when permanent.
func (m *Manager) setCookieLine(data map[string]any, permanent bool) (string, error) {
	now := m.codec.Now()
	bp := lineBufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 8<<10 {
			lineBufs.Put(bp)
		}
	}()
	b := m.cookie.AppendName((*bp)[:0])
	start := len(b)
	var err error
	if enc, ok := m.codec.(appendEncoder); ok {
		b, err = enc.AppendEncodeAt(b, data, now)
	} else {
		var value string
		value, err = m.codec.EncodeAt(data, now)
		b = append(b, value...)
	}
	*bp = b
	if err != nil {
		return "", err
	}
	if value := b[start:]; !cookieValueOK(value) {
		// net/http's error says which byte.
		return "", (&http.Cookie{Name: m.name, Value: string(value)}).Valid()
	}
	var expires time.Time
	if permanent {
		expires = now.Add(m.codec.Lifetime())
	}
	b = m.cookie.AppendAttributes(b, expires, permanent)
	*bp = b
	return string(b), nil
}

// cookieValueOK is (&http.Cookie{Value: v}).Valid() == nil for a cookie
// whose name is valid, without its work: every byte printable ASCII or a
// space, but '"', ';' and '\\'. The bytes are looked up without a branch.
func cookieValueOK(v []byte) bool {
	var bad uint8
	for _, b := range v {
		bad |= cookieByteBad[b]
	}
	return bad == 0
}

// cookieByteBad[b] is 1 when a cookie value may not hold the byte b.
var cookieByteBad = func() (t [256]uint8) {
	for b := range t {
		if b < 0x20 || b >= 0x7f || b == '"' || b == ';' || b == '\\' {
			t[b] = 1
		}
	}
	return t
}()

// addSetCookie adds a Set-Cookie header, as h.Add does.
func addSetCookie(h http.Header, line string, slots *headerSlots) {
	if len(h["Set-Cookie"]) == 0 && slots != nil {
		slots.setCookie[0] = line
		h["Set-Cookie"] = slots.setCookie[:1:1]
		return
	}
	h["Set-Cookie"] = append(h["Set-Cookie"], line)
}

// addVaryCookie adds Cookie to the Vary header, as Werkzeug's
// response.vary.add("Cookie"): nothing changes when Cookie is already
// listed (in any case); otherwise the values are joined into one header
// with Cookie last. Werkzeug reads only the first Vary header; here every
// one is kept.
func addVaryCookie(h http.Header, slots *headerSlots) {
	if len(h["Vary"]) == 0 {
		// The usual case, without Set's work.
		if slots != nil {
			slots.vary[0] = "Cookie"
			h["Vary"] = slots.vary[:1:1]
		} else {
			h["Vary"] = []string{"Cookie"}
		}
		return
	}
	var items []string
	for _, line := range h.Values("Vary") {
		for _, it := range splitList(line) {
			if strings.EqualFold(it, "Cookie") {
				return
			}
			items = append(items, it)
		}
	}
	h.Set("Vary", strings.Join(append(items, "Cookie"), ", "))
}

// splitList returns the items of a comma-separated header value, trimmed,
// without empty ones.
func splitList(line string) []string {
	var items []string
	for _, it := range strings.Split(line, ",") {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	return items
}
