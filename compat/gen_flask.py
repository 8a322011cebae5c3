#!/usr/bin/python3
"""Generate testdata/flask/vectors.json from the real Flask session code.

Run from the repository root with Debian's Python (Flask 2.2.2, Werkzeug
2.2.2, itsdangerous 2.1.2, MarkupSafe 2.1.2):

    /usr/bin/python3 compat/gen_flask.py > testdata/flask/vectors.json

Cookies come from SecureCookieSessionInterface().get_signing_serializer(app)
inside app.app_context() (so Flask's JSON provider is used: sort_keys,
ensure_ascii, compact), with time.time patched. Decoding uses
s.loads(cookie, max_age=...) exactly as open_session does.

SECRET_KEY_FALLBACKS does not exist in Flask 2.2. There, vectors with
"fallbacks" emulate Flask >= 3.1.1 by building the same serializer with the
key list [*fallbacks, secret] (what 3.1.1 passes), so the secret signs and
every key verifies, secret first. Flask 3.1.1 and later (the current peer
set, FLASKCOOKIE_PEERS=current) run their own SECRET_KEY_FALLBACKS instead,
and must give the same vectors (compat/generators_test.go).

Deterministic: fixed clock, fixed random seed, vectors sorted by name.
"""

import base64
import datetime as dt
import importlib.metadata
import os
import random
import sys
import uuid
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flask import Flask  # noqa: E402
from flask.sessions import SecureCookieSessionInterface  # noqa: E402
from itsdangerous import BadData, URLSafeTimedSerializer  # noqa: E402
from markupsafe import Markup  # noqa: E402

import peerset  # noqa: E402
from vecgen import frozen, provenance, write  # noqa: E402
from pytv import bytestr, check_roundtrip, to_tv  # noqa: E402

COMMAND = peerset.command("gen_flask.py", "flask")
T = 1700000000
LIFETIME = 2678400  # PERMANENT_SESSION_LIFETIME default, 31 days
UTC = dt.timezone.utc
SEED = 20231114


class FallbackInterface(SecureCookieSessionInterface):
    """Flask >= 3.1.1 key handling on Flask 2.2: keys = [*fallbacks, secret]."""

    def __init__(self, fallbacks):
        self.fallbacks = fallbacks

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        keys = [*self.fallbacks, app.secret_key]
        return URLSafeTimedSerializer(
            keys,
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs=dict(key_derivation=self.key_derivation, digest_method=self.digest_method),
        )


APP = Flask("flaskcookie_vectors")


def has_fallbacks():
    """Flask 3.1.1 and later read SECRET_KEY_FALLBACKS themselves."""
    v = tuple(int(x) for x in importlib.metadata.version("flask").split(".")[:3])
    return v >= (3, 1, 1)


def get_serializer(secret, fallbacks):
    APP.secret_key = secret
    if has_fallbacks():
        APP.config["SECRET_KEY_FALLBACKS"] = list(fallbacks or [])
        return SecureCookieSessionInterface().get_signing_serializer(APP)
    if fallbacks is None:
        return SecureCookieSessionInterface().get_signing_serializer(APP)
    return FallbackInterface(list(fallbacks)).get_signing_serializer(APP)


FALLBACKS_NOTE = (
    "Flask's own SECRET_KEY_FALLBACKS" if has_fallbacks() else
    "Flask 2.2 has no SECRET_KEY_FALLBACKS; vectors with fallbacks emulate Flask >= 3.1.1 "
    "by building the same URLSafeTimedSerializer with keys [*fallbacks, secret]")


VECTORS = []
NAMES = set()


def b(x):
    return x.encode("utf-8") if isinstance(x, str) else x


def b64u(x):
    return base64.urlsafe_b64encode(x).rstrip(b"=")


def payload_json(cookie):
    """The JSON text a cookie carries, or None when it cannot be read."""
    parts = cookie.rsplit(".", 2)
    if len(parts) != 3:
        return None
    p = parts[0].encode()
    try:
        if p.startswith(b"."):
            raw = zlib.decompress(base64.urlsafe_b64decode(p[1:] + b"=" * (-len(p[1:]) % 4)))
        else:
            raw = base64.urlsafe_b64decode(p + b"=" * (-len(p) % 4))
        return raw.decode("utf-8")
    except Exception:
        return None


def emit(name, secret, fallbacks, now, op, value, decoded, js, cookie, max_age, error, message):
    assert name not in NAMES, name
    NAMES.add(name)
    VECTORS.append({
        "name": name,
        "secret": bytestr(secret),
        "fallbacks": None if fallbacks is None else [bytestr(f) for f in fallbacks],
        "now": now,
        "op": op,
        "value": value,
        "decoded": decoded,
        "json": js,
        "cookie": cookie,
        "compressed": cookie.startswith("."),
        "max_age": max_age,
        "error": error,
        "message": message,
    })


def encode(name, value, secret=b"dev-secret", fallbacks=None, now=T):
    """Record the cookie Flask writes for the session dict value."""
    secret = b(secret)
    assert isinstance(value, dict)
    tv = check_roundtrip(value)
    with APP.app_context():
        s = get_serializer(secret, fallbacks)
        with frozen(now):
            cookie = s.dumps(value)
            js = s.serializer.dumps(value)
            decoded = s.loads(cookie, max_age=LIFETIME)
    assert payload_json(cookie) == js, (cookie, js)
    emit(name, secret, fallbacks, now, "encode", tv, to_tv(decoded), js, cookie, None, None, None)
    return cookie


def decode(name, cookie, secret=b"dev-secret", fallbacks=None, now=T, max_age=LIFETIME):
    """Record what open_session's s.loads(cookie, max_age) gives."""
    secret = b(secret)
    value = error = message = None
    with APP.app_context():
        s = get_serializer(secret, fallbacks)
        with frozen(now):
            try:
                value = to_tv(s.loads(cookie, max_age=max_age))
            except BadData as e:
                error = type(e).__name__
                message = str(e)
    assert error in (None, "BadSignature", "BadTimeSignature", "SignatureExpired", "BadPayload"), error
    emit(name, secret, fallbacks, now, "decode", value, value, payload_json(cookie), cookie, max_age,
         error, message)
    return error


def raw_cookie(json_bytes, secret=b"dev-secret", now=T, compress=False):
    """Sign arbitrary JSON bytes the way Flask signs its payload."""
    with APP.app_context():
        s = get_serializer(b(secret), None)
        payload = b"." + b64u(zlib.compress(json_bytes)) if compress else b64u(json_bytes)
        with frozen(now):
            return s.make_signer().sign(payload).decode("ascii")


# ---------------------------------------------------------------------------
# Random sessions

STR_POOL = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.")
    + ['"', "\\", "/", "<", ">", "&", "'", "\x00", "\x01", "\x08", "\t", "\n", "\r", "\x1f",
       "\x7f", "\x80", "\u00e9", "\u00fc", "\u20ac", "\u2028", "\u2029", "\ufeff", "\uffff",
       "\U0001f600", "\U00010000", "\U0010ffff", "\u4e2d", " t", " di", " b"]
)
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
TAG_KEYS = [" t", " di", " b", " m", " u", " d", " t__", " di__", " x", "_flashes", "_permanent", ""]


def rand_str(r, surrogates=True):
    n = r.choice([0, 1, 2, 3, 5, 8, 13])
    out = []
    for _ in range(n):
        if surrogates and r.random() < 0.03:
            out.append(r.choice(SURROGATES))
        else:
            out.append(r.choice(STR_POOL))
    return "".join(out)


def rand_key(r):
    x = r.random()
    if x < 0.3:
        return r.choice(TAG_KEYS)
    if x < 0.32:
        return rand_str(r) + r.choice(SURROGATES)
    return rand_str(r, surrogates=False)


def rand_int(r):
    return r.choice([
        lambda: r.randint(-10, 10),
        lambda: r.randint(-(2 ** 31), 2 ** 31),
        lambda: r.choice([2 ** 53, 2 ** 53 + 1, 2 ** 63 - 1, -(2 ** 63), 2 ** 63, -(2 ** 63) - 1, 2 ** 64]),
        lambda: r.randint(-(10 ** 40), 10 ** 40),
    ])()


def rand_float(r):
    return r.choice([
        lambda: r.choice([0.0, -0.0, 0.1, 1.0, -1.5, 1e-07, 1e16, 1e15, 1e-05, 0.0001, 5e-324,
                          1.7976931348623157e308, float("nan"), float("inf"), float("-inf")]),
        lambda: r.uniform(-1000, 1000),
        lambda: r.random() * 10 ** r.randint(-30, 30),
        lambda: float(r.randint(-(2 ** 60), 2 ** 60)),
    ])()


def rand_datetime(r):
    year = r.choice([r.randint(1971, 2037), r.randint(1900, 2100), r.randint(2, 9998), 1970, 1969])
    d = dt.datetime(year, r.randint(1, 12), r.randint(1, 28), r.randint(0, 23), r.randint(0, 59),
                    r.randint(0, 59), r.choice([0, 0, r.randint(0, 999999)]))
    kind = r.randint(0, 3)
    if kind == 0:
        return d  # naive
    if kind == 1:
        return d.replace(tzinfo=UTC)
    return d.replace(tzinfo=dt.timezone(dt.timedelta(minutes=15 * r.randint(-56, 56))))


def rand_value(r, depth):
    kinds = ["none", "bool", "int", "float", "str", "bytes", "markup", "uuid", "datetime"]
    if depth < 3:
        kinds += ["tuple", "list", "dict", "dict", "tagdict"]
    k = r.choice(kinds)
    if k == "none":
        return None
    if k == "bool":
        return r.random() < 0.5
    if k == "int":
        return rand_int(r)
    if k == "float":
        return rand_float(r)
    if k == "str":
        return rand_str(r)
    if k == "bytes":
        return bytes(r.getrandbits(8) for _ in range(r.choice([0, 1, 2, 3, 4, 7, 16])))
    if k == "markup":
        return Markup(rand_str(r, surrogates=False))
    if k == "uuid":
        return uuid.UUID(int=r.getrandbits(128))
    if k == "datetime":
        return rand_datetime(r)
    n = r.choice([0, 1, 1, 2, 3, 4])
    if k == "tuple":
        return tuple(rand_value(r, depth + 1) for _ in range(n))
    if k == "list":
        return [rand_value(r, depth + 1) for _ in range(n)]
    if k == "tagdict":
        return {r.choice(TAG_KEYS): rand_value(r, depth + 1)}
    return {rand_key(r): rand_value(r, depth + 1) for _ in range(n)}


def rand_session(r):
    return {rand_key(r): rand_value(r, 0) for _ in range(r.choice([0, 1, 2, 3, 4, 5, 6]))}


# ---------------------------------------------------------------------------


def tamper_cases(cookie):
    body, sig = cookie.rsplit(".", 1)
    payload, ts = body.rsplit(".", 1)

    def swap(s, i):
        return s[:i] + ("B" if s[i] != "B" else "C") + s[i + 1:]

    return [
        ("changed-payload", swap(cookie, 1)),
        ("changed-timestamp", payload + "." + swap(ts, 2) + "." + sig),
        ("changed-sig-char", body + "." + swap(sig, 3)),
        ("truncated-sig", cookie[:-1]),
        ("empty-sig", body + "."),
        ("no-sig", body),
        ("no-timestamp", payload + "." + sig),
        ("only-payload", payload),
        ("missing-dots", cookie.replace(".", "")),
        ("sig-plus-slash", body + "." + sig.replace("-", "+").replace("_", "/")),
        ("sig-extra-pad", cookie + "=="),
        ("sig-appended-A", cookie + "A"),
        ("timestamp-padded", payload + "." + ts + "==" + "." + sig),
        ("quoted", '"' + cookie + '"'),
        ("trailing-space", cookie + " "),
        ("wrong-secret", None),
        ("empty", ""),
    ]


def main():
    # Spec V9 / V10.
    v9 = {"tuple": (1, "a"), "bytes": b"\x00\xffbin", "markup": Markup("<b>hi</b>"),
          "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
          "dt": dt.datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=UTC),
          "nested": {" t": "not a tuple"}, "list": [1, (2, 3), {"k": b"v"}], "text": "J\u00fcrgen \u20ac"}
    encode("v9-every-tag", v9)
    encode("v10-user-id", {"user_id": 42})
    encode("v10-flashes-permanent", {"_flashes": [("message", "Hello")], "_permanent": True})
    encode("v10-permanent-x", {"_permanent": True, "x": 1})
    encode("v10-x", {"x": 1})

    # Every tag.
    tags = [
        ("tuple", (1, "a")), ("tuple-empty", ()), ("tuple-one", (1,)), ("tuple-nested", (1, (2, 3), [])),
        ("tuple-of-tagged", (b"x", Markup("<i>"), (None,))),
        ("bytes-empty", b""), ("bytes-fbfffe", b"\xfb\xff\xfe"), ("bytes-bin", b"\x00\xffbin"),
        ("bytes-ff", b"\xff"), ("bytes-1", b"a"), ("bytes-2", b"ab"), ("bytes-3", b"abc"),
        ("bytes-256", bytes(range(256))),
        ("markup", Markup("<b>hi</b>")), ("markup-empty", Markup("")),
        ("markup-unicode", Markup("\u00fc \U0001f600 \u2028 <&>")),
        ("uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
        ("uuid-zero", uuid.UUID(int=0)), ("uuid-max", uuid.UUID(int=2 ** 128 - 1)),
        ("uuid-v4", uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")),
        ("datetime-aware", dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("datetime-naive", dt.datetime(2023, 11, 14, 22, 13, 20)),
        ("datetime-offset-plus2", dt.datetime(2023, 11, 14, 12, 0, 0,
                                              tzinfo=dt.timezone(dt.timedelta(hours=2)))),
        ("datetime-offset-minus0530", dt.datetime(2023, 11, 14, 12, 0, 0,
                                                  tzinfo=dt.timezone(-dt.timedelta(hours=5, minutes=30)))),
        ("datetime-offset-crosses-day", dt.datetime(2024, 1, 1, 1, 0, 0,
                                                    tzinfo=dt.timezone(dt.timedelta(hours=14)))),
        ("datetime-microseconds", dt.datetime(2023, 11, 14, 22, 13, 20, 999999, tzinfo=UTC)),
        ("datetime-naive-microseconds", dt.datetime(2023, 11, 14, 22, 13, 20, 1)),
        ("datetime-year-5", dt.datetime(5, 1, 1, tzinfo=UTC)),
        ("datetime-year-5-naive", dt.datetime(5, 6, 7, 8, 9, 10)),
        ("datetime-year-69", dt.datetime(69, 1, 1, tzinfo=UTC)),
        ("datetime-year-99", dt.datetime(99, 12, 31, tzinfo=UTC)),
        ("datetime-year-100", dt.datetime(100, 1, 1, tzinfo=UTC)),
        ("datetime-year-999", dt.datetime(999, 1, 1, tzinfo=UTC)),
        ("datetime-year-1", dt.datetime(1, 1, 1, tzinfo=UTC)),
        ("datetime-year-9999", dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
        ("datetime-epoch", dt.datetime(1970, 1, 1, tzinfo=UTC)),
        ("datetime-before-epoch", dt.datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC)),
        ("datetime-leap-day", dt.datetime(2024, 2, 29, 12, 0, 0, tzinfo=UTC)),
    ]
    for n, v in tags:
        encode(f"tag/{n}", {"v": v})
    encode("tag/all-in-list", {"l": [v for _, v in tags]})

    # Escaped " di" cases and tag-like keys.
    di = [
        ("t-str", {" t": "x"}), ("di-int", {" di": 1}), ("t-tuple", {" t": (1,)}),
        ("t__-bytes", {" t__": b"a"}), ("unknown-x", {" x": 1}), ("two-keys", {" t": 1, "a": 2}),
        ("di-di", {" di": " di"}), ("b-str", {" b": "YWJj"}), ("m-str", {" m": "<b>"}),
        ("u-str", {" u": "12345678123456781234567812345678"}), ("d-str", {" d": "Tue, 14 Nov 2023 22:13:20 GMT"}),
        ("di-nested", {" di": {" t": [1]}}), ("t-list", {" t": [1, 2]}), ("di__", {" di__": 1}),
        ("empty-key", {"": 1}), ("t-space", {"t ": 1}), ("t-no-space", {"t": 1}),
        ("nested-tagdict", {"a": {"b": {" t": {" b": b"x"}}}}),
    ]
    for n, v in di:
        encode(f"tagdict/{n}", {"v": v})
    encode("tagdict/top-level-t", {" t": "x"})
    encode("tagdict/top-level-di", {" di": 1})
    encode("tagdict/top-level-two", {" t": 1, " b": 2})

    # Flashes and permanence.
    encode("flashes/two", {"_flashes": [("message", "Hello"), ("error", "Bad \u00fc")]})
    encode("flashes/markup", {"_flashes": [("info", Markup("<b>ok</b>"))], "_permanent": False})
    encode("flashes/with-user", {"user_id": 7, "_fresh": True, "_flashes": [("message", "x")], "_permanent": True,
                                 "csrf_token": "0123456789abcdef" * 2})

    # Unicode.
    uni = [("nonbmp", "\U0001f600\U00010000\U0010ffff"), ("u2028", "\u2028\u2029"), ("del", "\x7f"),
           ("controls", "".join(chr(i) for i in range(0x20))), ("latin", "J\u00fcrgen \u20ac"),
           ("escapes", "\"\\/<>&'"), ("bom-ffff", "\ufeff\uffff"), ("lone-surrogates", "a\ud800b\udfffc"),
           ("surrogate-pair-split", "\ud83d" + "x" + "\ude00")]
    for n, v in uni:
        encode(f"unicode/value-{n}", {"v": v})
        if "surrogate" not in n:
            encode(f"unicode/key-{n}", {v: 1})
    encode("unicode/key-lone-surrogate", {"k\udc80": 1, "a": 2})
    encode("unicode/key-order", {"\U0001f600": 1, "\uffff": 2, "\ue000": 3, "\ud7ff": 4, "z": 5, "Z": 6,
                                 "\x7f": 7, "\x80": 8, "": 9, " ": 10, "\u00e9": 11})

    # Numbers.
    nums = [("int-0", 0), ("int-neg", -1), ("int-2p53", 2 ** 53 + 1), ("int-max64", 2 ** 63 - 1),
            ("int-min64", -(2 ** 63)), ("int-2p64", 2 ** 64), ("int-huge", -(10 ** 50) - 7),
            ("float-nan", float("nan")), ("float-inf", float("inf")), ("float-neg-inf", float("-inf")),
            ("float-neg-zero", -0.0), ("float-1e-07", 1e-07), ("float-1e16", 1e16), ("float-0.1", 0.1),
            ("float-1.0", 1.0), ("float-1e15", 1e15), ("float-1e-05", 1e-05), ("float-5e-324", 5e-324),
            ("float-max", 1.7976931348623157e308), ("float-third", 1 / 3), ("bool-true", True),
            ("bool-false", False), ("none", None)]
    for n, v in nums:
        encode(f"number/{n}", {"v": v})

    encode("session/empty", {})
    encode("session/nested", {"a": {"b": {"c": [1, [2, [3, {"d": (4,)}]]]}}})
    encode("session/key-sorting", {"b": 1, "a": 2, "A": 3, "_": 4, "aa": 5, "a ": 6})

    # Compression.
    encode("compress/large-text", {"data": "a" * 5000})
    encode("compress/large-mixed", {f"k{i}": [i, str(i) * 3, b"\x00" * (i % 5), (i,)] for i in range(200)})
    encode("compress/large-random-bytes", {"blob": bytes(random.Random(1).getrandbits(8) for _ in range(1500))})
    gains = {}
    for n in range(0, 80):
        val = {"k": "a" * n}
        with APP.app_context():
            js = get_serializer(b"dev-secret", None).serializer.dumps(val).encode()
        gain = len(js) - len(zlib.compress(js))
        if gain in (0, 1, 2, 3):
            gains.setdefault(gain, []).append(n)
    for gain, ns in sorted(gains.items()):
        for n in ns[:2]:
            encode(f"compress/boundary-gain-{gain}-n{n}", {"k": "a" * n})
    for n in range(0, 20):
        encode(f"compress/boundary-scan-n{n}", {"k": "a" * n})

    # Secrets.
    encode("secret/bytes-non-utf8", {"x": 1}, secret=b"\xff\x00secret")
    encode("secret/unicode", {"x": 1}, secret="s\u00e9cret \U0001f600")
    encode("secret/long", {"x": 1}, secret=b"k" * 200)

    # Key rotation (Flask >= 3.1.1 semantics, emulated).
    old = encode("rotation/cookie-by-old", {"user_id": 42}, secret=b"old-secret")
    older = encode("rotation/cookie-by-older", {"user_id": 42}, secret=b"older-secret")
    other = encode("rotation/cookie-by-other", {"user_id": 42}, secret=b"other-secret")
    encode("rotation/signs-with-secret", {"user_id": 42}, secret=b"new-secret", fallbacks=[b"old-secret"])
    encode("rotation/signs-with-secret-2-fallbacks", {"user_id": 42}, secret=b"new-secret",
           fallbacks=[b"older-secret", b"old-secret"])
    decode("rotation/old-via-fallback", old, secret=b"new-secret", fallbacks=[b"old-secret"])
    decode("rotation/older-via-first-fallback", older, secret=b"new-secret",
           fallbacks=[b"older-secret", b"old-secret"])
    decode("rotation/old-via-second-fallback", old, secret=b"new-secret",
           fallbacks=[b"older-secret", b"old-secret"])
    decode("rotation/old-no-fallbacks", old, secret=b"new-secret")
    decode("rotation/old-empty-fallbacks", old, secret=b"new-secret", fallbacks=[])
    decode("rotation/other-rejected", other, secret=b"new-secret", fallbacks=[b"old-secret"])
    decode("rotation/old-expired-via-fallback", old, secret=b"new-secret", fallbacks=[b"old-secret"],
           now=T + LIFETIME + 1)
    decode("rotation/non-utf8-fallback",
           encode("rotation/cookie-by-non-utf8", {"x": 1}, secret=b"\xfe\xff"),
           secret=b"new-secret", fallbacks=[b"\xfe\xff"])

    # Expiry (open_session passes max_age = lifetime for every cookie).
    base = encode("expiry/base", {"user_id": 42})
    for n, now, ma in [("age-0", T, LIFETIME), ("age-max", T + LIFETIME, LIFETIME),
                       ("age-max+1", T + LIFETIME + 1, LIFETIME), ("future-1", T - 1, LIFETIME),
                       ("future-1-day", T - 86400, LIFETIME), ("lifetime-42-age-42", T + 42, 42),
                       ("lifetime-42-age-43", T + 43, 42), ("lifetime-0-age-0", T, 0),
                       ("lifetime-0-age-1", T + 1, 0), ("no-max-age-future", T - 1000, None),
                       ("no-max-age-old", T + 10 ** 9, None)]:
        decode(f"expiry/{n}", base, now=now, max_age=ma)
    perm = encode("expiry/permanent-base", {"_permanent": True, "x": 1})
    decode("expiry/permanent-age-max+1", perm, now=T + LIFETIME + 1)

    # Tampering.
    for bn, v in [("small", {"user_id": 42}), ("compressed", {"data": "a" * 300})]:
        c = encode(f"tamper/base-{bn}", v)
        for n, tc in tamper_cases(c):
            if tc is None:
                decode(f"tamper/{bn}/{n}", c, secret=b"wrong-secret")
            else:
                decode(f"tamper/{bn}/{n}", tc)
    decode("tamper/decoded-at-now-of-other-clock", base, now=T + 5)

    # Hand-made payloads, validly signed.
    crafted = [
        ("bad-bytes-padding", b'{"v":{" b":"YWJ"}}'),
        ("bad-bytes-int", b'{"v":{" b":5}}'),
        ("bytes-urlsafe-chars-dropped", b'{"v":{" b":"-_8="}}'),
        ("bytes-no-padding", b'{"v":{" b":"YQ"}}'),
        ("bytes-junk-dropped", b'{"v":{" b":"Y!W=\\nJj"}}'),
        ("bytes-extra-padding", b'{"v":{" b":"YQ===="}}'),
        ("bytes-urlsafe-full", b'{"v":{" b":"-_-_"}}'),
        ("bad-uuid", b'{"v":{" u":"xyz"}}'),
        ("bad-uuid-short", b'{"v":{" u":"1234"}}'),
        ("bad-uuid-int", b'{"v":{" u":5}}'),
        ("uuid-dashes", b'{"v":{" u":"12345678-1234-5678-1234-567812345678"}}'),
        ("uuid-braces-urn", b'{"v":{" u":"urn:uuid:{12345678-1234-5678-1234-567812345678}"}}'),
        ("uuid-upper", b'{"v":{" u":"ABCDEF78123456781234567812345678"}}'),
        ("date-garbage", b'{"v":{" d":"garbage"}}'),
        ("date-int", b'{"v":{" d":5}}'),
        ("date-offset", b'{"v":{" d":"Tue, 14 Nov 2023 22:13:20 +0200"}}'),
        ("date-minus-0000", b'{"v":{" d":"Tue, 14 Nov 2023 22:13:20 -0000"}}'),
        ("date-no-zone", b'{"v":{" d":"Tue, 14 Nov 2023 22:13:20"}}'),
        ("date-no-weekday", b'{"v":{" d":"14 Nov 2023 22:13:20 GMT"}}'),
        ("date-wrong-weekday", b'{"v":{" d":"Mon, 14 Nov 2023 22:13:20 GMT"}}'),
        ("date-2-digit-year", b'{"v":{" d":"Tue, 14 Nov 23 22:13:20 GMT"}}'),
        ("date-year-0005", b'{"v":{" d":"Sat, 01 Jan 0005 00:00:00 GMT"}}'),
        ("date-year-0150", b'{"v":{" d":"Sat, 01 Jan 0150 00:00:00 GMT"}}'),
        ("date-est", b'{"v":{" d":"Tue, 14 Nov 2023 22:13:20 EST"}}'),
        ("date-utc-word", b'{"v":{" d":"Tue, 14 Nov 2023 22:13:20 UTC"}}'),
        ("date-iso", b'{"v":{" d":"2023-11-14T22:13:20Z"}}'),
        ("date-lowercase", b'{"v":{" d":"tue, 14 nov 2023 22:13:20 gmt"}}'),
        ("tuple-not-list", b'{"v":{" t":5}}'),
        ("tuple-string", b'{"v":{" t":"ab"}}'),
        ("tuple-dict", b'{"v":{" t":{"a":1}}}'),
        ("markup-int", b'{"v":{" m":5}}'),
        ("markup-null", b'{"v":{" m":null}}'),
        ("di-int", b'{"v":{" di":5}}'),
        ("di-empty", b'{"v":{" di":{}}}'),
        ("di-short-key", b'{"v":{" di":{"ab":1}}}'),
        ("di-two-keys", b'{"v":{" di":{"a__":1,"b__":2}}}'),
        ("di-nested-tag", b'{"v":{" di":{" t__":{" t":[1]}}}}'),
        ("unknown-tag", b'{"v":{" x":1}}'),
        ("two-tags", b'{"v":{" t":[1]," b":"YQ=="}}'),
        ("nested-in-list", b'{"v":[{" t":[{" b":"YQ=="}]}]}'),
        ("top-level-tag-key", b'{" t":[1],"x":1}'),
        ("dup-keys", b'{"a":1,"a":2}'),
        ("whitespace", b' { "a" : 1 } '),
        ("nan-literals", b'{"a":NaN,"b":Infinity,"c":-Infinity}'),
        ("raw-utf8", '{"a":"\u00fc\U0001f600"}'.encode()),
        ("upper-hex-escape", b'{"a":"\\u00FC"}'),
        ("unsorted-keys", b'{"b":1,"a":2}'),
        ("lone-surrogate", b'{"a":"\\ud800"}'),
        ("big-int", b'{"a":123456789012345678901234567890}'),
        ("exp-float", b'{"a":1E400}'),
        ("bad-json", b'{"a":'),
        ("non-utf8", b'{"a":"\xff"}'),
        ("empty-object", b"{}"),
    ]
    for n, js in crafted:
        decode(f"payload/{n}", raw_cookie(js))
    decode("payload/compressed-level-9", raw_cookie(b'{"a":"' + b"x" * 100 + b'"}', compress=True))
    with APP.app_context():
        s = get_serializer(b"dev-secret", None)
        with frozen(T):
            signer = s.make_signer()
            decode("payload/bad-zlib-signed", signer.sign(b".YWJj").decode())
            decode("payload/bad-base64-signed", signer.sign(b"Y").decode())
            decode("payload/zlib-level-9-signed",
                   signer.sign(b"." + b64u(zlib.compress(b'{"a":"' + b"y" * 100 + b'"}', 9))).decode())

    # Random sessions.
    r = random.Random(SEED)
    for i in range(300):
        encode(f"random/{i:03d}", rand_session(r))

    VECTORS.sort(key=lambda v: v["name"])
    write(provenance(
        COMMAND,
        flask=importlib.metadata.version("flask"),
        werkzeug=importlib.metadata.version("werkzeug"),
        itsdangerous=importlib.metadata.version("itsdangerous"),
        markupsafe=importlib.metadata.version("markupsafe"),
        zlib=zlib.ZLIB_RUNTIME_VERSION,
        serializer="SecureCookieSessionInterface().get_signing_serializer(app) inside app.app_context()",
        fallbacks=FALLBACKS_NOTE,
        seed=SEED,
    ), VECTORS)


if __name__ == "__main__":
    peerset.check("flask", "werkzeug", "itsdangerous")
    main()
