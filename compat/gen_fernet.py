#!/usr/bin/python3
"""Generate testdata/fernet/vectors.json from Debian's python3-cryptography
(Fernet, MultiFernet) and Flask with compat/fernet_session.

Run from the repository root:

    /usr/bin/python3 compat/gen_fernet.py > testdata/fernet/vectors.json

Sections (testdata/fernet/README.md describes every field):

  keys      Fernet(key): the 32 raw bytes, or the exception class.
  encrypt   Fernet(key)._encrypt_from_parts(data, now, iv): the token for a
            fixed time and IV (what encrypt_at_time does after drawing the IV).
  tokens    MultiFernet(keys).decrypt(token, ttl) with time.time patched,
            extract_timestamp and rotate (os.urandom patched to a recorded
            IV): the result or the exception class.
  sessions  Flask sessions sealed by fernet_session.FernetSessionInterface
            (encode: cookie for a value at a fixed time and IV; decode: what
            open_session's s.loads(cookie, max_age=lifetime) gives).

Tokens that only a key holder can make (a valid MAC over a malformed body)
are built with the key's own signing half and HMAC-SHA256. Every expected
outcome is whatever the Python code does; nothing is asserted by hand.
Deterministic: fixed clock, IVs and keys, vectors sorted by name.
"""

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import importlib.metadata
import json
import os
import sys
import time
import uuid
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "fernet_session"))

from cryptography.fernet import Fernet, InvalidToken, MultiFernet  # noqa: E402
from flask import Flask  # noqa: E402
from itsdangerous import BadData  # noqa: E402
from markupsafe import Markup  # noqa: E402

from fernet_session import CONFIG_KEY, FernetSessionInterface  # noqa: E402
import peerset  # noqa: E402
from pytv import check_roundtrip, to_tv  # noqa: E402

COMMAND = peerset.command("gen_fernet.py", "fernet")
T = 1700000000
LIFETIME = 2678400
UTC = dt.timezone.utc

# The specification's key, and keys made of fixed bytes.
SPEC_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
K1 = base64.urlsafe_b64encode(bytes(range(32))).decode()
K2 = base64.urlsafe_b64encode(bytes(range(100, 132))).decode()
K3 = base64.urlsafe_b64encode(bytes(range(200, 232))).decode()
# Same signing half as K1, another encryption half.
K1_SAME_SIGNING = base64.urlsafe_b64encode(bytes(range(16)) + bytes(range(50, 66))).decode()


def iv_of(n):
    return bytes((n * 17 + i) % 256 for i in range(16))


@contextlib.contextmanager
def frozen(now, iv=None):
    with mock.patch("time.time", return_value=float(now)):
        if iv is None:
            yield
        else:
            with mock.patch("os.urandom", return_value=iv):
                yield


SECTIONS = {"keys": [], "encrypt": [], "tokens": [], "sessions": []}
NAMES = set()


def add(section, name, **fields):
    key = (section, name)
    assert key not in NAMES, key
    NAMES.add(key)
    SECTIONS[section].append({"name": name, **fields})


def error_class(e):
    return type(e).__name__


# ---------------------------------------------------------------------------
# keys


def key_vector(name, key):
    try:
        raw = Fernet(key)._signing_key + Fernet(key)._encryption_key
        add("keys", name, key=key, raw=raw.hex(), error=None)
    except Exception as e:  # ValueError, binascii.Error is a ValueError
        add("keys", name, key=key, raw=None, error=error_class(e))


def keys_section():
    key_vector("spec", SPEC_KEY)
    key_vector("k1", K1)
    key_vector("zero", base64.urlsafe_b64encode(bytes(32)).decode())
    key_vector("no-padding", SPEC_KEY.rstrip("="))
    key_vector("extra-padding", SPEC_KEY + "==")
    key_vector("std-alphabet", SPEC_KEY.replace("-", "+").replace("_", "/"))
    key_vector("whitespace", " " + SPEC_KEY[:20] + "\n" + SPEC_KEY[20:] + "\t")
    key_vector("junk-after-padding", SPEC_KEY + "junk")
    key_vector("31-bytes", base64.urlsafe_b64encode(bytes(31)).decode())
    key_vector("33-bytes", base64.urlsafe_b64encode(bytes(33)).decode())
    key_vector("64-bytes", base64.urlsafe_b64encode(bytes(64)).decode())
    key_vector("empty", "")
    key_vector("one-char-over", SPEC_KEY[:-1] + "A=")
    key_vector("non-ascii", SPEC_KEY[:10] + "\u00e9" + SPEC_KEY[10:])
    key_vector("hex-not-base64", bytes(32).hex())
    key_vector("nonzero-trailing-bits", SPEC_KEY[:-2] + "5=")


# ---------------------------------------------------------------------------
# encrypt

PLAINTEXTS = {
    "empty": b"",
    "one": b"x",
    "15": b"a" * 15,
    "16": b"b" * 16,
    "17": b"c" * 17,
    "32": bytes(range(32)),
    "100": bytes(range(100)),
    "binary": b"\x00\xff\x80\x10" * 9,
    "json": b'{"user_id":42}',
}


def encrypt(name, key, plain, now=T, iv=None):
    iv = iv_of(len(SECTIONS["encrypt"])) if iv is None else iv
    token = Fernet(key)._encrypt_from_parts(plain, now, iv).decode()
    add("encrypt", name, key=key, now=now, iv=iv.hex(), plaintext=plain.hex(), token=token)
    return token


def encrypt_section():
    tokens = {}
    for n, p in PLAINTEXTS.items():
        tokens[n] = encrypt(f"spec-key/{n}", SPEC_KEY, p)
    tokens["k2"] = encrypt("k2/json", K2, b'{"user_id":42}')
    encrypt("time/zero", K1, b"t", now=0)
    encrypt("time/year-9999", K1, b"t", now=253402300799)
    encrypt("spec-vector", SPEC_KEY, b"hello", now=499162800, iv=bytes(range(16)))
    return tokens


# ---------------------------------------------------------------------------
# tokens: decrypt, extract_timestamp, rotate


def run_decrypt(keys, token, now, ttl):
    f = MultiFernet([Fernet(k) for k in keys])
    with frozen(now):
        try:
            return {"plaintext": f.decrypt(token, ttl=ttl).hex(), "error": None}
        except Exception as e:
            return {"plaintext": None, "error": error_class(e)}


def decrypt(name, token, keys=(SPEC_KEY,), now=T, ttl=None):
    add("tokens", name, op="decrypt", keys=list(keys), token=token, now=now, ttl=ttl,
        iv=None, timestamp=None, rotated=None, **run_decrypt(keys, token, now, ttl))


def extract(name, token, keys=(SPEC_KEY,)):
    # MultiFernet has no extract_timestamp in cryptography 38: try each key
    # as a MultiFernet would, stopping at the first that verifies.
    ts, err = None, None
    for k in keys:
        try:
            ts = Fernet(k).extract_timestamp(token)
            err = None
            break
        except Exception as e:
            err = error_class(e)
    add("tokens", name, op="extract_timestamp", keys=list(keys), token=token, now=T, ttl=None,
        iv=None, timestamp=ts, rotated=None, plaintext=None, error=err)


def rotate(name, token, keys, n):
    iv = iv_of(1000 + n)
    f = MultiFernet([Fernet(k) for k in keys])
    rotated, err = None, None
    with frozen(T, iv):
        try:
            rotated = f.rotate(token).decode()
        except Exception as e:
            err = error_class(e)
    add("tokens", name, op="rotate", keys=list(keys), token=token, now=T, ttl=None,
        iv=iv.hex(), timestamp=None, rotated=rotated, plaintext=None, error=err)


def raw(token):
    return base64.urlsafe_b64decode(token)


def b64(data):
    return base64.urlsafe_b64encode(data).decode()


def forge(key, body):
    """A token with a valid MAC over body, as only a key holder can make."""
    signing = base64.urlsafe_b64decode(key)[:16]
    return b64(body + hmac.new(signing, body, hashlib.sha256).digest())


def aes_cbc(key, iv, data):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    enc = Cipher(algorithms.AES(base64.urlsafe_b64decode(key)[16:]), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def header(ts=T, iv=bytes(16)):
    return b"\x80" + ts.to_bytes(8, "big") + iv


def tokens_section(tokens):
    base = tokens["json"]
    data = raw(base)

    # Every token made by encrypt decrypts.
    for n in PLAINTEXTS:
        decrypt(f"ok/{n}", tokens[n])
        decrypt(f"ok-ttl/{n}", tokens[n], ttl=LIFETIME)

    # Spellings: base64 leniency.
    spellings = {
        "no-padding": base.rstrip("="),
        "extra-padding": base + "==",
        "one-padding-short": base[:-1] if base.endswith("==") else base.rstrip("=") + "=",
        "std-alphabet": base.replace("-", "+").replace("_", "/"),
        "junk-chars": base[:5] + "*" + base[5:30] + " .$" + base[30:],
        "newlines": base[:40] + "\n" + base[40:80] + "\r\n" + base[80:],
        "junk-after-padding": base + "gAAAAA",
        "equals-inside": base[:10] + "=" + base[10:],
        "equals-after-one-char-of-group": base[:9] + "=" + base[9:],
        "three-equals-after-one-char": base[:9] + "===" + base[9:],
        "two-equals-after-two-chars": base[:10] + "==" + base[10:],
        "equals-after-three-chars": base[:11] + "=" + base[11:],
        "equals-junk-equals-after-two-chars": base[:10] + "=*=" + base[10:],
        "equals-data-equals-after-two-chars": base[:10] + "=" + base[10] + "=" + base[11:],
        "leading-equals": "=" + base,
        "non-ascii": base[:10] + "\u00e9" + base[10:],
        "nul": base[:10] + "\x00" + base[10:],
        "empty": "",
        "only-padding": "====",
        "one-char": "g",
        "spec-too-short": "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==",
    }
    # Non-zero trailing bits: the last data character of a token whose
    # length leaves 4 trailing bits (ends "==") with a low bit set.
    stripped = base.rstrip("=")
    pad = base[len(stripped):]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(stripped[-1])
    spellings["trailing-bits"] = stripped[:-1] + alphabet[last | (0x0F if pad == "==" else 0x03)] + pad
    for n, tok in spellings.items():
        decrypt(f"spelling/{n}", tok)

    # Tampering: one byte changed in every field, truncation, extension.
    tampers = {
        "version-81": b"\x81" + data[1:],
        "version-00": b"\x00" + data[1:],
        "timestamp": data[:5] + bytes([data[5] ^ 1]) + data[6:],
        "iv": data[:12] + bytes([data[12] ^ 0x80]) + data[13:],
        "ciphertext": data[:30] + bytes([data[30] ^ 1]) + data[31:],
        "mac-first": data[:-32] + bytes([data[-32] ^ 1]) + data[-31:],
        "mac-last": data[:-1] + bytes([data[-1] ^ 1]),
        "drop-last-byte": data[:-1],
        "drop-mac": data[:-32],
        "drop-block": data[:-48] + data[-32:],
        "append-byte": data + b"\x00",
        "append-block": data + bytes(16),
        "header-only": data[:25],
        "version-only": data[:1],
        "nine-bytes": data[:9],
        "eight-bytes": data[:8],
        "zeros": bytes(len(data)),
    }
    for n, d in tampers.items():
        decrypt(f"tamper/{n}", b64(d))
        decrypt(f"tamper-ttl/{n}", b64(d), ttl=LIFETIME)

    # Keys: wrong key, rotation lists, shared signing half.
    decrypt("keys/wrong-key", base, keys=[K1])
    decrypt("keys/second-of-two", base, keys=[K1, SPEC_KEY])
    decrypt("keys/first-of-three", base, keys=[SPEC_KEY, K1, K2])
    decrypt("keys/none-of-two", base, keys=[K1, K2])
    decrypt("keys/k2-token", tokens["k2"], keys=[K1, K3, K2], ttl=LIFETIME)
    for n in ("json", "16", "100"):
        tok = Fernet(K1_SAME_SIGNING)._encrypt_from_parts(PLAINTEXTS[n], T, iv_of(500))
        decrypt(f"keys/same-signing-key/{n}", tok.decode(), keys=[K1, K1_SAME_SIGNING])
        decrypt(f"keys/same-signing-key-only-first/{n}", tok.decode(), keys=[K1])

    # Time: TTL and clock skew (token made at T).
    for n, (now, ttl) in {
        "age-equals-ttl": (T + 60, 60),
        "age-over-ttl": (T + 61, 60),
        "ttl-zero-same-second": (T, 0),
        "ttl-zero-next-second": (T + 1, 0),
        "ttl-negative": (T, -1),
        "future-60": (T - 60, 60),
        "future-61": (T - 61, 60),
        "future-61-no-ttl": (T - 61, None),
        "old-no-ttl": (T + 10**9, None),
        "lifetime": (T + LIFETIME, LIFETIME),
        "lifetime-plus-one": (T + LIFETIME + 1, LIFETIME),
        "ttl-max-go-duration": (T + 9223372036, 9223372036),
        "ttl-max-go-duration-plus-one": (T + 9223372037, 9223372036),
        "now-zero": (0, 60),
    }.items():
        decrypt(f"time/{n}", base, now=now, ttl=ttl)
    for n, ts in {"max": 2**64 - 1, "zero": 0, "2^63": 2**63, "2^62": 2**62}.items():
        tok = Fernet(SPEC_KEY)._encrypt_from_parts(b"x", ts, iv_of(600)).decode()
        decrypt(f"time/ts-{n}/no-ttl", tok)
        decrypt(f"time/ts-{n}/ttl", tok, ttl=60)
        decrypt(f"time/ts-{n}/ttl-max-go-duration", tok, ttl=9223372036)
        extract(f"extract/ts-{n}", tok)

    # Valid MAC, malformed body: only a key holder can make these.
    k = SPEC_KEY
    forged = {
        "empty-ciphertext": header(),
        "ciphertext-15": header() + bytes(15),
        "ciphertext-17": header() + aes_cbc(k, bytes(16), bytes([16]) * 16) + b"\x00",
        "pad-zero": header() + aes_cbc(k, bytes(16), b"a" * 15 + b"\x00"),
        "pad-17": header() + aes_cbc(k, bytes(16), b"a" * 15 + b"\x11"),
        "pad-inconsistent": header() + aes_cbc(k, bytes(16), b"a" * 12 + b"\x03\x04\x04\x04"),
        "pad-full-block": header() + aes_cbc(k, bytes(16), bytes([16]) * 16),
        "pad-one": header() + aes_cbc(k, bytes(16), b"a" * 15 + b"\x01"),
        "pad-sixteen-after-data": header() + aes_cbc(k, bytes(16), b"b" * 16 + bytes([16]) * 16),
        "short-1": b"\x80",
        "short-9": header()[:9],
        "short-24": header()[:24],
        "short-header": header(),
    }
    for n, body in forged.items():
        tok = forge(k, body)
        decrypt(f"forged/{n}", tok)
        decrypt(f"forged-ttl/{n}", tok, ttl=LIFETIME)
        extract(f"extract/forged/{n}", tok)
    # A valid MAC over fewer than 9 bytes: the "timestamp" overlaps the MAC.
    for n in (1, 8):
        body = b"\x80" + bytes(n - 1)
        tok = forge(k, body)
        decrypt(f"forged/mac-over-{n}-bytes", tok)
        extract(f"extract/forged/mac-over-{n}-bytes", tok)

    # extract_timestamp on good and bad tokens.
    extract("extract/ok", base)
    extract("extract/second-key", base, keys=[K1, SPEC_KEY])
    extract("extract/wrong-key", base, keys=[K1])
    extract("extract/tampered-ciphertext", b64(tampers["ciphertext"]))
    extract("extract/non-ascii", spellings["non-ascii"])
    extract("extract/junk-chars", spellings["junk-chars"])
    extract("extract/no-padding", spellings["no-padding"])

    # rotate keeps the timestamp and re-encrypts under the first key.
    rotate("rotate/old-to-new", base, [K1, SPEC_KEY], 0)
    rotate("rotate/same-key", base, [SPEC_KEY], 1)
    rotate("rotate/unknown-key", base, [K1, K2], 2)
    rotate("rotate/tampered", b64(tampers["mac-last"]), [K1, SPEC_KEY], 3)
    rotate("rotate/k2-token", tokens["k2"], [K3, K1, K2], 4)
    rotate("rotate/empty-plaintext", tokens["empty"], [K2, SPEC_KEY], 5)
    rotate("rotate/forged-bad-padding", forge(k, forged["pad-zero"]), [K1, SPEC_KEY], 6)
    rotate("rotate/future-ts-max", Fernet(SPEC_KEY)._encrypt_from_parts(b"x", 2**64 - 1, iv_of(7)).decode(),
           [K2, SPEC_KEY], 7)


# ---------------------------------------------------------------------------
# sessions

APP = Flask("flaskcookie_fernet_vectors")


def serializer_for(keys):
    APP.config[CONFIG_KEY] = list(keys)
    return FernetSessionInterface().get_signing_serializer(APP)


def session_encode(name, value, keys=(K1,), now=T, n=0):
    tv = check_roundtrip(value)
    iv = iv_of(2000 + n)
    with APP.app_context():
        s = serializer_for(keys)
        with frozen(now, iv):
            cookie = s.dumps(value)
            js = s.serializer.dumps(value)
            decoded = s.loads(cookie, max_age=LIFETIME)
    with frozen(now):
        assert MultiFernet([Fernet(k) for k in keys]).decrypt(cookie).decode() == js
    add("sessions", name, op="encode", keys=list(keys), now=now, lifetime=LIFETIME, iv=iv.hex(),
        value=tv, decoded=to_tv(decoded), json=js, cookie=cookie, error=None)
    return cookie


def session_decode(name, cookie, keys=(K1,), now=T, lifetime=LIFETIME):
    value = error = None
    with APP.app_context():
        s = serializer_for(keys)
        with frozen(now):
            try:
                value = to_tv(s.loads(cookie, max_age=lifetime))
            except BadData as e:
                error = error_class(e)
    assert error in (None, "BadSignature", "BadPayload"), error
    add("sessions", name, op="decode", keys=list(keys), now=now, lifetime=lifetime, iv=None,
        value=value, decoded=value, json=None, cookie=cookie, error=error)


def sealed(plain, key=K1, now=T):
    return Fernet(key)._encrypt_from_parts(plain, now, iv_of(3000)).decode()


SESSIONS = {
    "small": {"user_id": 42},
    "empty": {},
    "flashes": {"_flashes": [("message", "Hello"), ("error", "Bad")], "_permanent": True},
    "tuple": {"t": (1, (2, 3), [])},
    "bytes": {"b": b"\x00\xff\xfe", "e": b""},
    "markup": {"m": Markup("<b>hi</b>")},
    "uuid": {"u": uuid.UUID("12345678123456781234567812345678")},
    "datetime": {"d": dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)},
    "datetime-micro-naive": {"d": dt.datetime(2023, 11, 14, 22, 13, 20, 123456)},
    "tag-keys": {" t": "x", "nested": {" di": 1}, "two": {" t": 1, "a": 2}},
    "unicode": {"name": "J\u00fcrgen \U0001f600", "line": "a\u2028b", "k\u00e9y": "v"},
    "lone-surrogate": {"s": "\ud800"},
    "numbers": {"big": 2**70, "neg": -(2**64), "f": 1.5, "tiny": 1e-07, "nan": float("nan"),
                "inf": float("inf"), "negzero": -0.0},
    "unsorted": {"b": 1, "a": 2, "c": {"z": 1, "y": 2}},
    "nested": {"a": [{"b": [{"c": (None, True, False)}]}]},
    "large": {"blob": "x" * 2500},
}


def sessions_section():
    cookies = {}
    for i, (n, v) in enumerate(SESSIONS.items()):
        cookies[n] = session_encode(f"encode/{n}", v, n=i)
    session_encode("encode/rotated-keys", {"user_id": 7}, keys=(K2, K1), n=100)
    small = cookies["small"]

    session_decode("decode/ok", small)
    session_decode("decode/age-equals-lifetime", small, now=T + LIFETIME)
    session_decode("decode/expired", small, now=T + LIFETIME + 1)
    session_decode("decode/short-lifetime-expired", small, now=T + 101, lifetime=100)
    session_decode("decode/future-60", small, now=T - 60)
    session_decode("decode/future-61", small, now=T - 61)
    session_decode("decode/old-key-after-rotation", small, keys=(K2, K1))
    session_decode("decode/key-dropped", small, keys=(K2,))
    session_decode("decode/tampered", small[:50] + ("A" if small[50] != "A" else "B") + small[51:])
    session_decode("decode/truncated", small[:-4])
    session_decode("decode/no-padding", small.rstrip("="))
    session_decode("decode/lenient-spelling", small.replace("-", "+").replace("_", "/") + "==junk")
    session_decode("decode/non-ascii", small[:10] + "\u00fc" + small[10:])
    session_decode("decode/empty-string", "")
    session_decode("decode/signed-flask-cookie", "eyJ1c2VyX2lkIjo0Mn0.ZVPxAA.LIr3YcHFjdrdtQSuFvBzSarrgwM")

    # Sealed with the key, but not a session Flask can load.
    for n, plain in {
        "bad-json": b'{"a":',
        "non-utf8": b'{"a":"\xff"}',
        "bad-bytes-tag": b'{"a":{" b":"YWJ"}}',
        "bad-uuid-tag": b'{"a":{" u":"xyz"}}',
        "empty-plaintext": b"",
        "utf8-bom": b'\xef\xbb\xbf{"a":1}',
        "list": b"[1,2]",
        "nan-literal": b'{"a":NaN}',
        "unknown-tag": b'{"a":{" x":1}}',
        "bad-date": b'{"a":{" d":"yesterday"}}',
        "whitespace": b' { "a" : 1 } ',
        "dup-keys": b'{"a":1,"a":2}',
    }.items():
        session_decode(f"payload/{n}", sealed(plain))


def main():
    keys_section()
    tokens = encrypt_section()
    tokens_section(tokens)
    sessions_section()
    for rows in SECTIONS.values():
        rows.sort(key=lambda v: v["name"])
    provenance = {
        "python": sys.version.split()[0],
        "cryptography": importlib.metadata.version("cryptography"),
        "flask": importlib.metadata.version("flask"),
        "itsdangerous": importlib.metadata.version("itsdangerous"),
        "markupsafe": importlib.metadata.version("markupsafe"),
        "command": COMMAND,
        "clock": "time.time patched",
        "iv": "os.urandom patched (rotate, sessions); Fernet._encrypt_from_parts (encrypt)",
        "sessions": "compat/fernet_session/fernet_session.py FernetSessionInterface, inside app.app_context()",
    }
    w = sys.stdout
    w.write('{"provenance": ' + json.dumps(provenance, sort_keys=True))
    for section, rows in SECTIONS.items():
        w.write(',\n"' + section + '": [\n')
        for i, v in enumerate(rows):
            w.write(json.dumps(v, separators=(",", ":"), allow_nan=False))
            w.write(",\n" if i + 1 < len(rows) else "\n")
        w.write("]")
    w.write("}\n")


if __name__ == "__main__":
    assert importlib.metadata.version("cryptography") == "38.0.4", "run with /usr/bin/python3"
    peerset.check("flask", "itsdangerous")
    main()
