"""Routes of the JSON API v1: national, regions, facilities, complaint statistics, OpenAPI.

Coverage answers come from :func:`portal.stats.coverage.coverage_data` (held
in memory per coverage version); complaint answers only from the complaint
statistics module, through the same cached table as the open-data files, so
a count hidden there is hidden here too, and they are as of the same period end.
Each route's ``@cacheable`` names the data versions its answer depends on.
"""

from __future__ import annotations

import math
import re
from typing import Any

from flask import jsonify, request, url_for
from sqlalchemy import select

from portal.api import serialize as out
from portal.api.blueprint import FACILITIES_PER_PAGE, STATISTICS_PER_PAGE, ApiError, bp
from portal.api.openapi import document
from portal.caching import cacheable
from portal.db import session
from portal.models import FacilityAlias, FacilityType, Source
from portal.opendata.files import table
from portal.security.hosts import external_url
from portal.stats.complaints import CATEGORIES, LEVELS
from portal.stats.coverage import coverage_data
from portal.stats.facility import facility_details

#: Longest number a parameter may have (10**9 is the largest page anyone needs).
MAX_DIGITS = 9
_PERIOD = re.compile(r"^(?:all|\d{4}|\d{4}-Q[1-4])$")


def _args(*allowed: str) -> dict[str, str]:
    """The query parameters, each given at most once; empty values count as not given."""
    for name in request.args:
        if name not in allowed:
            choices = ", ".join(allowed) or "none"
            raise ApiError(400, f"Unknown parameter '{name}'. Allowed: {choices}.", name)
        if len(request.args.getlist(name)) > 1:
            raise ApiError(400, f"Parameter '{name}' is given more than once.", name)
    return {name: value for name, value in request.args.items() if value != ""}


def _int(args: dict[str, str], name: str, default: int, highest: int | None = None) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    limit = f" from 1 to {highest}" if highest else " of 1 or more"
    # At most 9 digits before int(): thousands of digits would hit Python's conversion limit.
    if (
        not raw.isascii()
        or not raw.isdigit()
        or len(raw) > MAX_DIGITS
        or not 1 <= int(raw) <= (highest or 10**9)
    ):
        raise ApiError(400, f"Parameter '{name}' must be a whole number{limit}.", name)
    return int(raw)


def _choice(args: dict[str, str], name: str, choices) -> str | None:
    value = args.get(name)
    if value is not None and value not in choices:
        raise ApiError(400, f"Parameter '{name}' must be one of: {', '.join(choices)}.", name)
    return value


def _page(args: dict[str, str], total: int, sizes: tuple[int, int]) -> dict[str, Any]:
    """Page number, size, count and the addresses of the neighbouring pages."""
    page = _int(args, "page", 1)
    per_page = _int(args, "per_page", sizes[0], sizes[1])
    pages = max(1, math.ceil(total / per_page))

    def link(number: int) -> str | None:
        if not 1 <= number <= pages:
            return None
        query = dict(sorted({**args, "page": str(number), "per_page": str(per_page)}.items()))
        return external_url(request.endpoint, **(request.view_args or {}), **query)

    return {
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "next": link(page + 1),
        "previous": link(page - 1) if page <= pages else link(pages),
    }


@bp.get("/national")
@cacheable(uses=("coverage",))
def national():
    """The national picture: totals now, per facility type, per zone type, and the trend."""
    _args()
    data = coverage_data()
    return jsonify({"meta": out.meta(), **out.overview(data, data.select())})


@bp.get("/regions")
@cacheable(uses=("coverage",))
def regions():
    """Every region with its names and current totals."""
    _args()
    data = coverage_data()
    items = [out.region_summary(data, r) for r in sorted(data.regions.values(), key=lambda r: r.id)]
    return jsonify({"meta": out.meta(), "regions": items})


@bp.get("/regions/<slug>")
@cacheable(uses=("coverage",))
def region(slug: str):
    """One region: totals, per type, per zone type, trend, and its facilities."""
    _args()
    data = coverage_data()
    info = data.regions_by_slug.get(slug)
    if info is None:
        raise ApiError(404, f"There is no region '{slug}'. See /api/v1/regions.")
    facilities = sorted(data.select(region_id=info.id), key=lambda f: f.slug)
    return jsonify(
        {
            "meta": out.meta(),
            **out.region_summary(data, info),
            **out.overview(data, facilities),
            "pages": out.pages("public.region", slug=info.slug),
            "facility_list": [out.facility_summary(data, f) for f in facilities],
        }
    )


@bp.get("/facilities")
@cacheable(uses=("coverage",))
def facilities():
    """Facilities, optionally of one region and one type, by slug, a page at a time."""
    args = _args("region", "type", "page", "per_page")
    data = coverage_data()
    region_slug = args.get("region")
    if region_slug is not None and region_slug not in data.regions_by_slug:
        raise ApiError(400, f"There is no region '{region_slug}'. See /api/v1/regions.", "region")
    kind = _choice(args, "type", [kind.value for kind in FacilityType])
    found = data.select(
        region_id=data.regions_by_slug[region_slug].id if region_slug else None,
        kind=FacilityType(kind) if kind else None,
    )
    found.sort(key=lambda f: f.slug)
    paging = _page(args, len(found), FACILITIES_PER_PAGE)
    start = (paging["page"] - 1) * paging["per_page"]
    shown = found[start : start + paging["per_page"]]
    return jsonify(
        {
            "meta": out.meta(),
            **paging,
            "facilities": [out.facility_summary(data, f) for f in shown],
        }
    )


@bp.get("/facilities/<slug>")
@cacheable(uses=("coverage",))
def facility(slug: str):
    """One facility: names, aliases, latest figures per zone type, history per source, ledger."""
    _args()
    data = coverage_data()
    info = data.facilities_by_slug.get(slug)
    if info is None:
        raise ApiError(404, f"There is no facility '{slug}'. See /api/v1/facilities.")
    aliases = session.execute(
        select(FacilityAlias.name, FacilityAlias.lang, FacilityAlias.is_former)
        .where(FacilityAlias.facility_id == info.id)
        .order_by(FacilityAlias.id)
    ).all()
    details = facility_details(info.id)
    latest = data.latest(info.id)
    ledger = data.ledger(info.id)
    history = data.history.get(info.id, [])
    region_info = data.regions[info.region_id]
    body = {
        "meta": out.meta(),
        **out.facility_summary(data, info),
        "region_names": out.region_names(region_info),
        "aliases": [
            {"name": name, "lang": lang, "is_former": bool(is_former)}
            for name, lang, is_former in aliases
        ],
        "stalled": data.is_stalled(info.id),
        "slipping": data.is_slipping(info.id),
        "latest_zones": [out.zone(row) for row in details.latest] if latest else [],
        "history": {
            source.value: [out.snapshot(s) for s in history if s.source is source]
            for source in Source
        },
        "ledger": None
        if ledger is None
        else {
            "official": out.snapshot(ledger.official),
            "independent": out.snapshot(ledger.independent),
            "gap": None if ledger.gap is None else round(ledger.gap, 4),
        },
        "pages": out.pages("public.facility", slug=info.slug),
    }
    return jsonify(body)


@bp.get("/complaint-statistics")
@cacheable(uses=("coverage", "complaints"))
def complaint_statistics():
    """Complaints received by place, period and category; hidden counts are null."""
    args = _args("level", "region", "facility", "period", "category", "page", "per_page")
    data = coverage_data()
    level = _choice(args, "level", LEVELS)
    category = _choice(args, "category", CATEGORIES)
    period = args.get("period")
    if period is not None and not _PERIOD.match(period):
        raise ApiError(
            400, "Parameter 'period' must be all, a year (2025) or a quarter (2025-Q3).", "period"
        )
    region_slug, facility_slug = args.get("region"), args.get("facility")
    if region_slug is not None and region_slug not in data.regions_by_slug:
        raise ApiError(400, f"There is no region '{region_slug}'. See /api/v1/regions.", "region")
    if facility_slug is not None and facility_slug not in data.facilities_by_slug:
        raise ApiError(
            400, f"There is no facility '{facility_slug}'. See /api/v1/facilities.", "facility"
        )
    wanted = {
        "level": level,
        "region_slug": region_slug,
        "facility_slug": facility_slug,
        "period": period,
        "category": category,
    }
    built = table("complaint-statistics")
    columns = built.columns
    checks = [(columns.index(key), value) for key, value in wanted.items() if value is not None]
    found = [row for row in built.rows if all(row[i] == value for i, value in checks)]
    paging = _page(args, len(found), STATISTICS_PER_PAGE)
    start = (paging["page"] - 1) * paging["per_page"]
    as_of = built.extra["complaints_as_of"]
    return jsonify(
        {
            "meta": out.meta(),
            "label": "complaints received",
            "as_of": as_of.isoformat() if as_of else None,
            "complaint_statistics_version": built.extra["complaint_statistics_version"],
            **paging,
            "rows": [
                # as_of is said once, at the top
                {name: value for name, value in zip(columns, row, strict=True) if name != "as_of"}
                for row in found[start : start + paging["per_page"]]
            ],
        }
    )


@bp.get("/openapi.json")
@cacheable(uses=("coverage",))
def openapi():
    """The OpenAPI 3.1 description of this API."""
    # Relative (allowed by OpenAPI 3.1): the document never names a host.
    return jsonify(document(url_for("api.national").rsplit("/", 1)[0]))
