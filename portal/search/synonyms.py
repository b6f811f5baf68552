"""The search thesaurus: a small, reviewed list of kk ↔ ru terms that meet on one token.

``portal/data/search-thesaurus.csv`` groups the words reviewers search most
(beating: избиение, избить, ұру, соққы…; ambulance: скорая помощь, жедел
жәрдем…) into concepts. The analyzer adds ``syn:<concept>`` at the position of
any inflected form of any term, and a query naming a term searches for its
concept, so a Russian query finds Kazakh complaints and the other way round.

A query naming a concept also finds, ranked after, complaints naming a related
one (``portal/data/search-related.csv``: extortion told as money demanded, the
cold as no heating): :func:`related`.

Terms are read in their own language only (``kk`` terms through the Kazakh
stemmer, ``ru`` through the Russian one, ``any`` through both): Russian пару
('a couple') never becomes Kazakh пара ('bribe').
"""

from __future__ import annotations

from functools import cache

from portal.search.lexicon import Lexicon, read_rows

THESAURUS_FILE = "search-thesaurus.csv"
RELATED_FILE = "search-related.csv"
PREFIX = "syn:"


@cache
def thesaurus() -> Lexicon:
    """The thesaurus terms, keyed for matching complaint and query text."""
    return Lexicon(
        (row["term"], row["lang"], [PREFIX + row["concept"]], False)
        for row in read_rows(THESAURUS_FILE)
    )


def concepts() -> dict[str, list[tuple[str, str]]]:
    """Each concept's terms as (language, term), in file order (for docs and review)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for row in read_rows(THESAURUS_FILE):
        found.setdefault(row["concept"], []).append((row["lang"], row["term"]))
    return found


@cache
def _related_table() -> dict[str, tuple[tuple[str, float], ...]]:
    table: dict[str, list[tuple[str, float]]] = {}
    for row in read_rows(RELATED_FILE):
        table.setdefault(PREFIX + row["concept"], []).append(
            (PREFIX + row["related"], float(row["weight"]))
        )
    return {token: tuple(pairs) for token, pairs in table.items()}


def related(token: str) -> tuple[tuple[str, float], ...]:
    """The concept tokens a query for ``token`` also finds, each with its weight (< 1)."""
    return _related_table().get(token, ())
