"""What a process keeps of each index segment, and how postings are read from it.

A segment never changes while it exists, except for deletions; so its field
lengths, the documents of each filter value (as bitmasks), its date columns
and the postings of its frequent terms are read once per process and shared by
the process's threads (:class:`SegmentCache`), keyed by the segment's id.

Postings are read a block at a time from Whoosh's W3 format: each block is one
zlib-compressed pickle of (ids, weights, values), and unpickling a narrative
block (its values are the positions) is most of what a query costs. The ids
and weights of terms with many postings are kept in compact arrays (8 bytes a
posting) up to :data:`POSTINGS_BUDGET`, least recently used first out:
reviewers ask for the same frequent words (камера, избили, адвокат) again and
again.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from pickle import loads
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import IndexReader

#: Documents whose segment data a process keeps, summed over segments: every segment of
#: an index of a few million complaints. Segments a merge replaced go first (least
#: recently used). A count of segments would not do: a rebuilt index of 1,000,000
#: complaints has 100, and a cache of fewer than that reads every segment's data anew
#: on every query (seven seconds a query, measured).
CACHED_DOCUMENTS = 4_000_000
#: Postings whose ids and weights a process keeps (8 bytes each: 64 MB).
POSTINGS_BUDGET = 8_000_000
#: Terms with fewer postings in a segment are read each time (cheap, and many).
CACHED_FROM = 256
_BIT = bytes(1 << bit for bit in range(8))
_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]
_FLAGS = [bytes(byte >> bit & 1 for bit in range(8)) for byte in range(256)]


# --- bitmasks ------------------------------------------------------------------------------


def to_mask(ids: Iterable[int], size: int) -> int:
    """A bitmask (a Python int) with the bits of ``ids`` set."""
    buffer = bytearray(size // 8 + 1)
    for docnum in ids:
        buffer[docnum >> 3] |= _BIT[docnum & 7]
    return int.from_bytes(buffer, "little")


def to_flags(mask: int, size: int) -> bytes:
    """One byte per document of a segment of ``size``: 1 where ``mask`` has its bit, else 0."""
    packed = mask.to_bytes((size + 7) // 8 or 1, "little")
    return b"".join(map(_FLAGS.__getitem__, packed))[:size]


def from_mask(mask: int, size: int) -> list[int]:
    """The docnums whose bits are set in ``mask``, ascending."""
    found: list[int] = []
    for index, byte in enumerate(mask.to_bytes(size // 8 + 1, "little")):
        if byte:
            base = index * 8
            found.extend(base + bit for bit in _BITS[byte])
    return found


# --- raw postings --------------------------------------------------------------------------
# Whoosh's W3 matcher is read a block at a time through its private members (``_read_ids``,
# ``_ids`` …): its public interface is one posting per call, which is the cost avoided here.


def term_matcher(reader: IndexReader, field: str, text: str):
    """The term's postings in one segment, deleted documents included; None if absent."""
    btext = reader.schema[field].to_bytes(text)
    if (field, btext) not in reader:
        return None
    return reader._terms.matcher(field, btext, reader.schema[field].format)


def blocks(postings) -> Iterator[tuple[Sequence[int], Sequence[float], Any]]:
    """(ids, weights, block) per block; ``block`` can then read the block's values."""
    if isinstance(postings, W3LeafMatcher):
        while not postings._atend:
            postings._read_ids()
            postings._read_weights()
            yield postings._ids, postings._weights, postings
            postings._next_block()
        return
    ids, weights = [], []
    while postings.is_active():  # inlined postings of rare terms: a handful of documents
        ids.append(postings.id())
        weights.append(postings.weight())
        postings.next()
    yield ids, weights, None


_PICKLED_LIST = b"\x80\x02]q\x00"  # protocol 2, an empty list, memo 0
_ONE_BYTE, _TWO_BYTES, _MARK, _APPENDS = 0x4B, 0x4D, 0x28, 0x65


def decode_positions(value: bytes) -> list[int]:
    """Whoosh's Positions value (a count, then a pickled list of gaps) as positions.

    Whoosh unpickles every value; the lists of small gaps it writes are read
    here byte by byte, three times as fast, and anything else is unpickled.
    """
    if value[4:9] == _PICKLED_LIST:
        code = value[9]
        if code == _ONE_BYTE:
            return [value[10]]
        if code == _TWO_BYTES:
            return [value[10] | value[11] << 8]
        if code == _MARK:
            found, position, index = [], 0, 10
            while True:
                code = value[index]
                if code == _ONE_BYTE:
                    position += value[index + 1]
                    index += 2
                elif code == _TWO_BYTES:
                    position += value[index + 1] | value[index + 2] << 8
                    index += 3
                elif code == _APPENDS:
                    return found
                else:
                    break
                found.append(position)
    position, found = 0, []
    # The index folder is the portal's own, trusted like its pickled schema (see store.py).
    for gap in loads(value[4:] if value.endswith(b".") else value[4:] + b"."):  # noqa: S301
        position += gap
        found.append(position)
    return found


def positions(reader: IndexReader, field: str, text: str, wanted: set[int]) -> dict[int, list]:
    """Positions of a term in the ``wanted`` documents of one segment.

    A block is unpickled only when a wanted document may be in it: its header
    gives its last id, the previous block's last id bounds its first.
    """
    postings = term_matcher(reader, field, text)
    if postings is None:
        return {}
    found: dict[int, list] = {}
    if not isinstance(postings, W3LeafMatcher):
        while postings.is_active():
            if postings.id() in wanted:
                found[postings.id()] = decode_positions(postings.value())
            postings.next()
        return found
    ordered, previous = sorted(wanted), -1
    while not postings._atend:
        last = postings._maxid
        first_wanted = bisect_right(ordered, previous)
        if first_wanted < len(ordered) and ordered[first_wanted] <= last:
            postings._read_ids()
            postings._read_values()
            values = postings._values
            for index, docnum in enumerate(postings._ids):
                if docnum in wanted:
                    found[docnum] = decode_positions(values[index])
        previous = last
        postings._next_block()
    return found


def read_positions(reader: IndexReader, field: str, text: str) -> tuple[array, array, array]:
    """Every posting's positions of a term in one segment, compactly.

    (ids, starts, flat): the positions of ``ids[i]`` are
    ``flat[starts[i] : starts[i + 1]]``.
    """
    ids, starts, flat = array("i"), array("i"), array("i")
    postings = term_matcher(reader, field, text)
    if isinstance(postings, W3LeafMatcher):
        while not postings._atend:
            postings._read_ids()
            postings._read_values()
            for docnum, value in zip(postings._ids, postings._values, strict=True):
                ids.append(docnum)
                starts.append(len(flat))
                flat.extend(decode_positions(value))
            postings._next_block()
    elif postings is not None:
        while postings.is_active():
            ids.append(postings.id())
            starts.append(len(flat))
            flat.extend(decode_positions(postings.value()))
            postings.next()
    starts.append(len(flat))
    return ids, starts, flat


def read_postings(reader: IndexReader, field: str, text: str) -> tuple[array, array]:
    """Every posting of a term in one segment: (ids, weights), deleted documents included."""
    ids, weights = array("i"), array("f")
    postings = term_matcher(reader, field, text)
    if postings is not None:
        for block_ids, block_weights, _block in blocks(postings):
            ids.extend(block_ids)
            weights.extend(block_weights)
    return ids, weights


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
                ids, _weights = read_postings(reader, field, text)
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
    """:class:`SegmentData` per segment and frequent terms' postings, shared by threads."""

    def __init__(self, limit: int = CACHED_DOCUMENTS, budget: int = POSTINGS_BUDGET) -> None:
        self.limit = limit
        self.budget = budget
        self._data: OrderedDict[str, SegmentData] = OrderedDict()
        self._documents = 0
        self._postings: OrderedDict[tuple, tuple[array, ...]] = OrderedDict()
        self._sizes: dict[tuple, int] = {}
        self._held = 0
        self._lock = threading.Lock()

    def postings(self, reader: IndexReader, field: str, text: str) -> tuple[array, array]:
        """A term's (ids, weights) in ``reader``'s segment, kept when the term is frequent."""
        key = (reader.segment().segment_id(), field, text)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        found = read_postings(reader, field, text)
        if len(found[0]) >= CACHED_FROM:
            self._keep(key, found, len(found[0]))
        return found

    def _keep(self, key: tuple, entry: tuple, size: int) -> None:
        """Keep ``entry`` (``size`` in postings of 8 bytes), dropping the least recently used."""
        with self._lock:
            if key not in self._postings:
                self._postings[key] = entry
                self._sizes[key] = size
                self._held += size
                while self._held > self.budget and self._postings:
                    dropped, _entry = self._postings.popitem(last=False)
                    self._held -= self._sizes.pop(dropped)

    def positions(
        self, reader: IndexReader, field: str, text: str, wanted: set[int]
    ) -> dict[int, Sequence[int]]:
        """Positions of a term in the ``wanted`` documents of ``reader``'s segment.

        A frequent term's positions are kept (phrases recur); a rare one is read
        each time, only the blocks that may hold a wanted document.
        """
        key = (reader.segment().segment_id(), field, text, "positions")
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
        if found is None:
            if reader.doc_frequency(field, text) < CACHED_FROM:
                return positions(reader, field, text, wanted)
            found = read_positions(reader, field, text)
            self._keep(key, found, (len(found[0]) + len(found[2])) // 2)
        ids, starts, flat = found
        return {
            docnum: flat[starts[index] : starts[index + 1]]
            for index, docnum in enumerate(ids)
            if docnum in wanted
        }

    def held(self) -> int:
        """About how many postings are kept."""
        return self._held

    def data(self, reader: IndexReader) -> SegmentData:
        """The data of ``reader``'s segment (made empty on first use)."""
        key = reader.segment().segment_id()
        with self._lock:
            found = self._data.get(key)
            if found is None:
                found = self._data[key] = SegmentData(reader.doc_count_all())
                self._documents += found.size
                while self._documents > self.limit and len(self._data) > 1:
                    _key, dropped = self._data.popitem(last=False)
                    self._documents -= dropped.size
            else:
                self._data.move_to_end(key)
            return found
