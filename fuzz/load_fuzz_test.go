package fuzz_test

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

// The fuzz targets of this file load tokens through the public API of
// itsdangerous and codec, in every configuration that the committed
// vectors use, and check these properties on each input:
//
//   - every error is an *itsdangerous.Error of a documented class that
//     matches ErrBadData (checkErrorContract);
//   - strict base64 accepts nothing that the lenient mode refuses, with the
//     same result, and the lenient mode accepts more only when some base64
//     part of the token is not canonical;
//   - for serializers, Loads and LoadsUnsafe agree;
//   - what loads re-encodes: a value signed again loads to the same value
//     (testvec.Diff), and a token that strict mode accepts is exactly the
//     token that signing its value again writes.

var (
	corpusOnce sync.Once
	corpusVal  *corpus
)

// sharedCorpus loads the vectors once per test binary.
func sharedCorpus(tb testing.TB) *corpus {
	tb.Helper()
	corpusOnce.Do(func() { corpusVal = loadCorpus(tb) })
	if corpusVal == nil {
		tb.Fatal("vectors could not be loaded")
	}
	return corpusVal
}

func actionFor(c *tcfg) string {
	switch {
	case c.Class == classFlask:
		return "flask"
	case c.isSigner():
		return "unsign"
	}
	return "loads"
}

// FuzzLoad loads arbitrary tokens with every configuration of the vectors.
// Seeds: every token of testdata/itsdangerous and testdata/flask with its
// configuration, clock and max age (maxAge < 0 means none).
func FuzzLoad(f *testing.F) {
	c := sharedCorpus(f)
	for _, s := range c.Samples {
		age := int64(-1)
		if s.MaxAge != nil {
			age = *s.MaxAge
		}
		f.Add(uint16(c.configIndex(s.Cfg)), s.Token, s.Now, age)
	}
	f.Fuzz(func(t *testing.T, idx uint16, token []byte, now, maxAge int64) {
		cfg := c.Configs[int(idx)%len(c.Configs)]
		q := query{Token: token, Now: now % (1 << 40), Action: actionFor(cfg)}
		if maxAge >= 0 && cfg.isTimed() {
			a := maxAge % (1 << 33)
			q.MaxAge = &a
		}
		checkLoad(t, cfg, q)
	})
}

// FuzzSignedPayload signs arbitrary messages with the right key, so that
// the fuzzer reaches the timestamp, base64, zlib, JSON and tag decoders
// behind a valid signature. msg is what the signer signs: for timed classes
// it ends with the separator and the timestamp. Seeds: the signed part of
// every valid vector token.
func FuzzSignedPayload(f *testing.F) {
	c := sharedCorpus(f)
	for _, s := range c.valid() {
		if msg := payloadOf(s.Cfg, s.Token); msg != nil {
			f.Add(uint16(c.configIndex(s.Cfg)), msg, s.Now)
		}
	}
	f.Fuzz(func(t *testing.T, idx uint16, msg []byte, now int64) {
		cfg := c.Configs[int(idx)%len(c.Configs)]
		raw, err := cfg.rawSigner(cfg.Keys[len(cfg.Keys)-1], nil)
		if err != nil {
			t.Fatal(err)
		}
		q := query{Token: raw.Sign(msg), Now: now % (1 << 40), Action: actionFor(cfg)}
		checkLoad(t, cfg, q)
	})
}

// checkLoad runs q through cfg in lenient and strict mode and checks the
// properties listed at the top of this file.
func checkLoad(t *testing.T, cfg *tcfg, q query) {
	t.Helper()
	lenient, err := cfg.build(false)
	if err != nil {
		t.Fatal(err)
	}
	strict, err := cfg.build(true)
	if err != nil {
		t.Fatal(err)
	}
	l, s := lenient.run(q), strict.run(q)
	for _, o := range []outcome{l, s} {
		if !o.OK {
			checkErrorContract(t, o.Err)
		}
	}
	switch {
	case s.OK && !l.OK:
		t.Fatalf("strict accepts %q (%s), lenient refuses: %v", q.Token, s.summary(), l.Err)
	case s.OK && l.OK:
		if d := valueDiff(l.Value, s.Value); d != "" || l.HasDate != s.HasDate || l.Date != s.Date {
			t.Fatalf("strict and lenient differ on %q: %s vs %s (%s)", q.Token, s.summary(), l.summary(), d)
		}
	case l.OK && !cfg.hasLenientSpelling(q.Token):
		t.Fatalf("strict refuses %q whose base64 is canonical (%v); lenient accepts", q.Token, s.Err)
	}
	if !l.OK {
		if cfg.Class != classFlask && !cfg.isSigner() {
			checkUnsafeOnFailure(t, lenient, q, l)
		}
		return
	}
	if cfg.Class != classFlask && !cfg.isSigner() {
		u := q
		u.Action = "loads_unsafe"
		if uo := lenient.run(u); !uo.OK || !uo.Verified || valueDiff(l.Value, uo.Value) != "" {
			t.Fatalf("Loads accepts %q (%s) but LoadsUnsafe gives %s verified=%v", q.Token, l.summary(), uo.summary(), uo.Verified)
		}
	}
	checkReencode(t, lenient, q, l, s.OK)
}

// checkUnsafeOnFailure checks that LoadsUnsafe reports a token that Loads
// refuses as unverified, or fails the same way for a bad payload.
func checkUnsafeOnFailure(t *testing.T, g *goTarget, q query, l outcome) {
	t.Helper()
	u := q
	u.Action = "loads_unsafe"
	uo := g.run(u)
	if l.Class == "BadPayload" {
		if uo.OK {
			t.Fatalf("Loads fails with %v, LoadsUnsafe accepts: %s", l.Err, uo.summary())
		}
		return
	}
	if !uo.OK || uo.Verified {
		t.Fatalf("Loads fails with %v, LoadsUnsafe gives %s verified=%v", l.Err, uo.summary(), uo.Verified)
	}
}

func valueDiff(a, b any) string {
	ab, aok := a.([]byte)
	bb, bok := b.([]byte)
	if aok || bok {
		if !aok || !bok || !bytes.Equal(ab, bb) {
			return "bytes differ"
		}
		return ""
	}
	return testvec.Diff(a, b)
}

// checkReencode signs what was loaded again and loads it back. When strict
// mode accepted the token, signing the value again with one of the keys
// must give the token itself (signers only: serializers may read JSON
// spelled differently from what they write).
func checkReencode(t *testing.T, g *goTarget, q query, l outcome, strictOK bool) {
	t.Helper()
	cfg := g.c
	at := time.Unix(q.Now, 0)
	if l.HasDate {
		at = time.Unix(l.Date, 0)
	}
	switch {
	case g.signer != nil:
		v := l.Value.([]byte)
		if !strictOK {
			return
		}
		for _, k := range cfg.Keys {
			raw, err := cfg.rawSigner(k, nil)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(raw.Sign(v), q.Token) {
				return
			}
		}
		t.Fatalf("strict accepts %q, but no key signs %q to it", q.Token, v)
	case g.ts != nil:
		v := l.Value.([]byte)
		if !strictOK || !l.HasDate {
			return // a timestamp past year 9999 has no time to sign with
		}
		_, ts, err := g.ts.Unsign(g.ts.SignAt(v, at))
		if err != nil || !ts.Equal(at) {
			t.Fatalf("re-signed %q at %v: %v, %v", v, at, ts, err)
		}
		for _, k := range cfg.Keys {
			raw, err := cfg.rawSigner(k, nil)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(raw.Sign(payloadOf(cfg, q.Token)), q.Token) {
				return
			}
		}
		t.Fatalf("strict accepts %q, but no key signs its message to it", q.Token)
	case g.ser != nil || g.tser != nil:
		var dopts []itsdangerous.CallOption
		if cfg.CallSalt != nil {
			dopts = append(dopts, itsdangerous.Salt(cfg.CallSalt))
		}
		var tok string
		var err error
		if g.ser != nil {
			tok, err = g.ser.Dumps(l.Value, dopts...)
		} else {
			tok, err = g.tser.Dumps(l.Value, append(dopts, itsdangerous.At(at))...)
		}
		if err != nil {
			if cfg.isURLSafe() && errors.Is(err, pyjson.ErrInvalidUTF8) {
				return // compact JSON writes raw UTF-8, which a lone surrogate is not; Python fails too
			}
			t.Fatalf("Dumps(%#v) after loading %q: %v", l.Value, q.Token, err)
		}
		q2 := q
		q2.Token, q2.MaxAge, q2.Now = []byte(tok), nil, at.Unix()
		back := g.run(q2)
		if !back.OK {
			t.Fatalf("token %q re-dumped from %q does not load: %v", tok, q.Token, back.Err)
		}
		if d := testvec.Diff(l.Value, back.Value); d != "" {
			t.Fatalf("value of %q changes through Dumps/Loads (%q): %s", q.Token, tok, d)
		}
	default:
		checkFlaskReencode(t, g, q, l, at)
	}
}

func checkFlaskReencode(t *testing.T, g *goTarget, q query, l outcome, at time.Time) {
	t.Helper()
	if oddTime(l.Value) {
		return // a date whose UTC year Flask cannot write back (see FuzzParseHTTPDate)
	}
	n := len(g.c.Keys)
	enc, err := codec.New(g.c.Keys[n-1], codec.WithMaxCookieSize(0), codec.WithLifetime(0))
	if err != nil {
		t.Fatal(err)
	}
	cookie, err := enc.EncodeAt(l.Value, at)
	if err != nil {
		t.Fatalf("EncodeAt(%#v) after decoding %q: %v", l.Value, q.Token, err)
	}
	var back any
	if _, err := enc.DecodeAt(cookie, &back, at); err != nil {
		t.Fatalf("cookie %q re-encoded from %q does not decode: %v", cookie, q.Token, err)
	}
	if d := testvec.Diff(l.Value, back); d != "" {
		t.Fatalf("value of %q changes through EncodeAt/DecodeAt (%q): %s", q.Token, cookie, d)
	}
	var unv any
	signed, err := codec.DecodeUnverified(string(q.Token), &unv)
	if err != nil || testvec.Diff(l.Value, unv) != "" || (l.HasDate && signed.Unix() != l.Date) {
		t.Fatalf("DecodeUnverified(%q) = %v, %v; Decode gave %s", q.Token, signed, err, l.summary())
	}
}

// oddTime reports whether v holds a time.Time whose UTC year is outside
// 100..9999: Flask writes such a date with a year that it reads back
// differently (a year below 100 as 19xx or 20xx), or cannot write it.
func oddTime(v any) bool {
	switch x := v.(type) {
	case time.Time:
		y := x.UTC().Year()
		return y < 100 || y > 9999
	case []any:
		for _, e := range x {
			if oddTime(e) {
				return true
			}
		}
	case py.Tuple:
		for _, e := range x {
			if oddTime(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if oddTime(e) {
				return true
			}
		}
	case py.Dict:
		for _, e := range x {
			if oddTime(e.Value) {
				return true
			}
		}
	}
	return false
}

// FuzzTamper changes one byte of a valid token. Strict mode must refuse
// every change; the lenient mode may accept only another base64 spelling of
// the same signature, timestamp or payload, and must then give the same
// value. Tokens of the none algorithm, which signs nothing, are left out.
// Seeds: one valid vector token per configuration, at a few positions.
func FuzzTamper(f *testing.F) {
	c := sharedCorpus(f)
	valid := tamperable(c)
	seeded := map[*tcfg]bool{}
	for i := range valid {
		if seeded[valid[i].Cfg] {
			continue // one token per configuration keeps the seed set small
		}
		seeded[valid[i].Cfg] = true
		n := len(valid[i].Token)
		f.Add(uint16(i), uint16(n-1), byte('='))
		f.Add(uint16(i), uint16(n/2), byte('+'))
		f.Add(uint16(i), uint16(0), byte(0xff))
	}
	f.Fuzz(func(t *testing.T, idx, pos uint16, b byte) {
		s := valid[int(idx)%len(valid)]
		checkTamper(t, s, int(pos)%len(s.Token), b)
	})
}

// tamperable returns the valid samples whose tokens a one-byte change must
// break: everything but the none algorithm.
func tamperable(c *corpus) []sample {
	var out []sample
	for _, s := range c.valid() {
		if s.Cfg.Algorithm != "none" && len(s.Token) > 0 {
			out = append(out, s)
		}
	}
	return out
}

func checkTamper(t *testing.T, s sample, pos int, b byte) {
	t.Helper()
	lenient, err := s.Cfg.build(false)
	if err != nil {
		t.Fatal(err)
	}
	strict, err := s.Cfg.build(true)
	if err != nil {
		t.Fatal(err)
	}
	q := query{Token: s.Token, Now: s.Now, MaxAge: s.MaxAge, Action: actionFor(s.Cfg)}
	orig := lenient.run(q)
	if !orig.OK {
		t.Fatalf("%s: valid token %q refused: %v", s.Name, s.Token, orig.Err)
	}
	checkTamperWith(t, s, orig, lenient, strict, pos, b)
}

// checkTamperWith is checkTamper with the targets built and the outcome
// of the unchanged token; it reports whether the lenient mode accepted the
// changed token.
func checkTamperWith(t *testing.T, s sample, orig outcome, lenient, strict *goTarget, pos int, b byte) bool {
	t.Helper()
	if s.Token[pos] == b {
		return false
	}
	tok := bytes.Clone(s.Token)
	tok[pos] = b
	q := query{Token: tok, Now: s.Now, MaxAge: s.MaxAge, Action: actionFor(s.Cfg)}
	if so := strict.run(q); so.OK {
		t.Fatalf("%s: strict mode accepts %q, which is %q with byte %d changed to %q", s.Name, tok, s.Token, pos, b)
	} else {
		checkErrorContract(t, so.Err)
	}
	lo := lenient.run(q)
	if !lo.OK {
		checkErrorContract(t, lo.Err)
		return false
	}
	p1, t1, g1, ok1 := s.Cfg.segments(s.Token)
	p2, t2, g2, ok2 := s.Cfg.segments(tok)
	same := ok1 && ok2 && sameBytes(g1, g2) && (!s.Cfg.isTimed() || sameBytes(t1, t2))
	if s.Cfg.isURLSafe() {
		same = same && sameBytes(p1, p2)
	}
	if !same || valueDiff(orig.Value, lo.Value) != "" || orig.Date != lo.Date {
		t.Fatalf("%s: lenient mode accepts %q (byte %d of %q changed to %q) as %s; original %s",
			s.Name, tok, pos, s.Token, b, lo.summary(), orig.summary())
	}
	return true
}

// TestOneByteChanges runs the tamper check exhaustively on one valid token
// of each configuration: every position, and at each a set of bytes that
// covers the lenient spellings (+ / = and junk) and near misses.
func TestOneByteChanges(t *testing.T) {
	c := sharedCorpus(t)
	shortest := map[*tcfg]sample{}
	for _, s := range tamperable(c) {
		if old, ok := shortest[s.Cfg]; !ok || len(s.Token) < len(old.Token) {
			shortest[s.Cfg] = s
		}
	}
	checked, accepted := 0, 0
	for _, cfg := range c.Configs {
		s, ok := shortest[cfg]
		if !ok {
			continue
		}
		lenient, err := cfg.build(false)
		if err != nil {
			t.Fatal(err)
		}
		strict, err := cfg.build(true)
		if err != nil {
			t.Fatal(err)
		}
		orig := lenient.run(query{Token: s.Token, Now: s.Now, MaxAge: s.MaxAge, Action: actionFor(cfg)})
		if !orig.OK {
			t.Fatalf("%s: valid token %q refused: %v", s.Name, s.Token, orig.Err)
		}
		for _, pos := range tamperPositions(s) {
			for _, b := range tamperBytes(s.Token[pos]) {
				if checkTamperWith(t, s, orig, lenient, strict, pos, b) {
					accepted++
				}
				checked++
			}
		}
	}
	if checked == 0 || len(shortest) < 10 {
		t.Fatalf("checked %d changes on %d configurations", checked, len(shortest))
	}
	if accepted == 0 {
		t.Fatalf("no change was another spelling: the byte set misses the lenient forms")
	}
	t.Logf("%d one-byte changes on %d configurations; the lenient mode accepted %d other spellings of the same token", checked, len(shortest), accepted)
}

// tamperPositions are the positions of s's token to change: every byte
// after the value (separators, timestamp, signature) and up to 16 bytes
// spread over the value, whose bytes the signature covers all alike.
func tamperPositions(s sample) []int {
	n := len(s.Token)
	end := len(payloadOf(s.Cfg, s.Token))
	if s.Cfg.isTimed() {
		end = bytes.LastIndex(s.Token[:end], s.Cfg.sep())
	}
	if end < 0 {
		end = 0
	}
	var out []int
	step := end/16 + 1
	for i := 0; i < end; i += step {
		out = append(out, i)
	}
	if end > 0 {
		out = append(out, end-1)
	}
	for i := end; i < n; i++ {
		out = append(out, i)
	}
	return out
}

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// tamperBytes are the replacements tried for byte c.
func tamperBytes(c byte) []byte {
	out := []byte{c ^ 1, c ^ 0x20, '+', '/', '-', '_', '=', '.', 'A', ' ', 0x00, 0xff}
	if i := bytes.IndexByte([]byte(b64Alphabet), c); i >= 0 {
		// Same high bits: what differs only in the trailing bits of the
		// last character.
		for _, d := range []int{1, 2, 3} {
			out = append(out, b64Alphabet[i^d])
		}
	}
	return out
}
