"""The search service: one function from a reviewer's query to a page of complaints.

:func:`search` takes the query text (:mod:`portal.search.query`), filters, the
regions the caller may see (it knows no users: the caller passes the scope),
a sort order and a page; it returns the total, facet counts, and the page's
hits with highlighted snippets. It never raises for a bad query or a missing,
locked or rebuilding index: :attr:`SearchResult.error` carries a code that the
page translates (:mod:`portal.search.messages`).

How a query runs (docs/SEARCH.md, "Speed"): the query is evaluated over each
segment's postings in bulk (:mod:`portal.search.engine`); scope and filters are
bitmasks of the filter fields' postings, kept per segment, so neither filters
nor facet counts ever load a stored document; only the page's hits are loaded,
for their reference and snippet. Facet counts of a field leave that field's
own filter out (choosing a second region adds to the first), and always stay
inside the scope.

When no complaint has every word of a query of several words or phrases, or
fewer than fill the page, complaints with some of them follow, marked
``partial``, ranked by how many they have; ``total`` counts only the complete
matches, and the facets describe those.
"""

from __future__ import annotations

import heapq
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from flask import current_app, has_app_context
from markupsafe import Markup

from portal.search import engine
from portal.search.engine import Evaluator, Leaf, Scores
from portal.search.query import ParsedQuery, Parser, QueryError
from portal.search.schema import (
    FILTER_FIELDS,
    NONE,
    SCHEMA,
    incident_value,
    naive_utc,
    received_value,
)
from portal.search.searchers import Unavailable, pool_for
from portal.search.snippets import snippet

logger = logging.getLogger(__name__)

SORTS = ("relevance", "date")
_HIGHEST = 2**62
#: Most hits one call returns, and the deepest page one can ask for.
MAX_PER_PAGE, MAX_DEPTH = 1000, 10_000


@dataclass(frozen=True)
class Filters:
    """What the reviewer narrowed the search to; empty tuples and None filter nothing.

    Regions, facilities and assignees are ids (None stands for "unknown" or
    "nobody"); the others are the stored values (``Category``, ``Status``,
    ``Answer``, ``Relation``, ``FacilityType`` values, language codes). Dates
    are inclusive; a ``date`` is a whole UTC day, an aware ``datetime`` an instant.
    """

    regions: tuple[int | None, ...] = ()
    facilities: tuple[int | None, ...] = ()
    facility_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    camera_present: tuple[str, ...] = ()
    camera_working: tuple[str, ...] = ()
    out_of_view: tuple[str, ...] = ()
    assignees: tuple[int | None, ...] = ()
    incident_from: date | datetime | None = None
    incident_to: date | datetime | None = None
    received_from: date | datetime | None = None
    received_to: date | datetime | None = None

    def terms(self) -> dict[str, list[str]]:
        """Filter field → the index terms chosen, for the fields with a choice."""
        chosen = {
            "region": self.regions,
            "facility": self.facilities,
            "facility_type": self.facility_types,
            "categories": self.categories,
            "status": self.statuses,
            "language": self.languages,
            "relation": self.relations,
            "camera_present": self.camera_present,
            "camera_working": self.camera_working,
            "out_of_view": self.out_of_view,
            "assignee": self.assignees,
        }
        return {
            name: [NONE if value is None else str(value) for value in values]
            for name, values in chosen.items()
            if values
        }

    def dates(self) -> dict[str, tuple[int, int]]:
        """Date column → inclusive (low, high) column values, for the columns with a range."""
        ranges = {}
        if self.incident_from is not None or self.incident_to is not None:
            low = incident_value(_start(self.incident_from)) if self.incident_from else 1
            high = incident_value(_end(self.incident_to)) if self.incident_to else _HIGHEST
            ranges["incident"] = (max(low, 1), high)  # 0 is "unknown": outside every range
        if self.received_from is not None or self.received_to is not None:
            low = received_value(_start(self.received_from)) if self.received_from else 0
            high = received_value(_end(self.received_to)) if self.received_to else _HIGHEST
            ranges["received"] = (low, high)
        return ranges


@dataclass(frozen=True)
class Scope:
    """The regions whose complaints the caller may see: ``None`` for every region."""

    regions: frozenset[int] | None = None
    #: Whether complaints with no known region are visible too (ignored when regions is None).
    include_unknown_region: bool = False

    def terms(self) -> list[str] | None:
        """The region terms in scope, or None for no restriction."""
        if self.regions is None:
            return None
        terms = [str(region) for region in sorted(self.regions)]
        return [*terms, NONE] if self.include_unknown_region else terms


@dataclass
class Hit:
    """One complaint found: ``snippet`` is safe HTML (escaped text, matches in ``<mark>``)."""

    id: int
    reference: str
    external_ref: str | None
    score: float
    snippet: Markup
    #: True when it has only some of the query's words (listed after the complete matches).
    partial: bool = False


@dataclass
class SearchResult:
    """The answer: totals, facet counts (field → value → count) and the page's hits."""

    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    #: An error code (see portal.search.messages), or None.
    error: str | None = None
    #: How many complaints with only some of the words follow the complete matches.
    partial: int = 0


def _start(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return naive_utc(value)
    return datetime.combine(value, time())


def _end(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return naive_utc(value)
    return datetime.combine(value, time()) + timedelta(days=1) - timedelta(microseconds=1)


# --- one segment ---------------------------------------------------------------------------


@dataclass
class _Segment:
    """One segment's share of a search: what the query matched, and the narrowing masks."""

    leaf: Leaf
    parts: list[Scores]
    excluded: list[Scores]
    scope: int | None
    filters: dict[str, int]

    def narrowed(self, mask: int, leave_out: str | None = None) -> int:
        """``mask`` within the scope and every filter but ``leave_out``."""
        if self.scope is not None:
            mask &= self.scope
        for name, bits in self.filters.items():
            if name != leave_out:
                mask &= bits
        return mask

    def keep(self, scores: Scores | None) -> tuple[Scores, int]:
        """The documents of ``scores`` (None: every live one) left by exclusions and narrowing."""
        leaf = self.leaf
        if scores is None:
            mask = leaf.live_mask()
            for gone in self.excluded:
                mask &= ~engine.to_mask(gone, leaf.size)
        else:
            for gone in self.excluded:
                scores = engine.without(scores, gone)
            mask = engine.to_mask(scores, leaf.size)
        visible = self.narrowed(mask)
        if scores is not None and len(scores) == visible.bit_count():
            return scores, mask  # nothing narrowed away
        kept = engine.from_mask(visible, leaf.size)
        if scores is None:
            return dict.fromkeys(kept, 0.0), mask
        return {docnum: scores[docnum] for docnum in kept}, mask


def _segment(leaf: Leaf, index: int, required, excluded, filters: Filters, scope: Scope):
    regions = scope.terms()
    chosen = {
        name: engine.value_mask(leaf, name, values) for name, values in filters.terms().items()
    }
    for name, (low, high) in filters.dates().items():
        chosen[name] = engine.range_mask(leaf, name, low, high)
    return _Segment(
        leaf=leaf,
        parts=[scores[index] for scores in required],
        excluded=[scores[index] for scores in excluded],
        scope=None if regions is None else engine.value_mask(leaf, "region", regions),
        filters=chosen,
    )


def _count_facets(segment: _Segment, matched: int, facets: dict[str, dict[str, int]]) -> None:
    """Add one segment's counts: each field counted without its own filter, within scope."""
    for name in FILTER_FIELDS:
        visible = segment.narrowed(matched, leave_out=name)
        if not visible:
            continue
        counts = facets.setdefault(name, {})
        for value, bits in segment.leaf.masks(name).items():
            if count := (visible & bits).bit_count():
                counts[value] = counts.get(value, 0) + count


# --- ranking -------------------------------------------------------------------------------


@dataclass
class _Ranked:
    """The best candidates of every segment: (key, tie-break, global docnum, score)."""

    items: list[tuple[float, int, int, float]] = field(default_factory=list)

    def add(self, leaf: Leaf, scores: Scores, by_date: bool, depth: int) -> None:
        """Keep the ``depth`` best of one segment (newest first among equal scores)."""
        if not scores or depth <= 0:
            return
        received = leaf.data.received(leaf.reader)
        key = received.__getitem__ if by_date else scores.__getitem__
        for docnum in heapq.nlargest(depth, scores, key=key):
            self.items.append((key(docnum), received[docnum], leaf.offset + docnum, scores[docnum]))

    def best(self, depth: int) -> list[tuple[int, float]]:
        """(global docnum, score) of the ``depth`` best, best first."""
        return [(item[2], item[3]) for item in heapq.nlargest(depth, self.items)]


def _partial_scores(parts: list[Scores], complete: Scores) -> Scores:
    """Documents with some but not all parts, scored by the share of parts they have."""
    counts: dict[int, int] = {}
    totals: dict[int, float] = {}
    for part in parts:
        for docnum, score in part.items():
            if docnum not in complete:
                counts[docnum] = counts.get(docnum, 0) + 1
                totals[docnum] = totals.get(docnum, 0.0) + score
    share = len(parts)
    return {docnum: totals[docnum] * counts[docnum] / share for docnum in totals}


# --- the service ---------------------------------------------------------------------------


def _folder(index_dir: str | Path | None) -> Path:
    if index_dir is not None:
        return Path(index_dir)
    if not has_app_context():
        raise RuntimeError("search() needs index_dir outside an application context")
    return Path(current_app.config["INDEX_DIR"])


def search(
    text: str,
    *,
    filters: Filters | None = None,
    scope: Scope | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    index_dir: str | Path | None = None,
) -> SearchResult:
    """Search the complaints' index; never raises for a bad query or an unusable index.

    ``text`` follows the query language of :mod:`portal.search.query` (empty:
    every complaint, newest first). ``scope`` limits everything, totals and
    facets included, to the regions the caller may see. ``sort`` is
    ``relevance`` or ``date`` (newest received first). ``index_dir`` defaults
    to the app's ``INDEX_DIR``.
    """
    filters, scope = filters or Filters(), scope or Scope()
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}")
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, min(int(page), MAX_DEPTH // per_page or 1))
    try:
        parsed = Parser(SCHEMA["narrative"].analyzer).parse(text or "")
    except QueryError as problem:
        return SearchResult(error=problem.code)
    pool = pool_for(_folder(index_dir))
    for attempt in (1, 2):
        try:
            searcher = pool.searcher()
            return _run(searcher, pool.cache, parsed, filters, scope, sort, page, per_page)
        except Unavailable as problem:
            logger.info("search unavailable: %s", problem)
            return SearchResult(error="unavailable")
        except Exception:
            logger.warning("search failed (attempt %d)", attempt, exc_info=attempt == 2)
            pool.forget()
    return SearchResult(error="unavailable")


def _run(
    searcher,
    cache: engine.SegmentCache,
    parsed: ParsedQuery,
    filters: Filters,
    scope: Scope,
    sort: str,
    page: int,
    per_page: int,
) -> SearchResult:
    evaluator = Evaluator(searcher, cache)
    required = [evaluator.scores(query) for query in parsed.required]
    excluded = [evaluator.scores(query) for query in parsed.excluded]
    segments = [
        _segment(leaf, index, required, excluded, filters, scope)
        for index, leaf in enumerate(evaluator.leaves)
    ]
    by_date = sort == "date" or not parsed.required
    depth = page * per_page
    result, ranked = SearchResult(), _Ranked()
    complete: list[Scores] = []
    for segment in segments:
        kept, matched = segment.keep(engine.intersect(segment.parts) if segment.parts else None)
        result.total += len(kept)
        _count_facets(segment, matched, result.facets)
        ranked.add(segment.leaf, kept, by_date, depth)
        complete.append(kept)
    hits = [(docnum, score, False) for docnum, score in ranked.best(depth)]
    if not by_date and len(hits) < depth and (parsed.has_phrase or len(parsed.parts) > 1):
        hits += _fallback(evaluator, parsed, segments, complete, result, depth - len(hits))
    start = (page - 1) * per_page
    result.hits = [_hit(searcher, *item, parsed) for item in hits[start : start + per_page]]
    result.facets = {name: dict(sorted(counts.items())) for name, counts in result.facets.items()}
    return result


def _fallback(
    evaluator: Evaluator,
    parsed: ParsedQuery,
    segments: list[_Segment],
    complete: list[Scores],
    result: SearchResult,
    room: int,
) -> list[tuple[int, float, bool]]:
    """What follows the complete matches: a phrase's words apart, then some of the words."""
    parts = [evaluator.scores(part) for part in parsed.parts]
    apart, some = _Ranked(), _Ranked()
    for index, (segment, kept) in enumerate(zip(segments, complete, strict=True)):
        mine = [scores[index] for scores in parts]
        seen = kept
        if parsed.has_phrase:
            loose, _mask = segment.keep(engine.without(engine.intersect(mine), kept))
            result.partial += len(loose)
            apart.add(segment.leaf, loose, False, room)
            seen = {**kept, **loose}
        if len(mine) > 1:
            fewer, _mask = segment.keep(_partial_scores(mine, seen))
            result.partial += len(fewer)
            some.add(segment.leaf, fewer, False, room)
    first = apart.best(room)
    second = some.best(room - len(first))
    return [(docnum, score, True) for docnum, score in (*first, *second)]


def _hit(searcher, docnum: int, score: float, is_partial: bool, parsed: ParsedQuery) -> Hit:
    stored = searcher.stored_fields(docnum)
    analyzer = searcher.schema["narrative"].analyzer
    text = stored.get("narrative") or ""
    return Hit(
        id=int(stored["id"]),
        reference=stored.get("reference") or "",
        external_ref=stored.get("external_ref"),
        score=round(score, 4),
        snippet=snippet(text, parsed.terms, analyzer),
        partial=is_partial,
    )
