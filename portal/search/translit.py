"""Scripts: Kazakh Latin (2021 alphabet) and plain ASCII back to Cyrillic, and the folded key.

Reviewers and complainants write Kazakh in three ways: Cyrillic, the 2021 Latin
alphabet (``Qarağandy``), and plain ASCII as people really type it
(``Qaraghandy``, ``Karagandy``, ``urdy``, ``jedel jardem``). Search meets them
in two steps:

1. :func:`to_cyrillic` turns a Latin word back into Cyrillic, as exactly as the
   letters allow: with the 2021 letters (ä ö ü ū ğ q ñ ı ş) the result is exact;
   plain ASCII loses some letters (``a`` for а/ә, ``u`` for у/ұ/ү, ``g`` for
   г/ғ…), so the result is the plain-letter guess (а, у, г…).
2. :func:`fold` maps every word, after stemming, to a *reduced key* in which
   exactly those letters that ASCII cannot tell apart are merged (ә→а, ө→о,
   ұ/ү→у, і/й→и, ғ→г, қ→к, ң→н, һ→х, ё/э→е, ц/тс→с, ь/ъ dropped), doubled letters are
   written once, trailing vowels are dropped and a final б/г devoiced (as
   Kazakh does: кітап/кітабы, соқ-/соғып). ы stays apart from и: Russian needs
   it (был ≠ бил) and ASCII typists write it ``y``.

The alphabet is read from ``portal/data/kk-latin-2021.csv``, the same table
:mod:`portal.text` uses to write facility names in Latin.
"""

from __future__ import annotations

import csv
import re
from functools import cache, lru_cache

from portal.text import LATIN_TABLE

#: Letters only Kazakh Cyrillic has (Russian has none of them).
KAZAKH_LETTERS = frozenset("әғқңөұүһі")

#: Latin letters that only Kazakh Latin uses (q, and the 2021 and 2018 diacritics).
KAZAKH_LATIN_MARKS = frozenset("äöüūğñıqáóúǵńý")

_FOLD = str.maketrans(
    {
        "ә": "а",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "і": "и",
        "й": "и",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "һ": "х",
        "ё": "е",
        "э": "е",
        "ь": None,
        "ъ": None,
        "щ": "ш",
        "ц": "с",
    }
)
_KEY_VOWELS = frozenset("аеиоуыюя")
_DEVOICE = {"б": "п", "г": "к"}
_DOUBLED = re.compile(r"(.)\1+")

#: Multi-letter Latin spellings, longest first (checked before single letters).
_ASCII_DIGRAPHS = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("gh", "ғ"),
    ("kh", "х"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "ё"),
    ("ia", "я"),
    ("iu", "ю"),
    ("io", "ё"),
)
_ASCII_LETTERS = {
    "c": "ц",
    "j": "ж",
    "w": "у",
    "x": "х",
    "y": "ы",
    "é": "е",
    "ç": "ч",
    # The 2018 acute-accent alphabet.
    "á": "ә",
    "ó": "ө",
    "ú": "ү",
    "ǵ": "ғ",
    "ń": "ң",
    "ý": "у",
}
_LATIN_VOWELS = frozenset("aeouäöüūıiy")


@cache
def _latin_letters() -> dict[str, str]:
    """Latin letter → Cyrillic letter from the 2021 table (lower case, first spelling wins)."""
    with LATIN_TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    letters: dict[str, str] = {}
    for row in rows:
        latin = row["latin_lower"].replace("i̇", "i")
        if len(latin) == 1 and latin not in letters:
            letters[latin] = row["cyrillic_lower"]
    letters.update(_ASCII_LETTERS)
    return letters


def is_latin(word: str) -> bool:
    """True when the word has Latin letters (and no Cyrillic ones)."""
    has_latin = False
    for char in word:
        if "а" <= char <= "я" or char in KAZAKH_LETTERS or char == "ё":
            return False
        if (char.isalpha() and char.isascii()) or char in KAZAKH_LATIN_MARKS or char in "çé":
            has_latin = True
    return has_latin


def has_kazakh_letters(word: str) -> bool:
    """True when a lower-case Cyrillic word has a letter only Kazakh uses."""
    return any(char in KAZAKH_LETTERS for char in word)


def _y_is_short_i(word: str, index: int) -> bool:
    """``y`` after a, e or o and before a consonant or the end is й (Kostanay, aytty)."""
    if index == 0 or word[index - 1] not in "aeoäö":
        return False
    following = word[index + 1 : index + 2]
    return not following or following not in _LATIN_VOWELS


@lru_cache(maxsize=5_000)
def to_cyrillic(word: str) -> str:
    """A lower-case Latin word in Cyrillic (``qamauda`` → ``қамауда``, ``urdy`` → ``урды``).

    Handles the 2021 and 2018 alphabets and ASCII digraphs (sh, ch, zh, gh, kh,
    ya/ia, yu/iu; ts stays т+с, as in advokatsyz); a final ``ng`` is ң.
    Characters that are not Latin letters are kept.
    """
    word = word.replace("i̇", "i")
    letters = _latin_letters()
    out: list[str] = []
    index = 0
    while index < len(word):
        if word.startswith("ng", index) and index + 2 == len(word):
            out.append("ң")
            index += 2
            continue
        for latin, cyrillic in _ASCII_DIGRAPHS:
            if word.startswith(latin, index):
                out.append(cyrillic)
                index += len(latin)
                break
        else:
            char = word[index]
            if char == "y" and _y_is_short_i(word, index):
                out.append("й")
            else:
                out.append(letters.get(char, char))
            index += 1
    return "".join(out)


@lru_cache(maxsize=40_000)
def fold(stem: str) -> str:
    """The reduced key of a lower-case Cyrillic stem: what index and query terms meet on.

    ``fold("ұр") == fold("ур")``; ``fold("соққы") == fold("сокы") == "сок"``;
    ``fold("камера") == "камер"`` (the Russian stem of камеры too).
    """
    key = _DOUBLED.sub(r"\1", stem.translate(_FOLD).replace("тс", "с"))
    while len(key) > 2 and key[-1] in _KEY_VOWELS:
        key = key[:-1]
    if len(key) > 2 and key[-1] in _DEVOICE:
        key = key[:-1] + _DEVOICE[key[-1]]
    return key
