#!/usr/bin/python3
"""Generate testdata/repr/vectors.json: Python's repr() and str() of values of
the py value model, Python's str.isprintable table, and what Python makes of
literal source texts (for py.Repr, py.Str and py.ParseLiteral).

Run from the repository root with Debian's Python 3.11 (it has markupsafe):

    /usr/bin/python3 compat/gen_repr.py > testdata/repr/vectors.json

The output is deterministic: random values come from a fixed seed.

Sections of the output (typed values, "tv", are described in compat/pytv.py):

  provenance   versions and the command.
  repr         {"name", "value": tv, "ordered": bool, "repr": text, "str": text,
                "bool": bool}
               repr(v), str(v) and bool(v). Dicts in values that are not "ordered"
               have their keys sorted by code point, the order py.Repr uses
               for a Go map; "ordered" values keep their order (py.Dict).
               A text is a JSON string, or {"wtf8": hex} when it holds a lone
               surrogate (only str() of a str can).
  nonprintable [[lo, hi], ...]: every code point range for which
               str.isprintable() is False (Unicode 14.0.0 in Python 3.11).
  literal      {"name", "src", "want": tv | null, "repr": str | null,
                "go_error": reason (optional)}
               want is the value Python gets from src, or null when Python
               fails or the value has no tv (complex, set, non-str keys, a
               sub-second UTC offset). repr is repr() of that value with
               every naive datetime made UTC-aware (as py.ParseLiteral takes
               naive datetimes). go_error marks a documented divergence:
               Python accepts src but py.ParseLiteral rejects it.

How a literal is evaluated: ast.parse(src.lstrip(" \\t"), mode="eval") (what
ast.literal_eval does), then, when the tree uses nothing but literals (checked
to agree with ast.literal_eval) and the calls and names that py.Repr writes
(nan, inf, float(str), Markup(str), UUID(str), datetime.datetime(ints...,
tzinfo=...), datetime.timezone.utc, [datetime.]timezone([datetime.]timedelta
(ints...))), eval of the tree with only those names defined. Warnings (such
as DeprecationWarning for an invalid escape like "\\q") are ignored, as they
are by default.
"""

import ast
import datetime
import importlib.metadata
import json
import math
import os
import random
import struct
import sys
import unicodedata
import uuid
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from markupsafe import Markup  # noqa: E402

from pytv import check_roundtrip, same  # noqa: E402

COMMAND = "/usr/bin/python3 compat/gen_repr.py > testdata/repr/vectors.json"
SEED = 20240102

UTC = datetime.timezone.utc


def tz(seconds):
    return datetime.timezone(datetime.timedelta(seconds=seconds))


def dt(*args, offset=0):
    return datetime.datetime(*args, tzinfo=tz(offset))


def has_surrogate(s):
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def text(s):
    if has_surrogate(s):
        return {"wtf8": s.encode("utf-8", "surrogatepass").hex()}
    return s


def sort_dicts(v):
    """Rebuild v with every dict's keys in code point order."""
    if isinstance(v, dict):
        return {k: sort_dicts(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [sort_dicts(x) for x in v]
    if isinstance(v, tuple):
        return tuple(sort_dicts(x) for x in v)
    return v


# ---------------------------------------------------------------------------
# Values for repr() and str().

FLOATS = [
    0.0, -0.0, 1.0, -1.5, 0.1, 0.5, 1 / 3, 2 / 3, 100.0, 1e15, 1e16, 1.5e16,
    9999999999999998.0, 12345678901234567.0, 1e22, 1e-4, 1e-5, 0.00012345,
    1e-7, 123456789.123, 1.5e300, -2.5e-300, 5e-324, 1.7976931348623157e308,
    2.2250738585072014e-308, 1.0000000000000002, 0.30000000000000004,
    float("nan"), float("inf"), float("-inf"), 4.35, 1e100, 123e-20,
]

STRS = [
    "", "a", "hello world", "it's", 'say "hi"', "both ' and \"", "\\", "\\'",
    "\t\n\r", "\x00\x07\x08\x0b\x0c\x1b\x1f\x7f", "\x80\x9f\xa0\xad\xff", "é",
    "café", "中文", "日本語テキスト", "\u2028\u2029", "\u3000", "\u00a0x",
    "\u200b\u200d", "\ufeff", "\ue000", "\uffff", "\ufffd", "\U0001f600",
    "\U0001f468\u200d\U0001f469", "\U000e0001", "\U0010ffff", "\U000f0000",
    "\u0378", "\ud800", "\udfff", "\ud83d\ude00", "a\udcffb", "\u0cf3",
    "\U0001fae8", "\U00031350", "\u0300", "e\u0301", "\u061c", "\u180e",
    "<script>alert('x')</script>", "a" * 50, "\x85", "\u0600",
]

BYTES = [
    b"", b"abc", b"'", b'"', b"'\"", b"\x00\xff", b"\\", b"\t\n\r",
    bytes(range(256)), b"\x7f\x80", "café".encode(),
]

UUIDS = [
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    uuid.UUID(int=0),
    uuid.UUID(int=2**128 - 1),
    uuid.UUID("a8098c1a-f86e-11da-bd1a-00112444be1e"),
]

DATETIMES = [
    dt(2024, 1, 2, 3, 4, 5),
    dt(2024, 1, 2),
    dt(2024, 1, 2, 3, 4),
    dt(2024, 1, 2, 3, 4, 0, 5),
    dt(2024, 1, 2, 3, 4, 5, 6),
    dt(2024, 1, 2, 0, 0, 7),
    dt(2024, 1, 2, 0, 0, 0, 999999),
    dt(1970, 1, 1),
    dt(1, 1, 1),
    dt(9999, 12, 31, 23, 59, 59, 999999),
    dt(2024, 2, 29, 12, 30, offset=7200),
    dt(2024, 2, 29, 12, 30, 1, offset=-3600),
    dt(2024, 6, 1, 8, 0, offset=19800),
    dt(2024, 6, 1, 8, 0, 0, 250000, offset=-34200),
    dt(2024, 6, 1, 8, 0, offset=-3601),
    dt(2024, 6, 1, 8, 0, offset=45),
    dt(2024, 6, 1, 8, 0, offset=86399),
    dt(2024, 6, 1, 8, 0, offset=-86399),
    dt(2000, 12, 31, 23, 59, 59, offset=-86400 + 60),
]

FIXED = [
    ("none", None),
    ("true", True),
    ("false", False),
] + [
    (f"int {i}", n) for i, n in enumerate([
        0, 1, -1, 42, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 2**64, 10**30,
        -10**30, 2**200, 10**4299,
    ])
] + [
    (f"float {i}", f) for i, f in enumerate(FLOATS)
] + [
    (f"str {i}", s) for i, s in enumerate(STRS)
] + [
    (f"bytes {i}", b) for i, b in enumerate(BYTES)
] + [
    (f"markup {i}", Markup(s)) for i, s in enumerate(
        ["", "<b>x</b>", "it's", 'say "hi"', "\n\x00", "é\u2028"])
] + [
    (f"uuid {i}", u) for i, u in enumerate(UUIDS)
] + [
    (f"datetime {i}", d) for i, d in enumerate(DATETIMES)
] + [
    ("list empty", []),
    ("list ints", [1, 2, 3]),
    ("list nested empty", [[]]),
    ("list mixed", [1, "a", None, True, 1.5, b"x", (), {}]),
    ("list deep", [[[[[[[[[[1]]]]]]]]]]),
    ("tuple empty", ()),
    ("tuple one", (1,)),
    ("tuple two", (1, 2)),
    ("tuple nested one", ((),)),
    ("tuple nested", (1, (2,), [3, (4, 5)])),
    ("tuple flash", ("message", "Hello, World!")),
    ("dict empty", {}),
    ("dict one", {"a": 1}),
    ("dict sorted", {"b": 1, "a": 2, "C": 3, "é": 4, "": 5, "\U0001f600": 6, "\ue000": 7}),
    ("dict quote key", {"it's": "x", 'say "hi"': 'y'}),
    ("dict surrogate key", {"\ud800": 1, "\udfff": 2, "\ud7ff": 3, "\ue000": 4}),
    ("dict nested", {"a": {"b": {"c": [1, {"d": None}]}}}),
    ("dict values", {"m": Markup("<i>"), "u": UUIDS[0], "d": DATETIMES[0],
                     "t": (1,), "b": b"\x00", "f": float("nan")}),
    ("flask session", {"_flashes": [("message", "Hello"), ("error", "Bad")],
                       "_fresh": True, "_id": "abc", "user_id": 42,
                       "csrf_token": "0123456789abcdef"}),
]

ORDERED = [
    ("ordered two", {"b": 1, "a": 2}),
    ("ordered nested", {"z": {"y": 1, "x": 2}, "a": [{"q": 1, "p": 2}]}),
    ("ordered session", {"user_id": 42, "_fresh": True, "_flashes": [("message", "hi")]}),
    ("ordered in list", [{"2": 2, "1": 1}, ({"b": None, "a": None},)]),
]

CHARS = (
    [chr(c) for c in range(0x20, 0x7f)] * 3
    + list("'\"\\\t\n\r\x00\x1f\x7f\x80\xa0\xad\xe9\xff")
    + ["\u0100", "\u2028", "\u3000", "\ufeff", "\ue000", "\uffff", "中",
       "\U0001f600", "\U000e0001", "\U0010ffff", "\u0378", "\ud800", "\udc80",
       "\udbff", "\u0cf3", "\U0001fae8", "\u0301"]
)


def rand_str(rng):
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(0, 8)))


def rand_float(rng):
    r = rng.random()
    if r < 0.1:
        return rng.choice([0.0, -0.0, float("inf"), float("-inf"), float("nan")])
    if r < 0.4:
        return struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
    if r < 0.7:
        return round(rng.uniform(-1000, 1000), rng.randint(0, 6))
    return rng.random() * 10.0 ** rng.randint(-30, 30)


def rand_value(rng, depth=0):
    kinds = ["none", "bool", "int", "bigint", "float", "str", "bytes",
             "markup", "uuid", "datetime"]
    if depth < 3:
        kinds += ["list", "tuple", "dict"] * 2
    k = rng.choice(kinds)
    if k == "none":
        return None
    if k == "bool":
        return rng.random() < 0.5
    if k == "int":
        return rng.randint(-2**63, 2**63 - 1) >> rng.randint(0, 63)
    if k == "bigint":
        return rng.choice([-1, 1]) * rng.getrandbits(rng.randint(64, 300))
    if k == "float":
        return rand_float(rng)
    if k == "str":
        return rand_str(rng)
    if k == "bytes":
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 8)))
    if k == "markup":
        # pytv has no form for a Markup holding a lone surrogate.
        return Markup("".join(c for c in rand_str(rng) if not has_surrogate(c)))
    if k == "uuid":
        return uuid.UUID(int=rng.getrandbits(128))
    if k == "datetime":
        secs = rng.randint(-62135596800 + 86400, 253402300799 - 86400)
        us = rng.choice([0, rng.randint(0, 999999)])
        off = rng.choice([0, 0, 3600, -3600, 19800, -34200, 45, -86399])
        base = datetime.datetime(1970, 1, 1, tzinfo=UTC)
        return (base + datetime.timedelta(seconds=secs, microseconds=us)).astimezone(tz(off))
    n = rng.randint(0, 4)
    if k == "list":
        return [rand_value(rng, depth + 1) for _ in range(n)]
    if k == "tuple":
        return tuple(rand_value(rng, depth + 1) for _ in range(n))
    return {rand_str(rng): rand_value(rng, depth + 1) for _ in range(n)}


# ---------------------------------------------------------------------------
# Literal sources.

LITERALS = [
    # constants and names
    "None", "True", "False", "nan", "inf", "-inf", "+inf", "-nan", "Nan",
    "none", "true", "NaN", "Infinity", "None.x", "True()",
    # ints
    "0", "00", "0_0", "000", "01", "08", "1", "-1", "+1", "- 1", "--1", "-+1",
    "+-1", "-(1)", "-(-1)", "(-1)", "1_000_000", "1__0", "1_", "_1", "0x1F",
    "0X1f", "0x_1f", "0x", "0x_", "0x1_", "0xg", "0o17", "0O17", "0o8", "0o",
    "0b101", "0B1", "0b102", "0b", "0_x1", "0xffL", "1L", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551616", "0x8000000000000000", "-0x8000000000000000",
    "1" * 4300, "1" * 4301, "-" + "1" * 4300, "1_" * 4299 + "1", "1_" * 4300 + "1",
    "0" * 5000, "0x" + "f" * 5000, "1abc", "1if 1 else 2", "1 if 1 else 2",
    "1+1", "1-1", "2*3", "-True", "+False", "~1", "1j", "1J", "1.5j", "1+2j",
    "-1j", "0j",
    # floats
    "1.0", "1.", ".5", "0.", "00.5", "01e5", "01.5", "1e5", "1E5", "1e+5",
    "1e-5", "1.e5", ".5e-3", "1_000.000_1", "1e1_0", "1e+_5", "1_e5", "1e_5",
    "1._5", "1.__class__", "1.5.2", "1..2", ".e5", ".", "1e", "1e+", "1e400",
    "-1e400", "1e-400", "-1e-400", "2.5e-324", "4.9e-324", "1.7976931348623157e308",
    "1.7976931348623159e308", "0.1", "-0.0", "+0.0", "0e0", "0E-0", "3.14_15",
    "1" * 400 + ".5", "0." + "0" * 400 + "1", "4.35", "1e-7", "1e16",
    "float('nan')", "float('inf')", "float('-inf')", 'float("+Infinity")',
    "float(' 1_0.5 \\n')", "float('1e5_0')", "float('1__0')", "float('_1')",
    "float('0x10')", "float('1j')", "float('')", "float('.')", "float('in f')",
    "float('nAn')", "float('-iNF')", "float('infinity')", "float('1.')",
    "float('\\u2000 2 \\u3000')", "float('\\x1c1')", "float(1)", "float()",
    "float('1', '2')", "float(x='1')", "-float('inf')", "--float('inf')",
    "float", "float('1') + 1", "float(b'1')", "float('1' '5')",
    # strings
    "''", '""', "'a'", '"a"', "'it\\'s'", "\"it's\"", "'a\"b'", "'''a'''",
    '"""a"""', "'''a\nb'''", "'''a\r\nb\rc'''", '"""a""""', "'''a''''",
    "'''a'b''c'''", '"""\\\n"""', "'a", "'a\nb'", "'a\\\nb'", "'a\\\r\nb'",
    "r'a\\\nb'", "'\\'", "r'\\''", "r'\\'", "r'\\\\'", "r'\\n'", "R'\\n'",
    "u'x'", "U'x'", "ur'x'", "b'x'", "B'x'", "br'\\x00'", "rb'\\x00'",
    "Rb'x'", "bR'x'", "f'x'", "F'x'", "fr'x'", "rf'x'", "bu'x'", "x'a'",
    "'\\a\\b\\f\\n\\r\\t\\v\\\\\\'\\\"'", "'\\0'", "'\\00'", "'\\000'", "'\\0000'",
    "'\\1234'", "'\\377'", "'\\400'", "'\\777'", "b'\\377'", "b'\\400'",
    "b'\\777'", "'\\8'", "'\\9'", "'\\q'", "'\\ '", "'\\é'", "b'\\q'",
    "'\\x41'", "'\\xff'", "'\\xFF'", "'\\x4'", "'\\x'", "'\\xg0'", "b'\\xff'",
    "b'\\x4'", "'\\u0041'", "'\\u00e9'", "'\\u20ac'", "'\\ud800'", "'\\udfff'",
    "'\\ud83d\\ude00'", "'\\U0001f600'", "'\\U0010ffff'", "'\\U00110000'",
    "'\\Uffffffff'", "'\\u004'", "'\\U0001f60'", "b'\\u0041'", "b'\\U0001f600'",
    "b'\\N{BULLET}'", "'é'", "'中文'", "'\U0001f600'", "b'é'", "rb'é'",
    "'\u2028'", "'\\u2028'", "'a' 'b'", "'a''b'", "'a' \"b\" '''c'''",
    "b'a' b'b'", "'a' b'b'", "b'a' 'b'", "'a' r'\\n'", "u'a' 'b'",
    "'a'\n'b'", "('a'\n'b')", "('a' # c\n 'b')", "['a'\n'b']", "'a' \\\n'b'",
    "Markup('a' 'b')", "'\t'", "'\x7f'", "'\x0c'", "'\x1b'",
    # containers
    "[]", "[ ]", "[1]", "[1,]", "[1, 2]", "[1,,2]", "[,]", "[,1]", "[1 2]",
    "[[], [[]]]", "[1, [2, [3, [4]]]]", "[*[1]]", "[1", "1]", "[1)",
    "()", "( )", "(1)", "(1,)", "(1 ,)", "(1, 2)", "(1, 2,)", "(,)", "((1))",
    "((1,))", "(1, (2,))", "((), ())", "(1", "(1,", "(1 2)",
    "1,", "1, 2", "1, 2,", "1 ,2 ,", ",", "1,,", "(1), (2)", "[1], [2]",
    "{}", "{ }", "{'a': 1}", "{'a': 1,}", "{'a':1,'b':2}", "{'b': 1, 'a': 2}",
    "{'a': 1, 'a': 2, 'b': 3}", "{'a': 1, 'b': 2, 'a': 3}", "{'a': 1, 'a': 2}",
    "{'a'}", "{1}", "{'a', 'b'}", "{1: 2}", "{None: 1}", "{True: 1}",
    "{(): 1}", "{b'a': 1}", "{1.5: 1}", "{'a': 1, 2: 3}", "{**{}}",
    "{'a': }", "{: 1}", "{'a' 1}", "{'a': 1 'b': 2}", "{'a': 1,, 'b': 2}",
    "{'a': {'b': {'c': {}}}}", "{'a': [1, (2,), {'b': None}]}",
    "{Markup('a'): 1}", "{'\\ud800': 1}", "{'x': -1, 'y': -1.5}",
    "set()", "frozenset()", "[1, 2][0]", "{'a': 1}['a']", "()()",
    # whitespace, comments, lines
    " 1", "\t1", "  1  ", "1 ", "1\n", "1\n\n", "\n1", "\n\n1\n", "\n 1",
    "\n\t1", "#c\n1", "# c\n  # d\n1 # e\n", "1 # c", "1\n# c", "1\n  # c",
    "1\n2", "1 2", "1;", "1\\", "1 \\\n", "\\\n1", "1 \\\n+2", "[1,\n2]",
    "[1, # one\n 2 # two\n]", "(\n1\n,\n)", "{\n'a'\n:\n1\n}", "[\n]",
    "1,\n", "1,\n2", "-\n1", "(-\n1)", "\x0c1", "1\r\n", "[1,\r2]", "\r\n1",
    "", " ", "\n", "# only a comment", "\t", "\x0b1", "[1\t,\x0c2]",
    "1 # comment with 'quote", "'#not a comment'", "[1] \\\n",
    "[1, \\\n2]", "1\n\n", "(1)\n  \n", "\n\n \n1",
    # nesting
    "[" * 199 + "]" * 199, "[" * 200 + "]" * 200, "[" * 201 + "]" * 201,
    "(" * 200 + ")" * 200, "(" * 200 + "1," + ")" * 200,
    "{'a':" * 100 + "1" + "}" * 100, "{'a':" * 200 + "1" + "}" * 200,
    "{'a':" * 201 + "1" + "}" * 201,
    # calls
    "Markup('<b>x</b>')", "Markup(\"it's\")", "Markup('')", "Markup()",
    "Markup('a', 'b')", "Markup(b'x')", "Markup(1)", "Markup(base='x')",
    "Markup ('x')", "Markup('x',)", "Markup(('x'))", "markup('x')",
    "Markup.escape('<')", "Markup('x').upper()", "-Markup('x')",
    "UUID('12345678-1234-5678-1234-567812345678')",
    "UUID('12345678123456781234567812345678')",
    "UUID('{12345678-1234-5678-1234-567812345678}')",
    "UUID('urn:uuid:12345678-1234-5678-1234-567812345678')",
    "UUID('12345678-1234-5678-1234-56781234567')", "UUID('xyz')", "UUID('')",
    "UUID(hex='12345678123456781234567812345678')", "UUID(1)",
    "UUID('1234567812345678123456781234567g')",
    "UUID('1234567812345678123456781234567 ')", "uuid.UUID('12345678123456781234567812345678')",
    "datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)",
    "datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)",
    "datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc)",
    "datetime.datetime(2024, 1, 2, 3, 4, 5, 6, datetime.timezone.utc)",
    "datetime.datetime(2024, 1, 2)", "datetime.datetime(2024, 1, 2, 3, 4, 5, 6)",
    "datetime.datetime(2024, 1, 2, tzinfo=None)",
    "datetime.datetime(year=2024, month=1, day=2, hour=3, minute=4, second=5, microsecond=6, tzinfo=datetime.timezone.utc)",
    "datetime.datetime(2024, 1, day=2, tzinfo=datetime.timezone.utc)",
    "datetime.datetime(2024, 1, 2, day=3)", "datetime.datetime(2024, month=1, 2)",
    "datetime.datetime(2024, 1)", "datetime.datetime(2024, 1, 2, 3, 4, 5, 6, datetime.timezone.utc, 1)",
    "datetime.datetime(2024, 1, 2, fold=0)", "datetime.datetime(2024, 1, 2, foo=1)",
    "datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc, tzinfo=None)",
    "datetime.datetime(2024, 2, 29, tzinfo=datetime.timezone.utc)",
    "datetime.datetime(2023, 2, 29, tzinfo=datetime.timezone.utc)",
    "datetime.datetime(2024, 4, 31)", "datetime.datetime(2024, 13, 1)",
    "datetime.datetime(2024, 0, 1)", "datetime.datetime(0, 1, 1)",
    "datetime.datetime(10000, 1, 1)", "datetime.datetime(1, 1, 1)",
    "datetime.datetime(9999, 12, 31, 23, 59, 59, 999999)",
    "datetime.datetime(2024, 1, 1, 24)", "datetime.datetime(2024, 1, 1, 0, 60)",
    "datetime.datetime(2024, 1, 1, 0, 0, 60)", "datetime.datetime(2024, 1, 1, 0, 0, 0, 1000000)",
    "datetime.datetime(2024, 1, 1, -1)", "datetime.datetime(+2024, 1, 1)",
    "datetime.datetime(2024, 1, 1, 0, 0, 0, -1)", "datetime.datetime(2024, 0x1, 0o1)",
    "datetime.datetime((2024), 1, 1)", "datetime.datetime(2024.0, 1, 1)",
    "datetime.datetime('2024', 1, 1)", "datetime.datetime(True, 1, 1)",
    "datetime.datetime(2024, 1, 1, tzinfo=1)", "datetime.datetime(2024, 1, 1, tzinfo='utc')",
    "datetime.datetime(99999999999999999999, 1, 1)",
    "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200)))",
    "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=82800)))",
    "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(0)))",
    "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta()))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=-5, minutes=-30)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(seconds=-3600)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(1, -1)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(0, 45)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(0, 0, 0, 1000)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(weeks=1, days=-7, seconds=60)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(milliseconds=5000)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(days=1)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(days=-1)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(seconds=86399)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(seconds=-86399)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(microseconds=1)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(days=10**30, hours=-24*10**30, seconds=1)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(seconds=1.5)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(timedelta(seconds=1), 'X'))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(offset=timedelta(seconds=1)))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone(1))", "datetime.datetime(2024, 1, 1, tzinfo=timezone())",
    "datetime.datetime(2024, 1, 1, tzinfo=timedelta(1))",
    "datetime.datetime(2024, 1, 1, tzinfo=timezone.utc())",
    "datetime.datetime(2024, 1, 1, tzinfo=(timezone.utc))",
    "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc,)",
    "datetime . datetime ( 2024 , 1 , 1 )", "datetime.datetime\n(2024, 1, 1)",
    "[datetime.datetime\n(2024, 1, 1)]", "datetime(2024, 1, 1)",
    "datetime.date(2024, 1, 1)", "datetime.datetime.now()", "timezone.utc",
    "datetime.timezone.utc", "timedelta(1)", "[timezone.utc]", "(timezone.utc,)",
    "{'a': timedelta(1)}", "timezone(timedelta(0))", "-timedelta(1)",
    "[Markup('x'), UUID('12345678123456781234567812345678'), float('nan')]",
    "{'a': Markup('<'), 'b': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)}",
    "print(1)", "__import__('os')", "open('x')", "len([])",
    "bytes(1)", "str(1)", "int('1')", "tuple()", "list()", "dict()", "dict(a=1)",
    "...", "Ellipsis", "lambda: 1", "[x for x in []]", "(x for x in [])",
    "a", "x.y", "1 .real", "(1).real", "'a'.upper()", "'%s' % 1", "f'{1}'",
    "not 1", "1 and 2", "1 < 2", "1 if 1 else 2", "(yield)", "await x",
    "a := 1", "(a := 1)", "[1][0]", "{}.get('a')",
]

# Python accepts these; py.ParseLiteral rejects them on purpose (see its doc).
DIVERGENT = {
    "'\\N{BULLET}'": "\\N{...} escapes need Python's Unicode name database",
    "'\\N{LATIN SMALL LETTER E WITH ACUTE}'": "\\N{...} escapes need Python's Unicode name database",
    "float('\u0661')": "float(str) accepts only ASCII digits",
    "float('\uff11.5')": "float(str) accepts only ASCII digits",
    "UUID('\uff112345678123456781234567812345678')": "UUID(str) accepts only ASCII digits (py.ParseUUID)",
    "\uff4e\uff41\uff4e": "identifiers must be ASCII (Python NFKC-normalizes them)",
}


# ---------------------------------------------------------------------------
# The evaluator.

NAMES = {
    "__builtins__": {},
    "datetime": datetime,
    "timezone": datetime.timezone,
    "timedelta": datetime.timedelta,
    "UUID": uuid.UUID,
    "Markup": Markup,
    "nan": float("nan"),
    "inf": float("inf"),
    "float": float,
}

DT_KEYWORDS = {"year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo"}
TD_KEYWORDS = {"days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"}


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return None if base is None else base + "." + node.attr
    return None


def is_const(node, *types):
    return isinstance(node, ast.Constant) and type(node.value) in types


def is_int(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        node = node.operand
    return is_const(node, int)


def is_tz(node):
    if is_const(node, type(None)):
        return True
    if dotted(node) in ("datetime.timezone.utc", "timezone.utc"):
        return True
    return (isinstance(node, ast.Call)
            and dotted(node.func) in ("datetime.timezone", "timezone")
            and len(node.args) == 1 and not node.keywords
            and is_td(node.args[0]))


def is_td(node):
    return (isinstance(node, ast.Call)
            and dotted(node.func) in ("datetime.timedelta", "timedelta")
            and len(node.args) <= 7
            and all(is_int(a) for a in node.args)
            and all(k.arg in TD_KEYWORDS and is_int(k.value) for k in node.keywords))


def is_datetime(node):
    if not (isinstance(node, ast.Call) and dotted(node.func) == "datetime.datetime"):
        return False
    if len(node.args) > 8:
        return False
    for i, a in enumerate(node.args):
        if not (is_tz(a) if i == 7 else is_int(a)):
            return False
    for k in node.keywords:
        if k.arg not in DT_KEYWORDS:
            return False
        if not (is_tz(k.value) if k.arg == "tzinfo" else is_int(k.value)):
            return False
    return True


def is_float_value(node):
    """A node a unary sign may apply to."""
    if is_const(node, int, float):
        return True
    if isinstance(node, ast.Name) and node.id in ("nan", "inf"):
        return True
    return (isinstance(node, ast.Call) and dotted(node.func) == "float"
            and len(node.args) == 1 and not node.keywords
            and is_const(node.args[0], str))


def uses_extensions(node):
    return any(isinstance(n, (ast.Name, ast.Call, ast.Attribute)) for n in ast.walk(node))


def allowed(node):
    """Whether node is in the grammar py.ParseLiteral implements."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (str, bytes, int, float, bool, type(None))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        return is_float_value(node.operand)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(not isinstance(e, ast.Starred) and allowed(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and allowed(k) for k in node.keys) and all(
            allowed(v) for v in node.values)
    if isinstance(node, ast.Name):
        return node.id in ("nan", "inf")
    if isinstance(node, ast.Call):
        name = dotted(node.func)
        if name in ("Markup", "UUID", "float"):
            return len(node.args) == 1 and not node.keywords and is_const(node.args[0], str)
        return is_datetime(node)
    return False


def unrepresentable(v):
    """Whether v holds a complex, a set or Ellipsis, which the grammar rejects but
    ast.literal_eval accepts."""
    if v is Ellipsis or isinstance(v, (complex, set, frozenset)):
        return True
    if isinstance(v, (list, tuple)):
        return any(unrepresentable(x) for x in v)
    if isinstance(v, dict):
        return any(unrepresentable(x) for x in list(v) + list(v.values()))
    return False


def aware(v):
    """v with every naive datetime made UTC-aware."""
    if isinstance(v, datetime.datetime) and v.tzinfo is None:
        return v.replace(tzinfo=UTC)
    if isinstance(v, list):
        return [aware(x) for x in v]
    if isinstance(v, tuple):
        return tuple(aware(x) for x in v)
    if isinstance(v, dict):
        return {k: aware(x) for k, x in v.items()}
    return v


def evaluate(src):
    """Return (value, ok) for src."""
    try:
        tree = ast.parse(src.lstrip(" \t"), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None, False
    ok = allowed(tree.body)
    if not uses_extensions(tree.body):
        # The pure-literal part of the grammar must be ast.literal_eval's.
        try:
            lit = ast.literal_eval(src)
            lit_ok = True
        except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
            lit_ok = False
        if lit_ok != ok and not (lit_ok and unrepresentable(lit)):
            raise AssertionError(f"grammar disagrees with literal_eval on {src[:60]!r}")
    if not ok:
        return None, False
    try:
        v = eval(compile(tree, "<literal>", "eval"), dict(NAMES))
    except Exception:
        return None, False
    if not uses_extensions(tree.body) and not same(v, lit):
        raise AssertionError(f"eval disagrees with literal_eval on {src[:60]!r}")
    return v, True


def literal_case(name, src):
    v, ok = evaluate(src)
    case = {"name": name, "src": src, "want": None, "repr": None}
    if ok:
        # A hexadecimal literal may exceed the 4300-digit limit on decimal
        # conversion, which only applies to parsing here.
        sys.set_int_max_str_digits(0)
        try:
            case["want"] = check_roundtrip(v)
            case["repr"] = repr(aware(v))
        except (TypeError, ValueError):
            pass  # complex, set, non-str key, sub-second offset: no tv
        finally:
            sys.set_int_max_str_digits(4300)
    if src in DIVERGENT:
        if case["want"] is None:
            raise AssertionError(f"divergent case {src!r} fails in Python")
        case["go_error"] = DIVERGENT[src]
    return case


def nonprintable_ranges():
    out, lo = [], None
    for c in range(0x110000):
        if chr(c).isprintable():
            if lo is not None:
                out.append([lo, c - 1])
                lo = None
        elif lo is None:
            lo = c
    if lo is not None:
        out.append([lo, 0x10FFFF])
    return out


def main():
    warnings.simplefilter("ignore")
    sys.set_int_max_str_digits(0)  # only for writing 10**4299 and friends
    rng = random.Random(SEED)
    values = [(n, sort_dicts(v), False) for n, v in FIXED]
    values += [(n, v, True) for n, v in ORDERED]
    values += [(f"random {i}", sort_dicts(rand_value(rng)), False) for i in range(80)]

    repr_cases = []
    for name, v, ordered in values:
        repr_cases.append({
            "name": name,
            "value": check_roundtrip(v),
            "ordered": ordered,
            "repr": text(repr(v)),
            "str": text(str(v)),
            "bool": bool(v),
        })

    sys.set_int_max_str_digits(4300)  # back to the default for the parser
    literal_cases = []
    seen = set()

    def add(name, src):
        if src not in seen:
            seen.add(src)
            literal_cases.append(literal_case(name, src))

    for name, v, _ in values:
        if isinstance(v, int) and not isinstance(v, bool) and len(str(abs(v))) > 4300:
            continue
        add("repr of " + name, repr(v))
    for i, src in enumerate(LITERALS):
        add(f"literal {i}", src)
    for i, src in enumerate(DIVERGENT):
        add(f"divergent {i}", src)

    out = {
        "provenance": {
            "command": COMMAND,
            "python": sys.version.split()[0],
            "markupsafe": importlib.metadata.version("markupsafe"),
            "unicodedata": unicodedata.unidata_version,
            "seed": SEED,
        },
        "repr": repr_cases,
        "nonprintable": nonprintable_ranges(),
        "literal": literal_cases,
    }
    # One case per line, to keep the file small and diffs readable.
    w = sys.stdout.write
    w('{"provenance": ' + json.dumps(out["provenance"], sort_keys=True))
    for section in ("repr", "nonprintable", "literal"):
        w(',\n"' + section + '": [\n')
        w(",\n".join(json.dumps(c, separators=(",", ":")) for c in out[section]))
        w("\n]")
    w("}\n")


if __name__ == "__main__":
    main()
