"""Routes of the open data: the files, and the page that explains them in the reader's language."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, url_for

from portal.caching import cacheable, published_period
from portal.i18n import preferred_language
from portal.opendata.columns import DATASETS, TYPES
from portal.opendata.files import (
    FORMATS,
    LICENCE,
    dataset_file,
    facility_coverage_csv,
    filename,
)

bp = Blueprint("opendata", __name__)


def open_to_all(response: Response) -> Response:
    """Let any web page read a public, read-only resource (no cookies are involved)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _dataset_uses(name: str, fmt: str) -> tuple[str, ...]:
    """The data versions a file depends on: its dataset's (coverage only for unknown names)."""
    info = DATASETS.get(name)
    return info.uses if info else ("coverage",)


@bp.get("/open-data/<name>.csv", defaults={"fmt": "csv"})
@bp.get("/open-data/<name>.json", defaults={"fmt": "json"})
@cacheable(uses=_dataset_uses)
def download(name: str, fmt: str) -> Response:
    """One dataset as a CSV (a download) or JSON file; 404 for an unknown dataset."""
    if name not in DATASETS:
        abort(404)
    response = Response(dataset_file(name, fmt), content_type=FORMATS[fmt])
    if fmt == "csv":
        response.headers["Content-Disposition"] = f"attachment; filename={filename(name, fmt)}"
    return open_to_all(response)


@bp.get("/open-data/facilities/<slug>/coverage.csv")
@cacheable(uses=("coverage",))
def facility_download(slug: str) -> Response:
    """One facility's coverage figures, every date and zone type, as a CSV download."""
    content = facility_coverage_csv(slug)
    if content is None:
        abort(404)
    response = Response(content, content_type=FORMATS["csv"])
    response.headers["Content-Disposition"] = f"attachment; filename={slug}-coverage.csv"
    return open_to_all(response)


@bp.get("/open-data/")
def files_index():
    """The folder of files has no listing of its own: send people to the open-data page."""
    return redirect(url_for("opendata.page", lang_code=preferred_language()), code=302)


@bp.get("/<lang:lang_code>/open-data")
@cacheable(uses=("coverage", "complaints"))
def page() -> str:
    """What can be downloaded, under which licence, and what each column means."""
    datasets = [
        {
            "info": info,
            "links": {
                fmt: url_for("opendata.download", name=info.name, fmt=fmt) for fmt in FORMATS
            },
            "files": {fmt: filename(info.name, fmt) for fmt in FORMATS},
        }
        for info in DATASETS.values()
    ]
    return render_template(
        "opendata/index.html",
        datasets=datasets,
        types=TYPES,
        licence=LICENCE,
        publication=published_period(),
    )
