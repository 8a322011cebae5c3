// Package pyoracle runs compat/oracle.py, a long-lived Python process that
// answers questions with the real itsdangerous and Flask packages, and lets
// Go tests ask it questions quickly.
//
// Tests use it to check the Go port against Python: "does itsdangerous accept
// this token, with which error class and value?", "which cookie does Flask
// write for this value at this time?". One process serves many requests, so a
// request costs well under a millisecond instead of a Python start-up.
//
// # Starting
//
// [Start] starts a private process for one test and stops it in t.Cleanup.
// [Shared] returns one process per test binary. Both skip the test when
// /usr/bin/python3 or the Python packages are missing, unless the
// environment variable FLASKCOOKIE_REQUIRE_PYTHON=1 is set, in which case
// they fail it. The oracle's stderr is logged when a test fails.
//
// # Peer sets
//
// The live tests run against one of two sets of Python packages, chosen by
// the environment variable FLASKCOOKIE_PEERS ([PeerSet]): "debian12" (the
// default: Debian 12's packages in /usr/lib/python3/dist-packages, Flask
// 2.2.2, Werkzeug 2.2.2, itsdangerous 2.1.2, Django 3.2, Starlette 0.26.1,
// Quart 0.18.3) or "current" (the current Debian release's Flask 3.1,
// Werkzeug 3.1, itsdangerous 2.2, Django 4.2, Starlette 0.46, Quart 0.20,
// unpacked by compat/peers/current.sh into a folder put first on
// PYTHONPATH):
//
//	P=$(bash compat/peers/current.sh)
//	FLASKCOOKIE_PEERS=current PYTHONPATH=$P go test -count=1 ./...
//
// [Peers] probes the set once per test binary, fails the test when the
// packages do not come from the set the variable names (so a run never
// silently tests Debian 12 in place of the current set), and logs the
// versions on the test; [Start], [Shared] and package pyapp call it, so
// every live test names the versions it ran against. Tests that assert a
// difference between versions ask [PeerInfo.AtLeast]. Both variables are
// read with os.Getenv, so they enter Go's test cache key.
//
// # Protocol
//
// The client writes one JSON object per line to the process's stdin and reads
// one JSON line back. Every request has an "op"; every request that runs
// Python code carries "now" (Unix seconds), which time.time returns while the
// request runs. The request types in this package ([ItsdangerousRequest],
// [FlaskDumpsRequest], [FlaskLoadsRequest], [FlaskCheckRequest], ...) fill
// in the op; [Response] holds every response field.
//
// A response is {"ok": true, ...} or {"ok": false, "error": class, ...}.
// The class is the most specific of the itsdangerous exceptions BadData,
// BadSignature, BadTimeSignature, SignatureExpired and BadPayload (with
// "date_signed", "payload" and "original_error" when they apply), or
// "Exception" for any other Python exception (its class name in "type").
// These are answers, not failures: [Oracle.Do] returns them with a nil error.
// Two more classes mean the question itself was wrong, and Do returns them as
// a *[RejectedError]: "Request" (a malformed request: a bug in the test) and
// "Oracle" (a result with no wire form, or a bug in oracle.py).
//
// Python values travel as typed values ("tv"), passed as [json.RawMessage]:
// a JSON object with a type tag, {"t":"none"}, {"t":"bool","v":true},
// {"t":"int","v":"<decimal>"}, {"t":"float","v":"<repr>"} ("nan", "-0.0",
// "1e-07"), {"t":"str","v":"..."} or {"t":"str","wtf8":"<hex>"} for a str
// holding a lone surrogate, {"t":"bytes","v":"<hex>"}, {"t":"list","v":[...]},
// {"t":"tuple","v":[...]}, {"t":"dict","v":[["key",tv],...]} (insertion
// order), {"t":"markup","v":"..."}, {"t":"uuid","v":"<32 hex>"} and
// {"t":"datetime","v":<unix seconds>,"us":<microseconds>,"offset":<UTC
// offset seconds, or null if naive>}. A dict key the oracle cannot write as
// a plain JSON string without loss (a lone surrogate) is written as a str
// tv instead. Byte strings are [Bytes].
//
// The ops:
//
//   - ping: {"versions": {"python", "itsdangerous", "flask", "werkzeug",
//     "markupsafe"}}.
//   - itsdangerous: build one of Signer, TimestampSigner, Serializer,
//     TimedSerializer, URLSafeSerializer, URLSafeTimedSerializer and run
//     sign/unsign (value: bytestr, date_signed) or dumps/loads (value: tv,
//     date_signed) or loads_unsafe (verified, value). See
//     [ItsdangerousRequest].
//   - flask_dumps: Flask's session serializer inside app.app_context():
//     cookie, the tagged JSON it holds, and whether it was compressed.
//   - flask_loads: loads a cookie with max_age (31 days unless given): value,
//     the JSON Flask's serializer writes for it again, and open_session: what
//     Flask's open_session would do ("ok", "empty" for the BadSignature
//     family, "error" for BadPayload and the rest, "null" when the secret is
//     empty and Flask uses a NullSession).
//   - flask_check: loads like flask_loads and compares with an expected tv
//     using exact Python types (tuple vs list, bytes vs str, Markup vs str,
//     bool vs int vs float, NaN equal to NaN, -0.0 unlike 0.0, naive vs aware
//     datetimes and their UTC offsets): equal and diff.
//   - echo: a tv converted to Python and back, with the Python type and repr;
//     for checking a tv encoder.
//   - sleep: sleeps, for testing the client's timeout.
//
// Secret key fallbacks (Flask's SECRET_KEY_FALLBACKS) are emulated on
// Flask 2.2 the way Flask 3.1.1 and later do it: keys [*fallbacks, secret].
package pyoracle
