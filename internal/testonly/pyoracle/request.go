package pyoracle

import (
	"encoding/json"
	"fmt"
)

// Error classes in [Response.Error]. The first five are itsdangerous
// exception classes (the most specific one that matches); the others are
// described in the package doc.
const (
	ClassBadData          = "BadData"
	ClassBadSignature     = "BadSignature"
	ClassBadTimeSignature = "BadTimeSignature"
	ClassSignatureExpired = "SignatureExpired"
	ClassBadPayload       = "BadPayload"
	ClassException        = "Exception" // any other Python exception; see Response.Type
	ClassRequest          = "Request"   // malformed request; Do returns a *RejectedError
	ClassOracle           = "Oracle"    // no wire form for the result; Do returns a *RejectedError
)

// Values of [Response.OpenSession]: what Flask's open_session does with a
// cookie.
const (
	OpenSessionOK    = "ok"    // the session holds the cookie's data
	OpenSessionEmpty = "empty" // BadSignature family: a new empty session
	OpenSessionError = "error" // BadPayload or another exception propagates
	OpenSessionNull  = "null"  // empty secret key: Flask uses a NullSession
)

// DefaultFlaskMaxAge is the max_age flask_loads uses when the request does
// not give one: Flask's default PERMANENT_SESSION_LIFETIME of 31 days.
const DefaultFlaskMaxAge = 2678400

// Response holds the fields of every oracle response; each op fills some.
type Response struct {
	// OK is true for a successful call.
	OK bool `json:"ok"`

	// Error is the class of a failure (one of the Class constants).
	Error string `json:"error"`
	// Type is the Python class name when Error is "Exception".
	Type string `json:"type"`
	// Message is str(exception).
	Message string `json:"message"`
	// DateSigned is the Unix time of the token's timestamp: on success for
	// timed unsign/loads, and on failure from BadTimeSignature.date_signed.
	// Nil when Python gave None.
	DateSigned *int64 `json:"date_signed"`
	// Payload is BadSignature.payload when it is bytes, else nil.
	Payload *Bytes `json:"payload"`
	// OriginalError is the class name of BadPayload.original_error.
	OriginalError string `json:"original_error"`
	// MissingPackages is set when oracle.py could not import the packages.
	MissingPackages bool `json:"missing_packages"`

	// Token is the output of sign or dumps.
	Token Bytes `json:"token"`
	// Value is a bytestr (unsign) or a tv (loads, loads_unsafe, flask_loads,
	// flask_check, echo). Python's None is the tv {"t":"none"}.
	Value json.RawMessage `json:"value"`
	// Verified is the first element of loads_unsafe's result.
	Verified bool `json:"verified"`

	// Cookie is the session cookie written by flask_dumps.
	Cookie string `json:"cookie"`
	// JSON is the tagged JSON inside the cookie (flask_dumps), or the JSON
	// Flask's serializer writes for the loaded value (flask_loads).
	JSON string `json:"json"`
	// JSONError is set when flask_loads could not re-dump the value.
	JSONError string `json:"json_error"`
	// Compressed tells whether the flask_dumps cookie is zlib-compressed.
	Compressed bool `json:"compressed"`
	// OpenSession is one of the OpenSession constants (flask_loads and a
	// failed flask_check).
	OpenSession string `json:"open_session"`

	// Equal and Diff are the result of flask_check.
	Equal bool   `json:"equal"`
	Diff  string `json:"diff"`

	// PyType and Repr describe the Python value of echo.
	PyType string `json:"type_name"`
	Repr   string `json:"repr"`

	// Versions is the answer to ping.
	Versions map[string]string `json:"versions"`
}

// ValueBytes decodes Value as a bytestr (the result of unsign).
func (r *Response) ValueBytes() (Bytes, error) {
	var b Bytes
	if err := json.Unmarshal(r.Value, &b); err != nil {
		return nil, err
	}
	return b, nil
}

// Describe summarizes a failure for test messages: "BadSignature: <msg>".
func (r *Response) Describe() string {
	if r.OK {
		return "ok"
	}
	if r.Type != "" {
		return fmt.Sprintf("%s (%s): %s", r.Error, r.Type, r.Message)
	}
	return r.Error + ": " + r.Message
}

// RejectedError is returned by [Oracle.Do] when the oracle answers with the
// class "Request" (the request was malformed) or "Oracle" (the oracle could
// not express the result). The decoded response is still stored.
type RejectedError struct {
	Class   string // ClassRequest or ClassOracle
	Message string
}

// Error implements the error interface.
func (e *RejectedError) Error() string {
	if e.Class == ClassRequest {
		return "pyoracle: oracle rejected the request: " + e.Message
	}
	return "pyoracle: oracle failed: " + e.Message
}

// marshalOp marshals v (a struct) with "op" as its first field.
func marshalOp(op string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	head, _ := json.Marshal(op)
	out := append([]byte(`{"op":`), head...)
	if len(b) > 2 {
		out = append(out, ',')
	}
	return append(out, b[1:]...), nil
}

// PingRequest asks for the Python package versions.
type PingRequest struct{}

// MarshalJSON implements json.Marshaler.
func (r PingRequest) MarshalJSON() ([]byte, error) { return []byte(`{"op":"ping"}`), nil }

// SleepRequest makes the oracle sleep, to exercise the client's timeout.
type SleepRequest struct {
	Seconds float64 `json:"seconds"`
}

// MarshalJSON implements json.Marshaler.
func (r SleepRequest) MarshalJSON() ([]byte, error) {
	type plain SleepRequest
	return marshalOp("sleep", plain(r))
}

// EchoRequest converts a tv to Python and back; the response has Value,
// PyType and Repr.
type EchoRequest struct {
	Value json.RawMessage `json:"value"`
}

// MarshalJSON implements json.Marshaler.
func (r EchoRequest) MarshalJSON() ([]byte, error) {
	type plain EchoRequest
	return marshalOp("echo", plain(r))
}

// FallbackSigner is one entry of a serializer's fallback_signers, in
// Python's dict form (keyword arguments for the default signer class).
// Empty strings and nil mean "not given".
type FallbackSigner struct {
	Sep           *Bytes `json:"sep,omitempty"`
	KeyDerivation string `json:"key_derivation,omitempty"`
	Digest        string `json:"digest,omitempty"`
	Algorithm     string `json:"algorithm,omitempty"`
}

// ItsdangerousRequest runs one itsdangerous call. Empty strings and nil
// pointers mean "not given" (the keyword argument is not passed).
type ItsdangerousRequest struct {
	// Class is Signer, TimestampSigner, Serializer, TimedSerializer,
	// URLSafeSerializer or URLSafeTimedSerializer.
	Class string `json:"class"`
	// Keys is secret_key: a list, oldest first; the last one signs.
	Keys []Bytes `json:"keys"`
	// Salt is passed only when not nil (a nil Salt gives the class default).
	Salt *Bytes `json:"salt"`
	// ExplicitNoneSalt passes salt=None when Salt is nil; on a serializer
	// that selects the signer's default salt (spec §3.1).
	ExplicitNoneSalt bool `json:"explicit_none_salt,omitempty"`
	// Sep, KeyDerivation, Digest (a hashlib name such as "sha256") and
	// Algorithm ("hmac" or "none") are signer arguments; serializers get
	// them through signer_kwargs.
	Sep           *Bytes `json:"sep"`
	KeyDerivation string `json:"key_derivation,omitempty"`
	Digest        string `json:"digest,omitempty"`
	Algorithm     string `json:"algorithm,omitempty"`
	// FallbackSigners is the serializer's fallback_signers.
	FallbackSigners []FallbackSigner `json:"fallback_signers,omitempty"`

	// Action is sign or unsign (signers), dumps, loads or loads_unsafe
	// (serializers).
	Action string `json:"action"`
	// Now is what time.time returns.
	Now int64 `json:"now"`
	// MaxAge is max_age for timed classes.
	MaxAge *int64 `json:"max_age"`
	// ReturnTimestamp, when false, makes TimestampSigner.unsign run without
	// return_timestamp (which otherwise turns an absurd timestamp into a
	// ValueError). Nil means true.
	ReturnTimestamp *bool `json:"return_timestamp,omitempty"`
	// CallSalt is the salt argument of dumps/loads/loads_unsafe.
	CallSalt *Bytes `json:"call_salt"`
	// Value is a Bytes for sign and a tv (json.RawMessage) for dumps.
	Value any `json:"value,omitempty"`
	// Token is the input of unsign, loads and loads_unsafe.
	Token Bytes `json:"token"`
}

// MarshalJSON implements json.Marshaler.
func (r ItsdangerousRequest) MarshalJSON() ([]byte, error) {
	type plain ItsdangerousRequest
	return marshalOp("itsdangerous", plain(r))
}

// FlaskDumpsRequest asks Flask for the session cookie holding Value.
type FlaskDumpsRequest struct {
	Secret    Bytes           `json:"secret"`
	Fallbacks []Bytes         `json:"fallbacks"` // SECRET_KEY_FALLBACKS
	Now       int64           `json:"now"`
	Value     json.RawMessage `json:"value"` // a tv
}

// MarshalJSON implements json.Marshaler.
func (r FlaskDumpsRequest) MarshalJSON() ([]byte, error) {
	type plain FlaskDumpsRequest
	return marshalOp("flask_dumps", plain(r))
}

// FlaskLoadsRequest asks Flask to load a session cookie.
type FlaskLoadsRequest struct {
	Secret    Bytes
	Fallbacks []Bytes // SECRET_KEY_FALLBACKS
	Now       int64
	// MaxAge is max_age; nil means DefaultFlaskMaxAge unless NoMaxAge is
	// set, which passes max_age=None.
	MaxAge   *int64
	NoMaxAge bool
	Cookie   string
}

type flaskLoadsWire struct {
	Secret    Bytes           `json:"secret"`
	Fallbacks []Bytes         `json:"fallbacks"`
	Now       int64           `json:"now"`
	MaxAge    json.RawMessage `json:"max_age,omitempty"`
	Cookie    string          `json:"cookie"`
	Expect    json.RawMessage `json:"expect,omitempty"`
}

func (r FlaskLoadsRequest) wire() flaskLoadsWire {
	w := flaskLoadsWire{Secret: r.Secret, Fallbacks: r.Fallbacks, Now: r.Now, Cookie: r.Cookie}
	switch {
	case r.NoMaxAge:
		w.MaxAge = json.RawMessage("null")
	case r.MaxAge != nil:
		w.MaxAge, _ = json.Marshal(*r.MaxAge)
	}
	return w
}

// MarshalJSON implements json.Marshaler.
func (r FlaskLoadsRequest) MarshalJSON() ([]byte, error) {
	return marshalOp("flask_loads", r.wire())
}

// FlaskCheckRequest loads a cookie like [FlaskLoadsRequest] and compares the
// value with Expect (a tv) using exact Python types.
type FlaskCheckRequest struct {
	FlaskLoadsRequest
	Expect json.RawMessage
}

// MarshalJSON implements json.Marshaler.
func (r FlaskCheckRequest) MarshalJSON() ([]byte, error) {
	w := r.FlaskLoadsRequest.wire()
	w.Expect = r.Expect
	return marshalOp("flask_check", w)
}
