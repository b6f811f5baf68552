"""Relevance of complaint search, measured on the judged collection in tests/search_judged/.

The collection's own consistency and the measures are checked here, and the
service's figures by ``test_service_relevance_holds_what_it_reached``.

The targets of issue 9 (recall@10 ≥ 0.90 overall and ≥ 0.85 for Kazakh typed
in Latin and in ASCII, MRR@10 ≥ 0.80) are the floor: a change that takes the
service below any of them fails here (docs/SEARCH.md, "Measuring relevance").
``bench/search_relevance.py`` prints the figures per kind, next to plain-Whoosh
baselines.
"""

from __future__ import annotations

import csv
from collections import Counter

from tests.search_judged.runners import judged_portal, service_runner
from tests.search_judged.scoring import (
    COLLECTION,
    HELD_OUT,
    KINDS,
    format_misses,
    format_table,
    load_complaints,
    load_queries,
    recall_at,
    reciprocal_rank,
    score,
)

#: The targets of issue 9: the floor no change may break.
RECALL_OVERALL = 0.90
RECALL_KAZAKH_IN_LATIN = 0.85  # for each of the kinds "kk-latin" and "ascii"
MRR_OVERALL = 0.80
#: The held-out queries (README.md) are never tuned on; their first figures, measured before
#: any change was made for them, were recall@10 0.654 and MRR@10 0.835 (docs/SEARCH.md). The
#: floor sits below them: it catches a change that makes search generalise worse.
HELD_OUT_RECALL = 0.60
HELD_OUT_MRR = 0.75


def test_collection_is_complete_and_consistent():
    complaints = load_complaints()
    queries = load_queries() + load_queries(HELD_OUT)
    refs = [item["ref"] for item in complaints]
    assert len(complaints) >= 80 and len(queries) >= 60
    assert len({query.id for query in queries}) == len(queries)
    assert len(set(refs)) == len(refs)
    assert all(item["narrative"].strip() for item in complaints)
    for query in queries:
        assert query.relevant, query.id
        assert query.relevant <= set(refs), query.id
        assert set(query.kinds) <= set(KINDS), query.id
    per_kind = Counter(kind for query in queries for kind in query.kinds)
    assert all(per_kind[kind] >= 5 for kind in KINDS), per_kind
    with (COLLECTION / "annotations.csv").open(encoding="utf-8") as handle:
        annotated = [row["ref"] for row in csv.DictReader(handle)]
    assert annotated == refs


def test_measures():
    relevant = frozenset({"a", "b", "c"})
    assert recall_at(["x", "a", "c"], relevant) == 2 / 3
    assert recall_at([str(n) for n in range(10)] + ["a"], relevant) == 0
    many = frozenset(str(n) for n in range(12))
    assert recall_at([str(n) for n in range(10)], many) == 1.0  # capped at ten
    assert reciprocal_rank(["x", "y", "b"], relevant) == 1 / 3
    assert reciprocal_rank(["x"] * 10 + ["a"], relevant) == 0.0


def test_service_relevance_holds_what_it_reached():
    with judged_portal() as portal:
        run = service_runner(portal)
        report = score("service", load_queries(), run)
        held_out = score("service held-out", load_queries(HELD_OUT), run)
    failures = []
    count, recall, mrr = report.summary()
    if recall < RECALL_OVERALL:
        failures.append(f"recall@10 {recall:.3f} < {RECALL_OVERALL} over {count} queries")
    if mrr < MRR_OVERALL:
        failures.append(f"MRR@10 {mrr:.3f} < {MRR_OVERALL} over {count} queries")
    for kind in ("kk-latin", "ascii"):
        count, recall, _ = report.summary(kind)
        if recall < RECALL_KAZAKH_IN_LATIN:
            failures.append(f"{kind}: recall@10 {recall:.3f} < {RECALL_KAZAKH_IN_LATIN}")
    count, recall, mrr = held_out.summary()
    if recall < HELD_OUT_RECALL or mrr < HELD_OUT_MRR:
        failures.append(f"held-out: recall@10 {recall:.3f}, MRR@10 {mrr:.3f} over {count}")
    assert not failures, "\n".join(
        [*failures, "", format_table([report, held_out]), "", format_misses(report)]
    )
