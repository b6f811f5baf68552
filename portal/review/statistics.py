"""The analysts' page: complaint statistics for the user's scope, never a complaint's content.

``GET /LANG/review/statistics`` (endpoint ``review.statistics``) and its CSV twin
``GET /LANG/review/statistics.csv`` are open to everyone holding
:attr:`~portal.auth.access.Permission.STATISTICS` (analyst, reviewer, coordinator).
They count the complaints of :func:`~portal.auth.access.statistics_filter`: a reviewer
their regions, a coordinator and an analyst every region. Small counts are hidden
for a statistics-only analyst, as on the public side (:mod:`portal.review.counts`);
someone who may open the complaints themselves sees exact counts, since hiding
them would protect nothing. The page names no complaint and links to none. Each
view and each download is audited with its date filters, nothing else.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from babel.dates import format_skeleton
from flask import Response, render_template, request
from flask_babel import format_decimal, get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, select
from wtforms import DateField
from wtforms.validators import Optional, ValidationError

from portal import audit
from portal.auth import access
from portal.db import session
from portal.forms import BoundedForm
from portal.i18n import current_language
from portal.labels import label
from portal.models import Complaint, Facility, Region
from portal.review import counts
from portal.review.views import bp
from portal.stats.suppression import HIDDEN_TEXT

#: Everyone whose roles hold the STATISTICS permission.
STATISTICS_ROLES = tuple(
    role for role, allowed in access.PERMISSIONS.items() if access.Permission.STATISTICS in allowed
)
#: Received dates outside these years are refused before any query runs.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
#: A CSV cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class StatisticsFilterForm(BoundedForm):
    """The received-date range, read from the query string (nothing changes: no CSRF)."""

    class Meta(BoundedForm.Meta):
        csrf = False

    since = DateField(_l("Received from (UTC)"), validators=[Optional()])
    until = DateField(_l("Received until (UTC)"), validators=[Optional()])

    def validate_since(self, field: DateField) -> None:
        """A date within the years the portal can hold."""
        if field.data and not EARLIEST <= field.data <= LATEST:
            raise ValidationError(gettext("Give a date between the years 2000 and 2100."))

    def validate_until(self, field: DateField) -> None:
        """A date within the years the portal can hold, not before the first date."""
        if field.data and not EARLIEST <= field.data <= LATEST:
            raise ValidationError(gettext("Give a date between the years 2000 and 2100."))
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(gettext("This date is earlier than the first one."))


def _condition(user, form: StatisticsFilterForm) -> ColumnElement[bool]:
    parts = [access.statistics_filter(user)]
    if form.since.data:
        parts.append(Complaint.created_at >= datetime.combine(form.since.data, time(), UTC))
    if form.until.data:
        end = datetime.combine(form.until.data + timedelta(days=1), time(), UTC)
        parts.append(Complaint.created_at < end)
    return and_(*parts)


def month_label(first_day: date) -> str:
    """A month in words for the current locale: «2026 ж. наурыз», «март 2026 г.»."""
    return format_skeleton("yMMMM", first_day, locale=get_locale())


def count_text(value: int | None) -> str:
    """A count for the current locale, "<10" when hidden."""
    return HIDDEN_TEXT if value is None else format_decimal(value)


def days_text(value: float | None) -> str:
    """A number of days with one decimal for the current locale, a dash when not shown."""
    return "—" if value is None else format_decimal(round(value, 1), format="#,##0.0")


def _names(found: counts.Statistics) -> tuple[dict[int, str], dict[int, str]]:
    lang = current_language()
    regions = session.scalars(select(Region).where(Region.id.in_(sorted(found.region_ids))))
    facilities = session.scalars(
        select(Facility).where(Facility.id.in_(sorted(found.facility_ids)))
    )
    return (
        {region.id: region.name(lang) for region in regions},
        {facility.id: facility.name(lang) for facility in facilities},
    )


def labelled(found: counts.Statistics) -> dict[str, list[tuple[list[str], int | None]]]:
    """Each table's rows as (label cells, count), in the order the page shows them.

    Regions and facilities are in name order, never by count: ordering hidden
    counts by their value would tell what they hide.
    """
    region_names, facility_names = _names(found)
    unknown_region, other_place = gettext("Region unknown"), gettext("Place not in the list")

    def region(key: int | None) -> str:
        return unknown_region if key is None else region_names.get(key, str(key))

    tables = found.tables
    rows = {
        "category": [([label(key)], value) for key, value in tables["category"].rows],
        "status": [([label(key)], value) for key, value in tables["status"].rows],
        "region": sorted(
            (([region(key)], value) for key, value in tables["region"].rows),
            key=lambda row: (row[0][0] == unknown_region, row[0][0].casefold()),
        ),
        "facility": sorted(
            (
                (
                    [region(key[0]), other_place if key[1] is None else facility_names[key[1]]],
                    value,
                )
                for key, value in tables["facility"].rows
            ),
            key=lambda row: (
                row[0][0] == unknown_region,
                row[0][0].casefold(),
                row[0][1] == other_place,
                row[0][1].casefold(),
            ),
        ),
        "month": [([month_label(key)], value) for key, value in tables["month"].rows],
    }
    return rows


def _filters(form: StatisticsFilterForm) -> dict[str, str]:
    return {
        name: getattr(form, name).data.isoformat()
        for name in ("since", "until")
        if getattr(form, name).data
    }


def _read(user) -> tuple[StatisticsFilterForm, bool, counts.Statistics | None]:
    form = StatisticsFilterForm(formdata=request.args)
    valid = form.validate() if request.args else True
    if not valid:
        return form, False, None
    exact = access.can(user, access.Permission.READ_COMPLAINTS)
    return form, True, counts.compute(_condition(user, form), suppressed=not exact)


@bp.get("/statistics")
@access.allow(*STATISTICS_ROLES)
def statistics():
    """Complaint counts by category, status, region, facility and month, and response times."""
    user = access.current_user()
    form, valid, found = _read(user)
    if found is not None:
        audit.record("statistics.viewed", detail=_filters(form) or None)
        session.commit()
    html = render_template(
        "review/statistics.html",
        form=form,
        valid=valid,
        found=found,
        rows=labelled(found) if found else {},
        all_regions=access.can(user, access.Permission.READ_ALL_REGIONS)
        or (not access.can(user, access.Permission.READ_COMPLAINTS) and not user.regions),
        user=user,
        count_text=count_text,
        days_text=days_text,
        query_args=request.args.to_dict(),
    )
    return html, 200 if valid else 422


def _csv_cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(found: counts.Statistics) -> Iterator[list[str]]:
    """The page's tables as CSV rows: table, region or group, facility, count (hidden: "<10")."""
    yield ["table", "group", "facility", "complaints"]
    yield ["all", "", "", counts_plain(found.total)]
    for name, rows in labelled(found).items():
        for cells, value in rows:
            group, facility = [*cells, ""][:2]
            yield [name, _csv_cell(group), _csv_cell(facility), counts_plain(value)]
    response = found.response
    yield ["response", "responded", "", counts_plain(response.responded)]
    yield ["response", "awaiting", "", counts_plain(response.awaiting)]
    for name, days in (("median_days", response.median_days), ("p90_days", response.p90_days)):
        yield ["response", name, "", "" if days is None else f"{days:.1f}"]


def counts_plain(value: int | None) -> str:
    """A count as CSV text: digits, or "<10" when hidden."""
    return HIDDEN_TEXT if value is None else str(value)


@bp.get("/statistics.csv")
@access.allow(*STATISTICS_ROLES)
def statistics_csv():
    """The same tables as CSV (labels in the page's language), audited as a download."""
    user = access.current_user()
    form, _valid, found = _read(user)
    if found is None:
        return statistics()
    audit.record("statistics.exported", detail=_filters(form) or None)
    session.commit()
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer, lineterminator="\r\n").writerows(csv_rows(found))
    name = f"complaint-statistics-{current_language()}.csv"
    return Response(
        buffer.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
