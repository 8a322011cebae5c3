#!/usr/bin/python3
"""The Flask half of the migration example (see ../main.go).

A Flask app with Flask-Login (log in with "remember me") and Flask-WTF's
CSRFProtect: a login form, a home page that shows current_user and the
flashed messages, a logout, and a page whose form posts to a Go route
(/go/note). The Go server in front of it serves /go/... itself and proxies
everything else here; both share Flask's session cookie, Flask-Login's
remember cookie and Flask-WTF's CSRF token.

    SECRET_KEY=change-me FLASK_PORT=5000 /usr/bin/python3 flaskapp/app.py

FLASK_PORT=0 (the default) picks a free port. The app listens on 127.0.0.1
only, prints "READY <port>" once it listens, and exits when its stdin
closes if FLASKAPP_EXIT_ON_EOF=1 (the tests set it).
"""

import os
import socket
import sys
import threading

from flask import Flask, flash, get_flashed_messages, redirect, render_template_string, request
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"

login_manager = LoginManager(app)
login_manager.login_view = "login"
csrf = CSRFProtect(app)


class User(UserMixin):
    def __init__(self, name):
        self.id = name


@login_manager.user_loader
def load_user(name):
    return User(name)


LAYOUT = """<!doctype html>
<html><head><meta charset="utf-8"><title>{{ title }} (Flask)</title></head>
<body>
<h1>{{ title }}</h1>
<ul id="flashes">{% for category, message in get_flashed_messages(with_categories=true) %}<li class="{{ category }}">{{ message }}</li>{% endfor %}</ul>
{{ body|safe }}
<footer>Served by Flask</footer>
</body></html>
"""


def page(title, body):
    return render_template_string(LAYOUT, title=title, body=body, get_flashed_messages=get_flashed_messages)


@app.get("/")
def index():
    if current_user.is_authenticated:
        body = render_template_string(
            '<p id="user">Logged in as {{ current_user.id }}</p>'
            '<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{ csrf_token() }}">'
            '<button type="submit" id="flask-logout">Log out</button></form>'
            '<p><a href="/go/profile">Profile (Go)</a> <a href="/note">Note form (Flask, posted to Go)</a></p>'
        )
    else:
        body = '<p id="user">Not logged in</p><p><a href="/login">Log in</a></p>'
    return page("Home", body)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        login_user(User(request.form["user"]), remember=request.form.get("remember") == "on")
        flash(f"Welcome, {current_user.id}!", "info")
        next_url = request.args.get("next", "")
        # Only a local path: never send the user to another site.
        return redirect(next_url if next_url.startswith("/") and not next_url.startswith("//") else "/")
    return page(
        "Log in",
        render_template_string(
            '<form method="post">'
            '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">'
            '<label>User <input name="user" id="user-input"></label>'
            '<label><input type="checkbox" name="remember" id="remember"> Remember me</label>'
            '<button type="submit" id="login">Log in</button></form>'
        ),
    )


@app.post("/logout")
def logout():
    logout_user()
    flash("Logged out by Flask", "info")
    return redirect("/")


@app.get("/note")
def note():
    """A form rendered by Flask (with Flask-WTF's token) that Go receives."""
    return page(
        "Note",
        render_template_string(
            '<form method="post" action="/go/note">'
            '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">'
            '<input name="note" id="note-input"><button type="submit" id="flask-note">Save in Go</button></form>'
        ),
    )


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(os.environ.get("FLASK_PORT", "0"))))
    sock.listen(128)
    if os.environ.get("FLASKAPP_EXIT_ON_EOF") == "1":

        def watch():
            sys.stdin.read()
            os._exit(0)

        threading.Thread(target=watch, daemon=True).start()
    from werkzeug.serving import make_server

    srv = make_server("127.0.0.1", 0, app, threaded=True, fd=sock.fileno())
    print(f"READY {sock.getsockname()[1]}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
