"""The CSV export of a search: exactly its results, every page, safe to open in a spreadsheet.

**What a row holds, and why no more.** An export leaves the portal, where each
reading of a complaint is audited, for a laptop, a mail or a shared folder; it
serves reports and planning (how many complaints per place, category and status,
who handles which, whose footage must be asked for by when). So a row holds the
complaint's reference and the sender's case number, dates, place, categories,
status, assignee, the camera answers, the language and the footage deadline,
and **nothing written by the complainant**: no narrative, no snippet, no free-text
place, no relation to the person affected, and never a contact. A reviewer who
needs the words opens the case, which is audited one by one. (Analysts read no
complaint at all, so they reach neither search nor export.)

**Formula injection.** A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return would be run as a formula by Excel or LibreOffice; such a
cell is written with a leading apostrophe, which shows the text as typed. The
file is UTF-8 with a byte-order mark, so Excel reads Kazakh and Russian right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask_babel import gettext as _

from portal import clock
from portal.labels import label
from portal.models import DatePrecision
from portal.review.finder import Row, categories_of
from portal.review.search_form import LANGUAGE_NAMES

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: object) -> str:
    """The text of a cell, with an apostrophe before anything a spreadsheet would compute."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header() -> list[str]:
    """The column titles, in the current language."""
    return [
        _("Reference"),
        _("Case number of the sender"),
        _("Received"),
        _("Incident date"),
        _("Region"),
        _("Facility"),
        _("Facility type"),
        _("Categories"),
        _("Status"),
        _("Assigned to"),
        _("Was there a camera?"),
        _("Was it working?"),
        _("Did it happen out of view of cameras?"),
        _("Language of the complaint"),
        _("Footage deadline"),
        _("Retention assumed (no figures for the facility)"),
    ]


def _incident(row: Row) -> str:
    day = row.complaint.incident_date
    if day is None:
        return ""
    if row.complaint.incident_date_precision == DatePrecision.MONTH:
        return day.strftime("%Y-%m")
    return day.isoformat()


def cells(row: Row, lang: str) -> list[str]:
    """One complaint's cells (see the module's note on what is left out)."""
    complaint, deadline = row.complaint, row.deadline
    facility = complaint.facility
    return [
        complaint.reference,
        complaint.external_ref or "",
        clock.kazakhstan_date(complaint.created_at).isoformat(),
        _incident(row),
        complaint.region.name(lang) if complaint.region else "",
        facility.name(lang) if facility else "",
        label(facility.type) if facility else "",
        "; ".join(label(link.category) for link in categories_of(complaint)),
        label(complaint.status),
        complaint.assignee.username if complaint.assignee else "",
        label(complaint.camera_present),
        label(complaint.camera_working),
        label(complaint.out_of_view),
        LANGUAGE_NAMES.get(complaint.language, complaint.language),
        deadline.deadline.isoformat() if deadline.deadline else "",
        (_("Yes") if deadline.assumed else _("No")) if deadline.deadline else "",
    ]


def csv_text(rows: Iterable[Row], lang: str) -> str:
    """The whole file: byte-order mark, header, one line per complaint, every cell made safe."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(title) for title in header()])
    for row in rows:
        writer.writerow([safe_cell(value) for value in cells(row, lang)])
    return out.getvalue()
