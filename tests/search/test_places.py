"""Places: every name, former name and case form of a city or region meets on one token."""

import pytest

from portal.search.analysis import complaint_analyzer, place_tokens


def index_terms(text: str) -> set[str]:
    return {token.text for token in complaint_analyzer()(text, mode="index")}


@pytest.mark.parametrize(
    ("name", "token"),
    [
        ("Астана", "city:astana"),
        ("Астанада", "city:astana"),
        ("Астанадағы", "city:astana"),
        ("Нұр-Сұлтан", "city:astana"),
        ("Нұр-Сұлтанда", "city:astana"),
        ("Нур-Султан", "city:astana"),
        ("Нур-Султане", "city:astana"),
        ("Нурсултан", "city:astana"),
        ("Nur-Sultan", "city:astana"),
        ("Акмола", "city:astana"),
        ("Целиноград", "city:astana"),
        ("Целинограде", "city:astana"),
        ("Капчагай", "city:konaev"),
        ("Қапшағай", "city:konaev"),
        ("Қапшағайдағы", "city:konaev"),
        ("Qapshaghay", "city:konaev"),
        ("Қонаев", "city:konaev"),
        ("Қонаевта", "city:konaev"),
        ("Конаеве", "city:konaev"),
        ("Усть-Каменогорск", "city:oskemen"),
        ("Усть-Каменогорске", "city:oskemen"),
        ("Өскемен", "city:oskemen"),
        ("Өскеменде", "city:oskemen"),
        ("Өскемендегі", "city:oskemen"),
        ("Oskemen", "city:oskemen"),
        ("Öskemende", "city:oskemen"),
        ("Уральск", "city:oral"),
        ("Уральске", "city:oral"),
        ("Орал", "city:oral"),
        ("Оралда", "city:oral"),
        ("Семипалатинск", "city:semey"),
        ("Семей", "city:semey"),
        ("Семейде", "city:semey"),
        ("Чимкент", "city:shymkent"),
        ("Шымкентте", "city:shymkent"),
        ("Джамбул", "city:taraz"),
        ("Тараз", "city:taraz"),
        ("Кзыл-Орда", "city:kyzylorda"),
        ("Кызылорде", "city:kyzylorda"),
        ("Қызылордада", "city:kyzylorda"),
        ("Гурьев", "city:atyrau"),
        ("Атырауда", "city:atyrau"),
        ("Караганда", "city:karaganda"),
        ("Караганде", "city:karaganda"),
        ("Караганды", "city:karaganda"),
        ("Қарағандыда", "city:karaganda"),
        ("Qaraghandy", "city:karaganda"),
        ("Алма-Ата", "city:almaty"),
        ("Алма-Ате", "city:almaty"),
        ("Алматыда", "city:almaty"),
        ("Петропавловск", "city:petropavl"),
        ("Петропавлда", "city:petropavl"),
        ("Талдыкорган", "city:taldykorgan"),
        ("Талдықорғандағы", "city:taldykorgan"),
        ("Актюбинск", "city:aktobe"),
        ("Ақтөбеде", "city:aktobe"),
        ("Жезказган", "city:zhezkazgan"),
        ("Жезқазғанда", "city:zhezkazgan"),
        ("Туркестан", "city:turkistan"),
        ("Кокчетав", "city:kokshetau"),
        ("Көкшетауда", "city:kokshetau"),
        ("Экибастуз", "city:ekibastuz"),
        ("Екібастұзда", "city:ekibastuz"),
        ("Темиртау", "city:temirtau"),
        ("Кустанай", "city:kostanay"),
        ("Карагандинская область", "region:karaganda"),
        ("Карагандинской области", "region:karaganda"),
        ("Қарағанды облысында", "region:karaganda"),
        ("ВКО", "region:east-kazakhstan"),
        ("Шығыс Қазақстан облысы", "region:east-kazakhstan"),
    ],
)
def test_any_form_of_a_place_name_gives_its_token(name, token):
    assert token in place_tokens(name)
    assert token in index_terms(f"Сына задержали, {name}, ИВС.")


def test_a_query_names_the_place_by_its_token_alone():
    terms = [token.text for token in complaint_analyzer()("в Нур-Султане", mode="query")]
    assert terms == ["city:astana"]


def test_a_region_adds_its_centre_when_they_share_a_name():
    assert set(place_tokens("Павлодар облысы")) == {"region:pavlodar", "city:pavlodar"}
    assert place_tokens("Павлодар") == ("city:pavlodar",)


def test_names_that_are_also_words_need_a_capital_in_complaints():
    # орал- is also 'return', семей is also Russian 'of families'.
    assert "city:oral" not in index_terms("ол үйге оралды")
    assert "city:oral" in index_terms("Оралда ұстады")
    assert "city:semey" not in index_terms("для многодетных семей")
    assert "city:semey" in index_terms("Семей қаласында")


def test_ordinary_words_are_not_places():
    assert place_tokens("камера") == ()
    assert place_tokens("следователь") == ()
