#!/usr/bin/python3
"""Generate testdata/starlette/vectors.json from Debian's real Starlette.

Run from the repository root with Debian's Python (python3-starlette 0.26.1,
itsdangerous 2.1.2):

    /usr/bin/python3 compat/gen_starlette.py > testdata/starlette/vectors.json

Every vector drives the real starlette.middleware.sessions.SessionMiddleware
in-process: one ASGI request whose Cookie header carries "cookie" (if any)
through the middleware to a tiny app that records the session it sees and
then applies "value" (encode: update; clear: clear). The Set-Cookie header
the middleware sends is recorded as it is. time.time is patched to "now".
Output is deterministic: vectors sorted by name, one per line.

Fields (see also testdata/starlette/README.md):

  name          unique, "/"-separated
  secret        the secret key as bytes (str keys: their UTF-8)
  secret_type   how it was passed: "str", "bytes" (Starlette signs with
                str(secret), "b'...'") or "Secret" (starlette.datastructures)
  max_age       SessionMiddleware max_age (null = None: no expiry)
  path, same_site, https_only, session_cookie   the other middleware arguments
  op            "encode" (no cookie in; the app sets value), "decode" (the
                cookie in; the app records the session), "clear" (the cookie
                in; the app clears the session)
  now           the clock, Unix seconds
  value         encode: the session set; decode: the session the app saw
                ({} when the middleware reset it), null when it raised
  cookie        encode: the cookie value out; decode/clear: the value in
  json          encode: the JSON text inside the cookie
  set_cookie    the Set-Cookie header sent, null for none
  error         decode: null, or the class of what signer.unsign +
                b64decode + json.loads raised: BadSignature, BadTimeSignature,
                SignatureExpired (the middleware resets the session), or
                Error (binascii), JSONDecodeError, UnicodeDecodeError (it
                propagates: the app answers 500)
  message       str(exception)
  raises        decode: the middleware let the exception propagate
"""

import asyncio
import base64
import codecs
import copy
import importlib.metadata
import json
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import starlette  # noqa: E402
from itsdangerous import TimestampSigner  # noqa: E402
from itsdangerous.exc import BadSignature  # noqa: E402
from starlette.datastructures import Secret  # noqa: E402
from starlette.middleware.sessions import SessionMiddleware  # noqa: E402

import peerset  # noqa: E402
from vecgen import frozen, provenance, write  # noqa: E402
from pytv import bytestr, check_roundtrip, from_tv, parse_bytestr, to_tv  # noqa: E402

COMMAND = peerset.command("gen_starlette.py", "starlette")
T = 1700000000  # 2023-11-14T22:13:20Z, the clock of spec §8

VECTORS = []
NAMES = set()


def secret_arg(c):
    raw = parse_bytestr(c["secret"])
    if c["secret_type"] == "bytes":
        return raw
    s = raw.decode("utf-8")
    return Secret(s) if c["secret_type"] == "Secret" else s


def middleware_kwargs(c):
    return {"secret_key": secret_arg(c), "session_cookie": c["session_cookie"],
            "max_age": c["max_age"], "path": c["path"], "same_site": c["same_site"],
            "https_only": c["https_only"]}


def drive(c, cookie, action):
    """One request through the real middleware. Returns (session seen,
    Set-Cookie headers, exception raised)."""
    seen = {}

    async def app(scope, receive, send):
        seen["session"] = copy.deepcopy(scope["session"])
        action(scope["session"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    mw = SessionMiddleware(app, **middleware_kwargs(c))
    headers = []
    if cookie is not None:
        headers.append((b"cookie", f"{c['session_cookie']}={cookie}".encode("latin-1")))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": "/", "raw_path": b"/", "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 1),
             "server": ("testserver", 80)}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(msg):
        sent.append(msg)

    try:
        asyncio.run(mw(scope, receive, send))
    except Exception as e:  # noqa: BLE001 - record what propagates
        return None, [], e
    cookies = [v.decode("latin-1") for k, v in sent[0]["headers"] if k == b"set-cookie"]
    return seen.get("session"), cookies, None


def underlying(c, cookie):
    """What the middleware's own steps raise for a cookie, or None."""
    signer = TimestampSigner(str(secret_arg(c)))
    try:
        data = signer.unsign(cookie.encode("utf-8"), max_age=c["max_age"])
        json.loads(base64.b64decode(data))
    except Exception as e:  # noqa: BLE001
        return e
    return None


def cfg(secret=b"starlette-secret", secret_type="str", max_age=14 * 24 * 3600, path="/",
        same_site="lax", https_only=False, session_cookie="session"):
    return {"secret": bytestr(secret), "secret_type": secret_type, "max_age": max_age,
            "path": path, "same_site": same_site, "https_only": https_only,
            "session_cookie": session_cookie}


def add(name, c, **fields):
    assert name not in NAMES, name
    NAMES.add(name)
    v = dict(name=name, **c)
    v.update(op=fields["op"], now=fields.get("now", T), value=None, cookie=fields.get("cookie"),
             json=None, set_cookie=None, error=None, message=None, raises=False)
    VECTORS.append(v)
    return v


def encode(name, c, value, now=T):
    v = add(name, c, op="encode", now=now)
    v["value"] = check_roundtrip(value)
    with frozen(now):
        _, cookies, exc = drive(c, None, lambda s: s.update(value))
    assert exc is None, exc
    assert len(cookies) <= 1, cookies
    if cookies:
        v["set_cookie"] = cookies[0]
        v["cookie"] = cookies[0].split(";", 1)[0].split("=", 1)[1]
        payload = v["cookie"].rsplit(".", 2)[0]
        v["json"] = base64.b64decode(payload).decode("ascii")
        # The same cookie read back by the middleware at the same clock.
        decode(name + "/decode", c, v["cookie"], now=now)
    return v["cookie"]


def decode(name, c, cookie, now=T):
    v = add(name, c, op="decode", now=now, cookie=cookie)
    with frozen(now):
        seen, cookies, exc = drive(c, cookie, lambda s: None)
        err = underlying(c, cookie)
    if exc is not None:
        v["raises"] = True
        assert err is not None and type(err) is type(exc), (err, exc)
    else:
        v["value"] = to_tv(seen)
        v["set_cookie"] = cookies[0] if cookies else None
    if err is not None:
        v["error"] = type(err).__name__
        v["message"] = str(err)
        if isinstance(err, BadSignature):
            assert exc is None and seen == {}, (seen, exc)
    return v


def clear(name, c, cookie, now=T):
    v = add(name, c, op="clear", now=now, cookie=cookie)
    with frozen(now):
        seen, cookies, exc = drive(c, cookie, lambda s: s.clear())
    assert exc is None, exc
    v["value"] = to_tv(seen)
    v["set_cookie"] = cookies[0] if cookies else None
    return v


def signed(c, payload, now=T):
    """Sign arbitrary payload bytes with the middleware's signer."""
    with frozen(now):
        return TimestampSigner(str(secret_arg(c))).sign(payload).decode("latin-1")


def main():
    C = cfg()
    tok = encode("encode/v11", C, {"user_id": 42, "name": "J\u00fcrgen", "roles": ["a", "b"]})
    values = {
        "small": {"user_id": 42},
        "empty-nested": {"a": {}, "b": []},
        "unicode": {"name": "J\u00fcrgen \u20ac \U0001f600", "ls": "\u2028\x7f", "ctl": "\x01\n\t"},
        "escapes": {"html": "</script> & <b>", "quote": "\"'\\"},
        "floats": {"f": [1.0, 0.1, 1e16, -0.0, 2.5e-07, 1.5e300, 1e-05]},
        "nan-inf": {"x": [float("nan"), float("inf"), float("-inf")]},
        "bigint": {"n": 123456789012345678901234567890, "neg": -(2 ** 63)},
        "types": {"none": None, "t": True, "f": False, "i": 0, "s": ""},
        "order": {"z": 1, "a": 2, "m": {"y": 1, "b": 2}},
        "tuple-as-list": {"t": (1, 2)},
        "large": {"items": [{"id": i, "name": f"item {i}"} for i in range(50)]},
        "surrogate": {"s": "a\ud800b"},
        "plus-slash": {"k": "\u00ff\u00fe>>>???"},
    }
    for vn, val in values.items():
        encode(f"encode/{vn}", C, val)
    # Nothing in the session: no cookie is set.
    encode("encode/empty-session", C, {})
    # Secrets: bytes become their repr, Secret its value, unicode and empty.
    encode("secret/bytes-repr", cfg(secret_type="bytes"), {"a": 1})
    encode("secret/bytes-quote", cfg(secret=b"it's \xff", secret_type="bytes"), {"a": 1})
    encode("secret/Secret", cfg(secret_type="Secret"), {"a": 1})
    encode("secret/unicode", cfg(secret="k\u00e9y \U0001f600"), {"a": 1})
    encode("secret/empty", cfg(secret=b""), {"a": 1})
    # Cookie attributes.
    encode("attrs/https-only", cfg(https_only=True), {"a": 1})
    encode("attrs/same-site-strict", cfg(same_site="strict"), {"a": 1})
    encode("attrs/same-site-none-secure", cfg(same_site="none", https_only=True), {"a": 1})
    encode("attrs/path", cfg(path="/app"), {"a": 1})
    encode("attrs/cookie-name", cfg(session_cookie="sid"), {"a": 1})
    encode("attrs/max-age-none", cfg(max_age=None), {"a": 1})
    encode("attrs/max-age-0", cfg(max_age=0), {"a": 1})
    encode("attrs/max-age-60", cfg(max_age=60), {"a": 1})
    # Clearing a session that came in non-empty, and one that came in bad.
    clear("clear/loaded", C, tok)
    clear("clear/loaded-https-only", cfg(https_only=True, path="/x"), signed(cfg(), base64.b64encode(b'{"a": 1}')))
    clear("clear/bad-cookie", C, tok[:-1])
    clear("clear/no-cookie-in", C, None)
    # Expiry: 14 days by default; the future is refused (itsdangerous 2.x).
    for dt in (0, 1209600, 1209601, -1, 10 ** 9):
        decode(f"decode/age{dt:+}", C, tok, now=T + dt)
    for dt in (61, 10 ** 9, -100):
        decode(f"decode/max-age-none/age{dt:+}", cfg(max_age=None), tok, now=T + dt)
    decode("decode/max-age-0/same-second", cfg(max_age=0), tok)
    decode("decode/max-age-0/age+1", cfg(max_age=0), tok, now=T + 1)
    decode("decode/max-age-60/age+61", cfg(max_age=60), tok, now=T + 61)
    # Wrong keys.
    decode("decode/wrong-key", cfg(secret=b"other"), tok)
    decode("decode/bytes-key-is-not-the-str-key", cfg(secret_type="bytes"), tok)
    decode("decode/Secret-is-the-str-key", cfg(secret_type="Secret"), tok)
    # Tampering.
    value, ts, sig = tok.rsplit(".", 2)
    other = "A" if sig[-1] != "A" else "B"
    tampers = {
        "sig-char": f"{value}.{ts}.{sig[:-1]}{other}",
        "sig-truncated": f"{value}.{ts}.{sig[:-1]}",
        "sig-padded": f"{value}.{ts}.{sig}==",
        "sig-std-alphabet": f"{value}.{ts}.{sig.replace('-', '+').replace('_', '/')}",
        "payload-changed": f"{value[:-3]}A{value[-2:]}.{ts}.{sig}",
        "timestamp-changed": f"{value}.{ts[:-1]}B.{sig}",
        "no-timestamp": signed(C, b"eyJhIjogMX0=").rsplit(".", 2)[0] + "." + sig,
        "empty": "",
        "garbage": "not a cookie",
        "only-dots": "..",
    }
    for tn, tt in tampers.items():
        decode(f"decode/tamper/{tn}", C, tt)
    # A plain Signer token (no timestamp), validly signed.
    from itsdangerous import Signer
    decode("decode/plain-signer-token", C,
           Signer("starlette-secret").sign(base64.b64encode(b'{"a": 1}')).decode())
    # Validly signed payloads the middleware cannot read (it raises), or reads
    # in surprising ways.
    hand = {
        "bad-base64": b"e",
        "base64-no-padding": base64.b64encode(b'{"a": 1}').rstrip(b"="),
        "base64-urlsafe-chars": base64.urlsafe_b64encode(b'{"k": "\xff\xfe>>>???"}'),
        "base64-junk": b"eyJh!IjogMX0=",
        "base64-after-padding": base64.b64encode(b'{"a": 1}') + b"eyJi",
        "bad-json": base64.b64encode(b"{nope"),
        "json-list": base64.b64encode(b"[1, 2]"),
        "json-string": base64.b64encode(b'"s"'),
        "json-compact": base64.b64encode(b'{"a":1,"b":[2]}'),
        "json-raw-utf8": base64.b64encode('{"n": "J\u00fcrgen"}'.encode("utf-8")),
        "json-nonutf8": base64.b64encode(b'{"n": "\xff"}'),
        "json-utf8-bom": base64.b64encode(codecs.BOM_UTF8 + b'{"a": 1}'),
        "json-utf16-bom": base64.b64encode('{"a": "\u00fc"}'.encode("utf-16")),
        "json-utf16-le": base64.b64encode('{"a": 1}'.encode("utf-16-le")),
        "json-utf16-be": base64.b64encode('{"a": 1}'.encode("utf-16-be")),
        "json-utf32": base64.b64encode('{"a": 1}'.encode("utf-32")),
        "json-utf32-le": base64.b64encode('{"a": 1}'.encode("utf-32-le")),
        "json-raw-surrogate": base64.b64encode(b'{"s": "\xed\xa0\x80"}'),
        "json-escaped-surrogate": base64.b64encode(b'{"s": "\\udc00"}'),
        "json-nan": base64.b64encode(b'{"x": NaN}'),
        "json-dup-keys": base64.b64encode(b'{"a": 1, "a": 2}'),
        "json-whitespace": base64.b64encode(b' \n{"a": 1}\t'),
        "empty-payload": b"",
        "zlib-payload": base64.b64encode(zlib.compress(b'{"a": 1}')),
    }
    for hn, payload in hand.items():
        decode(f"decode/hand/{hn}", C, signed(C, payload))

    VECTORS.sort(key=lambda v: v["name"])
    write(provenance(
        COMMAND,
        starlette=starlette.__version__,
        itsdangerous=importlib.metadata.version("itsdangerous"),
        driver="the real SessionMiddleware, called in-process through ASGI",
    ), VECTORS)


if __name__ == "__main__":
    peerset.check("starlette", "itsdangerous")
    assert from_tv
    main()
