package fuzz_test

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// The generator of the differential harness. Input i of a run with a given
// seed depends only on (seed, i), so any input can be replayed alone. An
// input is either a Python-made token of the vectors, or a token built
// here: a value (from the vectors, or random JSON spelled in many ways,
// or Flask's tags), JSON text, optional zlib, base64, a timestamp, and a
// signature made with the right key (mostly), an old key, a fallback signer
// or a wrong key. Then the token may be mutated: signature bytes,
// separators, base64 alphabet and padding, junk, truncation.

// input is one generated query.
type input struct {
	Index int
	Cfg   *tcfg
	Q     query
	Notes []string // how the token was made, for reports
}

func (in *input) note(format string, args ...any) {
	in.Notes = append(in.Notes, fmt.Sprintf(format, args...))
}

type generator struct {
	c       *corpus
	classes []string
	byClass map[string][]*tcfg
	dates   []string
	signers map[string]*itsdangerous.Signer // by config, key and fallback
	zw      map[int]*zlib.Writer
}

var allClasses = []string{"Signer", "TimestampSigner", "Serializer", "TimedSerializer", "URLSafeSerializer", "URLSafeTimedSerializer", classFlask}

func newGenerator(tb testing.TB, c *corpus) *generator {
	tb.Helper()
	g := &generator{c: c, classes: allClasses, byClass: map[string][]*tcfg{}, signers: map[string]*itsdangerous.Signer{}, zw: map[int]*zlib.Writer{}}
	for _, cfg := range c.Configs {
		g.byClass[cfg.Class] = append(g.byClass[cfg.Class], cfg)
	}
	for _, cl := range g.classes {
		if len(g.byClass[cl]) == 0 {
			tb.Fatalf("the vectors have no %s configuration", cl)
		}
	}
	raw, err := os.ReadFile(testvec.Path(tb, "testdata/httpdate/vectors.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var hd struct {
		Parse []struct {
			In string `json:"in"`
		} `json:"parse"`
	}
	if err := json.Unmarshal(raw, &hd); err != nil {
		tb.Fatal(err)
	}
	for _, p := range hd.Parse {
		g.dates = append(g.dates, p.In)
	}
	if len(g.dates) == 0 {
		tb.Fatal("no HTTP date vectors")
	}
	return g
}

// clone returns a generator for another goroutine: the signer and zlib
// caches are not shared.
func (g *generator) clone() *generator {
	c := *g
	c.signers = map[string]*itsdangerous.Signer{}
	c.zw = map[int]*zlib.Writer{}
	return &c
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func chance(r *rand.Rand, percent int) bool { return r.IntN(100) < percent }

func pickByte(r *rand.Rand, s string) byte { return s[r.IntN(len(s))] }

const diffNow = 1700000000

// make builds input i of the run with the given seed.
func (g *generator) make(seed uint64, i int) *input {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	in := &input{Index: i}
	if chance(r, 12) {
		s := pick(r, g.c.Samples)
		in.Cfg, in.Q = s.Cfg, query{Token: bytes.Clone(s.Token), Now: s.Now, MaxAge: s.MaxAge}
		in.note("vector %s", s.Name)
		if chance(r, 60) {
			g.mutateToken(r, in)
		}
	} else {
		in.Cfg = pick(r, g.byClass[pick(r, g.classes)])
		g.synthesize(r, in)
	}
	if chance(r, 4) {
		// Small Go-only limits: what they refuse is an intended difference.
		c := *in.Cfg
		c.MaxToken, c.MaxPayload, c.MaxDepth = 64+r.IntN(512), 16+r.IntN(256), 1+r.IntN(8)
		in.Cfg = &c
		in.note("go limits")
	}
	in.Q.Action = actionFor(in.Cfg)
	if in.Q.Action == "loads" && chance(r, 12) {
		in.Q.Action = "loads_unsafe"
	}
	if in.Cfg.Class == "TimestampSigner" && chance(r, 10) {
		in.Q.NoReturnTimestamp = true
	}
	if in.Cfg.Class == classFlask && !utf8.Valid(in.Q.Token) {
		// A Flask cookie is a str: only UTF-8 reaches Python unchanged.
		in.Q.Token = bytes.ToValidUTF8(in.Q.Token, []byte("\uFFFD"))
	}
	return in
}

// synthesize builds a token for in.Cfg.
func (g *generator) synthesize(r *rand.Rand, in *input) {
	cfg := in.Cfg
	in.Q.Now = diffNow
	switch x := r.IntN(100); {
	case x < 15:
		in.Q.Now = r.Int64N(1 << 33)
	case x < 20:
		in.Q.Now = r.Int64N(1 << 12)
	}
	if cfg.isTimed() && (cfg.Class == classFlask && chance(r, 30) || cfg.Class != classFlask && chance(r, 75)) {
		a := pick(r, []int64{0, 1, 10, 3600, flaskDefaultMaxAge, r.Int64N(1 << 31)})
		in.Q.MaxAge = &a
	}

	var msg []byte
	switch {
	case cfg.isSigner():
		msg = g.signerValue(r, in)
	case cfg.Class == classFlask:
		msg = g.urlSafePayload(r, in, g.flaskJSON(r, in))
	case cfg.isURLSafe():
		msg = g.urlSafePayload(r, in, g.serializerJSON(r, in))
	default:
		msg = g.serializerJSON(r, in)
	}
	if cfg.isTimed() {
		msg = append(append(msg, cfg.sep()...), g.timestamp(r, in)...)
	}
	in.Q.Token = g.sign(r, in, msg)
	if chance(r, 22) {
		g.mutateToken(r, in)
	}
}

// sign signs msg with the newest key mostly, else an older key, a
// fallback signer or a wrong key.
func (g *generator) sign(r *rand.Rand, in *input, msg []byte) []byte {
	cfg := in.Cfg
	key := cfg.Keys[len(cfg.Keys)-1]
	var fb *testvec.FallbackSigner
	switch x := r.IntN(100); {
	case x < 6 && len(cfg.Keys) > 1:
		key = cfg.Keys[r.IntN(len(cfg.Keys)-1)]
		in.note("old key")
	case x >= 6 && x < 12 && len(cfg.Fallbacks) > 0:
		f := pick(r, cfg.Fallbacks)
		fb = &f
		key = pick(r, cfg.Keys)
		in.note("fallback signer")
		if i := bytes.LastIndex(msg, cfg.sep()); fb.Sep != nil && cfg.isTimed() && i >= 0 {
			// The fallback signer's separator also separates the
			// timestamp.
			msg = append(append(bytes.Clone(msg[:i]), *fb.Sep...), msg[i+len(cfg.sep()):]...)
		}
	case x >= 12 && x < 18:
		key = []byte("not-the-key")
		in.note("wrong key")
	}
	id := fmt.Sprintf("%p/%q/%v", cfg, key, fb)
	s, ok := g.signers[id]
	if !ok {
		var err error
		if s, err = cfg.rawSigner(key, fb); err != nil {
			panic(err)
		}
		g.signers[id] = s
	}
	return s.Sign(msg)
}

// signerValue is the value of a Signer or TimestampSigner token.
func (g *generator) signerValue(r *rand.Rand, in *input) []byte {
	switch r.IntN(5) {
	case 0:
		for range 20 {
			if s := pick(r, g.c.Samples); s.Signed != nil {
				return bytes.Clone(s.Signed)
			}
		}
		return []byte("value")
	case 1:
		return nil
	case 2:
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		in.note("random bytes")
		return b
	default:
		var b []byte
		for n := r.IntN(30); n > 0; n-- {
			if chance(r, 10) {
				b = append(b, in.Cfg.sep()...)
			} else {
				b = append(b, pickByte(r, "abcxyzAZ09-_=+/ .:|"))
			}
		}
		return b
	}
}

// serializerJSON is the JSON text of a serializer token.
func (g *generator) serializerJSON(r *rand.Rand, in *input) []byte {
	var text []byte
	switch x := r.IntN(100); {
	case x < 40:
		v := pick(r, g.c.Values)
		d := pyjson.Dialect{ASCII: true}
		if in.Cfg.isURLSafe() {
			d = pyjson.Dialect{Compact: true}
		}
		var err error
		if text, err = pyjson.Append(nil, v, d); err != nil {
			text, _ = pyjson.Append(nil, v, pyjson.Dialect{ASCII: true})
		}
		in.note("vector value")
	case x < 97:
		w := &jsonWriter{r: r}
		w.top()
		text = w.b
		in.note("random JSON")
	default:
		text = make([]byte, r.IntN(20))
		for i := range text {
			text[i] = byte(r.IntN(256))
		}
		in.note("random bytes")
	}
	if chance(r, 25) {
		text = mutateText(r, in, text)
	}
	return text
}

// flaskJSON is the tagged JSON of a Flask cookie.
func (g *generator) flaskJSON(r *rand.Rand, in *input) []byte {
	var text []byte
	if chance(r, 35) {
		v := pick(r, g.c.FlaskValues)
		var err error
		if text, err = codec.TaggedJSON.AppendPayload(nil, v); err != nil {
			text = []byte("{}")
		}
		in.note("vector session")
	} else {
		w := &jsonWriter{r: r, flask: true, dates: g.dates}
		w.top()
		text = w.b
		in.note("random tagged JSON")
	}
	if chance(r, 20) {
		text = mutateText(r, in, text)
	}
	return text
}

// urlSafePayload is the base64 part of a URL-safe token, compressed or not,
// spelled canonically or not.
func (g *generator) urlSafePayload(r *rand.Rand, in *input, text []byte) []byte {
	raw, marker := text, false
	switch x := r.IntN(100); {
	case x < 55:
	case x < 80:
		raw, marker = g.deflate(r, text), true
		in.note("zlib")
	case x < 88:
		raw, marker = corruptZlib(r, in, g.deflate(r, text)), true
	case x < 92:
		raw = g.deflate(r, text)
		in.note("zlib without marker")
	case x < 96:
		marker = true
		in.note("marker without zlib")
	default:
		raw, marker = g.deflate(r, g.deflate(r, text)), true
		in.note("zlib twice")
	}
	b := []byte(base64.RawURLEncoding.EncodeToString(raw))
	if chance(r, 20) {
		b = mutateB64(r, in, b)
	}
	if marker {
		b = append([]byte("."), b...)
		if chance(r, 3) {
			b = append([]byte("."), b...)
			in.note("two markers")
		}
	}
	return b
}

func (g *generator) deflate(r *rand.Rand, data []byte) []byte {
	level := pick(r, []int{zlib.DefaultCompression, zlib.NoCompression, zlib.BestSpeed, zlib.BestCompression, zlib.HuffmanOnly})
	w, ok := g.zw[level]
	var buf bytes.Buffer
	if !ok {
		w, _ = zlib.NewWriterLevel(&buf, level)
		g.zw[level] = w
	} else {
		w.Reset(&buf)
	}
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

func corruptZlib(r *rand.Rand, in *input, z []byte) []byte {
	z = bytes.Clone(z)
	switch r.IntN(7) {
	case 0:
		i := r.IntN(len(z))
		z[i] ^= 1 << r.IntN(8)
		in.note("zlib bit flip at %d", i)
	case 1:
		n := 1 + r.IntN(min(6, len(z)))
		z = z[:len(z)-n]
		in.note("zlib truncated by %d", n)
	case 2:
		z = append(z, "trailing"[:1+r.IntN(8)]...)
		in.note("zlib trailing bytes")
	case 3:
		copy(z[len(z)-4:], []byte{0, 0, 0, 0})
		in.note("zlib bad checksum")
	case 4:
		z[1] ^= 0x20 // FDICT, which breaks the header check too
		in.note("zlib FDICT")
	case 5:
		z = z[2:]
		in.note("raw deflate")
	default:
		z = z[:r.IntN(3)]
		in.note("zlib stub")
	}
	return z
}

// timestamp is the base64 timestamp of a timed token.
func (g *generator) timestamp(r *rand.Rand, in *input) []byte {
	now := in.Q.Now
	var ts uint64
	switch x := r.IntN(100); {
	case x < 55:
		age := pick(r, []int64{0, 0, 1, 5, 59, 3600})
		if in.Q.MaxAge != nil {
			age = pick(r, []int64{age, *in.Q.MaxAge, *in.Q.MaxAge + 1, *in.Q.MaxAge - 1})
		}
		ts = uint64(max(0, now-age))
	case x < 70:
		ts = uint64(max(0, now+pick(r, []int64{1, 2, 1000})))
	case x < 80:
		ts = pick(r, []uint64{0, 1, 255, 256, 65535, 1 << 32, 1 << 33, 253402300799, 253402300799, 253402300800, 1 << 40, 1<<63 - 1, 1 << 63, 1<<64 - 1})
		in.note("timestamp %d", ts)
	case x < 83:
		ts = r.Uint64()
		in.note("timestamp %d", ts)
	default:
		ts = uint64(max(0, now-r.Int64N(1<<31)))
	}
	b := intToBytes(ts)
	if chance(r, 80) {
		return []byte(base64.RawURLEncoding.EncodeToString(b))
	}
	switch r.IntN(6) {
	case 0:
		b = append(make([]byte, 1+r.IntN(3)), b...)
		in.note("timestamp with leading zeros")
	case 1:
		b = append(bytes.Repeat([]byte{1}, 9-len(b)), b...)
		in.note("9-byte timestamp")
	case 2:
		in.note("empty timestamp")
		return nil
	}
	enc := []byte(base64.RawURLEncoding.EncodeToString(b))
	if chance(r, 70) {
		enc = mutateB64(r, in, enc)
	}
	return enc
}

var junk = []string{" ", "\n", "\r\n", "\t", "!", ".", "*", "~", "\x00", "\x80", "\xff", "é", "€", "\xed\xa0\x80", "$", ":", "|"}

// mutateB64 changes the spelling of base64 text: the alphabet, padding,
// junk, length and trailing bits.
func mutateB64(r *rand.Rand, in *input, b []byte) []byte {
	b = bytes.Clone(b)
	switch r.IntN(9) {
	case 0:
		b = []byte(strings.NewReplacer("-", "+", "_", "/").Replace(string(b)))
		in.note("b64 +/ alphabet")
	case 1:
		for i, c := range b {
			if (c == '-' || c == '_') && chance(r, 50) {
				b[i] = map[byte]byte{'-': '+', '_': '/'}[c]
			}
		}
		in.note("b64 some +/")
	case 2:
		n := 1 + r.IntN(4)
		b = append(b, strings.Repeat("=", n)...)
		in.note("b64 %d =", n)
	case 3:
		i := r.IntN(len(b) + 1)
		b = insert(b, i, []byte("="))
		in.note("b64 = at %d", i)
	case 4:
		j := pick(r, junk)
		i := r.IntN(len(b) + 1)
		b = insert(b, i, []byte(j))
		in.note("b64 junk %q at %d", j, i)
	case 5:
		if len(b) > 0 {
			i := r.IntN(len(b))
			b = append(b[:i], b[i+1:]...)
			in.note("b64 dropped %d", i)
		}
	case 6:
		if n := len(b); n > 0 {
			if k := strings.IndexByte(b64Alphabet, b[n-1]); k >= 0 {
				b[n-1] = b64Alphabet[k^(1+r.IntN(3))]
				in.note("b64 trailing bits")
			}
		}
	case 7:
		b = append(b, pick(r, []string{"A", "AA", "AAA", "AAAA"})...)
		in.note("b64 extra data")
	default:
		b = []byte(base64.URLEncoding.EncodeToString(mustB64(b)))
		in.note("b64 padded")
	}
	return b
}

func mustB64(b []byte) []byte {
	d, _ := base64.RawURLEncoding.DecodeString(string(b))
	return d
}

func insert(b []byte, i int, x []byte) []byte {
	out := make([]byte, 0, len(b)+len(x))
	out = append(out, b[:i]...)
	out = append(out, x...)
	return append(out, b[i:]...)
}

var textSnippets = []string{
	"NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-400", "-0", "-0.0", "0e0", "1E+2", "01", "1.", ".5",
	`"\ud800"`, `"\udc00\ud800"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\u0000"`, "\"\x00\"", "\"\xff\"", "\"\xed\xa0\x80\"",
	"\xef\xbb\xbf", "true", "tru", "null", "[]", "{}", `{"a":1,"a":2}`, "12345678901234567890", "-9223372036854775808",
	"9223372036854775808", "1.7976931348623157e308", "5e-324", `"\u2028"`, `"\/"`, `"\q"`, `"\u12"`, ",", "]", "}", ":",
	"\f", "\v", "\u00a0", " ", "\n",
}

// mutateText changes JSON text at the byte level.
func mutateText(r *rand.Rand, in *input, t []byte) []byte {
	t = bytes.Clone(t)
	for n := 1 + r.IntN(2); n > 0; n-- {
		i := r.IntN(len(t) + 1)
		switch r.IntN(7) {
		case 0:
			s := pick(r, textSnippets)
			t = insert(t, i, []byte(s))
			in.note("json insert %q at %d", s, i)
		case 1:
			if i < len(t) {
				c := pick(r, []byte("{}[],:\"\\0-+.eEntf \x00\x7f\x80\xc0\xed\xff"))
				t[i] = c
				in.note("json byte %d = %q", i, c)
			}
		case 2:
			if i < len(t) {
				j := min(len(t), i+1+r.IntN(4))
				t = append(t[:i], t[j:]...)
				in.note("json delete %d:%d", i, j)
			}
		case 3:
			t = t[:i]
			in.note("json truncated at %d", i)
		case 4:
			j := min(len(t), i+r.IntN(8))
			t = insert(t, i, bytes.Clone(t[i:j]))
			in.note("json duplicate %d:%d", i, j)
		case 5:
			ws := pick(r, []string{" ", "\t", "\n", "\r", "\f", "\u00a0", "\ufeff"})
			t = insert(t, i, []byte(ws))
			in.note("json whitespace %q at %d", ws, i)
		default:
			t = append([]byte(pick(r, []string{"\xef\xbb\xbf", " ", "\n"})), t...)
			in.note("json prefix")
		}
	}
	return t
}

// mutateToken changes a finished token: signature bytes and spelling,
// separators, junk, truncation.
func (g *generator) mutateToken(r *rand.Rand, in *input) {
	t := in.Q.Token
	sep := in.Cfg.sep()
	last := bytes.LastIndex(t, sep)
	for n := 1 + r.IntN(2); n > 0; n-- {
		switch r.IntN(11) {
		case 0, 1:
			if len(t) > 0 {
				i := r.IntN(len(t))
				c := pick(r, []byte("+/-_=.A0a \x00\x80\xff:|"))
				if chance(r, 50) {
					c = t[i] ^ byte(1<<r.IntN(8))
				}
				t = bytes.Clone(t)
				t[i] = c
				in.note("byte %d = %q", i, c)
			}
		case 2, 3:
			if last >= 0 {
				sig := mutateB64(r, in, t[last+len(sep):])
				t = append(bytes.Clone(t[:last+len(sep)]), sig...)
			}
		case 4:
			if last >= 0 {
				k := r.IntN(len(t) - last)
				t = t[:len(t)-k]
				in.note("truncated by %d", k)
			}
		case 5:
			if last >= 0 {
				t = t[:last]
				in.note("signature removed")
			}
		case 6:
			if last >= 0 {
				t = insert(t, last, sep)
				in.note("separator doubled")
			}
		case 7:
			j := pick(r, junk)
			if chance(r, 50) {
				t = append(bytes.Clone(t), j...)
			} else {
				t = append([]byte(j), t...)
			}
			in.note("junk %q", j)
		case 8:
			if last >= 0 {
				t = bytes.Clone(t)
				copy(t[last:], pick(r, []string{":", "|", "-", "_", "!"}))
				in.note("separator replaced")
			}
		case 9:
			if j := bytes.LastIndex(t[:max(last, 0)], sep); j >= 0 && in.Cfg.isTimed() {
				ts := base64.RawURLEncoding.EncodeToString(intToBytes(uint64(r.Int64N(1 << 34))))
				t = append(append(append(bytes.Clone(t[:j+len(sep)]), ts...), sep...), t[last+len(sep):]...)
				in.note("timestamp replaced by %s", ts)
			}
		default:
			t = append(bytes.Clone(t), append(bytes.Clone(sep), pick(r, []string{"", "AAAA", "x", "ZVPxAA"})...)...)
			in.note("segment appended")
		}
		last = bytes.LastIndex(t, sep)
	}
	in.Q.Token = t
}
