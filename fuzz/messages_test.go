package fuzz_test

import (
	"encoding/base64"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/flaskcookie/flaskcookie/codec"
	"github.com/flaskcookie/flaskcookie/django"
	"github.com/flaskcookie/flaskcookie/fernet"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/jws"
	"github.com/flaskcookie/flaskcookie/py"
	"github.com/flaskcookie/flaskcookie/starlette"
)

// Error messages of the library packages may quote a token's bytes; apps
// log them. None may carry a character that acts on a terminal or a log:
// controls (C0, DEL, C1), line and paragraph separators, format characters
// (bidirectional overrides and isolates among them), or bytes that are not
// UTF-8. This is defined here independently of internal/safetext.

// unsafeIn returns the first unsafe character of msg as text, or "".
func unsafeIn(msg string) string {
	for i, r := range msg {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(msg[i:]); size == 1 {
				return "a byte that is not UTF-8"
			}
		}
		if r < 0x20 || r >= 0x7f && r <= 0x9f || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co, unicode.Cs) {
			return "U+" + string("0123456789ABCDEF"[r>>12&15]) + string("0123456789ABCDEF"[r>>8&15]) + string("0123456789ABCDEF"[r>>4&15]) + string("0123456789ABCDEF"[r&15])
		}
	}
	return ""
}

// messageChecker loads one input with every library package, through
// valid signatures too, and reports any error message that holds an unsafe
// character.
type messageChecker struct {
	ser       *itsdangerous.TimedSerializer
	signer    *itsdangerous.Signer
	codec     *codec.Codec
	sealed    *codec.SealedCodec
	fe        *fernet.Fernet
	djSer     *django.Serializer
	djSigner  *django.Signer
	djSession *django.SessionCodec
	star      *starlette.Codec
	starTS    *itsdangerous.TimestampSigner
	jwsHS     *jws.Serializer
	jwsNone   *jws.TimedSerializer
}

func newMessageChecker(tb testing.TB) *messageChecker {
	tb.Helper()
	key := []byte("message-key")
	clock := func() time.Time { return time.Unix(1700000000, 0) }
	m := &messageChecker{}
	var err error
	must := func(e error) {
		if e != nil {
			tb.Fatal(e)
		}
	}
	m.ser, err = itsdangerous.NewURLSafeTimedSerializer(key, itsdangerous.WithClock(clock))
	must(err)
	m.signer, err = itsdangerous.NewSigner(key)
	must(err)
	m.codec, err = codec.New(key, codec.WithClock(clock))
	must(err)
	var fk fernet.Key
	copy(fk[:], "0123456789abcdef0123456789abcdef")
	m.fe, err = fernet.New(fk)
	must(err)
	m.sealed, err = codec.NewSealed(m.fe, codec.WithClock(clock))
	must(err)
	m.djSer, err = django.NewSerializer(key, django.WithClock(clock))
	must(err)
	m.djSigner, err = django.NewSigner(key, django.WithSalt(django.DefaultSalt))
	must(err)
	m.djSession, err = django.NewSessionCodec(key, django.WithClock(clock))
	must(err)
	m.star, err = starlette.New(key, starlette.WithClock(clock))
	must(err)
	m.starTS, err = itsdangerous.NewTimestampSigner(key, itsdangerous.WithClock(clock))
	must(err)
	m.jwsHS, err = jws.New(key)
	must(err)
	m.jwsNone, err = jws.NewTimed(key, jws.WithUnsafeNoneAlgorithm(), jws.WithClock(clock))
	must(err)
	return m
}

func (m *messageChecker) check(t *testing.T, in string) {
	t.Helper()
	b64 := base64.RawURLEncoding.EncodeToString([]byte(in))
	var v any
	report := func(what string, err error) {
		t.Helper()
		if err == nil {
			return
		}
		if u := unsafeIn(err.Error()); u != "" {
			t.Errorf("%s: the error message holds %s: %q", what, u, err.Error())
		}
	}
	_, err := m.ser.Loads(in, &v)
	report("itsdangerous Loads", err)
	_, err = m.signer.Unsign([]byte(in))
	report("itsdangerous Unsign", err)
	_, err = m.codec.Decode(in, &v)
	report("codec Decode", err)
	_, err = m.codec.Decode(string(m.signer.Sign([]byte(in))), &v)
	report("codec Decode of a signed input", err)
	_, err = codec.DecodeUnverified(in, &v)
	report("codec DecodeUnverified", err)
	_, err = codec.DecodeUnverified(b64+".ZVPxAA.x", &v)
	report("codec DecodeUnverified of a base64 input", err)
	_, err = m.sealed.Decode(in, &v)
	report("codec sealed Decode", err)
	if tok, err := m.fe.EncryptAt([]byte(in), time.Unix(1700000000, 0), nil); err == nil {
		_, err = m.sealed.Decode(tok, &v)
		report("codec sealed Decode of a sealed input", err)
	}
	_, err = m.fe.Decrypt(in)
	report("fernet Decrypt", err)
	_, err = m.djSer.Loads(in, &v)
	report("django Loads", err)
	_, err = m.djSer.Loads(m.djSigner.Sign(in+":1r31eq"), &v)
	report("django Loads of a signed input", err)
	_, err = m.djSigner.Unsign(in)
	report("django Unsign", err)
	_, err = m.djSession.Decode(in, &v)
	report("django session Decode", err)
	_, err = m.star.Decode(in, &v)
	report("starlette Decode", err)
	_, err = m.star.Decode(string(m.starTS.Sign([]byte(in))), &v)
	report("starlette Decode of a signed input", err)
	_, err = m.jwsHS.Loads(in, &v)
	report("jws Loads", err)
	_, err = m.jwsNone.Loads(b64+"."+b64+".", &v)
	report("jws Loads of an unsigned input", err)
	_, err = m.jwsNone.Loads(base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","exp":`+in+`}`))+".InYi.", &v)
	report("jws Loads of an unsigned exp", err)
	_, err = py.ParseLiteral(in)
	report("py ParseLiteral", err)
	var s struct {
		A int `json:"a"`
	}
	if lit, err := py.ParseLiteral(`{'` + in + `': 1, 'a': 'x'}`); err == nil {
		report("py Assign", py.Assign(&s, lit))
	}
}

// nastyInputs hold what a forger puts in a token to act on a terminal or a
// log: escape sequences, a C1 CSI, a right-to-left override, a newline that
// fakes a log line, bytes that are not UTF-8.
var nastyInputs = []string{
	"value:\x1b[2J\x1b]0;pwned\x07",
	"value:sig\nlevel=ERROR msg=\"forged\"",
	"value.sig\u202etxt.exe",
	"value:sig\u009b2J\u2066\u2028",
	"a.b.c\xff\xfe\x00",
	"eyJhIjoxfQ.\x1b[31m.\u202e",
	"{\"a\": \"\x1b\"}:1r31eq:\u202e",
	".\x1b\x00\xff.ZVPxAA.\u202e",
	"'\x1b[2J' \u202e",
}

// TestErrorMessagesEscaped is the regression test of issue 12, point 4:
// Django's "Signature \"...\" does not match" carried the raw signature.
func TestErrorMessagesEscaped(t *testing.T) {
	m := newMessageChecker(t)
	for _, in := range nastyInputs {
		t.Run("", func(t *testing.T) { m.check(t, in) })
	}
}

// FuzzErrorMessages checks the same for arbitrary inputs.
func FuzzErrorMessages(f *testing.F) {
	for _, in := range nastyInputs {
		f.Add(in)
	}
	m := newMessageChecker(f)
	f.Fuzz(func(t *testing.T, in string) { m.check(t, in) })
}
