"""Routes of the public site: the national page, regions, facilities, and pages for readers."""

from __future__ import annotations

import math

from flask import Blueprint, abort, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from portal.caching import cacheable, published_period
from portal.db import session
from portal.i18n import current_language
from portal.models import Category, FacilityType, Source
from portal.public import chart_data
from portal.public.forms import PER_PAGE, FacilityFilterForm
from portal.stats.complaints import published_statistics
from portal.stats.coverage import band, coverage_data
from portal.stats.facility import facility_details
from portal.text import matches

bp = Blueprint("public", __name__, url_prefix="/<lang:lang_code>")


def _overview(facilities: list) -> dict:
    """Figures shared by the national and the region pages."""
    data = coverage_data()
    trend = data.trend(facilities)
    by_type = {
        kind: data.total(info for info in facilities if info.type is kind)
        for kind in dict.fromkeys(info.type for info in sorted(facilities, key=_type_order))
    }
    by_zone = data.by_zone_type(facilities)
    return {
        "total": data.total(facilities),
        "trend": trend,
        "by_type": by_type,
        "by_zone": by_zone,
        "without_figures": sum(1 for info in facilities if data.latest(info.id) is None),
        "stalled": sum(1 for info in facilities if data.is_stalled(info.id)),
        "slipping": sum(1 for info in facilities if data.is_slipping(info.id)),
        "trend_chart": chart_data.trend_chart(trend) if trend else None,
        "type_chart": chart_data.share_bars(by_type),
        "zone_chart": chart_data.share_bars(by_zone),
    }


def _complaints(counts) -> dict:
    """What the complaint tables need; ``counts(stats, period, category)`` picks the place."""
    stats = published_statistics(session)
    return {
        "as_of": stats.period_end,
        "period": published_period().period,
        "counts": lambda period, category: counts(stats, period, category),
        "years": stats.years(),
        "quarters": stats.periods(),
        "categories": list(Category),
    }


def _type_order(info) -> int:
    return list(FacilityType).index(info.type)


@bp.get("/")
@cacheable(uses=("coverage", "complaints"))
def national():
    """The national picture of video coverage in custody."""
    data = coverage_data()
    regions = [
        (region, data.total(data.select(region_id=region.id))) for region in data.regions.values()
    ]
    ranked = sorted(regions, key=lambda pair: (-(pair[1].share or -1), pair[0].slug))
    return render_template(
        "public/national.html",
        data=data,
        overview=_overview(data.select()),
        regions=ranked,
        region_map=chart_data.region_map(data, regions),
        updates=data.latest_updates(),
        complaints=_complaints(lambda stats, period, category: stats.national(period, category)),
    )


@bp.get("/regions/<slug>")
@cacheable(uses=("coverage", "complaints"))
def region(slug: str):
    """One region: its coverage, trend, facility types and facilities."""
    data = coverage_data()
    info = data.regions_by_slug.get(slug)
    if info is None:
        abort(404)
    facilities = sorted(data.select(region_id=info.id), key=lambda f: f.name(current_language()))
    rows = [(facility, data.latest(facility.id)) for facility in facilities]
    return render_template(
        "public/region.html",
        data=data,
        region=info,
        overview=_overview(facilities),
        rows=rows,
        complaints=_complaints(
            lambda stats, period, category: stats.region(info.id, period, category)
        ),
    )


def _filtered(form: FacilityFilterForm, data) -> list:
    """Apply the valid filters of ``form``; invalid ones are ignored (and explained on the page)."""
    lang = current_language()
    facilities = list(data.facilities.values())
    value = {name: field.data for name, field in form._fields.items() if not field.errors}
    if value.get("q"):
        facilities = [f for f in facilities if matches(f.search, value["q"])]
    if value.get("region"):
        region_id = data.regions_by_slug[value["region"]].id
        facilities = [f for f in facilities if f.region_id == region_id]
    if value.get("type"):
        facilities = [f for f in facilities if f.type.value == value["type"]]
    if value.get("band"):
        wanted = None if value["band"] == "none" else value["band"]
        facilities = [f for f in facilities if band(_share(data, f)) == wanted]
    if value.get("status") == "stalled":
        facilities = [f for f in facilities if data.is_stalled(f.id)]
    elif value.get("status") == "slipping":
        facilities = [f for f in facilities if data.is_slipping(f.id)]

    sort = value.get("sort") or "name"
    by_name = sorted(facilities, key=lambda f: f.name(lang).casefold())
    if sort == "coverage":
        return sorted(by_name, key=lambda f: _share(data, f, missing=2.0))
    if sort == "-coverage":
        return sorted(by_name, key=lambda f: -_share(data, f, missing=-1.0))
    if sort == "blind_spots":
        return sorted(by_name, key=lambda f: -_blind_spots(data, f))
    if sort == "region":
        return sorted(by_name, key=lambda f: data.regions[f.region_id].name(lang).casefold())
    return by_name


def _share(data, facility, missing=None):
    snapshot = data.latest(facility.id)
    share = snapshot.figures.share if snapshot else None
    return missing if share is None and missing is not None else share


def _blind_spots(data, facility) -> int:
    snapshot = data.latest(facility.id)
    return snapshot.figures.blind_spots if snapshot else 0


@bp.get("/facilities")
@cacheable(uses=("coverage",))
def facilities():
    """All facilities, filtered by region, type, band and progress, searchable by name."""
    data = coverage_data()
    lang = current_language()
    form = FacilityFilterForm(formdata=MultiDict(request.args))
    form.set_choices(
        sorted(((r.slug, r.name(lang)) for r in data.regions.values()), key=lambda c: c[1])
    )
    form.validate()
    found = _filtered(form, data)
    pages = max(1, math.ceil(len(found) / PER_PAGE))
    page = min(form.page.data or 1, pages) if not form.page.errors else 1
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    rows = [(facility, data.latest(facility.id)) for facility in shown]

    def page_url(number: int) -> str:
        return url_for("public.facilities", **{**request.args.to_dict(), "page": number})

    return render_template(
        "public/facilities.html",
        data=data,
        form=form,
        rows=rows,
        found=len(found),
        page=page,
        pages=pages,
        page_url=page_url,
    )


@bp.get("/facilities/<slug>")
@cacheable(uses=("coverage", "complaints"))
def facility(slug: str):
    """One facility: coverage per zone type now and over time, sources, and the ledger."""
    data = coverage_data()
    info = data.facilities_by_slug.get(slug)
    if info is None:
        abort(404)
    return render_template(
        "public/facility.html",
        data=data,
        facility=info,
        region=data.regions[info.region_id],
        details=facility_details(info.id),
        ledger=data.ledger(info.id),
        history=data.history.get(info.id, []),
        history_chart=chart_data.facility_history_chart(data.history[info.id])
        if data.history.get(info.id)
        else None,  # a facility without figures yet has no chart
        Source=Source,
        complaints=_complaints(
            lambda stats, period, category: stats.facility(info.id, period, category)
        ),
    )


@bp.get("/about")
@cacheable(uses=("coverage",))
def about():
    """What the portal is, who runs it and why."""
    return render_template("public/about.html")


@bp.get("/methodology")
@cacheable(uses=("coverage", "complaints"))
def methodology():
    """What is counted, where figures come from, how they are checked and what is suppressed."""
    return render_template("public/methodology.html", publication=published_period())


@bp.get("/privacy")
@cacheable(uses=("coverage",))
def privacy():
    """What the portal keeps about visitors and complainants, for how long, and who reads it."""
    return render_template(
        "public/privacy.html", retention_days=current_app.config["RETENTION_DAYS"]
    )
