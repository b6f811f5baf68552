"""Everything that stands between a request and the views, installed in one place and order.

Modules:

* :mod:`~portal.security.hosts`: the Host check (unknown or malformed host → 400)
  and :func:`~portal.security.hosts.external_url` (absolute links from configuration);
* :mod:`~portal.security.bodies`: request bodies bounded before anything reads them;
* :mod:`~portal.security.headers`: CSRF for every form, the CSP and the other headers;
* :mod:`~portal.security.limits`: rate limits keyed by a keyed hash of the address;
* :mod:`~portal.security.keys`: key derivation (contact, receipt, rate-limit keys).

The order of :func:`init_app` matters: the Host check wraps ``app.wsgi_app``
first, so that ``ProxyFix`` (added next, outside it) has already applied the
proxy's headers when the host is checked; the request class is set before any
request is read; CSRF and the headers come before the limiter, which needs the
client address ``ProxyFix`` settled.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.security import bodies, headers, hosts, limits


def trust_proxies(app: Flask) -> None:
    """Trust ``PROXY_COUNT`` reverse proxies for the client address and scheme (none by default)."""
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    """Install the Host check, trusted proxies, bounded bodies, CSRF, headers and rate limits."""
    hosts.init_app(app)  # before anything else wraps app.wsgi_app
    trust_proxies(app)
    bodies.init_app(app)
    headers.init_app(app)
    limits.init_app(app)
