#!/usr/bin/python3
"""Generate testdata/httpdate/vectors.json from the real Werkzeug and CPython.

Run from the repository root with Debian's Python (Werkzeug 2.2.2, CPython 3.11):

    /usr/bin/python3 compat/gen_httpdate.py > testdata/httpdate/vectors.json

These are the two halves of Flask's " d" tag (spec §4.3):

- "format": werkzeug.http.http_date(datetime) for many datetimes. The input
  is {"unix": seconds since the epoch (floor), "us": microseconds,
  "offset": utcoffset in seconds, or null for a naive datetime (whose "unix"
  counts it as UTC)}. The result is "want" (the string), or "raises" (the
  Python exception class name) when Python cannot convert it to UTC.
- "parse": werkzeug.http.parse_date(str). "want" is null (None) or
  {"unix", "us", "offset", "tzname"} of the aware datetime; "raises" names
  an exception that escapes parse_date (OverflowError).
- "unicode": the CPython tables the Go port hardcodes (str.isspace,
  str.isdecimal zeros, str.isdigit-but-not-decimal, non-ASCII code points
  whose lower()/upper() is ASCII).

Deterministic: random cases come from random.Random with a fixed seed.
"""

import datetime as dt
import importlib.metadata
import json
import os
import random
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import peerset  # noqa: E402
from werkzeug.http import http_date, parse_date  # noqa: E402

COMMAND = peerset.command("gen_httpdate.py", "httpdate")
SEED = 20231114

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_NAIVE = dt.datetime(1970, 1, 1)
SECOND = dt.timedelta(seconds=1)


def dt_json(d):
    """{"unix","us","offset"} of a datetime (naive counted as UTC)."""
    if d.tzinfo is None:
        unix = (d - EPOCH_NAIVE) // SECOND
        off = None
    else:
        unix = (d - EPOCH) // SECOND
        o = d.utcoffset()
        assert o % SECOND == dt.timedelta(0), o
        off = o // SECOND
    return {"unix": unix, "us": d.microsecond, "offset": off}


# ---------------------------------------------------------------- format


def tz(seconds):
    return dt.timezone(dt.timedelta(seconds=seconds))


def format_cases():
    cases = []
    seen = set()

    def add(name, d):
        key = (d, d.tzinfo and d.utcoffset())
        if key in seen:
            return
        seen.add(key)
        c = {"name": name, "in": dt_json(d)}
        try:
            c["want"] = http_date(d)
        except Exception as e:  # noqa: BLE001 - recorded as the expected outcome
            c["raises"] = type(e).__name__
        cases.append(c)

    base = [
        ("epoch", dt.datetime(1970, 1, 1)),
        ("rfc-example", dt.datetime(1994, 11, 6, 8, 49, 37)),
        ("spec-clock", dt.datetime(2023, 11, 14, 22, 13, 20)),
        ("micro-truncated", dt.datetime(2023, 11, 14, 22, 13, 20, 999999)),
        ("micro-1", dt.datetime(2000, 1, 1, 0, 0, 0, 1)),
        ("before-epoch", dt.datetime(1969, 12, 31, 23, 59, 59, 500000)),
        ("min", dt.datetime(1, 1, 1)),
        ("max", dt.datetime(9999, 12, 31, 23, 59, 59, 999999)),
        ("leap-2000", dt.datetime(2000, 2, 29, 12)),
        ("leap-2024", dt.datetime(2024, 2, 29, 23, 59, 59)),
        ("leap-1600", dt.datetime(1600, 2, 29)),
        ("non-leap-1900", dt.datetime(1900, 3, 1)),
        ("leap-4", dt.datetime(4, 2, 29)),
        ("y2038", dt.datetime(2038, 1, 19, 3, 14, 8)),
        ("after-int32", dt.datetime(2106, 2, 7, 6, 28, 16)),
    ]
    for y in (1, 5, 9, 10, 68, 69, 99, 100, 101, 999, 1000, 1582, 1752, 1899, 9998, 9999):
        base.append(("year-%d" % y, dt.datetime(y, 6, 15, 1, 2, 3)))
        base.append(("year-%d-jan1" % y, dt.datetime(y, 1, 1)))
        base.append(("year-%d-dec31" % y, dt.datetime(y, 12, 31, 23, 59, 59)))
    for m in range(1, 13):
        base.append(("month-%02d" % m, dt.datetime(2021, m, 9, 10, 11, 12)))
    for k in range(7):
        base.append(("weekday-%d" % k, dt.datetime(2024, 1, 1 + k, 7, 8, 9)))

    for name, d in base:
        add(name + "/naive", d)
        add(name + "/utc", d.replace(tzinfo=UTC))
    offsets = [3600, 7200, -18000, 19800, -12600, 86399, -86399, 45296, 1, -1, 20700]
    for name, d in base[:8] + [b for b in base if b[0].startswith(("year-1", "year-9999", "min", "max"))]:
        for off in offsets:
            add("%s/%+d" % (name, off), d.replace(tzinfo=tz(off)))
    # Converting to UTC leaves Python's range: astimezone raises OverflowError.
    add("min+1h", dt.datetime(1, 1, 1, 0, 30, tzinfo=tz(3600)))
    add("max-2h", dt.datetime(9999, 12, 31, 23, tzinfo=tz(-7200)))
    add("min+1s", dt.datetime(1, 1, 1, tzinfo=tz(1)))
    add("max-1s", dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=tz(-1)))

    rng = random.Random(SEED)
    lo = dt.datetime(1, 1, 2) - EPOCH_NAIVE
    hi = dt.datetime(9999, 12, 30) - EPOCH_NAIVE
    for i in range(150):
        secs = rng.randrange(lo // SECOND, hi // SECOND)
        d = EPOCH_NAIVE + dt.timedelta(seconds=secs, microseconds=rng.randrange(10**6))
        r = rng.random()
        if r < 0.3:
            add("random-%d/naive" % i, d)
        elif r < 0.5:
            add("random-%d/utc" % i, d.replace(tzinfo=UTC))
        else:
            add("random-%d/offset" % i, d.replace(tzinfo=tz(rng.randrange(-86399, 86400))))
    return cases


# ---------------------------------------------------------------- parse


def parse_result(s):
    try:
        d = parse_date(s)
    except Exception as e:  # noqa: BLE001 - recorded as the expected outcome
        return {"raises": type(e).__name__}
    if d is None:
        return None
    j = dt_json(d)
    j["tzname"] = d.tzname()
    return j


VALID = [
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
    "Sat, 01 Jan 0005 00:00:00 GMT",
    "Tue, 14 Nov 2023 22:13:20 GMT",
    "Mon, 01 Jan 0001 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Thu, 29 Feb 2024 12:00:00 +0200",
    "Wed, 15 Mar 2017 10:20:30 -0500",
    "15 Mar 2017 10:20:30 EST",
    "15 Mar 2017 10:20 PDT",
    "15-Mar-2017 10:20:30 +0530",
    "Mar 15 2017 10:20:30 -0000",
    "15 March 2017 10.20.30 UT",
]

PARSE_FIXED = [
    # empty and blank
    "", " ", "\t\n", "\xa0", "\u2028", "\u3000",
    # RFC 1123 / 850 / asctime and relatives
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
    "Sun Nov 6 08:49:37 1994 GMT",
    "Sun Nov 6 08:49:37 1994 +0100",
    "Sun,06 Nov 1994 08:49:37 GMT",
    "Sun,06 Nov 1994 08:49:37",
    "xyz,06 Nov 1994 08:49:37 GMT",
    "a,b,06 Nov 1994 08:49:37 GMT",
    "06 Nov 1994 08:49:37 GMT",
    "06 Nov 1994 08:49:37",
    "06 Nov 1994 08:49",
    "06 Nov 1994 08:49 GMT",
    "06 Nov 1994 8:9:7",
    "06 Nov 1994 08:49:37:00",
    "06 Nov 1994 08",
    "06 Nov 1994 08.49",
    "06 Nov 1994 08.49.37",
    "06 Nov 1994 08.49.37.1",
    "06 Nov 1994 08:49.37",
    "06 Nov 1994 T08:49:37",
    "1994-11-06T08:49:37Z",
    "06 Nov 1994 08:49:37+0200",
    "06 Nov 1994 08:49:37-0200",
    "06 Nov 1994 08:49:37+02",
    "06 Nov 1994 -08:49:37",
    "Mon, 06 Nov 1994 08:49:37 GMT",
    "Foo, 06 Nov 1994 08:49:37 GMT",
    "Foo 06 Nov 1994 08:49:37 GMT",
    "sun 06 nov 1994 08:49:37 gmt",
    "SUN 06 NOV 1994 08:49:37 Gmt",
    "Sun, 06 Nov. 1994 08:49:37 GMT",
    "Sun, 06 Jan. 1994 08:49:37 GMT",
    "Sun, 06 November 1994 08:49:37 GMT",
    "Sun, 06 may 1994 08:49:37 GMT",
    "Sun, 06 May, 1994 08:49:37 GMT",
    "Sun, 06, Nov, 1994, 08:49:37, GMT",
    "Sun, 06 Nov 1994, 08:49:37 GMT",
    "Sun, 06 Nov , 08:49:37 GMT",
    "Nov 06 1994 08:49:37 GMT",
    "Nov 06, 1994 08:49:37 GMT",
    "Nov, 06 1994 08:49:37 GMT",
    "1994 Nov 06 08:49:37 GMT",
    "06 Nov 08:49:37 1994 GMT",
    "06 Nov 08:49:37 GMT 1994",
    "06 Nov GMT 08:49:37 1994",
    "06 Nov 1994 GMT 08:49:37",
    "Nov Nov 1994 08:49:37",
    "06 06 1994 08:49:37",
    "06-Nov-1994 08:49:37",
    "06-Nov-94 08:49:37",
    "06-Nov-1994 08:49:37 GMT extra",
    "06-Nov 1994 08:49:37",
    "Sun, 06-Nov-1994 08:49:37",
    "06-Nov-1994-x 08:49:37",
    "--Nov 08:49:37 GMT",
    "06--1994 08:49:37 GMT",
    "06 Nov 1994 08:49:37 GMT extra words here",
    "   Sun,   06   Nov   1994   08:49:37   GMT   ",
    "Sun,\t06\nNov\r1994\x0b08:49:37\x0cGMT",
    "Sun,\x1c06\x1dNov\x1e1994\x1f08:49:37\x85GMT",
    "Sun,\xa006\u1680Nov\u20001994\u200a08:49:37\u2028GMT",
    "Sun,\u202906\u202fNov\u205f1994\u300008:49:37 GMT",
    "Sun, 06\u180eNov 1994 08:49:37 GMT",
    "Sun, 06\u200bNov 1994 08:49:37 GMT",
    "Sun, 06\x00Nov 1994 08:49:37 GMT",
    # two-digit and odd years
    "06 Nov 00 08:49:37", "06 Nov 0 08:49:37", "06 Nov 68 08:49:37", "06 Nov 69 08:49:37",
    "06 Nov 99 08:49:37", "06 Nov 100 08:49:37", "06 Nov 0099 08:49:37",
    "06 Nov 0005 08:49:37", "06 Nov 0001 08:49:37", "06 Nov 0000 08:49:37",
    "06 Nov 9999 23:59:59", "06 Nov 10000 08:49:37", "06 Nov 99999 08:49:37",
    "06 Nov -5 08:49:37", "06 Nov +5 08:49:37", "06 Nov 1_994 08:49:37",
    "06 Nov 1__994 08:49:37", "06 Nov _1994 08:49:37", "06 Nov 1994_ 08:49:37",
    "06 Nov 1994, 08:49:37", "06 Nov , 08:49:37", "06 Nov ,, 08:49:37",
    "06 Nov x1994 08:49:37", "06 Nov 08:49:37 -5", "06 Nov 08:49:37 -1994",
    "06 Nov 08:49:37 +05", "06 Nov 08:49:37 GMT",
    # out-of-range fields
    "31 Feb 2024 00:00:00", "30 Feb 2024 00:00:00", "29 Feb 2023 00:00:00",
    "29 Feb 1900 00:00:00", "29 Feb 2000 00:00:00", "31 Apr 2024 00:00:00",
    "00 Jan 2024 00:00:00", "32 Jan 2024 00:00:00", "-1 Jan 2024 00:00:00",
    "01 Jan 2024 24:00:00", "01 Jan 2024 23:60:00", "01 Jan 2024 23:59:60",
    "01 Jan 2024 -1:00:00", "01 Jan 2024 25:00", "01 Jan 2024 00:00:-0",
    "01 Jan 2024 +1:+2:+3", "01 Jan 2024 1_0:2_0:3_0", "01 Jan 2024 ::",
    "01 Jan 2024 :00:00", "01 Jan 2024 00::00", "01 Jan 2024 00:00:",
    "01 Jan 2024 0x1:00:00", "01 Jan 2024 00:00:00.5",
    # numeric and named zones
    "01 Jan 2024 12:00:00 +0000", "01 Jan 2024 12:00:00 -0000", "01 Jan 2024 12:00:00 +0",
    "01 Jan 2024 12:00:00 -0", "01 Jan 2024 12:00:00 0", "01 Jan 2024 12:00:00 -00_00",
    "01 Jan 2024 12:00:00 +0100", "01 Jan 2024 12:00:00 -0100", "01 Jan 2024 12:00:00 +0530",
    "01 Jan 2024 12:00:00 +0199", "01 Jan 2024 12:00:00 -0199", "01 Jan 2024 12:00:00 +2359",
    "01 Jan 2024 12:00:00 -2359", "01 Jan 2024 12:00:00 +2400", "01 Jan 2024 12:00:00 -2400",
    "01 Jan 2024 12:00:00 +2399", "01 Jan 2024 12:00:00 5", "01 Jan 2024 12:00:00 99",
    "01 Jan 2024 12:00:00 123456", "01 Jan 2024 12:00:00 +1", "01 Jan 2024 12:00:00 --0100",
    "01 Jan 2024 12:00:00 +-0100", "01 Jan 2024 12:00:00 0100x",
    "01 Jan 2024 12:00:00 +239999999999", "01 Jan 2024 12:00:00 -239999999999",
    "01 Jan 2024 12:00:00 +2399999999999", "01 Jan 2024 12:00:00 -2399999999999",
    "01 Jan 2024 12:00:00 +2400000000000", "01 Jan 2024 12:00:00 -2400000000000",
    "01 Jan 2024 12:00:00 +2399999997599", "01 Jan 2024 12:00:00 +2399999997600",
    "01 Jan 2024 12:00:00 -2399999997600", "01 Jan 2024 12:00:00 -2399999997601",
    "01 Jan 2024 12:00:00 -2399999997699", "01 Jan 2024 12:00:00 -2399999997700",
    "01 Jan 2024 12:00:00 +99999999999999999999", "01 Jan 2024 12:00:00 -99999999999999999999",
    "01 Jan 2024 12:00:00 " + "9" * 4300, "01 Jan 2024 12:00:00 " + "9" * 4301,
    "01 Jan 2024 12:00:00+0100", "01 Jan 2024 12:00:00-0100", "01 Jan 2024 12:00:00+",
    "01 Jan 2024 12:00:00-", "01 Jan 2024 +12:00:00", "01 Jan 2024 12:00:00+01:00",
    "01 Jan 2024 12:00:00 +01:00",
]
for name in ("UT", "UTC", "GMT", "Z", "AST", "ADT", "EST", "EDT", "CST", "CDT", "MST", "MDT",
             "PST", "PDT", "BST", "CET", "JST", "A", "z", "gmt", "utc", "est", "pDt", "Gmt",
             "E\u017fT", "E\ufb06", "M\ufb05", "\u0131ST", "\u212a", "GMT+1", "GMT+0100", "UTC-5"):
    PARSE_FIXED.append("01 Jan 2024 12:00:00 " + name)
    PARSE_FIXED.append("Mon, 01 Jan 2024 12:00 " + name)
# Unicode digits, case folding and friends
PARSE_FIXED += [
    "\u0660\u0666 Nov \u0661\u0669\u0669\u0664 \u0660\u0668:\u0664\u0669:\u0663\u0667 GMT",
    "06 Nov 1994 08:49:37 +\u0660\u0662\u0660\u0660",
    "06 Nov \uff11\uff19\uff19\uff14 08:49:37",
    "06 Nov \U0001d7d9\U0001d7e1\U0001d7e1\U0001d7dc 08:49:37",
    "06 Nov \u00b2\u00b3 08:49:37",
    "06 Nov 08:49:37 \u00b2\u00b3",
    "06 Nov \u2460994 08:49:37",
    "\u00b2 Nov 1994 08:49:37",
    "06 Nov 1994 \u00b2:49:37",
    "06 Nov \u0967\u096f\u096f\u096a 08:49:37",
    "06 Nov \U00011f51\U00011f59\U00011f59\U00011f54 08:49:37",
    "06 Nov 19\U0001e4f994 08:49:37",
    "06 Nov 1994 08:49:37 +\U00011f51\U00011f50\U00011f50",
    "06 \u212aov 1994 08:49:37",
    "06 NOV 1994 08:49:37", "06 nOv 1994 08:49:37", "06 NOVEMBER 1994 08:49:37",
    "06 Nov\u0307 1994 08:49:37", "\u0130 Nov 1994 08:49:37",
    "MON 06 Nov 1994 08:49:37", "\u1e9e 06 Nov 1994 08:49:37",
    "06 Nov 1994 08:49:37 \ufffd", "\ufffd 06 Nov 1994 08:49:37",
    "06 Nov 1994 08:49:37 \U0001f600", "\u00e9t\u00e9 06 Nov 1994 08:49:37",
    "06 Nov 1994\u00a008:49:37\u00a0GMT", "06\u2003Nov\u20031994\u200308:49:37",
    # junk
    "garbage", "Sun", "Sun,", ",", ",,,,,", "1 2 3 4 5", "a b c d e", "Jan Jan Jan Jan Jan",
    "0 Jan 0 0:0", "1 Jan 1 1:1", "1 jan 1 1:1:1 1", "- - - - -", "-- - -",
    "1-Jan-1 0:0 0", "1-Jan-1 0:0", "1-Jan 1 0:0", "1 Jan-1 0:0", "Jan 1-1-1 0:0",
    "\x00", "\x00\x00\x00\x00\x00", "1\x00 Jan 2000 00:00", "::::", "1:1 1:1 1:1 1:1 1:1",
    "Sun, 06 Nov 1994 08:49:37 GMT" * 3,
    "Sun, 06 Nov 1994 08:49:37 GMT " * 50,
    "0" * 4300 + " Jan 2000 00:00", "0" * 4301 + " Jan 2000 00:00",
    "1 Jan " + "1" * 4300 + " 00:00", "1 Jan " + "1" * 4301 + " 00:00",
    "1 Jan 2000 " + "0" * 4300 + ":00", "1 Jan 2000 00:" + "0" * 4301,
    "1 Jan 2147483647 00:00", "1 Jan 2147483648 00:00", "1 Jan -2147483648 00:00",
    "1 Jan -2147483649 00:00", "1 Jan -2147485648 00:00", "1 Jan -2147485649 00:00",
    "1 Jan 2147481647 00:00", "2147483647 Jan 2000 00:00", "2147483648 Jan 2000 00:00",
    "-2147483648 Jan 2000 00:00", "-2147483649 Jan 2000 00:00",
    "1 Jan 2000 2147483647:00", "1 Jan 2000 2147483648:00", "1 Jan 2000 00:2147483648",
    "1 Jan 2000 00:00:2147483648", "1 Jan 2000 00:00:-2147483649",
    "1 Jan 2000 00:00:99999999999999999999999",
    "1 Jan 2147483648 00:00 +2400", "1 Jan 2147483648 00:00 +9999999999999999",
    "1 Jan 10000 00:00 +9999999999999999", "1 Jan 10000 00:00 +2400",
    "1 Jan 2147483648 00:00 -0000", "1 Jan 2147483648 00:00 +0000",
]


def mutate(rng, s):
    alphabet = (
        "0123456789 ,-+:._JanFebMayGMTESTPDTutcZSun\t"
        "\xa0\u2028\u3000\u1680\u0660\u0663\u00b2\u2460\u017f\ufb06\u212a\u0131\x00"
        "\U0001d7d8\U00011f50\u180e\u200b\ufffd\u00e9"
    )
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(6)
        i = rng.randrange(len(s) + 1)
        if op == 0:
            s = s[:i] + rng.choice(alphabet) + s[i:]
        elif op == 1 and s:
            s = s[:i] + s[i + 1:]
        elif op == 2 and s:
            s = s[:i] + rng.choice(alphabet) + s[i + 1:]
        elif op == 3:
            j = rng.randrange(len(s) + 1)
            s = s[:i] + s[min(i, j):max(i, j)] + s[i:]
        elif op == 4:
            t = s.split()
            if len(t) > 1:
                a, b = rng.randrange(len(t)), rng.randrange(len(t))
                t[a], t[b] = t[b], t[a]
                s = " ".join(t)
        else:
            t = s.split()
            if t:
                del t[rng.randrange(len(t))]
                s = " ".join(t)
    return s


def random_valid(rng):
    day = rng.randrange(0, 33)
    month = rng.choice(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                        "Nov", "Dec", "January", "june", "SEPTEMBER", "Sept", "dec."])
    year = rng.choice([rng.randrange(0, 100), rng.randrange(100, 10001), rng.randrange(1, 10)])
    ywidth = rng.choice([0, 2, 4])
    ys = "%0*d" % (ywidth, year)
    hh, mi, ss = rng.randrange(0, 25), rng.randrange(0, 61), rng.randrange(0, 61)
    tm = rng.choice(["%02d:%02d:%02d" % (hh, mi, ss), "%d:%d" % (hh, mi), "%02d.%02d.%02d" % (hh, mi, ss)])
    zone = rng.choice(["", "GMT", "UTC", "EST", "PDT", "Z", "-0000", "+0000",
                       "%+05d" % rng.randrange(-2500, 2500), "%+d" % rng.randrange(-99, 99)])
    form = rng.randrange(4)
    dname = rng.choice(["Mon", "tue", "Wednesday", "Xyz", ""])
    if form == 0:
        s = "%s, %02d %s %s %s %s" % (dname, day, month, ys, tm, zone)
    elif form == 1:
        s = "%s, %02d-%s-%s %s %s" % (dname, day, month, ys, tm, zone)
    elif form == 2:
        s = "%s %s %2d %s %s" % (dname, month, day, tm, ys)
    else:
        s = "%d %s %s %s%s" % (day, month, ys, tm, zone)
    return s


def parse_cases():
    rng = random.Random(SEED)
    inputs = list(PARSE_FIXED)
    inputs += [random_valid(rng) for _ in range(250)]
    seeds = VALID + PARSE_FIXED[6:60]
    inputs += [mutate(rng, rng.choice(seeds)) for _ in range(500)]
    out, seen = [], set()
    for s in inputs:
        if s in seen:
            continue
        # Lone surrogates cannot be carried by a Go string.
        if any(0xD800 <= ord(c) <= 0xDFFF for c in s):
            continue
        seen.add(s)
        c = {"in": s}
        r = parse_result(s)
        if isinstance(r, dict) and "raises" in r:
            c["raises"] = r["raises"]
        else:
            c["want"] = r
        out.append(c)
    return out


# ---------------------------------------------------------------- tables


def ranges(points):
    r = []
    for i in points:
        if r and r[-1][1] == i - 1:
            r[-1][1] = i
        else:
            r.append([i, i])
    return r


def unicode_tables():
    chars = [chr(i) for i in range(0x110000)]
    dec = [c for c in chars if c.isdecimal()]
    zeros = [ord(c) for c in dec if int(c) == 0]
    # Every decimal run is ten code points from a zero; the Go table relies on it.
    assert len(dec) == 10 * len(zeros)
    assert all(int(chr(z + k)) == k for z in zeros for k in range(10))
    # Lower- or upper-casing never creates or changes anything int() or the
    # parser's comma/sign/colon tests look at (the Go port relies on it).
    relevant = lambda x: x.isdecimal() or x.isdigit() or x.isspace() or x in "+-_,:."  # noqa: E731
    for c in chars:
        for m in (c.lower(), c.upper()):
            assert m == c or not (any(map(relevant, m)) or relevant(c)), hex(ord(c))
    return {
        "space": [ord(c) for c in chars if c.isspace()],
        "decimal_zeros": zeros,
        "digit_only": ranges([ord(c) for c in chars if c.isdigit() and not c.isdecimal()]),
        "lower_to_ascii": {"%x" % ord(c): c.lower() for c in chars[0x80:]
                           if c.lower() != c and c.lower().isascii()},
        "upper_to_ascii": {"%x" % ord(c): c.upper() for c in chars[0x80:]
                           if c.upper() != c and c.upper().isascii()},
    }


def main():
    doc = {
        "provenance": {
            "command": COMMAND,
            "python": sys.version.split()[0],
            "werkzeug": importlib.metadata.version("werkzeug"),
            "unicodedata": unicodedata.unidata_version,
            "int_max_str_digits": sys.get_int_max_str_digits(),
            "seed": SEED,
        },
        "unicode": unicode_tables(),
        "format": format_cases(),
        "parse": parse_cases(),
    }
    out = json.dumps(doc, ensure_ascii=True, indent=None, separators=(",", ":"))
    # One case per line keeps diffs readable.
    out = out.replace('},{"name"', '},\n{"name"').replace('},{"in"', '},\n{"in"')
    sys.stdout.write(out + "\n")


if __name__ == "__main__":
    peerset.check("werkzeug")
    main()
