"""Tests of fernet_session with the real Flask and cryptography.

Run from this directory, or from anywhere with discover:

    /usr/bin/python3 -m unittest -v
    /usr/bin/python3 -m unittest discover -v -s compat/fernet_session
"""

import base64
import datetime as dt
import inspect
import os
import sys
import unittest
import uuid
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cryptography.fernet import Fernet, MultiFernet  # noqa: E402
from flask import Flask, session  # noqa: E402
from flask.sessions import NullSession  # noqa: E402
from itsdangerous import BadPayload, BadSignature  # noqa: E402
from markupsafe import Markup  # noqa: E402

from fernet_session import CONFIG_KEY, FernetSessionInterface  # noqa: E402

T = 1700000000
LIFETIME = 31 * 24 * 3600
KEY = b"cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
OLD_KEY = base64.urlsafe_b64encode(bytes(range(32)))
OTHER_KEY = base64.urlsafe_b64encode(bytes(range(32, 64)))


def at(now):
    """Patch the clock that Fernet reads (time.time)."""
    return mock.patch("time.time", return_value=float(now))


def make_app(keys=(KEY,), **config):
    app = Flask(__name__)
    app.config[CONFIG_KEY] = list(keys) if keys is not None else None
    app.config.update(config)
    app.session_interface = FernetSessionInterface()
    state = {}

    @app.route("/set/<key>/<value>")
    def set_value(key, value):
        session[key] = value
        return "ok"

    @app.route("/store")
    def store():
        session.update(state["store"])
        return "ok"

    @app.route("/permanent")
    def permanent():
        session.permanent = True
        session["p"] = 1
        return "ok"

    @app.route("/get")
    def get():
        state["got"] = dict(session)
        state["class"] = type(session._get_current_object())
        return "ok"

    @app.route("/clear")
    def clear():
        session.clear()
        return "ok"

    @app.route("/read-only")
    def read_only():
        return str(session.get("x"))

    app.state = state
    return app


def cookie_of(response):
    """The session value of a response's Set-Cookie header, or None."""
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if name == "session":
            return rest.split(";", 1)[0]
    return None


def set_session_cookie(client, cookie):
    """Put the session cookie in a test client's jar, for localhost.

    Werkzeug 2.2 takes the server name first, set_cookie("localhost", key,
    value); Werkzeug 2.3 and later take set_cookie(key, value,
    domain="localhost") and refuse the old form.
    """
    if "server_name" in inspect.signature(client.set_cookie).parameters:
        client.set_cookie("localhost", "session", cookie)
    else:
        client.set_cookie("session", cookie, domain="localhost")


def request(app, path, cookie=None, now=T):
    client = app.test_client()
    if cookie is not None:
        set_session_cookie(client, cookie)
    with at(now):
        return client.get(path)


def read(app, cookie, now=T):
    response = request(app, "/get", cookie, now)
    assert response.status_code == 200, response.status_code
    return app.state["got"]


class SealedCookieTest(unittest.TestCase):
    def test_round_trip(self):
        app = make_app()
        cookie = cookie_of(request(app, "/set/x/hello"))
        self.assertIsNotNone(cookie)
        self.assertEqual(read(app, cookie), {"x": "hello"})

    def test_cookie_is_a_fernet_token_of_flask_tagged_json(self):
        app = make_app()
        app.state["store"] = {"b": 1, "a": (1, 2)}
        cookie = cookie_of(request(app, "/store"))
        self.assertTrue(cookie.startswith("gAAAAA"), cookie)
        # Nothing of the session is readable without the key.
        self.assertNotIn(b"(1, 2)", base64.urlsafe_b64decode(cookie))
        with at(T):
            plain = Fernet(KEY).decrypt(cookie, ttl=LIFETIME)
        # Flask's tagged JSON, sorted keys, compact.
        self.assertEqual(plain, b'{"a":{" t":[1,2]},"b":1}')
        with at(T):
            self.assertEqual(Fernet(KEY).extract_timestamp(cookie), T)

    def test_types_survive(self):
        app = make_app()
        value = {
            "t": (1, "two"),
            "b": b"\x00\xff",
            "m": Markup("<b>hi</b>"),
            "u": uuid.UUID("12345678123456781234567812345678"),
            "d": dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc),
            "_flashes": [("message", "Hello")],
            " t": "escaped tag key",
            "n": 2**70,
        }
        app.state["store"] = value
        cookie = cookie_of(request(app, "/store"))
        got = read(app, cookie)
        self.assertEqual(got, value)
        self.assertIsInstance(got["t"], tuple)
        self.assertIsInstance(got["m"], Markup)

    def test_bad_cookies_give_an_empty_session(self):
        app = make_app()
        good = cookie_of(request(app, "/set/x/1"))
        cases = {
            "garbage": "not-a-token",
            "empty-token": "gAAAAA==",
            "flipped-mac": good[:-4] + ("A" if good[-4] != "A" else "B") + good[-3:],
            "flipped-ciphertext": good[:40] + ("A" if good[40] != "A" else "B") + good[41:],
            "truncated": good[:-8],
            "no-padding": good.rstrip("="),
            "non-ascii": good[:10] + "\u00e9" + good[10:],
            "other-key": Fernet(OTHER_KEY).encrypt(b'{"x":"1"}').decode(),
            "signed-flask-cookie": "eyJ4IjoiMSJ9.ZVPxAA.5y0yjqrVuKVr7qq0w4XLhhKHBeA",
        }
        for name, cookie in cases.items():
            with self.subTest(name):
                self.assertEqual(read(app, cookie), {}, "must start an empty session")

    def test_lenient_spellings_are_read(self):
        # urlsafe_b64decode skips foreign characters and reads '+' '/'.
        app = make_app()
        good = cookie_of(request(app, "/set/x/1"))
        spelled = good.replace("-", "+").replace("_", "/")
        self.assertEqual(read(app, spelled + "==junk"), {"x": "1"})

    def test_lifetime_is_the_ttl(self):
        app = make_app(PERMANENT_SESSION_LIFETIME=100)
        cookie = cookie_of(request(app, "/set/x/1", now=T))
        self.assertEqual(read(app, cookie, now=T + 100), {"x": "1"})
        self.assertEqual(read(app, cookie, now=T + 101), {})

    def test_future_cookies_within_the_clock_skew(self):
        app = make_app()
        cookie = cookie_of(request(app, "/set/x/1", now=T))
        self.assertEqual(read(app, cookie, now=T - 60), {"x": "1"})
        self.assertEqual(read(app, cookie, now=T - 61), {})

    def test_key_rotation(self):
        old = make_app(keys=[OLD_KEY])
        cookie = cookie_of(request(old, "/set/x/1"))
        rotated = make_app(keys=[KEY, OLD_KEY])
        self.assertEqual(read(rotated, cookie), {"x": "1"})
        fresh = cookie_of(request(rotated, "/set/y/2", cookie))
        # The new cookie is sealed with the first key only.
        self.assertEqual(read(make_app(keys=[KEY]), fresh), {"x": "1", "y": "2"})
        self.assertEqual(read(old, fresh), {})
        # A single key may be given as a plain str.
        self.assertEqual(read(make_app(keys=None, **{CONFIG_KEY: KEY.decode()}), fresh), {"x": "1", "y": "2"})

    def test_no_keys_is_a_null_session(self):
        app = make_app(keys=None)
        response = request(app, "/get")
        self.assertEqual(response.status_code, 200)
        self.assertIs(app.state["class"], NullSession)
        app.testing = False  # a 500 instead of the exception
        app.logger.disabled = True
        self.assertEqual(request(app, "/set/x/1").status_code, 500)

    def test_save_rules_are_flasks(self):
        app = make_app()
        response = request(app, "/set/x/1")
        header = response.headers["Set-Cookie"]
        self.assertRegex(header, r"^session=gAAAAA[A-Za-z0-9_=-]+; HttpOnly; Path=/$")
        self.assertEqual(response.headers["Vary"], "Cookie")
        # Permanent: Expires (Flask takes it from datetime.now, not the
        # patched clock), never Max-Age.
        header = request(app, "/permanent").headers["Set-Cookie"]
        self.assertRegex(header, r"^session=gAAAAA[A-Za-z0-9_=-]+; Expires=[A-Za-z]{3}, [^;]+ GMT; HttpOnly; Path=/$")
        # Clearing deletes the cookie; reading alone sets nothing.
        cookie = cookie_of(response)
        deleted = request(app, "/clear", cookie).headers["Set-Cookie"]
        self.assertTrue(deleted.startswith("session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"), deleted)
        self.assertNotIn("Set-Cookie", request(app, "/read-only", cookie).headers)

    def test_verified_payload_that_is_not_a_session_fails_the_request(self):
        serializer = FernetSessionInterface().get_signing_serializer(make_app())
        for name, plain in {"bad-json": b'{"x":', "not-utf8": b'{"x":"\xff"}', "bad-tag": b'{" b":"YWJ"}'}.items():
            with self.subTest(name):
                token = MultiFernet([Fernet(KEY)]).encrypt(plain).decode()
                with self.assertRaises(BadPayload):
                    serializer.loads(token, max_age=LIFETIME)
        with self.assertRaises(BadSignature):
            serializer.loads("junk", max_age=LIFETIME)
        app = make_app()
        app.testing = False  # a 500 instead of the exception
        app.logger.disabled = True
        with at(T):
            token = Fernet(KEY).encrypt(b'{"x":').decode()
        self.assertEqual(request(app, "/get", token).status_code, 500)


if __name__ == "__main__":
    unittest.main()
