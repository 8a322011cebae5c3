"""Typed-value ("tv") helpers shared by the vector generators in compat/.

A tv is a JSON object with a type tag that lets Go rebuild a Python value
exactly (see testdata/README.md for the full format):

    None        {"t":"none"}
    bool        {"t":"bool","v":true}
    int         {"t":"int","v":"<decimal>"}
    float       {"t":"float","v":"<repr(x)>"}           nan, inf, -inf, -0.0 ...
    str         {"t":"str","v":"..."}  or, with a lone surrogate,
                {"t":"str","wtf8":"<hex of s.encode('utf-8','surrogatepass')>"}
    bytes       {"t":"bytes","v":"<lowercase hex>"}
    list        {"t":"list","v":[tv,...]}
    tuple       {"t":"tuple","v":[tv,...]}
    dict        {"t":"dict","v":[[key, tv], ...]}       insertion order; key is a
                JSON string, or a str tv when it holds a lone surrogate
    Markup      {"t":"markup","v":"<str>"}
    UUID        {"t":"uuid","v":"<32 lowercase hex>"}
    datetime    {"t":"datetime","v":<unix seconds>,"us":<microseconds>,
                 "offset":<utcoffset seconds> | null for a naive datetime}

A naive datetime is counted as UTC for "v" (Flask does the same).

Byte-string fields (keys, salts, tokens, ...) are a JSON string when the
bytes are valid UTF-8, else {"hex": "<lowercase hex>"}.

This module only converts; it never signs anything.
"""

import datetime as _dt
import math
import uuid as _uuid

from markupsafe import Markup

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def bytestr(b):
    """Encode a byte string field."""
    if isinstance(b, str):
        b = b.encode("utf-8")
    if not isinstance(b, (bytes, bytearray)):
        raise TypeError(f"bytestr: not bytes: {b!r}")
    b = bytes(b)
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return {"hex": b.hex()}


def opt_bytestr(b):
    return None if b is None else bytestr(b)


def parse_bytestr(v):
    """Decode a byte string field."""
    if isinstance(v, str):
        return v.encode("utf-8")
    if isinstance(v, dict) and set(v) == {"hex"}:
        return bytes.fromhex(v["hex"])
    raise ValueError(f"parse_bytestr: bad field {v!r}")


def _has_surrogate(s):
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _str_tv(s):
    if _has_surrogate(s):
        return {"t": "str", "wtf8": s.encode("utf-8", "surrogatepass").hex()}
    return {"t": "str", "v": s}


def to_tv(v):
    """Convert a Python value to a tv (a JSON-ready dict)."""
    if v is None:
        return {"t": "none"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "int", "v": str(int(v))}
    if isinstance(v, float):
        return {"t": "float", "v": repr(v)}
    if isinstance(v, Markup):
        return {"t": "markup", "v": str(v)}
    if isinstance(v, str):
        return _str_tv(v)
    if isinstance(v, bytes):
        return {"t": "bytes", "v": v.hex()}
    if isinstance(v, list):
        return {"t": "list", "v": [to_tv(x) for x in v]}
    if isinstance(v, tuple):
        return {"t": "tuple", "v": [to_tv(x) for x in v]}
    if isinstance(v, dict):
        pairs = []
        for k, x in v.items():
            if not isinstance(k, str) or isinstance(k, Markup):
                raise TypeError(f"to_tv: dict key is not a str: {k!r}")
            key = _str_tv(k) if _has_surrogate(k) else k
            pairs.append([key, to_tv(x)])
        return {"t": "dict", "v": pairs}
    if isinstance(v, _uuid.UUID):
        return {"t": "uuid", "v": v.hex}
    if isinstance(v, _dt.datetime):
        off = v.utcoffset()
        aware = v if off is not None else v.replace(tzinfo=_dt.timezone.utc)
        delta = aware - _EPOCH
        secs = delta.days * 86400 + delta.seconds
        offset = None
        if off is not None:
            if off.microseconds:
                raise ValueError("to_tv: sub-second utcoffset")
            offset = off.days * 86400 + off.seconds
        return {"t": "datetime", "v": secs, "us": delta.microseconds, "offset": offset}
    raise TypeError(f"to_tv: unsupported type {type(v).__name__}")


def _str_from_tv(tv):
    if "wtf8" in tv:
        return bytes.fromhex(tv["wtf8"]).decode("utf-8", "surrogatepass")
    return tv["v"]


def from_tv(tv):
    """Convert a tv back to the Python value."""
    t = tv["t"]
    if t == "none":
        return None
    if t == "bool":
        return bool(tv["v"])
    if t == "int":
        return int(tv["v"])
    if t == "float":
        return float(tv["v"])
    if t == "str":
        return _str_from_tv(tv)
    if t == "bytes":
        return bytes.fromhex(tv["v"])
    if t == "list":
        return [from_tv(x) for x in tv["v"]]
    if t == "tuple":
        return tuple(from_tv(x) for x in tv["v"])
    if t == "dict":
        d = {}
        for k, x in tv["v"]:
            if isinstance(k, dict):
                k = _str_from_tv(k)
            d[k] = from_tv(x)
        return d
    if t == "markup":
        return Markup(tv["v"])
    if t == "uuid":
        return _uuid.UUID(hex=tv["v"])
    if t == "datetime":
        aware = _EPOCH + _dt.timedelta(seconds=tv["v"], microseconds=tv["us"])
        if tv["offset"] is None:
            return aware.replace(tzinfo=None)
        return aware.astimezone(_dt.timezone(_dt.timedelta(seconds=tv["offset"])))
    raise ValueError(f"from_tv: unknown tag {t!r}")


def same(a, b):
    """Exact equality of two Python values: types, dict order, float bits
    (nan == nan, -0.0 != 0.0), datetime offsets."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, _dt.datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return a == b


def check_roundtrip(v):
    """Assert that v survives to_tv/from_tv unchanged and return its tv."""
    tv = to_tv(v)
    back = from_tv(tv)
    if not same(v, back):
        raise AssertionError(f"tv round trip changed {v!r} into {back!r}")
    return tv
