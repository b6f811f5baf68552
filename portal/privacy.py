"""Keep client addresses and browser details out of the logs, for every request.

People who report abuse in custody may be identified by their IP address or
their browser's user agent. The portal never stores either, and this module
makes sure the web servers' access logs do not write them either: a logging
filter on the ``werkzeug`` (development server) and ``gunicorn.access`` loggers
blanks them in every record, and also scrubs anything that looks like an IP
address from ``gunicorn.error`` messages (e.g. "Invalid request from ip=…").
``gunicorn.conf.py`` uses an access-log format without them in the first place.

One kind of line keeps its address: the development server's own start-up lines
(" * Running on http://127.0.0.1:5000"), which name the address it listens on, never
a client's, and tell a newcomer where to open the portal. Only a werkzeug record that
is not a request line (those begin with the client's address) may carry them, and
only lines of exactly that shape are left as they are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping

from flask import Flask

#: Loggers whose records may carry a client address.
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")

#: gunicorn access-log atoms that identify the client: address, user agent, forwarding headers.
_IDENTIFYING_ATOMS = {
    "h",
    "a",
    "{user-agent}i",
    "{x-forwarded-for}i",
    "{x-real-ip}i",
    "{forwarded}i",
    "{cf-connecting-ip}i",
    "{remote_addr}e",
    "{remote_port}e",
    "{http_user_agent}e",
    "{http_x_forwarded_for}e",
    "{http_x_real_ip}e",
    "{http_forwarded}e",
}
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
_IPV6 = re.compile(
    r"(?<![\w:])(?:"
    r"(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"  # full form
    r"|(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:?){0,6}"  # with ::
    r")(?:%[\w.]+)?(?![\w:])"
)
#: werkzeug puts the address first: '127.0.0.1 - - [date] "GET / HTTP/1.1" 200 -'
_WERKZEUG_PREFIX = re.compile(r"^\S+ - - \[")
#: The development server's start-up message (werkzeug's log_startup): its warning first,
#: then the address it listens on.
_STARTUP_FIRST_LINE = "This is a development server"
_STARTUP_LINE = re.compile(r" \* Running on (?:https?://[\w.:\[\]-]+|all addresses \([\w.:]+\))")


def scrub_text(text: str) -> str:
    """``text`` with anything that looks like an IPv4 or IPv6 address replaced by ``-``."""
    return _IPV6.sub("-", _IPV4.sub("-", text))


def _scrub_werkzeug(message: str) -> str:
    """A werkzeug message scrubbed: request lines wholly, the start-up address lines not at all."""
    if _WERKZEUG_PREFIX.match(message):  # a request: the client's address comes first
        return scrub_text(_WERKZEUG_PREFIX.sub("- - - [", message, count=1))
    lines = message.split("\n")
    if _STARTUP_FIRST_LINE not in lines[0]:
        return scrub_text(message)
    return "\n".join(line if _STARTUP_LINE.fullmatch(line) else scrub_text(line) for line in lines)


class ClientPrivacyFilter(logging.Filter):
    """Rewrites access-log records so that no client address or user agent remains."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, MutableMapping):  # gunicorn passes its atoms as one mapping
            for key in list(args):
                if str(key).lower() in _IDENTIFYING_ATOMS:
                    args[key] = "-"
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record must not escape unscrubbed
            message = str(record.msg)
        record.msg = _scrub_werkzeug(message) if record.name == "werkzeug" else scrub_text(message)
        record.args = ()
        return True


_FILTER = ClientPrivacyFilter()


def init_app(app: Flask) -> None:
    """Install the filter on the access loggers (once per process)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, ClientPrivacyFilter) for existing in logger.filters):
            logger.addFilter(_FILTER)
    app.extensions["portal.privacy"] = _FILTER
