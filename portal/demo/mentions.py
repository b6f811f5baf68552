"""The affected person in a narrative: named in full once, shortly once more, then "он", "ол".

Before the sentences are chosen, every mention is a marker; :func:`name_then_pronoun`
fills them in reading order, so that whichever sentences are kept, the person is
introduced first ("моего младшего брата Армана", "інім Арманды") and a pronoun
takes over after :data:`NAMED` mentions, as people write.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from portal.demo import lexicon as lx

if TYPE_CHECKING:
    from portal.demo.narratives import Story

#: The affected person's name or noun this many times (the first in full), then a pronoun.
NAMED = 2
#: Stands for a mention of the affected person until the sentences are chosen:
#: MENTION + language + slot name + END_MENTION.
MENTION, END_MENTION = "\x02", "\x03"
_MENTION = re.compile("\x02(ru|kk)(V[a-z]*)\x03")
#: Russian prepositions after which "он" becomes "него", "ему" "нему" ("в отношении него").
RU_PREPOSITIONS = frozenset(
    (
        *("с", "со", "к", "ко", "у", "от", "о", "об", "обо", "в", "во", "на", "за", "для"),
        *("без", "до", "из", "по", "при", "про", "через", "над", "под", "перед", "около"),
        *("после", "отношении", "кроме", "против", "между"),
    )
)


def victim_ru(story: Story) -> dict[str, object]:
    """Russian slots for the affected person: ``V*`` in full, ``v*``/``nv*`` pronouns, keys."""
    if story.victim == "self":
        forms = pronouns = npronouns = lx.SELF_RU
        gender = story.author_gender
        extra = {"tov": "ко мне", "fromv": "от меня", "vhis": "мой"}
    else:
        gender, forms = people(story.victim)[:2]
        if story.name is not None:
            name = name_ru(gender, story.name)
            forms = tuple(f"{form} {name[i]}" for i, form in enumerate(forms))
        pronouns, npronouns = lx.PRONOUN_RU[gender], lx.PRONOUN_RU_N[gender]
        extra = {"tov": "к " + npronouns[2], "fromv": "от " + npronouns[1], "vhis": pronouns[1]}
    ctx: dict[str, object] = {"g": gender, "s": int(story.victim != "self"), **extra}
    for i, case in enumerate(("", "gen", "dat", "acc", "ins", "prep")):
        ctx["V" + case] = forms[i]
        ctx["v" + case] = pronouns[i]
        ctx["nv" + case] = npronouns[i]
    return ctx


def victim_kk(story: Story) -> dict[str, object]:
    """Kazakh slots for the affected person: ``V*`` in full, ``v*`` pronouns, key ``s``."""
    if story.victim == "self":
        forms = pronouns = lx.SELF_KK
    else:
        gender, _, kk = people(story.victim)
        if isinstance(kk, str):  # a relative: "інім", possibly with a name
            kk_name = (
                (lx.FEMALE_NAMES if gender else lx.MALE_NAMES)[story.name][1]
                if story.name is not None
                else None
            )
            forms = lx.kk_bare(f"{kk} {kk_name}") if kk_name else lx.kk_my(kk)
        else:
            forms = kk
        pronouns = lx.PRONOUN_KK
    ctx: dict[str, object] = {"s": int(story.victim != "self")}
    for i, case in enumerate(("", "acc", "dat", "gen", "abl", "ins")):
        ctx["V" + case] = forms[i]
        ctx["v" + case] = pronouns[i]
    return ctx


def people(key: str) -> tuple:
    """(gender, ru forms, kk forms or phrase) of a relative, client or stranger key."""
    for table in (lx.RELATIVES, lx.CLIENTS, lx.STRANGERS):
        if key in table:
            return table[key]
    raise KeyError(key)


def name_ru(gender: int, index: int) -> tuple[str, ...]:
    """The Russian case forms of name ``index`` of the gender's list."""
    if gender:
        return lx.ru_female_name(lx.FEMALE_NAMES[index][0])
    return lx.ru_male_name(lx.MALE_NAMES[index][0])


def short_forms(story: Story) -> dict[str, tuple[str, ...] | None]:
    """Second mentions of the affected person: "Арман", "брата", "жігітті" (None: as the first)."""
    gender, ru, _ = people(story.victim)
    if story.name is not None:
        ru_short = name_ru(gender, story.name)
        kk_short = lx.kk_bare((lx.FEMALE_NAMES if gender else lx.MALE_NAMES)[story.name][1])
    else:
        ru_short = tuple(shorten_ru(form) for form in ru)
        kk_short = None
        if story.victim in lx.SHORT_KK:
            kk_short = lx.kk_bare(lx.SHORT_KK[story.victim])
        elif story.victim == "cellmate":
            kk_short = lx.kk_my("көршім")
    return {"ru": ru_short, "kk": kk_short}


#: Slot suffixes in the order of the case forms, per language.
CASE_SLOTS = {
    "ru": ("", "gen", "dat", "acc", "ins", "prep"),
    "kk": ("", "acc", "dat", "gen", "abl", "ins"),
}


def mention_forms(
    story: Story, ctx: dict[str, dict[str, object]]
) -> dict[tuple[str, str], tuple[str, str, str, str]]:
    """Per (language, slot): the full form, the short one, the pronoun, the pronoun after a
    preposition ("него"), for the affected person; empty when the author is that person.
    """
    if story.victim == "self":
        return {}
    short = short_forms(story)
    forms = {}
    for lang, cases in CASE_SLOTS.items():
        for i, case in enumerate(cases):
            full = str(ctx[lang]["V" + case])
            second = short[lang][i] if short[lang] else full
            pronoun = str(ctx[lang]["v" + case])
            after = str(ctx[lang].get("nv" + case, pronoun))
            forms[lang, "V" + case] = (full, second, pronoun, after)
    return forms


def name_then_pronoun(
    texts: list[str], forms: dict[tuple[str, str], tuple[str, str, str, str]]
) -> list[str]:
    """Fill the mentions of the affected person in reading order: the first in full, then
    the short form, then (after :data:`NAMED` mentions) a pronoun, as a person writes.
    """
    count = 0
    out = []
    for text in texts:

        def fill(match: re.Match[str], text: str = text) -> str:
            nonlocal count
            count += 1
            full, second, pronoun, after = forms[match.group(1), match.group(2)]
            if count == 1:
                word = full
            elif count <= NAMED:
                word = second
            else:
                before = text[: match.start()].split()
                preposition = bool(before) and before[-1].lower() in RU_PREPOSITIONS
                word = after if preposition else pronoun
            return word[:1].upper() + word[1:] if match.start() == 0 else word

        out.append(_MENTION.sub(fill, text))
    return out


def shorten_ru(form: str) -> str:
    """ "моего младшего брата" → "младшего брата", "пожилого мужчину" → "мужчину"."""
    first, _, rest = form.partition(" ")
    if first in ("мой", "моего", "моему", "моим", "моём", "моя", "мою", "моей"):
        return rest
    if " из " in form:
        return first
    return form.rsplit(" ", 1)[-1]
