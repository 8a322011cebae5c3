package testvec

// The vector records of the other formats' generators. The packages that
// implement a format and the CLI's tests read the same file, and embed
// these types to add their own methods. Nil pointers stand for Python's
// None (JSON null in the file).

// Paths of the other formats' vector files, relative to the repository
// root (see [Path]).
const (
	StarletteFile = "testdata/starlette/vectors.json"
	JWSFile       = "testdata/jws/vectors.json"
	// DjangoFile is made under Debian 12's Django 3.2, DjangoCurrentFile
	// under the current Debian release's Django 4.2.
	DjangoFile        = "testdata/django/vectors.json"
	DjangoCurrentFile = "testdata/django/vectors-current.json"
)

// StarletteVector is one request through Starlette's SessionMiddleware
// (compat/gen_starlette.py, Starlette 0.26.1).
type StarletteVector struct {
	Name          string `json:"name"`
	Secret        Bytes  `json:"secret"`
	SecretType    string `json:"secret_type"` // "str" or "bytes"
	MaxAge        *int64 `json:"max_age"`
	Path          string `json:"path"`
	SameSite      string `json:"same_site"`
	HTTPSOnly     bool   `json:"https_only"`
	SessionCookie string `json:"session_cookie"`
	Op            string `json:"op"`
	Now           int64  `json:"now"`
	Value         TV     `json:"value"`
	// Cookie is the request's session cookie, JSON the payload inside it.
	Cookie *string `json:"cookie"`
	JSON   *string `json:"json"`
	// SetCookie is the Set-Cookie header of the response, nil for none.
	SetCookie *string `json:"set_cookie"`
	// Error is the class of the exception of a cookie that did not load,
	// Message its text; Raises reports one that Starlette lets through (a
	// 500) rather than starting an empty session.
	Error   *string `json:"error"`
	Message *string `json:"message"`
	Raises  bool    `json:"raises"`
}

// JWSVector is one operation of itsdangerous 2.0.1's JWS serializers
// (compat/gen_jws.py).
type JWSVector struct {
	Name          string  `json:"name"`
	Class         string  `json:"class"`
	Keys          []Bytes `json:"keys"`
	Salt          *Bytes  `json:"salt"`
	AlgorithmName *string `json:"algorithm_name"`
	ExpiresIn     *int64  `json:"expires_in"`
	Op            string  `json:"op"`
	Now           int64   `json:"now"`
	CallSalt      *Bytes  `json:"call_salt"`
	HeaderFields  TV      `json:"header_fields"`
	Value         TV      `json:"value"`
	Header        TV      `json:"header"`
	Token         Bytes   `json:"token"`
	Error         *string `json:"error"`
	Message       *string `json:"message"`
	DateSigned    *int64  `json:"date_signed"`
}

// DjangoVector is one call of Django's signing module or signed_cookies
// session backend (compat/gen_django.py; DjangoFile, DjangoCurrentFile).
type DjangoVector struct {
	Name       string   `json:"name"`
	Class      string   `json:"class"`
	CookieName *string  `json:"cookie_name"`
	Key        Bytes    `json:"key"`
	Salt       *string  `json:"salt"`
	Sep        *string  `json:"sep"`
	Algorithm  *string  `json:"algorithm"`
	Hashing    string   `json:"hashing"`
	Compress   bool     `json:"compress"`
	Op         string   `json:"op"`
	Now        float64  `json:"now"`
	MaxAge     *float64 `json:"max_age"`
	Value      TV       `json:"value"`
	Token      *string  `json:"token"`
	Compressed bool     `json:"compressed"`
	Error      *string  `json:"error"`
	Message    *string  `json:"message"`
}
