package fuzz_test

// Running one query on both sides: the Go target built from a tcfg, and the
// same query through the Python oracle.

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// goTarget is c built in Go.
type goTarget struct {
	c      *tcfg
	strict bool
	signer *itsdangerous.Signer
	ts     *itsdangerous.TimestampSigner
	ser    *itsdangerous.Serializer
	tser   *itsdangerous.TimedSerializer

	mu     sync.Mutex
	codecs map[int64]*codec.Codec // Flask, by max age
}

func (c *tcfg) build(strict bool) (*goTarget, error) {
	g := &goTarget{c: c, strict: strict}
	if c.Class == classFlask {
		return g, nil // a Codec is made per query, for its lifetime
	}
	key := c.Keys[len(c.Keys)-1]
	opts := append(c.signerOptions(), c.limitOptions(strict)...)
	var err error
	switch c.Class {
	case "Signer":
		g.signer, err = itsdangerous.NewSigner(key, opts...)
	case "TimestampSigner":
		g.ts, err = itsdangerous.NewTimestampSigner(key, opts...)
	case "Serializer":
		g.ser, err = itsdangerous.NewSerializer(key, opts...)
	case "URLSafeSerializer":
		g.ser, err = itsdangerous.NewURLSafeSerializer(key, opts...)
	case "TimedSerializer":
		g.tser, err = itsdangerous.NewTimedSerializer(key, opts...)
	case "URLSafeTimedSerializer":
		g.tser, err = itsdangerous.NewURLSafeTimedSerializer(key, opts...)
	default:
		err = fmt.Errorf("unknown class %q", c.Class)
	}
	return g, err
}

// codecFor builds the Flask codec for a max age.
func (g *goTarget) codecFor(maxAge *int64) (*codec.Codec, error) {
	c := g.c
	life := int64(flaskDefaultMaxAge)
	if maxAge != nil {
		life = *maxAge
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if cd, ok := g.codecs[life]; ok {
		return cd, nil
	}
	n := len(c.Keys)
	opts := []codec.Option{
		codec.WithLifetime(time.Duration(life) * time.Second),
		codec.WithSignerOptions(c.limitOptions(g.strict)...),
	}
	if n > 1 {
		opts = append(opts, codec.WithFallbackKeys(c.Keys[:n-1]...))
	}
	cd, err := codec.New(c.Keys[n-1], opts...)
	if err != nil {
		return nil, err
	}
	if g.codecs == nil || len(g.codecs) > 16 {
		g.codecs = map[int64]*codec.Codec{}
	}
	g.codecs[life] = cd
	return cd, nil
}

// run loads q.Token in Go.
func (g *goTarget) run(q query) outcome {
	at := time.Unix(q.Now, 0)
	var call []itsdangerous.CallOption
	call = append(call, itsdangerous.At(at))
	if q.MaxAge != nil && g.c.Class != classFlask {
		call = append(call, itsdangerous.MaxAge(time.Duration(*q.MaxAge)*time.Second))
	}
	if g.c.CallSalt != nil {
		call = append(call, itsdangerous.Salt(g.c.CallSalt))
	}
	tok := string(q.Token)
	var v any
	var t time.Time
	var err error
	verified := false
	switch {
	case g.signer != nil:
		var b []byte
		b, err = g.signer.Unsign(q.Token)
		v = b
	case g.ts != nil:
		var b []byte
		b, t, err = g.ts.Unsign(q.Token, call...)
		v = b
	case g.ser != nil && q.Action == "loads_unsafe":
		verified, err = g.ser.LoadsUnsafe(tok, &v, call...)
	case g.ser != nil:
		err = g.ser.Loads(tok, &v, call...)
	case g.tser != nil && q.Action == "loads_unsafe":
		_, verified, err = g.tser.LoadsUnsafe(tok, &v, call...)
	case g.tser != nil:
		t, err = g.tser.Loads(tok, &v, call...)
	default:
		var cd *codec.Codec
		if cd, err = g.codecFor(q.MaxAge); err != nil {
			return outcome{Class: "untyped", Message: "codec.New: " + err.Error(), Err: err}
		}
		var m any
		t, err = cd.DecodeAt(tok, &m, at)
		v = m
	}
	if q.Action == "loads_unsafe" {
		// Python's loads_unsafe returns (False, None) for every
		// BadSignature whose payload is missing or does not decode, and
		// raises only what loads raises past BadSignature: BadPayload of
		// a verified token.
		if err != nil && !verified {
			o := errOutcome(err)
			if o.Class == "untyped" {
				return o
			}
			return outcome{OK: true, Verified: false, Value: nil, TooLarge: o.TooLarge, Depth: o.Depth, Err: err}
		}
		if err != nil {
			return errOutcome(err)
		}
		return outcome{OK: true, Verified: verified, Value: v}
	}
	if err != nil {
		return errOutcome(err)
	}
	o := outcome{OK: true, Value: v}
	if g.c.isTimed() && !t.IsZero() {
		o.HasDate, o.Date = true, t.Unix()
	}
	return o
}

// pyRequest is the oracle request for q on c.
func (c *tcfg) pyRequest(q query) any {
	if c.Class == classFlask {
		n := len(c.Keys)
		req := pyoracle.FlaskLoadsRequest{Secret: c.Keys[n-1], Now: q.Now, MaxAge: q.MaxAge, Cookie: string(q.Token)}
		for _, k := range c.Keys[:n-1] {
			req.Fallbacks = append(req.Fallbacks, k)
		}
		return req
	}
	req := pyoracle.ItsdangerousRequest{
		Class:         c.Class,
		KeyDerivation: c.KD,
		Digest:        c.Digest,
		Algorithm:     c.Algorithm,
		Action:        q.Action,
		Now:           q.Now,
		Token:         q.Token,
	}
	if c.isTimed() {
		req.MaxAge = q.MaxAge
	}
	if q.NoReturnTimestamp {
		f := false
		req.ReturnTimestamp = &f
	}
	for _, k := range c.Keys {
		req.Keys = append(req.Keys, k)
	}
	if c.Salt != nil {
		b := pyoracle.Bytes(c.Salt)
		req.Salt = &b
	}
	if c.Sep != nil {
		b := pyoracle.Bytes(c.Sep)
		req.Sep = &b
	}
	if c.CallSalt != nil {
		b := pyoracle.Bytes(c.CallSalt)
		req.CallSalt = &b
	}
	for _, fb := range c.Fallbacks {
		f := pyoracle.FallbackSigner{KeyDerivation: fb.KeyDerivation, Digest: fb.Digest}
		if fb.Sep != nil {
			b := pyoracle.Bytes(*fb.Sep)
			f.Sep = &b
		}
		req.FallbackSigners = append(req.FallbackSigners, f)
	}
	return req
}

// pyRun asks the oracle to load q.Token. An error means the oracle broke.
func (c *tcfg) pyRun(o *pyoracle.Oracle, q query) (outcome, error) {
	var resp pyoracle.Response
	err := o.Do(c.pyRequest(q), &resp)
	var rej *pyoracle.RejectedError
	if errors.As(err, &rej) {
		return outcome{Class: "Rejected", PyType: rej.Class, Message: rej.Message}, nil
	}
	if err != nil {
		return outcome{}, err
	}
	out := outcome{OK: resp.OK, Class: resp.Error, PyType: resp.Type, Message: resp.Message, OrigErr: resp.OriginalError}
	if resp.DateSigned != nil {
		out.HasDate, out.Date = true, *resp.DateSigned
	}
	if !resp.OK {
		return out, nil
	}
	out.Verified = resp.Verified
	if q.Action == "unsign" {
		b, err := resp.ValueBytes()
		if err != nil {
			return outcome{}, fmt.Errorf("oracle value %s: %w", resp.Value, err)
		}
		out.Value = []byte(b)
		return out, nil
	}
	if c.Class == classFlask && resp.JSONError == "" {
		out.Redump, out.HasDump = resp.JSON, true
	}
	v, err := testvec.TV(resp.Value).Value()
	if err != nil {
		if !out.HasDump {
			return outcome{}, fmt.Errorf("oracle value %.200s: %w", resp.Value, err)
		}
		// The typed-value format has no form for some values (a Markup
		// holding a lone surrogate); Flask's own JSON of the value
		// still describes it exactly.
		out.Unreadable = err.Error()
		return out, nil
	}
	out.Value = v
	return out, nil
}
