"""Relevance of complaint search on the judged collection, next to plain-Whoosh baselines.

Loads tests/search_judged/ into a fresh portal (temporary SQLite database and
index, complaints imported with the project's own code), runs every judged query
through the search service, and through plain Whoosh over the same texts in the
same run, and prints recall@10 and MRR@10 overall and per kind of query.

Usage: .venv/bin/python bench/search_relevance.py [--via service|cli|none]
       [--baselines "plain AND,plain OR,ru-stem AND,ru-stem OR"]
       [--queries main|held-out|all] [--misses] [--json FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.search_judged.runners import BASELINES, run_all
from tests.search_judged.scoring import (
    HELD_OUT,
    KINDS,
    format_misses,
    format_table,
    load_complaints,
    load_queries,
)


def main() -> None:
    """Score the service and the baselines; print the table (and the misses)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--via",
        choices=["service", "cli", "none"],
        default="service",
        help="query through portal.search.service.search (default), `search query --json`, "
        "or only run the baselines",
    )
    parser.add_argument(
        "--baselines",
        default=",".join(BASELINES),
        help="comma-separated baselines to run (empty for none)",
    )
    parser.add_argument(
        "--queries",
        choices=["main", "held-out", "all"],
        default="main",
        help="the tuned-on queries (default), the held-out ones (README.md), or both",
    )
    parser.add_argument("--misses", action="store_true", help="list the service's misses")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    baselines = [name.strip() for name in args.baselines.split(",") if name.strip()]
    unknown = [name for name in baselines if name not in BASELINES]
    if unknown:
        parser.error(f"unknown baselines: {', '.join(unknown)}; known: {', '.join(BASELINES)}")

    # A throwaway portal: never read or write the development instance's secrets.
    os.environ.setdefault("PORTAL_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("PORTAL_CONTACT_KEY", secrets.token_urlsafe(32))

    via = args.via
    if via == "service" and importlib.util.find_spec("portal.search.service") is None:
        print("portal/search/service.py does not exist yet: baselines only.\n")
        via = "none"
    queries = {
        "main": load_queries(),
        "held-out": load_queries(HELD_OUT),
        "all": load_queries() + load_queries(HELD_OUT),
    }[args.queries]
    portal, reports = run_all(via=via, baselines=baselines, queries=queries)
    print(
        f"collection         {len(load_complaints())} complaints, "
        f"{len(queries)} queries ({args.queries})"
    )
    if portal is not None:
        print(f"loaded with        {portal.loaded_with}")
    print()
    print(format_table(reports))
    if args.misses and via != "none":
        print()
        print(format_misses(reports[0]))
    if args.json:
        figures = {
            report.system: {
                kind or "overall": dict(
                    zip(("queries", "recall@10", "mrr@10"), report.summary(kind), strict=True)
                )
                for kind in (None, *KINDS)
            }
            for report in reports
        }
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
