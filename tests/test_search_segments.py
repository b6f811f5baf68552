"""What the search service keeps per segment reads the same as Whoosh, and stays bounded.

The bulk readers (postings, positions) and their caches replace Whoosh's
one-posting-a-call interface; these tests hold them to Whoosh's own answers.
"""

from __future__ import annotations

import gc
import random
import threading
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.formats import Positions

from portal.search import catch_up
from portal.search.segments import (
    SegmentCache,
    decode_positions,
    from_mask,
    positions,
    read_positions,
    read_postings,
    to_flags,
    to_mask,
)
from portal.search.service import without_collection
from tests import factories


def test_positions_are_decoded_as_whoosh_decodes_them():
    chooser, encoding = random.Random(9), Positions()  # noqa: S311 - test data, not secrets
    for _ in range(5000):
        count = chooser.choice((1, 1, 2, 3, 8, 60))
        spread = chooser.choice((200, 70_000, 5_000_000))
        where = sorted(chooser.sample(range(spread), count))
        value = encoding.encode(where)
        assert decode_positions(value) == encoding.decode_positions(value) == where


def test_bitmasks_round_trip():
    ids = [0, 1, 7, 8, 63, 64, 999]
    assert from_mask(to_mask(ids, 1000), 1000) == ids
    assert from_mask(0, 10) == []
    flags = to_flags(to_mask(ids, 1000), 1000)
    assert len(flags) == 1000 and [number for number, flag in enumerate(flags) if flag] == ids
    assert to_flags(0, 3) == bytes(3)


@pytest.fixture
def segment(db, app):
    """A one-segment index of 300 complaints, two words in every one of them."""
    folder = Path(app.config["INDEX_DIR"])
    for number in range(300):
        factories.complaint(
            db, narrative=f"Конвоир ударил задержанного, задержанный {number} упал у двери."
        )
    db.commit()
    catch_up(db, folder)
    ix = whoosh_index.open_dir(str(folder))
    searcher = ix.searcher()
    [(leaf, _offset)] = searcher.leaf_searchers()
    yield leaf.reader()
    searcher.close()
    ix.close()


def _whoosh_postings(reader, field, text):
    postings = reader.postings(field, text)
    found = []
    while postings.is_active():
        found.append((postings.id(), postings.weight(), postings.value_as("positions")))
        postings.next()
    return found


def test_bulk_readers_and_caches_give_whooshs_postings(segment):
    term = next(text.decode() for text in segment.lexicon("narrative") if text.startswith(b"\xd1"))
    expected = _whoosh_postings(segment, "narrative", term)
    assert len(expected) == 300
    ids, weights = read_postings(segment, "narrative", term)
    assert list(zip(ids, weights, strict=True)) == [(d, w) for d, w, _p in expected]
    ids, starts, flat = read_positions(segment, "narrative", term)
    assert [list(flat[starts[i] : starts[i + 1]]) for i in range(len(ids))] == [
        p for _d, _w, p in expected
    ]
    wanted = {0, 5, 299}
    direct = positions(segment, "narrative", term, wanted)
    cache = SegmentCache()
    cached = cache.positions(segment, "narrative", term, wanted)
    assert (
        {d: list(p) for d, p in cached.items()}
        == direct
        == {d: p for d, _w, p in expected if d in wanted}
    )
    assert cache.postings(segment, "narrative", term) == read_postings(segment, "narrative", term)


def test_the_postings_cache_stays_within_its_budget(segment):
    cache = SegmentCache(budget=700)
    terms = [text.decode() for text in segment.lexicon("narrative")]
    frequent = [term for term in terms if segment.doc_frequency("narrative", term) >= 256]
    assert len(frequent) >= 3
    for term in frequent:
        cache.postings(segment, "narrative", term)
        assert cache.held() <= 700
    assert cache.held() > 0


def test_collection_pauses_during_searches_and_resumes_after_the_last():
    assert gc.isenabled()
    inside = threading.Event()
    release = threading.Event()

    def another_search():
        with without_collection():
            inside.set()
            release.wait(5)

    with without_collection():
        assert not gc.isenabled()
        thread = threading.Thread(target=another_search)
        thread.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other search still runs
    release.set()
    thread.join()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), without_collection():
        raise RuntimeError("a failed search")
    assert gc.isenabled()


class _Reader:
    """Just what SegmentCache.data() asks of a segment reader: its id and its size."""

    def __init__(self, name: str, size: int) -> None:
        self.name, self.size = name, size

    def segment(self):
        return self

    def segment_id(self) -> str:
        return self.name

    def doc_count_all(self) -> int:
        return self.size


def test_every_segment_of_a_large_index_keeps_its_data_across_queries():
    # A rebuilt index of 1,000,000 complaints has 100 segments of 10,000: each query
    # visits them all, so a cache that kept fewer would read every one again each time.
    cache = SegmentCache()
    readers = [_Reader(f"segment-{number}", 10_000) for number in range(100)]
    first = [cache.data(reader) for reader in readers]
    again = [cache.data(reader) for reader in readers]
    assert all(kept is made for kept, made in zip(again, first, strict=True))


def test_segment_data_stays_within_its_document_limit():
    cache = SegmentCache(limit=25_000)
    old, newer, newest = (_Reader(name, 10_000) for name in ("old", "newer", "newest"))
    kept_old, kept_newer = cache.data(old), cache.data(newer)
    cache.data(old)  # used again: the least recently used is now "newer"
    cache.data(newest)
    assert cache.data(old) is kept_old
    assert cache.data(newer) is not kept_newer  # dropped, made anew
    huge = _Reader("huge", 90_000)
    assert cache.data(huge) is cache.data(huge)  # one segment over the limit is still kept
