#!/usr/bin/python3
"""The Python peer of the live Fernet tests (compat/live_fernet_test.go).

Reads one JSON object from stdin, {"requests": [...]}, runs each request
with the real cryptography.fernet and a Flask app using
fernet_session.FernetSessionInterface, and writes {"versions": {...},
"responses": [...]} to stdout, one response per request. Exit status 3
means a package is missing (the Go test skips, or fails when
FLASKCOOKIE_REQUIRE_PYTHON=1).

Requests (keys are Fernet keys as text, newest first; now is Unix seconds,
what time.time returns while the request runs):

  {"op": "decrypt", "keys", "token", "now", "ttl"}   -> {"plaintext": hex} | {"error": class}
  {"op": "encrypt", "keys", "plaintext": hex, "now"} -> {"token"}
  {"op": "rotate", "keys", "token", "now"}           -> {"token"} | {"error": class}
  {"op": "extract_timestamp", "keys", "token"}       -> {"timestamp"} | {"error": class}
      (the first key that verifies, as MultiFernet would)
  {"op": "flask_read", "keys", "cookie", "now", "lifetime"}
      -> {"status": 200, "session": tv} | {"error": class}
      Flask's open_session through the test client, with the cookie set.
  {"op": "flask_write", "keys", "session": tv, "now", "lifetime"}
      -> {"status", "cookie", "set_cookie"}: the session set by a view.
"""

import json
import os
import sys
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

try:
    import importlib.metadata

    from cryptography.fernet import Fernet, MultiFernet
    from flask import Flask, session

    from fernet_session import CONFIG_KEY, FernetSessionInterface
    from pytv import from_tv, to_tv
    from test_fernet_session import set_session_cookie
except ImportError as e:  # pragma: no cover - exercised without Debian packages
    sys.stderr.write(f"missing Python package: {e}\n")
    sys.exit(3)


def clock(now):
    return mock.patch("time.time", return_value=float(now))


def multi(keys):
    return MultiFernet([Fernet(k) for k in keys])


def make_app(keys, lifetime):
    app = Flask("flaskcookie_fernet_peer")
    app.testing = True  # a failing request raises here instead of giving a 500
    app.config[CONFIG_KEY] = list(keys)
    app.config["PERMANENT_SESSION_LIFETIME"] = lifetime
    app.session_interface = FernetSessionInterface()
    got = {}

    @app.route("/read")
    def read():
        got["session"] = to_tv(dict(session))
        return "ok"

    @app.route("/write", methods=["POST"])
    def write():
        session.update(from_tv(json.loads(app.peer_session)))
        return "ok"

    app.got = got
    return app


def run(req):
    op = req["op"]
    if op in ("decrypt", "rotate", "extract_timestamp", "encrypt"):
        try:
            with clock(req.get("now", 0)):
                if op == "decrypt":
                    return {"plaintext": multi(req["keys"]).decrypt(req["token"], ttl=req["ttl"]).hex()}
                if op == "encrypt":
                    return {"token": multi(req["keys"]).encrypt(bytes.fromhex(req["plaintext"])).decode()}
                if op == "rotate":
                    return {"token": multi(req["keys"]).rotate(req["token"]).decode()}
                err = None
                for k in req["keys"]:
                    try:
                        return {"timestamp": Fernet(k).extract_timestamp(req["token"])}
                    except Exception as e:
                        err = e
                raise err
        except Exception as e:
            return {"error": type(e).__name__}
    if op == "flask_read":
        app = make_app(req["keys"], req["lifetime"])
        client = app.test_client()
        set_session_cookie(client, req["cookie"])
        try:
            with clock(req["now"]):
                r = client.get("/read")
        except Exception as e:  # testing mode: the view's exception comes here
            return {"error": type(e).__name__}
        return {"status": r.status_code, "session": app.got.get("session")}
    if op == "flask_write":
        app = make_app(req["keys"], req["lifetime"])
        app.peer_session = json.dumps(req["session"])
        with clock(req["now"]):
            r = app.test_client().post("/write")
        header = r.headers.get("Set-Cookie", "")
        cookie = header.split(";", 1)[0].partition("=")[2] if header.startswith("session=") else None
        return {"status": r.status_code, "cookie": cookie, "set_cookie": header}
    return {"error": "UnknownOp"}


def main():
    reqs = json.load(sys.stdin)["requests"]
    out = {
        "versions": {
            "python": sys.version.split()[0],
            "cryptography": importlib.metadata.version("cryptography"),
            "flask": importlib.metadata.version("flask"),
        },
        "responses": [run(r) for r in reqs],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
