#!/usr/bin/python3
"""Generate python.json: known answers for package pyjson from CPython's json module.

Run from the repository root with the Debian Python (which has markupsafe):

    /usr/bin/python3 internal/pyjson/testdata/gen.py > internal/pyjson/testdata/python.json

Output layout:
  provenance: python version and the command.
  writer: [{name, value: tv, dumps: {dialect: {"out": str} | {"err": "ExcType: msg"}}}]
     dialects:
       default             json.dumps(v)                                  (", " ": ", ensure_ascii=True)
       compact_raw         json.dumps(v, separators=(",", ":"), ensure_ascii=False)
       compact_ascii_sort  json.dumps(v, separators=(",", ":"), ensure_ascii=True, sort_keys=True)
     "out" is the str result; it must also survive .encode("utf-8") (strict), otherwise the
     case is recorded as an error (a lone surrogate with ensure_ascii=False), because the Go
     writer produces bytes.
  reader: [{name, input: str | {"hex": bytes}, want: tv} | {name, input, err: "ExcType: msg"}]
     want = json.loads(input_bytes.decode("utf-8")), as itsdangerous' load_payload does.

tv (typed value) is the project's format (see the common brief); in addition a dict key that
holds a lone surrogate is written as {"t": "str", "wtf8": hex} instead of a plain string.
"""
import datetime
import json
import math
import random
import struct
import sys
import uuid

import markupsafe


def wtf8(s):
    return s.encode("utf-8", "surrogatepass").hex()


def strtv(s):
    try:
        s.encode("utf-8")
        return {"t": "str", "v": s}
    except UnicodeEncodeError:
        return {"t": "str", "wtf8": wtf8(s)}


def keytv(k):
    t = strtv(k)
    return t["v"] if "v" in t else t


def tv(x):
    if x is None:
        return {"t": "none"}
    if isinstance(x, bool):
        return {"t": "bool", "v": x}
    if isinstance(x, int):
        return {"t": "int", "v": str(x)}
    if isinstance(x, float):
        return {"t": "float", "v": repr(x)}
    if isinstance(x, markupsafe.Markup):
        return {"t": "markup", "v": str(x)}
    if isinstance(x, str):
        return strtv(x)
    if isinstance(x, bytes):
        return {"t": "bytes", "v": x.hex()}
    if isinstance(x, list):
        return {"t": "list", "v": [tv(e) for e in x]}
    if isinstance(x, tuple):
        return {"t": "tuple", "v": [tv(e) for e in x]}
    if isinstance(x, dict):
        return {"t": "dict", "v": [[keytv(k), tv(v)] for k, v in x.items()]}
    if isinstance(x, uuid.UUID):
        return {"t": "uuid", "v": x.hex}
    if isinstance(x, datetime.datetime):
        off = x.utcoffset()
        ts = x.timestamp() if off is not None else x.replace(tzinfo=datetime.timezone.utc).timestamp()
        return {"t": "datetime", "v": int(ts // 1), "us": x.microsecond,
                "offset": None if off is None else int(off.total_seconds())}
    raise TypeError(type(x))


def err(e):
    return type(e).__name__ + ": " + str(e)[:200]


DIALECTS = {
    "default": {},
    "compact_raw": {"separators": (",", ":"), "ensure_ascii": False},
    "compact_ascii_sort": {"separators": (",", ":"), "ensure_ascii": True, "sort_keys": True},
}


def dumps_all(v):
    res = {}
    for name, kw in DIALECTS.items():
        try:
            out = json.dumps(v, **kw)
            out.encode("utf-8")
            res[name] = {"out": out}
        except Exception as e:  # TypeError, UnicodeEncodeError, ...
            res[name] = {"err": err(e)}
    return res


def w_pairs(name, pairs):
    """A dict given as (key, value) pairs that may repeat a key: the Go value is a py.Dict
    holding the repeats, the answer is json.dumps of dict(pairs) (first position, last value)."""
    value = {"t": "dict", "v": [[keytv(k), tv(v)] for k, v in pairs]}
    writer.append({"name": name, "value": value, "dumps": dumps_all(dict(pairs))})


def nested(depth):
    v = []
    for _ in range(depth):
        v = [v]
    return v


writer = []


def w(name, v):
    writer.append({"name": name, "value": tv(v), "dumps": dumps_all(v)})


# Scalars.
w("none", None)
w("true", True)
w("false", False)
for i in [0, 1, -1, 42, 2**31, 2**63 - 1, -2**63, 2**63, 2**64 - 1, 2**64, -2**100, 10**30, -(10**40) - 7]:
    w("int " + str(i), i)

floats = [0.1, 1.0, 1e16, 1e15, 1e-5, 1e-4, 2.5e-07, 1.5e300, 5e-324, 1.7976931348623157e308,
          -0.0, 0.0, float("nan"), float("inf"), float("-inf"), 123456789.123, 0.3, 1 / 3, 2 / 3,
          1e22, 1e21, 1e17, 9999999999999998.0, 1.2345678901234568e+17, 1e-7, 100.0, 0.5, -1.5,
          2.2250738585072014e-308, 2.225073858507201e-308, 1e23, 8.41e21, 5e-310, 0.001, 12345.678,
          -1e-05, 9007199254740993.0, 4.35, 2.0**-1074 * 3, 1e308, 123e-20]
for f in floats:
    w("float " + repr(f), f)
rnd = random.Random(20240601)
for i in range(150):
    f = struct.unpack("<d", struct.pack("<Q", rnd.getrandbits(64)))[0]
    if math.isnan(f):
        continue
    w("random bits float %d" % i, f)
for i in range(150):
    f = round(rnd.uniform(-10, 10), rnd.randint(0, 17)) * 10.0 ** rnd.randint(-25, 25)
    w("random decimal float %d" % i, f)

# Strings.
w("empty str", "")
w("ascii str", "hello, world")
w("escapes", "\"\\/\b\f\n\r\t")
w("all controls and DEL", "".join(chr(c) for c in range(0x20)) + "\x7f")
w("html chars not escaped", "<script>&'</script>")
w("latin1", "caf\u00e9 \u00ff \u0080 \u0100")
w("line separators", "a\u2028b\u2029c")
w("bom and specials", "\ufeff\ufffe\uffff\ufffd")
w("cjk", "\u65e5\u672c\u8a9e")
w("emoji", "\U0001F600")
w("max code point", "\U0010FFFF")
w("private use", "\ue000")
w("lone high surrogate", "\ud800")
w("lone low surrogate", "\udfff")
w("lone surrogate in text", "a\ud83db")
w("surrogate pair as two code points", "\ud83d\ude00")
w("reversed surrogates", "\ude00\ud83d")
w("markup", markupsafe.Markup("<b>bold</b> & \u00e9"))

# Containers.
w("empty list", [])
w("empty dict", {})
w("empty tuple", ())
w("list", [1, "a", None, True, 1.5])
w("tuple", (1, "a"))
w("nested list", [1, [2, [3, []]], {}])
w("nested dict", {"a": 1, "b": [1, 2, {"c": None, "d": {}}], "e": {"f": "g"}})
w("insertion order", {"b": 1, "a": 2, "c": 3})
w("sort keys mixed", {"b": 1, "a": 2, "\u00e9": 3, "\U0001F600": 4, "\ue000": 5, "\uffff": 6,
                      "Z": 7, "": 8, "aa": 9, "\ud800": 10, "\udfff": 11, "\x7f": 12, "\u0100": 13})
w("sort keys non-ASCII", {"\u00e9": 1, "z": 2, "\U0001F600": 3, "\uffff": 4, "\ue000": 5, "A": 6, "\x7f": 7})
w("escaped keys", {"\n": 1, "\"": 2, "\\": 3, "\u00e9": 4, "\U0001F600": 5})
w("list of dicts", [{"z": 1, "y": 2}, {"x": [{"w": 0}]}])
w("tuple in dict", {"t": (1, (2, 3)), "l": [()]})
w("flash messages", {"_flashes": [("message", "Hello")], "_fresh": False})
w("nested 100", nested(100))
w("dict 40 keys", {"k%02d" % ((i * 7) % 40): i for i in range(40)})
w_pairs("duplicate keys", [("b", 1), ("a", 2), ("b", 3)])
w_pairs("duplicate keys nested", [("x", {"b": 1}), ("a", [1]), ("x", {"c": 2}), ("a", None)])
w_pairs("duplicate keys 30", [("k%d" % (i % 11), i) for i in range(30)])

# Types json cannot write.
w("bytes", b"abc")
w("bytes in list", [1, b"\x00"])
w("uuid", uuid.UUID("12345678123456781234567812345678"))
w("datetime", datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc))


reader = []


def r(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    try:
        inp = data.decode("utf-8")
    except UnicodeDecodeError:
        inp = {"hex": data.hex()}
    case = {"name": name, "input": inp}
    try:
        case["want"] = tv(json.loads(data.decode("utf-8")))
    except Exception as e:  # JSONDecodeError, ValueError, RecursionError, UnicodeDecodeError
        case["err"] = err(e)
    reader.append(case)


# Whitespace and framing.
r("surrounding whitespace", " \t\n\r1 \t\n\r")
r("vertical tab is not whitespace", "\x0b1")
r("form feed is not whitespace", "\f1")
r("nbsp is not whitespace", "\u00a01")
r("empty input", "")
r("only whitespace", " \n")
r("leading BOM", "\ufeff1")
r("leading BOM before object", "\ufeff{}")
r("trailing BOM", "1\ufeff")
r("BOM inside string", "\"\ufeff\"")
r("trailing garbage", "1 x")
r("two values", "[] []")
r("extra brace", "{}}")
r("null null", "null null")
r("NUL byte after value", "1\x00")

# Literals.
for s in ["null", "true", "false", "NaN", "Infinity", "-Infinity", "-NaN", "+1", "nan", "infinity",
          "inf", "True", "None", "nul", "nullx", "truefalse", "-Infinityx", "- Infinity", "+Infinity",
          "[NaN,Infinity,-Infinity]", "INFINITY"]:
    r("literal " + s, s)

# Numbers.
for s in ["0", "-0", "01", "-01", "00", "1.", ".5", "-.5", "1.5", "-0.0", "0.0", "1e5", "1E5", "1e+5",
          "1e-5", "1e", "1e+", "1e-", "1.e5", "1.5e3.2", "0x10", "1_000", "- 1", "-", "--1", "123abc",
          "1 2", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
          "-9223372036854775809", "18446744073709551615", "18446744073709551616", "1e400", "-1e400",
          "1e-400", "-1e-400", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
          "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
          "0.1e1", "1E-0", "1e00001", "100000000000000000000000e-5", "0.30000000000000004",
          "1e99999999999999999999", "1e-99999999999999999999", "12345678901234567890.5",
          "\u0661", "\uff11", "[1.]", "[-]", "[01]", "[1e]"]:
    r("number " + s, s)
r("number 1000 fraction digits", "0." + "1" * 1000)
r("number 800 digits float", "9" * 800 + ".5")
r("int 4300 digits", "1" * 4300)
r("int 4300 digits negative", "-" + "9" * 4300)
r("int 4301 digits", "1" * 4301)
r("int 4301 digits negative", "-" + "1" * 4301)
r("float 4301 digits", "1" * 4301 + ".0")
r("int 4301 digits in list", "[" + "1" * 4301 + "]")

# Strings.
r("string", "\"abc\"")
r("empty string", "\"\"")
r("short escapes", r'"\"\\\/\b\f\n\r\t"')
r("unicode escapes mixed case", r'"\u0041\u00e9\u20AC\uFFFF\uabCD"')
r("escaped NUL", r'"\u0000"')
r("escaped surrogate pair", r'"\ud83d\ude00"')
r("escaped surrogate pair uppercase", r'"\uD83D\uDE00"')
r("escaped lone high surrogate", r'"\ud800"')
r("escaped lone low surrogate", r'"\udc00"')
r("high surrogate then BMP escape", r'"\ud800\u0041"')
r("high high low", r'"\ud800\ud800\udc00"')
r("low then high", r'"\udc00\ud800"')
r("high surrogate then char", r'"\ud800x"')
r("high surrogate then short escape", r'"\ud800\n"')
r("high surrogate then bad escape", r'"\ud800\x"')
r("high surrogate then short unicode escape", r'"\ud800\udc"')
r("short unicode escape", r'"\u12"')
r("bad hex in unicode escape", r'"\u12g4"')
r("unicode escape with sign", r'"\u+123"')
r("hex escape", r'"\x41"')
r("bell escape", r'"\a"')
r("big U escape", r'"\U0001F600"')
r("quote escape", r"'\''")
r("single quote escape", r'"\'"')
r("zero escape", r'"\0"')
r("escaped newline char", '"\\\n"')
r("raw tab in string", "\"a\tb\"")
r("raw newline in string", "\"a\nb\"")
r("raw NUL in string", "\"a\x00b\"")
r("raw 0x1f in string", "\"\x1f\"")
r("raw DEL in string", "\"\x7f\"")
r("raw U+2028 in string", "\"\u2028\"")
r("raw emoji in string", "\"\U0001F600\"")
r("raw latin1 in string", "\"caf\u00e9\"")
r("unterminated string", "\"abc")
r("unterminated after escape", "\"\\\"")
r("unterminated unicode escape", "\"\\u")
r("unterminated after high surrogate", "\"\\ud800")
r("unterminated after high surrogate backslash", "\"\\ud800\\")
r("single quoted string", "'abc'")
r("invalid UTF-8 byte", b"\"\xff\"")
r("invalid UTF-8 outside string", b"\xff")
r("surrogate bytes in input", b"\"\xed\xa0\x80\"")
r("overlong encoding", b"\"\xc0\xaf\"")
r("beyond U+10FFFF", b"\"\xf4\x90\x80\x80\"")
r("truncated UTF-8", b"\"\xe2\x82\"")

# Arrays.
for s in ["[]", "[ ]", "[1,2]", " [ 1 , [ 2 ] ] ", "[[[]]]", "[1,]", "[,1]", "[1 2]", "[", "]", "[1",
          "[1,", "[\"a\",{}]", "[null,true,false]", "[1:2]", "[\t\n\r]"]:
    r("array " + s, s)

# Objects.
for s in ["{}", "{ }", "{\"a\":1}", " { \"a\" : 1 , \"b\" : [ ] } ", "{\"a\":1,}", "{a:1}", "{'a':1}",
          "{\"a\" 1}", "{\"a\":}", "{1:1}", "{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":1,\"a\":{\"x\":1}}",
          "{\"\":0}", "{\"\\ud800\":1,\"\\udfff\":2}", "{\"b\":1,\"a\":2}", "{", "{\"a\"", "{\"a\":1",
          "{,}", "{\"a\":1 \"b\":2}", "{null:1}", "{\"a\":1}x", "{\"\\u00e9\":\"\u00e9\"}",
          "{\"x\":{\"y\":{\"z\":[1,{\"w\":null}]}}}", "{\"a\":1,\"b\":2,\"a\":3,\"c\":4,\"b\":5}"]:
    r("object " + s, s)
many = "{" + ",".join("\"k%d\":%d" % (i % 20, i) for i in range(60)) + "}"
r("object with many duplicate keys", many)

# Nesting.
r("nested arrays 300", "[" * 300 + "]" * 300)
r("nested objects 300", "{\"a\":" * 300 + "1" + "}" * 300)
r("nested arrays 5000", "[" * 5000 + "]" * 5000)
r("nested objects 5000", "{\"a\":" * 5000 + "1" + "}" * 5000)
r("unclosed nesting 5000", "[" * 5000)

sys.setrecursionlimit(10000)
out = {
    "provenance": {
        "python": sys.version,
        "json_module": "CPython json (C accelerated scanner/encoder)",
        "markupsafe": markupsafe.__version__ if hasattr(markupsafe, "__version__") else "unknown",
        "command": "/usr/bin/python3 internal/pyjson/testdata/gen.py > internal/pyjson/testdata/python.json",
    },
    "writer": writer,
    "reader": reader,
}
# One case per line keeps the file small and diffs readable.
w = sys.stdout.write
w('{"provenance": ' + json.dumps(out["provenance"], indent=1) + ',\n')
for key in ("writer", "reader"):
    w('"%s": [\n' % key)
    w(",\n".join(json.dumps(c, ensure_ascii=True) for c in out[key]))
    w("\n]" + ("," if key == "writer" else "") + "\n")
w("}\n")
