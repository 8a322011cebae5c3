#!/usr/bin/python3
"""The Flask half of the migration example (see ../main.go).

A plain Flask app with a login form, a home page that shows the user and the
flashed messages, and a logout. The Go server in front of it serves /go/...
itself and proxies everything else here; both share Flask's session cookie.

    SECRET_KEY=change-me FLASK_PORT=5000 /usr/bin/python3 flaskapp/app.py

FLASK_PORT=0 (the default) picks a free port. The app listens on 127.0.0.1
only, prints "READY <port>" once it listens, and exits when its stdin
closes if FLASKAPP_EXIT_ON_EOF=1 (the tests set it).
"""

import os
import socket
import sys
import threading

from flask import Flask, flash, get_flashed_messages, redirect, render_template_string, request, session

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"

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
    user = session.get("user")
    if user:
        body = render_template_string(
            '<p id="user">Logged in as {{ user }}</p>'
            '<form method="post" action="/logout"><button type="submit">Log out</button></form>'
            '<p><a href="/go/profile">Profile (Go)</a></p>',
            user=user,
        )
    else:
        body = '<p id="user">Not logged in</p><p><a href="/login">Log in</a></p>'
    return page("Home", body)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        session["user"] = request.form["user"]
        flash(f"Welcome, {session['user']}!", "info")
        return redirect("/")
    return page(
        "Log in",
        '<form method="post" action="/login">'
        '<label>User <input name="user" id="user-input"></label>'
        '<button type="submit" id="login">Log in</button></form>',
    )


@app.post("/logout")
def logout():
    session.pop("user", None)
    flash("Logged out by Flask", "info")
    return redirect("/")


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
