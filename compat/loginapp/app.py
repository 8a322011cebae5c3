#!/usr/bin/python3
"""A Flask app with Flask-Login and Flask-WTF's CSRFProtect, for the live
tests of packages flasklogin and csrf (compat/live_login_test.go,
compat/live_csrf_test.go). The Go test server has the same routes.

It listens on 127.0.0.1 on a port the OS picks, prints "READY <port>" once
the socket listens, and exits when its stdin closes.

Configuration (environment):

    LOGINAPP_CONFIG  JSON object: app name -> Flask config dict (SECRET_KEY,
                     SESSION_PROTECTION, REMEMBER_COOKIE_*, WTF_CSRF_*, ...;
                     REMEMBER_COOKIE_DURATION in seconds; "login_view" and
                     "refresh_view" set the LoginManager's; "proxy_fix": true
                     trusts X-Forwarded-Proto, so that a request can be
                     HTTPS for the strict referrer check). The request
                     header X-Loginapp names the app (default "default").

Fake clock: a request with X-Fake-Now: <unix seconds> runs at that time for
itsdangerous (CSRF tokens) and for the remember cookie's Expires.

Routes:
    GET  /versions          JSON: python, flask, werkzeug, itsdangerous,
                            flask_login, flask_wtf
    POST /login             form user, remember ("1"), duration (seconds);
                            login_user; CSRF-exempt
    POST /logout            logout_user; CSRF-exempt
    POST /confirm           confirm_login; CSRF-exempt
    GET  /whoami            JSON: user (current_user.get_id() or null),
                            fresh, session (a dict of str/bool/float values)
    GET  /secret            @login_required: "secret:<id>"
    GET  /fresh             @fresh_login_required: "fresh:<id>"
    GET  /form              a form with {{ csrf_token() }} (field csrf_token)
    GET  /token             the signed token alone (generate_csrf())
    POST /submit            CSRF-protected: "ok:<field value>"
    POST /exempt            CSRF-exempt: "exempt"
    POST /parent/child/hook a nested blueprint, exempted: "hook" (Flask-WTF
                            1.2.2; 1.1.1 still protects it)
    GET  /flashes           JSON list of [category, message]
"""

import datetime as _dt
import json
import os
import sys


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import fakeclock  # noqa: E402
import liveapp  # noqa: E402

fakeclock.install()
FakeDatetime = fakeclock.FakeDatetime


def version_of(dist):
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def make_app(cfg):
    import flask
    import flask_login
    import flask_login.login_manager
    from flask_wtf.csrf import CSRFProtect, generate_csrf

    flask_login.login_manager.datetime = FakeDatetime

    app = flask.Flask("loginapp")
    cfg = dict(cfg)
    proxy_fix = cfg.pop("proxy_fix", False)
    login_view = cfg.pop("login_view", None)
    refresh_view = cfg.pop("refresh_view", None)
    if "REMEMBER_COOKIE_DURATION" in cfg:
        cfg["REMEMBER_COOKIE_DURATION"] = _dt.timedelta(seconds=cfg["REMEMBER_COOKIE_DURATION"])
    app.config.update(cfg)

    if proxy_fix:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)

    lm = flask_login.LoginManager(app)
    lm.login_view = login_view
    lm.refresh_view = refresh_view

    class User(flask_login.UserMixin):
        def __init__(self, id):
            self.id = id

    @lm.user_loader
    def load(id):
        return None if id == "ghost" else User(id)

    csrf = CSRFProtect(app)

    @app.get("/versions")
    def versions():
        return {
            "python": sys.version.split()[0],
            "flask": version_of("flask"),
            "werkzeug": version_of("werkzeug"),
            "itsdangerous": version_of("itsdangerous"),
            "flask_login": version_of("flask-login"),
            "flask_wtf": version_of("flask-wtf"),
        }

    @app.post("/login")
    @csrf.exempt
    def login():
        f = flask.request.form
        kw = {}
        if f.get("duration"):
            kw["duration"] = _dt.timedelta(seconds=float(f["duration"]))
        flask_login.login_user(User(f["user"]), remember=f.get("remember") == "1", **kw)
        return "logged in"

    @app.post("/logout")
    @csrf.exempt
    def logout():
        flask_login.logout_user()
        return "logged out"

    @app.post("/confirm")
    @csrf.exempt
    def confirm():
        flask_login.confirm_login()
        return "confirmed"

    @app.get("/whoami")
    def whoami():
        u = flask_login.current_user
        return {
            "user": u.get_id() if u.is_authenticated else None,
            "fresh": bool(flask_login.login_fresh()),
            "session": {k: v for k, v in flask.session.items() if isinstance(v, (str, bool, float, int))},
        }

    @app.get("/secret")
    @app.get("/secret/<path:rest>")
    @flask_login.login_required
    def secret(rest=None):
        return "secret:" + flask_login.current_user.get_id()

    @app.get("/fresh")
    @flask_login.fresh_login_required
    def fresh():
        return "fresh:" + flask_login.current_user.get_id()

    @app.get("/form")
    def form():
        return flask.render_template_string(
            '<form method="post" action="/submit">'
            '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">'
            '<input name="text" value="hello"><button type="submit">Send</button></form>'
        )

    @app.get("/token")
    def token():
        return generate_csrf()

    @app.post("/submit")
    def submit():
        return "ok:" + flask.request.form.get("text", "")

    @app.post("/exempt")
    @csrf.exempt
    def exempt():
        return "exempt"

    # A nested blueprint exempted from CSRF: Flask-WTF 1.1.1 compares the
    # blueprint's name ("child") with request.blueprint ("parent.child")
    # and still protects it; 1.2.2 looks the blueprint up and exempts it.
    parent = flask.Blueprint("parent", "loginapp", url_prefix="/parent")
    child = flask.Blueprint("child", "loginapp", url_prefix="/child")

    @child.post("/hook")
    def hook():
        return "hook"

    parent.register_blueprint(child)
    app.register_blueprint(parent)
    csrf.exempt(child)

    @app.get("/flashes")
    def flashes():
        return json.dumps(flask.get_flashed_messages(with_categories=True), separators=(",", ":"))

    return app


def main():
    configs = json.loads(os.environ.get("LOGINAPP_CONFIG") or '{"default": {"SECRET_KEY": "dev-secret"}}')
    apps = {name: make_app(cfg) for name, cfg in configs.items()}

    liveapp.exit_when_stdin_closes()

    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("flask_wtf.csrf").setLevel(logging.WARNING)

    def wsgi(environ, start_response):
        app = apps[environ.get("HTTP_X_LOGINAPP", "default")]
        with fakeclock.at(environ.get("HTTP_X_FAKE_NOW")):
            return app(environ, start_response)

    sock = liveapp.listen(128)
    srv = make_server("127.0.0.1", 0, wsgi, threaded=True, fd=sock.fileno())
    liveapp.ready(sock.getsockname()[1])
    srv.serve_forever()


if __name__ == "__main__":
    main()
