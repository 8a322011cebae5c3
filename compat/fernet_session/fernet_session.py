"""Fernet-sealed Flask sessions: encrypted, not just signed.

Flask's default session cookie is signed: anyone can read what is in it.
This session interface seals the session in a Fernet token
(cryptography.fernet) instead, so the cookie can be neither read nor
changed without the key. Everything else is Flask's: the same tagged JSON
inside (tuples, bytes, Markup, UUID and datetime survive), the same
lifetime (PERMANENT_SESSION_LIFETIME, checked on every read), the same
cookie attributes and save rules.

The Go package github.com/flaskcookie/flaskcookie/codec reads and writes the
same cookies (codec.NewSealed), so Flask and Go services can share a
session.

Use::

    from fernet_session import FernetSessionInterface

    app.config["SESSION_FERNET_KEYS"] = [os.environ["SESSION_FERNET_KEY"]]
    app.session_interface = FernetSessionInterface()

Make a key with ``Fernet.generate_key()`` (or Go's ``fernet.NewKey``).

SESSION_FERNET_KEYS is a list of Fernet keys (str or bytes), newest first,
or a single key. The first key seals new cookies; every key opens them
(MultiFernet). To rotate, put the new key first and drop the old one once
its cookies have expired. Without keys the session is Flask's NullSession,
as without SECRET_KEY.

Reading rules, as Flask's for signed cookies: a cookie that is not a valid
token for any key, has expired (older than PERMANENT_SESSION_LIFETIME, in
whole seconds), or was made more than 60 seconds in the future (Fernet's
clock-skew rule; signed cookies allow no skew at all) gives a new empty
session. A token that opens but does not hold a session Flask can load
(possible only for someone with the key) raises BadPayload, which fails the
request as it does for signed cookies.

Tested with Flask 2.2.2 and cryptography 38.0.4 (Debian 12). It replaces
only get_signing_serializer, the hook through which Flask's open_session and
save_session reach the serializer.
"""

import typing as t

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadPayload, BadSignature

__all__ = ["CONFIG_KEY", "FernetSessionInterface", "FernetSessionSerializer"]

#: The config key that holds the Fernet keys, newest first.
CONFIG_KEY = "SESSION_FERNET_KEYS"


class FernetSessionSerializer:
    """Seals values in Fernet tokens with the dumps/loads interface that
    SecureCookieSessionInterface expects from its signing serializer.

    ``serializer`` turns the session into text and back (Flask's tagged
    JSON); ``fernet`` is a Fernet or MultiFernet.
    """

    def __init__(self, fernet: t.Union[Fernet, MultiFernet], serializer: t.Any) -> None:
        self.fernet = fernet
        self.serializer = serializer

    def dumps(self, obj: t.Any) -> str:
        """Seal obj in a token stamped with the current time."""
        data = self.serializer.dumps(obj).encode("utf-8")
        return self.fernet.encrypt(data).decode("ascii")

    def loads(self, s: t.Union[str, bytes], max_age: t.Optional[int] = None) -> t.Any:
        """Open a token; max_age is Fernet's ttl, in seconds.

        Raises BadSignature for anything that is not a valid, unexpired
        token for one of the keys, and BadPayload for a valid token whose
        content is not a session.
        """
        try:
            data = self.fernet.decrypt(s, ttl=max_age)
        except InvalidToken as e:
            raise BadSignature("Invalid Fernet token") from e
        except (TypeError, ValueError) as e:
            # urlsafe_b64decode raises ValueError for a str with
            # non-ASCII characters: that is a bad cookie too.
            raise BadSignature("Invalid Fernet token") from e
        try:
            return self.serializer.loads(data.decode("utf-8"))
        except Exception as e:
            raise BadPayload(
                "Could not load the payload because an exception"
                " occurred on unserializing the data.",
                original_error=e,
            ) from e


class FernetSessionInterface(SecureCookieSessionInterface):
    """SecureCookieSessionInterface with the session sealed by Fernet.

    Only the serializer changes: Flask's open_session and save_session run
    as they are, so lifetime, cookie attributes, Vary and the save rules
    are exactly Flask's.
    """

    #: The config key that holds the Fernet keys.
    config_key = CONFIG_KEY

    def get_fernet(self, app: t.Any) -> t.Optional[MultiFernet]:
        """The MultiFernet for the app's keys, or None without keys."""
        keys = app.config.get(self.config_key)
        if not keys:
            return None
        if isinstance(keys, (str, bytes)):
            keys = [keys]
        return MultiFernet([Fernet(k) for k in keys])

    def get_signing_serializer(self, app: t.Any) -> t.Optional[FernetSessionSerializer]:  # type: ignore[override]
        """Flask calls this for the object that dumps and loads cookies;
        here it seals instead of signing."""
        fernet = self.get_fernet(app)
        if fernet is None:
            return None
        return FernetSessionSerializer(fernet, self.serializer)
