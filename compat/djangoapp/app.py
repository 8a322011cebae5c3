#!/usr/bin/python3
"""A Django app (the peer set's: 3.2 or 4.2) with the signed_cookies session backend, served by the
standard library's WSGI server, for the Go live tests
(compat/live_django_test.go).

    /usr/bin/python3 compat/djangoapp/app.py

It listens on 127.0.0.1 on a port the OS picks, prints "READY <port>" on
stdout once the socket listens, and exits when its stdin closes, so it never
outlives the test. Requests are served one at a time.

Configuration: the environment variable DJANGOAPP_SETTINGS is a JSON object
of extra Django settings (SECRET_KEY defaults to "django-secret"; the session
engine is always django.contrib.sessions.backends.signed_cookies).

Fake clock: a request with the header X-Fake-Now: <unix seconds, may be a
float> runs with time.time returning that (signing, the age check, and the
session cookie's expires).

Routes (JSON answers; typed values use compat/pytv.py's tv format):

    GET  /_ping            {"versions": {...}}
    GET  /dump             {"session": tv(dict(request.session))}
    POST /set              body: a dict tv; request.session.update(it)
    POST /signing/loads    {"token", "salt"?, "max_age"?} -> signing.loads:
                           {"value": tv} or {"error": class, "message": str}
    POST /signing/dumps    {"value": tv, "salt"?, "compress"?} -> {"token"}
    POST /signer/unsign    {"token", "timestamp": bool, "salt"?, "sep"?,
                           "algorithm"?, "max_age"?} -> {"value": str} or error
    POST /signer/sign      {"value": str, "timestamp": bool, "salt"?, "sep"?,
                           "algorithm"?} -> {"token"}
"""

import json
import os
import sys
import warnings
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
warnings.simplefilter("ignore")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

SETTINGS = {
    "SECRET_KEY": "django-secret",
    "ALLOWED_HOSTS": ["*"],
    "DEBUG": False,
    "ROOT_URLCONF": __name__,
    "MIDDLEWARE": ["django.contrib.sessions.middleware.SessionMiddleware"],
    "INSTALLED_APPS": ["django.contrib.sessions"],
    "SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies",
    "DEFAULT_HASHING_ALGORITHM": "sha256",
    "USE_TZ": True,
}
SETTINGS.update(json.loads(os.environ.get("DJANGOAPP_SETTINGS", "{}")))
settings.configure(**SETTINGS)
django.setup()

from django.core import signing  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

import fakeclock  # noqa: E402
import liveapp  # noqa: E402
from pytv import from_tv, to_tv  # noqa: E402

fakeclock.install_time()  # django.core.signing and the session middleware call time.time()


# ---------------------------------------------------------------- views


def _error(e):
    return JsonResponse({"error": type(e).__name__, "message": str(e)})


def ping(request):
    return JsonResponse({"versions": {"python": sys.version.split()[0],
                                      "django": django.get_version()}})


def dump(request):
    return JsonResponse({"session": to_tv(dict(request.session))})


@csrf_exempt
def set_(request):
    request.session.update(from_tv(json.loads(request.body)))
    return JsonResponse({"ok": True})


@csrf_exempt
def signing_loads(request):
    q = json.loads(request.body)
    kw = {k: q[k] for k in ("salt", "max_age") if q.get(k) is not None}
    try:
        value = signing.loads(q["token"], **kw)
    except Exception as e:  # noqa: BLE001 - report what Django raises
        return _error(e)
    return JsonResponse({"value": to_tv(value)})


@csrf_exempt
def signing_dumps(request):
    q = json.loads(request.body)
    kw = {k: q[k] for k in ("salt", "compress") if q.get(k) is not None}
    return JsonResponse({"token": signing.dumps(from_tv(q["value"]), **kw)})


def _signer(q):
    cls = signing.TimestampSigner if q.get("timestamp") else signing.Signer
    kw = {k: q[k] for k in ("salt", "sep", "algorithm") if q.get(k) is not None}
    return cls(**kw)


@csrf_exempt
def signer_unsign(request):
    q = json.loads(request.body)
    s = _signer(q)
    try:
        if q.get("timestamp"):
            value = s.unsign(q["token"], max_age=q.get("max_age"))
        else:
            value = s.unsign(q["token"])
    except Exception as e:  # noqa: BLE001
        return _error(e)
    return JsonResponse({"value": value})


@csrf_exempt
def signer_sign(request):
    q = json.loads(request.body)
    return JsonResponse({"token": _signer(q).sign(q["value"])})


urlpatterns = [
    path("_ping", ping), path("dump", dump), path("set", set_),
    path("signing/loads", signing_loads), path("signing/dumps", signing_dumps),
    path("signer/unsign", signer_unsign), path("signer/sign", signer_sign),
]


def with_fake_clock(app):
    def wrapped(environ, start_response):
        with fakeclock.at(environ.get("HTTP_X_FAKE_NOW") or None):
            return app(environ, start_response)
    return wrapped


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main():
    server = make_server("127.0.0.1", 0, with_fake_clock(get_wsgi_application()),
                         server_class=WSGIServer, handler_class=QuietHandler)
    liveapp.exit_when_stdin_closes()
    liveapp.ready(server.server_port)
    server.serve_forever()


if __name__ == "__main__":
    main()
