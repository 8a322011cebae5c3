#!/usr/bin/python3
"""A Starlette app with SessionMiddleware, served by uvicorn, for the Go live
tests (compat/live_starlette_test.go).

    /usr/bin/python3 compat/starletteapp/app.py

It listens on 127.0.0.1 on a port the OS picks, prints "READY <port>" on
stdout once the socket listens, and exits when its stdin closes, so it never
outlives the test.

Configuration: the environment variable STARLETTEAPP_CONFIG is a JSON object,
app name -> SessionMiddleware arguments: secret (text), secret_type ("str",
"bytes": passed as the UTF-8 bytes, or "Secret"), max_age (null = None),
path, same_site, https_only, session_cookie, domain (Starlette 0.32+). The request header X-App names
the app (default "default"); every app has the same routes.

Fake clock: a request with the header X-Fake-Now: <unix seconds> runs with
time.time returning that (what itsdangerous signs and checks with).

Routes (JSON answers; typed values use compat/pytv.py's tv format):

    GET  /_ping     {"versions": {...}}
    GET  /dump      {"session": tv(request.session)}
    POST /set       body: a dict tv; request.session.update(it)
    GET  /clear     request.session.clear()
    GET  /touch     does not use the session
    GET  /login?user=NAME    request.session["user"] = NAME
    GET  /whoami    {"user": tv(request.session.get("user"))}
    GET  /pop?key=K request.session.pop(K, None)

The Go app of compat/live_starlette_http_test.go serves the same routes
with package session (session.NewStarlette).
"""

import asyncio
import importlib.metadata
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import starlette  # noqa: E402
import uvicorn  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.datastructures import Secret  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from starlette.middleware.sessions import SessionMiddleware  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

import fakeclock  # noqa: E402
import liveapp  # noqa: E402
from pytv import from_tv, to_tv  # noqa: E402

fakeclock.install_time()  # itsdangerous calls time.time() at each use


# ---------------------------------------------------------------- routes


async def ping(request):
    return JSONResponse({"versions": {
        "python": sys.version.split()[0],
        "starlette": starlette.__version__,
        "itsdangerous": importlib.metadata.version("itsdangerous"),
        "uvicorn": uvicorn.__version__,
    }})


async def dump(request):
    return JSONResponse({"session": to_tv(request.session)})


async def set_(request):
    request.session.update(from_tv(await request.json()))
    return JSONResponse({"ok": True})


async def clear(request):
    request.session.clear()
    return JSONResponse({"ok": True})


async def touch(request):
    return JSONResponse({"ok": True})


async def login(request):
    request.session["user"] = request.query_params["user"]
    return JSONResponse({"ok": True})


async def whoami(request):
    return JSONResponse({"user": to_tv(request.session.get("user"))})


async def pop(request):
    request.session.pop(request.query_params["key"], None)
    return JSONResponse({"ok": True})


ROUTES = [Route("/_ping", ping), Route("/dump", dump), Route("/set", set_, methods=["POST"]),
          Route("/clear", clear), Route("/touch", touch), Route("/login", login),
          Route("/whoami", whoami), Route("/pop", pop)]


def make_app(cfg):
    secret = cfg.get("secret", "starlette-secret")
    kind = cfg.get("secret_type", "str")
    if kind == "bytes":
        secret = secret.encode("utf-8")
    elif kind == "Secret":
        secret = Secret(secret)
    kw = {"secret_key": secret}
    for k in ("max_age", "path", "same_site", "https_only", "session_cookie", "domain"):
        if k in cfg:
            kw[k] = cfg[k]
    return Starlette(routes=ROUTES, middleware=[Middleware(SessionMiddleware, **kw)])


def make_dispatcher(apps):
    async def dispatch(scope, receive, send):
        if scope["type"] != "http":
            await apps["default"](scope, receive, send)
            return
        headers = dict(scope["headers"])
        name = headers.get(b"x-app", b"default").decode()
        now = headers.get(b"x-fake-now")
        with fakeclock.at(now.decode() if now else None):
            await apps[name](scope, receive, send)
    return dispatch


def main():
    configs = json.loads(os.environ.get("STARLETTEAPP_CONFIG", '{"default": {}}'))
    apps = {name: make_app(cfg) for name, cfg in configs.items()}
    sock = liveapp.listen(64)
    liveapp.exit_when_stdin_closes()
    config = uvicorn.Config(make_dispatcher(apps), log_level="warning", lifespan="off",
                            access_log=False)
    server = uvicorn.Server(config)
    liveapp.ready(sock.getsockname()[1])
    asyncio.run(server.serve(sockets=[sock]))


if __name__ == "__main__":
    main()
