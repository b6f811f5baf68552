"""HTTP caching for public pages and files, and the data versions read models are cached by.

Public pages depend only on the URL (the language is in it) and on the data.
The data comes in two parts that change at different rhythms, each with a
*version* measured by one cheap query per request:

- ``coverage``: facilities, their aliases, coverage snapshots and dataset facts
  (the demo flag). It changes when figures are imported.
- ``complaints``: the published complaint statistics, which count complaints
  received before the end of the last complete period
  (:mod:`portal.stats.schedule`). It changes when a period closes, or when a
  counted complaint is edited, never when a complaint is filed.

A view declares what it shows: ``@cacheable(uses=("coverage",))`` for coverage
only, ``("coverage", "complaints")`` when it shows complaint statistics. The ETag
is a digest of those versions and the URL, so a conditional request is answered
with 304 before anything is rendered, and a reverse proxy or CDN may keep the
page for ``max_age`` seconds. Read models held in memory (coverage figures,
complaint statistics, open-data files) are keyed by the same versions.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Generic, NamedTuple, TypeVar

from flask import g, make_response, request
from sqlalchemy import func, select

from portal.db import session
from portal.models import CoverageSnapshot, DatasetFact, Facility, FacilityAlias
from portal.stats.schedule import Publication, fingerprint, publication

#: Raised whenever a release changes what pages look like, so caches do not keep old pages.
RENDER_VERSION = "3"

T = TypeVar("T")
#: What a view shows: version names, or a function of the view's arguments giving them.
Uses = tuple[str, ...] | Callable[..., tuple[str, ...]]


class Version(NamedTuple):
    """A digest of some data, and when that data last changed (None: never, or unknown)."""

    digest: str
    changed: datetime | None


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr((RENDER_VERSION, *parts)).encode()).hexdigest()[:32]


def coverage_version() -> Version:
    """The version of coverage data: facilities, aliases, snapshots, dataset facts.

    Computed once per request.
    """
    if "coverage_version" not in g:
        facts = session.execute(
            select(
                select(func.count(Facility.id)).scalar_subquery(),
                select(func.count(FacilityAlias.id)).scalar_subquery(),
                select(func.count(CoverageSnapshot.id)).scalar_subquery(),
                select(func.max(CoverageSnapshot.imported_at)).scalar_subquery(),
                select(func.max(DatasetFact.updated_at)).scalar_subquery(),
            )
        ).one()
        changed = [value for value in (facts[3], facts[4]) if value is not None]
        g.coverage_version = Version(_digest(*facts), max(changed) if changed else None)
    return g.coverage_version


def published_period() -> Publication:
    """What the complaint statistics of this request count (one clock reading per request)."""
    if "published_period" not in g:
        g.published_period = publication()
    return g.published_period


def complaints_version() -> Version:
    """The version of the published complaint statistics: their period and counted complaints.

    Computed once per request. Changes when a period closes or a counted
    complaint changes; a complaint received after the period's end changes nothing.
    """
    if "complaints_version" not in g:
        published = published_period()
        found = fingerprint(session, published)
        changed = max(filter(None, (published.cutoff, found.last_update)))
        g.complaints_version = Version(_digest(*found), changed)
    return g.complaints_version


#: Every version a view may use, by name.
VERSIONS: dict[str, Callable[[], Version]] = {
    "coverage": coverage_version,
    "complaints": complaints_version,
}


def version(uses: Iterable[str]) -> Version:
    """The combined version of the named data (see :data:`VERSIONS`)."""
    parts = [VERSIONS[name]() for name in uses]
    if len(parts) == 1:
        return parts[0]
    changed = [part.changed for part in parts if part.changed is not None]
    return Version(_digest(*(part.digest for part in parts)), max(changed, default=None))


def _forget_versions() -> None:
    for name in ("coverage_version", "complaints_version", "published_period"):
        g.pop(name, None)


def init_app(app) -> None:
    """Measure the data versions afresh for every request."""
    app.before_request(_forget_versions)


class VersionedCache(Generic[T]):
    """A value built from the current version of some data, kept until the version changes.

    Built at most once per version: one thread builds while the others wait.
    Only the latest version is kept.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entry: tuple[str, T] | None = None

    def get(self, current: str, build: Callable[[], T]) -> T:
        """The value for version ``current``, built by ``build()`` if it is not held."""
        entry = self._entry
        if entry is not None and entry[0] == current:
            return entry[1]
        with self._lock:
            entry = self._entry
            if entry is None or entry[0] != current:
                entry = (current, build())
                self._entry = entry
            return entry[1]

    def clear(self) -> None:
        """Forget the value (tests, or after a bulk import)."""
        with self._lock:
            self._entry = None


def cacheable(uses: Uses = ("coverage",), max_age: int = 300) -> Callable:
    """Decorate a public view: answer 304 when the client's copy is current, else tag the page.

    ``uses`` names the data the answer shows: ``("coverage",)`` or
    ``("coverage", "complaints")``, or a function of the view's arguments
    giving them (a file whose dataset decides).
    """
    if not callable(uses):
        unknown = set(uses) - set(VERSIONS)
        if unknown:
            raise ValueError(f"unknown data versions: {sorted(unknown)}")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            current = version(uses(**kwargs) if callable(uses) else uses)
            etag = hashlib.sha256(f"{current.digest}|{request.full_path}".encode()).hexdigest()
            etag = etag[:32]
            if request.if_none_match.contains(etag):
                response = make_response("", 304)
            else:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200:
                    return response
            response.set_etag(etag)
            if current.changed is not None:
                response.last_modified = current.changed
            response.cache_control.public = True
            response.cache_control.max_age = max_age
            return response

        return wrapper

    return decorator
