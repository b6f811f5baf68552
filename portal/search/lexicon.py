"""Word lists matched on keys: places and the thesaurus share this.

An entry is a name or term of one or more words (``Нұр-Сұлтан``, ``жедел
жәрдем``, ``видеокамера``), the language its words are read in (``kk``, ``ru``,
or ``any``), and the tokens it adds to the index (``city:astana``,
``syn:ambulance``). Each word of an entry is reduced to its keys exactly like
complaint text (:mod:`portal.search.keys`), so every inflected form of an entry
(Астанада, в Нур-Султане, жедел жәрдемді) matches it. A word written ``=word``
matches only that exact form (``=скорую``: its stem скор- would also match
скоро).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from portal.search.keys import Labelled, russian_key, word_keys

DATA = Path(__file__).parent.parent / "data"


class Entry(NamedTuple):
    """What a matched entry adds: its tokens, the first being the one a query uses."""

    tokens: tuple[str, ...]
    capital: bool


def entry_words(phrase: str) -> list[str]:
    """The lower-case words of a name or term (split on spaces and hyphens)."""
    return phrase.casefold().replace("ё", "е").replace("-", " ").split()


def russian_forms(word: str) -> list[str]:
    """A Russian word and its commonest case forms (Snowball stems султан and султане apart)."""
    if word[-1:] in "ая":
        return [word] + [word[:-1] + ending for ending in ("ы", "и", "е", "у", "ю", "ой", "ей")]
    if word[-1:] in "ьй":
        return [word] + [word[:-1] + ending for ending in ("я", "и", "е", "ю", "ем")]
    if word[-1:] in "оеиыу":
        return [word]
    return [word] + [word + ending for ending in ("а", "е", "у", "ом", "ы", "ов")]


def _labels(word: str, lang: str) -> set[Labelled]:
    """The labelled keys an entry word may match."""
    if word.startswith("="):
        return {("=", word[1:])}
    keys = word_keys(word)
    labels: set[Labelled] = set()
    if lang in ("kk", "any"):
        labels |= {("kk", keys.kk), ("kk", keys.loose)}
    if lang in ("ru", "any") and keys.ru:
        labels |= {("ru", russian_key(form)) for form in russian_forms(word)}
    if lang == "any":
        labels.add(keys.guess)
    return labels


class Lexicon:
    """Entries keyed by the labelled keys of their words."""

    def __init__(self, entries: Iterable[tuple[str, str, Sequence[str], bool]]) -> None:
        """Index ``(phrase, lang, tokens, capital_only)`` entries."""
        self.table: dict[tuple[Labelled, ...], Entry] = {}
        self.longest: dict[Labelled, int] = {}
        for phrase, lang, tokens, capital in entries:
            words = entry_words(phrase)
            for combination in itertools.product(*(_labels(word, lang) for word in words)):
                old = self.table.get(combination)
                merged = tuple(dict.fromkeys((*(old.tokens if old else ()), *tokens)))
                self.table[combination] = Entry(merged, capital and (not old or old.capital))
                first = combination[0]
                self.longest[first] = max(self.longest.get(first, 0), len(combination))

    def match(self, labels: Sequence[Sequence[Labelled]], start: int) -> tuple[int, Entry] | None:
        """The longest entry starting at word ``start``: (number of words, entry)."""
        longest = max((self.longest.get(label, 0) for label in labels[start]), default=0)
        for length in range(min(longest, len(labels) - start), 0, -1):
            for combination in itertools.product(*labels[start : start + length]):
                entry = self.table.get(combination)
                if entry is not None:
                    return length, entry
        return None


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of a CSV file in ``portal/data``."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if not row[next(iter(row))].startswith("#")]
