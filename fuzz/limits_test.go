package fuzz_test

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// The hard limits: a token longer than the maximum token size, a payload
// that inflates past the maximum payload size, and JSON nested deeper than
// the maximum depth each fail with a typed error, and the memory allocated
// on the way stays bounded by the configured limit, not by what the input
// asks for.

var limitNow = time.Unix(1700000000, 0)

// signMessage signs msg (for a timed class: value ‖ sep ‖ timestamp) with
// the newest key of cfg.
func signMessage(tb testing.TB, cfg *tcfg, msg []byte) string {
	tb.Helper()
	raw, err := cfg.rawSigner(cfg.Keys[len(cfg.Keys)-1], nil)
	if err != nil {
		tb.Fatal(err)
	}
	return string(raw.Sign(msg))
}

// timedToken signs a URL-safe payload (its base64 part, with any "."
// marker) with a timestamp of limitNow.
func timedToken(tb testing.TB, cfg *tcfg, payload string) string {
	tb.Helper()
	ts := base64.RawURLEncoding.EncodeToString(intToBytes(uint64(limitNow.Unix())))
	return signMessage(tb, cfg, []byte(payload+"."+ts))
}

// compressedPayload is the "."-marked URL-safe form of zlib(data) at the
// best compression.
func compressedPayload(tb testing.TB, data []byte) string {
	tb.Helper()
	var buf bytes.Buffer
	w, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return "." + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// intToBytes is itsdangerous's int_to_bytes: big-endian, without leading
// zero bytes.
func intToBytes(n uint64) []byte {
	var b []byte
	for ; n > 0; n >>= 8 {
		b = append([]byte{byte(n)}, b...)
	}
	return b
}

// allocated returns the fewest bytes that one call of f allocated over a
// few runs (the first run warms pools up). Under -race, where pools drop
// their contents, it runs f once and returns 0.
func allocated(f func()) uint64 {
	f()
	if raceEnabled {
		return 0
	}
	best := ^uint64(0)
	for i := 0; i < 3; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n < best {
			best = n
		}
	}
	return best
}

// bomb returns the JSON string "aaa…" of n bytes, which zlib squeezes about
// a thousand times.
func bomb(n int) []byte {
	return []byte(`"` + strings.Repeat("a", n-2) + `"`)
}

var urlSafeTimed = &tcfg{Class: "URLSafeTimedSerializer", Keys: [][]byte{[]byte("secret-key")}}

func TestZipBomb(t *testing.T) {
	tests := []struct {
		name     string
		inflated int // bytes of JSON inside the token
		maxToken int // the token must be at most this long
		limit    int // WithMaxPayloadSize; 0 for the default
		flask    bool
	}{
		{name: "4KB cookie past a 1MiB limit", inflated: 3000000, maxToken: 4096, limit: 1 << 20},
		{name: "4KB Flask cookie past a 64KiB limit", inflated: 3000000, maxToken: 4096, limit: 64 << 10, flask: true},
		{name: "8KB token past the default limit", inflated: 6000000, maxToken: 8192},
		{name: "8KB Flask cookie past the default limit", inflated: 6000000, maxToken: 8192, flask: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := urlSafeTimed
			if tt.flask {
				cfg = &tcfg{Class: classFlask, Keys: [][]byte{[]byte("secret-key")}}
			}
			tok := timedToken(t, cfg, compressedPayload(t, bomb(tt.inflated)))
			if len(tok) > tt.maxToken {
				t.Fatalf("the bomb token is %d bytes, want at most %d", len(tok), tt.maxToken)
			}
			limit := tt.limit
			if limit == 0 {
				limit = itsdangerous.DefaultMaxPayloadSize
			}
			if tt.inflated <= limit {
				t.Fatalf("the bomb inflates to %d bytes, within the limit %d", tt.inflated, limit)
			}
			var opts []itsdangerous.Option
			if tt.limit > 0 {
				opts = append(opts, itsdangerous.WithMaxPayloadSize(tt.limit))
			}
			load := loaderFor(t, cfg, opts...)
			var err error
			n := allocated(func() { err = load(tok) })
			if !errors.Is(err, itsdangerous.ErrBadPayload) || !errors.Is(err, itsdangerous.ErrTooLarge) {
				t.Fatalf("err = %v, want ErrBadPayload and ErrTooLarge", err)
			}
			checkErrorContract(t, err)
			// Inflating reads at most limit+1 bytes into a buffer that
			// grows by doubling: under three times the limit in all.
			if max := uint64(3*limit + 256<<10); n > max {
				t.Errorf("decoding the bomb allocated %d bytes, want at most %d (limit %d)", n, max, limit)
			}
			t.Logf("%d-byte token inflating to %d bytes: %v; %d bytes allocated (limit %d)", len(tok), tt.inflated, err, n, limit)

			// With room for it the same token decodes: the limit, not
			// a broken stream, refused it.
			// (The ratio to the token's length, tested below, is
			// turned off for this.)
			if err := loaderFor(t, cfg, itsdangerous.WithMaxPayloadSize(tt.inflated), itsdangerous.WithMaxInflateRatio(-1))(tok); err != nil {
				t.Fatalf("with a limit of %d bytes: %v", tt.inflated, err)
			}
		})
	}
}

// loaderFor returns a function that loads a token of cfg (a URL-safe
// timed class or Flask) at limitNow with opts.
func loaderFor(tb testing.TB, cfg *tcfg, opts ...itsdangerous.Option) func(string) error {
	tb.Helper()
	key := cfg.Keys[len(cfg.Keys)-1]
	if cfg.Class == classFlask {
		c, err := codec.New(key, codec.WithSignerOptions(opts...))
		if err != nil {
			tb.Fatal(err)
		}
		return func(tok string) error {
			var v any
			_, err := c.DecodeAt(tok, &v, limitNow)
			return err
		}
	}
	s, err := itsdangerous.NewURLSafeTimedSerializer(key, append(cfg.signerOptions(), opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return func(tok string) error {
		var v any
		_, err := s.Loads(tok, &v, itsdangerous.At(limitNow))
		return err
	}
}

func TestDeepNesting(t *testing.T) {
	nest := func(open, close string, n int) []byte {
		return []byte(strings.Repeat(open, n) + "1" + strings.Repeat(close, n))
	}
	flask := &tcfg{Class: classFlask, Keys: [][]byte{[]byte("secret-key")}}
	tests := []struct {
		name    string
		cfg     *tcfg
		json    []byte
		depth   int // WithMaxDepth; 0 for the default
		wantErr bool
	}{
		{name: "arrays at the default limit", cfg: urlSafeTimed, json: nest("[", "]", 512)},
		{name: "arrays one past the default limit", cfg: urlSafeTimed, json: nest("[", "]", 513), wantErr: true},
		{name: "objects one past the default limit", cfg: urlSafeTimed, json: nest(`{"a":`, "}", 513), wantErr: true},
		{name: "100000 arrays", cfg: urlSafeTimed, json: nest("[", "]", 100000), wantErr: true},
		{name: "500000 objects", cfg: urlSafeTimed, json: nest(`{"":`, "}", 500000), wantErr: true},
		{name: "at a limit of 10", cfg: urlSafeTimed, json: nest("[", "]", 10), depth: 10},
		{name: "past a limit of 10", cfg: urlSafeTimed, json: nest("[", "]", 11), depth: 10, wantErr: true},
		{name: "Flask tuples at the default limit", cfg: flask, json: nest(`{" t":[`, "]}", 256)},
		{name: "Flask tuples past the default limit", cfg: flask, json: nest(`{" t":[`, "]}", 257), wantErr: true},
		{name: "Flask 100000 tuples", cfg: flask, json: nest(`{" t":[`, "]}", 100000), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := timedToken(t, tt.cfg, compressedPayload(t, tt.json))
			// The depth alone: no limit relative to the token's length
			// (tested by TestAmplification).
			opts := []itsdangerous.Option{itsdangerous.WithMaxInflateRatio(-1), itsdangerous.WithMaxValues(-1)}
			if tt.depth > 0 {
				opts = append(opts, itsdangerous.WithMaxDepth(tt.depth))
			}
			load := loaderFor(t, tt.cfg, opts...)
			var err error
			n := allocated(func() { err = load(tok) })
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if !errors.Is(err, itsdangerous.ErrBadPayload) || !errors.Is(err, pyjson.ErrDepth) {
				t.Fatalf("err = %v, want ErrBadPayload wrapping pyjson.ErrDepth", err)
			}
			checkErrorContract(t, err)
			// The payload is inflated (a buffer grown by doubling: under
			// 4x its size in all) and parsed to the limit, never past it.
			if max := uint64(4*len(tt.json) + 512<<10); n > max {
				t.Errorf("%d-byte payload: %d bytes allocated, want at most %d", len(tt.json), n, max)
			}
			t.Logf("%d-byte token, %d bytes of JSON: %d bytes allocated", len(tok), len(tt.json), n)
		})
	}
}

func TestLongToken(t *testing.T) {
	long := strings.Repeat("a", 2<<20) + ".sig"
	longBytes := []byte(long)
	signer, err := itsdangerous.NewSigner([]byte("secret-key"))
	if err != nil {
		t.Fatal(err)
	}
	ser, err := itsdangerous.NewURLSafeTimedSerializer([]byte("secret-key"),
		itsdangerous.WithFallbackSigner(itsdangerous.WithDigest(digests["sha512"])),
		itsdangerous.WithFallbackKeys([]byte("old-1"), []byte("old-2")))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := itsdangerous.NewSerializer([]byte("secret-key"), itsdangerous.WithMaxPayloadSize(1024))
	if err != nil {
		t.Fatal(err)
	}
	small, err := codec.New([]byte("secret-key"), codec.WithSignerOptions(itsdangerous.WithMaxTokenSize(codec.MaxCookieSize)))
	if err != nil {
		t.Fatal(err)
	}
	flaskCfg := &tcfg{Class: classFlask, Keys: [][]byte{[]byte("secret-key")}}
	// Valid cookies of exactly MaxCookieSize (4093) bytes and one more.
	padded := func(n int) string {
		for l := n*3/4 - 100; l < n; l++ {
			for _, key := range []string{"k", "kk", "kkk"} {
				json := `{"` + key + `":"` + strings.Repeat("x", l) + `"}`
				tok := timedToken(t, flaskCfg, base64.RawURLEncoding.EncodeToString([]byte(json)))
				if len(tok) == n {
					return tok
				}
			}
		}
		t.Fatalf("no cookie of %d bytes", n)
		return ""
	}
	atMax, pastMax := padded(codec.MaxCookieSize), padded(codec.MaxCookieSize+1)
	plainTok := signMessage(t, &tcfg{Class: "Serializer", Keys: [][]byte{[]byte("secret-key")}}, []byte(`"`+strings.Repeat("a", 1100)+`"`))

	tests := []struct {
		name     string
		load     func() error
		kind     error
		maxBytes uint64
	}{
		{name: "Signer, 2MiB token", kind: itsdangerous.ErrBadSignature, maxBytes: 1024, load: func() error {
			_, err := signer.Unsign(longBytes)
			return err
		}},
		{name: "URLSafeTimedSerializer with fallbacks, 2MiB token", kind: itsdangerous.ErrBadSignature, maxBytes: 4096, load: func() error {
			var v any
			_, err := ser.Loads(long, &v)
			return err
		}},
		{name: "Flask, 4094-byte cookie with WithMaxTokenSize(4093)", kind: itsdangerous.ErrBadSignature, maxBytes: 4096, load: func() error {
			var v any
			_, err := small.DecodeAt(pastMax, &v, limitNow)
			return err
		}},
		{name: "Serializer, 1100-byte payload with WithMaxPayloadSize(1024)", kind: itsdangerous.ErrBadPayload, maxBytes: 4096, load: func() error {
			var v any
			return plain.Loads(plainTok, &v)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := allocated(func() { err = tt.load() })
			if !errors.Is(err, tt.kind) || !errors.Is(err, itsdangerous.ErrTooLarge) {
				t.Fatalf("err = %v, want %v and ErrTooLarge", err, tt.kind)
			}
			checkErrorContract(t, err)
			if n > tt.maxBytes {
				t.Errorf("refusing it allocated %d bytes, want at most %d", n, tt.maxBytes)
			}
		})
	}
	var v any
	if _, err := small.DecodeAt(atMax, &v, limitNow); err != nil {
		t.Fatalf("a 4093-byte cookie with WithMaxTokenSize(4093): %v", err)
	}
}

// TestStrictBase64RejectsNewlines is the regression test of a bug found by
// FuzzSignedPayload (testdata/fuzz/FuzzSignedPayload/872a17ba7d0a7b61):
// WithStrictBase64 used encoding/base64's strict mode, which still skips
// '\r' and '\n', so that "WyBd.\r0A.<valid signature>" loaded in strict mode
// while the lenient mode, like Python, refused its timestamp.
func TestStrictBase64RejectsNewlines(t *testing.T) {
	cfg := &tcfg{Class: "URLSafeTimedSerializer", Keys: [][]byte{[]byte("secret-key")}}
	good := timedToken(t, cfg, "WyBd")
	tests := []struct {
		name, token string
	}{
		{name: "CR in the timestamp", token: signMessage(t, cfg, []byte("WyBd.\r0A"))},
		{name: "LF in the timestamp", token: signMessage(t, cfg, []byte("WyBd.ZV\nPxAA"))},
		{name: "CRLF in the payload", token: signMessage(t, cfg, []byte("Wy\r\nBd.ZVPxAA"))},
		{name: "CRLF in the signature", token: good[:len(good)-4] + "\r\n" + good[len(good)-4:]},
		{name: "LF after the signature", token: good + "\n"},
	}
	strict, err := cfg.build(true)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := strict.run(query{Token: []byte(tt.token), Now: limitNow.Unix(), Action: "loads"})
			if o.OK {
				t.Fatalf("strict mode accepts %q as %s", tt.token, o.summary())
			}
			checkErrorContract(t, o.Err)
		})
	}
	if o := strict.run(query{Token: []byte(good), Now: limitNow.Unix(), Action: "loads"}); !o.OK {
		t.Fatalf("strict mode refuses the canonical %q: %v", good, o.Err)
	}
}

// amplificationShapes are JSON arrays of one element repeated: the values
// that cost the most memory per byte of JSON (a Flask tag is an object
// holding an array or a string, decoded and then converted), and the
// smallest ones. values is the number of JSON values in one element.
var amplificationShapes = []struct {
	name, elem string
	values     int
}{
	{"zeros", "0", 1},
	{"empty arrays", "[]", 1},
	{"empty objects", "{}", 1},
	{"short strings", `"a"`, 1},
	{"dicts of dicts", `{"a":{}}`, 2},
	{"tuples", `{" t":[]}`, 2},
	{"tuples of one", `{" t":[0]}`, 3},
	{"bytes", `{" b":""}`, 2},
	{"markup", `{" m":""}`, 2},
	{"UUIDs", `{" u":"12345678123456781234567812345678"}`, 2},
	{"datetimes", `{" d":"Wed, 01 Jan 2020 00:00:00 GMT"}`, 2},
}

// repeatJSON returns a JSON array of n copies of elem.
func repeatJSON(elem string, n int) []byte {
	return []byte("[" + strings.Repeat(elem+",", n-1) + elem + "]")
}

// amplificationBudget is the most that decoding a token may allocate, per
// byte of the token. The densest payloads within the limits cost about 650
// bytes per byte (TestAmplification logs the worst); before the limits, a
// 10.9 KB token allocated 216 MB, 19866 bytes per byte.
const amplificationBudget = 1024

// TestAmplification is the regression test of issue 12, point 5: decoding
// without a key (codec.DecodeUnverified, and so "flaskcookie decode" without
// a key) inflated a 5.5 KB cookie to 4 MiB of JSON and allocated 150 to 250
// MB building its value. Now the inflated size is bounded by 64 times the
// payload's length in the token and the value by 2 values per byte of it,
// so the memory allocated is proportional to the token: at most
// amplificationBudget bytes per byte, for bombs (everything at the highest
// compression, up to the absolute limit of 4 MiB) and for the densest
// payloads at the limits, which still decode, and one value past them.
func TestAmplification(t *testing.T) {
	const cookie = 5000 // bytes of payload text: a limit of 10000 values
	type tcase struct {
		name   string
		tok    string
		decode bool // within the limits: must decode
	}
	var cases []tcase
	for _, sh := range amplificationShapes {
		// A bomb: as many copies as fit in 4 MiB, compressed at best.
		n := (4<<20 - 2) / (len(sh.elem) + 1)
		cases = append(cases, tcase{name: sh.name + "/4 MiB bomb", tok: compressedPayload(t, repeatJSON(sh.elem, n)) + ".ZVPxAA.sig"})
		// The densest payloads at the limits of a 5 KB cookie, padded
		// after the zlib stream (ignored, as by Python) so that the
		// ratio allows them: exactly the 10000 values allowed (or as
		// many as the 320 KB that 64 times 5000 bytes allow), then one
		// element more.
		count := (2*cookie - 1) / sh.values
		if per := len(sh.elem) + 1; count*per > 64*cookie-2 {
			count = (64*cookie - 2) / per
		}
		for _, c := range []int{count, count + 1} {
			p := compressedPayload(t, repeatJSON(sh.elem, c))
			if len(p) > cookie {
				t.Fatalf("%s: %d compressed bytes do not fit in %d", sh.name, len(p), cookie)
			}
			p += strings.Repeat("A", cookie-len(p))
			cases = append(cases, tcase{
				name:   fmt.Sprintf("%s/%d values in a %d-byte cookie", sh.name, 1+c*sh.values, cookie),
				tok:    p + ".ZVPxAA.sig",
				decode: c == count,
			})
		}
	}
	worst := 0.0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			n := allocated(func() {
				var v any
				_, err = codec.DecodeUnverified(tc.tok, &v)
			})
			if tc.decode && err != nil {
				t.Fatalf("a payload within the limits: %v", err)
			}
			if !tc.decode && (!errors.Is(err, itsdangerous.ErrBadPayload) || !errors.Is(err, itsdangerous.ErrTooLarge)) {
				t.Fatalf("err = %v, want ErrBadPayload and ErrTooLarge", err)
			}
			if err != nil {
				checkErrorContract(t, err)
			}
			per := float64(n) / float64(len(tc.tok))
			worst = max(worst, per)
			if n > uint64(amplificationBudget*len(tc.tok)) {
				t.Errorf("%d-byte token: %d bytes allocated (%.0f per byte), want at most %d per byte", len(tc.tok), n, per, amplificationBudget)
			}
			t.Logf("%d-byte token: %d bytes allocated (%.0f per byte); %v", len(tc.tok), n, per, err)
		})
	}
	if !raceEnabled {
		t.Logf("worst: %.0f bytes allocated per byte of token", worst)
	}
}
