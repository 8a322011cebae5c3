#!/usr/bin/python3
"""Generate testdata/audit/vectors-<peers>.json: one token per format the
audit engine (package audit) recognises, made by the real frameworks, with
the secret that signed it.

Run from the repository root with Debian's Python, once per peer set:

    /usr/bin/python3 compat/gen_audit.py > testdata/audit/vectors-debian12.json
    P=$(bash compat/peers/current.sh); PYTHONPATH=$P FLASKCOOKIE_PEERS=current \\
        /usr/bin/python3 compat/gen_audit.py > testdata/audit/vectors-current.json

Every token comes from the framework's own code path:

  flask          Flask's SecureCookieSessionInterface serializer in an app
                 (an empty key through the same itsdangerous serializer with
                 Flask's settings, since Flask refuses to sign without a key)
  itsdangerous   URLSafeTimedSerializer / URLSafeSerializer defaults, and the
                 CSRF token of flask_wtf.csrf.generate_csrf
  starlette      the signer of starlette.middleware.sessions.SessionMiddleware
                 over the middleware's own payload encoding
  django         django.core.signing.dumps
  django-session the signed_cookies SessionStore.save()
  django-cookie  HttpResponse.set_signed_cookie (and the messages framework's
                 CookieStorage)

Fields: name, format (the audit.Format expected), secret (UTF-8 text) or
secret_hex, cookie_name (the cookie the value belongs to, or null), token,
and for set_signed_cookie values the value (str) signed; the salted one was
made with the salt argument in salt.
Output is deterministic (the clock is fixed; no randomness reaches tokens
but Flask-WTF's random CSRF value, which is a hex digest either way).
"""

import base64
import importlib.metadata
import json
import os
import sys
from unittest import mock

import django
import flask
import itsdangerous
import starlette
from vecgen import sorted_keys, write

NOW = 1700000000.0
PEERS = os.environ.get("FLASKCOOKIE_PEERS", "debian12")

out = []


def add(name, fmt, secret, token, cookie_name=None, value=None, salt=None):
    v = {"name": name, "format": fmt, "cookie_name": cookie_name, "token": token}
    if salt is not None:
        v["salt"] = salt
    if value is not None:
        v["value"] = value
    if isinstance(secret, bytes):
        v["secret_hex"] = secret.hex()
    else:
        v["secret"] = secret
    out.append(v)


def gen_flask():
    app = flask.Flask("audit")
    for name, secret, value in [
        ("flask/dev", "dev", {"user_id": 42}),
        ("flask/you-will-never-guess", "you-will-never-guess", {"_fresh": True, "_user_id": "1"}),
        ("flask/unicode", "sécret", {"a": "ü"}),
        ("flask/compressed", "changeme", {"data": "x" * 400}),
        ("flask/number", "123456", {"n": 1}),
    ]:
        app.secret_key = secret
        s = app.session_interface.get_signing_serializer(app)
        add(name, "flask", secret, s.dumps(value))
    # Flask does not sign with an empty key; itsdangerous with Flask's
    # settings does, and apps that hand-roll the serializer do.
    si = app.session_interface
    s = itsdangerous.URLSafeTimedSerializer(
        b"", salt=si.salt, serializer=si.serializer,
        signer_kwargs={"key_derivation": si.key_derivation, "digest_method": si.digest_method})
    add("flask/empty", "flask", "", s.dumps({"user_id": 1}))


def gen_itsdangerous():
    add("itsdangerous/timed-default", "itsdangerous", "secret",
        itsdangerous.URLSafeTimedSerializer("secret").dumps({"email": "a@example.com"}))
    add("itsdangerous/untimed-default", "itsdangerous", "secret",
        itsdangerous.URLSafeSerializer("secret").dumps([1, 2]))
    import flask_wtf.csrf
    app = flask.Flask("audit")
    app.secret_key = "super secret key"
    with app.test_request_context():
        add("itsdangerous/flask-wtf-csrf", "itsdangerous", "super secret key", flask_wtf.csrf.generate_csrf())


def gen_starlette():
    from starlette.middleware.sessions import SessionMiddleware
    for name, secret, value in [
        ("starlette/secret", "secret", {"user_id": 42}),
        ("starlette/changeme", "changeme", {"user": "alice", "roles": ["a", "b"]}),
    ]:
        mw = SessionMiddleware(lambda *a: None, secret_key=secret)
        # SessionMiddleware.__call__'s send_wrapper: b64encode(json.dumps(...)).
        data = base64.b64encode(json.dumps(value).encode("utf-8"))
        add(name, "starlette", secret, mw.signer.sign(data).decode("utf-8"))


def gen_django():
    from django.conf import settings
    settings.configure(SECRET_KEY="x", USE_TZ=True, INSTALLED_APPS=["django.contrib.messages"],
                       MESSAGE_STORAGE="django.contrib.messages.storage.cookie.CookieStorage")
    django.setup()
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.core import signing
    from django.http import HttpRequest, HttpResponse
    for tag, secret in [("insecure", "django-insecure-audit-vector"), ("short", "secret")]:
        settings.SECRET_KEY = secret
        add("django/dumps/" + tag, "django", secret, signing.dumps({"a": 1}))
        add("django/dumps-compressed/" + tag, "django", secret, signing.dumps({"a": "y" * 200}, compress=True))
        s = SessionStore()
        s["user_id"] = 42
        s.save()
        add("django-session/" + tag, "django-session", secret, s.session_key)
        r = HttpResponse()
        r.set_signed_cookie("remember", "alice")
        add("django-cookie/" + tag, "django-cookie", secret, r.cookies["remember"].value, "remember", "alice")
        r.set_signed_cookie("theme", "dark:blue")
        add("django-cookie/colon/" + tag, "django-cookie", secret, r.cookies["theme"].value, "theme", "dark:blue")
        r.set_signed_cookie("cart", "3 items", salt="shop")
        v = r.cookies["cart"].value
        assert signing.get_cookie_signer(salt="cartshop").unsign(v) == "3 items"
        add("django-cookie/salted/" + tag, "django-cookie", secret, v, "cart", "3 items", "shop")
        st = CookieStorage(HttpRequest())
        add("django-cookie/messages/" + tag, "django-cookie", secret,
            st._encode([Message(20, "Saved")]), "messages")


with mock.patch("time.time", return_value=NOW):
    gen_flask()
    gen_itsdangerous()
    gen_starlette()
    gen_django()

out.sort(key=lambda v: v["name"])
prov = {
    "command": "/usr/bin/python3 compat/gen_audit.py (FLASKCOOKIE_PEERS=%s)" % PEERS,
    "peers": PEERS,
    "python": sys.version.split()[0],
    "flask": importlib.metadata.version("flask"),
    "itsdangerous": importlib.metadata.version("itsdangerous"),
    "starlette": starlette.__version__,
    "django": django.get_version(),
    "clock": "time.time patched to %d" % NOW,
}
write(prov, out, dumps=sorted_keys)
