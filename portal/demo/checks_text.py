"""The text-level rules of :mod:`portal.demo.checks`: naming, anaphora and grammar slips.

Each function takes a story and its narrative and returns True when the
narrative breaks the rule. Patterns are written from what a reader sees, in
both languages, so that they hold whatever template produced the text.
"""

from __future__ import annotations

import re

from portal.demo import lexicon as lx
from portal.demo.narratives import Story

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
#: Word boundaries that know Cyrillic (\b does too, but a lookaround is clearer next to \w*).
_START, _END = r"(?<!\w)", r"(?!\w)"


def any_of(patterns: str) -> re.Pattern[str]:
    """``patterns`` compiled case-insensitively."""
    return re.compile(patterns, re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The sentences of a narrative (paragraph breaks count as spaces)."""
    return [s for s in _SENTENCE.split(text.strip()) if s]


# --- the affected person: named a few times, then “he”, “she”, “ол” ---------------------------

#: Russian: the noun that names the affected person, in every case.
RU_HEAD = {
    "younger_brother": r"брат(а|у|ом|е)?",
    "elder_brother": r"брат(а|у|ом|е)?",
    "cousin": r"брат(а|у|ом|е)?",
    "son": r"сын(а|у|ом|е)?",
    "husband": r"муж(а|у|ем|е)?",
    "father": r"от(ец|ца|цу|цом|це)",
    "nephew": r"племянник(а|у|ом|е)?",
    "grandson": r"внук(а|у|ом|е)?",
    "daughter": r"доч(ь|ери|ерью)",
    "sister": r"сестр(а|ы|е|у|ой)",
    "wife": r"жен(а|ы|е|у|ой)",
    "client_m": r"подзащитн(ый|ого|ому|ым|ом)",
    "client_f": r"подзащитн(ая|ой|ую)",
    "principal": r"доверител(ь|я|ю|ем|е)",
    "cellmate": r"сокамерник(а|у|ом|е)?",
    "young_man": r"пар(ень|ня|ню|нем|не)",
    "old_man": r"мужчин(а|ы|е|у|ой)",
    "student": r"студент(а|у|ом|е)?",
    "young_woman": r"девушк(а|и|е|у|ой)",
}
_KK_CASE = (
    r"(ды|ді|ты|ті|ны|ні|ға|ге|қа|ке|а|е|дың|дің|тың|тің|ның|нің|дан|ден|тан|тен|нан|нен"
    r"|мен|бен|пен)?"
)
#: Kazakh: the word that names the affected person, any case ending after it.
KK_HEAD = {
    "younger_brother": "інім",
    "elder_brother": "ағам",
    "cousin": "ағам",
    "son": "ұлым",
    "husband": "күйеуім",
    "father": "әкем",
    "nephew": "жиенім",
    "grandson": "немерем",
    "daughter": "қызым",
    "sister": "әпкем",
    "wife": "әйелім",
    "client_m": "қорғауымдағы адам",
    "client_f": "(қорғауымдағы|ол) әйел",
    "principal": "клиентім",
    "cellmate": "көршім",
    "young_man": "жігіт",
    "old_man": "(ер адам|қария)",
    "student": "студент",
    "young_woman": "қыз",
}


def _name(story: Story) -> tuple[str, str] | None:
    """The affected person's name (ru, kk), when the story gives one."""
    if story.name is None or story.victim == "self":
        return None
    gender = _gender(story)
    return (lx.FEMALE_NAMES if gender else lx.MALE_NAMES)[story.name]


def _gender(story: Story) -> int:
    for table in (lx.RELATIVES, lx.CLIENTS, lx.STRANGERS):
        if story.victim in table:
            return table[story.victim][0]
    return story.author_gender


def _name_pattern(name: tuple[str, str]) -> str:
    ru, kk = name
    ru_stem = ru[:-1] if ru.endswith("а") else ru
    return rf"{ru_stem}(а|ы|у|е|ом|ой)?|{kk}{_KK_CASE}"


def _noun_pattern(story: Story) -> str:
    return rf"{RU_HEAD[story.victim]}|{KK_HEAD[story.victim]}{_KK_CASE}"


def mentions(story: Story, text: str) -> int:
    """How many times ``text`` names the affected person (by name, or by noun when nameless)."""
    if story.victim == "self":
        return 0
    name = _name(story)
    pattern = _name_pattern(name) if name else _noun_pattern(story)
    return len(re.findall(rf"{_START}({pattern}){_END}", text, re.IGNORECASE))


def repeats_name(story: Story, text: str) -> bool:
    """The affected person is named four times or more (a pronoun would do after the first)."""
    return mentions(story, text) >= 4


FORM_LANGUAGE = any_of(r"зардап шеккен адамның туысымын")


def not_introduced(story: Story, text: str) -> bool:
    """Form language for the relation, or a name used before the reader knows who it is.

    A named relative must be introduced with the relation ("my brother Arman") before or
    where the name first appears.
    """
    if FORM_LANGUAGE.search(text):
        return True
    name = _name(story)
    if name is None or story.victim not in lx.RELATIVES:
        return False
    first = re.search(rf"{_START}({_name_pattern(name)}){_END}", text)
    if first is None:
        return False
    before = text[: first.start()]
    noun = rf"{_START}({_noun_pattern(story)}){_END}"
    return re.search(noun, before, re.IGNORECASE) is None


# --- anaphora: “after that” needs a “that” ---------------------------------------------------

#: Openers that point back to an event: "После этого", "перед этим", "Осыдан кейін".
POINTS_BACK = any_of(r"^(после этого|осыдан кейін)|\bперед этим\b")
#: Openers that point back to injuries: "Несмотря на травмы", "Жарақатына қарамастан".
POINTS_TO_HARM = any_of(r"несмотря на травмы|жарақат\w* қарамастан")
#: Something done to the affected person (an event "after that" can follow).
EVENT = any_of(
    r"удар\w*|изби\w*|\bби(ли|ть|л)\b|пина\w*|повали\w*|пристегну\w*|надели|выкручива\w*"
    r"|застав\w*|вынуди\w*|угрожа\w*|запугива\w*|пригроз\w*|разде\w*|требова\w*|вымога\w*"
    r"|задерж\w*|доставил\w*|забрали|продержали|держали|привезли|поместили|перевели|этапир\w*"
    r"|не давали|сексуальн\w*|сказал\w*|дали понять|повторял\w*|напоминал\w*|обещал\w*"
    r"|звонили|передали|примен\w*|использова\w*|вынужд\w*"
    r"|ұр(ды|ып|а)\w*|тепк\w*|тепті|соқ(ты|қ)\w*|жығып|құлатып|байлап|кигізіп|қайырып|қинады"
    r"|мәжбүрле\w*|қорқыт\w*|талап етті|бопсала\w*|шешіндір\w*|жалаңашта\w*|ұста(ды|п|лды)"
    r"|алып келді|жеткізді|апарды|ауыстырды|жіберді|орналастырды|ұйықтауға мүмкіндік бермеді"
    r"|жыныстық|сексуалдық|тигізді|айтты|қайталады|ескертті|тұрғызды|отырғызды|қол қой\w*"
)
#: Injuries or a beating (what "despite the injuries" needs).
HARM = any_of(
    r"удар\w*|изби\w*|\bби(ли|ть|л)\b|пина\w*|травм\w*|электрошокер|провода|задыхаться"
    r"|сознание|выкручива\w*|ұр(ды|ып|а)\w*|тепк\w*|тепті|соқ\w*|жарақат\w*|электрошокер"
    r"|тұншыға|есінен|қайырып|кигізіп"
)


def dangling(story: Story, text: str) -> bool:
    """ "После этого", "перед этим" or "Несмотря на травмы" with nothing before to point to."""
    parts = sentences(text)
    for index, sentence in enumerate(parts):
        earlier = parts[1:index]  # the introduction only announces; events come after it
        if POINTS_BACK.search(sentence) and not any(EVENT.search(s) for s in earlier):
            return True
        if POINTS_TO_HARM.search(sentence) and not any(HARM.search(s) for s in earlier):
            return True
    return False


# --- slips of one sentence ------------------------------------------------------------------

CALL_WROTE = any_of(r"позвонить и написал|телефон соғып[^.]*\bжазды\b")


def call_wrote(story: Story, text: str) -> bool:
    """Phoned and wrote in one breath ("смог позвонить и написал")."""
    return bool(CALL_WROTE.search(text))


#: A 1st-person request or wish followed by a comma and a clause not opened by a conjunction
#: (kk puts "while they are not deleted" before the verb, not after it).
KK_AFTER_VERB = any_of(
    r"\b(сұраймын|сұраймыз|қалаймын|қалаймыз|өтінемін)\s*,\s*"
    r"(?!себебі|өйткені|әйтпесе|бірақ|ал\b|сондықтан)\w"
)


def kk_request_order(story: Story, text: str) -> bool:
    """A clause after the request verb, in Russian order ("…сұраймын, олар өшіріліп…")."""
    return bool(KK_AFTER_VERB.search(text))


#: "кек алу" governs the ablative (менен/одан кек алады), never the dative.
KK_KEK_DATIVE = any_of(
    rf"{_START}(маған|оған|бізге|саған|сізге|оларға|\w+(ға|ге|қа|ке))\s+кек\s+ал"
)


def kk_kek_alu(story: Story, text: str) -> bool:
    """«оған кек алады» where Kazakh says «одан кек алады»."""
    return bool(KK_KEK_DATIVE.search(text))


KK_PEOPLE_HELD = any_of(r"\bадам\s+ұстады\b")


def kk_adam_ustady(story: Story, text: str) -> bool:
    """«он екі адам ұстады»: a bare numeral + адам as an object reads as the subject."""
    return bool(KK_PEOPLE_HELD.search(text))


KK_DEFENDS_DEFENDED = any_of(r"қорға\w*\s+(\w+\s+){0,2}мүддесін\s+қорға")


def kk_tautology(story: Story, text: str) -> bool:
    """«қорғауымдағы адамның мүддесін қорғаймын»: defending the defended."""
    return bool(KK_DEFENDS_DEFENDED.search(text))


RU_TRAVMY_SNYALI = any_of(r"травмы сняли")


def ru_travmy_snyali(story: Story, text: str) -> bool:
    """«Травмы сняли»: one takes off бои (побои сняли) but records травмы."""
    return bool(RU_TRAVMY_SNYALI.search(text))


RU_SLOT_CLASH = any_of(r"свидания не (передавали|принимали)|передачи не передавали")


def ru_slot_clash(story: Story, text: str) -> bool:
    """A subject and verb chosen apart: «Свидания не передавали», «Передачи не передавали»."""
    return bool(RU_SLOT_CLASH.search(text))


RU_O_BEFORE_VOWEL = re.compile(r"(?<!\w)[Оо]\s+[аоуэиыАОУЭИЫ]")


def ru_ob(story: Story, text: str) -> bool:
    """«о угол»: before a vowel the preposition is «об»."""
    return bool(RU_O_BEFORE_VOWEL.search(text))
