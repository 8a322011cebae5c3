#!/usr/bin/python3
"""Generate testdata/flasklogin/vectors.json (Debian 12: Flask-Login 0.6.2)
and vectors-current.json (the current set: 0.6.3, whose login_url differs)
from the real Flask-Login, for package flasklogin's unit tests (no Python
needed to run them). Run from the repository root, once per peer set:

    /usr/bin/python3 compat/gen_login.py > testdata/flasklogin/vectors.json
    FLASKCOOKIE_PEERS=current PYTHONPATH=$(bash compat/peers/current.sh) \\
        /usr/bin/python3 compat/gen_login.py > testdata/flasklogin/vectors-current.json

Each vector runs a Flask-Login function inside app.test_request_context:

  identifier    _create_identifier() for a request with "remote_addr",
                "headers" (a list of [name, value], values as Latin-1 text,
                as WSGI has them): "want" is the hex digest
  remember      encode_cookie(id) with SECRET_KEY "secret": "want"; and
                decode_cookie of "cookie": "want" (null when refused)
  login_url     login_url(view, next_url=next): "want"

Output is deterministic, one vector per line.
"""

import os
import sys
from importlib import metadata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerset  # noqa: E402
from vecgen import sorted_keys, write  # noqa: E402

peerset.check("flask", "flask_login")

import flask
import flask_login
from flask_login import utils

app = flask.Flask("gen_login")
app.config["SECRET_KEY"] = "login-vector-secret"
flask_login.LoginManager(app)

out = []

IDENT = [
    ("plain", "127.0.0.1", [["User-Agent", "Go-http-client/1.1"]]),
    ("no-user-agent", "127.0.0.1", []),
    ("empty-user-agent", "10.1.2.3", [["User-Agent", ""]]),
    ("ipv6", "::1", [["User-Agent", "curl/8"]]),
    ("quote", "127.0.0.1", [["User-Agent", "it's"]]),
    ("both-quotes", "127.0.0.1", [["User-Agent", "it's \"x\""]]),
    ("backslash-tab", "127.0.0.1", [["User-Agent", "a\\b\tc"]]),
    ("latin1", "127.0.0.1", [["User-Agent", "caf\xe9 \xff \x7f"]]),
    ("xff", "127.0.0.1", [["X-Forwarded-For", " 10.0.0.1 , 10.0.0.2"], ["User-Agent", "x"]]),
    ("xff-empty", "127.0.0.1", [["X-Forwarded-For", ""], ["User-Agent", "x"]]),
    ("xff-leading-comma", "127.0.0.1", [["X-Forwarded-For", ",10.0.0.2"], ["User-Agent", "x"]]),
    ("xff-tabs", "127.0.0.1", [["X-Forwarded-For", "\t10.0.0.9\x0b"], ["User-Agent", "x"]]),
    ("xff-latin1", "127.0.0.1", [["X-Forwarded-For", "\xe9"], ["User-Agent", "x"]]),
]
for name, addr, headers in IDENT:
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": addr}, headers=headers):
        out.append({"op": "identifier", "name": name, "remote_addr": addr, "headers": headers, "want": utils._create_identifier()})

with app.app_context():
    for uid in ["1", "alice", "a|b", "caf\xe9", "", "x" * 100]:
        out.append({"op": "remember", "name": "encode/" + uid[:10], "id": uid, "want": utils.encode_cookie(uid)})
    good = utils.encode_cookie("42")
    for name, cookie in [
        ("good", good),
        ("tampered", good[:-1] + ("0" if good[-1] != "0" else "1")),
        ("upper-hex", "42|" + good.split("|")[1].upper()),
        ("no-separator", "42"),
        ("empty", ""),
        ("only-separator", "|"),
        ("other-id", "43|" + good.split("|")[1]),
        ("pipe-in-id", utils.encode_cookie("a|b")),
        ("short-digest", good[:-2]),
    ]:
        out.append({"op": "decode", "name": "decode/" + name, "cookie": cookie, "want": utils.decode_cookie(cookie)})

for name, view, nxt in [
    ("path", "/login", "http://localhost/secret"),
    ("query", "/login", "http://localhost/secret?a=1&b=x y"),
    ("safe-chars", "/login", "http://localhost/s?c=$!'()*,;/~"),
    ("view-query", "/login?z=1&a=2", "http://localhost/p"),
    ("view-has-next", "/login?next=old&a=1", "http://localhost/p"),
    ("absolute-same-host", "http://localhost/login", "http://localhost/p?q=1"),
    ("absolute-other-host", "https://auth.example/login", "http://localhost/p"),
    ("unicode", "/login", "http://localhost/caf\xe9"),
]:
    with app.test_request_context("/"):
        out.append({"op": "login_url", "name": name, "view": view, "next": nxt, "want": utils.login_url(view, next_url=nxt)})

prov = {
    "command": peerset.command("gen_login.py", "flasklogin"),
    "python": sys.version.split()[0],
    "flask": metadata.version("flask"),
    "werkzeug": metadata.version("werkzeug"),
    "flask-login": metadata.version("flask-login"),
    "secret_key": app.config["SECRET_KEY"],
}
write(prov, out, dumps=sorted_keys)
