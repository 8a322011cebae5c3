#!/usr/bin/python3
"""Flask and Quart apps that the Go live HTTP tests talk to.

Used by compat/live_http*_test.go, which start it as a child process:

    /usr/bin/python3 compat/flaskapp/app.py flask    # Werkzeug's threaded server
    /usr/bin/python3 compat/flaskapp/app.py quart    # Hypercorn

It listens on 127.0.0.1 on a port the OS picks, prints "READY <port>" on
stdout once the socket listens, and exits when its stdin closes (so it never
outlives the test).

Configuration (environment):

    FLASKAPP_CONFIG  JSON object: app name -> config dict. Every app has the
                     same routes and its own config; the request header
                     X-Flaskapp names the app (default "default"). Config
                     values are Flask's keys (SECRET_KEY,
                     SESSION_COOKIE_NAME, _DOMAIN, _PATH, _HTTPONLY, _SECURE,
                     _SAMESITE, SESSION_REFRESH_EACH_REQUEST, ...);
                     PERMANENT_SESSION_LIFETIME is in seconds, and
                     SECRET_KEY_FALLBACKS (a list) is emulated on Flask 2.2
                     and Quart the way Flask 3.1.1 does it: the serializer
                     gets the keys [*fallbacks, SECRET_KEY].

Fake clock: a request with the header X-Fake-Now: <unix seconds> runs at that
time, for itsdangerous (signing and the age check) and for save_session's
Expires (the datetime module seen by flask.sessions / quart.sessions).

Routes (all answer JSON; typed values use compat/pytv.py's tv format):

    GET  /_ping                  framework and package versions
    GET  /login?user=U           session["user"] = U
    GET  /whoami                 {"user": tv(session.get("user"))}
    GET  /logout                 session.pop("user", None)
    GET  /clear                  session.clear()
    POST /set                    body: a dict tv; session[k] = v for each item
    GET  /dump                   {"session": tv(dict(session)), "permanent": bool}
    GET  /flash?message=M&category=C   flash(M, C)
    GET  /flashes[?category=C...]      {"flashes": tv(get_flashed_messages(
                                       with_categories=True, category_filter=...))}
    GET  /permanent?on=1|0       session.permanent = on
    GET  /touch                  does not use the session
    GET  /scenario/<name>        one session operation (see SCENARIOS), for
                                 comparing the Set-Cookie and Vary headers
"""

import asyncio
import datetime as _dt
import json
import os
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import itsdangerous  # noqa: E402
import itsdangerous.timed  # noqa: E402
from markupsafe import Markup  # noqa: E402

import fakeclock  # noqa: E402
import liveapp  # noqa: E402
import pytv  # noqa: E402

# ---------------------------------------------------------------- fake clock

fakeclock.install()
FakeDatetime = fakeclock.FakeDatetime


# ---------------------------------------------------------------- scenarios


async def _scenario(name, session, flash, get_flashed_messages, headers):
    """Run one named session operation; mirrored by the Go test server."""
    if name == "none":
        pass
    elif name == "get":
        session.get("x")
    elif name == "set":
        session["x"] = 1
    elif name == "setdefault":
        session.setdefault("x", 1)
    elif name == "pop":
        session.pop("x", None)
    elif name == "popmissing":
        session.pop("nope", None)
    elif name == "getitem":
        try:
            session["x"]
        except KeyError:
            pass
    elif name == "clearset":
        session.clear()
        session["x"] = 1
    elif name == "len":
        len(session)
    elif name == "iter":
        list(session)
    elif name == "permanentread":
        session.permanent
    elif name == "flashread":
        await flash("hi", "message")
        get_flashed_messages()
    elif name == "flashfilter":
        get_flashed_messages(category_filter=["error"])
    elif name == "writeread":
        # The Go app writes part of its body before this read.
        session.get("x")
    elif name == "clear":
        session.clear()
    elif name == "has":
        _ = "x" in session
    elif name == "vary":
        headers["Vary"] = "Accept-Encoding, Accept-Language"
        session.get("x")
    elif name == "permanent":
        session.permanent = True
        session["x"] = 1
    elif name == "notpermanent":
        session.permanent = False
    elif name == "modified":
        session.modified = True
    elif name == "flash":
        await flash("hi", "message")
    elif name == "flashes":
        get_flashed_messages()
    elif name == "types":
        session["t"] = {
            "tuple": (1, "a"),
            "bytes": b"\x00\xff",
            "markup": Markup("<b>"),
            "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "dt": _dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=_dt.timezone.utc),
            "esc": {" t": 1},
        }
    else:
        raise KeyError(name)


def _configure(app, cfg, interface_base):
    cfg = dict(cfg)
    fallbacks = cfg.pop("SECRET_KEY_FALLBACKS", None)
    if "PERMANENT_SESSION_LIFETIME" in cfg:
        cfg["PERMANENT_SESSION_LIFETIME"] = _dt.timedelta(seconds=cfg["PERMANENT_SESSION_LIFETIME"])
    app.config.update(cfg)
    if fallbacks:

        class RotatingInterface(interface_base):
            """Flask 3.1.1's SECRET_KEY_FALLBACKS: keys [*fallbacks, secret]."""

            def get_signing_serializer(self, app):
                if not app.secret_key:
                    return None
                return itsdangerous.URLSafeTimedSerializer(
                    [*fallbacks, app.secret_key],
                    salt=self.salt,
                    serializer=self.serializer,
                    signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method},
                )

        app.session_interface = RotatingInterface()


# ---------------------------------------------------------------- Flask


def make_flask_app(cfg):
    import flask
    import flask.sessions

    flask.sessions.datetime = FakeDatetime
    app = flask.Flask("flaskapp")
    _configure(app, cfg, flask.sessions.SecureCookieSessionInterface)
    session = flask.session

    async def flash(message, category):
        flask.flash(message, category)

    def run(coro):
        # The Flask side never suspends: drive the coroutine to its end.
        try:
            coro.send(None)
        except StopIteration as e:
            return e.value
        raise RuntimeError("coroutine suspended")

    @app.get("/_ping")
    def ping():
        return {"framework": "flask", "versions": _versions("flask")}

    @app.get("/login")
    def login():
        session["user"] = flask.request.args["user"]
        return {"ok": True}

    @app.get("/whoami")
    def whoami():
        return {"user": pytv.to_tv(session.get("user"))}

    @app.get("/logout")
    def logout():
        session.pop("user", None)
        return {"ok": True}

    @app.get("/clear")
    def clear():
        session.clear()
        return {"ok": True}

    @app.post("/set")
    def set_values():
        for k, v in pytv.from_tv(flask.request.get_json(force=True)).items():
            session[k] = v
        return {"ok": True}

    @app.get("/dump")
    def dump():
        return {"session": pytv.to_tv(dict(session)), "permanent": bool(session.permanent)}

    @app.get("/flash")
    def do_flash():
        flask.flash(flask.request.args["message"], flask.request.args.get("category", "message"))
        return {"ok": True}

    @app.get("/flashes")
    def flashes():
        got = flask.get_flashed_messages(with_categories=True, category_filter=flask.request.args.getlist("category"))
        return {"flashes": pytv.to_tv(list(got))}

    @app.get("/permanent")
    def permanent():
        session.permanent = flask.request.args["on"] == "1"
        return {"ok": True}

    @app.get("/touch")
    def touch():
        return {"ok": True}

    @app.get("/scenario/<name>")
    def scenario(name):
        headers = {}
        run(_scenario(name, session, flash, flask.get_flashed_messages, headers))
        return {"ok": True}, 200, headers

    return app


def serve_flask(apps, sock):
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def wsgi(environ, start_response):
        app = apps[environ.get("HTTP_X_FLASKAPP", "default")]
        with fakeclock.at(environ.get("HTTP_X_FAKE_NOW")):
            return app(environ, start_response)

    srv = make_server("127.0.0.1", 0, wsgi, threaded=True, fd=sock.fileno())
    ready(sock)
    srv.serve_forever()


# ---------------------------------------------------------------- Quart


def make_quart_app(cfg):
    import quart
    import quart.sessions

    quart.sessions.datetime = FakeDatetime
    app = quart.Quart("flaskapp")
    _configure(app, cfg, quart.sessions.SecureCookieSessionInterface)
    session = quart.session

    @app.get("/_ping")
    async def ping():
        return {"framework": "quart", "versions": _versions("quart")}

    @app.get("/login")
    async def login():
        session["user"] = quart.request.args["user"]
        return {"ok": True}

    @app.get("/whoami")
    async def whoami():
        return {"user": pytv.to_tv(session.get("user"))}

    @app.get("/logout")
    async def logout():
        session.pop("user", None)
        return {"ok": True}

    @app.get("/clear")
    async def clear():
        session.clear()
        return {"ok": True}

    @app.post("/set")
    async def set_values():
        for k, v in pytv.from_tv(await quart.request.get_json(force=True)).items():
            session[k] = v
        return {"ok": True}

    @app.get("/dump")
    async def dump():
        return {"session": pytv.to_tv(dict(session)), "permanent": bool(session.permanent)}

    @app.get("/flash")
    async def do_flash():
        await quart.flash(quart.request.args["message"], quart.request.args.get("category", "message"))
        return {"ok": True}

    @app.get("/flashes")
    async def flashes():
        got = quart.get_flashed_messages(with_categories=True, category_filter=quart.request.args.getlist("category"))
        return {"flashes": pytv.to_tv(list(got))}

    @app.get("/permanent")
    async def permanent():
        session.permanent = quart.request.args["on"] == "1"
        return {"ok": True}

    @app.get("/touch")
    async def touch():
        return {"ok": True}

    @app.get("/scenario/<name>")
    async def scenario(name):
        headers = {}
        await _scenario(name, session, quart.flash, quart.get_flashed_messages, headers)
        return {"ok": True}, 200, headers

    return app


def serve_quart(apps, sock):
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    async def asgi(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                if msg["type"] == "lifespan.startup":
                    for app in apps.values():
                        await app.startup()
                    await send({"type": "lifespan.startup.complete"})
                elif msg["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        headers = dict(scope.get("headers") or [])
        app = apps[headers.get(b"x-flaskapp", b"default").decode()]
        now = headers.get(b"x-fake-now")
        with fakeclock.at(now.decode() if now else None):
            await app(scope, receive, send)

    config = Config()
    config.bind = [f"fd://{sock.fileno()}"]
    config.accesslog = None
    config.graceful_timeout = 0.5
    ready(sock)
    asyncio.run(serve(asgi, config))


# ---------------------------------------------------------------- main


def _versions(framework):
    import importlib.metadata as md

    names = ["flask", "werkzeug", "itsdangerous"] if framework == "flask" else ["quart", "werkzeug", "itsdangerous", "hypercorn"]
    out = {"python": sys.version.split()[0]}
    for n in names:
        out[n] = md.version(n)
    return out


def ready(sock):
    liveapp.ready(sock.getsockname()[1])


def main():
    framework = sys.argv[1] if len(sys.argv) > 1 else "flask"
    configs = json.loads(os.environ.get("FLASKAPP_CONFIG") or '{"default": {"SECRET_KEY": "dev-secret"}}')
    make = {"flask": make_flask_app, "quart": make_quart_app}[framework]
    apps = {name: make(cfg) for name, cfg in configs.items()}
    liveapp.exit_when_stdin_closes()
    sock = liveapp.listen(128)
    {"flask": serve_flask, "quart": serve_quart}[framework](apps, sock)


if __name__ == "__main__":
    main()
