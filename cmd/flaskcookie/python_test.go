package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flaskcookie/flaskcookie/internal/testonly/pyapp"
	"github.com/flaskcookie/flaskcookie/internal/testonly/pyoracle"
	"github.com/flaskcookie/flaskcookie/internal/testonly/testvec"
)

// These tests ask the real Python packages (Debian's Flask 2.2.2,
// itsdangerous 2.1.2) about our output. They skip when /usr/bin/python3 or
// the packages are missing, and fail then when FLASKCOOKIE_REQUIRE_PYTHON=1,
// by the rule of pyoracle.Start and pyoracle.Shared.

func pyBytes(b []byte) pyoracle.Bytes { return pyoracle.Bytes(b) }

func pyBytesList(bs []testvec.Bytes) []pyoracle.Bytes {
	var out []pyoracle.Bytes
	for _, b := range bs {
		out = append(out, pyoracle.Bytes(b))
	}
	return out
}

// TestFlaskReadsOurCookies encodes every session of the Flask vectors with
// encode (from the Python literal and from the JSON view) and has the real
// Flask load the cookie: it must hold exactly the session Flask itself
// loaded from its own cookie. This covers the compressed cookies, whose
// bytes differ from Flask's.
func TestFlaskReadsOurCookies(t *testing.T) {
	o := pyoracle.Shared(t)
	n := encodeFlaskVectors(t, false, func(t *testing.T, v *testvec.FlaskVector, format, _, stdout string) {
		cookie := strings.TrimSpace(stdout)
		var resp pyoracle.Response
		req := pyoracle.FlaskCheckRequest{
			FlaskLoadsRequest: pyoracle.FlaskLoadsRequest{Secret: pyBytes(v.Secret), Now: v.Now, Cookie: cookie},
			Expect:            json.RawMessage(v.Decoded),
		}
		if err := o.Do(req, &resp); err != nil {
			t.Fatal(err)
		}
		if !resp.OK || !resp.Equal {
			t.Errorf("--format %s: Flask loads our cookie %s as %s: %s %s", format, cookie, resp.Value, resp.Describe(), resp.Diff)
		}
	})
	if n == 0 {
		t.Fatal("no encode vectors")
	}
	// And through the binary, a session with every type.
	r := fc(t, "", "encode", "--secret", specSecret, "--format", "python", "--timestamp", specNow,
		"{'t': (1, b'x', Markup('<i>')), 'u': UUID('12345678-1234-5678-1234-567812345678'), 'd': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), 'n': 10**0}")
	if r.code == exitOK {
		t.Fatalf("10**0 is not a literal, yet encode accepted it: %v", r)
	}
	r = fc(t, "", "encode", "--secret", specSecret, "--format", "python", "--timestamp", specNow,
		"{'t': (1, b'x', Markup('<i>')), 'u': UUID('12345678-1234-5678-1234-567812345678'), 'd': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), 'big': -123456789012345678901234567890}")
	wantOK(t, r)
	expect := `{"t":"dict","v":[["big",{"t":"int","v":"-123456789012345678901234567890"}],["d",{"t":"datetime","v":1704164645,"us":0,"offset":0}],` +
		`["t",{"t":"tuple","v":[{"t":"int","v":"1"},{"t":"bytes","v":"78"},{"t":"markup","v":"<i>"}]}],["u",{"t":"uuid","v":"12345678123456781234567812345678"}]]}`
	var resp pyoracle.Response
	req := pyoracle.FlaskCheckRequest{
		FlaskLoadsRequest: pyoracle.FlaskLoadsRequest{Secret: pyBytes([]byte(specSecret)), Now: 1700000000, Cookie: strings.TrimSpace(r.stdout)},
		Expect:            json.RawMessage(expect),
	}
	if err := o.Do(req, &resp); err != nil {
		t.Fatal(err)
	}
	if !resp.OK || !resp.Equal {
		t.Errorf("Flask loads %s as %s: %s %s", r.stdout, resp.Value, resp.Describe(), resp.Diff)
	}
}

// unsortedScript has a Flask app that keeps key order and writes
// non-ASCII as it is (app.json.sort_keys and ensure_ascii off, which the
// session's tagged JSON follows) make a session cookie, and prints it with
// the JSON text inside it, read by Python's own base64 and zlib.
const unsortedScript = `
import base64, json, time, zlib
import flask
from flask.sessions import SecureCookieSessionInterface
time.time = lambda: 1700000000.0
app = flask.Flask(__name__)
app.secret_key = "dev-secret"
app.json.sort_keys = False
app.json.ensure_ascii = False
with app.test_request_context():
    cookie = SecureCookieSessionInterface().get_signing_serializer(app).dumps({"z": 1, "a": "J\u00fcrgen \u20ac", "m": ("t", 2)})
p = cookie.rsplit(".", 2)[0].encode()
if p.startswith(b"."):
    raw = zlib.decompress(base64.urlsafe_b64decode(p[1:] + b"=" * (-len(p[1:]) % 4)))
else:
    raw = base64.urlsafe_b64decode(p + b"=" * (-len(p) % 4))
print(json.dumps({"cookie": cookie, "json": raw.decode("utf-8")}))
`

// TestTaggedIsTheCookiesText checks that --format tagged prints the JSON
// text as the app wrote it in the cookie, not a re-serialisation: here
// unsorted, with raw non-ASCII, as a Flask app with sort_keys off (or a
// Quart app) writes it. The Flask vectors check the same for Flask's
// defaults and for hand-made payloads (checkDecode).
func TestTaggedIsTheCookiesText(t *testing.T) {
	pyoracle.Shared(t)
	var made struct{ Cookie, JSON string }
	if err := json.Unmarshal(pyapp.Run(t, nil, "-c", unsortedScript), &made); err != nil {
		t.Fatal(err)
	}
	r := fc(t, "", "decode", "--secret", specSecret, "--format", "tagged", made.Cookie)
	wantOK(t, r)
	if r.stdout != made.JSON+"\n" {
		t.Errorf("--format tagged:\n got %s\nwant %s (the text in the cookie)", r.stdout, made.JSON)
	}
}

// evalScript evaluates each --format python output in Python, with the
// names the contract puts in scope, and compares it with exact types to the
// expected value (a tv) and to what Flask loads from the cookie.
const evalScript = `
import datetime, json, sys, time
from uuid import UUID
from markupsafe import Markup
sys.path.insert(0, sys.argv[1])
import oracle
import flask
from flask.sessions import SecureCookieSessionInterface

for line in sys.stdin:
    case = json.loads(line)
    out = {"name": case["name"]}
    try:
        got = eval(case["repr"], {"datetime": datetime, "UUID": UUID, "Markup": Markup,
                                  "nan": float("nan"), "inf": float("inf")})
        diffs = []
        if case.get("expect") is not None:
            d = oracle.exact_diff(got, oracle.from_tv(case["expect"]))
            if d:
                diffs.append("expected value: " + d)
        if case.get("cookie"):
            app = flask.Flask(__name__)
            app.secret_key = oracle.from_bytestr(case["secret"], "secret")
            with app.app_context():
                loaded = SecureCookieSessionInterface().get_signing_serializer(app).loads(case["cookie"])
            d = oracle.exact_diff(got, loaded)
            if d:
                diffs.append("Flask's session: " + d)
        out["diff"] = "; ".join(diffs)
    except Exception as e:
        out["diff"] = f"{type(e).__name__}: {e}"
    print(json.dumps(out), flush=True)
`

// evalCase is one line of evalScript's input.
type evalCase struct {
	Name   string          `json:"name"`
	Repr   string          `json:"repr"`
	Expect json.RawMessage `json:"expect,omitempty"`
	Cookie string          `json:"cookie,omitempty"`
	Secret *pyoracle.Bytes `json:"secret,omitempty"`
}

// TestPythonEvalsPythonFormat evaluates our --format python output of
// every Flask vector, and of a session with every type made by encode, in
// Python: it must equal, type for type, the session Flask holds.
func TestPythonEvalsPythonFormat(t *testing.T) {
	pyoracle.Shared(t) // skips (or fails) like the oracle when Python is missing
	var cases []evalCase
	for _, v := range loadFlask(t) {
		if v.Error != "" {
			continue
		}
		r := fcIn(t, "", decodeArgs(&v, "python")...)
		wantOK(t, r)
		cases = append(cases, evalCase{Name: v.Name, Repr: r.stdout, Expect: json.RawMessage(v.Decoded)})
	}
	// A session with every type, through the binary: encode it, decode it,
	// and compare Python's eval of the output with what Flask loads.
	value := `{'t': (1, 'a', ()), 'b': b'\x00\xff', 'm': Markup('<i>'), 'u': UUID('12345678-1234-5678-1234-567812345678'), ` +
		`'d': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), 'big': 123456789012345678901234567890, ` +
		`'f': [-0.0, 1e-07, 1e+16, nan, inf, -inf, 1.5, 0.1], 'n': None, 'x': {' t': 1}, '$tuple': {'$tuple': 1}, 's': 'caf\xe9 \U0001f600 \udc80 \x00\'"'}`
	enc := fc(t, "", "encode", "--secret", "k", "--format", "python", value)
	wantOK(t, enc)
	cookie := strings.TrimSpace(enc.stdout)
	dec := fc(t, "", "decode", "--secret", "k", "--format", "python", cookie)
	wantOK(t, dec)
	secret := pyoracle.Bytes("k")
	cases = append(cases, evalCase{Name: "every type", Repr: dec.stdout, Cookie: cookie, Secret: &secret})

	var in bytes.Buffer
	enc2 := json.NewEncoder(&in)
	for _, c := range cases {
		if err := enc2.Encode(c); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(t.TempDir(), "eval.py")
	if err := os.WriteFile(script, []byte(evalScript), 0o600); err != nil {
		t.Fatal(err)
	}
	out := pyapp.Run(t, in.Bytes(), script, filepath.Dir(testvec.Path(t, "compat/oracle.py")))
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("python answered %d cases of %d:\n%s", len(lines), len(cases), out)
	}
	for i, l := range lines {
		var res struct{ Name, Diff string }
		if err := json.Unmarshal([]byte(l), &res); err != nil {
			t.Fatal(err)
		}
		if res.Diff != "" {
			t.Errorf("%s: Python's eval of %s differs: %s", res.Name, strings.TrimSpace(cases[i].Repr), res.Diff)
		}
	}
}

// legacyScript writes a cookie with itsdangerous 0.24's timestamps (counted
// from 2011), as Flask before 1.0 did and as Flask-Unsign's --legacy
// reproduces.
const legacyScript = `
import hashlib, time
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from flask.json.tag import TaggedJSONSerializer
import flask
EPOCH = 1293840000
class Legacy(TimestampSigner):
    def get_timestamp(self):
        return int(time.time() - EPOCH)
time.time = lambda: 1700000000.0
with flask.Flask(__name__).app_context():
    s = URLSafeTimedSerializer("dev-secret", salt="cookie-session", serializer=TaggedJSONSerializer(),
        signer=Legacy, signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1})
    print(s.dumps({"user_id": 42}))
`

func TestLegacyTimestamps(t *testing.T) {
	pyoracle.Shared(t)
	out := pyapp.Run(t, nil, "-c", legacyScript)
	cookie := strings.TrimSpace(string(out))

	r := fc(t, "", "--sign", "--legacy", "--cookie", "{'user_id': 42}", "--secret", specSecret, "--timestamp", specNow)
	wantOK(t, r)
	if r.stdout != cookie+"\n" {
		t.Errorf("--sign --legacy = %q, want Python's %q", r.stdout, cookie)
	}
	r = fc(t, "", "encode", "--legacy", "--secret", specSecret, "--timestamp", specNow, `{"user_id": 42}`)
	wantOK(t, r)
	if r.stdout != cookie+"\n" {
		t.Errorf("encode --legacy = %q, want Python's %q", r.stdout, cookie)
	}
	r = fc(t, "", "decode", "--legacy", "--secret", specSecret, "--max-age", "10", "--now", "1700000005", "--format", "python", cookie)
	wantOK(t, r)
	if r.stdout != "{'user_id': 42}\n" {
		t.Errorf("decode --legacy = %q", r.stdout)
	}
	// Without --legacy the timestamp reads as 2012, long expired.
	wantFail(t, fc(t, "", "decode", "--secret", specSecret, "--max-age", "10", "--now", "1700000005", cookie), "expired")
	r = fc(t, "", "inspect", "--legacy", "--now", "1700000005", cookie)
	wantOK(t, r)
	if !strings.Contains(r.stdout, "2023-11-14 22:13:20 UTC") {
		t.Errorf("inspect --legacy:\n%s", r.stdout)
	}
}

// emptyKeyScript signs a session with the empty key, with Flask's session
// settings: itsdangerous does it (Flask itself refuses to), and so does
// anyone who forges for an app whose SECRET_KEY is empty.
const emptyKeyScript = `
import hashlib, time
from itsdangerous import URLSafeTimedSerializer
from flask.json.tag import TaggedJSONSerializer
import flask
time.time = lambda: 1700000000.0
with flask.Flask(__name__).app_context():
    s = URLSafeTimedSerializer(b"", salt="cookie-session", serializer=TaggedJSONSerializer(),
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1})
    print(s.dumps({"is_admin": True}))
`

// TestEmptyKey checks the two uses of the empty key that stay: unsign
// finds an app that signs with it, and encode signs with it (with a
// warning), byte for byte as itsdangerous does. decode and inspect refuse
// it (TestUsageErrors).
func TestEmptyKey(t *testing.T) {
	pyoracle.Shared(t)
	cookie := strings.TrimSpace(string(pyapp.Run(t, nil, "-c", emptyKeyScript)))

	wantEmptyKeyFound(t, fc, cookie)
	r := fc(t, "", "encode", "--secret", "", "--timestamp", specNow, `{"is_admin": true}`)
	wantOK(t, r)
	if r.stdout != cookie+"\n" {
		t.Errorf("encode --secret \"\" = %q, want itsdangerous's %q", r.stdout, cookie)
	}
	if !strings.Contains(r.stderr, "warning: the secret key is empty") {
		t.Errorf("encode --secret \"\" gave no warning: %q", r.stderr)
	}
	wantUsage(t, fc(t, "", "decode", "--secret", "", cookie), "--secret is empty")
}
