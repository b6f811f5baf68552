"""Concepts stated with a number: a minor by age, the cold by temperature, a sum of money."""

import pytest

from portal.search.analysis import complaint_analyzer, split_words
from portal.search.numbers import COLD, MINOR, MONEY, stated_concepts


def stated(text: str) -> dict[str, str]:
    """Word → concept token for the words of ``text`` that state a concept."""
    words = split_words(text)
    found = stated_concepts(text, [(word[0], word[1]) for word in words])
    return {words[index][0]: token for index, token in found.items()}


def index_terms(text: str) -> set[str]:
    return {token.text for token in complaint_analyzer()(text, mode="index")}


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Моего сына, ему 16 лет, били ногами", "лет"),
        ("ему было 15 лет", "лет"),
        ("Моего 15-летнего племянника били", "летнего"),
        ("пятнадцатилетнего сына задержали", "пятнадцатилетнего"),
        ("ей всего четырнадцать лет", "лет"),
        ("он бес жасар ұлымды ұрды", "жасар"),
        ("он жеті жастағы інім", "жастағы"),
        ("16 жасар баланы", "жасар"),
        ("on bes jasar ulymdy", "jasar"),
        ("16 zhastagy inim", "zhastagy"),
    ],
)
def test_the_age_of_a_minor_is_the_concept_minor(text, word):
    assert stated(text) == {word: MINOR}
    assert MINOR in index_terms(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ему дали 16 лет колонии",  # a prison term, not an age
        "приговорили к 15 годам",
        "5-летний срок",
        "Моему брату 35 лет",
        "он 20 жаста",
        "Работаю 17 лет водителем",
    ],
)
def test_prison_terms_and_adult_ages_are_not_minors(text):
    assert MINOR not in stated(text).values()
    assert MINOR not in index_terms(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ночью в камере было +8",
        "в бараке +10 зимой",
        "всего 8 градусов",
        "минус 5 градусов",
        "было градусов десять",
        "температура 8–10 градустан аспайды",
    ],
)
def test_a_cold_temperature_is_the_concept_cold(text):
    assert COLD in stated(text).values()
    assert COLD in index_terms(text)


@pytest.mark.parametrize(
    "text", ["температура 39", "летом +35 в камере", "было 25 градусов", "8 человек"]
)
def test_fever_heat_and_counts_are_not_cold(text):
    assert COLD not in stated(text).values()


@pytest.mark.parametrize(
    "text", ["Полицейские потребовали 300 тысяч", "по 50 тысяч с каждого", "100 мың сұрады"]
)
def test_a_sum_in_thousands_is_money(text):
    assert MONEY in stated(text).values()


def test_thousands_without_a_figure_are_not_money():
    assert MONEY not in stated("тысячи заключённых")


def test_queries_do_not_read_numbers_as_concepts():
    """A reviewer typing ``16 лет`` looks for those words, not for every minor."""
    terms = [token.text for token in complaint_analyzer()("ему 16 лет", mode="query")]
    assert MINOR not in terms
