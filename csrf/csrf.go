package csrf

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/werkzeug"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/session"
)

// Flask-WTF's defaults (CSRFProtect.init_app), in one place.
const (
	// DefaultFieldName is WTF_CSRF_FIELD_NAME: the form field and the
	// session key of the raw token.
	DefaultFieldName = "csrf_token"
	// DefaultTimeLimit is WTF_CSRF_TIME_LIMIT: 3600 seconds.
	DefaultTimeLimit = time.Hour
	// Salt is the itsdangerous salt Flask-WTF signs tokens with.
	Salt = "wtf-csrf-token"
	// MaxTokenSize bounds a submitted token (a Flask-WTF token is about
	// 90 bytes); a longer one is refused as invalid before any MAC.
	MaxTokenSize = 4096
)

// DefaultHeaders is WTF_CSRF_HEADERS, in the order they are tried.
var DefaultHeaders = []string{"X-CSRFToken", "X-CSRF-Token"}

// DefaultMethods is WTF_CSRF_METHODS.
var DefaultMethods = []string{"POST", "PUT", "PATCH", "DELETE"}

// ErrCSRF is matched by every refusal. Each refusal is also one of the
// sentinels below, whose Reason is Flask-WTF's message, word for word.
var ErrCSRF = errors.New("csrf: request refused")

// The refusals, with Flask-WTF's reasons.
var (
	ErrTokenMissing        = newReason("The CSRF token is missing.")
	ErrSessionTokenMissing = newReason("The CSRF session token is missing.")
	ErrTokenExpired        = newReason("The CSRF token has expired.")
	ErrTokenInvalid        = newReason("The CSRF token is invalid.")
	ErrTokensDoNotMatch    = newReason("The CSRF tokens do not match.")
	ErrReferrerMissing     = newReason("The referrer header is missing.")
	ErrReferrerMismatch    = newReason("The referrer does not match the host.")
)

// ErrConfig is matched by the errors of New for a configuration Flask-WTF
// would refuse.
var ErrConfig = errors.New("csrf: invalid configuration")

// ErrNoSession is returned by Token and Validate for a request that did
// not go through a session.Manager's Handler.
var ErrNoSession = errors.New("csrf: request has no session (use session.Manager.Handler)")

// A ReasonError is one of Flask-WTF's refusals (ErrTokenMissing, ...).
type ReasonError struct {
	// Reason is Flask-WTF's message, as its CSRFError carries it.
	Reason string
}

func newReason(r string) *ReasonError { return &ReasonError{Reason: r} }

// Error returns "csrf: " and the reason.
func (e *ReasonError) Error() string { return "csrf: " + e.Reason }

// Unwrap returns ErrCSRF.
func (e *ReasonError) Unwrap() error { return ErrCSRF }

// Reason returns Flask-WTF's reason for err ("The CSRF token is
// missing.", ...), or "" when err is not a refusal.
func Reason(err error) string {
	var r *ReasonError
	if errors.As(err, &r) {
		return r.Reason
	}
	return ""
}

// Protect is Flask-WTF's CSRF protection (generate_csrf, validate_csrf and
// CSRFProtect) for net/http handlers that share a Flask app's session.
// It is immutable and safe for concurrent use.
type Protect struct {
	signer     *itsdangerous.TimedSerializer
	field      string
	headers    []string
	methods    map[string]bool
	limit      time.Duration
	sslStrict  bool
	exempt     []string
	exemptFunc func(*http.Request) bool
	isSecure   func(*http.Request) bool
	onError    func(http.ResponseWriter, *http.Request, error)
	now        func() time.Time
	random     io.Reader
}

// An Option configures a Protect; the options mirror Flask-WTF's
// configuration keys.
type Option func(*Protect)

// New returns the protection for tokens signed with secret: the Flask
// app's WTF_CSRF_SECRET_KEY, or its SECRET_KEY when that is unset. An
// empty secret or field name is an error matching ErrConfig, as Flask-WTF
// raises RuntimeError.
func New(secret []byte, opts ...Option) (*Protect, error) {
	p := &Protect{
		field:     DefaultFieldName,
		headers:   DefaultHeaders,
		limit:     DefaultTimeLimit,
		sslStrict: true,
		isSecure:  func(r *http.Request) bool { return r.TLS != nil },
		onError:   defaultError,
		now:       time.Now,
		random:    rand.Reader,
	}
	p.methods = map[string]bool{}
	for _, m := range DefaultMethods {
		p.methods[m] = true
	}
	for _, o := range opts {
		o(p)
	}
	if len(secret) == 0 {
		return nil, fmt.Errorf("%w: a secret key is required to use CSRF", ErrConfig)
	}
	if p.field == "" {
		return nil, fmt.Errorf("%w: a field name is required to use CSRF", ErrConfig)
	}
	if p.limit < 0 {
		return nil, fmt.Errorf("%w: negative time limit", ErrConfig)
	}
	s, err := itsdangerous.NewURLSafeTimedSerializer(secret, itsdangerous.WithSalt([]byte(Salt)),
		itsdangerous.WithClock(func() time.Time { return p.now() }), itsdangerous.WithMaxTokenSize(MaxTokenSize))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	p.signer = s
	return p, nil
}

// WithFieldName sets WTF_CSRF_FIELD_NAME (default "csrf_token").
func WithFieldName(name string) Option { return func(p *Protect) { p.field = name } }

// WithHeaders sets WTF_CSRF_HEADERS (default X-CSRFToken, X-CSRF-Token).
func WithHeaders(names ...string) Option {
	return func(p *Protect) { p.headers = append([]string(nil), names...) }
}

// WithMethods sets WTF_CSRF_METHODS (default POST, PUT, PATCH, DELETE).
func WithMethods(methods ...string) Option {
	return func(p *Protect) {
		p.methods = map[string]bool{}
		for _, m := range methods {
			p.methods[m] = true
		}
	}
}

// WithTimeLimit sets WTF_CSRF_TIME_LIMIT (default 3600 s); 0 is None:
// tokens never expire.
func WithTimeLimit(d time.Duration) Option { return func(p *Protect) { p.limit = d } }

// WithSSLStrict sets WTF_CSRF_SSL_STRICT (default true): on HTTPS, the
// Referer must be on this host.
func WithSSLStrict(on bool) Option { return func(p *Protect) { p.sslStrict = on } }

// WithExempt exempts paths from Handler's check, as csrf.exempt exempts
// views and blueprints: a path ending in "/" exempts every path under it,
// any other only itself.
func WithExempt(paths ...string) Option {
	return func(p *Protect) { p.exempt = append(p.exempt, paths...) }
}

// WithExemptFunc exempts the requests for which f reports true.
func WithExemptFunc(f func(*http.Request) bool) Option { return func(p *Protect) { p.exemptFunc = f } }

// WithRequestIsSecure sets how to tell an HTTPS request (Werkzeug's
// request.is_secure), for the strict referrer check; the default is
// r.TLS != nil. Behind a proxy that terminates TLS, use what the Flask
// app's ProxyFix trusts.
func WithRequestIsSecure(f func(*http.Request) bool) Option {
	return func(p *Protect) { p.isSecure = f }
}

// WithErrorHandler sets what answers a refused request (err matches
// ErrCSRF; Reason(err) is Flask-WTF's message), or one that has no
// session (ErrNoSession: Handler is not inside a session.Manager's
// Handler). The default answers as Flask does for a CSRFError: 400 Bad
// Request with Werkzeug's HTML page showing the reason; and 500 for
// ErrNoSession.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(p *Protect) { p.onError = h }
}

// WithClock sets the clock that dates and checks tokens.
func WithClock(now func() time.Time) Option { return func(p *Protect) { p.now = now } }

// WithRandom sets the source of the raw tokens' randomness (default
// crypto/rand).
func WithRandom(r io.Reader) Option { return func(p *Protect) { p.random = r } }

// FieldName returns WTF_CSRF_FIELD_NAME.
func (p *Protect) FieldName() string { return p.field }

func defaultError(w http.ResponseWriter, _ *http.Request, err error) {
	if r := Reason(err); r != "" {
		werkzeug.Error(w, http.StatusBadRequest, r)
		return
	}
	// ErrNoSession: a set-up error, as Flask answers an exception.
	werkzeug.Error(w, http.StatusInternalServerError, "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.")
}

type ctxKey struct{}

// cache is g.csrf_token: the signed token of one request.
type cache struct {
	mu    sync.Mutex
	token string
}

// Token returns the signed CSRF token for a form or header, as
// generate_csrf does: it stores a new raw token (the hex SHA-1 of 64
// random bytes) in the session under the field name when there is none,
// and signs the raw token with Flask-WTF's salt and the current time.
// Within one request that went through Handler, every call returns the
// same token. A raw token that is not a string (Flask-WTF never stores
// one) is replaced.
func (p *Protect) Token(r *http.Request) (string, error) {
	s := session.FromRequest(r)
	if s == nil {
		return "", ErrNoSession
	}
	c, _ := r.Context().Value(ctxKey{}).(*cache)
	if c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.token != "" {
			return c.token, nil
		}
	}
	raw, ok := "", false
	if s.Has(p.field) {
		v, _ := s.Get(p.field)
		raw, ok = v.(string)
	}
	if !ok {
		var seed [64]byte
		if _, err := io.ReadFull(p.random, seed[:]); err != nil {
			return "", fmt.Errorf("csrf: random: %w", err)
		}
		sum := sha1.Sum(seed[:])
		raw = hex.EncodeToString(sum[:])
		s.Set(p.field, raw)
	}
	tok, err := p.signer.Dumps(raw)
	if err != nil {
		return "", fmt.Errorf("csrf: %w", err)
	}
	if c != nil {
		c.token = tok
	}
	return tok, nil
}

// Validate checks a signed token against the session of r, as
// validate_csrf does, and returns nil or one of ErrTokenMissing,
// ErrSessionTokenMissing, ErrTokenExpired, ErrTokenInvalid and
// ErrTokensDoNotMatch. The comparison is in constant time.
func (p *Protect) Validate(r *http.Request, token string) error {
	if token == "" {
		return ErrTokenMissing
	}
	s := session.FromRequest(r)
	if s == nil {
		return ErrNoSession
	}
	if !s.Has(p.field) {
		return ErrSessionTokenMissing
	}
	var raw any
	var opts []itsdangerous.CallOption
	if p.limit > 0 {
		opts = append(opts, itsdangerous.MaxAge(p.limit))
	}
	if _, err := p.signer.Loads(token, &raw, opts...); err != nil {
		if errors.Is(err, itsdangerous.ErrSignatureExpired) {
			return ErrTokenExpired
		}
		return ErrTokenInvalid
	}
	want, _ := s.Get(p.field)
	ws, ok1 := want.(string)
	got, ok2 := raw.(string)
	if !ok1 || !ok2 || subtle.ConstantTimeCompare([]byte(ws), []byte(got)) != 1 {
		return ErrTokensDoNotMatch
	}
	return nil
}

// SubmittedToken returns the token a request carries, where CSRFProtect
// looks for it: the form field, then any form field whose name ends with
// the field name (a prefixed form; in sorted order, where Flask follows
// the form's), then the headers. It parses the form.
func (p *Protect) SubmittedToken(r *http.Request) string {
	if err := r.ParseMultipartForm(32 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		_ = r.ParseForm()
	}
	if v := r.PostFormValue(p.field); v != "" {
		return v
	}
	keys := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.HasSuffix(k, p.field) {
			if v := r.PostForm[k]; len(v) > 0 && v[0] != "" {
				return v[0]
			}
		}
	}
	for _, h := range p.headers {
		if v := r.Header.Get(h); v != "" {
			return v
		}
	}
	return ""
}

// Check is CSRFProtect.protect: for a method in WTF_CSRF_METHODS, it
// validates the submitted token and, on HTTPS with WTF_CSRF_SSL_STRICT, the
// Referer (it must be present and have the scheme https, the request's
// host and port). It returns nil or a refusal matching ErrCSRF.
func (p *Protect) Check(r *http.Request) error {
	if !p.methods[r.Method] {
		return nil
	}
	if err := p.Validate(r, p.SubmittedToken(r)); err != nil {
		return err
	}
	if p.isSecure(r) && p.sslStrict {
		ref := r.Header.Get("Referer")
		if ref == "" {
			return ErrReferrerMissing
		}
		if !sameOrigin(ref, "https://"+host(r)+"/") {
			return ErrReferrerMismatch
		}
	}
	return nil
}

// host is Werkzeug's request.host for an HTTPS request: the Host header
// without the default port.
func host(r *http.Request) string {
	return strings.TrimSuffix(r.Host, ":443")
}

// sameOrigin is Flask-WTF's same_origin: scheme, host name (lower case)
// and port (absent is not 443) equal.
func sameOrigin(a, b string) bool {
	u, err1 := url.Parse(a)
	v, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	return strings.EqualFold(u.Scheme, v.Scheme) && strings.EqualFold(u.Hostname(), v.Hostname()) && u.Port() == v.Port()
}

func (p *Protect) exempted(r *http.Request) bool {
	if p.exemptFunc != nil && p.exemptFunc(r) {
		return true
	}
	for _, e := range p.exempt {
		if r.URL.Path == e || (strings.HasSuffix(e, "/") && strings.HasPrefix(r.URL.Path, e)) {
			return true
		}
	}
	return false
}

// Handler returns the middleware: CSRFProtect's before_request. Unless
// the request is exempt, Check runs before next, and a refusal is answered
// by the error handler (400 and Flask-WTF's reason by default). It also
// makes Token return one token per request. It must run inside a
// session.Manager's Handler.
func (p *Protect) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, &cache{}))
		if !p.exempted(r) {
			if err := p.Check(r); err != nil {
				p.onError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
