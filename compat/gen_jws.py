#!/usr/bin/python3
"""Generate testdata/jws/vectors.json from the real itsdangerous 2.0.1 JWS.

itsdangerous 2.1 removed JSONWebSignatureSerializer and its timed variant,
and Debian ships 2.1.2, so this script runs the classes from the upstream
git tags. Run it from the repository root with Debian's Python and the path
of a git clone of pallets/itsdangerous:

    /usr/bin/python3 compat/gen_jws.py /work/.mirror/pallets+itsdangerous/repo > testdata/jws/vectors.json

It extracts the tags 2.0.1 and 1.1.0 (`git archive <tag> src/itsdangerous`)
into a temporary directory outside the repository, runs itself once per tag
with that directory on PYTHONPATH (nothing of itsdangerous is copied into
the repository), writes the 2.0.1 results, and checks that 1.1.0 gives the
same token for every dumps vector with a single key (1.x has no key lists)
and the same outcome for every loads vector, except where the provenance
notes a difference.

The output is deterministic: time.time is patched for every call, nothing
is random, vectors are sorted by name, one per line.

Fields of a vector (see also testdata/jws/README.md):

  name            unique, "/"-separated
  class           JSONWebSignatureSerializer or TimedJSONWebSignatureSerializer
  keys            secret keys, oldest first (the last signs)
  salt            the constructor's salt (null = None: raw key, no derivation)
  algorithm_name  null = the default HS512
  expires_in      timed only: null = the default 3600
  op              "dumps" or "loads" (loads with return_header=True)
  now             the clock, Unix seconds
  call_salt       salt= of the dumps/loads call, null = none
  header_fields   dumps: the header_fields tv (a dict), null = none
  value           dumps: the input; loads: the payload when ok, else null
  header          dumps: the header inside the token; loads: the header
                  returned (exp converted by int() in the timed variant)
  token           dumps: Python's output; loads: the input
  error, message  null, or the exception class name and str(exception);
                  the class is BadSignature, BadHeader, BadPayload,
                  SignatureExpired, or a non-itsdangerous class (TypeError,
                  OverflowError) that Python lets through
  date_signed     SignatureExpired: e.date_signed as Unix seconds, or null
"""

import json
import os
import subprocess
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from vecgen import dispatch, frozen, run_worker, write  # noqa: E402

COMMAND = ("/usr/bin/python3 compat/gen_jws.py /work/.mirror/pallets+itsdangerous/repo"
           " > testdata/jws/vectors.json")
T = 1700000000  # 2023-11-14T22:13:20Z, the clock of spec §8
TAGS = ("2.0.1", "1.1.0")


# --------------------------------------------------------------- driver


def extract(repo, tag, into):
    """git archive <tag> src/itsdangerous into a fresh directory."""
    dest = os.path.join(into, tag)
    os.makedirs(dest)
    archive = subprocess.run(["git", "-C", repo, "archive", tag, "src/itsdangerous"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)
    return os.path.join(dest, "src")


def driver(repo):
    with tempfile.TemporaryDirectory(prefix="gen_jws.") as tmp:
        srcs = {tag: extract(repo, tag, tmp) for tag in TAGS}
        main = run_worker(__file__, "2.0.1", srcs["2.0.1"])
        vectors = main["vectors"]
        # Replay every vector on 1.1.0.
        replay = [v for v in vectors if len(v["keys"]) == 1]
        old = run_worker(__file__, "1.1.0", srcs["1.1.0"], json.dumps(replay).encode())
    diffs = []
    for v, o in zip(replay, old["results"]):
        if v["op"] == "dumps":
            if o.get("token") != v["token"]:
                raise SystemExit(f"1.1.0 token differs for {v['name']}: {o}")
            continue
        if (o["error"], o["message"]) != (v["error"], v["message"]):
            diffs.append(v["name"])
            v["error_1_1_0"] = o["error"]
            v["message_1_1_0"] = o["message"]
    n_dumps = sum(1 for v in replay if v["op"] == "dumps")
    n_loads = len(replay) - n_dumps
    prov = dict(main["provenance"])
    prov["command"] = COMMAND
    prov["clock"] = "time.time patched"
    prov["itsdangerous"] = "2.0.1 (git tag, run from PYTHONPATH; JWS was removed in 2.1)"
    prov["cross_check"] = (
        f"itsdangerous 1.1.0 (git tag) replayed the {n_dumps} single-key dumps vectors "
        f"byte for byte and the {n_loads} single-key loads vectors with the same "
        f"outcome, except {len(diffs)} whose 1.1.0 result is in error_1_1_0/message_1_1_0")
    write(prov, vectors)


# --------------------------------------------------------------- worker


def worker(tag):
    warnings.simplefilter("ignore")
    import itsdangerous
    assert itsdangerous.__version__ == tag, (itsdangerous.__version__, tag)
    assert os.path.abspath(itsdangerous.__file__).startswith(os.environ["PYTHONPATH"])
    from pytv import bytestr, check_roundtrip, from_tv, opt_bytestr, parse_bytestr, to_tv
    from itsdangerous import jws
    from itsdangerous.exc import BadData

    classes = {"JSONWebSignatureSerializer": jws.JSONWebSignatureSerializer,
               "TimedJSONWebSignatureSerializer": jws.TimedJSONWebSignatureSerializer}

    def build(c):
        keys = [parse_bytestr(k) for k in c["keys"]]
        kw = {}
        if tag == "1.1.0":
            assert len(keys) == 1
            key = keys[0]
        else:
            key = keys
        if c["salt"] is not None:
            kw["salt"] = parse_bytestr(c["salt"])
        if c["algorithm_name"] is not None:
            kw["algorithm_name"] = c["algorithm_name"]
        if c["class"] == "TimedJSONWebSignatureSerializer" and c["expires_in"] is not None:
            kw["expires_in"] = c["expires_in"]
        return classes[c["class"]](key, **kw)

    def call_salt(v):
        return None if v["call_salt"] is None else parse_bytestr(v["call_salt"])

    def run(v):
        """Run one vector's operation; return the result fields."""
        s = build(v)
        if v["op"] == "dumps":
            hf = None if v["header_fields"] is None else from_tv(v["header_fields"])
            with frozen(v["now"]):
                tok = s.dumps(from_tv(v["value"]), salt=call_salt(v), header_fields=hf)
                header = s.make_header(hf)
            assert isinstance(tok, bytes)
            return {"token": tok.decode("ascii"), "header": to_tv(header)}
        tok = parse_bytestr(v["token"])
        try:
            with frozen(v["now"]):
                payload, header = s.loads(tok, salt=call_salt(v), return_header=True)
        except BadData as e:
            ds = getattr(e, "date_signed", None)
            if ds is not None:
                if ds.tzinfo is None:  # 1.x: naive UTC
                    ds = ds.replace(tzinfo=__import__("datetime").timezone.utc)
                ds = int(ds.timestamp())
            return {"value": None, "header": None, "error": type(e).__name__,
                    "message": str(e), "date_signed": ds}
        except (TypeError, OverflowError, ValueError) as e:
            return {"value": None, "header": None, "error": type(e).__name__,
                    "message": str(e), "date_signed": None}
        return {"value": to_tv(payload), "header": to_tv(header), "error": None,
                "message": None, "date_signed": None}

    if tag != "2.0.1":
        results = [run(v) for v in json.load(sys.stdin)]
        json.dump({"results": results}, sys.stdout)
        return

    VECTORS = []
    names = set()

    def cfg(cls="JSONWebSignatureSerializer", keys=(b"secret-key",), salt=None, alg=None,
            expires_in=None):
        return {"class": cls, "keys": [bytestr(k) for k in keys], "salt": opt_bytestr(salt),
                "algorithm_name": alg,
                "expires_in": expires_in if cls.startswith("Timed") else None}

    def add(name, v):
        assert name not in names, name
        names.add(name)
        v = dict(name=name, **v)
        VECTORS.append(v)
        return v

    def dumps(name, c, value, now=T, call_salt_=None, header_fields=None):
        v = dict(c, op="dumps", now=now, call_salt=opt_bytestr(call_salt_),
                 header_fields=None if header_fields is None else check_roundtrip(header_fields),
                 value=check_roundtrip(value), header=None, token=None, error=None,
                 message=None, date_signed=None)
        v.update(run(v))
        add(name, v)
        # The token must load back at the same clock.
        loads(name + "/loads", c, v["token"], now=now, call_salt_=call_salt_)
        return v["token"]

    def loads(name, c, token, now=T, call_salt_=None):
        v = dict(c, op="loads", now=now, call_salt=opt_bytestr(call_salt_),
                 header_fields=None, value=None, header=None, token=bytestr(token),
                 error=None, message=None, date_signed=None)
        v.update(run(v))
        add(name, v)
        return v

    def raw(c, body, salt=None):
        """Sign arbitrary bytes with the serializer's own signer: the
        signature is valid, only the body is at fault."""
        s = build(c)
        return s.make_signer(salt).sign(body).decode("latin-1")

    def b64(obj_bytes):
        import base64
        return base64.urlsafe_b64encode(obj_bytes).rstrip(b"=")

    def body(header_json, payload_json):
        return b64(header_json) + b"." + b64(payload_json)

    J = "JSONWebSignatureSerializer"
    TJ = "TimedJSONWebSignatureSerializer"

    # Spec §5: the five example tokens.
    dumps("spec/default-hs512", cfg(), {"user_id": 42})
    dumps("spec/timed-3600", cfg(TJ, expires_in=3600), {"user_id": 42})
    dumps("spec/hs256-kid", cfg(alg="HS256"), {"a": 1}, header_fields={"kid": "k1"})
    dumps("spec/salt", cfg(salt=b"my-salt"), {"a": 1})
    dumps("spec/none", cfg(alg="none"), {"a": 1})

    values = {
        "str": "value", "int": 42, "dict": {"id": 42}, "list": [1, 2, 3], "none": None,
        "true": True, "unicode": {"name": "J\u00fcrgen \u20ac \U0001f600", "ls": "\u2028\x7f"},
        "float": [1.0, 0.1, 1e16, -0.0, 2.5e-07], "nested": {"a": {"b": [{"c": None}]}},
        "bigint": 12345678901234567890123, "empty-dict": {}, "empty-str": "",
        "escapes": "quote\" backslash\\ ctl\x01\n</script>",
    }
    for cls in (J, TJ):
        p = "jws" if cls == J else "timed"
        for alg in ("HS256", "HS384", "HS512", "none"):
            for vn, val in values.items():
                if alg != "HS512" and vn not in ("str", "dict", "unicode"):
                    continue
                dumps(f"{p}/{alg}/{vn}", cfg(cls, alg=alg), val)
        # Header fields: extra keys, an "alg" that is overwritten in place,
        # non-ASCII, nested values.
        dumps(f"{p}/header-fields/kid-typ", cfg(cls, alg="HS256"), "v",
              header_fields={"typ": "JWT", "kid": "k\u00e9y"})
        dumps(f"{p}/header-fields/alg-first", cfg(cls), "v",
              header_fields={"alg": "HS256", "kid": "k1"})
        dumps(f"{p}/header-fields/nested", cfg(cls), "v",
              header_fields={"x5": [1, {"a": None}], "n": 1.5})
        if cls == TJ:
            dumps(f"{p}/header-fields/iat-exp-overwritten", cfg(cls, expires_in=60), "v",
                  header_fields={"exp": 1, "iat": 2, "kid": "k"})
        # Salts.
        dumps(f"{p}/salt/str", cfg(cls, salt="my-salt"), {"a": 1})
        dumps(f"{p}/salt/empty", cfg(cls, salt=b""), {"a": 1})
        dumps(f"{p}/salt/nonutf8", cfg(cls, salt=b"\xff\xfe", alg="HS256"), {"a": 1})
        dumps(f"{p}/salt/call-salt", cfg(cls), {"a": 1}, call_salt_=b"per-call")
        dumps(f"{p}/salt/call-salt-overrides", cfg(cls, salt=b"class"), {"a": 1},
              call_salt_=b"per-call")
        # Keys.
        dumps(f"{p}/key/nonutf8", cfg(cls, keys=[b"\xff\x00k\x80"]), "v")
        dumps(f"{p}/key/empty", cfg(cls, keys=[b""], alg="HS256"), "v")
        dumps(f"{p}/key/unicode", cfg(cls, keys=["k\u00e9\U0001f600"]), "v")
        dumps(f"{p}/key/long", cfg(cls, keys=[b"k" * 200], alg="HS384"), "v")
        two = cfg(cls, keys=[b"old-key", b"new-key"])
        dumps(f"{p}/keys-2/signs-with-newest", two, "v")
        loads(f"{p}/keys-2/old-token", two, dumps_token(build, cfg(cls, keys=[b"old-key"]), "v"))
        loads(f"{p}/keys-2/unknown-key",
              two, dumps_token(build, cfg(cls, keys=[b"other"]), "v"))
        # Wrong salt, wrong key, wrong algorithm.
        tok = dumps_token(build, cfg(cls), {"id": 42})
        loads(f"{p}/wrong/key", cfg(cls, keys=[b"other-key"]), tok)
        loads(f"{p}/wrong/salt", cfg(cls, salt=b"s"), tok)
        loads(f"{p}/wrong/call-salt", cfg(cls), tok, call_salt_=b"s")
        loads(f"{p}/wrong/alg-hs256-serializer", cfg(cls, alg="HS256"), tok)
        loads(f"{p}/wrong/none-serializer", cfg(cls, alg="none"), tok)
        none_tok = dumps_token(build, cfg(cls, alg="none"), {"id": 42})
        loads(f"{p}/wrong/none-token-hs512-serializer", cfg(cls), none_tok)
        # Algorithm mismatch (test_algorithm_mismatch): signed with HS512
        # but the header says HS256.
        hdr = (b'{"alg":"HS256"}' if cls == J
               else b'{"alg":"HS256","iat":1700000000,"exp":1700003600}')
        loads(f"{p}/alg-mismatch/header-hs256", cfg(cls), raw(cfg(cls), body(hdr, b'"value"')))
        loads(f"{p}/alg-mismatch/header-none", cfg(cls),
              raw(cfg(cls), body(hdr.replace(b"HS256", b"none"), b'"value"')))
        loads(f"{p}/alg-mismatch/header-no-alg", cfg(cls),
              raw(cfg(cls), body(hdr.replace(b'"alg":"HS256",', b"").replace(b'"alg":"HS256"', b""), b'"value"')))
        loads(f"{p}/alg-mismatch/header-alg-int", cfg(cls),
              raw(cfg(cls), body(hdr.replace(b'"HS256"', b"512"), b'"value"')))
        loads(f"{p}/alg-mismatch/header-alg-lowercase", cfg(cls),
              raw(cfg(cls), body(hdr.replace(b'"HS256"', b'"hs512"'), b'"value"')))
        # test_load_payload_exceptions.
        for i, bad in enumerate((b"ab", b"a.b", b"ew.b", b"ew.ab", b"W10.ab")):
            loads(f"{p}/load-payload/{i}-{bad.decode()}", cfg(cls), raw(cfg(cls), bad))
        # More hand-made bodies with valid signatures.
        ok_hdr = (b'{"alg":"HS512"}' if cls == J
                  else b'{"alg":"HS512","iat":1700000000,"exp":1700003600}')
        hand = {
            "payload-bad-json": body(ok_hdr, b"{nope"),
            "payload-nonutf8": body(ok_hdr, b'"\xff"'),
            "payload-nan": body(ok_hdr, b"[NaN,Infinity,-Infinity]"),
            "payload-dup-keys": body(ok_hdr, b'{"a":1,"a":2}'),
            "payload-empty": body(ok_hdr, b""),
            "payload-whitespace": body(ok_hdr, b' {"a" : 1} '),
            "payload-surrogate": body(ok_hdr, b'"\\ud800"'),
            "payload-dots": b64(ok_hdr) + b"." + b64(b'"x"') + b".extra",
            "payload-padded": b64(ok_hdr) + b"." + b64(b'"xy"') + b"==",
            "payload-plus-slash": b64(ok_hdr) + b"." + b"Ij8_Ig".replace(b"_", b"/"),
            "header-bad-json": body(b'{"alg":', b'"v"'),
            "header-list": body(b'["alg"]', b'"v"'),
            "header-string": body(b'"HS512"', b'"v"'),
            "header-nonutf8": body(b'{"alg":"HS512","x":"\xff"}', b'"v"'),
            "header-bad-base64": b"A." + b64(b'"v"'),
            "header-empty": b"." + b64(b'"v"'),
            "header-junk-base64": b"!" + b64(ok_hdr) + b"." + b64(b'"v"'),
            "header-extra-fields": body(ok_hdr[:-1] + b',"typ":"JWT","kid":["a"]}', b'"v"'),
            "header-dup-alg": body(b'{"alg":"HS256","alg":"HS512"'
                                   + ok_hdr[len(b'{"alg":"HS512"'):], b'"v"'),
            "no-dot": b64(ok_hdr),
        }
        for hn, hb in hand.items():
            loads(f"{p}/hand/{hn}", cfg(cls), raw(cfg(cls), hb))
        # Tampering.
        tok = dumps_token(build, cfg(cls, alg="HS256"), {"id": 42})
        h, pl, sig = tok.split(".")
        tampers = {
            "sig-char": f"{h}.{pl}.{sig[:-1]}{'A' if sig[-1] != 'A' else 'B'}",
            "sig-truncated": f"{h}.{pl}.{sig[:-1]}",
            "sig-empty": f"{h}.{pl}.",
            "sig-missing": f"{h}.{pl}",
            "sig-padded": f"{h}.{pl}.{sig}=",
            "sig-plus-slash": f"{h}.{pl}.{sig.replace('-', '+').replace('_', '/')}",
            "payload-changed": f"{h}.{pl[:-1]}0.{sig}",
            "header-changed": f"{h[:-1]}0.{pl}.{sig}",
            "empty": "",
            "only-dots": "..",
        }
        for tn, tt in tampers.items():
            loads(f"{p}/tamper/{tn}", cfg(cls, alg="HS256"), tt)

    # Timed: expiry.
    tc = cfg(TJ, expires_in=10)
    tok = dumps("timed/exp/expires-in-10", tc, {"id": 42})
    for dt in (0, 1, 10, 11, 3600, -1, -100000):
        loads(f"timed/exp/at-{dt:+d}", tc, tok, now=T + dt)
    dumps("timed/exp/expires-in-0", cfg(TJ, expires_in=0), "v")
    loads("timed/exp/expires-in-0-at+1", cfg(TJ, expires_in=0),
          dumps_token(build, cfg(TJ, expires_in=0), "v"), now=T + 1)
    dumps("timed/exp/expires-in-default", cfg(TJ), "v")
    dumps("timed/exp/expires-in-negative", cfg(TJ, expires_in=-5), "v")
    dumps("timed/exp/expires-in-big", cfg(TJ, expires_in=5 * 10**9), "v")
    dumps("timed/exp/now-0", cfg(TJ), "v", now=0)

    def timed_hdr(fields):
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()

    base = {"alg": "HS512", "iat": T}
    exps = {
        "missing": None,
        "string-int": "1700003600",
        "string-spaces": " 1700003600\n",
        "string-underscores": "1_700_003_600",
        "string-plus": "+1700003600",
        "string-invalid": "invalid",
        "string-float": "1700003600.5",
        "string-empty": "",
        "float": 1700003600.9,
        "float-past": 1699999999.9,
        "float-small": 0.5,
        "negative": -1,
        "zero": 0,
        "true": True,
        "null": "NULL",
        "list": [1700003600],
        "dict": {"a": 1},
        "big": 10 ** 30,
        "big-negative": -(10 ** 30),
        "now": T,
        "now-minus-1": T - 1,
        "nan": "NAN",
        "inf": "INF",
        "-inf": "-INF",
    }
    for en, exp in exps.items():
        h = dict(base)
        if en != "missing":
            h["exp"] = {"NULL": None, "NAN": float("nan"), "INF": float("inf"),
                        "-INF": float("-inf")}.get(exp, exp) if isinstance(exp, str) else exp
        hb = json.dumps(h, separators=(",", ":"), ensure_ascii=False).encode()
        loads(f"timed/hand-exp/{en}", tc, raw(tc, body(hb, b'"v"')))
    iats = {"missing": None, "invalid": "invalid", "float": 1699999990.7, "true": True,
            "null": "NULL", "negative": -5, "string-int": "1699999990"}
    for iname, iat in iats.items():
        h = {"alg": "HS512"}
        if iname != "missing":
            h["iat"] = None if iat == "NULL" else iat
        h["exp"] = T - 1  # expired: date_signed comes from iat
        hb = timed_hdr(h)
        loads(f"timed/hand-iat/{iname}", tc, raw(tc, body(hb, b'"v"')))
    # A plain JWS token is refused by the timed serializer (no exp) and the
    # other way round a timed token loads in the plain serializer.
    loads("timed/plain-jws-token", cfg(TJ), dumps_token(build, cfg(J), "v"))
    loads("jws/timed-token", cfg(J), dumps_token(build, cfg(TJ), "v"))
    # A token made by a generic JWT library (raw key, HS256, typ first).
    std = raw(cfg(J, alg="HS256"), body(b'{"typ":"JWT","alg":"HS256"}', b'{"sub":"1234567890"}'))
    loads("jws/standard-jwt-hs256", cfg(J, alg="HS256"), std)

    VECTORS.sort(key=lambda v: v["name"])
    import platform
    import zlib
    json.dump({"provenance": {"python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION},
               "vectors": VECTORS}, sys.stdout)


def dumps_token(build, c, value, now=T):
    with frozen(now):
        return build(c).dumps(value).decode("ascii")


if __name__ == "__main__":
    dispatch(__doc__, worker, driver)
