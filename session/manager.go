package session

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/werkzeug"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// Flask's cookie defaults, in one place.
const (
	// DefaultCookieName is SESSION_COOKIE_NAME.
	DefaultCookieName = "session"
	// DefaultPath is the cookie path when SESSION_COOKIE_PATH is unset:
	// Flask's APPLICATION_ROOT, "/".
	DefaultPath = "/"
)

// ErrSaveFailed is matched by the error that the response writer's Write
// returns after the session could not be saved: the error handler has
// answered the request instead, and the handler's output is discarded.
var ErrSaveFailed = errors.New("session: session not saved, response replaced")

// An Option configures a Manager. The options mirror Flask's configuration
// keys; the session lifetime (PERMANENT_SESSION_LIFETIME), the secret key,
// its fallbacks and the clock belong to the codec.
type Option func(*Manager)

// WithCookieName sets SESSION_COOKIE_NAME (default "session").
func WithCookieName(name string) Option { return func(m *Manager) { m.name = name } }

// WithDomain sets SESSION_COOKIE_DOMAIN (default none: no Domain
// attribute). It is written as Werkzeug writes it. By default (Werkzeug
// 3.1) a port is cut off and a leading dot dropped, so ".example.com" and
// "example.com:8080" give Domain=example.com, and a name without a dot
// such as "localhost" is accepted. Under WithFlaskVersion(Flask22)
// (Werkzeug 2.2) a port is cut off too, a leading dot is kept, and a name
// without a dot is refused, as Werkzeug 2.2 refuses it. A non-ASCII name is
// refused (give its ASCII "xn--" form), and so is one that Werkzeug would
// fail on or that is not a valid cookie domain. Flask 2.2's fallback to
// SERVER_NAME is not reproduced: set the domain explicitly.
func WithDomain(domain string) Option { return func(m *Manager) { m.domain = domain } }

// WithPath sets SESSION_COOKIE_PATH (default "/", Flask's APPLICATION_ROOT;
// an empty path means the default). It must start with "/" and be valid
// UTF-8, and is percent-encoded as Werkzeug does: by default as Werkzeug
// 3.1's dump_cookie (everything but letters, digits and
// -._~%!$&'()*+,/:=@ is encoded, so "[", "]", ";", a space or "é" become
// %5B, %5D, %3B, %20, %C3%A9), and under WithFlaskVersion(Flask22) as
// Werkzeug 2.2's iri_to_uri (which also keeps ?#[]; as they are; a path
// that would keep a ";" is refused, since it would end the Path attribute).
func WithPath(path string) Option { return func(m *Manager) { m.path = path } }

// WithHTTPOnly sets SESSION_COOKIE_HTTPONLY (default true).
func WithHTTPOnly(on bool) Option { return func(m *Manager) { m.httpOnly = on } }

// WithSecure sets SESSION_COOKIE_SECURE (default false).
func WithSecure(on bool) Option { return func(m *Manager) { m.secure = on } }

// WithSameSite sets SESSION_COOKIE_SAMESITE: "" (the default, no attribute),
// or "Strict", "Lax" or "None" in any case, written title-cased as Werkzeug
// does. Anything else is refused by New (Flask raises ValueError when it
// saves).
func WithSameSite(mode string) Option { return func(m *Manager) { m.sameSite = mode } }

// WithPartitioned sets SESSION_COOKIE_PARTITIONED (Flask 3.1; default
// false): the cookie gets the Partitioned attribute, and Secure, which
// Werkzeug 3.1 forces with it.
func WithPartitioned(on bool) Option { return func(m *Manager) { m.partitioned = on } }

// WithRefreshEachRequest sets SESSION_REFRESH_EACH_REQUEST (default true):
// a permanent session's cookie is set again on every response, with a new
// timestamp and Expires, even when the session did not change.
func WithRefreshEachRequest(on bool) Option { return func(m *Manager) { m.refresh = on } }

// WithErrorHandler sets what answers a request whose session cannot be
// saved (a value Flask's session cannot hold, or a cookie over the codec's
// size limit). It is called before anything of the handler's response is
// written, with the handler's headers removed. The default answers 500
// Internal Server Error, as Flask does.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(m *Manager) { m.onError = h }
}

// WithLogger sets the logger through which the Manager reports a session
// that could not be saved (too large, or holding a value Flask cannot
// hold), which otherwise shows only as a 500 answer. The default is
// slog.Default(). The record names the cookie and, for a session over the
// size limit, its largest top-level key (by encoded size), quoted with
// strconv.Quote so that the bytes of a key name cannot forge log lines.
func WithLogger(l *slog.Logger) Option { return func(m *Manager) { m.logger = l } }

// A FlaskVersion selects the Flask and Werkzeug release whose behaviour a
// Manager reproduces where releases differ: which session operations
// count as an access (and so send Vary: Cookie), and how the Domain and
// Path attributes of the cookie are written. See WithFlaskVersion.
type FlaskVersion int

const (
	// Flask22 is Flask 2.2 with Werkzeug 2.2 (Debian 12's 2.2.2, or
	// 2.2.5 and later with the CVE-2023-30861 fix): only Get, GetAs,
	// SetDefault, Permanent and changes mark the session accessed; a
	// leading dot of the domain is kept, a domain without a dot is
	// refused, and the path is quoted as Werkzeug 2.2's iri_to_uri.
	Flask22 FlaskVersion = iota + 1
	// Flask31 is Flask 3.1 with Werkzeug 3.1, as patched for
	// CVE-2026-27205 (Flask 3.1.3, Debian 13's 3.1.1+deb13u1): any use
	// of the session marks it accessed, and the domain and path are
	// written as Werkzeug 3.1's dump_cookie writes them. It is the
	// default.
	Flask31
)

// DefaultFlaskVersion is the release a Manager follows unless
// WithFlaskVersion says otherwise: the current one.
const DefaultFlaskVersion = Flask31

// String returns "Flask 2.2" or "Flask 3.1".
func (v FlaskVersion) String() string {
	switch v {
	case Flask22:
		return "Flask 2.2"
	case Flask31:
		return "Flask 3.1"
	}
	return fmt.Sprintf("FlaskVersion(%d)", int(v))
}

// WithFlaskVersion makes the Manager behave as the given Flask release
// (default DefaultFlaskVersion, Flask31). Use Flask22 beside an app on
// Flask 2.2 for byte-identical headers; cookies are the same under both.
// Any other value is refused by New.
func WithFlaskVersion(v FlaskVersion) Option { return func(m *Manager) { m.version = v } }

// A Manager loads Flask sessions from requests and saves them in
// responses, as Flask's SecureCookieSessionInterface does. Its Handler
// method is the middleware. A Manager is immutable and safe for concurrent
// use.
type Manager struct {
	codec       codec.SessionCodec
	version     FlaskVersion
	logger      *slog.Logger
	name        string
	domain      string
	path        string
	httpOnly    bool
	secure      bool
	sameSite    string
	partitioned bool
	refresh     bool
	onError     func(http.ResponseWriter, *http.Request, error)

	// peek says that mayBePermanent can look into the codec's cookies.
	peek bool
	// cacheSize is WithDecodeCache's; cache is nil when it is off.
	cacheSize int
	cache     *decodeCache

	// star, for a Manager made by NewStarlette, switches Load and Save to
	// Starlette's rules and headers (starlette.go).
	star *starletteRules

	// cookie writes the Set-Cookie headers, as Werkzeug does.
	cookie werkzeug.CookieWriter
}

// New returns a Manager for the sessions that c reads and writes, with
// Flask's defaults changed by opts. c is a signed codec (codec.New), as
// Flask's default session interface uses, or a sealed one
// (codec.NewSealed). It refuses a cookie name, domain,
// path or SameSite value that Werkzeug would refuse or rewrite, or that
// net/http considers invalid.
func New(c codec.SessionCodec, opts ...Option) (*Manager, error) {
	if c == nil {
		return nil, fmt.Errorf("session: nil codec: %w", itsdangerous.ErrConfig)
	}
	m := &Manager{codec: c, version: DefaultFlaskVersion, name: DefaultCookieName, path: DefaultPath, httpOnly: true, refresh: true, cacheSize: DefaultDecodeCache}
	for _, o := range opts {
		o(m)
	}
	if m.path == "" {
		m.path = DefaultPath
	}
	if m.onError == nil {
		m.onError = defaultOnError
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	m.precompute()
	m.peek = peekable(c)
	m.cache = newDecodeCache(c, m.cacheSize)
	return m, nil
}

func defaultOnError(w http.ResponseWriter, _ *http.Request, _ error) {
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}

func (m *Manager) validate() error {
	bad := func(what, v string) error {
		return fmt.Errorf("session: invalid %s %q for %v: %w", what, v, m.version, itsdangerous.ErrConfig)
	}
	if m.version != Flask22 && m.version != Flask31 {
		return fmt.Errorf("session: unknown %v: %w", m.version, itsdangerous.ErrConfig)
	}
	if (&http.Cookie{Name: m.name}).Valid() != nil {
		return bad("cookie name", m.name)
	}
	if m.domain != "" {
		d, ok := cookieDomain(m.domain, m.version)
		if !ok || (&http.Cookie{Name: m.name, Domain: d}).Valid() != nil {
			return bad("cookie domain", m.domain)
		}
		m.domain = d
	}
	p, ok := cookiePath(m.path, m.version)
	if !ok || (&http.Cookie{Name: m.name, Path: p}).Valid() != nil {
		return bad("cookie path", m.path)
	}
	m.path = p
	ss, ok := werkzeug.SameSite(m.sameSite)
	if !ok {
		return bad("SameSite", m.sameSite)
	}
	m.sameSite = ss
	if m.partitioned {
		if m.version == Flask22 {
			// Flask 2.2 has no SESSION_COOKIE_PARTITIONED.
			return bad("setting", "Partitioned")
		}
		m.secure = true
	}
	if m.cacheSize < 0 {
		return bad("decode cache size", fmt.Sprint(m.cacheSize))
	}
	if m.logger == nil {
		m.logger = slog.Default()
	}
	return nil
}

// cookieDomain returns SESSION_COOKIE_DOMAIN as Werkzeug writes it in the
// Domain attribute, and false where Werkzeug would fail (or, for a
// non-ASCII name, where this package does not reproduce its IDNA
// encoding).
//
// Werkzeug 3.1: domain.partition(":")[0].lstrip(".").encode("idna"),
// whose ASCII path fails on an empty or over-long label. Werkzeug 2.2
// (_make_cookie_domain): the part before the first ":", which must
// contain a dot.
func cookieDomain(domain string, v FlaskVersion) (string, bool) {
	if !isASCII(domain) {
		return "", false
	}
	d, _, _ := strings.Cut(domain, ":")
	if v == Flask22 {
		return d, strings.Contains(d, ".")
	}
	d = strings.TrimLeft(d, ".")
	labels := strings.Split(d, ".")
	for i, l := range labels {
		if len(l) >= 64 || len(l) == 0 && i < len(labels)-1 {
			return "", false
		}
	}
	return d, d != ""
}

// cookiePath returns SESSION_COOKIE_PATH percent-encoded as Werkzeug
// writes it in the Path attribute, and false when it does not start with
// "/", is not UTF-8 (Python's str cannot hold it), or would keep a ";"
// (Werkzeug 2.2, which would write a broken header).
//
// Werkzeug 3.1: urllib.parse.quote(path, safe="%!$&'()*+,/:=@"). Werkzeug
// 2.2: iri_to_uri, whose url_quote keeps ":/?#[]@!$&'()*+,;=%" and
// "-._~" besides letters and digits (a network location after "//" is
// IDNA-encoded there, so such a path must be ASCII).
func cookiePath(path string, v FlaskVersion) (string, bool) {
	if path == "" || path[0] != '/' || !utf8.ValidString(path) {
		return "", false
	}
	safe := "-._~%!$&'()*+,/:=@"
	if v == Flask22 {
		if strings.HasPrefix(path, "//") && !isASCII(path) {
			return "", false
		}
		safe += "?#[];"
	}
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(safe, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	p := b.String()
	return p, !strings.Contains(p, ";")
}

const upperHex = "0123456789ABCDEF"

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// precompute prepares the writer of the Set-Cookie header, whose
// attributes come in Werkzeug's order: Domain, Expires, Max-Age, Secure,
// HttpOnly, Path, SameSite, Partitioned.
func (m *Manager) precompute() {
	m.cookie = werkzeug.NewCookieWriter(werkzeug.Cookie{
		Name: m.name, Domain: m.domain, Path: m.path, SameSite: m.sameSite,
		Secure: m.secure, HTTPOnly: m.httpOnly, Partitioned: m.partitioned,
	})
}

// CookieName returns the name of the session cookie.
func (m *Manager) CookieName() string { return m.name }

// Codec returns the codec the Manager reads and writes cookies with.
func (m *Manager) Codec() codec.SessionCodec { return m.codec }

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
	// (never a base64 character); a compressed one starts with ".". It
	// is decoded in pieces that overlap by len(permanentJSON)-1 bytes.
	var buf [256]byte
	k, acc, bits, digits := 0, uint(0), 0, 0
	for ; digits < len(value); digits++ {
		d := base64URLValue(value[digits])
		if d < 0 {
			break
		}
		acc, bits = acc<<6|uint(d), bits+6
		if bits < 8 {
			continue
		}
		bits -= 8
		b := byte(acc >> bits)
		if b == '\\' {
			return true
		}
		buf[k] = b
		if k++; k == len(buf) {
			if bytes.Contains(buf[:k], permanentJSON) {
				return true
			}
			k = copy(buf[:], buf[k-len(permanentJSON)+1:k])
		}
	}
	if digits == 0 {
		return true // compressed, or not a signed cookie
	}
	return bytes.Contains(buf[:k], permanentJSON)
}

var permanentJSON = []byte(`"` + PermanentKey + `"`)

// base64URLValue is the value of a URL-safe base64 digit, or -1.
func base64URLValue(b byte) int {
	switch {
	case 'A' <= b && b <= 'Z':
		return int(b - 'A')
	case 'a' <= b && b <= 'z':
		return int(b-'a') + 26
	case '0' <= b && b <= '9':
		return int(b-'0') + 52
	case b == '-':
		return 62
	case b == '_':
		return 63
	}
	return -1
}

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
	permanent := truthy(s.data[PermanentKey])
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
