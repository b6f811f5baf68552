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
documents of each filter value as a bitmask, the date columns) is read once
per process and kept in a :class:`SegmentCache`.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.query import And, AndNot, Every, Or, Query, Term
from whoosh.query import Sequence as SequenceQuery
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from portal.search.schema import FILTER_FIELDS, NONE

#: Whoosh's BM25F defaults (whoosh.scoring.BM25F).
B, K1 = 0.75, 1.2
#: Segments whose data a process keeps (an index has a handful; old ones are dropped).
CACHED_SEGMENTS = 48
_BIT = bytes(1 << bit for bit in range(8))
_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]

Scores = dict[int, float]


class Unsupported(Exception):
    """A query object this evaluator does not know (the caller may ask Whoosh instead)."""


# --- bitmasks ------------------------------------------------------------------------------


def to_mask(ids: Iterable[int], size: int) -> int:
    """A bitmask (a Python int) with the bits of ``ids`` set."""
    buffer = bytearray(size // 8 + 1)
    for docnum in ids:
        buffer[docnum >> 3] |= _BIT[docnum & 7]
    return int.from_bytes(buffer, "little")


def from_mask(mask: int, size: int) -> list[int]:
    """The docnums whose bits are set in ``mask``, ascending."""
    found: list[int] = []
    for index, byte in enumerate(mask.to_bytes(size // 8 + 1, "little")):
        if byte:
            base = index * 8
            found.extend(base + bit for bit in _BITS[byte])
    return found


# --- raw postings --------------------------------------------------------------------------


def _matcher(reader: IndexReader, field: str, text: str):
    """The term's postings in one segment, deleted documents included; None if absent."""
    btext = reader.schema[field].to_bytes(text)
    if (field, btext) not in reader:
        return None
    return reader._terms.matcher(field, btext, reader.schema[field].format)


def _blocks(matcher) -> Iterator[tuple[Sequence[int], Sequence[float], Any]]:
    """(ids, weights, matcher) per block; the matcher can then read the block's values."""
    if isinstance(matcher, W3LeafMatcher):
        while not matcher._atend:
            matcher._read_ids()
            matcher._read_weights()
            yield matcher._ids, matcher._weights, matcher
            matcher._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():  # inlined postings of rare terms: a handful of documents
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights, None


def _positions(reader: IndexReader, field: str, text: str, wanted: set[int]) -> dict[int, list]:
    """Positions of a term in the ``wanted`` documents of one segment."""
    matcher = _matcher(reader, field, text)
    if matcher is None:
        return {}
    decode = reader.schema[field].format.decode_positions
    found: dict[int, list] = {}
    if not isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            if matcher.id() in wanted:
                found[matcher.id()] = decode(matcher.value())
            matcher.next()
        return found
    for ids, _weights, block in _blocks(matcher):
        if wanted.isdisjoint(ids):
            continue
        block._read_values()
        values = block._values
        for index, docnum in enumerate(ids):
            if docnum in wanted:
                found[docnum] = decode(values[index])
    return found


# --- what a process keeps per segment ------------------------------------------------------


class SegmentData:
    """What never changes while a segment exists: field lengths, filter bitmasks, dates."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lengths: dict[str, bytes] = {}
        self._masks: dict[str, dict[str, int]] = {}
        self._columns: dict[str, array] = {}

    def lengths(self, reader: IndexReader, field: str) -> bytes:
        """One byte per document: Whoosh's encoded length of ``field`` (0: empty)."""
        found = self._lengths.get(field)
        if found is None:
            found = self._lengths[field] = self._read_lengths(reader, field)
        return found

    def _read_lengths(self, reader: IndexReader, field: str) -> bytes:
        column = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
        if column is None:
            return bytes(self.size)
        raw = column._dbfile.get(column._basepos, column._count)
        return bytes(raw[: self.size]).ljust(self.size, b"\0")

    def masks(self, reader: IndexReader, field: str) -> dict[str, int]:
        """Every value of a filter field → the bitmask of its documents in this segment."""
        found = self._masks.get(field)
        if found is None:
            found = {}
            for btext in reader.lexicon(field):
                text = btext.decode("utf-8")
                ids: list[int] = []
                for block_ids, _weights, _block in _blocks(_matcher(reader, field, text)):
                    ids.extend(block_ids)
                found[text] = to_mask(ids, self.size)
            self._masks[field] = found
        return found

    def column(self, reader: IndexReader, field: str) -> array:
        """A numeric column's value for every document (the date columns of the schema)."""
        found = self._columns.get(field)
        if found is None:
            column = reader.column_reader(field, translate=False)
            found = self._columns[field] = array("q", column.load())
        return found

    def received(self, reader: IndexReader) -> array:
        """When each document's complaint was received (microseconds since 1970, UTC)."""
        return self.column(reader, "received")


class SegmentCache:
    """:class:`SegmentData` per segment, shared by a process's threads, oldest dropped."""

    def __init__(self, limit: int = CACHED_SEGMENTS) -> None:
        self.limit = limit
        self._data: OrderedDict[str, SegmentData] = OrderedDict()
        self._lock = threading.Lock()

    def data(self, reader: IndexReader) -> SegmentData:
        """The data of ``reader``'s segment (made empty on first use)."""
        key = reader.segment().segment_id()
        with self._lock:
            found = self._data.get(key)
            if found is None:
                found = self._data[key] = SegmentData(reader.doc_count_all())
                while len(self._data) > self.limit:
                    self._data.popitem(last=False)
            else:
                self._data.move_to_end(key)
            return found


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
        matcher = _matcher(leaf.reader, field, text)
        if matcher is None:
            return {}
        scale = boost * self.searcher.idf(field, text) * (K1 + 1)
        norm = self._norm(field)
        lengths = leaf.data.lengths(leaf.reader, field)
        found: Scores = {}
        for ids, weights, _block in _blocks(matcher):
            found.update(
                zip(
                    ids,
                    [
                        scale * weight / (weight + norm[lengths[docnum]])
                        for docnum, weight in zip(ids, weights, strict=True)
                    ],
                    strict=True,
                )
            )
        for docnum in leaf.deleted.intersection(found):
            del found[docnum]
        return found

    def _sequence(self, leaf: Leaf, query: SequenceQuery) -> Scores:
        """A phrase: every part at consecutive positions of one field."""
        parts = [_terms_of(child) for child in query.subqueries]
        candidates = intersect([self._scores(leaf, child) for child in query.subqueries])
        if not candidates:
            return {}
        wanted = set(candidates)
        places: list[dict[int, set[int]]] = []
        for terms in parts:
            merged: dict[int, set[int]] = {}
            for term in terms:
                found = _positions(leaf.reader, term.fieldname, term.text, wanted)
                for docnum, positions in found.items():
                    merged.setdefault(docnum, set()).update(positions)
            places.append(merged)
        return {
            docnum: score
            for docnum, score in candidates.items()
            if any(
                all(start + step in places[step].get(docnum, ()) for step in range(1, len(places)))
                for start in places[0].get(docnum, ())
            )
        }


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
    return {docnum: sum(part[docnum] for part in parts) for docnum in common}


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


__all__ = ["FILTER_FIELDS", "NONE", "Evaluator", "SegmentCache", "Unsupported", "value_mask"]
