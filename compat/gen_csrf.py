#!/usr/bin/python3
"""Generate testdata/csrf/vectors.json from the real Flask-WTF, for package
csrf's unit tests. Run from the repository root:

    /usr/bin/python3 compat/gen_csrf.py > testdata/csrf/vectors.json

Flask-WTF 1.2.2 (the current set, FLASKCOOKIE_PEERS=current with
PYTHONPATH=$(bash compat/peers/current.sh)) writes the same vectors
(compat/generators_test.go checks it).

Each vector runs inside app.test_request_context with SECRET_KEY
"csrf-vector-secret" and itsdangerous's clock patched to "now":

  generate   session["csrf_token"] = raw; generate_csrf(): "token"
  validate   session["csrf_token"] = raw (absent when null);
             WTF_CSRF_TIME_LIMIT = limit (null: None, no limit; the
             time_limit argument cannot say None, it falls back to the
             config); validate_csrf(token): "reason" is the
             ValidationError's message, or null when it passes

Output is deterministic, one vector per line.
"""

import os
import sys
import types
from importlib import metadata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerset  # noqa: E402
from vecgen import sorted_keys, write  # noqa: E402

peerset.check("flask", "flask_wtf", "itsdangerous")

import flask
import itsdangerous.timed
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms import ValidationError

NOW = [0]
itsdangerous.timed.time = types.SimpleNamespace(time=lambda: NOW[0])

app = flask.Flask("gen_csrf")
app.config["SECRET_KEY"] = "csrf-vector-secret"

RAW = "5d41402abc4b2a76b9719d911017c592ae4e3bd2"
OTHER = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
out = []


def generate(raw, now):
    NOW[0] = now
    with app.test_request_context("/"):
        flask.session["csrf_token"] = raw
        return generate_csrf()


for name, raw, now in [("raw", RAW, 1700000000), ("other", OTHER, 1700000000), ("later", RAW, 1800000000)]:
    out.append({"op": "generate", "name": name, "raw": raw, "now": now, "token": generate(raw, now)})

tok = generate(RAW, 1700000000)
for name, raw, token, now, limit in [
    ("good", RAW, tok, 1700000000, 3600),
    ("at-limit", RAW, tok, 1700003600, 3600),
    ("expired", RAW, tok, 1700003601, 3600),
    ("future", RAW, tok, 1699999999, 3600),
    ("no-limit", RAW, tok, 1900000000, None),
    ("no-limit-future", RAW, tok, 1600000000, None),
    ("missing", RAW, "", 1700000000, 3600),
    ("no-session-token", None, tok, 1700000000, 3600),
    ("other-session", OTHER, tok, 1700000000, 3600),
    ("tampered", RAW, tok[:-1] + ("A" if tok[-1] != "A" else "B"), 1700000000, 3600),
    ("garbage", RAW, "garbage", 1700000000, 3600),
    ("dots", RAW, "..", 1700000000, 3600),
]:
    NOW[0] = now
    app.config["WTF_CSRF_TIME_LIMIT"] = limit
    with app.test_request_context("/"):
        if raw is not None:
            flask.session["csrf_token"] = raw
        try:
            validate_csrf(token)
            reason = None
        except ValidationError as e:
            reason = e.args[0]
    out.append({"op": "validate", "name": name, "raw": raw, "token": token, "now": now, "limit": limit, "reason": reason})

prov = {
    "command": peerset.command("gen_csrf.py", "csrf"),
    "python": sys.version.split()[0],
    "flask": metadata.version("flask"),
    "itsdangerous": metadata.version("itsdangerous"),
    "flask-wtf": metadata.version("flask-wtf"),
    "secret_key": app.config["SECRET_KEY"],
}
write(prov, out, dumps=sorted_keys)
