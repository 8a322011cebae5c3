package fuzz_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/internal/pybase64"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// The Fernet fuzz targets drive package fernet and the sealed codec with
// the keys of testdata/fernet/vectors.json (made by compat/gen_fernet.py
// with python3-cryptography) and check:
//
//   - every refusal matches fernet.ErrInvalidToken (or ErrInvalidKey),
//     with no plaintext, and never a panic;
//   - Decrypt, ExtractTimestamp, Rotate and ParseUnverified agree with
//     each other, and strict base64 accepts nothing the lenient mode
//     refuses;
//   - what decrypts re-encrypts and decrypts to the same bytes, and a
//     one-byte change anywhere in a token is refused;
//   - a sealed session cookie is refused as ErrBadSignature, or (opened
//     but not a session) as ErrBadPayload.

// fernetFuzzNow is the clock of the vectors.
var fernetFuzzNow = time.Unix(1700000000, 0)

// fernetCorpus holds the vector keys (every key of the file, so that its
// valid tokens decrypt) and tokens.
type fernetCorpus struct {
	keys   []fernet.Key
	tokens []string
}

func loadFernetCorpus(tb testing.TB) *fernetCorpus {
	tb.Helper()
	data, err := os.ReadFile(testvec.Path(tb, "testdata/fernet/vectors.json"))
	if err != nil {
		tb.Fatalf("%v (regenerate with compat/gen_fernet.py)", err)
	}
	var f struct {
		Encrypt []struct {
			Key   string `json:"key"`
			Token string `json:"token"`
		} `json:"encrypt"`
		Tokens []struct {
			Keys  []string `json:"keys"`
			Token string   `json:"token"`
		} `json:"tokens"`
		Sessions []struct {
			Keys   []string `json:"keys"`
			Cookie string   `json:"cookie"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		tb.Fatal(err)
	}
	c := &fernetCorpus{}
	seenKey, seenTok := map[string]bool{}, map[string]bool{}
	addKey := func(s string) {
		if seenKey[s] {
			return
		}
		seenKey[s] = true
		k, err := fernet.ParseKey(s)
		if err != nil {
			tb.Fatalf("vector key %q: %v", s, err)
		}
		c.keys = append(c.keys, k)
	}
	addTok := func(s string) {
		if !seenTok[s] {
			seenTok[s] = true
			c.tokens = append(c.tokens, s)
		}
	}
	for _, v := range f.Encrypt {
		addKey(v.Key)
		addTok(v.Token)
	}
	for _, v := range f.Tokens {
		for _, k := range v.Keys {
			addKey(k)
		}
		addTok(v.Token)
	}
	for _, v := range f.Sessions {
		for _, k := range v.Keys {
			addKey(k)
		}
		addTok(v.Cookie)
	}
	if len(c.keys) == 0 || len(c.tokens) == 0 {
		tb.Fatalf("loaded %d keys and %d tokens from the Fernet vectors; want some of each", len(c.keys), len(c.tokens))
	}
	return c
}

func fernetOf(tb testing.TB, keys []fernet.Key) *fernet.Fernet {
	tb.Helper()
	f, err := fernet.New(keys...)
	if err != nil {
		tb.Fatal(err)
	}
	return f.WithClock(func() time.Time { return fernetFuzzNow })
}

func FuzzFernetDecrypt(f *testing.F) {
	c := loadFernetCorpus(f)
	for _, tok := range c.tokens {
		f.Add(tok)
	}
	fe := fernetOf(f, c.keys)
	f.Fuzz(func(t *testing.T, token string) {
		plain, made, err := fe.DecryptWithTimestamp(token)
		if err != nil {
			if !errors.Is(err, fernet.ErrInvalidToken) || plain != nil {
				t.Fatalf("Decrypt = %q, %v; want nil and ErrInvalidToken", plain, err)
			}
		}
		strict, serr := fe.Decrypt(token, fernet.StrictBase64())
		if serr != nil && !errors.Is(serr, fernet.ErrInvalidToken) {
			t.Fatalf("strict Decrypt: untyped error %v", serr)
		}
		if serr == nil && (err != nil || !bytes.Equal(strict, plain)) {
			t.Fatalf("strict mode accepted what the lenient mode did not: %v", err)
		}
		ts, xerr := fe.ExtractTimestamp(token)
		// Only a token whose MAC verifies gets a *TimeError.
		_, terr := fe.Decrypt(token, fernet.TTL(time.Hour))
		var te *fernet.TimeError
		if terr != nil && (!errors.Is(terr, fernet.ErrInvalidToken) || (errors.As(terr, &te) && xerr != nil)) {
			t.Fatalf("Decrypt with TTL = %v (ExtractTimestamp: %v)", terr, xerr)
		}
		_, rerr := fe.Rotate(token)
		info, perr := fernet.ParseUnverified(token)
		for _, e := range []error{xerr, rerr, perr} {
			if e != nil && !errors.Is(e, fernet.ErrInvalidToken) {
				t.Fatalf("untyped error %v", e)
			}
		}
		if err != nil {
			if rerr == nil {
				t.Fatal("Rotate accepted a token Decrypt refused")
			}
			return
		}
		// Accepted: every view of the token agrees.
		if xerr != nil || !ts.Equal(made) || rerr != nil || perr != nil || !info.Timestamp.Equal(made) ||
			info.CiphertextSize < len(plain)+1 || info.CiphertextSize > len(plain)+16 {
			t.Fatalf("ExtractTimestamp %v %v, Rotate %v, ParseUnverified %+v %v; Decrypt gave %d bytes at %v",
				ts, xerr, rerr, info, perr, len(plain), made)
		}
		// The canonical spelling of the same bytes is accepted strictly.
		// (The itsdangerous reader pads before decoding; for a token
		// that Fernet accepted that changes nothing.)
		data, derr := pybase64.DecodeURLSafe(nil, []byte(token))
		if derr != nil {
			t.Fatalf("pybase64 refused an accepted token: %v", derr)
		}
		canon := base64.URLEncoding.EncodeToString(data)
		if again, err := fe.Decrypt(canon, fernet.StrictBase64()); err != nil || !bytes.Equal(again, plain) {
			t.Fatalf("canonical spelling %q: %v", canon, err)
		}
		// Re-encrypted, it decrypts to the same bytes.
		tok, err := fe.EncryptAt(plain, made, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := fe.Decrypt(tok); err != nil || !bytes.Equal(again, plain) {
			t.Fatalf("round trip: %q, %v", again, err)
		}
	})
}

func FuzzFernetRoundTrip(f *testing.F) {
	c := loadFernetCorpus(f)
	f.Add([]byte(""), uint32(0), uint16(0), byte(1))
	f.Add([]byte(`{"user_id":42}`), uint32(1700000000), uint16(40), byte(0x80))
	f.Add(bytes.Repeat([]byte{16}, 16), uint32(1), uint16(200), byte(0xff))
	fe := fernetOf(f, c.keys)
	f.Fuzz(func(t *testing.T, plain []byte, ts uint32, pos uint16, flip byte) {
		made := time.Unix(int64(ts), 0)
		tok, err := fe.EncryptAt(plain, made, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, at, err := fe.DecryptWithTimestamp(tok, fernet.StrictBase64())
		if err != nil || !bytes.Equal(got, plain) || !at.Equal(made) {
			t.Fatalf("round trip: %q at %v, %v", got, at, err)
		}
		if flip == 0 {
			return
		}
		data, _ := base64.URLEncoding.DecodeString(tok)
		data[int(pos)%len(data)] ^= flip
		bad := base64.URLEncoding.EncodeToString(data)
		if got, err := fe.Decrypt(bad); err != fernet.ErrInvalidToken || got != nil {
			t.Fatalf("byte %d changed by %#x: Decrypt = %q, %v; want exactly ErrInvalidToken", int(pos)%len(data), flip, got, err)
		}
	})
}

// sealBlocks seals raw ciphertext made from the plaintext blocks pt (its
// length a positive multiple of 16, no padding added) under k with a valid
// MAC, computed here with crypto/aes and crypto/hmac from the format's
// definition, so that any padding, valid or not, reaches the code that
// runs after the MAC check.
func sealBlocks(k fernet.Key, pt []byte, ts uint64, iv []byte) string {
	block, err := aes.NewCipher(k[16:])
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 0, 25+len(pt)+32)
	buf = append(buf, fernet.Version)
	buf = binary.BigEndian.AppendUint64(buf, ts)
	buf = append(buf, iv...)
	ct := make([]byte, len(pt))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, pt)
	buf = append(buf, ct...)
	m := hmac.New(sha256.New, k[:16])
	m.Write(buf)
	return base64.URLEncoding.EncodeToString(m.Sum(buf))
}

// FuzzFernetSealedBlocks seals arbitrary plaintext blocks under a known
// key, with a valid MAC, as the signed-payload targets do for itsdangerous:
// the last block's padding is whatever the input says (a byte above 16,
// zero, an incomplete run). Decrypt must return exactly the plaintext
// without a valid PKCS#7 padding, or ErrInvalidToken, and never panic; and
// an arbitrary plaintext encrypted with the API decrypts to itself.
func FuzzFernetSealedBlocks(f *testing.F) {
	f.Add([]byte("0123456789abcde\x01"), []byte("hello"), byte(0))
	f.Add(bytes.Repeat([]byte{17}, 16), []byte{}, byte(1))
	f.Add(append(bytes.Repeat([]byte{'a'}, 16), bytes.Repeat([]byte{16}, 16)...), []byte("x"), byte(2))
	f.Add(bytes.Repeat([]byte{0xff}, 16), bytes.Repeat([]byte{16}, 16), byte(3))
	f.Add(bytes.Repeat([]byte{0}, 16), []byte(`{"user_id":42}`), byte(4))
	var key fernet.Key
	for i := range key {
		key[i] = byte(3*i + 1)
	}
	fe := fernetOf(f, []fernet.Key{key})
	f.Fuzz(func(t *testing.T, raw, plain []byte, ivSeed byte) {
		iv := bytes.Repeat([]byte{ivSeed}, 16)
		// Whole blocks of raw, at least one.
		raw = append(raw, make([]byte, (16-len(raw)%16)%16)...)
		if len(raw) == 0 {
			raw = make([]byte, 16)
		}
		if len(raw) > 4096 {
			raw = raw[:4096]
		}
		want, valid := pkcs7(raw)
		got, err := fe.Decrypt(sealBlocks(key, raw, 1700000000, iv))
		switch {
		case valid && (err != nil || !bytes.Equal(got, want)):
			t.Fatalf("valid padding %d: Decrypt = %q, %v; want %q", raw[len(raw)-1], got, err, want)
		case !valid && (err != fernet.ErrInvalidToken || got != nil):
			t.Fatalf("invalid padding (last byte %d): Decrypt = %q, %v; want exactly ErrInvalidToken", raw[len(raw)-1], got, err)
		}
		tok, err := fe.EncryptAt(plain, fernetFuzzNow, iv)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := fe.Decrypt(tok); err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("round trip of %q: %q, %v", plain, got, err)
		}
	})
}

// pkcs7 unpads b by the definition (RFC 5652 §6.3), written independently
// of the package: the last byte p is 1 to 16 and the last p bytes are p.
func pkcs7(b []byte) ([]byte, bool) {
	p := int(b[len(b)-1])
	if p < 1 || p > 16 || p > len(b) {
		return nil, false
	}
	for _, c := range b[len(b)-p:] {
		if int(c) != p {
			return nil, false
		}
	}
	return b[:len(b)-p], true
}

func FuzzFernetParseKey(f *testing.F) {
	f.Add("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=")
	f.Add("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4")
	f.Add("cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4=junk")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := fernet.ParseKey(s)
		if err != nil {
			if !errors.Is(err, fernet.ErrInvalidKey) || k != (fernet.Key{}) {
				t.Fatalf("ParseKey = %x, %v", k, err)
			}
			return
		}
		if back, err := fernet.ParseKey(k.String()); err != nil || back != k {
			t.Fatalf("String() %q parses to %x, %v", k.String(), back, err)
		}
	})
}

// FuzzSealedDecode reads arbitrary cookies, and arbitrary payloads sealed
// with the key, through the sealed codec.
func FuzzSealedDecode(f *testing.F) {
	c := loadFernetCorpus(f)
	for _, tok := range c.tokens {
		f.Add(tok, []byte(nil))
	}
	f.Add("", []byte(`{"a":{" t":[1,{" b":"YQ=="}]}}`))
	f.Add("", []byte(`{"a":`))
	fe := fernetOf(f, c.keys)
	sc, err := codec.NewSealed(fe, codec.WithClock(func() time.Time { return fernetFuzzNow }))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, cookie string, payload []byte) {
		sealed := payload != nil
		if sealed {
			var err error
			if cookie, err = fe.EncryptAt(payload, fernetFuzzNow, nil); err != nil {
				t.Fatal(err)
			}
		}
		var v any
		_, err := sc.Decode(cookie, &v)
		if err == nil {
			again, err := sc.Encode(v)
			if err != nil && !errors.Is(err, codec.ErrTooLarge) && !errors.Is(err, codec.ErrUnsupportedType) {
				t.Fatalf("re-encoding a decoded session: %v", err)
			}
			if err == nil {
				var w any
				if _, err := sc.Decode(again, &w); err != nil || testvec.Diff(v, w) != "" {
					t.Fatalf("round trip: %v %s", err, testvec.Diff(v, w))
				}
			}
			return
		}
		var e *itsdangerous.Error
		if !errors.As(err, &e) || !errors.Is(err, itsdangerous.ErrBadData) {
			t.Fatalf("error %v is not an *itsdangerous.Error", err)
		}
		switch {
		case errors.Is(err, itsdangerous.ErrBadSignature):
			if !errors.Is(err, fernet.ErrInvalidToken) {
				t.Fatalf("bad signature without fernet.ErrInvalidToken: %v", err)
			}
			if sealed {
				t.Fatalf("a token sealed now with the key was refused as a bad signature: %v", err)
			}
		case errors.Is(err, itsdangerous.ErrBadPayload):
		default:
			t.Fatalf("error %v is neither ErrBadSignature nor ErrBadPayload", err)
		}
	})
}
