"""The systems the judged collection scores: the search service and plain-Whoosh baselines.

:func:`judged_portal` loads the collection into a fresh portal: a new SQLite
database and instance folder, the reference regions, the complaints imported
with ``import-complaints`` (or written with the models while that command does
not exist), the index rebuilt with the project's own code. Queries then go
through the search service (:func:`service_runner`) or ``search query --json``
(:func:`cli_runner`), and, in the same run, through plain Whoosh over the same
texts (:func:`baseline_runner`).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import AndGroup, OrGroup, QueryParser

from portal import instance
from portal.db import session
from portal.models import (
    Answer,
    Category,
    Complaint,
    ComplaintCategory,
    DatePrecision,
    Region,
    Relation,
)
from portal.reference import ensure_regions
from portal.search import rebuild
from tests.search_judged.scoring import (
    COMPLAINTS,
    K,
    Query,
    Report,
    Runner,
    load_complaints,
    load_queries,
    score,
)
from tests.support.demo import migrated_portal

# --- the portal, loaded with the collection ----------------------------------------------------


#: The sender named for the collection's complaints (``import-complaints --source``).
SOURCE = "judged-collection"


@dataclass
class JudgedPortal:
    """An app whose database and index hold exactly the collection."""

    app: Any
    #: Complaint id → ref, for runners that return ids.
    refs: dict[int, str]
    #: How the complaints went in: "import-complaints" or "models".
    loaded_with: str


def _has_command(app, name: str) -> bool:
    return name in app.cli.commands


def _import_args(app, path: Path) -> list[str]:
    """``import-complaints FILE``, naming the sender when the command takes one."""
    command = app.cli.commands["import-complaints"]
    args = ["import-complaints", str(path)]
    if any(param.name == "source" for param in command.params):
        args += ["--source", SOURCE]
    return args


def _month_or_day(value: str | None) -> tuple[date | None, str]:
    if not value:
        return None, "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return date.fromisoformat(value + "-01"), "month"
    return date.fromisoformat(value), "day"


def _guess_language(text: str) -> str:
    return "kk" if re.search(r"[әғқңөұүһі]|\b[A-Za-z]", text.casefold()) else "ru"


def _insert_with_models(db, complaints: Sequence[dict[str, Any]]) -> None:
    """Write the complaints with the models (until ``import-complaints`` exists)."""
    regions = dict(db.execute(select(Region.slug, Region.id)).all())
    for item in complaints:
        incident, precision = _month_or_day(item.get("incident_date"))
        complaint = Complaint(
            reference=item["ref"],
            narrative=item["narrative"],
            place_text=item.get("place_text"),
            region_id=regions.get(item.get("region")),
            incident_date=incident,
            incident_date_precision=DatePrecision(precision),
            language=item.get("language") or _guess_language(item["narrative"]),
            relation=Relation(item.get("relation", "self")),
            camera_present=Answer(item.get("camera_present", "dont_know")),
            camera_working=Answer(item.get("camera_working", "dont_know")),
            out_of_view=Answer(item.get("out_of_view", "dont_know")),
            created_at=datetime.fromisoformat(item["received_at"]),
        )
        if hasattr(Complaint, "external_ref"):
            complaint.import_source = SOURCE
            complaint.external_ref = item["ref"]
        complaint.categories = [ComplaintCategory(category=Category(c)) for c in item["categories"]]
        db.add(complaint)
    db.commit()


def _id_to_ref(db, complaints: Sequence[dict[str, Any]]) -> dict[int, str]:
    column = getattr(Complaint, "external_ref", None)
    if column is not None:
        return {cid: ref for cid, ref in db.execute(select(Complaint.id, column)) if ref}
    known = {item["ref"] for item in complaints}
    rows = db.execute(select(Complaint.id, Complaint.reference))
    return {cid: ref for cid, ref in rows if ref in known}


@contextlib.contextmanager
def judged_portal(complaints_path: Path = COMPLAINTS) -> Iterator[JudgedPortal]:
    """A fresh app (temporary instance, SQLite database, index) holding the collection."""
    complaints = load_complaints(complaints_path)
    instance.restrict_new_files()  # as the portal runs: the database is private
    with tempfile.TemporaryDirectory(prefix="portal-relevance-") as scratch:
        folder = Path(scratch)
        app = migrated_portal(
            folder,
            config={
                "TESTING": True,
                "INSTANCE_PATH": str(folder / "instance"),
                "INDEX_DIR": str(folder / "instance" / "index"),
                "RATELIMIT_ENABLED": False,
            },
        )
        try:
            with app.app_context():
                ensure_regions(session)
                session.commit()
            if _has_command(app, "import-complaints"):
                result = app.test_cli_runner().invoke(args=_import_args(app, complaints_path))
                if result.exit_code != 0:
                    raise RuntimeError(f"import-complaints failed:\n{result.output}")
                loaded_with = "import-complaints"
            else:
                with app.app_context():
                    _insert_with_models(session, complaints)
                loaded_with = "models"
            with app.app_context():
                rebuild(session, app.config["INDEX_DIR"])
                refs = _id_to_ref(session, complaints)
            if len(refs) != len(complaints):
                raise RuntimeError(f"{len(refs)} of {len(complaints)} complaints found after load")
            yield JudgedPortal(app, refs, loaded_with)
        finally:
            app.extensions["portal.db"].engine.dispose()


# --- runners ----------------------------------------------------------------------------------


def _field(item: Any, *names: str) -> Any:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value
    return None


def service_runner(portal: JudgedPortal) -> Runner:
    """Queries through ``portal.search.service.search``, first page of ``K`` results."""
    # Imported here: the service is optional until it exists (baselines run without it).
    from portal.search import service

    accepted = inspect.signature(service.search).parameters
    options: dict[str, Any] = {"page": 1, "per_page": K}
    options = {name: value for name, value in options.items() if name in accepted}

    def run(text: str) -> list[str]:
        with portal.app.app_context():
            result = service.search(text, **options)
        hits = _field(result, "hits", "results") or []
        ids = [_field(hit, "id", "complaint_id") for hit in hits]
        return [portal.refs.get(int(value), "") for value in ids if value is not None]

    return run


def cli_runner(portal: JudgedPortal) -> Runner:
    """Queries through ``flask --app wsgi search query TEXT --json --limit K``."""
    runner = portal.app.test_cli_runner()

    def run(text: str) -> list[str]:
        result = runner.invoke(args=["search", "query", text, "--json", "--limit", str(K)])
        if result.exit_code != 0:
            return []
        payload = json.loads(result.output)
        refs = []
        for hit in payload.get("results", []):
            ref = hit.get("external_ref") or portal.refs.get(int(hit["id"]), "")
            refs.append(ref)
        return refs

    return run


#: The plain baselines: (analyzer, grouping) by name.
BASELINES = {
    "plain AND": ("standard", "and"),
    "plain OR": ("standard", "or"),
    "ru-stem AND": ("russian", "and"),
    "ru-stem OR": ("russian", "or"),
}


def baseline_runner(
    complaints: Sequence[dict[str, Any]], analyzer: str = "standard", grouping: str = "and"
) -> Runner:
    """Plain Whoosh over the same texts (narrative and place): one field, default QueryParser.

    ``analyzer`` is ``standard`` (``StandardAnalyzer``) or ``russian`` (Whoosh's
    ``LanguageAnalyzer("ru")``, its Snowball stemmer); ``grouping`` is ``and``
    (QueryParser's default) or ``or``.
    """
    chosen = StandardAnalyzer() if analyzer == "standard" else LanguageAnalyzer("ru")
    schema = Schema(ref=ID(stored=True), text=TEXT(analyzer=chosen))
    index = RamStorage().create_index(schema)
    writer = index.writer()
    for item in complaints:
        text = " ".join(filter(None, (item["narrative"], item.get("place_text"))))
        writer.add_document(ref=item["ref"], text=text)
    writer.commit()
    parser = QueryParser("text", schema, group=OrGroup if grouping == "or" else AndGroup)
    searcher = index.searcher()

    def run(text: str) -> list[str]:
        return [hit["ref"] for hit in searcher.search(parser.parse(text), limit=K)]

    return run


def run_all(
    *,
    via: str = "service",
    baselines: Sequence[str] = tuple(BASELINES),
    queries: Sequence[Query] | None = None,
) -> tuple[JudgedPortal | None, list[Report]]:
    """Score the service (``via`` ``service`` or ``cli``; ``none`` to skip it) and baselines.

    Returns the portal's description (without its app, which is closed) and one
    report per system, the service first.
    """
    queries = load_queries() if queries is None else queries
    complaints = load_complaints()
    reports = []
    described = None
    if via != "none":
        with judged_portal() as portal:
            run = service_runner(portal) if via == "service" else cli_runner(portal)
            reports.append(score(via, queries, run))
            described = JudgedPortal(None, portal.refs, portal.loaded_with)
    for name in baselines:
        analyzer, grouping = BASELINES[name]
        reports.append(score(name, queries, baseline_runner(complaints, analyzer, grouping)))
    return described, reports
