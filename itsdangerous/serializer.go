package itsdangerous

import (
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"

	"github.com/flaskcookie/flaskcookie/internal/inputlimit"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
)

// A CallOption changes one call of a signer or serializer, like the keyword
// arguments of Python's unsign, dumps and loads. It is a plain value, so
// passing options costs no allocation.
type CallOption struct {
	set    uint8
	salt   []byte
	maxAge time.Duration
	at     time.Time
}

const (
	setSalt uint8 = 1 << iota
	setMaxAge
	setAt
)

type call struct {
	salt     []byte
	saltSet  bool
	maxAge   time.Duration
	checkAge bool
	at       time.Time
	atSet    bool
}

// Salt uses salt instead of the serializer's salt for one call, as Python's
// dumps(obj, salt=...) and loads(s, salt=...) do; a nil salt, like Python's
// None, keeps the serializer's. Signers ignore it.
func Salt(salt []byte) CallOption { return CallOption{set: setSalt, salt: salt} }

// MaxAge makes a timestamped load fail with ErrSignatureExpired when the
// token is older than d or was signed in the future. Python compares whole
// seconds: age > d expires, age == d is valid, age < 0 expires. Without
// MaxAge no age is checked. Untimed signers and serializers ignore it.
func MaxAge(d time.Duration) CallOption { return CallOption{set: setMaxAge, maxAge: d} }

// At uses t instead of the clock for one call: as the signing time when
// signing, and as the present when checking an age.
func At(t time.Time) CallOption { return CallOption{set: setAt, at: t} }

func callOf(opts []CallOption) call {
	var c call
	for _, o := range opts {
		if o.set&setSalt != 0 {
			c.salt, c.saltSet = o.salt, true
		}
		if o.set&setMaxAge != 0 {
			c.maxAge, c.checkAge = o.maxAge, true
		}
		if o.set&setAt != 0 {
			c.at, c.atSet = o.at, true
		}
	}
	return c
}

// bytesOf returns the bytes of s without copying. The result must not be
// written to.
func bytesOf(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// engine is the machinery shared by the four serializer classes.
type engine struct {
	c       *config
	keys    [][]byte // oldest first; the last one signs
	urlSafe bool
	timed   bool
	format  PayloadFormat
	list    []*TimestampSigner // unsigners for the configured salt
}

func newEngine(secretKey []byte, urlSafe, timed bool, opts []Option) (*engine, error) {
	c, err := newConfig(DefaultSerializerSalt, opts)
	if err != nil {
		return nil, err
	}
	if err := checkKeys(c, secretKey); err != nil {
		return nil, err
	}
	e := &engine{c: c, urlSafe: urlSafe, timed: timed, format: c.format}
	e.keys = append(append(e.keys, c.fallbackKeys...), append([]byte(nil), secretKey...))
	if e.format == nil {
		e.format = JSON
		if urlSafe {
			e.format = CompactJSON
		}
	}
	// Check the fallback signers' options now rather than at first use.
	for _, fo := range c.fallbackSigners {
		if _, err := e.fallbackConfig(fo, c.salt); err != nil {
			return nil, err
		}
	}
	e.list, err = e.unsigners(c.salt)
	if err != nil {
		return nil, err
	}
	return e, nil
}

// fallbackConfig builds the config of one fallback signer. As with a dict
// in Python's fallback_signers, its signing options replace the
// serializer's; limits, clock and epoch stay the serializer's.
func (e *engine) fallbackConfig(opts []Option, salt []byte) (*config, error) {
	fc, err := newConfig(DefaultSignerSalt, opts)
	if err != nil {
		return nil, err
	}
	fc.salt = salt
	fc.fallbackKeys = nil
	fc.clock, fc.epoch, fc.strictBase64 = e.c.clock, e.c.epoch, e.c.strictBase64
	fc.maxTokenSize = e.c.maxTokenSize
	return fc, nil
}

// unsigners lists the signers Python's iter_unsigners yields for salt:
// first one with every key, then each fallback once per key, oldest first.
func (e *engine) unsigners(salt []byte) ([]*TimestampSigner, error) {
	mc := *e.c
	mc.salt = salt
	list := []*TimestampSigner{newTimestampSigner(&mc, e.keys[len(e.keys)-1])}
	for _, fo := range e.c.fallbackSigners {
		fc, err := e.fallbackConfig(fo, salt)
		if err != nil {
			return nil, err
		}
		for _, k := range e.keys {
			list = append(list, newTimestampSigner(fc, k))
		}
	}
	return list, nil
}

func (e *engine) unsignersFor(c *call) []*TimestampSigner {
	if !c.saltSet || c.salt == nil {
		return e.list
	}
	list, _ := e.unsigners(c.salt) // options were checked by newEngine
	return list
}

// dumpScratch holds the buffers of one dumps: the encoded payload and the
// token. Pooled, so that a dump allocates only the string it returns.
type dumpScratch struct{ j, out []byte }

var dumpBufs = sync.Pool{New: func() any { return new(dumpScratch) }}

// maxPooledDump is the largest buffer kept in dumpBufs.
const maxPooledDump = 16 << 10

func (e *engine) dumps(v any, opts []CallOption) (string, error) {
	sc := dumpBufs.Get().(*dumpScratch)
	defer sc.release()
	var err error
	if sc.out, err = e.appendDumps(sc.out[:0], sc, v, opts); err != nil {
		return "", err
	}
	return string(sc.out), nil
}

// appendDumps appends the token of v to dst, with sc.j as the payload's
// scratch.
func (e *engine) appendDumps(dst []byte, sc *dumpScratch, v any, opts []CallOption) ([]byte, error) {
	c := callOf(opts)
	var err error
	if sc.j, err = e.format.AppendPayload(sc.j[:0], v); err != nil {
		return dst, err
	}
	start := len(dst)
	if e.urlSafe {
		dst = appendURLSafePayload(dst, sc.j)
	} else {
		dst = append(dst, sc.j...)
	}
	// The token is written over the payload it starts with.
	s := e.unsignersFor(&c)[0]
	if !e.timed {
		return s.s.appendSigned(dst[:start], dst[start:]), nil
	}
	t := c.at // the clock is read only without At: it is not free
	if !c.atSet {
		t = s.clock()
	}
	return s.appendSignedAt(dst[:start], dst[start:], t.Unix()-s.epoch), nil
}

// release returns sc to dumpBufs, unless a large dump grew its buffers.
func (sc *dumpScratch) release() {
	if cap(sc.j) <= maxPooledDump && cap(sc.out) <= maxPooledDump {
		dumpBufs.Put(sc)
	}
}

// appendDumpsPooled is appendDumps with pooled scratch.
func (e *engine) appendDumpsPooled(dst []byte, v any, opts []CallOption) ([]byte, error) {
	sc := dumpBufs.Get().(*dumpScratch)
	defer sc.release()
	return e.appendDumps(dst, sc, v, opts)
}

// unsign verifies token with each unsigner in turn, as Python's loads does,
// and returns the verified payload and signing time. A SignatureExpired
// stops the search at once.
func (e *engine) unsign(token []byte, c *call) ([]byte, time.Time, *Error) {
	var last *Error
	for _, s := range e.unsignersFor(c) {
		if !e.timed {
			v, err := s.s.unsign(token)
			if err == nil {
				return v, time.Time{}, nil
			}
			last = err
		} else {
			var now int64 // only for the age check: no clock otherwise
			if c.atSet {
				now = c.at.Unix() - s.epoch
			} else if c.checkAge {
				now = s.now()
			}
			v, t, err := s.unsign(token, c.maxAge, c.checkAge, now)
			if err == nil {
				return v, t, nil
			}
			if err.Kind == ErrSignatureExpired {
				return nil, time.Time{}, err
			}
			last = err
		}
		if last.Err == ErrTooLarge {
			break
		}
	}
	return nil, time.Time{}, last
}

// decode turns a verified (or, for the unsafe API, unverified) payload into
// v.
func (e *engine) decode(p []byte, v any) error {
	lim := Limits{MaxDepth: e.c.maxDepth, MaxValues: inputlimit.Values(len(p), e.c.maxValues)}
	if e.urlSafe {
		// A payload of pooled size is decoded into a pooled buffer; a
		// larger one gets its own, after the size checks.
		var scratch []byte
		if n := len(p)/4*3 + 3; n <= maxPooledPayload {
			buf := payloadBufs.Get().(*[]byte)
			defer payloadBufs.Put(buf)
			if cap(*buf) < n {
				*buf = make([]byte, 0, maxPooledPayload)
			}
			scratch = *buf
		}
		var err error
		if p, err = decodeURLSafePayload(scratch, p, e.c.strictBase64, e.c.maxPayloadSize, e.c.inflateRatio); err != nil {
			return err
		}
	} else if len(p) > e.c.maxPayloadSize {
		return sizeError(len(p), e.c.maxPayloadSize)
	}
	if err := e.format.DecodePayload(p, v, lim); err != nil {
		e := payloadError("Could not load the payload because an exception occurred on unserializing the data.", err)
		if errors.Is(err, pyjson.ErrTooManyValues) {
			e.Err = fmt.Errorf("%w: %w", ErrTooLarge, err)
		}
		return e
	}
	return nil
}

func (e *engine) loads(token string, v any, opts []CallOption) (time.Time, error) {
	c := callOf(opts)
	p, t, err := e.unsign(bytesOf(token), &c)
	if err != nil {
		return time.Time{}, err
	}
	if err := e.decode(p, v); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

func (e *engine) loadsUnsafe(token string, v any, opts []CallOption) (time.Time, bool, error) {
	c := callOf(opts)
	p, t, err := e.unsign(bytesOf(token), &c)
	if err == nil {
		return t, true, e.decode(p, v)
	}
	if !err.hasPay {
		return err.SignedAt, false, err
	}
	if derr := e.decode(err.payload, v); derr != nil {
		return err.SignedAt, false, derr
	}
	return err.SignedAt, false, nil
}

// Serializer signs values encoded as JSON, like Python's
// itsdangerous.Serializer (and, made with NewURLSafeSerializer, like
// URLSafeSerializer). It is immutable and safe for concurrent use.
type Serializer struct{ e *engine }

// NewSerializer returns a Serializer whose tokens are the JSON text and a
// signature, as Python's Serializer writes them:
//
//	{"id": 42}.0XLzuMAHP6Oh9cnQ27puUwvSw7g
//
// The default salt is DefaultSerializerSalt. It accepts every Option.
func NewSerializer(secretKey []byte, opts ...Option) (*Serializer, error) {
	e, err := newEngine(secretKey, false, false, opts)
	if err != nil {
		return nil, err
	}
	return &Serializer{e}, nil
}

// NewURLSafeSerializer returns a Serializer whose tokens are URL-safe, as
// Python's URLSafeSerializer writes them: compact JSON in URL-safe base64,
// compressed with zlib (and marked with a leading ".") when that saves at
// least two bytes.
func NewURLSafeSerializer(secretKey []byte, opts ...Option) (*Serializer, error) {
	e, err := newEngine(secretKey, true, false, opts)
	if err != nil {
		return nil, err
	}
	return &Serializer{e}, nil
}

// Dumps encodes v and signs it with the current key. v may be any value
// package py can convert (see py.ValueOf), including structs.
func (s *Serializer) Dumps(v any, opts ...CallOption) (string, error) {
	return s.e.dumps(v, opts)
}

// AppendDumps appends the token Dumps returns to dst, and returns the
// extended buffer (dst unchanged on error), for callers that write the
// token into a larger text, such as a header, without the string.
func (s *Serializer) AppendDumps(dst []byte, v any, opts ...CallOption) ([]byte, error) {
	return s.e.appendDumpsPooled(dst, v, opts)
}

// Loads verifies token and decodes its value into the variable v points to,
// as encoding/json's Unmarshal does (see py.Assign); a *any receives the
// generic form. A token that does not verify with the main signer is tried
// with the fallback signers.
//
// A failure matches ErrBadSignature or ErrBadPayload (both ErrBadData).
func (s *Serializer) Loads(token string, v any, opts ...CallOption) error {
	_, err := s.e.loads(token, v, opts)
	return err
}

// LoadsUnsafe decodes token into v even when its signature does not
// verify, and reports whether it verified, like Python's loads_unsafe. It
// returns an error, leaving v alone, when the payload cannot be decoded.
//
// WARNING: when verified is false the value comes from whoever made the
// token. Use it for debugging and tooling, never to make a decision.
func (s *Serializer) LoadsUnsafe(token string, v any, opts ...CallOption) (verified bool, err error) {
	_, verified, err = s.e.loadsUnsafe(token, v, opts)
	return verified, err
}

// TimedSerializer signs values encoded as JSON together with the time of
// signing, like Python's TimedSerializer and URLSafeTimedSerializer. It is
// immutable and safe for concurrent use.
type TimedSerializer struct{ e *engine }

// NewTimedSerializer returns a TimedSerializer writing plain JSON tokens:
//
//	{"id": 42}.TgPVoQ.go_XSHIC1FOMQN1sUJC45Z1lZRw
func NewTimedSerializer(secretKey []byte, opts ...Option) (*TimedSerializer, error) {
	e, err := newEngine(secretKey, false, true, opts)
	if err != nil {
		return nil, err
	}
	return &TimedSerializer{e}, nil
}

// NewURLSafeTimedSerializer returns a TimedSerializer writing URL-safe
// tokens, like Python's URLSafeTimedSerializer, which Flask uses for its
// session cookie:
//
//	eyJpZCI6NDJ9.TgPVoQ.OrMFcbcNb1bOevFzF4w643CiYnI
func NewURLSafeTimedSerializer(secretKey []byte, opts ...Option) (*TimedSerializer, error) {
	e, err := newEngine(secretKey, true, true, opts)
	if err != nil {
		return nil, err
	}
	return &TimedSerializer{e}, nil
}

// Dumps encodes v and signs it with the current key and time (or the time
// given with At).
func (s *TimedSerializer) Dumps(v any, opts ...CallOption) (string, error) {
	return s.e.dumps(v, opts)
}

// AppendDumps appends the token Dumps returns to dst, and returns the
// extended buffer (dst unchanged on error).
func (s *TimedSerializer) AppendDumps(dst []byte, v any, opts ...CallOption) ([]byte, error) {
	return s.e.appendDumpsPooled(dst, v, opts)
}

// Loads verifies token, checks its age when MaxAge is given, decodes its
// value into v and returns the signing time. An expired token is not
// retried with the fallback signers, as in Python.
//
// A failure matches ErrBadSignature (ErrBadTimeSignature,
// ErrSignatureExpired) or ErrBadPayload.
func (s *TimedSerializer) Loads(token string, v any, opts ...CallOption) (signedAt time.Time, err error) {
	return s.e.loads(token, v, opts)
}

// LoadsUnsafe is Serializer.LoadsUnsafe for timestamped tokens: an expired
// token decodes with verified false. It also returns the signing time
// recorded in the token when it can be read, verified or not.
//
// WARNING: when verified is false the value comes from whoever made the
// token. Use it for debugging and tooling, never to make a decision.
func (s *TimedSerializer) LoadsUnsafe(token string, v any, opts ...CallOption) (signedAt time.Time, verified bool, err error) {
	return s.e.loadsUnsafe(token, v, opts)
}
