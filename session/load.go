package session

// Reading the session cookie of a request (Load), lazily, and the
// session's place in the request context.

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/werkzeug"
)

// Load reads the session from r's cookie, as Flask's open_session does.
// A missing or empty cookie, and one that is tampered with, signed with an
// unknown key, expired or signed in the future, give an empty session.
// So does a verified cookie whose payload cannot be loaded, where Flask
// would fail the request. Load never fails. A Manager made by
// NewStarlette loads as Starlette does instead.
//
// Load finds the cookie at once but verifies and decodes it on the first
// use of the session, as of the time of Load: the age is checked as Flask
// checks it when the request starts. A session that is never used is not
// decoded at all, unless it may be a permanent one that Save refreshes
// (see WithRefreshEachRequest).
func (m *Manager) Load(r *http.Request) *Session {
	s := new(Session)
	m.loadInto(s, r)
	return s
}

// werkzeugVersion is the Werkzeug release of Flask version v.
func werkzeugVersion(v FlaskVersion) werkzeug.Version {
	if v == Flask22 {
		return werkzeug.V22
	}
	return werkzeug.V31
}

// RequestCookie returns the value of the first cookie called name in r,
// and whether there is one, as Flask reads request.cookies.get(name):
// with Werkzeug's rules for the Cookie header, which differ from
// net/http's Request.Cookie (quotes with backslash escapes, a ";" inside
// quotes, white space such as U+00A0 that Werkzeug 3.1 strips, several
// Cookie lines joined with ";"). The rules are those of the Flask version
// of the Manager whose Handler r went through (Flask 3.1 without one). The
// session cookie is read this way; extensions such as package flasklogin
// read their cookies with it too.
func RequestCookie(r *http.Request, name string) (string, bool) {
	v := DefaultFlaskVersion
	if s := FromRequest(r); s != nil {
		v = s.flaskVersion()
	}
	return werkzeug.CookieValue(r.Header["Cookie"], name, werkzeugVersion(v))
}

// loadInto is Load into the zero Session s. The cookie is read from the
// Cookie header as Werkzeug reads it (werkzeug.CookieValue), not as
// net/http's Request.Cookie does: the first cookie of the name, with
// Werkzeug's rules for quotes (a quoted value may hold ";" and backslash
// escapes, which are undone), white space (Werkzeug 3.1 strips U+0085 and
// U+00A0 too) and Cookie header lines (joined with ";").
func (m *Manager) loadInto(s *Session, r *http.Request) {
	if m.star != nil {
		m.star.load(s, r)
		return
	}
	s.flask22 = m.version == Flask22
	value, _ := werkzeug.CookieValue(r.Header["Cookie"], m.name, werkzeugVersion(m.version))
	if value == "" {
		s.data = map[string]any{}
		return
	}
	// Decoded on first use (Session.decode), as of now: Flask decodes
	// when the request starts.
	s.lazy, s.raw, s.loadedAt = m, value, m.codec.Now()
}

// decoderAt is the method of codec.Codec and codec.SealedCodec that
// decodes as of a given time.
type decoderAt interface {
	DecodeAt(cookie string, v any, now time.Time) (time.Time, error)
}

// decodeInto fills s.data from the cookie value, read at the time at: with
// the session it holds, or an empty one when it does not load. The caller
// holds s.mu.
func (m *Manager) decodeInto(s *Session, value string, at time.Time) {
	if m.cache != nil && cacheable(value) {
		if data, shared, ok := m.cache.get(value, at); ok {
			s.data, s.shared = data, shared
			return
		}
	}
	var err error
	if d, ok := m.codec.(decoderAt); ok {
		var signedAt time.Time
		signedAt, err = d.DecodeAt(value, &s.data, at)
		if err == nil && s.data != nil && m.cache != nil && cacheable(value) {
			m.cache.put(value, s.data, signedAt)
		}
	} else {
		_, err = m.codec.Decode(value, &s.data)
	}
	if err != nil || s.data == nil {
		s.data = map[string]any{}
	}
}

// mayBePermanent reports whether the cookie value, not yet decoded, may
// hold a permanent session, without verifying or decoding it: false only
// when m's codec writes tagged JSON uncompressed (m.peek) and the JSON of
// the payload holds neither "_permanent" nor a backslash (through which a
// key could spell it otherwise). A session that cannot be permanent, and
// that the handler neither used nor changed, is saved without knowing
// what it holds: only Vary, if the response started early.
func (m *Manager) mayBePermanent(value string) bool {
	if !m.peek {
		return true
	}
	// The payload is the URL-safe base64 before the first separator
	// (never a base64 digit); a compressed one starts with ".". It is
	// decoded four digits at a time into buf, searched whenever buf is
	// full and then refilled after the last len(permanentJSON)-1 bytes,
	// so that a key across two pieces is found.
	t := &pybase64.URLSafeValues
	var buf [256]byte
	i, k := 0, 0
	for {
		for i+4 <= len(value) && k+3 <= len(buf) {
			a, b, c, d := t[value[i]], t[value[i+1]], t[value[i+2]], t[value[i+3]]
			if a|b|c|d > 63 {
				break // the payload ends within these digits
			}
			v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
			buf[k], buf[k+1], buf[k+2] = byte(v>>16), byte(v>>8), byte(v)
			i, k = i+4, k+3
		}
		if k+3 <= len(buf) {
			break
		}
		if mayHoldPermanent(buf[:k]) {
			return true
		}
		k = copy(buf[:], buf[k-len(permanentJSON)+1:k])
	}
	// Fewer than four digits remain before the payload ends: at most two
	// bytes, for which buf has room.
	acc, bits := uint32(0), 0
	for ; i < len(value); i++ {
		d := t[value[i]]
		if d > 63 {
			break
		}
		acc, bits = acc<<6|uint32(d), bits+6
		if bits >= 8 {
			bits -= 8
			buf[k] = byte(acc >> bits)
			k++
		}
	}
	if i == 0 {
		return true // compressed, or not a signed cookie
	}
	return mayHoldPermanent(buf[:k])
}

// mayHoldPermanent reports whether a piece of a payload's JSON holds
// "_permanent" or a backslash.
func mayHoldPermanent(json []byte) bool {
	return bytes.IndexByte(json, '\\') >= 0 || bytes.Contains(json, permanentJSON)
}

var permanentJSON = []byte(`"` + PermanentKey + `"`)

// peekable reports whether c writes a session as Flask's default does: a
// signed cookie whose payload is the URL-safe base64 of the tagged JSON,
// uncompressed when short, which mayBePermanent can look into. It encodes
// {"_permanent": true} and checks the payload.
func peekable(c codec.SessionCodec) bool {
	if _, ok := c.(*codec.Codec); !ok {
		return false
	}
	v, err := c.EncodeAt(map[string]any{PermanentKey: true}, time.Unix(1700000000, 0))
	if err != nil {
		return false
	}
	payload, _, _ := strings.Cut(v, ".")
	return payload == base64.RawURLEncoding.EncodeToString([]byte(`{"_permanent":true}`))
}

type contextKey struct{}

// NewContext returns a copy of ctx carrying s, where FromContext finds it.
// Handler does this for every request; tests of handlers can do it too.
func NewContext(ctx context.Context, s *Session) context.Context {
	return context.WithValue(ctx, contextKey{}, s)
}

// FromContext returns the session that Handler (or NewContext) stored in
// ctx, or nil if there is none.
func FromContext(ctx context.Context) *Session {
	s, _ := ctx.Value(contextKey{}).(*Session)
	return s
}

// FromRequest returns the session of r, or nil if r did not go through a
// Manager's Handler.
func FromRequest(r *http.Request) *Session { return FromContext(r.Context()) }
