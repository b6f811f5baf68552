"""The index keys of one word: which stemmers see it, and the folded key each one gives.

Every word becomes one or more *keys*: a stem (Kazakh, Russian, or both) folded
by :func:`portal.search.translit.fold`. A word with Kazakh letters, or Latin
with Kazakh marks (q, ğ, ä…), is Kazakh: only the Kazakh stemmer sees it. A
word in the Latin script is first turned back into Cyrillic. Any other word
could be either language, and the sentence decides (:mod:`portal.search.language`).

Indexing may write several keys at one position; a query writes exactly one,
the :attr:`WordKeys.guess`, so that queries and phrases work whatever query
parser settings are used. The guess is always among the keys indexed for the
same word, so a word always finds itself; other forms of it meet on the
shared stem (камерада, камеры and камеру all give ``камер``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from whoosh.lang.snowball.russian import RussianStemmer

from portal.search import kazakh
from portal.search.language import Context, is_stop, word_signal
from portal.search.translit import (
    KAZAKH_LATIN_MARKS,
    fold,
    has_kazakh_letters,
    is_latin,
    to_cyrillic,
)

_RUSSIAN = RussianStemmer()

#: Outermost suffixes (folded) that only Kazakh typed without Kazakh letters
#: ends a word with: a query word ending so is read as Kazakh (берди, урган…).
LOOSE_KAZAKH_ENDINGS = frozenset(
    [
        "ди",
        "ти",
        "ни",
        "ган",
        "кан",
        "нин",
        "дин",
        "тин",
        "нын",
        "дын",
        "тын",
        "сиз",
        "миз",
        "мин",
        "бин",
        "пин",
        "лери",
        "дери",
        "тери",
        "деги",
        "теги",
        "даги",
        "таги",
        "синда",
        "синде",
        "сина",
        "сине",
        "синан",
        "синен",
        "сын",
        "син",
        "ип",
        "дим",
        "тим",
    ]
)

#: A path and a key: ("kk", "камер"), ("ru", "изб"), or ("=", surface word).
Labelled = tuple[str, str]


class WordKeys(NamedTuple):
    """What one lower-case word can become in the index."""

    surface: str
    kazakh: bool
    latin: bool
    kk: str
    loose: str
    ru: str
    guess: Labelled
    signal: int
    stop: bool = False
    #: The folded stem with only a noun's endings off, where it differs from ``kk``
    #: (адвокатын: ``kk`` адвок, ``nominal`` адвокат); looked up in names and terms only.
    nominal: str = ""


def russian_key(word: str) -> str:
    """The folded Russian Snowball stem of a lower-case Cyrillic word."""
    return fold(_RUSSIAN.stem(word))


def _guess(word: str, strict: kazakh.Stemmed, loose: kazakh.Stemmed) -> Labelled:
    """The one key a query uses for a Cyrillic word without Kazakh letters.

    Kazakh when a Kazakh suffix comes off by the strict rules (камерада,
    адвокатсыз), or an ending only Kazakh typed without its letters has
    (берди, урган); Russian otherwise, and for a lone -у, which is far more often
    the Russian accusative (пару, камеру) than a Kazakh verbal noun.
    """
    if strict.suffixes and strict.suffixes != ("у",):
        return ("kk", fold(strict.stem))
    if loose.suffixes and loose.suffixes[0] in LOOSE_KAZAKH_ENDINGS:
        return ("kk", fold(loose.stem))
    return ("ru", russian_key(word))


@lru_cache(maxsize=20_000)
def word_keys(word: str) -> WordKeys:
    """The keys of a lower-case word (ё already folded to е)."""
    if word.isdigit() or len(word) < 2:
        stop = is_stop(to_cyrillic(word) if is_latin(word) else word)
        return WordKeys(word, False, False, word, word, word, ("kk", word), 0, stop)
    if is_latin(word):
        marked = any(char in KAZAKH_LATIN_MARKS for char in word) or "gh" in word
        cyrillic = to_cyrillic(word)
        stemmed = kazakh.analyse(cyrillic, lenient=True)
        kk = fold(stemmed.stem)
        ru = "" if marked else russian_key(cyrillic)
        # Latin in a complaint portal is Kazakh (Russian speakers write Cyrillic),
        # and the Russian stemmer would cut Kazakh words (zhardem → жард).
        guess = ("kk", kk)
        signal = 1 if marked else 0
        nominal = _nominal(cyrillic, kk, lenient=True)
        return WordKeys(word, marked, True, kk, kk, ru, guess, signal, is_stop(cyrillic), nominal)
    if has_kazakh_letters(word):
        stemmed = kazakh.analyse(word)
        lenient = not stemmed.suffixes
        if lenient:
            stemmed = kazakh.analyse(word, lenient=True)
        kk = fold(stemmed.stem)
        nominal = _nominal(word, kk, lenient)
        return WordKeys(word, True, False, kk, kk, "", ("kk", kk), 1, is_stop(word), nominal)
    strict = kazakh.analyse(word)
    loose = kazakh.analyse(word, lenient=True)
    kk = fold(strict.stem)
    return WordKeys(
        word,
        False,
        False,
        kk,
        fold(loose.stem),
        russian_key(word),
        _guess(word, strict, loose),
        word_signal(word, False),
        is_stop(word),
        _nominal(word, kk, lenient=False),
    )


def _nominal(word: str, key: str, lenient: bool) -> str:
    """The folded noun-endings-only stem of ``word`` when it differs from its key."""
    nominal = fold(kazakh.nominal_stem(word, lenient))
    return "" if nominal == key else nominal


@lru_cache(maxsize=20_000)
def index_keys(keys: WordKeys, context: Context | None) -> tuple[Labelled, ...]:
    """The labelled keys indexed for a word in a sentence of this language."""
    if keys.kazakh:
        return (("kk", keys.kk),)
    found: list[Labelled] = [keys.guess]
    if keys.latin:
        if context != "ru":
            found.append(("kk", keys.kk))
        if context != "kk" and keys.ru:
            found.append(("ru", keys.ru))
    elif context == "kk":
        # Russian words inside Kazakh sentences are common (code-switching).
        found += [("kk", keys.kk), ("kk", keys.loose), ("ru", keys.ru)]
    elif context == "ru":
        found.append(("ru", keys.ru))
    else:
        found += [("kk", keys.kk), ("ru", keys.ru)]
    return tuple(dict.fromkeys(found))
