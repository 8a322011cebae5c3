package fuzz_test

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// This file describes one signer, serializer or Flask configuration (tcfg)
// the way Python builds it, and runs one token through it on either side:
// Go (goRun) or the Python oracle (pyRun). Both give an outcome, so that the
// fuzz targets and the differential harness compare like with like.

// classFlask is the pseudo-class of Flask's session serializer.
const classFlask = "Flask"

// flaskDefaultMaxAge is PERMANENT_SESSION_LIFETIME in seconds.
const flaskDefaultMaxAge = pyoracle.DefaultFlaskMaxAge

var digests = map[string]func() hash.Hash{
	"":       sha1.New,
	"sha1":   sha1.New,
	"sha224": sha256.New224,
	"sha256": sha256.New,
	"sha384": sha512.New384,
	"sha512": sha512.New,
	"md5":    md5.New,
}

// tcfg is one object as Python builds it: the class and its constructor
// arguments. Empty fields are Python's defaults.
type tcfg struct {
	Class     string   // an itsdangerous class name, or classFlask
	Keys      [][]byte // oldest first; the last one signs (Flask: fallbacks, then SECRET_KEY)
	Salt      []byte   // nil: the class default
	Sep       []byte   // nil: "."
	KD        string   // key derivation; "" is the class default
	Digest    string   // hashlib name; "" is sha1
	Algorithm string   // "", "hmac" or "none"
	Fallbacks []testvec.FallbackSigner
	CallSalt  []byte // salt= of loads (serializers); nil for none

	// Limits set on the Go side only (0 is the default); Python has none.
	MaxToken, MaxPayload, MaxDepth int
}

func (c *tcfg) isSigner() bool { return c.Class == "Signer" || c.Class == "TimestampSigner" }

func (c *tcfg) isTimed() bool {
	switch c.Class {
	case "TimestampSigner", "TimedSerializer", "URLSafeTimedSerializer", classFlask:
		return true
	}
	return false
}

func (c *tcfg) isURLSafe() bool {
	return c.Class == "URLSafeSerializer" || c.Class == "URLSafeTimedSerializer" || c.Class == classFlask
}

func (c *tcfg) sep() []byte {
	if c.Sep == nil {
		return []byte(".")
	}
	return c.Sep
}

// signingSalt is the salt the signatures of c's tokens are made with.
func (c *tcfg) signingSalt() []byte {
	switch {
	case c.Class == classFlask:
		return []byte(codec.DefaultSalt)
	case c.CallSalt != nil && !c.isSigner():
		return c.CallSalt
	case c.Salt != nil:
		return c.Salt
	case c.isSigner():
		return []byte(itsdangerous.DefaultSignerSalt)
	}
	return []byte(itsdangerous.DefaultSerializerSalt)
}

// String identifies the configuration in reports.
func (c *tcfg) String() string {
	var b strings.Builder
	b.WriteString(c.Class)
	if c.Salt != nil {
		fmt.Fprintf(&b, " salt=%q", c.Salt)
	}
	if c.Sep != nil {
		fmt.Fprintf(&b, " sep=%q", c.Sep)
	}
	if c.KD != "" {
		b.WriteString(" kd=" + c.KD)
	}
	if c.Digest != "" {
		b.WriteString(" digest=" + c.Digest)
	}
	if c.Algorithm != "" {
		b.WriteString(" alg=" + c.Algorithm)
	}
	fmt.Fprintf(&b, " keys=%q", c.Keys)
	for _, fb := range c.Fallbacks {
		fmt.Fprintf(&b, " fallback(kd=%s digest=%s", fb.KeyDerivation, fb.Digest)
		if fb.Sep != nil {
			fmt.Fprintf(&b, " sep=%q", []byte(*fb.Sep))
		}
		b.WriteString(")")
	}
	if c.CallSalt != nil {
		fmt.Fprintf(&b, " call_salt=%q", c.CallSalt)
	}
	if c.MaxToken+c.MaxPayload+c.MaxDepth > 0 {
		fmt.Fprintf(&b, " go-limits(token=%d payload=%d depth=%d)", c.MaxToken, c.MaxPayload, c.MaxDepth)
	}
	return b.String()
}

// signerOptions are the options of the main signer (not for Flask).
func (c *tcfg) signerOptions() []itsdangerous.Option {
	var opts []itsdangerous.Option
	if c.Salt != nil {
		opts = append(opts, itsdangerous.WithSalt(c.Salt))
	}
	if c.Sep != nil {
		opts = append(opts, itsdangerous.WithSeparator(c.Sep))
	}
	if c.KD != "" {
		opts = append(opts, itsdangerous.WithKeyDerivation(itsdangerous.KeyDerivation(c.KD)))
	}
	opts = append(opts, itsdangerous.WithDigest(digests[c.Digest]))
	if c.Algorithm == "none" {
		opts = append(opts, itsdangerous.WithAlgorithm(itsdangerous.UnsafeNoneAlgorithm))
	}
	if len(c.Keys) > 1 {
		opts = append(opts, itsdangerous.WithFallbackKeys(c.Keys[:len(c.Keys)-1]...))
	}
	for _, fb := range c.Fallbacks {
		opts = append(opts, itsdangerous.WithFallbackSigner(fallbackOptions(fb)...))
	}
	// Python signs with an empty key; the vectors and seeds that do are
	// read as Python reads them.
	return append(opts, itsdangerous.WithUnsafeEmptyKeys())
}

func fallbackOptions(fb testvec.FallbackSigner) []itsdangerous.Option {
	var fo []itsdangerous.Option
	if fb.KeyDerivation != "" {
		fo = append(fo, itsdangerous.WithKeyDerivation(itsdangerous.KeyDerivation(fb.KeyDerivation)))
	}
	fo = append(fo, itsdangerous.WithDigest(digests[fb.Digest]))
	if fb.Sep != nil {
		fo = append(fo, itsdangerous.WithSeparator(*fb.Sep))
	}
	return fo
}

func (c *tcfg) limitOptions(strict bool) []itsdangerous.Option {
	var opts []itsdangerous.Option
	if strict {
		opts = append(opts, itsdangerous.WithStrictBase64())
	}
	if c.MaxToken > 0 {
		opts = append(opts, itsdangerous.WithMaxTokenSize(c.MaxToken))
	}
	if c.MaxPayload > 0 {
		opts = append(opts, itsdangerous.WithMaxPayloadSize(c.MaxPayload))
	}
	if c.MaxDepth > 0 {
		opts = append(opts, itsdangerous.WithMaxDepth(c.MaxDepth))
	}
	return opts
}

// rawSigner returns a plain Signer that makes the signatures of c's tokens
// (for a timed class, over value ‖ sep ‖ timestamp) with key; fb selects a
// fallback signer's settings instead of the main ones.
func (c *tcfg) rawSigner(key []byte, fb *testvec.FallbackSigner) (*itsdangerous.Signer, error) {
	opts := []itsdangerous.Option{itsdangerous.WithSalt(c.signingSalt())}
	switch {
	case c.Class == classFlask:
		opts = append(opts, itsdangerous.WithKeyDerivation(codec.DefaultKeyDerivation))
	case fb != nil:
		opts = append(opts, fallbackOptions(*fb)...)
	default:
		if c.Sep != nil {
			opts = append(opts, itsdangerous.WithSeparator(c.Sep))
		}
		kd := c.KD
		if kd == "" {
			kd = string(itsdangerous.DjangoConcat)
		}
		opts = append(opts, itsdangerous.WithKeyDerivation(itsdangerous.KeyDerivation(kd)), itsdangerous.WithDigest(digests[c.Digest]))
		if c.Algorithm == "none" {
			opts = append(opts, itsdangerous.WithAlgorithm(itsdangerous.UnsafeNoneAlgorithm))
		}
	}
	return itsdangerous.NewSigner(key, append(opts, itsdangerous.WithUnsafeEmptyKeys())...)
}

// query is one load of a token.
type query struct {
	Token  []byte
	Now    int64
	MaxAge *int64 // timed classes; for Flask, nil means 31 days
	// Action is unsign (signers), loads or loads_unsafe (serializers), or
	// flask.
	Action string
	// NoReturnTimestamp runs Python's TimestampSigner.unsign without
	// return_timestamp.
	NoReturnTimestamp bool
}

// outcome is what one side made of a query.
type outcome struct {
	OK     bool
	Class  string // error class when !OK: an itsdangerous class, "Exception", "Rejected" or "untyped"
	PyType string // Python's exception type for "Exception"
	// OrigErr is the class of Python's BadPayload.original_error.
	OrigErr  string
	Message  string
	Value    any // []byte for unsign, else a py value
	HasDate  bool
	Date     int64
	Verified bool   // loads_unsafe
	Redump   string // Flask: the JSON Python's serializer writes for the value
	HasDump  bool
	// Unreadable is set when Python's value has no typed-value form; it
	// is then compared through Redump only.
	Unreadable string
	// Go only: the error matched ErrTooLarge or pyjson.ErrDepth.
	TooLarge, Depth bool
	Err             error
}

func (o *outcome) summary() string {
	if o.OK {
		s := "ok"
		if o.HasDate {
			s += fmt.Sprintf(" date=%d", o.Date)
		}
		return s + " value=" + shortValue(o.Value)
	}
	s := o.Class
	if o.PyType != "" {
		s += "(" + o.PyType + ")"
	}
	if o.HasDate {
		s += fmt.Sprintf(" date=%d", o.Date)
	}
	return s + ": " + trunc(o.Message, 160)
}

func shortValue(v any) string {
	if b, ok := v.([]byte); ok {
		return trunc(fmt.Sprintf("%q", b), 120)
	}
	return trunc(fmt.Sprintf("%#v", v), 120)
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

var classOf = map[error]string{
	itsdangerous.ErrBadData:          "BadData",
	itsdangerous.ErrBadSignature:     "BadSignature",
	itsdangerous.ErrBadTimeSignature: "BadTimeSignature",
	itsdangerous.ErrSignatureExpired: "SignatureExpired",
	itsdangerous.ErrBadPayload:       "BadPayload",
}

// errOutcome describes a Go error, checking the documented error contract
// on the way: an *itsdangerous.Error of a known class that matches
// ErrBadData and its class sentinel.
func errOutcome(err error) outcome {
	o := outcome{Err: err, TooLarge: errors.Is(err, itsdangerous.ErrTooLarge), Depth: errors.Is(err, pyjson.ErrDepth)}
	var e *itsdangerous.Error
	if !errors.As(err, &e) {
		o.Class, o.Message = "untyped", err.Error()
		return o
	}
	o.Class, o.Message = classOf[e.Kind], e.Reason
	if o.Class == "" || !errors.Is(err, itsdangerous.ErrBadData) || !errors.Is(err, e.Kind) {
		o.Class = "untyped"
	}
	if !e.SignedAt.IsZero() {
		o.HasDate, o.Date = true, e.SignedAt.Unix()
	}
	return o
}

// checkErrorContract fails t unless err (from a load of untrusted input) is
// an *itsdangerous.Error whose class is one of the sentinels, matching
// ErrBadData.
func checkErrorContract(t *testing.T, err error) *itsdangerous.Error {
	t.Helper()
	var e *itsdangerous.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *itsdangerous.Error", err, err)
	}
	if classOf[e.Kind] == "" {
		t.Fatalf("error %v has unknown kind %v", err, e.Kind)
	}
	if !errors.Is(err, itsdangerous.ErrBadData) || !errors.Is(err, e.Kind) {
		t.Fatalf("error %v does not match ErrBadData and its kind %v", err, e.Kind)
	}
	if errors.Is(err, itsdangerous.ErrBadSignature) == errors.Is(err, itsdangerous.ErrBadPayload) {
		t.Fatalf("error %v matches both or neither of ErrBadSignature and ErrBadPayload", err)
	}
	return e
}

// canonicalB64 reports whether s is the canonical unpadded URL-safe base64
// spelling of its bytes: what WithStrictBase64 accepts.
func canonicalB64(s []byte) bool {
	// encoding/base64 skips CR and LF even in strict mode.
	_, err := base64.RawURLEncoding.Strict().DecodeString(string(s))
	return err == nil && !bytes.ContainsAny(s, "\r\n")
}

// segments splits a token of c into its base64 parts as the loaders see
// them, with the separator sep: the signature, the timestamp (timed
// classes) and, for URL-safe classes, the payload without its compression
// marker. Parts that are not there are nil.
func (c *tcfg) segmentsWith(tok, sep []byte) (payload, ts, sig []byte, ok bool) {
	i := bytes.LastIndex(tok, sep)
	if i < 0 {
		return nil, nil, nil, false
	}
	rest, sig := tok[:i], tok[i+len(sep):]
	if c.isTimed() {
		j := bytes.LastIndex(rest, sep)
		if j < 0 {
			return nil, nil, sig, false
		}
		rest, ts = rest[:j], rest[j+len(sep):]
	}
	if c.isURLSafe() {
		payload = bytes.TrimPrefix(rest, []byte("."))
	}
	return payload, ts, sig, true
}

// segments is segmentsWith the main separator.
func (c *tcfg) segments(tok []byte) (payload, ts, sig []byte, ok bool) {
	return c.segmentsWith(tok, c.sep())
}

// allSeps returns the separators of the main signer and of every fallback
// signer (whose default is ".", whatever the main one is).
func (c *tcfg) allSeps() [][]byte {
	seps := [][]byte{c.sep()}
	for _, fb := range c.Fallbacks {
		if fb.Sep != nil {
			seps = append(seps, *fb.Sep)
		} else {
			seps = append(seps, []byte("."))
		}
	}
	return seps
}

// hasLenientSpelling reports whether some base64 part of tok is not
// canonical, with the main separator or a fallback signer's: the only
// reason strict mode may refuse what the lenient mode accepts.
func (c *tcfg) hasLenientSpelling(tok []byte) bool {
	for _, sep := range c.allSeps() {
		payload, ts, sig, ok := c.segmentsWith(tok, sep)
		if !ok {
			continue
		}
		if !canonicalB64(sig) || (c.isTimed() && !canonicalB64(ts)) || (c.isURLSafe() && !canonicalB64(payload)) {
			return true
		}
	}
	return false
}

// sameBytes reports whether a and b are spellings of the same bytes under
// itsdangerous's lenient base64 decoder.
func sameBytes(a, b []byte) bool {
	da, errA := pybase64.DecodeURLSafe(nil, a)
	db, errB := pybase64.DecodeURLSafe(nil, b)
	return errA == nil && errB == nil && bytes.Equal(da, db)
}
