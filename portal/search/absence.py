""" "There was none": absence said with words the index would otherwise leave out.

Complaints say that a camera, a lawyer or a doctor was not there in ways that
are all function words or endings: ``камер не было``, ``без адвоката``,
``адвокатсыз`` ("lawyerless"). The thesaurus has the concept *absent*
(``нет``, ``отсутствует``, ``жоқ``, ``болмады``); :func:`absences` finds the
rest in a text's words (stop words included), so that ``камеры не было``,
``без адвоката``, ``адвокат жоқ`` and ``адвокатсыз`` all meet:

- ``не`` before a form of ``быть`` (``не было``, ``не были``): *absent*, at the
  place of the verb, in queries and complaints;
- ``без`` (without) before a word: *absent*, at its own place, in queries and
  complaints;
- a word with the Kazakh ending ``-сыз``/``-сіз`` (without): *absent* beside
  the word itself, in complaints only (in a query the word is one term, so
  ``адвокатсыз`` searches for the lawyer, as before).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from portal.search.translit import is_latin, to_cyrillic

ABSENT = "syn:absent"
_BEING = frozenset({"был", "была", "было", "были", "будет"})
_PRIVATIVE = re.compile(r"^\w{3,}(?:сыз|сіз)$")


def _normal(word: str) -> str:
    word = word.casefold().replace("ё", "е")
    return to_cyrillic(word) if is_latin(word) else word


def absences(raw_words: Sequence[str], *, query: bool) -> dict[int, str]:
    """Word index → ``syn:absent`` for the words of a text that say something was not there."""
    words = [_normal(word) for word in raw_words]
    found: dict[int, str] = {}
    for index, word in enumerate(words):
        negated_being = word in _BEING and index > 0 and words[index - 1] == "не"
        without = word == "без" and index + 1 < len(words)
        if negated_being or without or (not query and _PRIVATIVE.match(word)):
            found[index] = ABSENT
    return found
