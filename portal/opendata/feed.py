"""The Atom feed of coverage updates: the 50 newest figures, in Kazakh, Russian or English.

``/feed.atom?lang=kk|ru|en`` (Kazakh by default). Each entry is one coverage
snapshot, newest first (by its date, then by its number): the facility's
name, its share of zones covered and the source, linking to the facility
page in the feed's language. The XML is built with ElementTree, never by
pasting strings, so hostile names are escaped; characters XML cannot carry
at all are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from flask import Response, abort, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.caching import cacheable, coverage_version
from portal.db import session
from portal.i18n import DEFAULT_LANGUAGE, LANGUAGES, long_date, number, percent
from portal.labels import label
from portal.models import CoverageSnapshot
from portal.opendata.views import bp, open_to_all
from portal.security.hosts import external_url
from portal.stats.coverage import coverage_data
from portal.stats.dataset import is_demo_dataset

ATOM = "http://www.w3.org/2005/Atom"
#: How many updates the feed carries.
ENTRIES = 50
#: The year in the ``tag:`` URIs of entries; fixed forever so that ids never change.
TAG_YEAR = 2026
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot carry (escaping is left to ElementTree)."""
    return _NOT_XML.sub("", text or "")


def rfc3339(moment: datetime) -> str:
    """A timezone-aware moment as RFC 3339 in UTC, e.g. ``2026-03-08T10:15:00Z``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _tag_authority() -> str:
    """The domain in ``tag:`` ids: FEED_TAG_AUTHORITY, never the request's Host."""
    return current_app.config["FEED_TAG_AUTHORITY"]


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = clean(text)
    return element


def _imported_at(ids: list[int]) -> dict[int, datetime]:
    """When each snapshot was imported (its ``updated`` time in the feed)."""
    if not ids:
        return {}
    query = select(CoverageSnapshot.id, CoverageSnapshot.imported_at).where(
        CoverageSnapshot.id.in_(ids)
    )
    return dict(session.execute(query).all())


def build_feed(lang: str) -> bytes:
    """The Atom document of the latest coverage updates in ``lang``, as UTF-8 bytes."""
    data = coverage_data()
    updates = data.latest_updates(ENTRIES)
    imported = _imported_at([snapshot.id for snapshot in updates])
    authority = _tag_authority()
    with force_locale(lang):
        feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
        _add(feed, "title", _("Latest updates") + " · " + _("Ashyq Baqylau"))
        if is_demo_dataset():
            _add(
                feed,
                "subtitle",
                _("Demo data.")
                + " "
                + _(
                    "Every facility, figure and complaint on this site is made up to show how "
                    "the portal works. None of it is real."
                ),
            )
        _add(feed, "id", f"tag:{authority},{TAG_YEAR}:coverage-feed/{lang}")
        latest = max(imported.values(), default=None)
        changed = latest or coverage_version().changed or datetime.now(UTC)
        _add(feed, "updated", rfc3339(changed))
        self_url = external_url("opendata.feed", lang=lang)
        _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
        home = external_url("public.national", lang_code=lang)
        _add(feed, "link", rel="alternate", type="text/html", hreflang=lang, href=home)
        author = _add(feed, "author")
        _add(author, "name", _("Ashyq Baqylau"))
        _add(feed, "rights", "CC BY 4.0")
        for snapshot in updates:
            facility = data.facilities[snapshot.facility_id]
            region = data.regions[facility.region_id]
            figures = snapshot.figures
            entry = _add(feed, "entry")
            covered = _("%(share)s of zones covered", share=percent(figures.share))
            title = f"{facility.name(lang)}: {covered} ({label(snapshot.source)})"
            _add(entry, "title", title)
            _add(entry, "id", f"tag:{authority},{TAG_YEAR}:coverage-snapshot/{snapshot.id}/{lang}")
            moment = imported.get(snapshot.id) or changed
            _add(entry, "updated", rfc3339(moment))
            href = external_url("public.facility", slug=facility.slug, lang_code=lang)
            _add(entry, "link", rel="alternate", type="text/html", hreflang=lang, href=href)
            parts = [
                _("As of %(date)s", date=long_date(snapshot.as_of)),
                region.name(lang),
                f"{_('Zones covered')}: {number(figures.zones_covered)} / "
                f"{number(figures.zones_total)}",
                f"{_('Blind spots remaining')}: {number(figures.blind_spots)}",
                f"{_('Cameras working / installed')}: {number(figures.cameras_working)} / "
                f"{number(figures.cameras_installed)}",
            ]
            if snapshot.source_note:
                parts.append(f"{_('Source')}: {snapshot.source_note}")
            summary = " · ".join(parts)
            _add(entry, "summary", summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@bp.get("/feed.atom")
@cacheable(uses=("coverage",))
def feed() -> Response:
    """The Atom feed of the latest coverage updates; ``?lang=`` picks kk (default), ru or en."""
    lang = request.args.get("lang", DEFAULT_LANGUAGE)
    if lang not in LANGUAGES:
        abort(400)
    return open_to_all(Response(build_feed(lang), content_type=CONTENT_TYPE))
