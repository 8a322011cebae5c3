package codec

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/flaskcookie/flaskcookie/itsdangerous"
	"github.com/flaskcookie/flaskcookie/py"
)

const goldenNow = 1700000000 // the spec's frozen clock (§8)

func atClock(unix int64) Option {
	return WithClock(func() time.Time { return time.Unix(unix, 0) })
}

func mustCodec(t testing.TB, secret string, opts ...Option) *Codec {
	t.Helper()
	c, err := New([]byte(secret), append([]Option{atClock(goldenNow)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// V10 of the spec and the real test client's cookies: byte-identical.
func TestEncodeGolden(t *testing.T) {
	c := mustCodec(t, "dev-secret")
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"user id", map[string]any{"user_id": 42}, "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"},
		{"flash and permanent", map[string]any{"_flashes": []any{py.Tuple{"message", "Hello"}}, "_permanent": true},
			"eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIkhlbGxvIl19XSwiX3Blcm1hbmVudCI6dHJ1ZX0.ZVPxAA.VD8nVcas4FnmNnhw972TP5w98uw"},
		{"permanent x", map[string]any{"x": 1, "_permanent": true}, "eyJfcGVybWFuZW50Ijp0cnVlLCJ4IjoxfQ.ZVPxAA.YeKPMFnKd9_5vKBUhy3bTkKHVZU"},
		{"x", map[string]any{"x": 1}, "eyJ4IjoxfQ.ZVPxAA.m5DjK709SjWtgR0HvONZkTVPHV8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Encode(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Encode = %q\nwant     %q", got, tt.want)
			}
		})
	}
}

// V9 of the spec: every tag, compressed by Flask. Verified, compared value
// by value, and encoded again to Flask's exact cookie.
func TestDecodeEveryTag(t *testing.T) {
	const cookie = ".eJx1jssKwjAQRX9lmHXAJK2voIIrQVBcFFxokdTGGqpV2kQU6b87bcWdq3ncO-fOG5OXMxWqN0KCCuebsdXbcIo1w9S165TWkTcMRAjr2wMklwFIqUSgJIfFKmq8F1uReycYHTSNZEFc05D_yGk2JWodM7zqMvf3VriSMElmZzvpJbOGU5jKmbTLtW1xhwOZipsDDc7fL4YgDJ15Ugwu957z07HMTAF7L7k-ImmtS30_EQw10i_ove3Ang6FDML-YDj6VynkA_u-TrQ.ZVPxAA.sWkwMhye4Tr2Ycvk5rpCsfh32wg"
	c := mustCodec(t, "dev-secret")
	var got map[string]any
	signed, err := c.Decode(cookie, &got)
	if err != nil {
		t.Fatal(err)
	}
	if signed.Unix() != goldenNow {
		t.Errorf("signed at %v, want %d", signed, goldenNow)
	}
	u, _ := py.ParseUUID("12345678-1234-5678-1234-567812345678")
	want := map[string]any{
		"bytes":  []byte("\x00\xffbin"),
		"dt":     time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC),
		"list":   []any{int64(1), py.Tuple{int64(2), int64(3)}, map[string]any{"k": []byte("v")}},
		"markup": py.Markup("<b>hi</b>"),
		"nested": map[string]any{" t": "not a tuple"},
		"text":   "J\u00fcrgen \u20ac",
		"tuple":  py.Tuple{int64(1), "a"},
		"uuid":   u,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded session (-want +got):\n%s", diff)
	}
	// Re-encoding gives the JSON Flask wrote (spec §8 V9).
	j, err := TaggedJSON.AppendPayload(nil, got)
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"bytes":{" b":"AP9iaW4="},"dt":{" d":"Tue, 14 Nov 2023 22:13:20 GMT"},"list":[1,{" t":[2,3]},{"k":{" b":"dg=="}}],"markup":{" m":"<b>hi</b>"},"nested":{" di":{" t__":"not a tuple"}},"text":"J\u00fcrgen \u20ac","tuple":{" t":[1,"a"]},"uuid":{" u":"12345678123456781234567812345678"}}`
	if string(j) != wantJSON {
		t.Errorf("re-encoded JSON:\n%s\nwant\n%s", j, wantJSON)
	}
	// And the cookie is Flask's, compressed bytes included.
	if again, err := c.EncodeAt(got, signed); err != nil || again != cookie {
		t.Errorf("EncodeAt = %q, %v\nwant Flask's %q", again, err, cookie)
	}
}

// Spec §4.3, the checked examples of tagging.
func TestTagExamples(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"tag-like key", map[string]any{" t": "x"}, `{" di":{" t__":"x"}}`},
		{"di key", map[string]any{" di": 1}, `{" di":{" di__":1}}`},
		{"two keys stay", map[string]any{" t": 1, "a": 2}, `{" t":1,"a":2}`},
		{"tag key holding a tuple", map[string]any{" t": py.Tuple{1}}, `{" di":{" t__":{" t":[1]}}}`},
		{"nested tuples", py.Tuple{1, py.Tuple{2, 3}, []any{}}, `{" t":[1,{" t":[2,3]},[]]}`},
		{"bytes standard alphabet", []byte("\xfb\xff\xfe"), `{" b":"+//+"}`},
		{"empty bytes", []byte{}, `{" b":""}`},
		{"unknown one-key dict", map[string]any{" x": 1}, `{" x":1}`},
		{"naive-equivalent datetime", time.Date(2024, 1, 2, 3, 4, 5, 999999000, time.FixedZone("", 7200)), `{" d":"Tue, 02 Jan 2024 01:04:05 GMT"}`},
		{"year 5", time.Date(5, 1, 1, 0, 0, 0, 0, time.UTC), `{" d":"Sat, 01 Jan 0005 00:00:00 GMT"}`},
		{"floats", []any{math.Inf(1), math.NaN(), math.Copysign(0, -1), 1e16, 1e-7}, `[Infinity,NaN,-0.0,1e+16,1e-07]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TaggedJSON.AppendPayload(nil, tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("tagged = %s, want %s", got, tt.want)
			}
		})
	}
}

// Decoding of malformed tags follows what Flask's to_python does.
func TestUntagEdgeCases(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		want    any
		wantErr bool
	}{
		{"di multi-key takes the first key in document order", `{" di":{"zz__":1,"aa__":2}}`, map[string]any{"zz": int64(1)}, false},
		{"di drops two code points", `{" di":{"\u00e9\u00e9x":1}}`, map[string]any{"\u00e9": int64(1)}, false},
		{"di empty", `{" di":{}}`, nil, true},
		{"di of a list", `{" di":[1]}`, nil, true},
		{"tuple of a string", `{" t":"ab"}`, py.Tuple{"a", "b"}, false},
		{"tuple of a dict keeps key order", `{" t":{"b":1,"a":2}}`, py.Tuple{"b", "a"}, false},
		{"tuple of bytes", `{" t":{" b":"YWI="}}`, py.Tuple{int64(97), int64(98)}, false},
		{"tuple of a number", `{" t":1}`, nil, true},
		{"bytes needs padding", `{" b":"YWJ"}`, nil, true},
		{"bytes skips url-safe chars", `{" b":"YW-_Jj"}`, []byte("abc"), false},
		{"bytes refuses non-ascii", `{" b":"YWJj\u00e9"}`, nil, true},
		{"markup of a number", `{" m":12}`, py.Markup("12"), false},
		{"markup of a list", `{" m":[1,"a",null]}`, py.Markup("[1, 'a', None]"), false},
		{"uuid with dashes", `{" u":"12345678-1234-5678-1234-567812345678"}`, py.UUID{0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78}, false},
		{"bad uuid", `{" u":"xyz"}`, nil, true},
		{"uuid of a number", `{" u":1}`, nil, true},
		{"unparsable date is None", `{" d":"not a date"}`, nil, false},
		{"falsy date is None", `{" d":0}`, nil, false},
		{"truthy non-string date fails", `{" d":1}`, nil, true},
		{"duplicate keys: last wins", `{" t":[1]," t":[2]}`, py.Tuple{int64(2)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			err := TaggedJSON.DecodePayload([]byte(tt.json), &got, itsdangerous.Limits{MaxDepth: 100})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("decoded %s to %#v, want an error", tt.json, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Spec §4.5: max_age is the lifetime for every cookie; the boundary is
// inclusive, and a future cookie is refused.
func TestLifetime(t *testing.T) {
	c := mustCodec(t, "dev-secret")
	const cookie = "eyJ4IjoxfQ.ZVPxAA.m5DjK709SjWtgR0HvONZkTVPHV8"
	var s map[string]any
	tests := []struct {
		name string
		now  int64
		kind error
	}{
		{"fresh", goldenNow, nil},
		{"at the lifetime", goldenNow + 2678400, nil},
		{"one second past", goldenNow + 2678401, itsdangerous.ErrSignatureExpired},
		{"signed in the future", goldenNow - 1, itsdangerous.ErrSignatureExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.DecodeAt(cookie, &s, time.Unix(tt.now, 0))
			if tt.kind == nil && err != nil {
				t.Errorf("error %v, want none", err)
			}
			if tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Errorf("error %v, want %v", err, tt.kind)
			}
		})
	}
	short := mustCodec(t, "dev-secret", WithLifetime(42*time.Second))
	if _, err := short.DecodeAt(cookie, &s, time.Unix(goldenNow+43, 0)); !errors.Is(err, itsdangerous.ErrSignatureExpired) {
		t.Errorf("lifetime 42s at +43s: %v", err)
	}
}

// Flask 3.1.1 semantics: fallbacks verify and never sign (CVE-2025-47278).
func TestFallbackKeysNeverSign(t *testing.T) {
	old := mustCodec(t, "old-secret")
	oldCookie, _ := old.Encode(map[string]any{"user_id": 7})
	rotated := mustCodec(t, "new-secret", WithFallbackKeys([]byte("older-secret"), []byte("old-secret")))
	var s map[string]any
	if _, err := rotated.Decode(oldCookie, &s); err != nil || s["user_id"] != int64(7) {
		t.Fatalf("cookie by a fallback key: %v, %v", s, err)
	}
	fresh, _ := rotated.Encode(map[string]any{"user_id": 7})
	onlyNew := mustCodec(t, "new-secret")
	if _, err := onlyNew.Decode(fresh, &s); err != nil {
		t.Errorf("re-issued cookie is not signed by the secret key: %v", err)
	}
	for _, k := range []string{"old-secret", "older-secret"} {
		if _, err := mustCodec(t, k).Decode(fresh, &s); !errors.Is(err, itsdangerous.ErrBadSignature) {
			t.Errorf("fallback %q signed the cookie", k)
		}
	}
	if _, err := mustCodec(t, "other").Decode(oldCookie, &s); !errors.Is(err, itsdangerous.ErrBadSignature) {
		t.Errorf("unrelated key verified: %v", err)
	}
}

func TestEncodeTooLarge(t *testing.T) {
	c := mustCodec(t, "dev-secret")
	// Random-looking text does not compress.
	var sb strings.Builder
	x := uint32(1)
	for sb.Len() < 5000 {
		x = x*1664525 + 1013904223
		sb.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[x>>27%36])
	}
	_, err := c.Encode(map[string]any{"blob": sb.String()})
	var se *SizeError
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &se) || se.Max != MaxCookieSize {
		t.Fatalf("error %v, want a *SizeError matching ErrTooLarge", err)
	}
	unlimited := mustCodec(t, "dev-secret", WithMaxCookieSize(0))
	if _, err := unlimited.Encode(map[string]any{"blob": sb.String()}); err != nil {
		t.Errorf("size check off: %v", err)
	}
}

// TestEncodeSizeLimitBoundary encodes a cookie exactly at the limit and one
// byte over it, so that an off-by-one in the comparison cannot live.
func TestEncodeSizeLimitBoundary(t *testing.T) {
	v := map[string]any{"user_id": 42, "name": "a session of some length"}
	c, err := mustCodec(t, "dev-secret", WithMaxCookieSize(0)).Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	n := len(c)
	tests := []struct {
		name string
		max  int
		ok   bool
	}{
		{"limit is the cookie's length", n, true},
		{"limit one byte above", n + 1, true},
		{"limit one byte below", n - 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codec := mustCodec(t, "dev-secret", WithMaxCookieSize(tt.max))
			got, err := codec.Encode(v)
			// AppendEncodeAt counts only the cookie, not what dst holds.
			prefix := []byte("session=")
			appended, aerr := codec.AppendEncodeAt(prefix, v, codec.Now())
			if tt.ok {
				if err != nil || got != c {
					t.Fatalf("Encode = %q, %v; want %q", got, err, c)
				}
				if aerr != nil || string(appended) != "session="+c {
					t.Fatalf("AppendEncodeAt = %q, %v; want %q", appended, aerr, "session="+c)
				}
				return
			}
			for _, err := range []error{err, aerr} {
				var se *SizeError
				if !errors.Is(err, ErrTooLarge) || !errors.As(err, &se) || se.Size != n || se.Max != tt.max {
					t.Fatalf("Encode error %v, want a *SizeError{Size: %d, Max: %d}", err, n, tt.max)
				}
			}
			if string(appended) != "session=" {
				t.Errorf("AppendEncodeAt failed but returned %q, not dst", appended)
			}
		})
	}
}

func TestNewRefusesEmptySecret(t *testing.T) {
	tests := []struct {
		name string
		key  []byte
		opts []Option
	}{
		{"nil key", nil, nil},
		{"empty key", []byte{}, nil},
		// os.Getenv of an unset variable: anyone signs with b"" (real
		// itsdangerous does), and the fallback would verify it.
		{"empty fallback", []byte("k"), []Option{WithFallbackKeys([]byte("old"), []byte(""))}},
		{"nil fallback", []byte("k"), []Option{WithFallbackKeys(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.key, tt.opts...); !errors.Is(err, ErrNoSecret) {
				t.Errorf("error %v, want ErrNoSecret", err)
			}
		})
	}
}

type account struct {
	UserID  int64     `json:"user_id"`
	Name    string    `json:"name"`
	Roles   py.Tuple  `json:"roles"`
	Avatar  []byte    `json:"avatar"`
	Login   time.Time `json:"login"`
	Token   py.UUID   `json:"token"`
	Missing string    `json:"missing,omitempty"`
}

func TestStructRoundTrip(t *testing.T) {
	c := mustCodec(t, "dev-secret")
	u, _ := py.ParseUUID("12345678123456781234567812345678")
	in := account{UserID: 42, Name: "J\u00fcrgen", Roles: py.Tuple{"admin"}, Avatar: []byte{0, 1}, Login: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Token: u}
	cookie, err := c.Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if _, err := c.Decode(cookie, &generic); err != nil {
		t.Fatal(err)
	}
	if _, ok := generic["missing"]; ok {
		t.Error("omitempty field was written")
	}
	if generic["roles"] == nil || generic["login"] == nil {
		t.Errorf("generic form lacks fields: %v", generic)
	}
	var out account
	if _, err := c.Decode(cookie, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("(-in +out):\n%s", diff)
	}
}

func TestDecodeUnverified(t *testing.T) {
	const cookie = "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"
	var s map[string]any
	signed, err := DecodeUnverified(cookie, &s)
	if err != nil || s["user_id"] != int64(42) || signed.Unix() != goldenNow {
		t.Errorf("DecodeUnverified = %v, %v, %v", s, signed, err)
	}
	if _, err := DecodeUnverified("not a cookie!", &s); err == nil {
		t.Error("garbage decoded")
	}
}

// TestFlatSessionFastPath: a session of scalars, and of short lists and
// tuples of them such as Flask's flashes, is written without py.ValueOf,
// and must come out as the general path writes it, including random
// sessions of up to 20 keys (past flatMembers, which the general path
// writes). Values the fast path leaves to the general one are mixed in.
func TestFlatSessionFastPath(t *testing.T) {
	flashes := []any{py.Tuple{"message", "hi"}, py.Tuple{"error", "x\u00e9\""}}
	sessions := []map[string]any{
		{"user_id": 42},
		{"a": -1 << 62, "b": int64(7), "c": math.NaN(), "d": math.Inf(-1), "e": "J\u00fcrgen \xff", "f": nil, "g": true},
		{" t": 1},
		{" di": "x"},
		{" t": []any{}},
		{},
		{"_flashes": []any{}, "n": int64(2), "user": "alice"},
		{"_flashes": flashes, "_fresh": true},
		{"l": []any{1, int64(2), 2.5, nil, "s", []any{py.Tuple{}}}},
	}
	r := rand.New(rand.NewPCG(14, 3))
	keys := []string{" t", " di", "a", "b", "\u00e9", "\xed\xa0\x80", "user_id", "_fresh", "z", "aa", "ab", "", "\x7f"}
	values := []any{nil, true, false, 0, -5, int64(1) << 40, 2.5, math.NaN(), "", "x\u2028", "\xff",
		[]any{}, []any(nil), py.Tuple{}, py.Tuple{"message", "hi"}, flashes, []any{1, "a", nil, py.Tuple{2.5}},
		// Not flat: left to the general path.
		[]any{[]any{[]any{}}}, int8(3), []any{int32(1)}, py.Tuple{[]byte("b")}, map[string]any{"k": 1}}
	const flatValues = 17
	for i := 0; i < 3000; i++ {
		m := map[string]any{}
		for j, n := 0, r.IntN(21); j < n; j++ {
			k := r.IntN(len(values))
			if i%2 == 0 {
				k = r.IntN(flatValues)
			}
			m[keys[r.IntN(len(keys))]+strings.Repeat("k", r.IntN(3))] = values[k]
		}
		sessions = append(sessions, m)
	}
	flat := 0
	for _, m := range sessions {
		got, gerr := TaggedJSON.AppendPayload(nil, m)
		if isFlatSession(m) {
			flat++
		}
		g, err := py.ValueOf(m)
		if err != nil {
			t.Fatal(err)
		}
		w := tagWriter{sortKeys: true, maxDepth: maxTagDepth}
		want, werr := w.value(nil, g, 0)
		if string(got) != string(want) || (gerr == nil) != (werr == nil) {
			t.Errorf("%v: fast path %s, %v; general path %s, %v", m, got, gerr, want, werr)
		}
	}
	if flat < len(sessions)/4 {
		t.Errorf("only %d of %d sessions took the fast path", flat, len(sessions))
	}
}

// isFlatSession reports whether AppendPayload writes m on its fast path.
func isFlatSession(m map[string]any) bool {
	if len(m) > flatMembers {
		return false
	}
	for _, v := range m {
		if !flatValue(v, flatNesting) {
			return false
		}
	}
	return true
}
