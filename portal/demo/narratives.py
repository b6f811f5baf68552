"""Demo complaint narratives in Russian and Kazakh, built from grammar templates.

A :class:`Story` holds the semantic choices of one complaint (who writes, about
whom, where, when, what happened, what the cameras did). :func:`write` turns it
into 40–200 words: every sentence is drawn from a template pool and inflected
for the people in the story, in Russian, in Kazakh, or (about 5 % of
complaints) switching between the two as people do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from portal.demo import lexicon as lx
from portal.demo import mentions, phrases_kk, phrases_kk_more, phrases_ru, phrases_ru_more
from portal.demo.grammar import Expander, compile_pools, kk_case
from portal.models import Answer, Category, Relation

POOLS = {
    "ru": compile_pools({**phrases_ru.POOLS, **phrases_ru_more.POOLS}),
    "kk": compile_pools({**phrases_kk.POOLS, **phrases_kk_more.POOLS}),
}

MIN_WORDS, MAX_WORDS = 40, 200
#: Agreement key ``r``: who writes (templates like "{r:self|relative|lawyer|witness}").
RELATION_INDEX = {Relation.SELF: 0, Relation.RELATIVE: 1, Relation.LAWYER: 2, Relation.WITNESS: 3}
#: Other people held there, who saw or heard it (ru, kk).
PEERS = {
    "police": ("задержанные", "ұсталғандар"),
    "ivs": ("задержанные", "ұсталғандар"),
    "sizo": ("сокамерники", "камерадағы адамдар"),
    "colony": ("осужденные", "сотталғандар"),
    "special_detention": ("арестованные", "қамаққа алынғандар"),
    "free": ("люди", "адамдар"),
}
#: Stands for the incident date until the sentences are chosen (the first one gets the date).
DATE_MARK = "\x01"
#: Agreement key ``k``: the facility type, for transfers, threats and punishment cells that
#: only some types have ("free" places are police places).
KIND_INDEX = {"police": 0, "free": 0, "ivs": 1, "sizo": 2, "colony": 3, "special_detention": 4}
#: Types where the affected person is still held when the complaint is written (key ``held``).
HELD = {"sizo", "colony"}
#: Categories that tell an event something can follow ("После этого…"), key ``e``.
EVENTS = {
    Category.PHYSICAL_VIOLENCE,
    Category.TORTURE,
    Category.SEXUAL_VIOLENCE,
    Category.THREATS,
    Category.EXTORTION,
    Category.FORCED_CONFESSION,
}


@dataclass(slots=True)
class Story:
    """The semantic content of one complaint, shared by both languages."""

    lang: str
    mixed: bool
    relation: Relation
    #: "self", or a key of lexicon.RELATIVES / CLIENTS / STRANGERS.
    victim: str
    author_gender: int
    name: int | None
    perp: str
    place: str
    time: int
    amount: int
    age: int
    categories: list[Category]
    camera_present: Answer
    camera_working: Answer
    out_of_view: Answer
    #: For camera_issue: "absent", "off" or "withheld".
    camera_issue: str
    incident: date
    month_only: bool
    #: facility type value for the "arrival" sentences, or "free" for a free-text place.
    kind: str
    #: Facility and city forms per language (see FacilityPlan.ru / .kk).
    forms: dict[str, dict[str, str]] = field(default_factory=dict)


def _date(story: Story, lang: str, rng: random.Random) -> str:
    day, month, year = story.incident.day, story.incident.month, story.incident.year
    if lang == "ru":
        if story.month_only:
            return f"в {lx.RU_MONTHS_PREP[month - 1]} {year} года"
        if rng.random() < 0.3:
            return f"{day} {lx.RU_MONTHS_GEN[month - 1]}"
        return f"{day} {lx.RU_MONTHS_GEN[month - 1]} {year} года"
    name = lx.KK_MONTHS[month - 1]
    if story.month_only:
        return f"{year} жылдың {name} айында"
    if rng.random() < 0.3:
        return f"{day} {kk_case(name, 'loc')}"
    return f"{year} жылғы {day} {kk_case(name, 'loc')}"


def _scene(story: Story) -> dict[str, int]:
    """Agreement keys shared by both languages: who could see, where, when, what is known.

    ``w`` 1 when the author was not there (a relative, a lawyer: eyewitness details are
    retold, "по его словам"); ``k`` the facility type (:data:`KIND_INDEX`); ``held`` 1 while
    the person is still held (no "after release"); ``c`` whether a camera was where it
    happened (0 no, 1 yes, 2 unknown); ``t`` the time of day of ``TIME`` (0 day, 1 night,
    2 either: nothing lasts "all night" from lunchtime); ``hv`` 1 when someone was beaten or
    tortured; ``e`` and ``h`` (an event, a beating told before) are set while writing.
    """
    if story.camera_issue == "off" and Category.CAMERA_ISSUE in story.categories:
        camera_here = 1
    elif story.camera_present == Answer.NO or story.out_of_view == Answer.YES:
        camera_here = 0
    else:
        camera_here = 1 if story.camera_present == Answer.YES else 2
    return {
        "w": int(story.relation in (Relation.RELATIVE, Relation.LAWYER)),
        "k": KIND_INDEX[story.kind],
        "held": int(story.kind in HELD),
        "c": camera_here,
        "t": lx.TIME_OF_DAY[story.time],
        "hv": int(bool({Category.PHYSICAL_VIOLENCE, Category.TORTURE} & set(story.categories))),
        "e": 0,
        "h": 0,
    }


def contexts(story: Story, rng: random.Random) -> dict[str, dict[str, object]]:
    """The slot values and agreement keys of ``story`` for each language."""
    ru_perp, kk_perp = lx.PERPETRATORS[story.perp]
    if story.place in lx.PLACES:
        place_ru, place_kk = lx.PLACES[story.place]
    else:  # a free-text place: the place itself
        place_ru, place_kk = story.forms["ru"]["PL"], story.forms["kk"]["PL"]
    time_ru, time_kk = lx.TIMES[story.time]
    amount_ru, amount_kk = lx.AMOUNTS[story.amount]
    relation = RELATION_INDEX[story.relation]
    scene = _scene(story)
    ru: dict[str, object] = {
        **scene,
        **mentions.victim_ru(story),
        "r": relation,
        **story.forms["ru"],
        "ag": story.author_gender,
        "p": ru_perp[4],
        "P": ru_perp[0],
        "Pgen": ru_perp[1],
        "Pdat": ru_perp[2],
        "Pins": ru_perp[3],
        "PL": place_ru,
        "TIME": time_ru,
        "AMOUNT": amount_ru,
        "AGE": lx.ru_years(story.age),
        "DATE": DATE_MARK,
        "DATEFULL": _date(story, "ru", rng),
        "PEERS": PEERS[story.kind][0],
    }
    kk: dict[str, object] = {
        **scene,
        **mentions.victim_kk(story),
        "r": relation,
        **story.forms["kk"],
        "P": kk_perp[0],
        "Pacc": kk_perp[1],
        "Pdat": kk_perp[2],
        "Pgen": kk_perp[3],
        "Pabl": kk_perp[4],
        "PL": place_kk,
        "TIME": time_kk,
        "AMOUNT": amount_kk,
        "AGE": str(story.age),
        "DATE": DATE_MARK,
        "DATEFULL": _date(story, "kk", rng),
        "PEERS": PEERS[story.kind][1],
    }
    return {"ru": ru, "kk": kk}


def _plan(story: Story, rng: random.Random) -> list[tuple[int, str, bool]]:
    """(section, pool, required) in reading order; optional ones may be left out."""
    intro = "intro_free" if story.kind == "free" else f"intro_{story.relation.value}"
    plan: list[tuple[int, str, bool]] = [(0, intro, True)]
    if story.relation == Relation.RELATIVE:
        plan.append((1, "source_relative", False))
    if story.month_only:
        plan.append((2, "month_unsure", False))
    plan.append((2, f"arrival:{story.kind}", False))
    for category in story.categories:
        if category == Category.CAMERA_ISSUE:
            plan.append((3, f"cat:camera_issue:{story.camera_issue}", True))
            continue
        plan.append((3, f"cat:{category.value}", True))
        extra = f"catx:{category.value}"
        if story.relation == Relation.RELATIVE and category == Category.LAWYER_FAMILY_DENIAL:
            extra += ":relative"
        if extra in POOLS["ru"]:
            plan.append((3, extra, False))
    camera = _camera_pool(story)
    # A camera switched off on purpose is told by the camera_issue sentence alone: another
    # one ("long broken", "a room without cameras") would contradict it.
    if not (Category.CAMERA_ISSUE in story.categories and story.camera_issue == "off"):
        plan.append((4, camera, Category.CAMERA_ISSUE not in story.categories))
        if _tells_view(story, camera):
            plan.append((4, f"oov:{story.out_of_view.value}", False))
    if {Category.PHYSICAL_VIOLENCE, Category.TORTURE} & set(story.categories):
        plan.append((5, "injury", False))
    plan.extend((5, pool, False) for pool in ("ignored", "transfer", "fear") if rng.random() < 0.5)
    plan.extend((6, "filler", False) for _ in range(6))
    plan.append((7, "request", True))
    return plan


def _tells_view(story: Story, camera: str) -> bool:
    """Whether an "out of the cameras' view" sentence can follow the camera sentence.

    Not after one that already says (right under the camera, a camera that does not work),
    not "in view" when nobody knows of a camera, not "was it filmed?" when there was none.
    """
    if camera in ("cam:inview", "cam:yes:no"):
        return False
    if story.out_of_view == Answer.NO:
        return story.camera_present == Answer.YES
    return not (story.out_of_view == Answer.DONT_KNOW and story.camera_present == Answer.NO)


def _camera_pool(story: Story) -> str:
    """The camera sentence: none there, cameras only elsewhere, or one there (working or not)."""
    if story.camera_present != Answer.YES:
        return f"cam:{story.camera_present.value}"
    if story.out_of_view == Answer.YES:
        return "cam:elsewhere"
    if story.camera_working == Answer.YES:
        return "cam:inview" if story.out_of_view == Answer.NO else "cam:yes:yes"
    return f"cam:yes:{story.camera_working.value}"


def _later_date(story: Story, lang: str, rng: random.Random) -> str:
    if lang == "ru":
        return rng.choice(
            ("тогда же", "в то же время")
            if story.month_only
            else ("в тот же день", "в тот день", "тогда же")
        )
    return "сол кезде" if story.month_only else rng.choice(("сол күні", "сол күні", "сол кезде"))


def write(story: Story, rng: random.Random) -> str:
    """The narrative of ``story``: 40–200 words in its language(s)."""
    ctx = contexts(story, rng)
    forms = mentions.mention_forms(story, ctx)
    for lang, slot in forms:
        ctx[lang][slot] = mentions.MENTION + lang + slot + mentions.END_MENTION
    expanders = {lang: Expander(rng, ctx[lang], POOLS[lang]) for lang in ("ru", "kk")}
    other = "kk" if story.lang == "ru" else "ru"

    # Every candidate sentence, in reading order: (section, language, text, required).
    candidates: list[tuple[int, str, str, bool]] = []
    told: set[Category] = set()  # categories whose (required) sentence is already written
    for index, (section, pool, required) in enumerate(_plan(story, rng)):
        lang = story.lang
        if story.mixed and index and rng.random() < 0.35:
            lang = other
        for values in ctx.values():
            values["e"] = int(bool(EVENTS & told))
            values["h"] = int(Category.PHYSICAL_VIOLENCE in told)
        text = expanders[lang].pool(pool)
        if pool.startswith("cat:"):
            told.add(Category(pool.split(":")[1]))
        opening = text.split()[:2]
        if required or not any(opening == c[2].split()[:2] for c in candidates):
            candidates.append((section, lang, text, required))
    if story.mixed and all(c[1] == story.lang for c in candidates):
        candidates.insert(-1, (6, other, expanders[other].pool("filler"), True))

    target = int(rng.triangular(MIN_WORDS, MAX_WORDS, 85))
    keep = [c[3] for c in candidates]
    words = sum(_words(c[2]) for c in candidates if c[3])
    optional = [i for i, c in enumerate(candidates) if not c[3]]
    rng.shuffle(optional)
    for i in optional:
        size = _words(candidates[i][2])
        if words + size <= max(target, MIN_WORDS + 10) and words + size <= MAX_WORDS:
            keep[i] = True
            words += size
    chosen = [c for c, kept in zip(candidates, keep, strict=True) if kept]
    while True:
        texts = mentions.name_then_pronoun([c[2] for c in chosen], forms)
        if sum(_words(t) for t in texts) <= MAX_WORDS or len(chosen) <= 3:
            break
        del chosen[-2]
    chosen = [(c[0], c[1], t, c[3]) for c, t in zip(chosen, texts, strict=True)]
    return _paragraphs(_dates(story, chosen, ctx, rng), [c[0] for c in chosen], rng)


def _words(text: str) -> int:
    return len(text.split())


def _dates(
    story: Story,
    chosen: list[tuple[int, str, str, bool]],
    ctx: dict[str, dict[str, object]],
    rng: random.Random,
) -> list[str]:
    """Put the full date in the first sentence that mentions it, "that day" in later ones."""
    out: list[str] = []
    first = True
    for _, lang, text, _ in chosen:
        if str(ctx[lang]["DATEFULL"]) in text:  # "the exact day I don't remember: in March…"
            first = False
        while DATE_MARK in text:
            date_text = _date(story, lang, rng) if first else _later_date(story, lang, rng)
            first = False
            if text.startswith(DATE_MARK):
                date_text = date_text[:1].upper() + date_text[1:]
            text = text.replace(DATE_MARK, date_text, 1)
        out.append(text)
    return out


def _paragraphs(sentences: list[str], sections: list[int], rng: random.Random) -> str:
    """Join sentences, sometimes in paragraphs (after the introduction, before the request)."""
    if rng.random() < 0.6 or len(sentences) < 4:
        return " ".join(sentences)
    parts: list[str] = []
    for i, sentence in enumerate(sentences):
        if i and sections[i] != sections[i - 1] and sections[i] in (2, 3, 7):
            parts.append("\n\n")
        elif i:
            parts.append(" ")
        parts.append(sentence)
    return "".join(parts)
