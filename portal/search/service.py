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

import gc
import heapq
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_app_context
from markupsafe import Markup

from portal.search import engine
from portal.search.engine import Evaluator, Leaf, Scores
from portal.search.filters import Filters, Scope
from portal.search.query import ParsedQuery, Parser, QueryError
from portal.search.schema import FILTER_FIELDS, NONE, SCHEMA
from portal.search.searchers import Unavailable, pool_for
from portal.search.snippets import snippet

logger = logging.getLogger(__name__)

SORTS = ("relevance", "date")
#: Most hits one call returns, and the deepest page one can ask for.
MAX_PER_PAGE, MAX_DEPTH = 1000, 10_000


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


_collection_lock = threading.Lock()
_collection_paused = 0


@contextmanager
def without_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a search computes.

    A search makes tens of thousands of short-lived objects (scores, slices)
    that reference counting frees; each few hundred of them, though, start a
    collection that walks every tracked object of the process (readers,
    caches, the app), which cost 70 ms of a 15 ms phrase check when measured.
    Paused per search, counted across threads: the collector resumes when no
    search runs, and collects anything a search left in cycles then.
    """
    global _collection_paused
    with _collection_lock:
        if _collection_paused == 0 and gc.isenabled():
            gc.disable()
            _collection_paused = 1
        elif _collection_paused:
            _collection_paused += 1
    try:
        yield
    finally:
        with _collection_lock:
            if _collection_paused:
                _collection_paused -= 1
                if _collection_paused == 0:
                    gc.enable()


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


def _scope_mask(leaf: Leaf, scope: Scope) -> int | None:
    """The documents of one segment within ``scope`` (None: no restriction)."""
    regions = scope.terms()
    if regions is None:
        return None
    allowed = engine.value_mask(leaf, "region", regions)
    assignee = scope.unknown_region_assignee
    if not scope.include_unknown_region and assignee is not None:
        unknown = engine.value_mask(leaf, "region", [NONE])
        allowed |= unknown & engine.value_mask(leaf, "assignee", [str(assignee)])
    return allowed


def _segment(leaf: Leaf, index: int, required, excluded, filters: Filters, scope: int | None):
    chosen = {
        name: engine.value_mask(leaf, name, values) for name, values in filters.terms().items()
    }
    for name, (low, high) in filters.dates().items():
        chosen[name] = engine.range_mask(leaf, name, low, high)
    return _Segment(
        leaf=leaf,
        parts=[scores[index] for scores in required],
        excluded=[scores[index] for scores in excluded],
        scope=scope,
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
    snippets: bool = True,
) -> SearchResult:
    """Search the complaints' index; never raises for a bad query or an unusable index.

    ``text`` follows the query language of :mod:`portal.search.query` (empty:
    every complaint, newest first). ``scope`` limits everything, totals and
    facets included, to the regions the caller may see. ``sort`` is
    ``relevance`` or ``date`` (newest received first). ``index_dir`` defaults
    to the app's ``INDEX_DIR``. Without ``snippets`` the hits' snippets are
    empty (a list of every result, for an export or another sort, needs none).
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
            with without_collection():
                return _run(
                    searcher, pool.cache, parsed, filters, scope, sort, page, per_page, snippets
                )
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
    snippets: bool = True,
) -> SearchResult:
    evaluator = Evaluator(searcher, cache)
    scopes = [_scope_mask(leaf, scope) for leaf in evaluator.leaves]
    for leaf, allowed in zip(evaluator.leaves, scopes, strict=True):
        leaf.restrict(allowed)  # a reviewer's query reads only their regions' postings
    required = [evaluator.scores(query) for query in parsed.required]
    excluded = [evaluator.scores(query) for query in parsed.excluded]
    segments = [
        _segment(leaf, index, required, excluded, filters, scopes[index])
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
    page_hits = hits[start : start + per_page]
    result.hits = [_hit(searcher, *item, parsed, snippets) for item in page_hits]
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
    """What follows the complete matches: a phrase's words apart, then some of the words.

    Each level is computed only while the page still has room; ``result.partial``
    counts the complaints of the levels computed.
    """
    parts = [evaluator.scores(part) for part in parsed.parts]
    seen = list(complete)
    found: list[tuple[int, float]] = []
    if parsed.has_phrase:
        apart = _Ranked()
        for index, (segment, kept) in enumerate(zip(segments, complete, strict=True)):
            mine = [scores[index] for scores in parts]
            loose, _mask = segment.keep(engine.without(engine.intersect(mine), kept))
            result.partial += len(loose)
            apart.add(segment.leaf, loose, False, room)
            seen[index] = {**kept, **loose}
        found = apart.best(room)
    if len(parts) > 1 and len(found) < room:
        some = _Ranked()
        for index, segment in enumerate(segments):
            mine = [scores[index] for scores in parts]
            fewer, _mask = segment.keep(_partial_scores(mine, seen[index]))
            result.partial += len(fewer)
            some.add(segment.leaf, fewer, False, room - len(found))
        found += some.best(room - len(found))
    return [(docnum, score, True) for docnum, score in found]


def _hit(
    searcher, docnum: int, score: float, is_partial: bool, parsed: ParsedQuery, snippets: bool
) -> Hit:
    stored = searcher.stored_fields(docnum)
    analyzer = searcher.schema["narrative"].analyzer
    text = stored.get("narrative") or ""
    return Hit(
        id=int(stored["id"]),
        reference=stored.get("reference") or "",
        external_ref=stored.get("external_ref"),
        score=round(score, 4),
        snippet=snippet(text, parsed.terms, analyzer) if snippets else Markup(""),
        partial=is_partial,
    )
