"""Concepts a complaint states with a number: a minor's age, the cold, a sum of money.

Complaints often give the figure instead of the word: ``ему 16 лет`` or ``он
бес жасар ұлым`` for a minor, ``в камере +8`` for the cold, ``потребовали 300
тысяч`` for money demanded. A search for ``несовершеннолетний``, ``холодно`` or
``вымогательство`` should find them. :func:`stated_concepts` finds, in a text's
words (stop words included), the words that state one of these, and the
analyzer indexes the concept's thesaurus token there (``syn:minor``,
``syn:cold``, ``syn:money``, the last a concept related to bribes:
``portal/data/search-related.csv``).

Only unambiguous shapes count. Ages, since a custody complaint is full of prison
terms: ``16 лет`` is an age only right after ``ему``, ``ей``, ``мне``, ``сыну``…
(``дали 16 лет`` is a sentence), ``N-летний`` only for 12–17 (``5-летний срок``
is a term), a Kazakh age ends in ``жас`` (``жасар``, ``жаста``, ``жастағы``).
Temperatures: ``+8``, ``+10 в бараке``, ``8 градусов``, ``градусов десять``,
``минус 5``, at most
+16 (a cell colder than that is what people complain about). Money: a number
followed by ``тысяч``, ``мың``, ``млн`` or ``миллион`` (``тенге`` and ``ақша``
are thesaurus words anyway). Digits, Russian and Kazakh number words, and Latin
typing are read alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from portal.search.translit import is_latin, to_cyrillic

MINOR = "syn:minor"
COLD = "syn:cold"
MONEY = "syn:money"

_RU_NUMBERS = {
    "ноль": 0,
    "один": 1,
    "два": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
}
#: Kazakh units after ``он`` (ten), also typed without Kazakh letters.
_KK_UNITS = {"бир": 1, "еки": 2, "уш": 3, "торт": 4, "бес": 5, "алты": 6, "жети": 7}
#: Words right before ``N лет`` that make it an age, not a prison term.
_RU_CUES = frozenset(
    {"ему", "ей", "мне", "сыну", "дочери", "ребенку", "мальчику", "девочке", "подростку"}
    | {"внуку", "брату", "сестре", "племяннику", "исполнилось", "было", "всего"}
)
_RU_YEARS = frozenset({"лет", "год", "года"})
_RU_ADJECTIVE = re.compile(r"^летн(?:ий|его|ему|им|ем|яя|ей|юю|ие|их|ими)$")
_RU_COMPOUND = re.compile(
    r"^(?:двенадцати|тринадцати|четырнадцати|пятнадцати|шестнадцати|семнадцати)"
    r"летн(?:ий|его|ему|им|ем|яя|ей|юю|ие|их|ими)$"
)
_DEGREES = re.compile(r"^градус")
_THOUSANDS = frozenset({"тысяч", "тысячи", "тысяча", "мың", "мын", "млн", "миллион", "миллиона"})
_MINUS = frozenset({"минус", "минусе"})
_KK_AGE = re.compile(r"^жас(?:та|та[ғг]ы|ар|ында|[қк]а|тан|ымда|ымда[ғг]ы|ы)?$")


def _normal(word: str) -> str:
    word = word.casefold().replace("ё", "е")
    return to_cyrillic(word) if is_latin(word) else word


def _number(words: Sequence[str], end: int) -> tuple[int, int] | None:
    """The number ending at word ``end`` (value, first word index), if any."""
    word = words[end]
    if word.isdigit() and len(word) <= 2:
        return int(word), end
    if word in _RU_NUMBERS:
        return _RU_NUMBERS[word], end
    if word == "он":
        return 10, end
    unit = _KK_UNITS.get(word.replace("і", "и").replace("ү", "у").replace("ө", "о"))
    if unit and end > 0 and words[end - 1] == "он":
        return 10 + unit, end - 1
    return None


def _is_age(word: str, value: int, before: str) -> bool:
    """Whether ``word`` after the number ``value`` (preceded by ``before``) states a minor's age."""
    if _KK_AGE.match(word):
        return 1 <= value <= 17
    if _RU_ADJECTIVE.match(word):
        return 12 <= value <= 17
    return word in _RU_YEARS and 1 <= value <= 17 and before in _RU_CUES


def stated_concepts(text: str, raw_words: Sequence[tuple[str, int]]) -> dict[int, str]:
    """Word index → concept token, for the words of ``text`` that state a concept.

    ``raw_words`` are the text's words (stop words included) with their first
    character, as :func:`portal.search.analysis.split_words` cuts them.
    """
    words = [_normal(word) for word, _start in raw_words]
    found: dict[int, str] = {}
    for index, word in enumerate(words):
        if _RU_COMPOUND.match(word):
            found[index] = MINOR
            continue
        start = raw_words[index][1]
        if word.isdigit() and len(word) <= 2 and start > 0 and text[start - 1] == "+":
            if int(word) <= 16:
                found[index] = COLD
            continue
        if _DEGREES.match(word) and index + 1 < len(words):
            after = _number(words, index + 1)  # градусов десять: about ten degrees
            if after is not None and after[0] <= 16:
                found[index] = COLD
                continue
        if index == 0:
            continue
        if word in _THOUSANDS and words[index - 1].isdigit():
            found[index] = MONEY
            continue
        number = _number(words, index - 1)
        if number is None:
            continue
        value, first = number
        before = words[first - 1] if first > 0 else ""
        if _is_age(word, value, before):
            found[index] = MINOR
        elif _DEGREES.match(word) and (value <= 16 or before in _MINUS):
            found[index] = COLD
    return found
