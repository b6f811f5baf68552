"""HTTP caching for public pages and files: ETag, Last-Modified, Cache-Control and 304s.

Public pages depend only on the URL (the language is in it) and on the data.
One cheap query gives a *data version*; the ETag is a digest of it and the URL,
so a conditional request is answered with 304 before anything is rendered, and
a reverse proxy or CDN may keep the page for ``max_age`` seconds.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import datetime

from flask import g, make_response, request
from sqlalchemy import func, select

from portal.db import session
from portal.models import Complaint, CoverageSnapshot, DatasetFact, Facility, FacilityAlias

#: Raised whenever a release changes what pages look like, so caches do not keep old pages.
RENDER_VERSION = "2"


def data_version() -> tuple[str, datetime | None]:
    """A digest of everything public pages are made from, and when it last changed.

    Computed once per request.
    """
    if "data_version" not in g:
        facts = session.execute(
            select(
                select(func.count(Facility.id)).scalar_subquery(),
                select(func.count(FacilityAlias.id)).scalar_subquery(),
                select(func.count(CoverageSnapshot.id)).scalar_subquery(),
                select(func.max(CoverageSnapshot.imported_at)).scalar_subquery(),
                select(func.count(Complaint.id)).scalar_subquery(),
                select(func.max(Complaint.id)).scalar_subquery(),
                select(func.max(Complaint.updated_at)).scalar_subquery(),  # indexed
                select(func.max(DatasetFact.updated_at)).scalar_subquery(),
            )
        ).one()
        digest = hashlib.sha256(repr((RENDER_VERSION, *facts)).encode()).hexdigest()[:32]
        changed = [value for value in (facts[3], facts[6], facts[7]) if value is not None]
        g.data_version = (digest, max(changed) if changed else None)
    return g.data_version


def _forget_data_version() -> None:
    g.pop("data_version", None)


def init_app(app) -> None:
    """Measure the data version afresh for every request."""
    app.before_request(_forget_data_version)


def cacheable(max_age: int = 300) -> Callable:
    """Decorate a public view: answer 304 when the client's copy is current, else tag the page."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            version, changed = data_version()
            etag = hashlib.sha256(f"{version}|{request.full_path}".encode()).hexdigest()[:32]
            if request.if_none_match.contains(etag):
                response = make_response("", 304)
            else:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200:
                    return response
            response.set_etag(etag)
            if changed is not None:
                response.last_modified = changed
            response.cache_control.public = True
            response.cache_control.max_age = max_age
            return response

        return wrapper

    return decorator
