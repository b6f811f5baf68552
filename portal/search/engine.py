"""Evaluating a query over each index segment's postings in bulk, as Whoosh would score it.

Whoosh scores a match by walking its matchers one posting at a time, several
Python calls per posting; a frequent word at 100,000 complaints costs it
≈ 100–200 ms before any total or facet is counted. Here each term's postings
are read a block at a time and scored with the same formula (BM25F, Whoosh's
defaults ``B=0.75, K1=1.2``, the same idf, average field length and
one-byte field lengths), so scores and rankings are Whoosh's own, at a few
hundred nanoseconds per posting. The result of a query is, per segment, a
dict ``docnum → score`` that totals, facets and ranking then read.

Queries are Whoosh query objects, as :mod:`portal.search.query` builds them:
``Term``, ``Or`` (scores add up), ``And`` (all must match, scores add up),
``AndNot``, ``Every`` and ``Sequence`` of terms or alternatives (phrases,
checked against stored positions). Anything else raises :class:`Unsupported`.

Per segment, what never changes while the segment exists (field lengths, the
documents of each filter value as a bitmask, the date columns, frequent terms'
postings) is read once per process and kept (:mod:`portal.search.segments`).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import compress, repeat
from operator import add, mul, truediv

from whoosh.query import And, AndNot, Every, Or, Query, Term
from whoosh.query import Sequence as SequenceQuery
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from portal.search.segments import SegmentCache, SegmentData, from_mask, to_flags, to_mask

#: Whoosh's BM25F defaults (whoosh.scoring.BM25F).
B, K1 = 0.75, 1.2

Scores = dict[int, float]


class Unsupported(Exception):
    """A query object this evaluator does not know (the caller may ask Whoosh instead)."""


# --- evaluation ----------------------------------------------------------------------------


class Leaf:
    """One segment of a searcher: its reader, docnum offset, cached data and live documents."""

    def __init__(self, searcher: Searcher, offset: int, data: SegmentData) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.data = data
        self.size = data.size
        self.deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()
        #: One byte per document, 1 where the caller may see it; None: no restriction.
        self.within: bytes | None = None

    def restrict(self, mask: int | None) -> None:
        """Read only the documents of ``mask`` from now on (the caller's scope); None: all."""
        self.within = None if mask is None else to_flags(mask, self.size)

    def live_mask(self) -> int:
        """The bitmask of the documents not deleted."""
        return ((1 << self.size) - 1) & ~to_mask(self.deleted, self.size)

    def masks(self, field: str) -> dict[str, int]:
        """Value → bitmask of a filter field in this segment."""
        return self.data.masks(self.reader, field)


class Evaluator:
    """Scores queries over every segment of one searcher (one per search, not shared)."""

    def __init__(self, searcher: Searcher, cache: SegmentCache) -> None:
        self.searcher = searcher
        self.cache = cache
        self.leaves = [
            Leaf(sub, offset, cache.data(sub.reader()))
            for sub, offset in searcher.leaf_searchers()
            if sub.reader().segment() is not None  # an index without segments has an empty reader
        ]
        self._norms: dict[str, list[float]] = {}
        self._memo: dict[tuple[int, str, str, float], Scores] = {}

    def _norm(self, field: str) -> list[float]:
        table = self._norms.get(field)
        if table is None:
            if self.searcher.schema[field].scorable:
                average = self.searcher.avg_field_length(field) or 1
                table = [K1 * ((1 - B) + B * byte_to_length(b) / average) for b in range(256)]
            else:  # Whoosh counts a field without lengths as length 1 of average 1
                table = [K1] * 256
            self._norms[field] = table
        return table

    def scores(self, query: Query) -> list[Scores]:
        """``docnum → score`` per segment for the documents matching ``query``."""
        return [self._scores(leaf, query) for leaf in self.leaves]

    def _scores(self, leaf: Leaf, query: Query) -> Scores:
        if isinstance(query, Term):
            return self._term(leaf, query.fieldname, query.text, query.boost)
        if isinstance(query, Or):
            return add_up([self._scores(leaf, child) for child in query.subqueries])
        if isinstance(query, And):
            return intersect([self._scores(leaf, child) for child in query.subqueries])
        if isinstance(query, AndNot):
            return without(self._scores(leaf, query.a), self._scores(leaf, query.b))
        if isinstance(query, Every):
            return dict.fromkeys(from_mask(leaf.live_mask(), leaf.size), 0.0)
        if isinstance(query, SequenceQuery):
            return self._sequence(leaf, query)
        raise Unsupported(type(query).__name__)

    def _term(self, leaf: Leaf, field: str, text: str, boost: float) -> Scores:
        """A term's scores in one segment (kept for this search: a phrase's words recur)."""
        key = (leaf.offset, field, text, boost)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._read_term(leaf, field, text, boost)
        return found

    def _read_term(self, leaf: Leaf, field: str, text: str, boost: float) -> Scores:
        ids, weights = self.cache.postings(leaf.reader, field, text)
        if leaf.within is not None:  # out of scope: never scored, never counted
            inside = list(map(leaf.within.__getitem__, ids))
            ids, weights = list(compress(ids, inside)), list(compress(weights, inside))
        if not ids:
            return {}
        scale = boost * self.searcher.idf(field, text) * (K1 + 1)
        norm = self._norm(field)
        lengths = leaf.data.lengths(leaf.reader, field)
        # scale × weight / (weight + norm[length]) per posting, in map() chains: the loops
        # run in C, a third faster than a comprehension at a million postings a query.
        denominators = map(add, weights, map(norm.__getitem__, map(lengths.__getitem__, ids)))
        found: Scores = dict(
            zip(ids, map(truediv, map(mul, repeat(scale), weights), denominators), strict=True)
        )
        for docnum in leaf.deleted.intersection(found):
            del found[docnum]
        return found

    def _sequence(self, leaf: Leaf, query: SequenceQuery) -> Scores:
        """A phrase: every part at consecutive positions of one field.

        Positions are read part by part, each only for the documents where the
        phrase still holds so far: a three-word phrase whose first two words are
        never neighbours reads nothing of the third.
        """
        parts = [_terms_of(child) for child in query.subqueries]
        candidates = intersect([self._scores(leaf, child) for child in query.subqueries])
        starts: dict[int, set[int]] = {}
        for step, terms in enumerate(parts):
            if step and not starts:
                break
            wanted = set(candidates) if step == 0 else set(starts)
            here = self._places(leaf, terms, wanted)
            if step == 0:
                starts = here
                continue
            starts = {
                docnum: kept
                for docnum, begun in starts.items()
                if (kept := {start for start in begun if start + step in here.get(docnum, ())})
            }
        return {docnum: candidates[docnum] for docnum in starts}

    def _places(self, leaf: Leaf, terms: list[Term], wanted: set[int]) -> dict[int, set[int]]:
        """Where any of ``terms`` (alternatives of one phrase part) stands, per wanted document."""
        merged: dict[int, set[int]] = {}
        for term in terms:
            found = self.cache.positions(leaf.reader, term.fieldname, term.text, wanted)
            for docnum, where in found.items():
                if docnum in merged:
                    merged[docnum].update(where)
                else:
                    merged[docnum] = set(where)
        return merged


def _terms_of(query: Query) -> list[Term]:
    """The terms of a phrase part: one term, or alternatives of one field."""
    if isinstance(query, Term):
        return [query]
    if isinstance(query, Or) and all(isinstance(child, Term) for child in query.subqueries):
        return list(query.subqueries)
    raise Unsupported(f"phrase part {type(query).__name__}")


def add_up(parts: list[Scores]) -> Scores:
    """Documents matching any part; their scores add up."""
    parts = [part for part in parts if part]
    if not parts:
        return {}
    parts.sort(key=len, reverse=True)
    total = dict(parts[0])
    for part in parts[1:]:
        for docnum, score in part.items():
            total[docnum] = total.get(docnum, 0.0) + score
    return total


def intersect(parts: list[Scores]) -> Scores:
    """Documents matching every part; their scores add up."""
    if not parts or not all(parts):
        return {}
    parts = sorted(parts, key=len)
    common = parts[0].keys()
    for part in parts[1:]:
        common = common & part.keys()
    documents = list(common)
    totals = map(parts[0].__getitem__, documents)
    for part in parts[1:]:  # added part by part, in the parts' order, as sum() would
        totals = map(add, totals, map(part.__getitem__, documents))
    return dict(zip(documents, totals, strict=True))


def without(kept: Scores, removed: Scores | Iterable[int]) -> Scores:
    """``kept`` minus the documents of ``removed``."""
    if not removed:
        return kept
    gone = removed.keys() if isinstance(removed, dict) else set(removed)
    return {docnum: score for docnum, score in kept.items() if docnum not in gone}


def range_mask(leaf: Leaf, field: str, low: int, high: int) -> int:
    """The documents of a segment whose numeric column ``field`` is within [low, high]."""
    values = leaf.data.column(leaf.reader, field)
    return to_mask(
        (docnum for docnum, value in enumerate(values) if low <= value <= high), leaf.size
    )


def value_mask(leaf: Leaf, field: str, values: Iterable[str]) -> int:
    """The documents of a segment having any of ``values`` in a filter field."""
    masks = leaf.masks(field)
    mask = 0
    for value in values:
        mask |= masks.get(value, 0)
    return mask


__all__ = [
    "Evaluator",
    "Leaf",
    "Scores",
    "SegmentCache",
    "Unsupported",
    "add_up",
    "from_mask",
    "intersect",
    "range_mask",
    "to_mask",
    "value_mask",
    "without",
]
