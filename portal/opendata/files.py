"""The open-data files as bytes: CSV for spreadsheets, JSON for programs.

Every file is built at most once per version of the data it uses (coverage
files per coverage version, the complaint-statistics file per coverage and
complaint-statistics version, :func:`portal.caching.version`) and kept in
memory per application, so a download of the ~32k-row snapshot file costs a
dictionary look-up, and a new complaint rebuilds no file. The
``export-open-data`` command writes the very same bytes to a folder.

CSV: UTF-8 with a byte-order mark and CRLF line ends, so that common
spreadsheet programs open Cyrillic names correctly; a header row of the
stable column names; empty cells for missing values, except suppressed
complaint counts, which read "<10". JSON: one object with the dataset's
name, licence, data version, demo flag, its columns (type and meaning in
kk, ru and en) and its rows as arrays in column order.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import current_app, g
from flask.cli import with_appcontext
from flask_babel import force_locale

from portal.caching import coverage_version, version
from portal.i18n import LANGUAGES
from portal.opendata.columns import DATASETS, TYPES, Column
from portal.opendata.datasets import Table, build
from portal.stats.dataset import is_demo_dataset

#: The licence of the published data.
LICENCE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Ashyq Baqylau (Open Oversight of Custody)",
}
#: File formats and their content types.
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
#: Said in every complaint-statistics file, in English (column meanings are translated).
COMPLAINT_NOTE = (
    "Complaints received, not findings. Counts from 1 to 9 are never published: such a "
    "count is null with suppressed true in JSON and '<10' in CSV; some other counts are "
    "hidden too, so that a hidden count cannot be worked out from other rows. Counts are as "
    "of complaints_as_of, the end of the last complete month or quarter: complaints received "
    "later are not counted yet."
)


def filename(name: str, fmt: str) -> str:
    """The file name of a dataset in a format, e.g. ``coverage-snapshots.csv``."""
    return f"{name}.{fmt}"


#: A text cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any, column: Column) -> str:
    if value is None:
        return column.csv_null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # shown as text, never evaluated (CSV injection)
    return str(value)


def render_csv(table: Table) -> bytes:
    """The dataset as CSV bytes: BOM, header row, CRLF line ends."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    columns = table.info.columns
    writer.writerows(
        [_csv_cell(v, c) for v, c in zip(row, columns, strict=True)] for row in table.rows
    )
    return buffer.getvalue().encode("utf-8")


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _translated(text: object) -> dict[str, str]:
    """``text`` (a lazy string) in every language, for the self-describing JSON files."""
    result = {}
    for code in LANGUAGES:
        with force_locale(code):
            result[code] = str(text)
    return result


def column_dictionary(table: Table) -> list[dict[str, Any]]:
    """The JSON description of the dataset's columns."""
    return [
        {
            "name": column.name,
            "type": column.type,
            "nullable": column.nullable,
            "meaning": _translated(column.meaning),
            "type_label": _translated(TYPES[column.type]),
        }
        for column in table.info.columns
    ]


def render_json(table: Table, version: str, demo: bool) -> bytes:
    """The dataset as one JSON document (UTF-8, compact, rows as arrays in column order)."""
    document: dict[str, Any] = {
        "dataset": table.info.name,
        "title": _translated(table.info.title),
        "description": _translated(table.info.description),
        "licence": LICENCE,
        "generated_from_data_version": version,
        "demo": demo,
    }
    if table.info.name == "complaint-statistics":
        document["note"] = COMPLAINT_NOTE
    document.update({key: _json_value(value) for key, value in table.extra.items()})
    document["columns"] = column_dictionary(table)
    document["rows"] = [[_json_value(value) for value in row] for row in table.rows]
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text + "\n").encode("utf-8")


@dataclass
class _Cache:
    """Built tables and files of one application, each with the version it was built from."""

    tables: dict[str, tuple[str, Table]] = field(default_factory=dict)
    files: dict[tuple[str, str], tuple[str, bytes]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)


def _cache() -> _Cache:
    return current_app.extensions.setdefault("portal.opendata", _Cache())


def dataset_version(name: str) -> str:
    """The current version of the data the dataset ``name`` is made from."""
    return version(DATASETS[name].uses).digest


def table(name: str) -> Table:
    """The dataset ``name`` of the current data, built at most once per version of its data."""
    cache = _cache()
    current = dataset_version(name)
    with cache.lock:
        found = cache.tables.get(name)
        if found is None or found[0] != current:
            found = cache.tables[name] = (current, build(name))
        return found[1]


def dataset_file(name: str, fmt: str) -> bytes:
    """The bytes of a dataset file (``fmt`` "csv" or "json"), built at most once per version.

    Raises KeyError for an unknown dataset or format.
    """
    if name not in DATASETS or fmt not in FORMATS:
        raise KeyError(filename(name, fmt))
    cache = _cache()
    current = dataset_version(name)
    with cache.lock:
        key = (name, fmt)
        found = cache.files.get(key)
        if found is None or found[0] != current:
            built = table(name)
            if fmt == "csv":
                content = render_csv(built)
            else:
                content = render_json(built, coverage_version().digest, is_demo_dataset())
            found = cache.files[key] = (current, content)
        return found[1]


def facility_coverage_csv(slug: str) -> bytes | None:
    """One facility's rows of the coverage-snapshots dataset as CSV; None for an unknown slug."""
    full = table("coverage-snapshots")
    position = full.columns.index("facility_slug")
    rows = [row for row in full.rows if row[position] == slug]
    if not rows:
        return None
    return render_csv(Table(full.info, rows, full.extra))


def clear_cache() -> None:
    """Forget the built files of the current application (tests, or after a bulk import)."""
    cache = _cache()
    with cache.lock:
        cache.tables, cache.files = {}, {}


def export(directory: Path) -> list[Path]:
    """Write every dataset in every format into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    g.setdefault("lang", None)  # translated meanings need a non-empty g outside requests
    written = []
    for name in DATASETS:
        for fmt in FORMATS:
            path = directory / filename(name, fmt)
            path.write_bytes(dataset_file(name, fmt))
            written.append(path)
    return written


@click.command("export-open-data")
@click.argument("directory", type=click.Path(file_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_open_data_command(directory: Path) -> None:
    """Write every open dataset as CSV and JSON into DIRECTORY, as served under /open-data/."""
    for path in export(directory):
        click.echo(f"{path} ({path.stat().st_size:,} bytes)")
