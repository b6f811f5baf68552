"""A Kazakh suffix-stripping stemmer (there is no usable one on PyPI or in Snowball).

Kazakh words are a root followed by suffixes in a fixed order: plural,
possessive, case, and for verbs voice, negation, tense or converb and person
(``камера-лар-ы-нда``, ``ұр-ыл-ма-ды``). :func:`stem` strips them from the right,
one slot at a time and only inwards (see :mod:`portal.search.kazakh_suffixes`),
and only where Kazakh would put them:

- *consonant assimilation*: ``-да`` after vowels and voiced sounds, ``-та``
  after voiceless ones (so правда keeps its -да: в takes -та);
- *vowel harmony*: a back suffix after a back vowel, a front one after a front
  vowel (so участке keeps its -ке: а takes -қа); и, у and ю go with either;
- *length*: a stem keeps at least three letters, or is one of the two-letter
  roots listed in ``portal/data/kazakh-stem-exceptions.csv`` (ұр, ал, ет…);
- *exceptions*: words whose ending only looks like a suffix (тұтқын, бөлім,
  азап, Қарағанды…) are left alone, from the same file.

Russian loanwords lose their Kazakh suffixes like any word (камерасында →
камера, адвокатсыз → адвокат, электрошокермен → электрошокер).

Two modes: *strict* for Kazakh Cyrillic, where қ ғ ң ұ ү ө ә і are written and
checked; *lenient* for Latin and ASCII typed text turned into Cyrillic
(``kameraga`` → ``камерага``), where those letters are lost: suffixes are
compared after folding (ға = га, ды = ди) and harmony only where it is certain
(е is front, ы is back).
"""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from portal.search.kazakh_suffixes import (
    AFTER,
    PASSIVE,
    PLURAL,
    POSSESSIVE,
    VERBALIZER,
    suffix_rows,
)

EXCEPTIONS = Path(__file__).parent.parent / "data" / "kazakh-stem-exceptions.csv"

_LENIENT = str.maketrans("әөұүіғқңһёэй", "аоууигкнхееи")
_STRICT_NEUTRAL = frozenset("иую")
_STRICT_BACK = frozenset("аоұыяё")
_STRICT_FRONT = frozenset("әеөүіэ")
_LETTERS_WITH_VOWEL = frozenset("аәеоөұүыіиэюяёу")
_MIN_STEM = 3


class Suffix(NamedTuple):
    """One strippable suffix in one mode's spelling."""

    text: str
    rank: int
    after: frozenset[str]
    flags: str
    harmony: str


class Stemmed(NamedTuple):
    """A stem and the suffixes taken off, outermost first."""

    stem: str
    suffixes: tuple[str, ...]


def lenient_view(word: str) -> str:
    """The word with the letters ASCII cannot write folded (қ→к, і→и…), one for one."""
    return word.translate(_LENIENT)


@cache
def _exceptions() -> tuple[frozenset[str], frozenset[str]]:
    """(protected words, two-letter roots), both in their lenient view."""
    with EXCEPTIONS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    protected = {lenient_view(row["word"]) for row in rows if row["kind"] == "protect"}
    roots = {lenient_view(row["word"]) for row in rows if row["kind"] == "root"}
    return frozenset(protected), frozenset(roots)


@cache
def _suffixes(lenient: bool) -> tuple[Suffix, ...]:
    """The suffix table for a mode, longest first."""
    table: dict[tuple[str, int, str, str], Suffix] = {}
    for text, rank, after, flags, harmony in suffix_rows():
        if lenient:
            text = lenient_view(text)
            after_set = frozenset(lenient_view("".join(AFTER[after])))
            harmony = "back" if "ы" in text or "а" in text else ("front" if "е" in text else "")
            if text in ("мен", "бен", "пен", "менен", "бенен", "пенен"):
                harmony = ""
        else:
            after_set = AFTER[after]
        key = (text, rank, after, flags)
        table.setdefault(key, Suffix(text, rank, after_set, flags, harmony))
    return tuple(sorted(table.values(), key=lambda suffix: (-len(suffix.text), suffix.rank)))


def _harmony_allows(stem: str, harmony: str, lenient: bool) -> bool:
    """Whether a suffix of this harmony may follow this stem.

    An е after a back vowel is a loanword's (Тоқаевқа, Қонаевта): either goes.
    """
    if not harmony:
        return True
    for index in range(len(stem) - 1, -1, -1):
        char = stem[index]
        if char in "еэ" and any(vowel in _STRICT_BACK for vowel in stem[:index]):
            return True
        if lenient:
            if char == "е":
                return harmony == "front"
            if char == "ы":
                return harmony == "back"
            if char in "аоуияю":
                return True
        else:
            if char in _STRICT_NEUTRAL:
                return True
            if char in _STRICT_BACK:
                return harmony == "back"
            if char in _STRICT_FRONT:
                return harmony == "front"
    return True


def _stem_allowed(view: str) -> bool:
    """Whether what is left after a suffix may stand as a stem."""
    if not any(char in _LETTERS_WITH_VOWEL for char in view):
        return False
    if len(view) >= _MIN_STEM:
        return True
    return lenient_view(view) in _exceptions()[1]


def _protected(view: str) -> bool:
    """Words whose ending only looks like a suffix."""
    folded = lenient_view(view)
    return folded in _exceptions()[0] or folded.endswith("стан")


def _fits(view: str, suffix: Suffix, state: tuple[int, bool, bool, bool], lenient: bool) -> bool:
    """Whether ``suffix`` may come off the end of ``view`` in this state.

    The state is (rank reached, verbal, converb opened, surely verbal).
    """
    rank, verbal, opener, strong = state
    if suffix.rank <= rank or not view.endswith(suffix.text):
        return False
    flags = suffix.flags
    if ("n" in flags and not verbal) or ("k" in flags and not opener):
        return False
    if "m" in flags and not strong:
        return False
    rest = view[: -len(suffix.text)]
    if not rest or rest[-1] not in suffix.after or not _stem_allowed(rest):
        return False
    if (suffix.text in ("п", "л", "т") or suffix.rank == VERBALIZER) and len(rest) < 4:
        return False
    if suffix.rank == PASSIVE and suffix.text == "л" and rest[-1] not in "ае":
        return False
    return _harmony_allows(rest, suffix.harmony, lenient)


def _strip(
    view: str, state: tuple[int, bool, bool, bool], lenient: bool, limit: int = VERBALIZER
) -> tuple[str, ...]:
    """The suffixes that come off ``view`` from this state, outermost first.

    Of the suffixes that fit, the one that lets the most come off in all wins
    (ұрғаны is ұр-ған-ы, not ұрға-ны); on a tie, the longer suffix. Only
    suffixes of a slot up to ``limit`` are considered.
    """
    if _protected(view):
        return ()
    best: tuple[str, ...] = ()
    best_length = 0
    for suffix in _suffixes(lenient):
        if best_length >= len(view) - 2:
            break
        if suffix.rank > limit or not _fits(view, suffix, state, lenient):
            continue
        flags = suffix.flags
        new_rank = suffix.rank
        if "s" in flags:
            new_rank = max(new_rank, POSSESSIVE)
        if "p" in flags:
            new_rank = PLURAL
        rest = view[: -len(suffix.text)]
        verbal = state[1] or "v" in flags or "w" in flags
        strong = state[3] or "w" in flags
        inner = _strip(rest, (new_rank, verbal, "c" in flags, strong), lenient, limit)
        if "x" in flags and not inner:
            continue
        length = len(suffix.text) + sum(len(part) for part in inner)
        if length > best_length:
            best, best_length = (suffix.text, *inner), length
    return best


@lru_cache(maxsize=40_000)
def analyse(word: str, lenient: bool = False) -> Stemmed:
    """The stem of a lower-case Cyrillic word and the suffixes taken off it."""
    view = lenient_view(word) if lenient else word.replace("ё", "е")
    suffixes = _strip(view, (0, False, False, False), lenient)
    length = len(word) - sum(len(suffix) for suffix in suffixes)
    return Stemmed(word[:length], suffixes)


@lru_cache(maxsize=40_000)
def nominal_stem(word: str, lenient: bool = False) -> str:
    """The stem with only a noun's endings taken off (person, case, possessive, plural).

    A Russian loanword with a Kazakh ending can also read as a verb form:
    адвокатын is адвокат-ын ("their lawyer") but also fits адвок-атын (a
    participle), which :func:`analyse` prefers because more comes off. Lists of
    names and terms also look a word up by this stem, so that адвокатын is the
    lawyer and кабинетінде the office.
    """
    view = lenient_view(word) if lenient else word.replace("ё", "е")
    suffixes = _strip(view, (0, False, False, False), lenient, PLURAL)
    return word[: len(word) - sum(len(suffix) for suffix in suffixes)]


def stem(word: str, lenient: bool = False) -> str:
    """The stem of a lower-case Cyrillic word (камерасында → камера, ұрмады → ұр)."""
    return analyse(word, lenient).stem
