"""Details in a narrative that could let facility staff identify the complainant.

A letter to a prosecutor or a facility head quotes what happened, and the
people who read it may be the ones complained about. Before a letter is issued,
:func:`find_details` marks what could point at one person: names, cell or unit
numbers, exact times, dates of birth, phone numbers. The reviewer keeps or
removes each; :func:`redact` writes the narrative without the removed ones
(every occurrence of the same words, wherever they recur), and the complaint
itself stays intact.

Detection is deliberately generous (a reviewer dismisses a false alarm in one
click; a missed name cannot be taken back once the letter is sent), and works
on Russian and Kazakh, Cyrillic or Latin.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from portal.search.analysis import place_tokens

#: What replaces a removed detail in a letter.
REMOVED_MARK = "[…]"
#: Longest narrative examined (the report form allows 10,000 characters).
MAX_TEXT = 20_000


class DetailKind(enum.StrEnum):
    """Kinds of identifying detail."""

    NAME = "name"
    CELL = "cell"
    TIME = "time"
    BIRTH_DATE = "birth_date"
    PHONE = "phone"


@dataclass(frozen=True)
class Detail:
    """One identifying detail: where it stands in the text, and what kind it is."""

    start: int
    end: int
    kind: DetailKind
    text: str


_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zа-яёәғқңөұүһі"
_WORD = rf"[{_UPPER}{_LOWER}]"
_SURNAME_ENDINGS = (
    r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|ская|цкий|цкая|ович|евич|овна|евна|ична"
    r"|ұлы|улы|қызы|кызы|uly|qyzy|ov|ev|ova|eva|ina)"
)
_SURNAME_FORMS = r"(?:а|у|ым|ой|е|ич|ичу|ича|а|ға|ге|қа|ке|ның|нің|ды|ді|ты|ті|ны|ні)?"
_PATTERNS: tuple[tuple[DetailKind, re.Pattern[str]], ...] = (
    (
        DetailKind.PHONE,
        re.compile(r"(?<!\d)(?:\+7|8)[\s\-(]*[67]\d{2}[\s\-)]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}(?!\d)"),
    ),
    (
        DetailKind.BIRTH_DATE,
        re.compile(
            r"(?<!\d)\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2}(?!\d)"
            r"|(?<!\d)(?:19|20)\d{2}\s*(?:г\.?\s*р\.?|года\s+рождения|жылы\s+туған|ж\.\s*т\.)",
            re.IGNORECASE,
        ),
    ),
    (
        DetailKind.TIME,
        re.compile(
            r"(?<![\d.:])(?:[01]?\d|2[0-3])[:][0-5]\d(?![\d:])"
            r"|\b(?:в|около|примерно)\s+\d{1,2}\s*(?:час\w*|ч\.)(?:\s+(?:утра|ночи|вечера|дня))?"
            r"|\bсағат\s+\d{1,2}(?:[:.][0-5]\d)?(?:\s*-?\s*(?:те|та|де|да|ге|ға|лар\w*))?",
            re.IGNORECASE,
        ),
    ),
    (
        DetailKind.CELL,
        re.compile(
            r"\b(?:камер\w*|отряд\w*|барак\w*|блок\w*|палат\w*|кабинет\w*|бөлме\w*)"
            r"\s*(?:№\s*)?\d+[\w-]*"
            r"|№\s*\d+[\w-]*(?:\s*-?\s*(?:камер\w*|отряд\w*|бөлме\w*))?"
            r"|\b\d+\s*-?\s*(?:й|я|ая|ой|ші|шы|ыншы|інші)?\s*-?\s*(?:камер\w*|отряд\w*|бөлме\w*)",
            re.IGNORECASE,
        ),
    ),
    (
        DetailKind.NAME,
        re.compile(
            # A surname, with a first name or initials before or after it.
            rf"(?:\b[{_UPPER}][{_LOWER}]+\s+)?\b[{_UPPER}][{_LOWER}]+{_SURNAME_ENDINGS}"
            rf"{_SURNAME_FORMS}\b(?:\s+[{_UPPER}][{_LOWER}]+(?:{_SURNAME_ENDINGS}{_SURNAME_FORMS})?\b)?"
            rf"(?:\s+[{_UPPER}]\.\s*(?:[{_UPPER}]\.)?)?"
            # Initials then a surname: А. Серіков, И.И. Петров.
            rf"|\b[{_UPPER}]\.\s*(?:[{_UPPER}]\.\s*)?[{_UPPER}][{_LOWER}]+"
        ),
    ),
)
#: A capitalised word inside a sentence, a likely first name (Данияр, Ерлан).
_CAPITALISED = re.compile(rf"(?<=[{_LOWER},]\s)[{_UPPER}][{_LOWER}]{{2,}}")


def _common_words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(word.casefold() for word in words)


#: Capitalised words that are not names (places are checked separately).
NOT_NAMES = _common_words(
    (
        "Бог", "Аллах", "Интернет", "Ватсап", "Телеграм", "Омбудсмен", "Президент",
        "Генпрокуратура", "Прокуратура", "Конституция", "Кодекс", "Бейнекамера", "Камера",
        "Колония", "Полиция",
    )
)  # fmt: skip
#: Words before a name that say who the person is, not who they are (Следователь Петров).
ROLE_STEMS = (
    "следовател", "дежурн", "сотрудник", "начальник", "прокурор", "конвоир", "инспектор",
    "оперативник", "майор", "капитан", "лейтенант", "сержант", "полковник", "полицейск",
    "участков", "врач", "фельдшер", "завхоз", "тергеуші", "кезекші", "бастық", "қызметкер",
    "дәрігер", "полицей", "анықтаушы", "моего", "мой", "мою", "сын", "брат", "муж", "інім",
    "ағам", "ұлым", "күйеу",
)  # fmt: skip


def _is_place(word: str) -> bool:
    return bool(place_tokens(word))


def find_details(text: str) -> list[Detail]:
    """The identifying details of ``text``, in order, none overlapping another."""
    text = text[:MAX_TEXT]
    found: list[Detail] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: DetailKind) -> None:
        if any(start < high and low < end for low, high in taken):
            return
        taken.append((start, end))
        found.append(Detail(start, end, kind, text[start:end]))

    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, words = match.start(), match.group().split()
            if kind == DetailKind.NAME:
                if len(words) > 1 and words[0].casefold().startswith(ROLE_STEMS):
                    start = match.start() + match.group().index(words[1], len(words[0]))
                    words = words[1:]
                if all(_is_place(word) for word in words):
                    continue
            add(start, match.end(), kind)
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if word.casefold() not in NOT_NAMES and not _is_place(word):
            add(match.start(), match.end(), DetailKind.NAME)
    return sorted(found, key=lambda detail: detail.start)


#: Case and possessive endings taken off a removed name, so that its other forms go too
#: (Данияра → Данияр → Данияру, Даниярға; Серикова → Сериков → Серикову, Сериковым).
_NAME_ENDINGS = tuple(
    sorted(
        (
            "а", "я", "у", "ю", "ы", "и", "е", "ом", "ем", "ым", "им", "ой", "ей", "ою", "ую",
            "ға", "ге", "қа", "ке", "на", "не", "ны", "ні", "ды", "ді", "ты", "ті", "ның", "нің",
            "дың", "дің", "тың", "тің", "мен", "пен", "бен", "да", "де", "та", "те", "дан", "ден",
            "тан", "тен", "нан", "нен", "ға", "ге",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
#: The shortest stem a name is cut to: shorter ones would take ordinary words with them.
_MIN_STEM = 4
#: Letters an inflected form of a removed name may add to its stem.
_INFLECTION = rf"[{_LOWER}'’]{{0,6}}"


def _word_pattern(word: str, inflected: bool) -> str:
    """A word of a removed phrase; a name's word also in its other case forms."""
    if not inflected or "." in word or len(word) < _MIN_STEM:
        return re.escape(word)
    stem = word
    for ending in _NAME_ENDINGS:
        if word.casefold().endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            stem = word[: -len(ending)]
            break
    return re.escape(stem) + _INFLECTION


def removal_patterns(details: Iterable[Detail]) -> list[re.Pattern[str]]:
    """What :func:`redact` takes out for ``details``, longest phrase first.

    Every phrase goes wherever it recurs, in any letter case. A name goes in its
    other case forms too, and so does each of its words on its own (a surname
    removed with its initials is removed where it stands alone).
    """
    phrases: dict[str, bool] = {}
    for detail in details:
        words = detail.text.split()
        if not words:
            continue
        name = detail.kind == DetailKind.NAME
        phrases[" ".join(words)] = phrases.get(" ".join(words), False) or name
        if name and len(words) > 1:
            for word in words:
                if "." not in word and len(word) >= _MIN_STEM:
                    phrases[word] = True
    patterns = []
    for phrase in sorted(phrases, key=len, reverse=True):
        body = r"\s+".join(_word_pattern(word, phrases[phrase]) for word in phrase.split())
        patterns.append(re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE))
    return patterns


def redact(text: str, details: Iterable[Detail], mark: str = REMOVED_MARK) -> str:
    """``text`` without the removed ``details``: every occurrence of their words goes.

    A name removed once is removed wherever it recurs in the text, also where
    detection did not mark it (at the start of a sentence, say), and in its
    other case forms.
    """
    for pattern in removal_patterns(details):
        text = pattern.sub(mark, text)
    return text
