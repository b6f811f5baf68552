"""Benchmark: the search service next to plain Whoosh, on demo data, in one run.

Usage: .venv/bin/python bench/search_speed.py [--complaints 100000] [--data DIR]
       [--rounds 3] [--queries 60] [--rebuild] [--seed 2026]

The demo database and its index are kept in ``--data`` (default
``portal-search-bench-<complaints>`` in the temporary folder) between runs: generating 100,000
complaints takes about two minutes. The index is rebuilt with the project's
own ``rebuild`` (documents per second reported) when it is missing or
outdated, or with ``--rebuild``.

Queries are drawn from the demo narratives themselves (seeded): one word, two
and three words of one complaint, a phrase of two or three neighbouring
words, one to three words with a region and a category filter, and one to
three words searched by a reviewer of one region (the service's scope; the
baseline filters on the region, which returns the same complaints). Each
query runs through :func:`portal.search.service.search` (first page of 20:
total, facet counts, snippets) and through plain Whoosh on the same index: a
fresh searcher and a default ``QueryParser`` on the narrative field per
query, ``search(limit=20)`` with the filters as a Whoosh filter query, the
hits' ids read. The two alternate query by query, so the machine's noise hits both
alike. Reported: p50/p95/p99 per kind over every round, the spread of each
round's p95, the service's first (cold) query, and the private memory of this
process, which holds the index. Each kind's line is printed as soon as its rounds end.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select
from whoosh import index as whoosh_index
from whoosh.qparser import QueryParser
from whoosh.query import And, Term

from portal.db import session
from portal.demo import generate
from portal.models import Complaint, ComplaintCategory, Region
from portal.reference import ensure_regions
from portal.search import index_status, rebuild, store
from portal.search.filters import Scope
from portal.search.schema import SCHEMA
from portal.search.service import Filters, search
from tests.support.demo import migrated_portal

WORD = re.compile(r"[^\W\d_]{4,}")
KINDS = ("1 term", "2 terms", "3 terms", "phrase", "1-3 terms + filters", "1-3 terms in scope")


def private_mb() -> float:
    """This process's private memory (Private_Clean + Private_Dirty), in MB."""
    total = 0
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total / 1024


def prepare(folder: Path, complaints: int, seed: int):
    """The app on the kept demo database, generated on first use."""
    folder.mkdir(parents=True, exist_ok=True)
    app = migrated_portal(folder)
    with app.app_context():
        if not session.scalar(select(func.count(Complaint.id))):
            ensure_regions(session)
            session.commit()
            started = time.perf_counter()
            generate(session, facilities=300, complaints=complaints, seed=seed)
            session.commit()
            seconds = time.perf_counter() - started
            print(f"demo data          {complaints} complaints in {seconds:.0f} s")
    return app


def rebuild_rate(app) -> None:
    """Rebuild the index with the project's code and print documents per second."""
    with app.app_context():
        started = time.perf_counter()
        count = rebuild(session, app.config["INDEX_DIR"])
        seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in Path(app.config["INDEX_DIR"]).iterdir())
    print(
        f"rebuild            {count} documents in {seconds:.1f} s = {count / seconds:,.0f} docs/s,"
        f" {size / 1_048_576:.0f} MiB on disk"
    )


def whoosh_codec_index(app, folder: Path) -> str:
    """A copy of the index written with Whoosh's own codec (per-block length statistics kept).

    The project's writers leave those statistics out (portal.search.store.Codec); plain
    Whoosh uses them to skip blocks, so the baseline can also be run on this copy.
    """
    target = folder / "index-whoosh-codec"
    if index_status(target)["state"] != "ready":
        original = store.writer
        store.writer = lambda ix, **options: ix.writer(**options)
        try:
            with app.app_context():
                started = time.perf_counter()
                count = rebuild(session, target)
                seconds = time.perf_counter() - started
            print(f"rebuild, Whoosh's codec {count / seconds:,.0f} docs/s (for the baseline copy)")
        finally:
            store.writer = original
    return str(target)


def queries(app, count: int, seed: int) -> dict[str, list[tuple[str, dict, object]]]:
    """(text, the service's filters or scope, the baseline's filter) per kind."""
    chooser = random.Random(seed)
    with app.app_context():
        top = session.scalar(select(func.max(Complaint.id)))
        ids = chooser.sample(range(1, top + 1), count * 6)
        rows = session.execute(
            select(Complaint.id, Complaint.narrative, Complaint.region_id).where(
                Complaint.id.in_(ids)
            )
        ).all()
        categories = dict(
            session.execute(
                select(ComplaintCategory.complaint_id, ComplaintCategory.category).where(
                    ComplaintCategory.complaint_id.in_(ids)
                )
            ).all()
        )
        regions = dict(session.execute(select(Region.id, Region.slug)).all())
    rows = [row for row in rows if row.region_id in regions]
    chooser.shuffle(rows)
    made: dict[str, list] = {kind: [] for kind in KINDS}
    analyzer = SCHEMA["narrative"].analyzer
    for number, row in enumerate(rows):
        # Words the analyzer keeps (function words such as "была" are left out of every query).
        words = [word for word in WORD.findall(row.narrative) if list(analyzer(word, mode="query"))]
        if len(words) < 4:
            continue
        kind = KINDS[number % len(KINDS)]
        if len(made[kind]) >= count:
            continue
        if kind == "phrase":
            start = chooser.randrange(len(words) - 2)
            size = chooser.choice((2, 3))
            made[kind].append(('"' + " ".join(words[start : start + size]) + '"', {}, None))
        elif kind.endswith("scope"):  # a reviewer of one region: the scope, not a filter
            chosen = " ".join(chooser.sample(sorted(set(words)), chooser.choice((1, 2, 3))))
            scope = Scope(regions=frozenset({row.region_id}))
            made[kind].append((chosen, {"scope": scope}, Term("region", str(row.region_id))))
        elif kind.endswith("filters"):
            chosen = " ".join(chooser.sample(sorted(set(words)), chooser.choice((1, 2, 3))))
            category = str(categories.get(row.id, "physical_violence"))
            filters = Filters(regions=(row.region_id,), categories=(category,))
            whoosh_filter = And([Term("region", str(row.region_id)), Term("categories", category)])
            made[kind].append((chosen, {"filters": filters}, whoosh_filter))
        else:
            size = int(kind[0])
            made[kind].append((" ".join(chooser.sample(sorted(set(words)), size)), {}, None))
    return made


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=int, default=60, help="queries per kind")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--baseline-on-whoosh-codec",
        action="store_true",
        help="run the baseline on a copy written with Whoosh's own codec",
    )
    args = parser.parse_args()
    folder = args.data or Path(tempfile.gettempdir()) / f"portal-search-bench-{args.complaints}"

    app = prepare(folder, args.complaints, args.seed)
    index_dir = app.config["INDEX_DIR"]
    if args.rebuild or index_status(index_dir)["state"] != "ready":
        rebuild_rate(app)
    made = queries(app, args.queries, args.seed)
    memory_before = private_mb()
    baseline_dir = whoosh_codec_index(app, folder) if args.baseline_on_whoosh_codec else index_dir
    ix = whoosh_index.open_dir(baseline_dir)

    def service(text: str, options: dict) -> None:
        with app.app_context():
            result = search(text, per_page=20, **options)
        assert result.error is None, (text, result.error)

    def baseline(text: str, whoosh_filter) -> None:
        with ix.searcher() as searcher:
            query = QueryParser("narrative", ix.schema).parse(text)
            results = searcher.search(query, limit=20, filter=whoosh_filter)
            [hit["id"] for hit in results]  # the hits are read, as a page would

    first_text, first_options, _ = made["1 term"][0]
    cold = timed(lambda: service(first_text, first_options))
    for kind in KINDS:  # warm the page cache for both
        for text, options, whoosh_filter in made[kind][:3]:
            service(text, options)
            baseline(text, whoosh_filter)

    with app.app_context():
        documents = index_status(index_dir).get("documents")
    print(f"index              {documents} documents; {args.queries} queries per kind")
    print(f"baseline index     {baseline_dir}")
    print(f"service cold       first query {cold:.0f} ms (per-process segment caches built)")
    print()
    print(f"{'kind':<22}{'system':<10}{'p50':>8}{'p95':>8}{'p99':>8}   p95 per round     p95 ratio")
    for kind in KINDS:  # each kind is printed when its rounds end: a long run reports as it goes
        times: dict[str, list[list[float]]] = {"service": [], "baseline": []}
        for round_number in range(args.rounds):
            ours, plain = [], []
            for number, (text, options, whoosh_filter) in enumerate(made[kind]):
                pair = [
                    ("service", lambda t=text, o=options: service(t, o)),
                    ("baseline", lambda t=text, w=whoosh_filter: baseline(t, w)),
                ]
                if (number + round_number) % 2:
                    pair.reverse()
                for name, call in pair:
                    (ours if name == "service" else plain).append(timed(call))
            times["service"].append(ours)
            times["baseline"].append(plain)
        report(kind, times)
    memory_after = private_mb()
    ix.close()
    print()
    print(
        f"private memory     {memory_before:.0f} MB before the index, {memory_after:.0f} MB after"
    )
    print(f"machine load       {os.getloadavg()[0]:.2f} (1-minute average at the end)")


def report(kind: str, times: dict[str, list[list[float]]]) -> None:
    """Print one kind's p50/p95/p99 per system, the spread of the rounds' p95 and the ratio."""
    rows = {}
    for system, rounds in times.items():
        every = [value for values in rounds for value in values]
        rows[system] = (every, [percentile(values, 0.95) for values in rounds])
    ratio = percentile(rows["baseline"][0], 0.95) / percentile(rows["service"][0], 0.95)
    for system in ("service", "baseline"):
        every, per_round = rows[system]
        spread = f"{min(per_round):.0f}–{max(per_round):.0f} ms"
        tail = f"{ratio:.1f}×" if system == "service" else ""
        print(
            f"{kind if system == 'service' else '':<22}{system:<10}"
            f"{statistics.median(every):7.1f} {percentile(every, 0.95):7.1f} "
            f"{percentile(every, 0.99):7.1f}   {spread:<17} {tail}",
            flush=True,
        )


if __name__ == "__main__":
    main()
