package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
	"github.com/flaskcookie/flaskcookie/py"
)

// djangoCookieVector is one call of HttpResponse.set_signed_cookie
// ("sign") or HttpRequest.get_signed_cookie ("unsign") made by the real
// Django (class "cookie" of compat/gen_django.py).
type djangoCookieVector struct {
	Name       string          `json:"name"`
	Class      string          `json:"class"`
	CookieName string          `json:"cookie_name"`
	Key        testvec.Bytes   `json:"key"`
	Salt       *string         `json:"salt"`
	Hashing    string          `json:"hashing"`
	Op         string          `json:"op"`
	Now        float64         `json:"now"`
	MaxAge     *float64        `json:"max_age"`
	Value      json.RawMessage `json:"value"` // a str; other classes' are typed values
	value      *string
	Token      string  `json:"token"`
	Error      *string `json:"error"`
}

// args returns the flags of the vector's key, salt and digest. Django 3.2
// signs with DEFAULT_HASHING_ALGORITHM and accepts legacy SHA-1
// signatures; Django 4 has neither.
func (v *djangoCookieVector) args(cmd string, django4 bool) []string {
	args := []string{cmd, "--profile", profDjangoCookie, "--secret", string(v.Key)}
	if v.Salt != nil {
		args = append(args, "--salt", *v.Salt)
	}
	if !django4 && v.Hashing != "sha256" {
		args = append(args, "--digest", v.Hashing)
	}
	if !django4 && cmd == "decode" {
		args = append(args, "--legacy")
	}
	return args
}

// TestDjangoCookieVectors runs the set_signed_cookie values of Django
// 3.2.25 and 4.2.30 through encode (which must make Django's value byte
// for byte), decode (Django's value or its refusal) and inspect (whether
// the key verifies, and the value).
func TestDjangoCookieVectors(t *testing.T) {
	for _, file := range []struct {
		path    string
		django4 bool
	}{{testvec.DjangoFile, false}, {testvec.DjangoCurrentFile, true}} {
		var all, vs []djangoCookieVector
		prov := testvec.LoadVectors(t, testvec.Path(t, file.path), "django", "", &all)
		for _, v := range all {
			if v.Class != "cookie" {
				continue
			}
			if err := json.Unmarshal(v.Value, &v.value); err != nil {
				t.Fatalf("%s: %v", v.Name, err)
			}
			vs = append(vs, v)
		}
		if len(vs) < 10 {
			t.Fatalf("%s: only %d set_signed_cookie vectors", file.path, len(vs))
		}
		t.Logf("%s: %d set_signed_cookie vectors of Django %v", file.path, len(vs), prov["django"])
		for _, v := range vs {
			t.Run(file.path+"/"+v.Name, func(t *testing.T) { checkDjangoCookie(t, &v, file.django4, fcIn) })
		}
	}
}

func checkDjangoCookie(t *testing.T, v *djangoCookieVector, django4 bool, run runner) {
	now := strconv.FormatInt(int64(v.Now), 10)
	named := v.CookieName + "=" + v.Token
	if v.Op == "sign" {
		r := run(t, "", append(v.args("encode", django4), "--name", v.CookieName, "--timestamp", now, "--format", "tagged", *v.value)...)
		wantOK(t, r)
		if r.stdout != v.Token+"\n" {
			t.Errorf("encode:\n got %q\nwant %q (Django's)", r.stdout, v.Token)
		}
		// The JSON view is what decode prints: it reads back the same.
		r = run(t, "", append(v.args("encode", django4), "--name", v.CookieName, "--timestamp", now, strconv.Quote(*v.value))...)
		if r.stdout != v.Token+"\n" {
			t.Errorf("encode of the JSON string:\n got %q\nwant %q (Django's)", r.stdout, v.Token)
		}
	}

	args := append(v.args("decode", django4), "--now", now, "--format", "tagged")
	if v.MaxAge != nil {
		args = append(args, "--max-age", strconv.FormatInt(int64(*v.MaxAge), 10))
	}
	r := run(t, "", append(args, named)...)
	if v.Error != nil {
		wantClass(t, r, *v.Error, djangoErrors)
	} else {
		wantOK(t, r)
		if r.stdout != *v.value+"\n" {
			t.Errorf("decode: %q, Django read %q", r.stdout, *v.value)
		}
	}

	// inspect checks no age: an expired cookie still verifies.
	r = run(t, "", append(v.args("inspect", django4), "--now", now, named)...)
	wantOK(t, r)
	verifies := v.Error == nil || *v.Error == "SignatureExpired"
	if got := strings.Contains(r.stdout, "\nsecret     verifies"); got != verifies {
		t.Errorf("inspect says verifies = %v; Django: %v\n%s", got, v.Error, r.stdout)
	}
	if v.value != nil && verifies && !strings.Contains(r.stdout, "\nvalue      "+py.Repr(*v.value)+"\n") {
		t.Errorf("inspect does not show the value %s:\n%s", py.Repr(*v.value), r.stdout)
	}
}

func TestDjangoCookieUsage(t *testing.T) {
	const token = "alice:1r31eq:2mBpfh4mVbfwikVuefSW0aAxr7D2vrY7bfVefdPCPdE" // set_signed_cookie("remember", "alice"), django-secret
	enc := []string{"encode", "--profile", "django-cookie", "--secret", "django-secret", "--timestamp", "1700000000"}
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout (exit 0) or stderr
	}{
		// Without the name the salt is unknown: no default would be right.
		{"encode without --name", append(enc, `"alice"`), exitUsage, "--name NAME"},
		{"encode of a number", append(enc, "--name", "remember", "42"), exitData, "not a str"},
		{"encode of text that is not JSON", append(enc, "--name", "remember", "alice"), exitData, "--format tagged"},
		{"encode with --compress", append(enc, "--name", "remember", "--compress", `"alice"`), exitUsage, "--compress"},
		{"encode of a Python str", append(enc, "--name", "remember", "--format", "python", "'alice'"), exitOK, token},
		{"inspect without the name", []string{"inspect", "--profile", "django-cookie", "--secret", "django-secret", token}, exitOK, "cannot be checked without the cookie's name"},
		{"inspect with --name", []string{"inspect", "--profile", "django-cookie", "--secret", "django-secret", "--name", "remember", token}, exitOK, "secret     verifies"},
		{"inspect with the wrong name", []string{"inspect", "--profile", "django-cookie", "--secret", "django-secret", "other=" + token}, exitOK, "does not verify: wrong key, cookie name, --salt or digest"},
		{"inspect recognises it", []string{"inspect", "--secret", "django-secret", "remember=" + token}, exitOK, "recognised from its text: --profile django-cookie"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := fcIn(t, "", tc.args...)
			out := r.stdout
			if tc.code != exitOK {
				out = r.stderr
			}
			if r.code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("want exit %d and %q, got:\n%v", tc.code, tc.want, r)
			}
		})
	}
}
