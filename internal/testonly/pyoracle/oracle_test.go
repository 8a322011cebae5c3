package pyoracle

// Expected values in these tests come from the spec
// (/work/shared/spec/wire-formats.md, §7 and §8: itsdangerous 2.1.2,
// Flask 2.2.2, CPython 3.11.2) or are typed by hand; none is produced by Go
// code of this project.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	t0         = 1700000000 // §8: 2023-11-14T22:13:20Z, timestamp ZVPxAA
	t1         = 1308874145 // §7.1: 2011-06-24 00:09:05 UTC, timestamp TgPVoQ
	flaskMax   = DefaultFlaskMaxAge
	v9Cookie   = ".eJx1jssKwjAQRX9lmHXAJK2voIIrQVBcFFxokdTGGqpV2kQU6b87bcWdq3ncO-fOG5OXMxWqN0KCCuebsdXbcIo1w9S165TWkTcMRAjr2wMklwFIqUSgJIfFKmq8F1uReycYHTSNZEFc05D_yGk2JWodM7zqMvf3VriSMElmZzvpJbOGU5jKmbTLtW1xhwOZipsDDc7fL4YgDJ15Ugwu957z07HMTAF7L7k-ImmtS30_EQw10i_ove3Ang6FDML-YDj6VynkA_u-TrQ.ZVPxAA.sWkwMhye4Tr2Ycvk5rpCsfh32wg"
	v9JSON     = `{"bytes":{" b":"AP9iaW4="},"dt":{" d":"Tue, 14 Nov 2023 22:13:20 GMT"},"list":[1,{" t":[2,3]},{"k":{" b":"dg=="}}],"markup":{" m":"<b>hi</b>"},"nested":{" di":{" t__":"not a tuple"}},"text":"J\u00fcrgen \u20ac","tuple":{" t":[1,"a"]},"uuid":{" u":"12345678123456781234567812345678"}}`
	v10Cookie  = "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM"
	devSecret  = "dev-secret"
	secretKey  = "secret-key"
	tvUserID42 = `{"t":"dict","v":[["user_id",{"t":"int","v":"42"}]]}`
)

// v9Value is the value of §8 V9 as a tv. withMicro selects the datetime as
// written (with microseconds) or as read back (Flask drops them); tuple is
// the tag of the "tuple" entry; readBack puts the keys in the sorted order
// that Flask's JSON (sort_keys) gives them when read back.
func v9Value(withMicro bool, tuple string, readBack bool) json.RawMessage {
	us := 0
	if withMicro {
		us = 123456
	}
	pairs := [][2]string{
		{"tuple", fmt.Sprintf(`{"t":%q,"v":[{"t":"int","v":"1"},{"t":"str","v":"a"}]}`, tuple)},
		{"bytes", `{"t":"bytes","v":"00ff62696e"}`},
		{"markup", `{"t":"markup","v":"<b>hi</b>"}`},
		{"uuid", `{"t":"uuid","v":"12345678123456781234567812345678"}`},
		{"dt", fmt.Sprintf(`{"t":"datetime","v":1700000000,"us":%d,"offset":0}`, us)},
		{"nested", `{"t":"dict","v":[[" t",{"t":"str","v":"not a tuple"}]]}`},
		{"list", `{"t":"list","v":[{"t":"int","v":"1"},{"t":"tuple","v":[{"t":"int","v":"2"},{"t":"int","v":"3"}]},{"t":"dict","v":[["k",{"t":"bytes","v":"76"}]]}]}`},
		{"text", `{"t":"str","v":"J\u00fcrgen \u20ac"}`},
	}
	if readBack {
		sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
	}
	items := make([]string, len(pairs))
	for i, p := range pairs {
		items[i] = fmt.Sprintf(`[%q,%s]`, p[0], p[1])
	}
	return json.RawMessage(`{"t":"dict","v":[` + strings.Join(items, ",") + `]}`)
}

func do(t *testing.T, o *Oracle, req any) Response {
	t.Helper()
	var r Response
	if err := o.Do(req, &r); err != nil {
		t.Fatalf("Do: %v", err)
	}
	return r
}

// sameJSON reports whether two JSON texts hold the same data.
func sameJSON(t *testing.T, got, want json.RawMessage) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("bad JSON %s: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("bad JSON %s: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

func ptr[T any](v T) *T { return &v }

func TestPing(t *testing.T) {
	o := Shared(t)
	r := do(t, o, PingRequest{})
	if !r.OK {
		t.Fatalf("ping: %s", r.Describe())
	}
	for _, k := range []string{"python", "itsdangerous", "flask", "werkzeug", "markupsafe"} {
		if r.Versions[k] == "" {
			t.Errorf("ping: no version for %s in %v", k, r.Versions)
		}
		if o.Versions()[k] != r.Versions[k] {
			t.Errorf("Versions()[%s] = %q, ping says %q", k, o.Versions()[k], r.Versions[k])
		}
	}
	t.Logf("versions: %v", r.Versions)
}

func TestSharedIsShared(t *testing.T) {
	if Shared(t) != Shared(t) {
		t.Error("Shared returned two different oracles")
	}
}

func TestEcho(t *testing.T) {
	o := Shared(t)
	bigInt := strings.Repeat("9", 5000) // beyond CPython's default 4300-digit limit
	tests := []struct {
		name     string
		value    string
		wantType string
		wantRepr string
	}{
		{name: "big int", value: `{"t":"int","v":"` + bigInt + `"}`, wantType: "int", wantRepr: bigInt},
		{name: "lone surrogate", value: `{"t":"str","wtf8":"eda080"}`, wantType: "str", wantRepr: `'\ud800'`},
		{name: "negative zero", value: `{"t":"float","v":"-0.0"}`, wantType: "float", wantRepr: "-0.0"},
		{name: "tiny float", value: `{"t":"float","v":"1e-07"}`, wantType: "float", wantRepr: "1e-07"},
		{name: "tuple", value: `{"t":"tuple","v":[{"t":"int","v":"1"}]}`, wantType: "tuple", wantRepr: "(1,)"},
		{name: "markup", value: `{"t":"markup","v":"<b>"}`, wantType: "Markup", wantRepr: "Markup('<b>')"},
		{name: "uuid", value: `{"t":"uuid","v":"12345678123456781234567812345678"}`, wantType: "UUID", wantRepr: "UUID('12345678-1234-5678-1234-567812345678')"},
		{
			name:     "aware datetime",
			value:    `{"t":"datetime","v":1700000000,"us":5,"offset":7200}`,
			wantType: "datetime",
			wantRepr: "datetime.datetime(2023, 11, 15, 0, 13, 20, 5, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200)))",
		},
		{name: "naive datetime", value: `{"t":"datetime","v":0,"us":0,"offset":null}`, wantType: "datetime", wantRepr: "datetime.datetime(1970, 1, 1, 0, 0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, o, EchoRequest{Value: json.RawMessage(tt.value)})
			if !r.OK {
				t.Fatal(r.Describe())
			}
			if r.PyType != tt.wantType || r.Repr != tt.wantRepr {
				t.Errorf("got %s %.80s, want %s %.80s", r.PyType, r.Repr, tt.wantType, tt.wantRepr)
			}
			if !sameJSON(t, r.Value, json.RawMessage(tt.value)) {
				t.Errorf("round trip = %.200s, want %.200s", r.Value, tt.value)
			}
		})
	}
}

func TestMalformedRequests(t *testing.T) {
	o := Shared(t)
	tests := []struct {
		name string
		req  any
	}{
		{name: "unknown op", req: map[string]any{"op": "nope"}},
		{name: "unknown class", req: ItsdangerousRequest{Class: "JSONWebSignatureSerializer", Keys: []Bytes{Bytes("k")}, Action: "dumps"}},
		{name: "action of another class", req: ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Action: "dumps"}},
		{name: "unknown field (a typo must not be ignored)", req: map[string]any{"op": "flask_loads", "secret": "s", "now": 0, "cookie": "", "max-age": 1}},
		{name: "missing now", req: map[string]any{"op": "flask_dumps", "secret": "s", "value": map[string]any{"t": "none"}}},
		{name: "bad tv tag", req: FlaskDumpsRequest{Secret: Bytes("s"), Value: json.RawMessage(`{"t":"set","v":[]}`)}},
		{name: "bad tv int", req: FlaskDumpsRequest{Secret: Bytes("s"), Value: json.RawMessage(`{"t":"int","v":"1_000"}`)}},
		{name: "max_age on an untimed class", req: ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Action: "unsign", MaxAge: ptr(int64(1))}},
		{name: "bad hex bytestr", req: ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Action: "sign", Value: json.RawMessage(`{"hex":"zz"}`)}},
		{name: "flask_check without expect", req: FlaskCheckRequest{FlaskLoadsRequest: FlaskLoadsRequest{Secret: Bytes("s"), Cookie: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Response
			err := o.Do(tt.req, &r)
			var rej *RejectedError
			if !errors.As(err, &rej) || rej.Class != ClassRequest {
				t.Fatalf("Do = %v (response %s), want a RejectedError of class Request", err, r.Describe())
			}
			if r.Error != ClassRequest {
				t.Errorf("response class = %q, want Request", r.Error)
			}
		})
	}

	t.Run("raw lines never kill the oracle", func(t *testing.T) {
		for _, line := range []string{"garbage", "", "[1,2]", `{"op":`, "\xff\xfe", `"str"`, strings.Repeat("[", 100000)} {
			reply, err := o.roundTrip([]byte(line))
			if err != nil {
				t.Fatalf("line %.20q: %v", line, err)
			}
			var r Response
			if err := json.Unmarshal(reply, &r); err != nil || r.Error != ClassRequest {
				t.Errorf("line %.20q: reply %s, want a Request error", line, reply)
			}
		}
		if r := do(t, o, PingRequest{}); !r.OK {
			t.Errorf("ping after bad lines: %s", r.Describe())
		}
	})
}

func TestConcurrentUse(t *testing.T) {
	o := Shared(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				v := fmt.Sprintf("g%d-i%d", g, i)
				var r Response
				err := o.Do(ItsdangerousRequest{Class: "Signer", Keys: []Bytes{Bytes("k")}, Action: "sign", Now: t0, Value: Bytes(v)}, &r)
				if err != nil {
					errs <- err
					return
				}
				if !strings.HasPrefix(string(r.Token), v+".") {
					errs <- fmt.Errorf("request %s got token %q: responses mixed up", v, r.Token)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestThroughput shows that the oracle is fast enough for differential
// tests; the rate is logged (go test -v), not asserted.
func TestThroughput(t *testing.T) {
	o := Shared(t)
	const n = 1000
	reqs := []any{
		ItsdangerousRequest{Class: "URLSafeTimedSerializer", Keys: []Bytes{Bytes(secretKey)}, Salt: B("activate"), Action: "loads", Now: t0,
			Token: Bytes("eyJpZCI6NDIsIm5hbWUiOiJKw7xyZ2VuIiwibCI6WzEsMi41LG51bGwsdHJ1ZV19.ZVPxAA.wPhp4cNvsKqaL_rvRpHOASkZ_0U")},
		FlaskLoadsRequest{Secret: Bytes(devSecret), Now: t0, Cookie: v9Cookie},
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		var r Response
		if err := o.Do(reqs[i%len(reqs)], &r); err != nil {
			t.Fatal(err)
		}
		if !r.OK {
			t.Fatalf("request %d: %s", i, r.Describe())
		}
	}
	d := time.Since(start)
	t.Logf("%d requests (URLSafeTimedSerializer.loads and Flask loads of V9, alternating) in %v: %.0f requests/s",
		n, d.Round(time.Millisecond), n/d.Seconds())
}

func TestTimeoutKillsTheProcess(t *testing.T) {
	o := Start(t)
	o.timeout = 300 * time.Millisecond // before any use, so no race
	start := time.Now()
	err := o.Do(SleepRequest{Seconds: 20}, nil)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Do(sleep 20s) = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the timeout took %v", d)
	}
	select {
	case <-o.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the process was not killed")
	}
	if err := o.Do(PingRequest{}, nil); !errors.Is(err, ErrTimeout) {
		t.Errorf("Do after a timeout = %v, want ErrTimeout again", err)
	}
}

func TestClose(t *testing.T) {
	o := Start(t)
	o.Close()
	if err := o.Do(PingRequest{}, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Do after Close = %v, want ErrClosed", err)
	}
	o.Close() // a second Close is harmless
}

// recordTB records Skipf and Fatalf instead of stopping the test.
type recordTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordTB) Helper()                     {}
func (r *recordTB) Skipf(f string, args ...any) { r.skipped = fmt.Sprintf(f, args...) }
func (r *recordTB) Fatalf(f string, args ...any) {
	r.failed = fmt.Sprintf(f, args...)
}

func TestMissingPythonSkipsOrFails(t *testing.T) {
	// Python itself is needed for the "missing packages" cases.
	_ = Shared(t)
	tests := []struct {
		name    string
		cfg     config
		require bool
	}{
		// -S drops site-packages, so the imports of oracle.py fail.
		{name: "missing packages skip", cfg: config{python: PythonPath, args: []string{"-S"}, timeout: DefaultTimeout}},
		{name: "missing packages fail when required", cfg: config{python: PythonPath, args: []string{"-S"}, timeout: DefaultTimeout}, require: true},
		{name: "missing interpreter skips", cfg: config{python: "/nonexistent/python3", timeout: DefaultTimeout}},
		{name: "missing interpreter fails when required", cfg: config{python: "/nonexistent/python3", timeout: DefaultTimeout}, require: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.require {
				t.Setenv(RequireEnv, "1")
			} else {
				t.Setenv(RequireEnv, "")
			}
			rec := &recordTB{TB: t}
			if o := startFor(rec, tt.cfg); o != nil {
				t.Fatal("startFor returned an oracle")
			}
			if tt.require && (rec.failed == "" || rec.skipped != "") {
				t.Errorf("failed %q, skipped %q; want a failure", rec.failed, rec.skipped)
			}
			if !tt.require && (rec.skipped == "" || rec.failed != "") {
				t.Errorf("failed %q, skipped %q; want a skip", rec.failed, rec.skipped)
			}
			t.Logf("reason: %s%s", rec.failed, rec.skipped)
		})
	}
}

// TestPythonSelfTest runs compat/oracle_test.py, the oracle's own unit tests.
func TestPythonSelfTest(t *testing.T) {
	_ = Shared(t) // skip or fail like the other tests when Python is missing
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "compat", "oracle_test.py")
	if _, err := os.Stat(script); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(PythonPath, script)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
}
