"""The data dictionary of the open data: every dataset, its columns, their types and meanings.

Column names are stable English snake_case: people build spreadsheets and
scripts on them, so a name is never changed, only added. Titles and meanings
are translated (the open-data page shows them in the reader's language, and
the JSON files carry them in all three).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: Column types, with how a reader should understand them.
TYPES = {
    "string": _l("text"),
    "integer": _l("whole number"),
    "number": _l("number"),
    "date": _l("date (YYYY-MM-DD)"),
    "boolean": _l("true or false"),
}


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its stable name, type, meaning, and whether it may be empty."""

    name: str
    type: str
    meaning: object  # a lazy translated string
    nullable: bool = False
    #: How an empty value is written in CSV ("" unless the column says otherwise).
    csv_null: str = ""


@dataclass(frozen=True)
class DatasetInfo:
    """What a dataset is, for the page and the JSON files."""

    name: str
    title: object
    description: object
    columns: tuple[Column, ...]
    #: The data versions its rows come from (:data:`portal.caching.VERSIONS`).
    uses: tuple[str, ...] = ("coverage",)


def _c(name: str, kind: str, meaning: object, nullable: bool = False, csv_null: str = "") -> Column:
    return Column(name, kind, meaning, nullable, csv_null)


_REGION = _c("region_slug", "string", _l("Short name of the region, as in the region's address."))
_FACILITY = _c(
    "facility_slug", "string", _l("Short name of the facility, as in the facility's address.")
)
_IS_DEMO = _c("is_demo", "boolean", _l("True for generated demonstration data, which is not real."))
_REPORTING_DATE = _c("as_of", "date", _l("Official reporting date."))
_SHARE = _c(
    "share",
    "number",
    _l("Share of zones covered, from 0 to 1 (4 decimals); empty when there are no zones."),
    nullable=True,
)
_GROUP_FIGURES = (
    _c(
        "facilities_reporting",
        "integer",
        _l("Facilities with an official figure on or before this date."),
    ),
    _c("zones_total", "integer", _l("Zones in total.")),
    _c("zones_covered", "integer", _l("Zones covered by video surveillance.")),
    _c(
        "blind_spots",
        "integer",
        _l("Zones still out of camera view (zones_total − zones_covered)."),
    ),
    _c("cameras_installed", "integer", _l("Cameras installed.")),
    _c("cameras_working", "integer", _l("Cameras working.")),
    _SHARE,
)

FACILITIES = DatasetInfo(
    "facilities",
    _l("Facilities"),
    _l(
        "Every custody facility on the portal: its names in Kazakh (Cyrillic and Latin), "
        "Russian and English, former names, region, type and authority, and its latest "
        "official coverage."
    ),
    (
        _c("id", "integer", _l("The facility's number on the portal.")),
        _c("slug", "string", _l("Stable short name of the facility, used in its address.")),
        _REGION,
        _c(
            "type",
            "string",
            _l("Facility type: colony, sizo, ivs, special_detention or police."),
        ),
        _c(
            "authority",
            "string",
            _l("Who runs the facility: kuis (penitentiary system) or police."),
        ),
        _c("name_kk", "string", _l("Name in Kazakh (Cyrillic).")),
        _c("name_kk_latn", "string", _l("Name in Kazakh, in the Latin alphabet of 2021.")),
        _c("name_ru", "string", _l("Name in Russian.")),
        _c("name_en", "string", _l("Name in English.")),
        _c(
            "former_names",
            "string",
            _l("Names the facility no longer carries, separated by “; ”."),
            nullable=True,
        ),
        _c(
            "other_names",
            "string",
            _l("Other names in use (abbreviations, common names), separated by “; ”."),
            nullable=True,
        ),
        _IS_DEMO,
        _c(
            "latest_official_as_of",
            "date",
            _l("Date of the latest official figure; empty when there is none."),
            nullable=True,
        ),
        _c(
            "latest_official_share",
            "number",
            _l(
                "Share of zones covered in the latest official figure, from 0 to 1 "
                "(4 decimals); empty when there is none."
            ),
            nullable=True,
        ),
    ),
)

COVERAGE_SNAPSHOTS = DatasetInfo(
    "coverage-snapshots",
    _l("Coverage figures, zone type by zone type"),
    _l(
        "Every coverage figure ever published on the portal, official or independently "
        "verified, with one row per figure and zone type. Figures are never overwritten: "
        "a new figure is a new row, so this is the full history."
    ),
    (
        _c(
            "snapshot_id",
            "integer",
            _l("Number of the figure; the rows of its zone types share it."),
        ),
        _FACILITY,
        _REGION,
        _c("as_of", "date", _l("Date the figure describes.")),
        _c(
            "source",
            "string",
            _l(
                "official (reported by the authorities) or independent "
                "(checked during a monitoring visit)."
            ),
        ),
        _c(
            "source_note",
            "string",
            _l("Where the figure was published or who checked it."),
            nullable=True,
        ),
        _c(
            "zone_type",
            "string",
            _l(
                "Zone type: cells, corridors, interrogation, duty_intake, exercise_yards, "
                "medical, visiting, disciplinary, transport, perimeter or bodycams."
            ),
        ),
        _c("zones_total", "integer", _l("Zones of this type in total.")),
        _c("zones_covered", "integer", _l("Zones of this type covered by video surveillance.")),
        _c(
            "blind_spots",
            "integer",
            _l("Zones of this type still out of camera view (zones_total − zones_covered)."),
        ),
        _c("cameras_installed", "integer", _l("Cameras installed.")),
        _c("cameras_working", "integer", _l("Cameras working.")),
        _c(
            "retention_days",
            "integer",
            _l("How many days recordings are kept before they are overwritten."),
            nullable=True,
        ),
        _IS_DEMO,
    ),
)

COVERAGE_REGIONS = DatasetInfo(
    "coverage-regions",
    _l("Coverage by region over time"),
    _l(
        "For each region and each official reporting date, the sum of the latest official "
        "figure of each of its facilities on or before that date (a facility that reported "
        "nothing new keeps its last figure)."
    ),
    (_REGION, _REPORTING_DATE, *_GROUP_FIGURES),
)

COVERAGE_NATIONAL = DatasetInfo(
    "coverage-national",
    _l("National coverage over time"),
    _l(
        "For each official reporting date, the national sum of the latest official figure "
        "of each facility on or before that date, for all facilities and for each type."
    ),
    (
        _REPORTING_DATE,
        _c(
            "facility_type",
            "string",
            _l("all for every facility, otherwise one facility type."),
        ),
        *_GROUP_FIGURES,
    ),
)

COMPLAINT_STATISTICS = DatasetInfo(
    "complaint-statistics",
    _l("Complaints received"),
    _l(
        "How many complaints the portal received, by place, period and category. These are "
        "complaints received, not findings. Counts from 1 to 9 are shown as “<10”, and some "
        "other counts are hidden too, so that a hidden count cannot be worked out from "
        "totals, from neighbouring rows or from other periods."
    ),
    (
        _c(
            "level",
            "string",
            _l(
                "national; region; facility; unknown_place (complaints about a place in the "
                "region that is not on the list); unknown_region (complaints naming no region)."
            ),
        ),
        _c(
            "region_slug",
            "string",
            _l("Short name of the region; empty for national rows."),
            nullable=True,
        ),
        _c(
            "facility_slug",
            "string",
            _l("Short name of the facility; empty unless the level is facility."),
            nullable=True,
        ),
        _c(
            "period",
            "string",
            _l(
                "all (all time), a year (2025) or a quarter (2025-Q3), by the date the "
                "complaints were received."
            ),
        ),
        _c(
            "category",
            "string",
            _l(
                "all (every complaint) or one category. A complaint may have several "
                "categories, so categories do not add up to all."
            ),
        ),
        _c(
            "complaints_received",
            "integer",
            _l("Complaints received. When the count is hidden: “<10” in CSV, empty in JSON."),
            nullable=True,
            csv_null="<10",
        ),
        _c(
            "suppressed",
            "boolean",
            _l("True when the count is hidden to protect complainants."),
        ),
        _c(
            "as_of",
            "date",
            _l(
                "End of the reporting period (the last day of the last complete month or "
                "quarter): only complaints received up to and including this day (UTC) are "
                "counted."
            ),
        ),
    ),
    uses=("coverage", "complaints"),
)

#: Every dataset, in the order the open-data page lists them.
DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in (
        FACILITIES,
        COVERAGE_SNAPSHOTS,
        COVERAGE_REGIONS,
        COVERAGE_NATIONAL,
        COMPLAINT_STATISTICS,
    )
}
