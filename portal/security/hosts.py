"""The Host header: only this site's own names are served; absolute links come from configuration.

The threat. A request may carry any ``Host`` header. If a page built links, feed
ids or redirects from it, ``Host: evil.example`` would get a genuine-looking page
pointing at the attacker's site, with ``Cache-Control: public`` and the same ETag
as the real one. A shared cache keyed without the host (nginx's default
``proxy_cache_key`` behind a default server, a CDN) would then serve that forged
page to everyone. Two rules close this:

1. Every request whose host (port stripped, lower-cased, final dot dropped, IPv6
   in brackets) is not in ``ALLOWED_HOSTS`` (plus the base URL's own host) is
   refused with 400: the usual translated page or JSON error, with the usual
   security headers.
2. No absolute URL is ever built from the request: :func:`external_url` puts
   ``BASE_URL`` in front of a relative ``url_for``, feed ids use
   ``FEED_TAG_AUTHORITY``, and redirects to this site carry a relative
   ``Location``.

How. A small WSGI middleware runs before Flask sees the request. For a refused
host it swaps ``HTTP_HOST`` for the base URL's host and marks the environ; the
first ``before_request`` function then raises :class:`UnknownHost`. Flask thus
always gets a host it can bind its URL map to, so the error page renders like
any other: a malformed host (a 70-character or empty label, which makes
Werkzeug's ``Map.bind`` raise inside Flask and leaves no URL adapter for the
error page itself) never reaches Werkzeug. Refusing inside the middleware
instead would have to duplicate the translated pages and headers outside Flask;
Flask's ``TRUSTED_HOSTS`` check runs after the host has already broken routing.

The middleware wraps ``app.wsgi_app`` when :func:`init_app` runs, before
``ProxyFix`` is added (:func:`portal.security.trust_proxies`), so it sees the host
after any proxy rewriting; nginx passes the visitor's ``Host $host``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from portal import config

#: The environ key that marks a request whose Host was refused.
REFUSED = "portal.refused_host"
_PORT_DIGITS = 5


class UnknownHost(BadRequest):
    """400 for a request naming a host this site does not serve."""

    title = _l("Unknown site address")

    @property
    def explanation(self) -> Any:
        """What went wrong, and the portal's real address (from configuration)."""
        return _l(
            "This server does not serve the site address in your request. "
            "The portal is at %(address)s.",
            address=current_app.config["BASE_URL"],
        )


def _ipv6(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address.compressed if isinstance(address, ipaddress.IPv6Address) else None


def normalise_host(value: str) -> str | None:
    """The host name of a ``Host`` header value, or None when it is malformed.

    ``Example.KZ.:443`` → ``example.kz``; ``[::1]:5000`` → ``::1``. A port must be
    digits; a name must be ASCII letters, digits and hyphens in labels of 1–63.
    """
    if value.startswith("["):
        inside, bracket, rest = value[1:].partition("]")
        host = _ipv6(inside) if bracket else None
    else:
        host, _colon, rest = value.partition(":")
        rest = f":{rest}" if _colon else ""
        host = host.lower()
        host = host[:-1] if host.endswith(".") else host
        host = host if config.DOMAIN_NAME.fullmatch(host) else None
    if rest and not (rest[0] == ":" and rest[1:].isascii() and rest[1:].isdigit()):
        return None
    if len(rest) > _PORT_DIGITS + 1:
        return None
    return host


def allowed_hosts(names: Iterable[str], base_url: str) -> frozenset[str]:
    """The configured names (bare IPv6 addresses allowed) and the base URL's host, normalised.

    Raises :class:`portal.config.ConfigurationError` for a name that can never match.
    """
    allowed = {urlsplit(base_url).hostname or ""}
    for name in names:
        host = _ipv6(name.strip("[]")) or normalise_host(name.strip())
        if host is None:
            raise config.ConfigurationError(f"PORTAL_ALLOWED_HOSTS has an invalid name: {name!r}")
        allowed.add(host)
    return frozenset(allowed)


class HostCheck:
    """WSGI middleware: a refused Host is replaced by the canonical one and marked."""

    def __init__(self, app: Callable, allowed: frozenset[str], canonical: str) -> None:
        self.app = app
        self.allowed = allowed
        self.canonical = canonical

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        """Pass the request on, with a host Flask can always bind its URLs to."""
        raw = environ.get("HTTP_HOST")
        host = normalise_host(raw) if isinstance(raw, str) else None
        if host is None or host not in self.allowed:
            environ[REFUSED] = True
            environ["HTTP_HOST"] = self.canonical
        return self.app(environ, start_response)


def _refuse_marked() -> None:
    if request.environ.get(REFUSED):
        raise UnknownHost()


def _relative_location(response: Response) -> Response:
    """Redirects within this site (e.g. ``/static//x.css``) get a relative ``Location``."""
    location = response.headers.get("Location")
    if location:
        parts = urlsplit(location)
        if parts.netloc and parts.netloc.lower() == request.host.lower():
            path = "/" + parts.path.lstrip("/")  # never "//other.example" (scheme-relative)
            response.headers["Location"] = urlunsplit(("", "", path, parts.query, parts.fragment))
    return response


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint``: ``BASE_URL`` + the relative ``url_for``, never the Host."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


def init_app(app: Flask) -> None:
    """Check every request's Host first, and keep redirects to this site relative.

    Call before anything else wraps ``app.wsgi_app`` (ProxyFix), so that the check
    sees the host the proxy passed on.
    """
    base = config.base_url(app.config["BASE_URL"])
    app.config["BASE_URL"] = base
    allowed = allowed_hosts(app.config.get("ALLOWED_HOSTS") or (), base)
    app.wsgi_app = HostCheck(app.wsgi_app, allowed, urlsplit(base).netloc)  # type: ignore[method-assign]
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_marked)
    app.after_request(_relative_location)
