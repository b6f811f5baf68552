"""Which language a stretch of complaint text is in, word by word cheap enough for every document.

Complaints are in Kazakh, Russian or both (code-switching inside a sentence is
common), and Kazakh is often typed on a Russian keyboard, without қ ғ ң ұ ү ө ә і.
The analyzer only needs to know, for a word without Kazakh letters, whether
the Russian stemmer, the Kazakh one, or both should see it. A sentence is
*Kazakh* when its Kazakh signals (words with Kazakh letters, Kazakh function
words however typed) clearly outnumber its Russian ones (Russian function
words), *Russian* the other way round, and *mixed* otherwise.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

from portal.search.kazakh import lenient_view

Context = Literal["kk", "ru", "mixed"]

FUNCTION_WORDS = Path(__file__).parent.parent / "data" / "search-function-words.csv"


@cache
def _function_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(Russian words, Kazakh words, stop words); Kazakh and stop words in their folded view."""
    with FUNCTION_WORDS.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if not row["lang"].startswith("#")]
    russian = frozenset(row["word"] for row in rows if row["lang"] == "ru")
    kazakh = frozenset(lenient_view(row["word"]) for row in rows if row["lang"] == "kk")
    stop = frozenset(lenient_view(row["word"]) for row in rows if row["stop"] == "yes")
    return russian, kazakh, stop


def is_stop(word: str) -> bool:
    """Whether a lower-case Cyrillic word is a function word search leaves out (не, в, мен, да).

    Such words cannot match across languages (Kazakh negation is a suffix, its
    cases are endings), so a query keeps its content words only.
    """
    return lenient_view(word) in _function_words()[2]


def word_signal(word: str, kazakh_letters: bool) -> int:
    """+1 for a Kazakh signal, -1 for a Russian one, 0 for neither (lower-case word)."""
    if kazakh_letters:
        return 1
    russian, kazakh, _stop = _function_words()
    if word in russian:
        return -1
    if lenient_view(word) in kazakh:
        return 1
    return 0


def decide(kazakh: int, russian: int) -> Context | None:
    """The context from signal counts, or None when there is no signal at all."""
    if not kazakh and not russian:
        return None
    if kazakh >= 3 * russian:
        return "kk"
    if russian >= 3 * kazakh:
        return "ru"
    return "mixed"


def context_of(signals: Iterable[int]) -> Context | None:
    """The context of a run of word signals (see :func:`word_signal`)."""
    kazakh = russian = 0
    for signal in signals:
        if signal > 0:
            kazakh += 1
        elif signal < 0:
            russian += 1
    return decide(kazakh, russian)
