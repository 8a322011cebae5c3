#!/usr/bin/python3
"""A long-lived oracle that answers questions with the real Python packages.

Run it as ``/usr/bin/python3 compat/oracle.py``. It reads one JSON request per
line on stdin and writes exactly one JSON response line per request on stdout
(flushed after every line). It exits when stdin reaches end of file. Nothing
else is ever written to stdout: stray prints go to stderr.

The Go client is package internal/testonly/pyoracle, whose doc lists the protocol. In
short, every request is an object with an "op" (and an optional "id" that is
echoed back). Responses are ``{"ok": true, ...}`` or ``{"ok": false, "error":
..., "message": ...}`` where "error" is one of

* ``BadData``, ``BadSignature``, ``BadTimeSignature``, ``SignatureExpired``,
  ``BadPayload``: the most specific itsdangerous class of the exception
  (plus "date_signed", "payload" and "original_error" where they apply);
* ``Exception``: any other exception raised by the code under test, with its
  class name in "type";
* ``Request``: the request itself is malformed (a bug in the caller);
* ``Oracle``: the oracle could not express a result (for example a Python
  value with no typed-value form).

Typed values ("tv") and byte strings ("bytestr") use the formats described
in internal/testonly/pyoracle/doc.go: ``{"t": "int", "v": "1"}`` and so on; a bytestr
is a JSON string (its UTF-8 encoding) or ``{"hex": "..."}``. Every request that runs
code carries "now" (Unix seconds); ``time.time`` returns it while the request
runs.

Ops: ping, itsdangerous, flask_dumps, flask_loads, flask_check, plus echo (a
tv round trip through Python, with its repr) and sleep (to test the client's
timeout).
"""

import base64
import contextlib
import datetime
import hashlib
import json
import math
import platform
import re
import sys
import time
import uuid
import zlib

try:
    import itsdangerous
    from itsdangerous import (
        BadData,
        BadPayload,
        BadSignature,
        BadTimeSignature,
        Serializer,
        SignatureExpired,
        Signer,
        TimedSerializer,
        TimestampSigner,
        URLSafeSerializer,
        URLSafeTimedSerializer,
    )
    from itsdangerous.encoding import base64_decode
    from itsdangerous.signer import HMACAlgorithm, NoneAlgorithm
    import flask
    from flask.sessions import SecureCookieSessionInterface
    import markupsafe
    from markupsafe import Markup
    import werkzeug

    IMPORT_ERROR = None
except Exception as _e:  # reported by every op, so the client can skip
    IMPORT_ERROR = _e


EPOCH_UTC = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
EPOCH_NAIVE = datetime.datetime(1970, 1, 1)
DEFAULT_FLASK_MAX_AGE = 2678400  # 31 days, Flask's PERMANENT_SESSION_LIFETIME
_INT_RE = re.compile(r"-?[0-9]+\Z")
_HEX_RE = re.compile(r"(?:[0-9a-fA-F]{2})*\Z")
_real_time = time.time


class RequestError(Exception):
    """The request is malformed; reported as error "Request"."""


class OracleError(Exception):
    """A result has no wire form; reported as error "Oracle"."""


# ---------------------------------------------------------------------------
# Clock and integer helpers


@contextlib.contextmanager
def frozen_time(now):
    """Make time.time() return now for the duration of the block."""
    time.time = lambda: now
    try:
        yield
    finally:
        time.time = _real_time


@contextlib.contextmanager
def unlimited_int_digits():
    """Lift CPython's int<->str digit limit for the oracle's own conversions.

    The limit is restored afterwards, so json.loads inside the code under test
    keeps CPython's default behaviour.
    """
    get = getattr(sys, "get_int_max_str_digits", None)
    if get is None:
        yield
        return
    old = get()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


def unix_seconds(dt):
    """Exact Unix seconds and microseconds of dt (naive counts as UTC)."""
    base = EPOCH_NAIVE if dt.utcoffset() is None else EPOCH_UTC
    delta = dt - base
    return delta.days * 86400 + delta.seconds, delta.microseconds


# ---------------------------------------------------------------------------
# bytestr


def from_bytestr(x, what):
    if isinstance(x, str):
        try:
            return x.encode("utf-8")
        except UnicodeEncodeError:
            raise RequestError(f"{what}: string holds a lone surrogate; use {{\"hex\": ...}}")
    if isinstance(x, dict) and set(x) == {"hex"} and isinstance(x["hex"], str):
        if not _HEX_RE.match(x["hex"]):
            raise RequestError(f"{what}: bad hex {x['hex']!r}")
        return bytes.fromhex(x["hex"])
    raise RequestError(f"{what}: want a bytestr (string or {{\"hex\": ...}}), got {x!r:.80}")


def to_bytestr(b):
    if isinstance(b, str):
        b = b.encode("utf-8", "surrogatepass")
    b = bytes(b)
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return {"hex": b.hex()}


# ---------------------------------------------------------------------------
# typed values


def from_tv(x):
    """Build the Python value a typed value describes."""
    if not isinstance(x, dict) or not isinstance(x.get("t"), str):
        raise RequestError(f"tv: want an object with a \"t\" tag, got {x!r:.80}")
    t = x["t"]
    keys = set(x) - {"t"}

    def field(name, types):
        if name not in x or not isinstance(x[name], types) or isinstance(x[name], bool) and bool not in types:
            raise RequestError(f"tv {t}: field {name!r} missing or of the wrong type in {x!r:.80}")
        return x[name]

    def only(*names):
        if not keys <= set(names):
            raise RequestError(f"tv {t}: unknown fields {sorted(keys - set(names))}")

    if t == "none":
        only()
        return None
    if t == "bool":
        only("v")
        v = x.get("v")
        if not isinstance(v, bool):
            raise RequestError("tv bool: v must be true or false")
        return v
    if t == "int":
        only("v")
        v = field("v", (str,))
        if not _INT_RE.match(v):
            raise RequestError(f"tv int: bad decimal {v!r:.80}")
        with unlimited_int_digits():
            return int(v)
    if t == "float":
        only("v")
        v = field("v", (str,))
        try:
            return float(v)
        except ValueError:
            raise RequestError(f"tv float: bad repr {v!r:.80}")
    if t == "str":
        only("v", "wtf8")
        if "wtf8" in x:
            h = field("wtf8", (str,))
            if "v" in x or not _HEX_RE.match(h):
                raise RequestError("tv str: bad wtf8 form")
            try:
                return bytes.fromhex(h).decode("utf-8", "surrogatepass")
            except UnicodeDecodeError as e:
                raise RequestError(f"tv str: wtf8 is not generalized UTF-8: {e}")
        return field("v", (str,))
    if t == "bytes":
        only("v")
        v = field("v", (str,))
        if not _HEX_RE.match(v):
            raise RequestError(f"tv bytes: bad hex {v!r:.80}")
        return bytes.fromhex(v)
    if t in ("list", "tuple"):
        only("v")
        items = [from_tv(i) for i in field("v", (list,))]
        return items if t == "list" else tuple(items)
    if t == "dict":
        only("v")
        d = {}
        for pair in field("v", (list,)):
            if not isinstance(pair, list) or len(pair) != 2:
                raise RequestError(f"tv dict: want [key, tv] pairs, got {pair!r:.80}")
            k = pair[0] if isinstance(pair[0], str) else from_tv(pair[0])
            d[k] = from_tv(pair[1])
        return d
    if t == "markup":
        only("v")
        return Markup(field("v", (str,)))
    if t == "uuid":
        only("v")
        v = field("v", (str,))
        if len(v) != 32 or not _HEX_RE.match(v):
            raise RequestError(f"tv uuid: want 32 hex digits, got {v!r:.80}")
        return uuid.UUID(hex=v)
    if t == "datetime":
        only("v", "us", "offset")
        secs = field("v", (int,))
        us = x.get("us", 0)
        off = x.get("offset")
        if not isinstance(us, int) or isinstance(us, bool) or not 0 <= us < 1000000:
            raise RequestError("tv datetime: us must be an int in [0, 1e6)")
        if off is not None and (not isinstance(off, int) or isinstance(off, bool) or not -86400 < off < 86400):
            raise RequestError("tv datetime: offset must be null or an int in (-86400, 86400)")
        try:
            if off is None:
                return EPOCH_NAIVE + datetime.timedelta(seconds=secs, microseconds=us)
            tz = datetime.timezone(datetime.timedelta(seconds=off))
            return (EPOCH_UTC + datetime.timedelta(seconds=secs, microseconds=us)).astimezone(tz)
        except (OverflowError, ValueError) as e:
            raise RequestError(f"tv datetime: out of range: {e}")
    raise RequestError(f"tv: unknown tag {t!r:.40}")


def _str_tv(s):
    try:
        s.encode("utf-8")
        return {"t": "str", "v": s}
    except UnicodeEncodeError:
        return {"t": "str", "wtf8": s.encode("utf-8", "surrogatepass").hex()}


def to_tv(x):
    """Describe a Python value as a typed value."""
    if x is None:
        return {"t": "none"}
    if isinstance(x, bool):
        return {"t": "bool", "v": x}
    if isinstance(x, int):
        with unlimited_int_digits():
            return {"t": "int", "v": str(int(x))}
    if isinstance(x, float):
        return {"t": "float", "v": repr(float(x))}
    if isinstance(x, Markup):
        return {"t": "markup", "v": str.__str__(x)}
    if isinstance(x, str):
        return _str_tv(str.__str__(x))
    if isinstance(x, (bytes, bytearray)):
        return {"t": "bytes", "v": bytes(x).hex()}
    if isinstance(x, tuple):
        return {"t": "tuple", "v": [to_tv(i) for i in x]}
    if isinstance(x, list):
        return {"t": "list", "v": [to_tv(i) for i in x]}
    if isinstance(x, dict):
        pairs = []
        for k, v in x.items():
            # A key is a plain JSON string when that is lossless; otherwise
            # (a lone surrogate, or a non-str key) it is written as a tv.
            if isinstance(k, str) and not isinstance(k, Markup) and "v" in _str_tv(k):
                key = k
            else:
                key = to_tv(k)
            pairs.append([key, to_tv(v)])
        return {"t": "dict", "v": pairs}
    if isinstance(x, uuid.UUID):
        return {"t": "uuid", "v": x.hex}
    if isinstance(x, datetime.datetime):
        secs, us = unix_seconds(x)
        off = x.utcoffset()
        return {
            "t": "datetime",
            "v": secs,
            "us": us,
            "offset": None if off is None else off.days * 86400 + off.seconds,
        }
    raise OracleError(f"no typed-value form for a {type(x).__name__}: {x!r:.80}")


def exact_diff(got, want, path="$"):
    """Return "" when got and want are equal with exactly the same types.

    Tuple differs from list, bytes from str, Markup from str, bool from int
    from float; NaN equals NaN; -0.0 differs from 0.0; naive differs from
    aware, and aware datetimes must have the same instant and UTC offset.
    Dict key order is not compared (Python's dict equality ignores it).
    """

    def mismatch(what):
        return f"{path}: {what}: got {got!r:.120}, want {want!r:.120}"

    if type(got) is not type(want):
        return mismatch(f"type {type(got).__name__} != {type(want).__name__}")
    if got is None:
        return ""
    if isinstance(got, float):
        if math.isnan(got) and math.isnan(want):
            return ""
        if got == want and math.copysign(1.0, got) == math.copysign(1.0, want):
            return ""
        return mismatch("float")
    if isinstance(got, (list, tuple)):
        if len(got) != len(want):
            return mismatch(f"length {len(got)} != {len(want)}")
        for i, (g, w) in enumerate(zip(got, want)):
            d = exact_diff(g, w, f"{path}[{i}]")
            if d:
                return d
        return ""
    if isinstance(got, dict):
        want_keys = {k: k for k in want}
        for k, v in got.items():
            if k not in want_keys:
                return f"{path}: unexpected key {k!r:.80}"
            d = exact_diff(k, want_keys[k], f"{path}.key({k!r:.40})")
            if d:
                return d
            d = exact_diff(v, want[k], f"{path}[{k!r:.40}]")
            if d:
                return d
        for k in want:
            if k not in got:
                return f"{path}: missing key {k!r:.80}"
        return ""
    if isinstance(got, datetime.datetime):
        if got.utcoffset() != want.utcoffset():
            return mismatch(f"utcoffset {got.utcoffset()} != {want.utcoffset()}")
        return "" if got == want else mismatch("datetime")
    return "" if got == want else mismatch("value")


# ---------------------------------------------------------------------------
# request helpers


class Req:
    """Typed access to the fields of one request."""

    def __init__(self, obj, allowed):
        unknown = set(obj) - set(allowed) - {"op", "id"}
        if unknown:
            raise RequestError(f"op {obj.get('op')!r}: unknown fields {sorted(unknown)}")
        self.obj = obj

    def has(self, name):
        return name in self.obj

    def get(self, name, types, required=False, default=None):
        if name not in self.obj:
            if required:
                raise RequestError(f"missing field {name!r}")
            return default
        v = self.obj[name]
        if v is None:
            if required:
                raise RequestError(f"field {name!r} may not be null")
            return None
        if not isinstance(v, types) or (isinstance(v, bool) and bool not in types):
            raise RequestError(f"field {name!r}: wrong type {type(v).__name__}")
        return v

    def number(self, name, required=False):
        return self.get(name, (int, float), required=required)

    def bytestr(self, name, required=False):
        if self.obj.get(name) is None:
            if required:
                raise RequestError(f"missing field {name!r}")
            return None
        return from_bytestr(self.obj[name], name)

    def bytestr_list(self, name, required=False):
        v = self.get(name, (list,), required=required)
        if v is None:
            return None
        return [from_bytestr(k, f"{name}[{i}]") for i, k in enumerate(v)]

    def tv(self, name):
        if name not in self.obj:
            raise RequestError(f"missing field {name!r}")
        return from_tv(self.obj[name])


def error_response(e):
    """Describe an exception raised by the code under test."""
    for cls in (SignatureExpired, BadTimeSignature, BadSignature, BadPayload, BadData):
        if isinstance(e, cls):
            resp = {"ok": False, "error": cls.__name__, "message": str(e), "date_signed": None}
            ds = getattr(e, "date_signed", None)
            if isinstance(ds, datetime.datetime):
                resp["date_signed"] = unix_seconds(ds)[0]
            if isinstance(e, BadSignature):
                p = e.payload
                resp["payload"] = to_bytestr(p) if isinstance(p, (bytes, str)) else None
            if isinstance(e, BadPayload) and e.original_error is not None:
                resp["original_error"] = type(e.original_error).__name__
            return resp
    return {"ok": False, "error": "Exception", "type": type(e).__name__, "message": str(e)}


# ---------------------------------------------------------------------------
# ops


def op_ping(req):
    Req(req, ())
    import importlib.metadata as md

    versions = {"python": platform.python_version()}
    for name, mod in (
        ("itsdangerous", itsdangerous),
        ("flask", flask),
        ("werkzeug", werkzeug),
        ("markupsafe", markupsafe),
    ):
        try:
            versions[name] = md.version(name)
        except Exception:
            versions[name] = str(getattr(mod, "__version__", "unknown"))
    return {"ok": True, "versions": versions}


def op_sleep(req):
    r = Req(req, ("seconds",))
    secs = r.number("seconds", required=True)
    time.sleep(max(0.0, min(float(secs), 600.0)))
    return {"ok": True}


def op_echo(req):
    r = Req(req, ("value",))
    v = r.tv("value")
    with unlimited_int_digits():
        text = repr(v)
    return {"ok": True, "value": to_tv(v), "type_name": type(v).__name__, "repr": text}


ITSDANGEROUS_CLASSES = {
    # name: (class, is a serializer, is timed)
    "Signer": ("Signer", False, False),
    "TimestampSigner": ("TimestampSigner", False, True),
    "Serializer": ("Serializer", True, False),
    "TimedSerializer": ("TimedSerializer", True, True),
    "URLSafeSerializer": ("URLSafeSerializer", True, False),
    "URLSafeTimedSerializer": ("URLSafeTimedSerializer", True, True),
}

# Fields of a fallback_signers entry. A salt is not allowed: itsdangerous
# always passes the serializer's salt to fallback signers.
FALLBACK_FIELDS = ("sep", "key_derivation", "digest", "algorithm")


def digest_method(name):
    if name in hashlib.algorithms_guaranteed and hasattr(hashlib, name):
        return getattr(hashlib, name)

    def new(data=b""):
        return hashlib.new(name, data)

    return new


def signer_kwargs(r):
    """Signer keyword arguments from the sep/key_derivation/digest/algorithm fields of r."""
    kw = {}
    sep = r.bytestr("sep")
    if sep is not None:
        kw["sep"] = sep
    kd = r.get("key_derivation", (str,))
    if kd is not None:
        kw["key_derivation"] = kd
    dg = r.get("digest", (str,))
    if dg is not None:
        kw["digest_method"] = digest_method(dg)
    alg = r.get("algorithm", (str,))
    if alg == "hmac":
        kw["algorithm"] = HMACAlgorithm(kw["digest_method"]) if "digest_method" in kw else HMACAlgorithm()
    elif alg == "none":
        kw["algorithm"] = NoneAlgorithm()
    elif alg is not None:
        raise RequestError(f"algorithm must be \"hmac\", \"none\" or null, not {alg!r:.40}")
    return kw


def fallback_kwargs(obj, where):
    """Keyword arguments of one fallback_signers entry (Python's dict form)."""
    if not isinstance(obj, dict):
        raise RequestError(f"{where}: want an object")
    return signer_kwargs(Req(obj, FALLBACK_FIELDS))


def op_itsdangerous(req):
    r = Req(
        req,
        (
            "class", "keys", "salt", "explicit_none_salt", "sep", "key_derivation", "digest",
            "algorithm", "fallback_signers", "action", "now", "max_age", "return_timestamp",
            "call_salt", "value", "token",
        ),
    )
    name = r.get("class", (str,), required=True)
    if name not in ITSDANGEROUS_CLASSES:
        raise RequestError(f"unknown class {name!r:.40}")
    clsname, is_serializer, timed = ITSDANGEROUS_CLASSES[name]
    cls = getattr(itsdangerous, clsname)
    keys = r.bytestr_list("keys", required=True)
    salt = r.bytestr("salt")
    action = r.get("action", (str,), required=True)
    now = r.number("now", required=True)
    max_age = r.number("max_age")
    call_salt = r.bytestr("call_salt")
    return_timestamp = r.get("return_timestamp", (bool,), default=True)
    if max_age is not None and not timed:
        raise RequestError(f"max_age needs a timed class, not {name}")

    skw = signer_kwargs(r)
    kwargs = {"secret_key": keys}
    if salt is not None:
        kwargs["salt"] = salt
    elif r.get("explicit_none_salt", (bool,), default=False):
        kwargs["salt"] = None
    fallbacks = r.get("fallback_signers", (list,))
    if is_serializer:
        if skw:
            kwargs["signer_kwargs"] = skw
        if fallbacks is not None:
            kwargs["fallback_signers"] = [
                fallback_kwargs(f, f"fallback_signers[{i}]") for i, f in enumerate(fallbacks)
            ]
        actions = ("dumps", "loads", "loads_unsafe")
    else:
        kwargs.update(skw)
        if fallbacks is not None or call_salt is not None:
            raise RequestError("fallback_signers and call_salt need a serializer class")
        actions = ("sign", "unsign")
    if action not in actions:
        raise RequestError(f"{name} supports actions {actions}, not {action!r:.40}")
    salt_kw = {} if call_salt is None else {"salt": call_salt}

    # Read the inputs before running anything, so a malformed request is
    # always reported as "Request".
    if action == "sign":
        value = r.bytestr("value", required=True)
    elif action == "dumps":
        value = r.tv("value")
    else:
        token = r.bytestr("token", required=True)

    with frozen_time(now):
        try:
            obj = cls(**kwargs)
            if action == "sign":
                return {"ok": True, "token": to_bytestr(obj.sign(value))}
            if action == "dumps":
                return {"ok": True, "token": to_bytestr(obj.dumps(value, **salt_kw))}
            if action == "unsign":
                if not timed:
                    return {"ok": True, "value": to_bytestr(obj.unsign(token)), "date_signed": None}
                if not return_timestamp:
                    return {
                        "ok": True,
                        "value": to_bytestr(obj.unsign(token, max_age=max_age)),
                        "date_signed": None,
                    }
                v, ts = obj.unsign(token, max_age=max_age, return_timestamp=True)
                return {"ok": True, "value": to_bytestr(v), "date_signed": unix_seconds(ts)[0]}
            if action == "loads":
                if not timed:
                    return {"ok": True, "value": to_tv(obj.loads(token, **salt_kw)), "date_signed": None}
                # TimedSerializer.loads always unsigns with return_timestamp
                # internally, so asking for it changes nothing else.
                v, ts = obj.loads(token, max_age=max_age, return_timestamp=True, **salt_kw)
                return {"ok": True, "value": to_tv(v), "date_signed": unix_seconds(ts)[0]}
            # loads_unsafe
            if timed:
                ok, v = obj.loads_unsafe(token, max_age=max_age, **salt_kw)
            else:
                ok, v = obj.loads_unsafe(token, **salt_kw)
            return {"ok": True, "verified": bool(ok), "value": to_tv(v)}
        except OracleError:
            raise
        except Exception as e:
            return error_response(e)


# Flask apps are cached per (secret, fallbacks): building one costs more than
# a request.
_apps = {}


def flask_app(secret, fallbacks):
    key = (secret, None if fallbacks is None else tuple(fallbacks))
    app = _apps.get(key)
    if app is None:
        if len(_apps) >= 64:
            _apps.clear()
        app = flask.Flask(__name__)
        app.secret_key = secret
        if fallbacks and "SECRET_KEY_FALLBACKS" in app.config:  # Flask >= 3.1
            app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks)
        _apps[key] = app
    return app


def signing_serializer(app, fallbacks):
    """Flask's signing serializer; call inside app.app_context()."""
    iface = SecureCookieSessionInterface()
    if not fallbacks or "SECRET_KEY_FALLBACKS" in app.config:
        return iface.get_signing_serializer(app)
    # Emulate Flask >= 3.1.1 on an older Flask.
    if not app.secret_key:
        return None
    return URLSafeTimedSerializer(
        [*fallbacks, app.secret_key],
        salt=iface.salt,
        serializer=iface.serializer,
        signer_kwargs={"key_derivation": iface.key_derivation, "digest_method": iface.digest_method},
    )


NULL_SESSION = {
    "ok": False,
    "error": "Exception",
    "type": "NullSession",
    "message": "the secret key is empty: Flask's get_signing_serializer returns None and the session is a NullSession",
    "open_session": "null",
}


def flask_inputs(req, extra):
    r = Req(req, ("secret", "fallbacks", "now") + extra)
    return r, r.bytestr("secret", required=True), r.bytestr_list("fallbacks"), r.number("now", required=True)


def op_flask_dumps(req):
    r, secret, fallbacks, now = flask_inputs(req, ("value",))
    value = r.tv("value")
    app = flask_app(secret, fallbacks)
    with app.app_context(), frozen_time(now):
        try:
            s = signing_serializer(app, fallbacks)
            if s is None:
                return dict(NULL_SESSION)
            cookie = s.dumps(value)
        except Exception as e:
            return error_response(e)
    # Recover the JSON exactly as written into the cookie.
    payload = cookie.rsplit(".", 2)[0]
    compressed = payload.startswith(".")
    raw = base64_decode(payload[1:] if compressed else payload)
    if compressed:
        raw = zlib.decompress(raw)
    return {"ok": True, "cookie": cookie, "json": raw.decode("utf-8"), "compressed": compressed}


def flask_load(req, extra):
    """Shared by flask_loads and flask_check: (response, value or None)."""
    r, secret, fallbacks, now = flask_inputs(req, ("max_age", "cookie") + extra)
    cookie = r.get("cookie", (str,), required=True)
    max_age = r.number("max_age") if r.has("max_age") else DEFAULT_FLASK_MAX_AGE
    app = flask_app(secret, fallbacks)
    with app.app_context(), frozen_time(now):
        s = signing_serializer(app, fallbacks)
        if s is None:
            return r, dict(NULL_SESSION), None
        try:
            value = s.loads(cookie, max_age=max_age)
        except Exception as e:
            resp = error_response(e)
            resp["open_session"] = "empty" if isinstance(e, BadSignature) else "error"
            return r, resp, None
        resp = {"ok": True, "value": to_tv(value), "open_session": "ok"}
        try:
            resp["json"] = s.serializer.dumps(value)
        except Exception as e:
            resp["json"] = None
            resp["json_error"] = f"{type(e).__name__}: {e}"
        return r, resp, value


def op_flask_loads(req):
    return flask_load(req, ())[1]


def op_flask_check(req):
    r, resp, value = flask_load(req, ("expect",))
    expect = r.tv("expect")
    if not resp["ok"]:
        return resp
    diff = exact_diff(value, expect)
    return {"ok": True, "equal": diff == "", "diff": diff, "value": resp["value"]}


OPS = {
    "ping": op_ping,
    "echo": op_echo,
    "sleep": op_sleep,
    "itsdangerous": op_itsdangerous,
    "flask_dumps": op_flask_dumps,
    "flask_loads": op_flask_loads,
    "flask_check": op_flask_check,
}


def handle(line):
    """Answer one request line; never raises."""
    req_id = None
    try:
        try:
            req = json.loads(line)
        except (ValueError, RecursionError) as e:
            raise RequestError(f"not JSON: {e}")
        if not isinstance(req, dict):
            raise RequestError("a request must be a JSON object")
        req_id = req.get("id")
        op = req.get("op")
        if op not in OPS:
            raise RequestError(f"unknown op {op!r:.40}")
        if IMPORT_ERROR is not None and op not in ("sleep",):
            resp = {
                "ok": False,
                "error": "Exception",
                "type": type(IMPORT_ERROR).__name__,
                "message": str(IMPORT_ERROR),
                "missing_packages": True,
            }
        else:
            try:
                resp = OPS[op](req)
            except RecursionError as e:
                raise RequestError(f"nested too deeply: {e}")
    except RequestError as e:
        resp = {"ok": False, "error": "Request", "message": str(e)}
    except OracleError as e:
        resp = {"ok": False, "error": "Oracle", "message": str(e)}
    except Exception as e:  # a bug in this script; keep serving
        resp = {"ok": False, "error": "Oracle", "message": f"{type(e).__name__}: {e}"}
    if req_id is not None:
        resp["id"] = req_id
    try:
        return json.dumps(resp, ensure_ascii=True)
    except Exception as e:
        return json.dumps({"ok": False, "error": "Oracle", "message": f"cannot encode response: {e}"})


def main():
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # the protocol owns the real stdout
    inp = sys.stdin.buffer
    for line in iter(inp.readline, b""):
        out.write(handle(line).encode("ascii") + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
