"""The glossary holds: a term the catalogs use is translated the glossary's way.

``docs/glossary.csv`` gives each domain term once in en, ru and kk. Two checks follow
from it. A message that *is* a glossary term (a label, a status, a button) is translated
exactly as the glossary says. And the terms a citizen meets on many pages (the report,
the reviewer, the receipt code…) keep the glossary's words wherever they occur in running
text, in whatever case the sentence needs.
"""

from __future__ import annotations

import csv
import re

import pytest
from babel.messages.pofile import read_po

from portal.config import PROJECT_ROOT

GLOSSARY = PROJECT_ROOT / "docs" / "glossary.csv"
CATALOGS = PROJECT_ROOT / "translations"
LANGS = ("kk", "ru")

#: Terms checked in running text, with the English that stands for them (None: the
#: glossary's own English, each word also in the plural).
IN_RUNNING_TEXT: dict[str, str | None] = {
    # The noun only: not "report an incident", "who report", "facilities report figures".
    "complaint.report": r"(?<!\bto )(?<!\bwho )(?<!\bfacilities )(?<!\bfacility )"
    r"\breports?\b(?! an incident| incidents)",
    "complaint.label": r"\bcomplaints?\b",
    "review.reviewer": None,
    "complaint.receipt_code": None,
    "coverage.blind_spot": None,
    "coverage.monitoring_visit": None,
    "auth.2fa": r"\btwo-factor\b",
    # "sign in with a second factor" is the method as a whole (auth.2fa), not the code step.
    "auth.second_factor": r"(?<!with a )\bsecond factor\b",
    "person.affected": None,
    "complaint.complainant": None,
    "complaint.attachment": r"\battachments?\b",
    "body.npm": None,
    "authority.kuis": r"\bCriminal Executive System\b",
    "authority.mvd": None,
    "zone.bodycams": None,
}

#: Whole messages that may differ from the glossary's label, and why.
LABEL_EXCEPTIONS = {
    ("coverage.coverage", "Coverage"): "a table heading: the short form, as the glossary notes",
}


def _glossary() -> dict[str, dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def _catalog(lang: str) -> list[tuple[str, str]]:
    """(msgid, every translation of it joined) for each message of ``lang``."""
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs.append((" ".join(ids), " ".join(strings)))
    return pairs


def _without_brackets(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", text).strip()


def _label(text: str) -> str:
    return re.sub(r"[.\s]+$", "", text).strip().casefold()


def _stems(term: str, lang: str) -> list[str]:
    """The beginnings every form of ``term`` keeps, word by word.

    Russian changes the ending of each word (обращение → обращения, специалист →
    специалистам): the last two letters of a longer word may change. Kazakh only adds
    suffixes, but voices a final к, қ, п before a vowel (аймақ → аймағы).
    """
    stems = []
    for word in re.findall(r"[\w-]+", _without_brackets(term).casefold()):
        if lang == "ru":
            stems.append(word if len(word) <= 3 else word[: max(3, len(word) - 2)])
        else:
            stems.append(word[:-1] if word[-1] in "кқп" else word)
    return stems


def uses_term(text: str, term: str, lang: str) -> bool:
    """True when every word of ``term`` occurs in ``text`` in some form."""
    words = re.findall(r"[\w-]+", text.casefold())
    return all(any(word.startswith(stem) for word in words) for stem in _stems(term, lang))


def _english(key: str, row: dict[str, str]) -> re.Pattern:
    pattern = IN_RUNNING_TEXT[key]
    if pattern is None:
        words = _without_brackets(row["en"]).split()
        pattern = r"\b" + r"\s+".join(re.escape(w) + r"(?:s|es|'s|s')?" for w in words) + r"\b"
    return re.compile(pattern, re.IGNORECASE)


GLOSSARY_ROWS = _glossary()


def test_the_running_text_terms_are_in_the_glossary():
    assert set(IN_RUNNING_TEXT) <= set(GLOSSARY_ROWS)
    assert GLOSSARY_ROWS["complaint.report"]["ru"] == "Обращение"
    assert GLOSSARY_ROWS["complaint.report"]["kk"] == "Шағым"
    assert GLOSSARY_ROWS["review.reviewer"]["ru"] == "Специалист по жалобам"
    assert GLOSSARY_ROWS["review.reviewer"]["kk"] == "Шағымдар жөніндегі маман"


@pytest.mark.parametrize("lang", LANGS)
def test_a_message_that_is_a_glossary_term_is_translated_as_the_glossary_says(lang):
    catalog = _catalog(lang)
    wrong = []
    for key, row in GLOSSARY_ROWS.items():
        for msgid, translation in catalog:
            if _label(msgid) != _label(row["en"]) or (key, msgid) in LABEL_EXCEPTIONS:
                continue
            if _label(translation) != _label(row[lang]):
                wrong.append(f"{key}: {msgid!r} is {translation!r}, glossary {row[lang]!r}")
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", sorted(IN_RUNNING_TEXT))
def test_a_glossary_term_in_running_text_keeps_the_glossary_words(key, lang):
    row = GLOSSARY_ROWS[key]
    english = _english(key, row)
    used = [(msgid, text) for msgid, text in _catalog(lang) if english.search(msgid)]
    assert used, f"{key} is used in no message: drop it from IN_RUNNING_TEXT"
    wrong = [f"{msgid!r}: {text!r}" for msgid, text in used if not uses_term(text, row[lang], lang)]
    assert wrong == [], f"{key} should read {row[lang]!r}"


@pytest.mark.parametrize(
    ("text", "term", "lang", "expected"),
    [
        ("Вопрос специалиста по жалобам", "Специалист по жалобам", "ru", True),
        ("Сообщения читают только специалисты", "Специалист по жалобам", "ru", False),
        ("На страницах подачи и отслеживания обращения", "Обращение", "ru", True),
        ("На страницах сообщения и отслеживания", "Обращение", "ru", False),
        ("шағымдар жөніндегі мамандарға жазу", "Шағымдар жөніндегі маман", "kk", True),
        ("Шағымдарды қараушыларға жазу", "Шағымдар жөніндегі маман", "kk", False),
        ("Хабарламаларды … оқиды", "Шағым", "kk", False),
        ("Қалған көрінбейтін аймағы", "Көрінбейтін аймақ", "kk", True),
    ],
)
def test_the_term_check_tells_the_glossary_form_from_others(text, term, lang, expected):
    assert uses_term(text, term, lang) is expected


def test_the_report_pattern_skips_the_verb():
    english = _english("complaint.report", GLOSSARY_ROWS["complaint.report"])
    assert english.search("Closed reports are deleted")
    assert english.search("Follow up on your report")
    assert not english.search("Report an incident")
    assert not english.search("People who report an incident")
    assert not english.search("As of today, 5 facilities report figures.")
    assert not english.search("Official reporting date.")
