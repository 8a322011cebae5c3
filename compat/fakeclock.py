"""A per-request fake clock for the live test apps (compat/*app/app.py).

A request with the header X-Fake-Now: <unix seconds> runs at that time:
the app's request wrapper enters ``at(header value)``. install() makes
itsdangerous (signing, age checks) follow the clock, install_time() the
time.time of every module (Django's signing and session middleware call
it); FakeDatetime is the datetime class to put in the modules that compute
a cookie's Expires (flask.sessions, quart.sessions,
flask_login.login_manager).
"""

import contextlib
import contextvars
import datetime as _dt
import time as _time
import types

FAKE_NOW = contextvars.ContextVar("FAKE_NOW", default=None)
_real_time = _time.time  # before install_time replaces it


def now():
    """The fake time of the current request, else the real time."""
    v = FAKE_NOW.get()
    return _real_time() if v is None else v


def install():
    """Make itsdangerous read the fake clock: it reads time.time() through
    its module global "time"."""
    import itsdangerous.timed

    itsdangerous.timed.time = types.SimpleNamespace(time=now)


def install_time():
    """Make time.time itself follow the fake clock, for every module that
    calls it at each use."""
    _time.time = now


class FakeDatetime(_dt.datetime):
    """datetime whose now() and utcnow() follow the fake clock."""

    @classmethod
    def now(cls, tz=None):
        return _dt.datetime.fromtimestamp(now(), tz)

    @classmethod
    def utcnow(cls):
        return _dt.datetime.fromtimestamp(now(), _dt.timezone.utc).replace(tzinfo=None)


@contextlib.contextmanager
def at(value):
    """Run the body at the time of an X-Fake-Now header's value (Unix
    seconds as text), or at the real time when value is None."""
    token = FAKE_NOW.set(None if value is None else float(value))
    try:
        yield
    finally:
        FAKE_NOW.reset(token)
