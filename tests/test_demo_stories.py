"""Demo stories hang together: the review's rules (docs/DEMO.md) hold on generated narratives.

Each rule of :mod:`portal.demo.checks` is first shown to catch hand-written
narratives that break it (most are sentences the generator used to write) and
to leave alone ones that do not; then a few hundred generated stories, with a
fixed seed, must break each rule less than 1 % of the time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from portal.demo import mentions
from portal.demo.checks import RULES, contradictions, destinations, measure, stories
from portal.demo.narratives import Story
from portal.models import Answer, Category, Relation

BY_NAME = {rule.name: rule for rule in RULES}
ARMAN = 5  # lexicon.MALE_NAMES[5]: Арман


def story(**changes) -> Story:
    """A Russian story by a sister about her younger brother, beaten in a police station."""
    base = Story(
        lang="ru",
        mixed=False,
        relation=Relation.RELATIVE,
        victim="younger_brother",
        author_gender=1,
        name=None,
        perp="duty_officer",
        place="corridor",
        time=0,
        amount=0,
        age=25,
        categories=[Category.PHYSICAL_VIOLENCE],
        camera_present=Answer.YES,
        camera_working=Answer.NO,
        out_of_view=Answer.NO,
        camera_issue="absent",
        incident=date(2025, 3, 1),
        month_only=False,
        kind="police",
    )
    return replace(base, **changes)


SELF = {"relation": Relation.SELF, "victim": "self"}
KK = {"lang": "kk"}

#: (rule, story changes, narrative): each narrative breaks its rule.
BROKEN = [
    ("eyewitness", {}, "Брат в отделе. Номер кабинета не помню, кажется, это было на втором."),
    ("eyewitness", {}, "Брат в отделе. Была ли там камера, я не знаю: было темно."),
    ("eyewitness", {"relation": Relation.LAWYER, "victim": "client_m"}, "Старшего узнаю в лицо."),
    ("eyewitness", KK, "Қызметкерлердің тегін білмеймін, бірақ үлкенін дауысынан танимын."),
    ("eyewitness", KK, "Камераның нөмірі есімде жоқ, шамасы, бұл үшінші қабатта болды."),
    ("transfer", SELF, "После жалобы меня этапировали в другую колонию и ухудшили условия."),
    ("transfer", {"kind": "ivs"}, "Через несколько дней его этапировали в другую колонию."),
    ("transfer", {"kind": "special_detention"}, "Потом его перевели в другой изолятор."),
    ("transfer", {**KK, "kind": "sizo"}, "Шағымнан кейін оны басқа колонияға ауыстырды."),
    ("transfer", {**KK, "kind": "police"}, "Оны «Алыс колонияға жібереміз» деп қорқытты."),
    ("routine", {}, "Ему пригрозили, что его сгноят в ШИЗО."),
    ("routine", {"kind": "sizo"}, "Сотрудники СИЗО угрожали ему ШИЗО."),
    ("routine", {}, "Во время ночной проверки дежурный ударил его."),
    ("routine", {**KK, "kind": "free"}, "Таңғы тексеру алдында оны ұрды."),
    (
        "contradiction",
        {},
        "Его отвели в помещение без камер и избили. Камера там висит под потолком, но работала "
        "ли она, я не знаю.",
    ),
    ("contradiction", {}, "Камера там висит, но была выключена: провода оборваны."),
    ("contradiction", {}, "Во время обеда его пристегнули к батарее и оставили так на всю ночь."),
    (
        "contradiction",
        {"kind": "sizo"},
        "Брат содержится в СИЗО. Побои сняли в частной клинике после освобождения.",
    ),
    (
        "contradiction",
        {"categories": [Category.EXTORTION]},
        "Бить начали, только когда его отвели в «слепую зону».",
    ),
    ("contradiction", {}, "У него астма, но инсулин не давали несколько дней."),
    (
        "contradiction",
        KK,
        "Бейнекамерасы жоқ бөлмеге апарды. Бәрі тура бейнекамераның астында болды.",
    ),
    ("contradiction", KK, "Түскі ас кезінде оны батареяға байлап, түні бойы қалдырды."),
    (
        "contradiction",
        {**KK, "kind": "sizo"},
        "Ол қазір № 1 тергеу изоляторында отыр. Жарақаттарды босағаннан кейін клиникада тіркеді.",
    ),
    (
        "repetition",
        {"name": ARMAN},
        "Пишу по поводу моего младшего брата Армана. Армана задержали у дома. Армана избили в "
        "коридоре. Арману 23 года.",
    ),
    (
        "repetition",
        KK,
        "Інім қазір бөлімде. Інімді көшеде ұстады. Інімді дәлізде ұрды. Інімге 23 жас.",
    ),
    (
        "repetition",
        {"relation": Relation.LAWYER, "victim": "client_m"},
        "Представляю интересы моего подзащитного. Подзащитного избили. Подзащитному не дали "
        "врача. Подзащитный работал водителем.",
    ),
    (
        "introduced",
        {**KK, "name": 3},
        "Мен зардап шеккен адамның туысымын, ол бөлімде ұсталды. Данияр телефон соғып, айтты.",
    ),
    (
        "introduced",
        {"name": ARMAN},
        "Армана задержали у дома. Мой младший брат Арман работал водителем.",
    ),
    ("dangling", SELF, "Пишу о том, что было со мной. После этого мне отказали в помощи."),
    ("dangling", {}, "Пишу о брате. Несмотря на травмы, ему не вызвали врача."),
    (
        "dangling",
        {"categories": [Category.CAMERA_ISSUE]},
        "Пишу о брате. Видеокамеру в коридоре перед этим выключили.",
    ),
    ("dangling", KK, "Бұл інім туралы. Осыдан кейін оған көмек көрсетуден бас тартты."),
    ("call_wrote", {}, "Брат смог позвонить и написал, что с ним сделали."),
    ("call_wrote", KK, "Інім телефон соғып, өзімен не болғанын жазды."),
    (
        "kk_request_order",
        KK,
        "Тексеру жүргізуді және бейнежазбаларды сақтауды сұраймын, олар өшіріліп кетпей тұрғанда.",
    ),
    ("kk_kek_alu", KK, "Кім жазғанын біліп қойса, оған кек алады деп қорқамын."),
    ("kk_kek_alu", {**KK, **SELF}, "Бұл шағымнан кейін маған кек алады деп қорқамын."),
    ("kk_adam_ustady", KK, "Төрт орындық камерада он екі адам ұстады, желдету жоқ."),
    (
        "kk_tautology",
        {**KK, "relation": Relation.LAWYER, "victim": "client_m"},
        "Мен адвокатпын және изоляторда ұсталып отырған қорғауымдағы адамның мүддесін қорғаймын.",
    ),
    ("ru_travmy_snyali", {}, "Травмы сняли только через неделю, справка есть."),
    ("ru_slot_clash", {}, "Свидания не передавали без объяснения причин."),
    ("ru_slot_clash", {}, "Передачи не передавали в наказание за жалобы."),
    ("ru_ob", {}, "От ударов он упал и ударился головой о угол стола."),
    ("ru_ob", {}, "Он рассказал мне на встрече о обращении с ним."),
]

#: (rule, story changes, narrative): none of these breaks its rule.
SOUND = [
    ("eyewitness", {}, "Номер кабинета он не помнит, по его словам, это было на втором этаже."),
    ("eyewitness", {}, "Была ли там камера, он сказать не может: было темно."),
    ("eyewitness", KK, "Оның айтуынша, бұл үшінші қабатта болған, кабинеттің нөмірі есінде жоқ."),
    ("eyewitness", KK, "Мен нөмірі есімде жоқ полиция бөлімінде болған жағдай туралы жазамын."),
    ("transfer", {"kind": "colony"}, "После жалобы его этапировали в другую колонию."),
    ("transfer", {"kind": "sizo"}, "13 мая его этапировали в следственный изолятор № 1 из ИВС."),
    ("transfer", {}, "В тот же день его перевели в ИВС, и семье об этом не сообщили."),
    ("transfer", {"kind": "ivs"}, "Через несколько дней его перевели в СИЗО."),
    (
        "transfer",
        {**KK, "kind": "sizo"},
        "Оны уақытша ұстау изоляторынан № 1 тергеу изоляторына этаппен жіберді.",
    ),
    ("routine", {"kind": "colony"}, "Ему пригрозили, что его сгноят в ШИЗО."),
    ("routine", {"kind": "ivs"}, "Во время ночной проверки дежурный ударил его."),
    (
        "contradiction",
        {},
        "Видеокамеры в здании есть, но именно там, где это случилось, их нет. Его отвели в "
        "помещение без камер и избили.",
    ),
    ("contradiction", {}, "Свет в камере не выключали круглые сутки. Камера там давно сломана."),
    ("contradiction", {}, "Поздно вечером его пристегнули к батарее и оставили так на всю ночь."),
    ("contradiction", {}, "Побои сняли в частной клинике после освобождения."),
    ("contradiction", {}, "У него диабет, но инсулин не давали несколько дней."),
    ("contradiction", KK, "Жарықты өшірмеді. Ол жерде бейнекамера бар, бірақ әлдеқашан бұзылған."),
    (
        "contradiction",
        {**KK, **SELF},
        "Атымды жазбай отырмын. Соққының іздерін босағаннан кейін жеке клиникада тіркеді.",
    ),
    (
        "repetition",
        {"name": ARMAN},
        "Пишу по поводу моего младшего брата Армана. Армана задержали у дома. Его избили в "
        "коридоре. Ему 23 года.",
    ),
    ("repetition", KK, "Інім қазір бөлімде. Інімді көшеде ұстады. Оны ұрды. Оған 23 жас."),
    ("introduced", {"name": ARMAN}, "Мой младший брат Арман содержится в СИЗО. Армана избили."),
    ("introduced", {**KK, "name": 3}, "Інім Данияр бөлімде ұсталды. Данияр телефон соғып, айтты."),
    (
        "dangling",
        SELF,
        "Пишу о том, что было со мной. Дежурный ударил меня по голове. После этого мне отказали "
        "в помощи.",
    ),
    ("dangling", {}, "Пишу о брате. Его избили в коридоре. Несмотря на травмы, врача не вызвали."),
    ("call_wrote", {}, "Брат смог позвонить и рассказал, что с ним сделали."),
    ("call_wrote", KK, "Інім таныс адам арқылы хат беріп, өзімен не болғанын жазды."),
    (
        "kk_request_order",
        KK,
        "Тексеру жүргізуді және жазбалар өшіріліп кетпей тұрғанда бейнежазбаларды сақтауды "
        "сұраймын.",
    ),
    ("kk_request_order", KK, "Кім жазғанын айтпауды сұраймын, себебі оған әлі онда болу керек."),
    ("kk_kek_alu", KK, "Кім жазғанын біліп қойса, одан кек алады деп қорқамын."),
    ("kk_kek_alu", KK, "Тергеуші оны «кек аламыз» деп қорқытты."),
    ("kk_adam_ustady", KK, "Төрт орындық камерада он екі адам ұсталды, желдету жоқ."),
    ("kk_adam_ustady", KK, "Оны хаттама толтырмай он екі сағат ұстады."),
    ("kk_tautology", KK, "Мен адвокатпын, изоляторда ұсталған клиентімнің мүддесін білдіремін."),
    ("ru_travmy_snyali", {}, "Побои сняли только через неделю, а травмы зафиксировали позже."),
    ("ru_slot_clash", {}, "Передачи не принимали, письма не передавали, свидания отменяли."),
    ("ru_ob", {}, "Он упал и ударился головой об угол стола, потом о батарею."),
]


@pytest.mark.parametrize(("name", "changes", "text"), BROKEN)
def test_each_rule_catches_a_narrative_that_breaks_it(name, changes, text):
    rule = BY_NAME[name]
    broken = story(**changes)
    assert rule.applies(broken), name
    assert rule.finds(broken, text), (name, text)


@pytest.mark.parametrize(("name", "changes", "text"), SOUND)
def test_each_rule_leaves_a_sound_narrative_alone(name, changes, text):
    rule = BY_NAME[name]
    assert not rule.finds(story(**changes), text), (name, text)


def test_every_rule_is_shown_to_catch_and_to_spare():
    assert {name for name, _, _ in BROKEN} == set(BY_NAME)
    assert {name for name, _, _ in SOUND} == set(BY_NAME)


def test_eyewitness_details_are_the_authors_own_when_they_were_there():
    text = "Номер кабинета не помню, кажется, это было на втором этаже."
    assert not BY_NAME["eyewitness"].applies(story(**SELF))
    assert not BY_NAME["eyewitness"].applies(story(relation=Relation.WITNESS, victim="cellmate"))
    assert BY_NAME["eyewitness"].finds(story(), text)


def test_contradictions_are_named_and_transfers_read_by_destination():
    assert contradictions(
        story(kind="sizo"), "Он содержится в СИЗО. Справку дали после освобождения."
    ) == ["still held / released"]
    assert destinations("Его этапировали в следственный изолятор № 1 из ИВС.") == {"sizo"}
    assert destinations("Оны уақытша ұстау изоляторынан тергеу изоляторына жіберді.") == {"sizo"}
    assert destinations("Его держали в ИВС трое суток.") == set()  # nobody moved


def test_the_affected_person_is_named_twice_then_referred_to_by_pronoun():
    forms = {
        ("ru", "V"): ("мой младший брат Арман", "Арман", "он", "он"),
        ("ru", "Vacc"): ("моего младшего брата Армана", "Армана", "его", "него"),
        ("ru", "Vdat"): ("моему младшему брату Арману", "Арману", "ему", "нему"),
    }
    mark = {slot: mentions.MENTION + "ru" + slot + mentions.END_MENTION for _, slot in forms}
    texts = [
        f"{mark['V']} содержится в СИЗО.",
        f"{mark['Vacc']} избили.",
        f"Следователь угрожал {mark['Vdat']}.",
        f"Адвоката к {mark['Vdat']} не пускали, {mark['Vacc']} держали в карцере.",
    ]
    assert mentions.name_then_pronoun(texts, forms) == [
        "Мой младший брат Арман содержится в СИЗО.",
        "Армана избили.",
        "Следователь угрожал ему.",
        "Адвоката к нему не пускали, его держали в карцере.",
    ]


def test_generated_stories_break_each_rule_less_than_one_percent_of_the_time():
    rates = measure(stories(seed=11, count=400), keep=2)
    for rate in rates:
        assert rate.stories >= 100, f"{rate.rule.name} concerns too few stories to measure"
        assert rate.percent < 1, (rate.rule.name, rate.hits, rate.stories, rate.examples)
