#!/usr/bin/python3
"""Generate testdata/legacy/vectors.json: timestamped tokens of the real
itsdangerous 0.24, whose timestamps count from 2011-01-01 (EPOCH =
1293840000) instead of 1970.

Run from the repository root with Debian's Python and the path of a git
clone of pallets/itsdangerous:

    /usr/bin/python3 compat/gen_legacy.py /work/.mirror/pallets+itsdangerous/repo > testdata/legacy/vectors.json

It extracts the tag 0.24 (`git archive 0.24 itsdangerous.py`) into a
temporary directory outside the repository and runs itself with that
directory on PYTHONPATH: itsdangerous 0.24 imports and runs unmodified on
CPython 3.11 (no emulation). A second worker runs Debian's itsdangerous
2.1.2 on some 0.24 tokens, to record how current itsdangerous reads them
(as dates in the 1970s, expired as soon as an age is checked).

Fields of a vector (see also testdata/legacy/README.md):

  name          unique, "/"-separated
  version       "0.24" or "2.1.2": the itsdangerous that ran the operation
  class         TimestampSigner, TimedSerializer or URLSafeTimedSerializer
  key, salt     the secret key and salt (salt null = the class default)
  op            "sign" (sign / dumps) or "verify" (unsign / loads with
                return_timestamp=True)
  now           the clock, Unix seconds (time.time patched)
  max_age       verify: max_age, null = None
  value         sign: the input; verify: the result when ok, else null
                (a byte string for TimestampSigner, a tv for serializers)
  token         sign: the output; verify: the input
  compressed    URL-safe payload starting with "."
  error         null, or BadSignature, BadTimeSignature, SignatureExpired,
                BadPayload
  message       str(exception) (0.24's own wording)
  date_signed   the signing time as Unix seconds: the returned timestamp of
                an ok verify, or e.date_signed of SignatureExpired (0.24
                gives a naive UTC datetime); null otherwise
  legacy_ts     sign: the integer stored in the token (seconds since
                2011-01-01 for 0.24)
"""

import base64
import datetime
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from vecgen import dispatch, frozen, run_worker, write  # noqa: E402

COMMAND = ("/usr/bin/python3 compat/gen_legacy.py /work/.mirror/pallets+itsdangerous/repo"
           " > testdata/legacy/vectors.json")
T = 1700000000  # 2023-11-14T22:13:20Z
T11 = 1308874145  # 2011-06-24T00:09:05Z, itsdangerous' own test clock
EPOCH = 1293840000


def driver(repo):
    with tempfile.TemporaryDirectory(prefix="gen_legacy.") as tmp:
        archive = subprocess.run(["git", "-C", repo, "archive", "0.24", "itsdangerous.py"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        old = run_worker(__file__, "0.24", tmp)
    modern_in = [v for v in old["vectors"] if v.get("modern")]
    modern = run_worker(__file__, "2.1.2", None, json.dumps(modern_in).encode())
    vectors = [v for v in old["vectors"] if not v.get("modern")] + modern["vectors"]
    for v in vectors:
        v.pop("modern", None)
    vectors.sort(key=lambda v: v["name"])
    prov = {
        "python": old["python"],
        "itsdangerous": "0.24 (git tag, run unmodified from PYTHONPATH); 2.1.2 (Debian) for the vectors whose version is 2.1.2",
        "command": COMMAND,
        "clock": "time.time patched",
        "zlib": old["zlib"],
        "emulation": "none: itsdangerous 0.24 imports and runs on CPython 3.11",
    }
    write(prov, vectors)


def unix(dt):
    if dt is None:
        return None
    if isinstance(dt, int):
        return dt
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp())


def worker(version):
    import itsdangerous
    from pytv import bytestr, check_roundtrip, from_tv, opt_bytestr, parse_bytestr, to_tv
    if version == "0.24":
        assert os.path.dirname(itsdangerous.__file__) == os.environ["PYTHONPATH"]
        assert itsdangerous.EPOCH == EPOCH
    else:
        import importlib.metadata
        assert importlib.metadata.version("itsdangerous") == version
    from itsdangerous import BadData

    classes = {"TimestampSigner": itsdangerous.TimestampSigner,
               "TimedSerializer": itsdangerous.TimedSerializer,
               "URLSafeTimedSerializer": itsdangerous.URLSafeTimedSerializer}

    def build(v):
        kw = {}
        if v["salt"] is not None:
            kw["salt"] = parse_bytestr(v["salt"])
        return classes[v["class"]](parse_bytestr(v["key"]), **kw)

    def run(v):
        s = build(v)
        signer = v["class"] == "TimestampSigner"
        if v["op"] == "sign":
            with frozen(v["now"]):
                if signer:
                    tok = s.sign(parse_bytestr(v["value"]))
                else:
                    tok = s.dumps(from_tv(v["value"]))
            if isinstance(tok, str):
                tok = tok.encode("utf-8")
            ts_part = tok.rsplit(b".", 2)[1]
            ts = int.from_bytes(base64.urlsafe_b64decode(ts_part + b"=" * (-len(ts_part) % 4)), "big")
            return {"token": bytestr(tok), "compressed": tok.startswith(b"."), "legacy_ts": ts,
                    "date_signed": ts + (EPOCH if version == "0.24" else 0)}
        tok = parse_bytestr(v["token"])
        try:
            with frozen(v["now"]):
                if signer:
                    value, ts = s.unsign(tok, max_age=v["max_age"], return_timestamp=True)
                    value = bytestr(value)
                else:
                    value, ts = s.loads(tok, max_age=v["max_age"], return_timestamp=True)
                    value = to_tv(value)
        except BadData as e:
            ds = getattr(e, "date_signed", None)
            if type(e).__name__ != "SignatureExpired":
                ds = None  # 0.24 puts the raw legacy integer here
            return {"value": None, "error": type(e).__name__, "message": str(e), "date_signed": unix(ds)}
        return {"value": value, "error": None, "message": None, "date_signed": unix(ts)}

    if version != "0.24":
        out = []
        for v in json.load(sys.stdin):
            v = dict(v, version=version, name=v["name"].replace("0.24-token", "read-by-2.1.2"))
            v.update(run(v))
            out.append(v)
        json.dump({"vectors": out}, sys.stdout)
        return

    VECTORS = []
    names = set()

    def cfg(cls, key=b"secret-key", salt=None):
        return {"class": cls, "key": bytestr(key), "salt": opt_bytestr(salt)}

    def add(name, c, **f):
        assert name not in names, name
        names.add(name)
        v = dict(name=name, version=version, **c)
        v.update(op=f["op"], now=f.get("now", T), max_age=f.get("max_age"), value=f.get("value"),
                 token=f.get("token"), compressed=False, error=None, message=None,
                 date_signed=None, legacy_ts=None)
        v.update(run(v))
        VECTORS.append(v)
        return v

    def sign(name, c, value, now=T):
        if c["class"] == "TimestampSigner":
            value = bytestr(value)
        else:
            value = check_roundtrip(value)
        tok = add(name, c, op="sign", value=value, now=now)["token"]
        verify(name + "/verify", c, tok, now=now)
        return tok

    def verify(name, c, tok, now=T, max_age=None):
        return add(name, c, op="verify", token=tok, now=now, max_age=max_age)

    TS = cfg("TimestampSigner")
    US = cfg("URLSafeTimedSerializer")
    TSER = cfg("TimedSerializer")
    tok = sign("timestampsigner/value", TS, b"value")
    sign("timestampsigner/value-t11", TS, b"value", now=T11)
    sign("timestampsigner/at-epoch", TS, b"value", now=EPOCH)
    sign("timestampsigner/epoch+1", TS, b"value", now=EPOCH + 1)
    sign("timestampsigner/epoch+256", TS, b"value", now=EPOCH + 256)
    sign("timestampsigner/salt", cfg("TimestampSigner", salt=b"my-salt"), b"value")
    sign("timestampsigner/nonutf8", cfg("TimestampSigner", key=b"\xff\x00k"), b"\x80\xff")
    for dt, ma in ((0, 10), (10, 10), (11, 10), (3600, None), (10 ** 8, 10 ** 9), (10 ** 8, 10)):
        verify(f"timestampsigner/max-age-{ma}/at{dt:+d}", TS, tok, now=T + dt, max_age=ma)
    verify("timestampsigner/tampered", TS, "valuE" + tok[5:])
    # 0.24 accepts a token signed in the future (2.x does not).
    verify("timestampsigner/future/max-age-10", TS, tok, now=T - 100, max_age=10)
    utok = sign("urlsafetimedserializer/dict", US, {"id": 42})
    sign("urlsafetimedserializer/unicode-ascii-escaped", US, {"name": "J\u00fcrgen \U0001f600"})
    sign("urlsafetimedserializer/compressed", US, {"data": "a" * 100})
    sign("urlsafetimedserializer/list", US, [1, 2.5, None, True, "x"])
    sign("urlsafetimedserializer/salt", cfg("URLSafeTimedSerializer", salt=b"activate"), {"id": 42})
    sign("urlsafetimedserializer/t11", US, {"id": 42}, now=T11)
    for dt, ma in ((0, 10), (10, 10), (11, 10)):
        verify(f"urlsafetimedserializer/max-age-{ma}/at{dt:+d}", US, utok, now=T + dt, max_age=ma)
    verify("urlsafetimedserializer/wrong-key", cfg("URLSafeTimedSerializer", key=b"other"), utok)
    sign("timedserializer/dict", TSER, {"id": 42, "b": "\u00fc"})
    sign("timedserializer/t11", cfg("TimedSerializer", key=b"secret_key"), {"id": 42}, now=T11)

    # How current itsdangerous (2.1.2) reads 0.24 tokens: the worker with
    # Debian's package runs these.
    for dt, ma in ((0, None), (0, 10 ** 9), (0, 3600)):
        for c, t in ((TS, tok), (US, utok)):
            v = {"name": f"{c['class'].lower()}/0.24-token/max-age-{ma}/at{dt:+d}", "version": version,
                 **c, "op": "verify", "now": T + dt, "max_age": ma, "value": None, "token": t,
                 "compressed": False, "error": None, "message": None, "date_signed": None,
                 "legacy_ts": None, "modern": True}
            VECTORS.append(v)

    import platform
    import zlib
    json.dump({"python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION,
               "vectors": VECTORS}, sys.stdout)


if __name__ == "__main__":
    dispatch(__doc__, worker, driver)
