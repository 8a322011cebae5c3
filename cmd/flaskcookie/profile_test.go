package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
)

// The tests in this file use the spec's examples and vectors defined in
// profile_vectors_test.go.

// Spec examples, round trips, failures ------------------------------------

func TestProfileDecode(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "starlette python", args: []string{"--profile", "starlette", "--secret", "starlette-secret", "--format", "python", v11Starlette},
			want: "{'user_id': 42, 'name': 'Jürgen', 'roles': ['a', 'b']}\n"},
		{name: "starlette tagged is json.dumps", args: []string{"--profile", "starlette", "--secret", "starlette-secret", "--format", "tagged", v11Starlette},
			want: v11JSON + "\n"},
		// The JSON view keeps Starlette's key order.
		{name: "starlette json", args: []string{"--profile", "starlette", "--secret", "starlette-secret", "session=" + v11Starlette},
			want: "{\n  \"user_id\": 42,\n  \"name\": \"Jürgen\",\n  \"roles\": [\"a\", \"b\"]\n}\n"},
		{name: "starlette max-age", args: []string{"--profile", "starlette", "--secret", "starlette-secret", "--max-age", "1209600", "--now", "1701209600", "--format", "python", v11Starlette},
			want: "{'user_id': 42, 'name': 'Jürgen', 'roles': ['a', 'b']}\n"},
		{name: "django session", args: []string{"--profile", "django-session", "--secret", "django-secret", "--format", "python", v14Session}, want: "{'user_id': 42}\n"},
		{name: "django session cookie header", args: []string{"--profile", "django-session", "--secret", "django-secret", "--format", "python", "Cookie: csrftoken=x; sessionid=" + v14Session}, want: "{'user_id': 42}\n"},
		{name: "django dumps", args: []string{"--profile", "django", "--secret", "django-secret", "--format", "python", v14Dumps}, want: "{'a': 1, 'b': 'ü'}\n"},
		{name: "django tagged is compact", args: []string{"--profile", "django", "--secret", "django-secret", "--format", "tagged", v14Dumps}, want: `{"a":1,"b":"\u00fc"}` + "\n"},
		// Django accepts a token signed in the future.
		{name: "django future", args: []string{"--profile", "django-session", "--secret", "django-secret", "--max-age", "10", "--now", "1600000000", "--format", "python", v14Session}, want: "{'user_id': 42}\n"},
		{name: "jws", args: []string{"--profile", "jws", "--secret", jwsSecret, "--format", "python", jwsDefault}, want: "{'user_id': 42}\n"},
		// Without --digest, the header's algorithm.
		{name: "jws hs256 from header", args: []string{"--profile", "jws", "--secret", jwsSecret, "--format", "tagged", jwsHS256Kid}, want: `{"a":1}` + "\n"},
		{name: "jws salt", args: []string{"--profile", "jws", "--secret", jwsSecret, "--salt", "my-salt", "--format", "python", jwsSalted}, want: "{'a': 1}\n"},
		// exp == now is still valid.
		{name: "jws timed at exp", args: []string{"--profile", "jws-timed", "--secret", jwsSecret, "--now", "1700003600", "--format", "python", jwsTimed}, want: "{'user_id': 42}\n"},
		// The untimed serializer ignores "exp".
		{name: "jws untimed ignores exp", args: []string{"--profile", "jws", "--secret", jwsSecret, "--now", "1800000000", "--format", "python", jwsTimed}, want: "{'user_id': 42}\n"},
		{name: "jws none unverified", args: []string{"--profile", "jws", "--format", "python", jwsNone}, want: "{'a': 1}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", append([]string{"decode"}, tt.args...)...)
			wantOK(t, r)
			if r.stdout != tt.want {
				t.Errorf("stdout = %q, want %q", r.stdout, tt.want)
			}
		})
	}
}

func TestProfileDecodeFailures(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{name: "starlette wrong secret", args: []string{"--profile", "starlette", "--secret", "nope", v11Starlette}, want: []string{"signature does not match"}},
		// 14 days and 1 second.
		{name: "starlette expired", args: []string{"--profile", "starlette", "--secret", "starlette-secret", "--max-age", "1209600", "--now", "1701209601", v11Starlette}, want: []string{"expired"}},
		{name: "starlette future", args: []string{"--profile", "starlette", "--secret", "starlette-secret", "--max-age", "1209600", "--now", "1699999999", v11Starlette}, want: []string{"future"}},
		{name: "starlette no dots", args: []string{"--profile", "starlette", "abc"}, want: []string{"malformed", "PAYLOAD.TIMESTAMP.SIGNATURE"}},
		{name: "django wrong secret", args: []string{"--profile", "django-session", "--secret", "nope", v14Session}, want: []string{"signature does not match"}},
		// A session cookie is not a signing.dumps token: the salt differs.
		{name: "django wrong salt", args: []string{"--profile", "django", "--secret", "django-secret", v14Session}, want: []string{"signature does not match", "--profile django-session"}},
		{name: "django session given a dumps token", args: []string{"--profile", "django-session", "--secret", "django-secret", v14Dumps}, want: []string{"signature does not match", "--profile django"}},
		{name: "django expired", args: []string{"--profile", "django-session", "--secret", "django-secret", "--max-age", "1209600", "--now", "1701209601", v14Session}, want: []string{"expired"}},
		{name: "django expired unverified", args: []string{"--profile", "django-session", "--max-age", "10", "--now", "1700000011", v14Session}, want: []string{"expired"}},
		{name: "django no colons", args: []string{"--profile", "django", "--secret", "k", "abc"}, want: []string{"malformed", "PAYLOAD:TIMESTAMP:SIGNATURE"}},
		{name: "jws wrong secret", args: []string{"--profile", "jws", "--secret", "nope", jwsDefault}, want: []string{"signature does not match"}},
		// Python checks the signature first: BadSignature, with a hint.
		{name: "jws pinned algorithm", args: []string{"--profile", "jws", "--secret", jwsSecret, "--digest", "HS512", jwsHS256Kid}, want: []string{"signature does not match", "--digest HS256"}},
		{name: "jws expired", args: []string{"--profile", "jws-timed", "--secret", jwsSecret, "--now", "1700003601", jwsTimed}, want: []string{"expired", "2023-11-14 23:13:20 UTC"}},
		{name: "jws timed without exp", args: []string{"--profile", "jws-timed", "--secret", jwsSecret, jwsDefault}, want: []string{"Missing expiry date"}},
		{name: "jws none with secret", args: []string{"--profile", "jws", "--secret", jwsSecret, jwsNone}, want: []string{"not signed", "without --secret"}},
		{name: "jws salt missing", args: []string{"--profile", "jws", "--secret", jwsSecret, jwsSalted}, want: []string{"signature does not match"}},
		// Without --profile the text chooses; a failure names the profile.
		{name: "default profile on jws", args: []string{"--secret", jwsSecret, jwsTimed}, want: []string{"expired", "--profile jws-timed"}},
		{name: "default profile on django wrong key", args: []string{"--secret", "nope", v14Session}, want: []string{"--profile django-session", "django-cookie"}},
		{name: "default profile on set_signed_cookie without name", args: []string{"--secret", "secret", "alice:1r31eq:n_4drjpVlZIDD4P1LUNfxbYWdTopEH5oMzCIFioVINA"}, want: []string{"set_signed_cookie", "NAME=VALUE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFail(t, fc(t, "", append([]string{"decode"}, tt.args...)...), tt.want...)
		})
	}
}

// TestProfileEncode: the spec's tokens, byte for byte.
func TestProfileEncode(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "starlette V11", args: []string{"--profile", "starlette", "--secret", "starlette-secret", "--timestamp", specNow, `{"user_id": 42, "name": "Jürgen", "roles": ["a", "b"]}`}, want: v11Starlette},
		{name: "starlette V11 tagged", args: []string{"--profile", "starlette", "--secret", "starlette-secret", "--timestamp", specNow, "--format", "tagged", v11JSON}, want: v11Starlette},
		{name: "django V14 dumps", args: []string{"--profile", "django", "--secret", "django-secret", "--timestamp", specNow, "--format", "python", "{'a': 1, 'b': 'ü'}"}, want: v14Dumps},
		{name: "django V14 session", args: []string{"--profile", "django-session", "--secret", "django-secret", "--timestamp", specNow, `{"user_id": 42}`}, want: v14Session},
		{name: "jws default", args: []string{"--profile", "jws", "--secret", jwsSecret, `{"user_id": 42}`}, want: jwsDefault},
		{name: "jws salt", args: []string{"--profile", "jws", "--secret", jwsSecret, "--salt", "my-salt", `{"a": 1}`}, want: jwsSalted},
		{name: "jws timed", args: []string{"--profile", "jws-timed", "--secret", jwsSecret, "--timestamp", specNow, "--expires-in", "3600", `{"user_id": 42}`}, want: jwsTimed},
		{name: "jws timed default lifetime", args: []string{"--profile", "jws-timed", "--secret", jwsSecret, "--timestamp", specNow, "--digest", "sha512", `{"user_id": 42}`}, want: jwsTimed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", append([]string{"encode"}, tt.args...)...)
			wantOK(t, r)
			if r.stdout != tt.want+"\n" {
				t.Errorf("got %q, want %q", r.stdout, tt.want)
			}
		})
	}
}

// TestProfileRoundTrip encodes a value with each profile and decodes it in
// every format.
func TestProfileRoundTrip(t *testing.T) {
	const value = `{"z": [1, 2.5, -0.0, null, true, "caf\u00e9 \ud83d\ude00"], "a": {"n": 123456789012345678901234567890}, "m": "x"}`
	want, err := parseView([]byte(value))
	if err != nil {
		t.Fatal(err)
	}
	for _, prof := range []string{profStarlette, profDjango, profDjangoSession, profJWS, profJWSTimed} {
		t.Run(prof, func(t *testing.T) {
			args := []string{"encode", "--profile", prof, "--secret", "k", "--timestamp", specNow}
			if prof == profJWS {
				args = args[:len(args)-2]
			}
			r := fc(t, "", append(args, value)...)
			wantOK(t, r)
			cookie := strings.TrimSpace(r.stdout)
			for _, format := range []string{"json", "python", "tagged"} {
				d := fc(t, "", "decode", "--profile", prof, "--secret", "k", "--now", specNow, "--format", format, cookie)
				wantOK(t, d)
				var got any
				switch format {
				case "python":
					got, err = py.ParseLiteral(d.stdout)
				default: // the JSON view, and plain JSON, read the same here
					got, err = parseView([]byte(d.stdout))
				}
				if err != nil {
					t.Fatalf("--format %s printed %q: %v", format, d.stdout, err)
				}
				if diff := testvec.Diff(want, got); diff != "" || py.Repr(want) != py.Repr(got) {
					t.Errorf("--format %s: %s\n%s", format, diff, d.stdout)
				}
				// And again: the output of decode is input of encode.
				again := fc(t, d.stdout, append(args, "--format", format, "-")...)
				wantOK(t, again)
				if again.stdout != r.stdout {
					t.Errorf("--format %s: encode of decode's output:\n got %s want %s", format, again.stdout, r.stdout)
				}
			}
			wantFail(t, fc(t, "", "decode", "--profile", prof, "--secret", "wrong", "--now", specNow, cookie), "signature does not match")
		})
	}
}

func TestProfileEncodeFailures(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "starlette bytes", args: []string{"--profile", "starlette", "--format", "python", "{'b': b'x'}"}, want: "Starlette cannot hold this value"},
		{name: "starlette list", args: []string{"--profile", "starlette", "[1]"}, want: "not a dict"},
		{name: "django session list", args: []string{"--profile", "django-session", "[1]"}, want: "not a dict"},
		{name: "django uuid", args: []string{"--profile", "django", "--format", "python", "UUID('12345678123456781234567812345678')"}, want: "Django cannot hold this value"},
		{name: "jws datetime", args: []string{"--profile", "jws", "--format", "python", "datetime.datetime(2024, 1, 2)"}, want: "itsdangerous cannot hold this value"},
		{name: "bad plain json", args: []string{"--profile", "jws", "--format", "tagged", "{'a': 1}"}, want: "not valid --format tagged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFail(t, fc(t, "", append([]string{"encode", "--secret", "k"}, tt.args...)...), tt.want)
		})
	}
	// signing.dumps and JWS take any value.
	r := fc(t, "", "encode", "--profile", "django", "--secret", "django-secret", "--timestamp", specNow, "[1, 2, 3]")
	wantOK(t, r)
}

func TestProfileUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "unknown profile", args: []string{"decode", "--profile", "rails", v10Cookie}, want: "unknown --profile"},
		{name: "starlette salt", args: []string{"decode", "--profile", "starlette", "--salt", "x", v11Starlette}, want: "--salt has no use with --profile starlette"},
		{name: "starlette digest", args: []string{"decode", "--profile", "starlette", "--digest", "sha256", v11Starlette}, want: "--digest"},
		{name: "django session salt", args: []string{"decode", "--profile", "django-session", "--salt", "x", v14Session}, want: "--profile django --salt"},
		{name: "django digest", args: []string{"decode", "--profile", "django", "--digest", "HS256", v14Dumps}, want: "unknown --digest"},
		{name: "jws digest", args: []string{"decode", "--profile", "jws", "--digest", "sha1", jwsDefault}, want: "unknown --digest"},
		{name: "jws legacy", args: []string{"decode", "--profile", "jws", "--legacy", jwsDefault}, want: "--legacy"},
		{name: "jws max-age", args: []string{"decode", "--profile", "jws-timed", "--max-age", "10", jwsTimed}, want: "--max-age has no use"},
		{name: "key derivation", args: []string{"decode", "--profile", "django", "--key-derivation", "hmac", v14Dumps}, want: "--key-derivation"},
		{name: "fernet key", args: []string{"decode", "--profile", "django", "--fernet-key", sealedKey, v14Dumps}, want: "--fernet-key"},
		{name: "encode without secret", args: []string{"encode", "--profile", "starlette", "{}"}, want: "missing --secret"},
		{name: "encode compress", args: []string{"encode", "--profile", "starlette", "--secret", "k", "--compress", "{}"}, want: "--compress is for --profile django"},
		{name: "encode compress flask", args: []string{"encode", "--secret", "k", "--compress", "{}"}, want: "--compress"},
		{name: "encode expires-in", args: []string{"encode", "--profile", "jws", "--secret", "k", "--expires-in", "5", "{}"}, want: "--expires-in is for --profile jws-timed"},
		{name: "encode jws timestamp", args: []string{"encode", "--profile", "jws", "--secret", "k", "--timestamp", specNow, "{}"}, want: "--timestamp has no use"},
		{name: "encode fallback", args: []string{"encode", "--profile", "django", "--secret", "k", "--fallback-secret", "o", "{}"}, want: "fallback keys never sign"},
		{name: "encode django empty key", args: []string{"encode", "--profile", "django-session", "--secret", "", "{}"}, want: "django"},
		{name: "inspect unknown profile", args: []string{"inspect", "--profile", "x", v10Cookie}, want: "unknown --profile"},
		{name: "unsign unknown profile", args: []string{"unsign", "--profile", "x", "-w", "-", v10Cookie}, want: "unknown --profile"},
		{name: "unsign starlette salt", args: []string{"unsign", "--profile", "starlette", "--salt", "x", "-w", "-", v11Starlette}, want: "--salt has no use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantUsage(t, fc(t, "", tt.args...), tt.want)
		})
	}
}

// TestProfileInspect: inspect recognises each format from its text, and
// with the key shows whether it verifies and the value.
func TestProfileInspect(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{name: "flask", args: []string{"--now", "1700003600", v10Cookie}, want: []string{"a Flask session cookie", "recognised from its text"}, not: []string{"Starlette"}},
		{name: "sealed", args: []string{sealedCookie}, want: []string{"sealed Flask session cookie", "Fernet"}},
		{name: "starlette", args: []string{"--now", "1700003600", v11Starlette}, want: []string{
			"Starlette session cookie", "--profile starlette", "59 bytes of JSON", v11JSON, "2023-11-14 22:13:20 UTC", "1 hour", "14 days",
			"20 bytes: HMAC-SHA1", "not given", "'name': 'Jürgen'", "not verified"}},
		{name: "starlette verifies", args: []string{"--secret", "starlette-secret", "session=" + v11Starlette}, want: []string{"verifies: --secret", "{'user_id': 42, 'name': 'Jürgen', 'roles': ['a', 'b']}"}, not: []string{"not verified"}},
		{name: "starlette wrong key", args: []string{"--secret", "nope", v11Starlette}, want: []string{"does not verify", "not verified"}},
		{name: "starlette expired", args: []string{"--now", "1701209601", v11Starlette}, want: []string{"expired for Starlette's default max_age"}},
		{name: "django", args: []string{"--now", "1700003600", v14Session}, want: []string{
			"Django session cookie", "or a signing.dumps token", "1r31eq = 1700000000, base 62", "32 bytes: HMAC-SHA256", "SESSION_COOKIE_AGE", "{'user_id': 42}"}},
		{name: "django session verifies", args: []string{"--secret", "django-secret", "sessionid=" + v14Session}, want: []string{
			"verifies: --secret", "salt django.contrib.sessions.backends.signed_cookies"}},
		// The key tells a signing.dumps token from a session.
		{name: "django dumps verifies", args: []string{"--secret", "django-secret", v14Dumps}, want: []string{
			"Django signed token (django.core.signing.dumps)", "the key verifies it as one", "salt django.core.signing,", "{'a': 1, 'b': 'ü'}"}},
		{name: "django future", args: []string{"--now", "1600000000", v14Session}, want: []string{"in the future (Django accepts it)"}},
		// A list: compact and spaced JSON are the same text, so Flask and
		// Starlette both fit until the key tells.
		{name: "flask or starlette", args: []string{starletteList}, want: []string{"a Flask session cookie", "or a Starlette one"}},
		{name: "the key tells starlette", args: []string{"--secret", "k", starletteList}, want: []string{
			"a Starlette session cookie", "the key verifies it as one: --profile starlette", "verifies: --secret", "value      [1]\n"}},
		{name: "jws", args: []string{jwsDefault}, want: []string{"JWS token (JSONWebSignatureSerializer)", `{"alg":"HS512"}`, "64 bytes: HMAC-SHA512", "{'user_id': 42}"}},
		{name: "jws timed", args: []string{"--secret", jwsSecret, "--now", "1700000600", jwsTimed}, want: []string{
			"timed JWS token", "iat 1700000000", "exp 1700003600", "50 minutes more", "verifies: --secret signed this token (HS512)"}},
		{name: "jws timed expired", args: []string{"--now", "1700003601", jwsTimed}, want: []string{"expired 1 second ago", "{'user_id': 42}"}},
		{name: "jws hs256", args: []string{"--secret", jwsSecret, jwsHS256Kid}, want: []string{"32 bytes: HMAC-SHA256", "verifies", `"kid":"k1"`}},
		{name: "jws salted", args: []string{"--secret", jwsSecret, "--salt", "my-salt", jwsSalted}, want: []string{"verifies", "salt"}},
		{name: "jws none", args: []string{jwsNone}, want: []string{"not signed", "{'a': 1}"}},
		// --profile overrides the text.
		{name: "explicit profile", args: []string{"--profile", "starlette", v10Cookie}, want: []string{"--profile starlette", "it looks like a Flask session cookie instead"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", append([]string{"inspect"}, tt.args...)...)
			wantOK(t, r)
			wantSays(t, "inspect", r.stdout, tt.want, tt.not)
		})
	}
	wantFail(t, fc(t, "", "inspect", "--profile", "django", "abc:def"), "malformed")
	// A flag that does not fit the format the text shows: a reason, not a
	// usage error.
	wantFail(t, fc(t, "", "inspect", "--digest", "sha1", jwsDefault), "looks like an itsdangerous JWS token", "--digest")
}

// TestDetectVectors: every cookie and token the Python vectors hold is
// recognised as its format, Flask's included.
func TestDetectVectors(t *testing.T) {
	check := func(t *testing.T, cookie, want string, sure bool) {
		t.Helper()
		d := detect(cookie)
		if d.prof != want || (sure && !d.sure) {
			t.Errorf("detect(%q) = %+v, want %s", cookie, d, want)
		}
	}
	for _, v := range loadFlask(t) {
		if v.Cookie != "" && v.Error == "" {
			check(t, v.Cookie, profFlask, false)
		}
	}
	for _, v := range loadSealed(t) {
		if v.Error == nil && v.Op == "encode" {
			check(t, v.Cookie, profSealed, true)
		}
	}
	n := 0
	for _, v := range loadStarlette(t) {
		if v.Op != "encode" || v.Cookie == nil || v.SetCookie == nil {
			continue
		}
		n++
		want, _ := v.Value.Ordered()
		if _, ok := want.(py.Dict); ok {
			check(t, *v.Cookie, profStarlette, true) // json.dumps spaces a dict
		} else if d := detect(*v.Cookie); d.prof != profStarlette && d.sure {
			t.Errorf("detect(%q) = %+v, sure of another format than Starlette", *v.Cookie, d)
		}
	}
	for _, v := range loadDjango(t) {
		if v.Token != nil && v.Error == nil && (v.Op == "dumps" || v.Op == "encode") {
			n++
			check(t, *v.Token, profDjangoSession, false)
		}
	}
	for _, v := range loadJWS(t) {
		if v.Op != "dumps" || !v.HeaderFields.IsNull() {
			continue
		}
		n++
		want := profJWS
		if strings.HasPrefix(v.Class, "Timed") {
			want = profJWSTimed
		}
		check(t, string(v.Token), want, true)
	}
	if n < 100 {
		t.Errorf("only %d tokens checked", n)
	}
	// Through the binary, one of each.
	for _, c := range []struct{ cookie, want string }{
		{v10Cookie, "a Flask session cookie"}, {demoCookie, "a Flask session cookie"}, {sealedCookie, "sealed Flask"},
		{v11Starlette, "a Starlette session cookie"}, {v14Dumps, "a Django session cookie"},
		{jwsDefault, "an itsdangerous JWS token"}, {jwsTimed, "an itsdangerous timed JWS token"},
	} {
		r := fc(t, "", "inspect", c.cookie)
		wantOK(t, r)
		if first, _, _ := strings.Cut(r.stdout, "\n"); !strings.Contains(first, c.want) {
			t.Errorf("inspect %s: first line %q, want %q", c.cookie, first, c.want)
		}
	}
}

// TestProfileUnsign finds the key of each format in a wordlist.
func TestProfileUnsign(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		cookie string
		key    string
	}{
		{name: "starlette", args: []string{"--profile", "starlette"}, cookie: v11Starlette, key: "starlette-secret"},
		{name: "django session", args: []string{"--profile", "django-session"}, cookie: "sessionid=" + v14Session, key: "django-secret"},
		{name: "django dumps", args: []string{"--profile", "django"}, cookie: v14Dumps, key: "django-secret"},
		{name: "jws", args: []string{"--profile", "jws"}, cookie: jwsDefault, key: jwsSecret},
		{name: "jws hs256", args: []string{"--profile", "jws"}, cookie: jwsHS256Kid, key: jwsSecret},
		{name: "jws salted", args: []string{"--profile", "jws", "--salt", "my-salt"}, cookie: jwsSalted, key: jwsSecret},
		{name: "jws timed", args: []string{"--profile", "jws-timed"}, cookie: jwsTimed, key: jwsSecret},
	}
	words := "a\nb\nstarlette-secret\ndjango-secret\nsecret-key\nz\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, words, append(append([]string{"unsign", "-w", "-"}, tt.args...), tt.cookie)...)
			wantOK(t, r)
			if r.stdout != tt.key+"\n" {
				t.Errorf("found %q, want %q", r.stdout, tt.key)
			}
		})
	}
	// Not in the list: exit 1, one line.
	wantFail(t, fc(t, "a\nb\n", "unsign", "-w", "-", "--profile", "starlette", v11Starlette), "not in the wordlist")
	// The salt is part of the key: a session's key is not found with
	// signing.dumps' salt.
	wantFail(t, fc(t, words, "unsign", "-w", "-", "--profile", "django", v14Session), "not in the wordlist")
	// Without --profile the cookie's text chooses the format (issue 12
	// point 10): a Starlette cookie, a Django session, a JWS token.
	for _, c := range []struct{ cookie, key, says string }{
		{v11Starlette, "starlette-secret", "Starlette"},
		{v14Session, "django-secret", "signed_cookies"},
		{v14Dumps, "django-secret", "signing.dumps"},
		{jwsDefault, jwsSecret, "JWS"},
	} {
		r := fc(t, words, "unsign", "-w", "-", c.cookie)
		wantOK(t, r)
		if r.stdout != c.key+"\n" || !strings.Contains(r.stderr, c.says) {
			t.Errorf("unsign %s: stdout %q, stderr %q; want %q and a mention of %s", c.cookie, r.stdout, r.stderr, c.key, c.says)
		}
	}
	wantFail(t, fc(t, "a\nb\n", "unsign", "-w", "-", v14Session), "not in the wordlist", "django-session")
	wantFail(t, fc(t, words, "unsign", "-w", "-", "--profile", "jws", jwsNone), "not signed")
}

// TestDecodeChoosesProfile: without --profile, decode reads each format
// as what its text says (issue 12 point 10), names it on stderr, and never
// prints a JWS header as the session.
func TestDecodeChoosesProfile(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		want, says string
	}{
		{"starlette", []string{"--secret", "starlette-secret", v11Starlette}, "\"user_id\": 42", "--profile starlette"},
		{"starlette unverified", []string{v11Starlette}, "\"user_id\": 42", "--profile starlette"},
		{"django session", []string{"--secret", "django-secret", v14Session}, "\"user_id\": 42", "--profile django-session"},
		{"django dumps", []string{"--secret", "django-secret", v14Dumps}, "\"a\": 1", "--profile django\x3b"},
		{"django unverified", []string{v14Dumps}, "\"a\": 1", "--profile django-session"},
		{"jws", []string{jwsDefault}, "\"user_id\": 42", "--profile jws"},
		{"jws verified", []string{"--secret", jwsSecret, jwsDefault}, "\"user_id\": 42", "--profile jws"},
		// Django 3.2's set_signed_cookie("remember", "alice") with SECRET_KEY "secret" (testdata/audit).
		{"set_signed_cookie", []string{"--secret", "secret", "remember=alice:1r31eq:n_4drjpVlZIDD4P1LUNfxbYWdTopEH5oMzCIFioVINA"}, "\"alice\"", "--profile django-cookie"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fc(t, "", append([]string{"decode"}, tt.args...)...)
			wantOK(t, r)
			says := strings.ReplaceAll(tt.says, "\x3b", ";")
			if !strings.Contains(r.stdout, tt.want) || !strings.Contains(r.stderr, says) || strings.Contains(r.stdout, "alg") {
				t.Errorf("stdout %q, stderr %q; want %q and a note with %q", r.stdout, r.stderr, tt.want, says)
			}
		})
	}
}

func TestProfileHelp(t *testing.T) {
	wantHelpShows(t, "--profile", "--profile", "decode", "encode", "inspect", "unsign")
	r := fc(t, "", "help", "decode")
	for _, w := range []string{"Profiles (--profile):", "starlette", "django-session", "jws-timed", v11Starlette, v14Session} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("help decode does not mention %q", w)
		}
	}
	// The outputs the help of encode promises are the frameworks'.
	r = fc(t, "", "help", "encode")
	for _, w := range []string{"prints " + v11Starlette, "prints " + v14Session} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("help encode does not say %q", w)
		}
	}
}

// profileReader reads, with the peer set's real Starlette (0.26.1 or
// 0.46.1) and Django (3.2 or 4.2), the cookies of the JSON requests on
// stdin: Starlette as its SessionMiddleware reads a cookie (its own signer,
// then json.loads(b64decode(...))), Django as signing.loads does
// (TimestampSigner.unsign_object), with the request's algorithm when it
// names one (Django 4 refuses a SHA-1 signature of the default signer). It
// answers the JSON of the value, or the class of the exception. Exit 3: a
// package is missing.
const profileReader = `
import base64, json, sys, time
try:
    from starlette.middleware.sessions import SessionMiddleware
    import django
    from django.conf import settings
except ImportError as e:
    print(e, file=sys.stderr); sys.exit(3)
settings.configure(SECRET_KEY="unused")
django.setup()
from django.core import signing
out = []
for req in json.load(sys.stdin):
    time.time = lambda: float(req["now"])
    try:
        if req["profile"] == "starlette":
            m = SessionMiddleware(app=None, secret_key=req["secret"])
            data = m.signer.unsign(req["cookie"].encode(), max_age=m.max_age)
            value = json.loads(base64.b64decode(data))
        else:
            signer = signing.TimestampSigner(key=req["secret"], salt=req["salt"], algorithm=req.get("algorithm"))
            value = signer.unsign_object(req["cookie"], max_age=1209600)
        out.append({"json": json.dumps(value)})
    except Exception as e:
        out.append({"error": type(e).__name__ + ": " + str(e)})
json.dump(out, sys.stdout)
`

// TestProfilePythonReads: Starlette and Django read what encode writes,
// the compressed Django payloads included. Skips without Python, or fails with FLASKCOOKIE_REQUIRE_PYTHON=1.
func TestProfilePythonReads(t *testing.T) {
	pyoracle.Shared(t) // the skip rule of the Python tests
	big := `{"blob": "` + strings.Repeat("abc", 300) + `", "n": [1, 2.5, null, true], "u": "J\u00fcrgen \ud83d\ude00"}`
	cases := []struct {
		profile, salt, algorithm string
		args                     []string
		value                    string
		compressed               bool
	}{
		{profile: "starlette", value: big},
		{profile: "starlette", value: `{"z": 1, "a": {"b": []}}`},
		{profile: "django-session", salt: "django.contrib.sessions.backends.signed_cookies", value: big, compressed: true},
		{profile: "django-session", salt: "django.contrib.sessions.backends.signed_cookies", value: `{"user_id": 42}`},
		{profile: "django", salt: "django.core.signing", args: []string{"--compress"}, value: `[` + strings.Repeat(`"x", `, 100) + `1]`, compressed: true},
		{profile: "django", salt: "reset", algorithm: "sha1", args: []string{"--salt", "reset", "--digest", "sha1"}, value: `"text"`},
	}
	const secret = "live-secret"
	var reqs []map[string]any
	for _, c := range cases {
		r := fc(t, "", append(append([]string{"encode", "--profile", c.profile, "--secret", secret, "--timestamp", specNow}, c.args...), c.value)...)
		wantOK(t, r)
		cookie := strings.TrimSpace(r.stdout)
		if strings.HasPrefix(cookie, ".") != c.compressed {
			t.Errorf("%s %s: compressed %v, want %v", c.profile, cookie, !c.compressed, c.compressed)
		}
		req := map[string]any{"profile": c.profile, "secret": secret, "salt": c.salt, "cookie": cookie, "now": 1700000001}
		if c.algorithm != "" {
			req["algorithm"] = c.algorithm
		}
		reqs = append(reqs, req)
	}
	in, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	out := pyapp.Run(t, in, "-c", profileReader)
	var resps []struct {
		JSON  *string `json:"json"`
		Error string  `json:"error"`
	}
	if err := json.Unmarshal(out, &resps); err != nil || len(resps) != len(cases) {
		t.Fatalf("python answered %s (%v)", out, err)
	}
	for i, c := range cases {
		if resps[i].JSON == nil {
			t.Errorf("%s: Python cannot read our %s: %s", c.profile, reqs[i]["cookie"], resps[i].Error)
			continue
		}
		want, err := parseView([]byte(c.value))
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseView([]byte(*resps[i].JSON))
		if err != nil {
			t.Fatal(err)
		}
		if d := testvec.Diff(want, got); d != "" || py.Repr(want) != py.Repr(got) {
			t.Errorf("%s: Python reads %s as %s: %s", c.profile, reqs[i]["cookie"], *resps[i].JSON, d)
		}
	}
}

// wantEmptyKeyFound checks that unsign finds the empty key of cookie in a
// wordlist holding an empty line: an app that signs with the empty key is
// what an audit must find.
func wantEmptyKeyFound(t *testing.T, run runner, cookie string, flags ...string) {
	t.Helper()
	r := run(t, "nope\n\nother\n", append(append([]string{"unsign", "--format", "python", "--wordlist", "-"}, flags...), cookie)...)
	wantOK(t, r)
	if r.stdout != "''\n" {
		t.Errorf("unsign found %q, want the empty key ''", r.stdout)
	}
	if !strings.Contains(r.stderr, "on line 2") {
		t.Errorf("stderr = %q, want line 2", r.stderr)
	}
}
