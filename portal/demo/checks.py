"""Checks that a demo complaint narrative hangs together: one rule per problem of the review.

The native-speaker review of December 2026 (``shared/reviews/kk-ru-review-2026-12.md``,
§4) listed what makes generated stories read as generated: a relative telling
what only someone present could know, transfers a facility type does not
allow, stories contradicting themselves, a name repeated instead of a pronoun,
and a handful of grammar slips. Each :class:`Rule` here finds one of them in a
finished narrative, knowing only what a reader of the complaint would know
(who wrote it, about whom, where) from its :class:`~portal.demo.narratives.Story`.

``bench/demo_stories.py`` prints the rate of every rule on generated stories,
and ``tests/test_demo_stories.py`` holds each rate under 1 %; the figures are
in ``docs/DEMO.md``. The rules are written from the text a reader sees, not
from the templates, so that a new template that breaks one is caught.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from portal.demo import checks_text
from portal.demo.checks_text import any_of as _any
from portal.demo.checks_text import sentences
from portal.demo.common import stream
from portal.demo.complaints import draw_specs
from portal.demo.facilities import plan_facilities
from portal.demo.narratives import Story, write
from portal.models import Category, Region, Relation
from portal.reference import read_regions


@dataclass(frozen=True, slots=True)
class Rule:
    """One problem of the review: which stories it concerns, and how to find it in a text."""

    name: str
    description: str
    #: True for the stories the rule concerns (its rate is over these).
    applies: Callable[[Story], bool]
    #: True when ``text``, the narrative of ``story``, breaks the rule.
    finds: Callable[[Story, str], bool]


def _third_person(story: Story) -> bool:
    return story.victim != "self"


def _absent_narrator(story: Story) -> bool:
    return story.relation in (Relation.RELATIVE, Relation.LAWYER)


def _everyone(story: Story) -> bool:
    return True


def _kazakh(story: Story) -> bool:
    return story.lang == "kk" or story.mixed


def _russian(story: Story) -> bool:
    return story.lang == "ru" or story.mixed


# --- 1. Only people who were there give eyewitness details -----------------------------------

#: What only someone present could say: the room number they don't remember, the dark, faces
#: and voices they would recognise, shouts they heard, a camera's light they saw.
EYEWITNESS = _any(
    r"номер (кабинета|камеры) (я )?не помню|было темно|\bузна(ю|ем)\b|смогу опознать"
    r"|(в коридоре|за дверью) (кричали|были слышны крики)|индикатор (не )?горел|горит индикатор"
    r"|висит под потолком|своими глазами"
    r"|(кабинеттің|камераның) нөмірі есімде жоқ|қараңғы болды|(бетінен|дауысынан) танимын"
    r"|(дәлізде|есіктің ар жағында) (айқай естілді|біреу айқайлады)|индикаторы (жанып|жанбады)"
    r"|төбеде ілулі|өз көзіммен"
)
#: "By his account", "he says", "he cannot say": the detail is the affected person's, retold.
ATTRIBUTED = _any(
    r"по (его|её|их) словам|со слов|по словам|говорит|рассказ\w+|не помнит|не может"
    r"|не знает|айтуынша|айтуы бойынша|сөзінше|айтады|айтып берді|есінде жоқ|айта алмайды"
    r"|білмейді"
)


def _eyewitness(story: Story, text: str) -> bool:
    return any(
        EYEWITNESS.search(sentence) and not ATTRIBUTED.search(sentence)
        for sentence in sentences(text)
    )


# --- 2. Transfers go where the facility type allows ------------------------------------------

TRANSFER_VERB = _any(
    r"\b(переве(ли|сти|дут|зут)|этапир\w+|отправ(ить|ят|или|им)|ауыстыр\w*|жібер\w*)\b"
)
#: Where a transfer sentence sends someone, in the accusative (ru) or dative (kk).
DESTINATIONS = {
    "colony": _any(r"\bв (\w+ )?колонию|колония(ға|сына)\b"),
    "sizo": _any(r"\bв (другой )?СИЗО\b|\bв следственный изолятор|тергеу изоляторына\b|СИЗО-ға"),
    "ivs": _any(r"\bв ИВС\b|\bв изолятор временного|уақытша ұстау изоляторына\b|ИВС-ке"),
    "isolator": _any(r"\bв другой изолятор|басқа изоляторға\b"),
    "solitary": _any(
        r"\bв (одиночную камеру|карцер|ШИЗО|ПКТ)|жалғыз адамдық камераға\b|карцерге|ШИЗО-ға"
    ),
    "cell": _any(r"\bв (другую|нормальную|общую) камеру|(басқа|қалыпты|жалпы) камераға\b"),
    "police": _any(r"\bв (отдел|управление) полиции|полиция бөліміне\b"),
}
#: Plausible moves by facility type: police → ИВС; ИВС → СИЗО (after court) or another
#: ИВС; СИЗО → another СИЗО; colony → another colony; punishment cells where they exist.
#: A colony needs a sentence, so only a colony sends anyone to a colony.
ALLOWED = {
    "police": {"police", "ivs", "cell"},
    "free": {"police", "ivs", "cell"},
    "ivs": {"ivs", "sizo", "isolator", "solitary", "cell"},
    "sizo": {"sizo", "isolator", "solitary", "cell"},
    "colony": {"colony", "solitary", "cell"},
    "special_detention": {"cell"},
}


def destinations(sentence: str) -> set[str]:
    """Kinds of place ``sentence`` moves someone to (empty when it moves nobody)."""
    if not TRANSFER_VERB.search(sentence):
        return set()
    return {kind for kind, pattern in DESTINATIONS.items() if pattern.search(sentence)}


def _transfer(story: Story, text: str) -> bool:
    allowed = ALLOWED[story.kind]
    return any(destinations(sentence) - allowed for sentence in sentences(text))


#: A colony's punishment cell (ШИЗО), or the roll calls and lights-out of places where people
#: spend nights, told of a police station.
COLONY_ONLY = _any(r"ШИЗО")
OVERNIGHT_ONLY = _any(
    r"ночной проверки|утренней проверкой|после отбоя|на каждой проверке|түнгі тексеру"
    r"|таңғы тексеру|ұйқы уақыты|әр тексеруде"
)


def _routine(story: Story, text: str) -> bool:
    if story.kind != "colony" and COLONY_ONLY.search(text):
        return True
    return story.kind in ("police", "free") and bool(OVERNIGHT_ONLY.search(text))


# --- 3. No contradictions inside one story ---------------------------------------------------

#: No camera where it happened…
NO_CAMERA_HERE = _any(
    r"без (видео)?камер\b|камер (там|в этом помещении) (нет|не было)|вообще нет камер"
    r"|нет ни одной видеокамеры|где камер нет|бейнекамерасы жоқ|бейнекамерасыз"
    r"|(ол жерде|бұл бөлмеде) бейнекамера (жоқ|болған жоқ)|мүлдем бейнекамера жоқ"
    r"|бірде-бір бейнекамера жоқ"
)
#: …against a camera right there.
CAMERA_HERE = _any(
    r"камера там (висит|есть)|висит под потолком|прямо под камерой|в поле зрения камеры"
    r"|ол жерде бейнекамера (ілулі|бар)|төбеде ілулі|бейнекамераның астында"
    r"|бейнекамераның көру аймағында"
)
#: A camera switched off on purpose, against one long broken or with its wires cut.
SWITCHED_OFF = _any(
    r"\bвыключили\b|была выключена|включили снова|өшіріп тастады|өшірілген|қайта қосты"
)
BROKEN = _any(r"давно сломана|провода оборваны|әлдеқашан бұзылған|сымдары үзілген")
#: A day-time moment, against something lasting the night or until morning.
DAYTIME = _any(
    r"во время обеда|рано утром|перед утренней проверкой|түскі ас|таңертең ерте|таңғы тексеру"
)
OVERNIGHT = _any(r"всю ночь|до (самого )?утра|за ночь|түні бойы|таң атқанша|таңға дейін")
#: Still held, against released ("отыр" after a place or a time: it is also an auxiliary verb,
#: "жазып отырмын", "I am writing").
STILL_HELD = _any(
    r"сейчас находится|\bсодерж(ится|усь)\b|отбыва(ет|ю) наказание|ещё там находиться"
    r"|ұсталып отыр\b|өтеп жүр|әлі сол жерде|(да|де|та|те|бойы|бері|күтіп)\s+отыр(мын)?\b"
)
RELEASED = _any(r"после освобождения|вышел на свободу|босағаннан кейін|босап шыққан")
#: A beating told of a story with no beating in it.
BEATING_START = _any(r"(бить|избивать) начали|ұра бастағанда|соққы жаудыра бастағанда")
VIOLENCE = {Category.PHYSICAL_VIOLENCE, Category.TORTURE}
#: Insulin withheld from someone said to have asthma or a bad heart.
INSULIN, DIABETES = _any(r"инсулин"), _any(r"диабет")


def contradictions(story: Story, text: str) -> list[str]:
    """The contradictions found in ``text`` (empty when it hangs together)."""
    found = []
    if NO_CAMERA_HERE.search(text) and CAMERA_HERE.search(text):
        found.append("no camera there / a camera there")
    if SWITCHED_OFF.search(text) and BROKEN.search(text):
        found.append("switched off / broken")
    if DAYTIME.search(text) and OVERNIGHT.search(text):
        found.append("in the daytime / all night")
    if STILL_HELD.search(text) and RELEASED.search(text):
        found.append("still held / released")
    if BEATING_START.search(text) and not VIOLENCE & set(story.categories):
        found.append("a beating in a story without one")
    if INSULIN.search(text) and not DIABETES.search(text):
        found.append("insulin without diabetes")
    return found


def _contradiction(story: Story, text: str) -> bool:
    return bool(contradictions(story, text))


# --- the rules -------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        "eyewitness",
        "a relative or lawyer gives eyewitness details as their own",
        _absent_narrator,
        _eyewitness,
    ),
    Rule(
        "transfer",
        "a transfer the facility type does not allow (e.g. police station → colony)",
        _everyone,
        _transfer,
    ),
    Rule(
        "routine",
        "a punishment cell or custody routine the facility type does not have",
        _everyone,
        _routine,
    ),
    Rule("contradiction", "the story contradicts itself", _everyone, _contradiction),
    Rule(
        "repetition",
        "the affected person named 4+ times instead of a pronoun",
        _third_person,
        checks_text.repeats_name,
    ),
    Rule(
        "introduced",
        "a person named without being introduced, or form language for it",
        _third_person,
        checks_text.not_introduced,
    ),
    Rule(
        "dangling",
        "«После этого», «перед этим», «Несмотря на травмы» with nothing before",
        _everyone,
        checks_text.dangling,
    ),
    Rule(
        "call_wrote",
        "phoned… and wrote (телефон соғып… жазды, смог позвонить и написал)",
        _everyone,
        checks_text.call_wrote,
    ),
    Rule(
        "kk_request_order",
        "kk: a clause after the request verb (…сұраймын, олар өшіріліп кетпей тұрғанда)",
        _kazakh,
        checks_text.kk_request_order,
    ),
    Rule(
        "kk_kek_alu",
        "kk: «маған/оған кек алады» for «менен/одан кек алады»",
        _kazakh,
        checks_text.kk_kek_alu,
    ),
    Rule(
        "kk_adam_ustady",
        "kk: «он екі адам ұстады» (reads as “twelve people detained”)",
        _kazakh,
        checks_text.kk_adam_ustady,
    ),
    Rule(
        "kk_tautology",
        "kk: «қорғауымдағы адамның мүддесін қорғаймын»",
        _kazakh,
        checks_text.kk_tautology,
    ),
    Rule(
        "ru_travmy_snyali",
        "ru: «Травмы сняли» for «побои сняли» / «травмы зафиксировали»",
        _russian,
        checks_text.ru_travmy_snyali,
    ),
    Rule(
        "ru_slot_clash",
        "ru: «Свидания не передавали», «Передачи не передавали»",
        _russian,
        checks_text.ru_slot_clash,
    ),
    Rule("ru_ob", "ru: «о угол» for «об угол»", _russian, checks_text.ru_ob),
)


# --- measuring -------------------------------------------------------------------------------


def regions() -> list[Region]:
    """The 20 real regions as unsaved rows (ids 1–20), for generating without a database."""
    rows = read_regions()
    return [
        Region(id=i, **{k: v for k, v in row.items() if k != "kind"})
        for i, row in enumerate(rows, start=1)
    ]


def stories(seed: int, count: int, facilities: int = 300) -> Iterator[tuple[Story, str]]:
    """``count`` generated stories and their narratives, as ``demo-data --seed`` draws them.

    The same streams and order as :func:`portal.demo.generate` (duplicates aside), without
    a database.
    """
    known = regions()
    plans = plan_facilities(stream(seed, "facilities"), known, facilities, 1, set())
    specs = draw_specs(stream(seed, "complaints"), count, plans, known)
    rng = stream(seed, "narratives")
    for spec in specs:
        yield spec.story, write(spec.story, rng)


@dataclass(slots=True)
class Rate:
    """How often one rule is broken: ``hits`` of the ``stories`` it concerns."""

    rule: Rule
    hits: int = 0
    stories: int = 0
    #: The first few narratives that break it, to read.
    examples: list[str] | None = None

    @property
    def percent(self) -> float:
        """The rate in percent (0 when the rule concerns no story)."""
        return 100.0 * self.hits / self.stories if self.stories else 0.0


def measure(pairs: Iterator[tuple[Story, str]], keep: int = 0) -> list[Rate]:
    """The rate of every rule over ``pairs`` of (story, narrative), with ``keep`` examples."""
    rates = [Rate(rule, examples=[]) for rule in RULES]
    for story, text in pairs:
        for rate in rates:
            if not rate.rule.applies(story):
                continue
            rate.stories += 1
            if rate.rule.finds(story, text):
                rate.hits += 1
                if rate.examples is not None and len(rate.examples) < keep:
                    rate.examples.append(text)
    return rates
