"""Score complaint search on the judged collection: recall@10 and MRR@10, overall and per kind.

The collection (``complaints.jsonl``, ``queries.jsonl``, see README.md) is loaded
into a fresh portal: a new SQLite database and instance folder, the reference
regions, the complaints imported with ``import-complaints`` (or written with the
models while that command does not exist), the index rebuilt with the project's
own code. Queries then go through the search service (or ``search query --json``)
and, in the same run, through plain-Whoosh baselines over the same texts.

A *runner* is any function from query text to the ranked complaint refs it
returns; :func:`score` turns a runner into a :class:`Report`.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

COLLECTION = Path(__file__).resolve().parent
COMPLAINTS = COLLECTION / "complaints.jsonl"
QUERIES = COLLECTION / "queries.jsonl"
#: Results that count: the first page a reviewer reads.
K = 10
#: The kinds in the order they are reported.
KINDS = (
    "ru-inflection",
    "kk-inflection",
    "kk-latin",
    "ascii",
    "place-alias",
    "loanword",
    "phrase",
    "code-switch",
)

Runner = Callable[[str], Sequence[str]]


@dataclass(frozen=True)
class Query:
    """One judged query."""

    id: str
    text: str
    kinds: tuple[str, ...]
    need: str
    relevant: frozenset[str]


def load_queries(path: Path = QUERIES) -> list[Query]:
    """The judged queries, in file order."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            queries.append(
                Query(
                    item["id"],
                    item["query"],
                    tuple(item["kinds"]),
                    item["need"],
                    frozenset(item["relevant"]),
                )
            )
    return queries


def load_complaints(path: Path = COMPLAINTS) -> list[dict[str, Any]]:
    """The complaints as import records (one dict per line, each with its ``ref``)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# --- measures ---------------------------------------------------------------------------------


def recall_at(ranked: Sequence[str], relevant: frozenset[str], k: int = K) -> float:
    """Relevant refs in the first ``k``, over the relevant count (or ``k`` when it is larger)."""
    if not relevant:
        return 1.0
    found = len(set(ranked[:k]) & relevant)
    return found / min(len(relevant), k)


def reciprocal_rank(ranked: Sequence[str], relevant: frozenset[str], k: int = K) -> float:
    """One over the rank of the first relevant ref in the first ``k``; 0 when there is none."""
    for rank, ref in enumerate(ranked[:k], start=1):
        if ref in relevant:
            return 1.0 / rank
    return 0.0


@dataclass(frozen=True)
class Outcome:
    """What one system returned for one query, and its scores."""

    query: Query
    ranked: tuple[str, ...]
    recall: float
    rr: float

    @property
    def missed(self) -> list[str]:
        """Relevant refs not in the first ``K`` results."""
        return sorted(self.query.relevant - set(self.ranked[:K]))


@dataclass(frozen=True)
class Report:
    """One system's outcomes on every query."""

    system: str
    outcomes: tuple[Outcome, ...]

    def summary(self, kind: str | None = None) -> tuple[int, float, float]:
        """(queries, mean recall@K, MRR@K) over all queries, or those of one kind."""
        chosen = [o for o in self.outcomes if kind is None or kind in o.query.kinds]
        if not chosen:
            return 0, 0.0, 0.0
        count = len(chosen)
        return (
            count,
            sum(o.recall for o in chosen) / count,
            sum(o.rr for o in chosen) / count,
        )


def score(system: str, queries: Sequence[Query], run: Runner) -> Report:
    """Run every query through ``run`` and score its ranked refs."""
    outcomes = []
    for query in queries:
        ranked = tuple(ref for ref in run(query.text) if ref)
        outcomes.append(
            Outcome(
                query,
                ranked,
                recall_at(ranked, query.relevant),
                reciprocal_rank(ranked, query.relevant),
            )
        )
    return Report(system, tuple(outcomes))


def format_table(reports: Sequence[Report]) -> str:
    """Recall@K and MRR@K per kind (rows) and system (columns), as plain text."""
    header = f"{'kind':<15}{'n':>4}" + "".join(f"  {r.system[:17]:>17}" for r in reports)
    sub = f"{'':<19}" + "".join(f"  {'R@' + str(K):>8} {'MRR':>8}" for _ in reports)
    lines = [header, sub]
    for kind in (None, *KINDS):
        count = reports[0].summary(kind)[0] if reports else 0
        cells = []
        for report in reports:
            _, recall, mrr = report.summary(kind)
            cells.append(f"  {recall:>8.3f} {mrr:>8.3f}")
        lines.append(f"{kind or 'overall':<15}{count:>4}" + "".join(cells))
    return "\n".join(lines)


def format_misses(report: Report) -> str:
    """The queries where ``report`` missed relevant complaints, with what it returned."""
    lines = []
    for outcome in report.outcomes:
        if outcome.recall < 1.0 or outcome.rr < 1.0:
            lines.append(
                f"{outcome.query.id} {outcome.query.text!r} [{' '.join(outcome.query.kinds)}]"
                f" R={outcome.recall:.2f} RR={outcome.rr:.2f}\n"
                f"    missed: {' '.join(outcome.missed) or '-'}\n"
                f"    top {K}: {' '.join(outcome.ranked[:K]) or '-'}"
            )
    return "\n".join(lines)


# --- the portal, loaded with the collection ----------------------------------------------------


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
    from sqlalchemy import select

    from portal.models import (
        Answer,
        Category,
        Complaint,
        ComplaintCategory,
        DatePrecision,
        Region,
        Relation,
    )

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
            complaint.external_ref = item["ref"]
        complaint.categories = [ComplaintCategory(category=Category(c)) for c in item["categories"]]
        db.add(complaint)
    db.commit()


def _id_to_ref(db, complaints: Sequence[dict[str, Any]]) -> dict[int, str]:
    from sqlalchemy import select

    from portal.models import Complaint

    column = getattr(Complaint, "external_ref", None)
    if column is not None:
        return {cid: ref for cid, ref in db.execute(select(Complaint.id, column)) if ref}
    known = {item["ref"] for item in complaints}
    rows = db.execute(select(Complaint.id, Complaint.reference))
    return {cid: ref for cid, ref in rows if ref in known}


@contextlib.contextmanager
def judged_portal(complaints_path: Path = COMPLAINTS) -> Iterator[JudgedPortal]:
    """A fresh app (temporary instance, SQLite database, index) holding the collection."""
    from portal import create_app, instance
    from portal.db import make_engine, session, upgrade_schema
    from portal.reference import ensure_regions
    from portal.search import rebuild

    complaints = load_complaints(complaints_path)
    instance.restrict_new_files()  # as the portal runs: the database is private
    with tempfile.TemporaryDirectory(prefix="portal-relevance-") as scratch:
        folder = Path(scratch)
        url = f"sqlite:///{folder / 'portal.sqlite3'}"
        engine = make_engine(url)
        upgrade_schema(engine)
        engine.dispose()
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": url,
                "INSTANCE_PATH": str(folder / "instance"),
                "INDEX_DIR": str(folder / "instance" / "index"),
                "RATELIMIT_ENABLED": False,
            }
        )
        try:
            with app.app_context():
                ensure_regions(session)
                session.commit()
            if _has_command(app, "import-complaints"):
                result = app.test_cli_runner().invoke(
                    args=["import-complaints", str(complaints_path)]
                )
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
    from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import AndGroup, OrGroup, QueryParser

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
    *, via: str = "service", baselines: Sequence[str] = tuple(BASELINES)
) -> tuple[JudgedPortal | None, list[Report]]:
    """Score the service (``via`` ``service`` or ``cli``; ``none`` to skip it) and baselines.

    Returns the portal's description (without its app, which is closed) and one
    report per system, the service first.
    """
    queries = load_queries()
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
