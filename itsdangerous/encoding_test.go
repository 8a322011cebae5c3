package itsdangerous

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/pybase64"
)

// The observed results of Python's base64_decode, from the spec (§0.3),
// which recorded them from itsdangerous 2.1.2.
func TestDecodeBase64Lenient(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{name: "full quantum", in: "YWJj", want: "abc"},
		{name: "two chars short", in: "YWI", want: "ab"},
		{name: "one byte", in: "YQ", want: "a"},
		{name: "one data char is never valid", in: "Y", wantErr: true},
		{name: "five data chars leave one over", in: "12345", wantErr: true},
		{name: "standard alphabet accepted", in: "YW+/", want: "ao\xbf"},
		{name: "url-safe alphabet", in: "YW-_", want: "ao\xbf"},
		{name: "junk dropped", in: "YW!J!j", want: "abc"},
		{name: "whitespace dropped", in: " YWJj\n", want: "abc"},
		{name: "utf-8 bytes dropped", in: "YWJ\xc3\xa9j", want: "abc"},
		{name: "data after padding ignored", in: "YQ==YWJj", want: "a"},
		{name: "extra padding", in: "YWJj====", want: "abc"},
		{name: "short padding completed", in: "YQ=", want: "a"},
		{name: "non-zero trailing bits", in: "YR", want: "a"},
		{name: "dot is dropped and leaves bad padding", in: "YQ.", wantErr: true},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeBase64Lenient(nil, []byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("decode(%q) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("decode(%q): %v", tt.in, err)
			}
			if string(got) != tt.want {
				t.Errorf("decode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDecodeBase64Strict(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"canonical", "YWJj", true},
		{"canonical short", "YQ", true},
		{"empty", "", true},
		{"url-safe chars", "YW-_", true},
		{"standard alphabet refused", "YW+/", false},
		{"padding refused", "YQ==", false},
		{"junk refused", "YW!J", false},
		{"non-zero trailing bits refused", "YR", false},
		{"one data char refused", "Y", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeBase64Strict(nil, []byte(tt.in))
			if (err == nil) != tt.ok {
				t.Errorf("strict decode(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
		})
	}
}

// Upstream test_encoding.py: test_base64 and test_base64_bad.
func TestBase64RoundTrip(t *testing.T) {
	for _, s := range []string{"無限", "infinite", "", "\x00\xff"} {
		enc := appendBase64(nil, []byte(s))
		if bytes.ContainsRune(enc, '=') {
			t.Errorf("encode(%q) = %q contains padding", s, enc)
		}
		dec, err := decodeBase64Lenient(nil, enc)
		if err != nil || string(dec) != s {
			t.Errorf("decode(encode(%q)) = %q, %v", s, dec, err)
		}
	}
	if _, err := decodeBase64Lenient(nil, []byte("12345")); !errors.Is(err, errBase64) {
		t.Errorf("decode(12345) error = %v, want errBase64", err)
	}
}

// Upstream test_int_bytes and spec §0.4.
func TestTimestampBytes(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{0, ""},
		{1, "\x01"},
		{192, "\xc0"},
		{255, "\xff"},
		{256, "\x01\x00"},
		{1700000000, "\x65\x53\xf1\x00"},
		{1<<64 - 1, "\xff\xff\xff\xff\xff\xff\xff\xff"},
	}
	for _, tt := range tests {
		got := appendTimestamp(nil, tt.n)
		if string(got) != tt.want {
			t.Errorf("int_to_bytes(%d) = %x, want %x", tt.n, got, tt.want)
		}
		back, ok := parseTimestamp(got)
		if !ok || back != tt.n {
			t.Errorf("bytes_to_int(%x) = %d, %v; want %d", got, back, ok, tt.n)
		}
	}
	if _, ok := parseTimestamp(make([]byte, 9)); ok {
		t.Error("bytes_to_int of 9 bytes succeeded, want malformed")
	}
	if got := string(appendBase64(nil, appendTimestamp(nil, 1700000000))); got != "ZVPxAA" {
		t.Errorf("timestamp 1700000000 encodes as %q, want ZVPxAA", got)
	}
}

func TestPyBytesRepr(t *testing.T) {
	tests := map[string]string{
		".":        `b'.'`,
		"a'b":      `b"a'b"`,
		"a'\"":     `b'a\'"'`,
		"\x00\xff": `b'\x00\xff'`,
		"\\\n":     `b'\\\n'`,
	}
	for in, want := range tests {
		if got := pyBytesRepr([]byte(in)); got != want {
			t.Errorf("repr(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestLenientFastPath checks that the encoding/base64 fast path of the
// lenient decoder gives what Python's rules (pybase64) give, on canonical
// and mangled spellings alike.
func TestLenientFastPath(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 14))
	for i := 0; i < 200000; i++ {
		src := randomBase64(r, "=+/\r\n.!", 8)
		want, werr := pybase64.DecodeURLSafe(nil, src)
		got, gerr := decodeBase64Lenient([]byte("x"), src)
		if (werr != nil) != (gerr != nil) || werr == nil && !bytes.Equal(got[1:], want) {
			t.Fatalf("%q: got %x, %v; Python's rules give %x, %v", src, got, gerr, want, werr)
		}
	}
}

// TestCanonicalFastPath checks the fast path of decodeBase64 against the
// general decoders: it accepts exactly what the strict decoder accepts,
// with the same bytes, which the lenient decoder gives too.
func TestCanonicalFastPath(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 15))
	accepted := 0
	for i := 0; i < 200000; i++ {
		src := randomBase64(r, "=+/\r\n.!\x00\xff", 40)
		got, ok := decodeCanonical([]byte("x"), src)
		strict, serr := decodeBase64Strict([]byte("x"), src)
		if ok != (serr == nil) || ok && !bytes.Equal(got, strict) {
			t.Fatalf("%q: fast path gives %x, %v; strict decoder %x, %v", src, got, ok, strict, serr)
		}
		if !ok {
			if string(got) != "x" {
				t.Fatalf("%q: refused, but dst changed to %q", src, got)
			}
			continue
		}
		accepted++
		lenient, lerr := decodeBase64Lenient([]byte("x"), src)
		if lerr != nil || !bytes.Equal(got, lenient) {
			t.Fatalf("%q: fast path gives %x; lenient decoder %x, %v", src, got, lenient, lerr)
		}
	}
	if accepted < 10000 {
		t.Errorf("only %d canonical inputs", accepted)
	}
}

// randomBase64 returns up to 39 characters of the URL-safe alphabet, about
// one in oneIn of them replaced by any of alphabet's or others'.
func randomBase64(r *rand.Rand, others string, oneIn int) []byte {
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" + others
	src := make([]byte, r.IntN(40))
	for j := range src {
		if r.IntN(oneIn) == 0 {
			src[j] = alphabet[r.IntN(len(alphabet))]
		} else {
			src[j] = alphabet[r.IntN(64)]
		}
	}
	return src
}
