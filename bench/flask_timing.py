"""Time Flask's session serializer (and one itsdangerous key guess) for
bench/bench_test.go: prints {"times": {"small/Encode": ns, ...},
"versions": "..."} as JSON.

Run from bench/ with /usr/bin/python3 (Debian's Flask), or with
PYTHONPATH set to the current peers (see compat/peers/current.sh).
"""
import datetime
import hashlib
import importlib.metadata
import json
import platform
import timeit
import uuid

import flask
import itsdangerous
from markupsafe import Markup

app = flask.Flask(__name__)
app.secret_key = "dev-secret"
NOW = 1700000000

small = {"user_id": 42}
large = {
    "_flashes": [("message", "Welcome back"), ("error", "Check your email")],
    "_permanent": True,
    "user_id": 42,
    "name": "J\u00fcrgen",
    "avatar": b"\x00\xffbin",
    "motto": Markup("<b>hi</b>"),
    "token": uuid.UUID("12345678123456781234567812345678"),
    "login": datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc),
    " t": "escaped",
    "roles": ("admin", "editor"),
}


def per_op(fn):
    """The fastest of 7 repeats of about 0.2 s each, in ns per call: on a
    shared machine other work only slows a repeat down, and the Go side
    keeps its fastest runs too."""
    n, total = timeit.Timer(fn).autorange()
    best = min(timeit.Timer(fn).repeat(7, n))
    return best / n * 1e9


def main():
    out = {}
    with app.test_request_context():
        s = app.session_interface.get_signing_serializer(app)
        for name, v in (("small", small), ("large", large)):
            cookie = s.dumps(dict(v))
            out[name + "/Encode"] = per_op(lambda: s.dumps(v))
            out[name + "/Decode"] = per_op(lambda: s.loads(cookie, max_age=31 * 86400))
        cookie = s.dumps(small)

        def guess():
            signer = itsdangerous.TimestampSigner(
                b"not-the-secret-key", salt="cookie-session",
                key_derivation="hmac", digest_method=hashlib.sha1)
            try:
                signer.unsign(cookie)
            except itsdangerous.BadSignature:
                pass
        out["key-guess"] = per_op(guess)
    versions = "Python %s, Flask %s, itsdangerous %s" % (
        platform.python_version(), importlib.metadata.version("flask"),
        importlib.metadata.version("itsdangerous"))
    print(json.dumps({"times": out, "versions": versions}))


if __name__ == "__main__":
    main()
