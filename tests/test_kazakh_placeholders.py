"""Kazakh around placeholders: no suffix may hang on a number, a percentage or a date.

A Kazakh suffix follows the last spoken sound of the word before it: «бірге», «екіге»,
«онға», «жүзге»; «75%-ы» is «жетпіс бес пайызы». A catalog string cannot know the number
that will stand in its placeholder, so a slot that needs a suffix produces broken Kazakh
for some values. Every kk message with a placeholder is rendered here with many values of
every last sound, and the result is checked for the patterns that give such slots away.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from portal.config import PROJECT_ROOT

CATALOG = PROJECT_ROOT / "translations" / "kk" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")
# Around each inserted value, so the checks know where it is; dates get marks of their own.
START, END, DATE_START, DATE_END = "\x01", "\x02", "\x03", "\x04"
ANY_END = f"[{END}{DATE_END}]"

# Numbers ending in every last sound Kazakh suffixes depend on: бір, екі, үш, төрт, бес,
# алты, жеті, сегіз, тоғыз, он, жиырма, отыз, қырық, елу, алпыс, жетпіс, сексен, тоқсан,
# жүз, мың, миллион.
NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 1000, 10**6]
SHARES = [0, 0.01, 0.075, 0.2, 0.4, 0.5, 0.556, 0.6, 0.75, 0.9, 1]
DATES = [date(2026, month, 1 + month) for month in range(1, 13)]  # every month name
WORDS = ["Алматы", "Қарағанды облысы", "CC BY 4.0", "<10", "Ресми дерек", "2025"]
NUMBER_NAMES = {
    "num", "page", "pages", "min", "max", "installed", "working", "covered", "total",
    "megabytes", "points", "quarter", "year", "code", "first", "last", "value",
}  # fmt: skip
ROUNDS = max(len(NUMBERS), len(SHARES), len(DATES))

#: Case, possessive, plural and ordinal endings that may follow a value.
SUFFIX = (
    r"(?:[ыі]|с[ыі]|н|[ғгқк][аеыі]|н?[дт][аеы]н?|н[ае]н|[дтн][ыі]ң|[дтн][ыі]|"
    r"н?[дт][ае][ғг][ыі]|[ыі]?нш[ыі]|ш[ыі]|[дт][ае]й|ш[ае]|[лдт][ыі][қк]|[лдт][ае]р|[ае])"
)
#: Particles whose form follows the word before them: мен/бен/пен, да/де/та/те, ма/ме…
PARTICLE = r"(?:[мбп]ен|[дт][ае]|[мбп][ае])"
LETTER = r"[^\W\d_]"

#: (what is wrong, pattern over a rendered text whose values are marked)
BAD_PATTERNS = [
    ("a suffix after a value", re.compile(ANY_END + r"[-'’]?" + SUFFIX + f"(?!{LETTER})")),
    ("a letter glued to a value", re.compile(ANY_END + LETTER)),
    ("a particle after a value", re.compile(ANY_END + r"\s+" + PARTICLE + f"(?!{LETTER})")),
    # «аймақтардың 75% қамтылған», «бейнекамераның 15 жұмыс…»: the value is the owned noun
    # and needs «-ы/-і». An ordinal with a noun of its own («5 беттің 3-беті») is fine.
    (
        "a value owned by a genitive, without its possessive suffix",
        re.compile(LETTER + r"+[дтн][ыі]ң\s+[\x01\x03][^\x02\x04]*" + ANY_END + f"(?!-{LETTER})"),
    ),
    # A Kazakh long date ends in a bare month name («2026 ж. 8 наурыз»): a word after it
    # needs the date in a case («8 наурыздағы жағдай»), so a date must end its phrase.
    ("a word after a date", re.compile(DATE_END + r"\s+" + LETTER)),
]


def _messages() -> list[tuple[str, tuple[str, ...]]]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="kk")
    found = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if message.id and any(PLACEHOLDER.search(text) for text in ids):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found.append((ids[0], strings))
    return found


def _value(name: str, kind: str, index: int) -> str | int:
    """The ``index``-th sample value for a placeholder, formatted as the portal formats it."""
    if name == "date":
        return format_date(DATES[index % len(DATES)], format="long", locale="kk")
    if name == "share":
        return format_percent(SHARES[index % len(SHARES)], locale="kk", decimal_quantization=False)
    if kind == "d":
        return NUMBERS[index % len(NUMBERS)]
    if name in NUMBER_NAMES:
        return format_decimal(NUMBERS[index % len(NUMBERS)], locale="kk")
    return WORDS[index % len(WORDS)]


def render(text: str, index: int) -> str:
    """``text`` with its placeholders filled with the ``index``-th samples, values marked."""
    values = {name: _value(name, kind, index) for name, kind in PLACEHOLDER.findall(text)}

    def mark(match: re.Match) -> str:
        if match.group(1) == "date":
            return DATE_START + match.group(0) + DATE_END
        return START + match.group(0) + END

    return PLACEHOLDER.sub(mark, text) % values


def problems(text: str) -> list[str]:
    """What is wrong with a kk string around its placeholders, over many values."""
    found = set()
    for index in range(ROUNDS):
        rendered = render(text, index)
        plain = re.sub("[\x01-\x04]", "", rendered)
        found.update(f"{what}: {plain!r}" for what, bad in BAD_PATTERNS if bad.search(rendered))
    return sorted(found)


MESSAGES = _messages()


def test_there_are_kazakh_messages_with_placeholders():
    assert len(MESSAGES) > 30


@pytest.mark.parametrize(("msgid", "strings"), MESSAGES, ids=[m[0][:40] for m in MESSAGES])
def test_no_suffix_hangs_on_a_placeholder(msgid, strings):
    for text in strings:
        assert problems(text) == [], msgid


@pytest.mark.parametrize(
    "broken",
    [
        # What the December 2026 review found on every overview and facility page.
        "%(date)s жағдай бойынша",
        "аймақтардың %(share)s қамтылған",
        "%(installed)s бейнекамераның %(working)s жұмыс істеп тұр.",
        "%(min)d мен %(max)d таңба аралығында жазыңыз.",
        # And what a translator might write next.
        "аймақтардың %(share)s-ы қамтылған",
        "%(num)s-ге дейін",
        "%(num)dден аспауы керек",
        "%(date)s-дағы жағдай",
        "%(num)s де жоқ",
    ],
)
def test_the_checks_catch_the_known_bad_patterns(broken):
    assert problems(broken) != []


@pytest.mark.parametrize(
    "fine",
    [
        "Дерек күні: %(date)s",
        "Ресми дерек (%(date)s): қамтылған аймақтардың үлесі — %(share)s.",
        "орнатылған %(installed)s бейнекамераның жұмыс істеп тұрғаны — %(working)s",
        "%(pages)s беттің %(page)s-беті",
        "%(year)s ж. %(quarter)s-тоқсан",
        "%(num)s мекемеде әзірге ресми деректер жоқ.",
        "Кемінде %(min)d, ең көбі %(max)d таңба жазыңыз.",
    ],
)
def test_the_checks_let_natural_kazakh_through(fine):
    assert problems(fine) == []


def test_the_samples_reach_every_month_and_every_last_sound_of_a_number():
    months = {render("%(date)s", i)[1:-1].split()[-1] for i in range(ROUNDS)}
    assert len(months) == 12
    assert {n % 10 for n in NUMBERS} == set(range(10))  # бір … тоғыз
    assert {n // 10 for n in NUMBERS if 10 <= n < 100} == set(range(1, 10))  # он … тоқсан
    assert {100, 1000, 10**6} <= set(NUMBERS)  # жүз, мың, миллион
