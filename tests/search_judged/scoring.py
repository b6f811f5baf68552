"""Score complaint search on the judged collection: recall@10 and MRR@10, overall and per kind.

The collection (``complaints.jsonl``, ``queries.jsonl``, see README.md) is read
here and scored; :mod:`tests.search_judged.runners` loads it into a fresh portal
and provides the systems to score (the search service, ``search query --json``,
plain-Whoosh baselines).

A *runner* is any function from query text to the ranked complaint refs it
returns; :func:`score` turns a runner into a :class:`Report`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COLLECTION = Path(__file__).resolve().parent
COMPLAINTS = COLLECTION / "complaints.jsonl"
QUERIES = COLLECTION / "queries.jsonl"
#: Queries kept out of tuning: scored to see how search generalises (README.md).
HELD_OUT = COLLECTION / "queries-heldout.jsonl"
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
