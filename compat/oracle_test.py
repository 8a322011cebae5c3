#!/usr/bin/python3
"""Unit tests of compat/oracle.py: /usr/bin/python3 compat/oracle_test.py

Run by internal/testonly/pyoracle's TestPythonSelfTest. Expected values are typed by
hand or taken from the spec (/work/shared/spec/wire-formats.md §8).
"""

import datetime
import json
import math
import os
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import oracle  # noqa: E402
from markupsafe import Markup  # noqa: E402

UTC = datetime.timezone.utc


def ask(req):
    return json.loads(oracle.handle(json.dumps(req).encode()))


class TypedValues(unittest.TestCase):
    def test_from_tv(self):
        cases = [
            ({"t": "none"}, None),
            ({"t": "bool", "v": False}, False),
            ({"t": "int", "v": "-12"}, -12),
            ({"t": "int", "v": "9" * 5000}, 10**5000 - 1),  # beyond the default digit limit
            ({"t": "float", "v": "1e-07"}, 1e-07),
            ({"t": "str", "v": "J\u00fcrgen"}, "J\u00fcrgen"),
            ({"t": "str", "wtf8": "eda080"}, "\ud800"),
            ({"t": "bytes", "v": "00ff"}, b"\x00\xff"),
            ({"t": "list", "v": [{"t": "int", "v": "1"}]}, [1]),
            ({"t": "tuple", "v": []}, ()),
            ({"t": "dict", "v": [["b", {"t": "none"}], ["a", {"t": "none"}]]}, {"b": None, "a": None}),
            ({"t": "markup", "v": "<b>"}, Markup("<b>")),
            ({"t": "uuid", "v": "12345678123456781234567812345678"}, uuid.UUID("12345678-1234-5678-1234-567812345678")),
            (
                {"t": "datetime", "v": 1700000000, "us": 123456, "offset": 0},
                datetime.datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=UTC),
            ),
            (
                {"t": "datetime", "v": 1700000000, "us": 0, "offset": -3600},
                datetime.datetime(2023, 11, 14, 21, 13, 20, tzinfo=datetime.timezone(datetime.timedelta(hours=-1))),
            ),
            ({"t": "datetime", "v": -1, "us": 0, "offset": None}, datetime.datetime(1969, 12, 31, 23, 59, 59)),
        ]
        for tv, want in cases:
            with self.subTest(tv=str(tv)[:60]):
                got = oracle.from_tv(tv)
                self.assertEqual(oracle.exact_diff(got, want), "")
                if isinstance(want, datetime.datetime):
                    self.assertEqual(got.utcoffset(), want.utcoffset())

    def test_round_trip(self):
        values = [
            None, True, 0, -(2**70), 0.1, -0.0, math.inf, 1e16, "", "\ud83d", "\U0001f600",
            b"", b"\xff", [], (1, [2, (3,)]), {"k": {" t": (1,)}}, {"\udc80": 1},
            Markup("<x>"), uuid.UUID(int=5),
            datetime.datetime(1, 1, 1), datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        ]
        for v in values:
            with self.subTest(v=v):
                back = oracle.from_tv(json.loads(json.dumps(oracle.to_tv(v))))
                self.assertEqual(oracle.exact_diff(back, v), "")

    def test_nan_round_trip(self):
        self.assertTrue(math.isnan(oracle.from_tv(oracle.to_tv(math.nan))))

    def test_to_tv_forms(self):
        self.assertEqual(oracle.to_tv(1e-07), {"t": "float", "v": "1e-07"})
        self.assertEqual(oracle.to_tv(True), {"t": "bool", "v": True})
        self.assertEqual(oracle.to_tv("\ud800"), {"t": "str", "wtf8": "eda080"})
        self.assertEqual(oracle.to_tv({"\ud800": None})["v"][0][0], {"t": "str", "wtf8": "eda080"})
        self.assertEqual(
            oracle.to_tv(datetime.datetime(2023, 11, 14, 22, 13, 20, 5)),
            {"t": "datetime", "v": 1700000000, "us": 5, "offset": None},
        )
        with self.assertRaises(oracle.OracleError):
            oracle.to_tv({1, 2})

    def test_bad_tv(self):
        bad = [
            [], {"v": 1}, {"t": "int", "v": 1}, {"t": "int", "v": "1_0"}, {"t": "int", "v": " 1"},
            {"t": "float", "v": "x"}, {"t": "bool", "v": 1}, {"t": "bytes", "v": "0"},
            {"t": "uuid", "v": "1234"}, {"t": "str", "wtf8": "ff"}, {"t": "str", "v": "a", "x": 1},
            {"t": "dict", "v": [["a"]]}, {"t": "datetime", "v": 0, "us": 1000000, "offset": 0},
            {"t": "datetime", "v": 10**12, "us": 0, "offset": 0}, {"t": "nope"},
        ]
        for tv in bad:
            with self.subTest(tv=tv):
                with self.assertRaises(oracle.RequestError):
                    oracle.from_tv(tv)

    def test_bytestr(self):
        self.assertEqual(oracle.from_bytestr("\u00fc", "x"), b"\xc3\xbc")
        self.assertEqual(oracle.from_bytestr({"hex": "ff00"}, "x"), b"\xff\x00")
        self.assertEqual(oracle.to_bytestr(b"\xff"), {"hex": "ff"})
        self.assertEqual(oracle.to_bytestr(b"\xed\xa0\x80"), {"hex": "eda080"})
        self.assertEqual(oracle.to_bytestr(b"ok"), "ok")
        for bad in ("\ud800", {"hex": "f"}, {"hex": "gg"}, 1, None):
            with self.subTest(bad=bad):
                with self.assertRaises(oracle.RequestError):
                    oracle.from_bytestr(bad, "x")


class ExactDiff(unittest.TestCase):
    def test_cases(self):
        aware = datetime.datetime(2023, 1, 1, tzinfo=UTC)
        cases = [
            (1, 1, True), (1, True, False), (1, 1.0, False), (math.nan, math.nan, True),
            (0.0, -0.0, False), ("a", Markup("a"), False), (b"a", "a", False),
            ((1,), [1], False), ([(1,)], [(1,)], True), ({"a": 1}, {"a": 1, "b": 2}, False),
            ({"a": [1]}, {"a": (1,)}, False), (aware, aware.replace(tzinfo=None), False),
            (aware, aware.astimezone(datetime.timezone(datetime.timedelta(hours=2))), False),
            (aware, datetime.datetime(2023, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(0))), True),
        ]
        for got, want, equal in cases:
            with self.subTest(got=got, want=want):
                diff = oracle.exact_diff(got, want)
                self.assertEqual(diff == "", equal, diff)


class Protocol(unittest.TestCase):
    def test_v10_flask_dumps(self):
        r = ask({"op": "flask_dumps", "secret": "dev-secret", "now": 1700000000,
                 "value": {"t": "dict", "v": [["user_id", {"t": "int", "v": "42"}]]}})
        self.assertEqual(r["cookie"], "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM")

    def test_clock_is_restored(self):
        before = oracle.time.time
        ask({"op": "itsdangerous", "class": "TimestampSigner", "keys": ["k"], "action": "sign", "now": 5, "value": "v"})
        self.assertIs(oracle.time.time, before)

    def test_id_is_echoed(self):
        self.assertEqual(ask({"op": "ping", "id": 7})["id"], 7)
        self.assertEqual(ask({"op": "nope", "id": "x"}), {"ok": False, "error": "Request", "message": "unknown op 'nope'", "id": "x"})

    def test_bad_lines(self):
        for line in (b"", b"x", b"\xff", b"[" * 100000, b"null", b'{"op": 1}'):
            with self.subTest(line=line[:10]):
                self.assertEqual(json.loads(oracle.handle(line))["error"], "Request")

    def test_int_limit_is_kept_for_code_under_test(self):
        # The oracle lifts the digit limit only for its own conversions.
        oracle.to_tv(10**5000)
        with self.assertRaises(ValueError):
            int("9" * 5000)


if __name__ == "__main__":
    unittest.main()
