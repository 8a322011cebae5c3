package testvec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/flaskcookie/flaskcookie/py"
)

func TestLoadCommittedFiles(t *testing.T) {
	prov, ids := LoadItsDangerous(t, Path(t, ItsDangerousFile))
	if len(ids) == 0 {
		t.Fatal("zero itsdangerous vectors")
	}
	if prov.ItsDangerous != "2.1.2" {
		t.Errorf("itsdangerous provenance %q, want 2.1.2", prov.ItsDangerous)
	}
	fprov, fl := LoadFlask(t, Path(t, FlaskFile))
	if len(fl) == 0 {
		t.Fatal("zero flask vectors")
	}
	if fprov.Flask != "2.2.2" || fprov.Fallbacks == "" {
		t.Errorf("flask provenance %+v, want flask 2.2.2 and a fallbacks note", fprov)
	}
	t.Logf("%d itsdangerous vectors, %d flask vectors", len(ids), len(fl))

	// Coverage the generators promise: every class and op, every error.
	seen := map[string]bool{}
	for _, v := range ids {
		seen[v.Class+"/"+v.Op] = true
		seen["error:"+v.Error] = true
		seen["kd:"+v.KeyDerivation] = true
		seen["digest:"+v.Digest] = true
		if v.FallbackSigners != nil {
			seen["fallbacks"] = true
		}
		if v.Compressed {
			seen["compressed"] = true
		}
	}
	for _, v := range fl {
		seen["flask:"+v.Op] = true
		seen["flask-error:"+v.Error] = true
	}
	for class := range classes {
		for _, op := range []string{"sign", "verify"} {
			if !seen[class+"/"+op] {
				t.Errorf("no %s %s vector", class, op)
			}
		}
	}
	for _, k := range []string{"error:", "error:BadSignature", "error:BadTimeSignature", "error:SignatureExpired",
		"error:BadPayload", "kd:concat", "kd:django-concat", "kd:hmac", "kd:none", "digest:md5", "digest:sha224",
		"digest:sha384", "digest:sha512", "fallbacks", "compressed", "flask:encode", "flask:decode",
		"flask-error:BadSignature", "flask-error:BadTimeSignature", "flask-error:SignatureExpired", "flask-error:BadPayload"} {
		if !seen[k] {
			t.Errorf("no vector with %s", k)
		}
	}
}

func find[V any](t *testing.T, vs []V, name string, get func(V) string) V {
	t.Helper()
	for _, v := range vs {
		if get(v) == name {
			return v
		}
	}
	t.Fatalf("no vector named %q", name)
	var zero V
	return zero
}

// TestKnownVectors checks that the loader decodes fields correctly, against
// values stated in the spec (wire-formats.md §7.1, §8) and in the
// generators' source.
func TestKnownVectors(t *testing.T) {
	_, ids := LoadItsDangerous(t, Path(t, ItsDangerousFile))
	_, fl := LoadFlask(t, Path(t, FlaskFile))
	idName := func(v ItsDangerousVector) string { return v.Name }
	flName := func(v FlaskVector) string { return v.Name }

	t.Run("V1 signer", func(t *testing.T) {
		v := find(t, ids, "signer/v1-default", idName)
		if string(v.Token) != "my string.wh6tMHxLgJqB6oY1uT73iMlyrOA" || string(v.SignerValue) != "my string" {
			t.Errorf("token %q value %q", v.Token, v.SignerValue)
		}
		if len(v.Keys) != 1 || string(v.Keys[0]) != "secret-key" || v.Salt != nil || v.Sep != nil || v.Now != 1700000000 {
			t.Errorf("config %+v", v)
		}
	})
	t.Run("V6 timestamp signer", func(t *testing.T) {
		v := find(t, ids, "timestampsigner/v6", idName)
		if string(v.Token) != "value.ZVPxAA.P9Grfsn5n1eHqbiYrPP0fn7INiw" || v.DateSigned == nil || *v.DateSigned != 1700000000 {
			t.Errorf("token %q date_signed %v", v.Token, v.DateSigned)
		}
	})
	t.Run("7.1 frozen URL-safe compressed", func(t *testing.T) {
		v := find(t, ids, "urlsafeserializer/frozen-a1000", idName)
		if string(v.Token) != ".eJxTShwFo2AUDHugBAD6Fns8.NYEsGZpsS7Gu_E4ck8v7NEZ78HQ" || !v.Compressed {
			t.Errorf("token %q compressed %v", v.Token, v.Compressed)
		}
		got, err := v.SerializerValue.Value()
		if err != nil || got != strings.Repeat("a", 1000) {
			t.Errorf("value %v, %v", got, err)
		}
	})
	t.Run("V7 dict order", func(t *testing.T) {
		v := find(t, ids, "urlsafetimedserializer/v7", idName)
		got, err := v.SerializerValue.Ordered()
		if err != nil {
			t.Fatal(err)
		}
		want := py.Dict{{Key: "id", Value: int64(42)}, {Key: "name", Value: "J\u00fcrgen"},
			{Key: "l", Value: []any{int64(1), 2.5, nil, true}}}
		if d := Diff(want, got); d != "" {
			t.Error(d)
		}
		if string(*v.Salt) != "activate" {
			t.Errorf("salt %q", *v.Salt)
		}
	})
	t.Run("non-UTF-8 key in hex form", func(t *testing.T) {
		v := find(t, ids, "signer/nonutf8-key-value", idName)
		if string(v.Keys[0]) != "\xff\x00key\x80" || string(*v.Salt) != "\xfe salt" || string(v.SignerValue) != "\x80\xff\x00value\xc3" {
			t.Errorf("key %q salt %q value %q", v.Keys[0], *v.Salt, v.SignerValue)
		}
	})
	t.Run("expired verify", func(t *testing.T) {
		v := find(t, ids, "timestampsigner/max-age-10/age-11", idName)
		if v.Error != "SignatureExpired" || v.Message != "Signature age 11 > 10 seconds" || *v.MaxAge != 10 || *v.DateSigned != 1700000000 {
			t.Errorf("%+v", v)
		}
		if v.SignerValue != nil || !v.SerializerValue.IsNull() {
			t.Errorf("a failed verify has a value")
		}
	})
	t.Run("fallback signers", func(t *testing.T) {
		v := find(t, ids, "urlsafeserializer/fallback/colon-main-fallback-with-sep", idName)
		if len(v.FallbackSigners) != 1 || v.FallbackSigners[0].Digest != "sha256" || string(*v.FallbackSigners[0].Sep) != ":" ||
			v.FallbackSigners[0].KeyDerivation != "" || string(*v.Sep) != ":" {
			t.Errorf("%+v", v.FallbackSigners)
		}
	})
	t.Run("V10 flask", func(t *testing.T) {
		v := find(t, fl, "v10-flashes-permanent", flName)
		if v.Cookie != "eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIkhlbGxvIl19XSwiX3Blcm1hbmVudCI6dHJ1ZX0.ZVPxAA.VD8nVcas4FnmNnhw972TP5w98uw" ||
			v.JSON == nil || *v.JSON != `{"_flashes":[{" t":["message","Hello"]}],"_permanent":true}` {
			t.Errorf("cookie %q json %v", v.Cookie, v.JSON)
		}
		got, err := v.Value.Value()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"_flashes": []any{py.Tuple{"message", "Hello"}}, "_permanent": true}
		if d := Diff(want, got); d != "" {
			t.Error(d)
		}
	})
	t.Run("V9 flask decoded drops microseconds", func(t *testing.T) {
		v := find(t, fl, "v9-every-tag", flName)
		if !v.Compressed || !strings.HasSuffix(v.Cookie, ".ZVPxAA.sWkwMhye4Tr2Ycvk5rpCsfh32wg") {
			t.Errorf("cookie %q", v.Cookie)
		}
		in, err := v.Value.Value()
		if err != nil {
			t.Fatal(err)
		}
		out, err := v.Decoded.Value()
		if err != nil {
			t.Fatal(err)
		}
		inDT := in.(map[string]any)["dt"].(time.Time)
		outDT := out.(map[string]any)["dt"].(time.Time)
		if inDT.Nanosecond() != 123456000 || !outDT.Equal(time.Unix(1700000000, 0)) {
			t.Errorf("dt in %v out %v", inDT, outDT)
		}
	})
	t.Run("flask fallbacks", func(t *testing.T) {
		v := find(t, fl, "rotation/old-via-second-fallback", flName)
		if string(v.Secret) != "new-secret" || len(v.Fallbacks) != 2 || string(v.Fallbacks[1]) != "old-secret" || v.Error != "" {
			t.Errorf("%+v", v)
		}
		if v := find(t, fl, "v10-x", flName); v.Fallbacks != nil {
			t.Errorf("fallbacks %v, want nil", v.Fallbacks)
		}
	})
	t.Run("flask bad tag value", func(t *testing.T) {
		v := find(t, fl, "payload/bad-bytes-padding", flName)
		if v.Error != "BadPayload" || !v.Value.IsNull() {
			t.Errorf("%+v", v)
		}
	})
}

// normalizeTV rewrites typed-value JSON into a comparable form: generic
// JSON values, with every datetime offset set to 0, since a Go time.Time
// is a UTC instant and EncodeTV writes offset 0 for it.
func normalizeTV(t *testing.T, raw []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%v in %.80s", err, raw)
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if x["t"] == "datetime" {
				x["offset"] = json.Number("0")
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	return v
}

// TestEncodeTVRoundTrip converts every typed value that Python wrote into
// the committed files to Go and back, and compares with Python's JSON (so
// the expected side never comes from our encoder): exact float reprs,
// decimal ints, WTF-8 strings, dict order.
func TestEncodeTVRoundTrip(t *testing.T) {
	_, ids := LoadItsDangerous(t, Path(t, ItsDangerousFile))
	_, fl := LoadFlask(t, Path(t, FlaskFile))
	var tvs []struct {
		name string
		tv   TV
	}
	add := func(name string, tv TV) {
		if !tv.IsNull() {
			tvs = append(tvs, struct {
				name string
				tv   TV
			}{name, tv})
		}
	}
	for _, v := range ids {
		add(v.Name, v.SerializerValue)
	}
	for _, v := range fl {
		add(v.Name+"/value", v.Value)
		add(v.Name+"/decoded", v.Decoded)
	}
	if len(tvs) < 500 {
		t.Fatalf("only %d typed values in the committed files", len(tvs))
	}
	for _, x := range tvs {
		got, err := x.tv.Ordered()
		if err != nil {
			t.Errorf("%s: %v", x.name, err)
			continue
		}
		enc, err := EncodeTV(got)
		if err != nil {
			t.Errorf("%s: EncodeTV: %v", x.name, err)
			continue
		}
		if w, g := normalizeTV(t, x.tv), normalizeTV(t, enc); !reflect.DeepEqual(w, g) {
			t.Errorf("%s: round trip differs\npython: %.300s\ngo:     %.300s", x.name, x.tv, enc)
		}
	}
}

// fakeTB records a Fatal instead of failing the real test.
type fakeTB struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatal(args ...any) {
	f.failed, f.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// runFake runs fn in its own goroutine (so Fatal's Goexit ends only fn).
func runFake(t *testing.T, fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func TestLoaderFailures(t *testing.T) {
	const prov = `{"python":"3.11.2","itsdangerous":"2.1.2","flask":"2.2.2","command":"x","zlib":"1","clock":"c"}`
	const okID = `{"name":"a","class":"Signer","keys":["k"],"salt":null,"sep":null,"key_derivation":null,"digest":null,"algorithm":null,"fallback_signers":null,"op":"sign","now":1,"call_salt":null,"max_age":null,"value":"v","token":"v.x","compressed":false,"error":null,"message":null,"date_signed":null}`
	const okFlask = `{"name":"a","secret":"s","fallbacks":null,"now":1,"op":"encode","value":{"t":"dict","v":[]},"decoded":{"t":"dict","v":[]},"json":"{}","cookie":"e30.AA.x","compressed":false,"max_age":null,"error":null,"message":null}`
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	file := func(vectors ...string) string {
		return `{"provenance":` + prov + `,"vectors":[` + strings.Join(vectors, ",") + `]}`
	}

	t.Run("sanity: minimal valid files load", func(t *testing.T) {
		if f := runFake(t, func(tb testing.TB) { LoadItsDangerous(tb, write("ok-id.json", file(okID))) }); f.failed {
			t.Errorf("itsdangerous: %s", f.msg)
		}
		if f := runFake(t, func(tb testing.TB) { LoadFlask(tb, write("ok-fl.json", file(okFlask))) }); f.failed {
			t.Errorf("flask: %s", f.msg)
		}
	})

	idCases := []struct {
		name, content string
	}{
		{"zero vectors fail: a stale file must not pass silently", file()},
		{"vectors null", `{"provenance":` + prov + `,"vectors":null}`},
		{"not JSON", `{`},
		{"unknown top-level field", `{"provenance":` + prov + `,"vectors":[` + okID + `],"x":1}`},
		{"unknown vector field", file(strings.Replace(okID, `"name":"a"`, `"name":"a","extra":1`, 1))},
		{"duplicate name", file(okID, okID)},
		{"unknown class", file(strings.Replace(okID, `"Signer"`, `"Nope"`, 1))},
		{"unknown op", file(strings.Replace(okID, `"op":"sign"`, `"op":"dumps"`, 1))},
		{"unknown digest", file(strings.Replace(okID, `"digest":null`, `"digest":"sha3"`, 1))},
		{"unknown error class", file(strings.Replace(okID, `"error":null,"message":null`, `"error":"Oops","message":"m"`, 1))},
		{"error without message", file(strings.NewReplacer(`"op":"sign"`, `"op":"verify"`, `"value":"v"`, `"value":null`, `"error":null`, `"error":"BadSignature"`).Replace(okID))},
		{"sign vector with an error", file(strings.NewReplacer(`"value":"v"`, `"value":null`, `"error":null,"message":null`, `"error":"BadSignature","message":"m"`).Replace(okID))},
		{"ok vector without value", file(strings.Replace(okID, `"value":"v"`, `"value":null`, 1))},
		{"signer value is a tv", file(strings.Replace(okID, `"value":"v"`, `"value":{"t":"str","v":"v"}`, 1))},
		{"serializer value is a bad tv", file(strings.NewReplacer(`"class":"Signer"`, `"class":"Serializer"`, `"value":"v"`, `"value":{"t":"int","v":"x"}`).Replace(okID))},
		{"token null", file(strings.Replace(okID, `"token":"v.x"`, `"token":null`, 1))},
		{"key in bad hex", file(strings.Replace(okID, `"keys":["k"]`, `"keys":[{"hex":"zz"}]`, 1))},
		{"no keys", file(strings.Replace(okID, `"keys":["k"]`, `"keys":[]`, 1))},
		{"max_age on sign", file(strings.Replace(okID, `"max_age":null`, `"max_age":5`, 1))},
		{"fallbacks on a signer", file(strings.Replace(okID, `"fallback_signers":null`, `"fallback_signers":[]`, 1))},
		{"compressed on a plain signer", file(strings.Replace(okID, `"compressed":false`, `"compressed":true`, 1))},
		{"provenance missing", `{"vectors":[` + okID + `]}`},
	}
	for _, tt := range idCases {
		t.Run("itsdangerous/"+tt.name, func(t *testing.T) {
			p := write("id.json", tt.content)
			f := runFake(t, func(tb testing.TB) { LoadItsDangerous(tb, p) })
			if !f.failed {
				t.Errorf("LoadItsDangerous accepted %.200s", tt.content)
			}
		})
	}
	t.Run("itsdangerous/missing file", func(t *testing.T) {
		f := runFake(t, func(tb testing.TB) { LoadItsDangerous(tb, filepath.Join(dir, "absent.json")) })
		if !f.failed {
			t.Error("LoadItsDangerous accepted a missing file")
		}
	})

	flCases := []struct {
		name, content string
	}{
		{"zero vectors", file()},
		{"missing flask provenance", `{"provenance":{"python":"3","itsdangerous":"2","command":"x"},"vectors":[` + okFlask + `]}`},
		{"unknown op", file(strings.Replace(okFlask, `"op":"encode"`, `"op":"dumps"`, 1))},
		{"encode with max_age", file(strings.Replace(okFlask, `"max_age":null`, `"max_age":1`, 1))},
		{"value is not a dict", file(strings.Replace(okFlask, `"value":{"t":"dict","v":[]}`, `"value":{"t":"list","v":[]}`, 1))},
		{"bad decoded tv", file(strings.Replace(okFlask, `"decoded":{"t":"dict","v":[]}`, `"decoded":{"t":"dict"}`, 1))},
		{"failed decode with a value", file(strings.NewReplacer(`"op":"encode"`, `"op":"decode"`, `"error":null,"message":null`, `"error":"BadSignature","message":"m"`).Replace(okFlask))},
		{"unknown error class", file(strings.NewReplacer(`"op":"encode"`, `"op":"decode"`, `"value":{"t":"dict","v":[]},"decoded":{"t":"dict","v":[]}`, `"value":null,"decoded":null`, `"error":null,"message":null`, `"error":"BadData","message":"m"`).Replace(okFlask))},
		{"secret null", file(strings.Replace(okFlask, `"secret":"s"`, `"secret":null`, 1))},
	}
	for _, tt := range flCases {
		t.Run("flask/"+tt.name, func(t *testing.T) {
			p := write("fl.json", tt.content)
			f := runFake(t, func(tb testing.TB) { LoadFlask(tb, p) })
			if !f.failed {
				t.Errorf("LoadFlask accepted %.200s", tt.content)
			}
		})
	}
	t.Run("flask/missing file", func(t *testing.T) {
		f := runFake(t, func(tb testing.TB) { LoadFlask(tb, filepath.Join(dir, "absent.json")) })
		if !f.failed {
			t.Error("LoadFlask accepted a missing file")
		}
	})
}

func TestLoadVectors(t *testing.T) {
	type vec struct {
		Name string `json:"name"`
	}
	dir := t.TempDir()
	write := func(content string) string {
		p := filepath.Join(dir, "vectors.json")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const ok = `{"provenance":{"starlette":"0.26.1","python":"3.11.2"},"vectors":[{"name":"a","extra":1},{"name":"b"}]}`

	t.Run("sanity: a valid file loads, unnamed fields ignored", func(t *testing.T) {
		var vs []vec
		var prov map[string]any
		p := write(ok)
		if f := runFake(t, func(tb testing.TB) { prov = LoadVectors(tb, p, "starlette", "0.26.1", &vs) }); f.failed {
			t.Fatal(f.msg)
		}
		if len(vs) != 2 || vs[0].Name != "a" || vs[1].Name != "b" || prov["python"] != "3.11.2" {
			t.Errorf("vectors %v, provenance %v", vs, prov)
		}
		if f := runFake(t, func(tb testing.TB) { LoadVectors(tb, p, "starlette", "", &vs) }); f.failed {
			t.Errorf("any version: %s", f.msg)
		}
	})

	tests := []struct {
		name, content, pkg, version string
	}{
		{"zero vectors: a stale file must not pass silently", `{"provenance":{"starlette":"0.26.1"},"vectors":[]}`, "starlette", ""},
		{"vectors null", `{"provenance":{"starlette":"0.26.1"},"vectors":null}`, "starlette", ""},
		{"vectors missing", `{"provenance":{"starlette":"0.26.1"}}`, "starlette", ""},
		{"not JSON", `{`, "starlette", ""},
		{"vectors of the wrong shape", `{"provenance":{"starlette":"0.26.1"},"vectors":[1]}`, "starlette", ""},
		{"provenance missing", `{"vectors":[{"name":"a"}]}`, "starlette", ""},
		{"provenance names another package", ok, "django", ""},
		{"provenance names another version", ok, "starlette", "0.27.0"},
		{"package version null", `{"provenance":{"starlette":null},"vectors":[{"name":"a"}]}`, "starlette", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(tt.content)
			var vs []vec
			f := runFake(t, func(tb testing.TB) { LoadVectors(tb, p, tt.pkg, tt.version, &vs) })
			if !f.failed {
				t.Errorf("LoadVectors accepted %s for %s %s", tt.content, tt.pkg, tt.version)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		var vs []vec
		f := runFake(t, func(tb testing.TB) { LoadVectors(tb, filepath.Join(dir, "absent.json"), "starlette", "", &vs) })
		if !f.failed {
			t.Error("LoadVectors accepted a missing file")
		}
	})
}
