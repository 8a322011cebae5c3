package audit

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/internal/pyjson"
	"github.com/flaskcookie/flaskcookie/itsdangerous"
)

// TestDissectVectors takes apart every token the real frameworks made:
// the signature has the size of the digest TokenDigest names, the
// payload reads as JSON (a set_signed_cookie value is the value itself),
// and the generators' clock, patched to 1700000000, is the signing time.
func TestDissectVectors(t *testing.T) {
	clock := time.Unix(1700000000, 0).UTC()
	timed := 0
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			p, err := Dissect(v.Format, v.Token)
			if err != nil {
				t.Fatalf("Dissect: %v", err)
			}
			if p.SignatureErr != "" || p.PayloadErr != "" || p.HeaderErr != "" {
				t.Fatalf("unreadable parts: signature %q, payload %q, header %q", p.SignatureErr, p.PayloadErr, p.HeaderErr)
			}
			alg := TokenDigest(v.Format, v.Token)
			h := DigestHash(alg)
			if h == nil {
				h = JWSHash(alg)
			}
			if h == nil || h().Size() != len(p.Signature) {
				t.Errorf("TokenDigest = %q, the signature has %d bytes", alg, len(p.Signature))
			}
			switch {
			case v.Format == DjangoCookie:
				if v.Value != nil && p.PayloadPart != *v.Value {
					t.Errorf("value %q, want %q", p.PayloadPart, *v.Value)
				}
			default:
				text := p.Payload
				if v.Format == Django || v.Format == DjangoSession {
					text = DjangoText(text)
				}
				if _, err := pyjson.Decode(text, pyjson.Options{MaxDepth: itsdangerous.DefaultMaxDepth}); err != nil {
					t.Errorf("payload %q: %v", p.Payload, err)
				}
			}
			if strings.HasPrefix(v.Name, "itsdangerous-2.0.1/") || p.TimestampErr == "missing" {
				return
			}
			if p.TimestampErr != "" || !p.SignedAt.Equal(clock) {
				t.Errorf("signed at %v (%q), want %v", p.SignedAt, p.TimestampErr, clock)
			}
			timed++
		})
	}
	if timed == 0 {
		t.Fatal("no timed vector")
	}
}

func TestDissectMalformed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		f     Format
		token string
	}{
		{"flask without a dot", Flask, "abc"},
		{"django with one colon", Django, "abc:def"},
		{"starlette with one dot", Starlette, "abc.def"},
		{"jws with one dot", JWS, "abc.def"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Dissect(tc.f, tc.token)
			var se *ShapeError
			if !errors.Is(err, ErrMalformed) || !errors.As(err, &se) || se.Format != tc.f {
				t.Errorf("Dissect(%s, %q) = %v, want a ShapeError of %s", tc.f, tc.token, err, tc.f)
			}
		})
	}
}

func TestDissectLegacyEpoch(t *testing.T) {
	// A timestamp of 0 counts from 2011-01-01 in itsdangerous < 1.0.
	p, err := DissectLegacy("e30.AA.c2ln")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Unix(int64(itsdangerous.LegacyEpoch), 0).UTC(); !p.SignedAt.Equal(want) {
		t.Errorf("signed at %v, want %v", p.SignedAt, want)
	}
}

func TestSplitToken(t *testing.T) {
	for _, tc := range []struct {
		token, payload, ts, sig string
		ok                      bool
	}{
		{"a:b:c", "a", "b", "c", true},
		{"x:y:b:c", "x:y", "b", "c", true},
		{"b:c", "", "", "", false},
		{"", "", "", "", false},
	} {
		p, ts, sig, ok := SplitToken(tc.token, ':')
		if p != tc.payload || ts != tc.ts || sig != tc.sig || ok != tc.ok {
			t.Errorf("SplitToken(%q) = %q %q %q %v, want %q %q %q %v", tc.token, p, ts, sig, ok, tc.payload, tc.ts, tc.sig, tc.ok)
		}
	}
}

func TestParseJWSAlgorithm(t *testing.T) {
	for in, want := range map[string]string{"HS256": "HS256", "sha384": "HS384", "hs512": "HS512", "sha1": "", "none": ""} {
		got, ok := ParseJWSAlgorithm(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseJWSAlgorithm(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestHashcatLine(t *testing.T) {
	byName := map[string]vector{}
	for _, v := range loadVectors(t) {
		byName[v.Name] = v
	}
	for _, tc := range []struct {
		vector string
		ok     bool // hashcat's mode 29100 takes it as it is
	}{
		{"debian12/flask/dev", true},
		{"current/flask/unicode", true},
		{"debian12/flask/compressed", false}, // the leading '.'
		{"debian12/starlette/secret", false},
		{"debian12/django/dumps/short", false},
		{"debian12/itsdangerous/untimed-default", false}, // no timestamp: not Flask's
	} {
		t.Run(tc.vector, func(t *testing.T) {
			v, found := byName[tc.vector]
			if !found {
				t.Fatalf("no vector %s", tc.vector)
			}
			line, err := HashcatLine(v.Token)
			switch {
			case tc.ok && (err != nil || line != v.Token):
				t.Errorf("HashcatLine = %q, %v; want the cookie itself", line, err)
			case !tc.ok && !errors.Is(err, ErrHashcat):
				t.Errorf("HashcatLine = %q, %v; want an error matching ErrHashcat", line, err)
			}
		})
	}
	if _, err := HashcatLine("junk"); !errors.Is(err, ErrHashcat) {
		t.Errorf("HashcatLine(junk): %v", err)
	}
}

func TestTruncation(t *testing.T) {
	const cookie = "eyJhIjoxfQ.ZVPxAA.U8kr8W2u6M0Q0tWlJrH5lJx_aGk" // 20-byte signature
	for _, tc := range []struct {
		name, token string
		cut         bool
	}{
		{"whole", cookie, false},
		{"signature cut", cookie[:len(cookie)-6], true},
		{"signature cut where no base64 ends", cookie[:len(cookie)-1-4*3], true},
		{"compressed, cut after the payload", ".eJyrVkpUsjKs5QIAEN4C4g", true},
		{"a 16-byte signature is MD5's, not a cut", "eyJhIjoxfQ.ZVPxAA.AAAAAAAAAAAAAAAAAAAAAA", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if why := Truncation(tc.token, 20); (why != "") != tc.cut {
				t.Errorf("Truncation(%q) = %q; cut %v", tc.token, why, tc.cut)
			}
		})
	}
}

// FuzzDissect takes arbitrary text apart as every format: nothing panics,
// the parts are the token's own text, and the other readers of a token's
// text (PayloadText, TokenDigest, HashcatLine, Truncation) hold too.
func FuzzDissect(f *testing.F) {
	for _, s := range []string{
		"eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.hjhtQRGPO7UK57j5dSOtrXVGqbs",
		".eJyrVkpUsjKs5QIAEN4C4g.ZVPxAA.AAAA",
		"alice:1r31eq:2mBpfh4mVbfwikVuefSW0aAxr7D2vrY7bfVefdPCPdE",
		".eJyrVkpUsjKs5QIAEN4C4g:1r31eq:abc",
		"eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyX2lkIjo0Mn0.sig",
		"eyJhbGciOiJub25lIn0.eyJhIjoxfQ.",
		"e30=.ZVPxAA.sig", "a:b", "...", "::", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		if len(token) > 1<<16 {
			return
		}
		for _, fm := range Formats {
			p, err := Dissect(fm, token)
			if err == nil && !strings.HasSuffix(token, p.SignaturePart) {
				t.Fatalf("%s: signature %q is not the end of %q", fm, p.SignaturePart, token)
			}
			if err == nil && !strings.Contains(token, p.PayloadPart) {
				t.Fatalf("%s: payload %q is not in %q", fm, p.PayloadPart, token)
			}
			PayloadText(fm, token)
			TokenDigest(fm, token)
		}
		if _, err := DissectLegacy(token); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("DissectLegacy: %v", err)
		}
		if line, err := HashcatLine(token); err == nil && line != token {
			t.Fatalf("HashcatLine changed the token: %q", line)
		}
		Truncation(token, 20)
	})
}
