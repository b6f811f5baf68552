"""Identifying details are found before a letter leaves, and removed ones never reach it."""

from __future__ import annotations

import itertools
import re

import pytest

from portal.casework.deidentify import REMOVED_MARK, Detail, DetailKind, find_details, redact

RU = (
    "Моего сына Данияра Серикова избили в камере № 12 около 23:40. Следователь Петров И.И. "
    "сказал, что Данияр сам упал. Сын 12.03.2005 г.р. Звоните +7 701 234 56 78."
)
KK = (
    "Інім Ерлан 1998 жылы туған, 14-камерада отыр. Тергеуші А. Серіков сағат 3-те ұрды. "
    "Ерлан бізге хат жазды, телефоны 8 (777) 123-45-67."
)


def kinds(text: str) -> dict[str, DetailKind]:
    return {detail.text: detail.kind for detail in find_details(text)}


def test_russian_names_cells_times_dates_of_birth_and_phones():
    found = kinds(RU)
    assert found["Данияра Серикова"] == DetailKind.NAME
    assert found["камере № 12"] == DetailKind.CELL
    assert found["23:40"] == DetailKind.TIME
    assert found["12.03.2005"] == DetailKind.BIRTH_DATE
    assert found["+7 701 234 56 78"] == DetailKind.PHONE
    assert found["Петров И.И."] == DetailKind.NAME  # the role before it is not the name
    assert "Данияр" in found  # a first name alone, inside a sentence


def test_kazakh_names_cells_times_dates_of_birth_and_phones():
    found = kinds(KK)
    assert found["Ерлан"] == DetailKind.NAME
    assert found["1998 жылы туған"] == DetailKind.BIRTH_DATE
    assert found["14-камерада"] == DetailKind.CELL
    assert found["А. Серіков"] == DetailKind.NAME
    assert found["сағат 3-те"] == DetailKind.TIME
    assert found["8 (777) 123-45-67"] == DetailKind.PHONE


@pytest.mark.parametrize(
    "text",
    [
        "В Караганде, в ИВС. Потом его увезли в Астану.",
        "Камера в коридоре не работала, запись удалили через 30 дней.",
        "Өскемендегі тергеу изоляторында 2024 жылы болды.",
    ],
)
def test_places_facilities_and_ordinary_numbers_are_not_details(text):
    assert find_details(text) == []


def test_details_do_not_overlap_and_come_in_order():
    details = find_details(RU + " " + KK)
    starts = [detail.start for detail in details]
    assert starts == sorted(starts)
    for before, after in itertools.pairwise(details):
        assert before.end <= after.start


@pytest.mark.parametrize("text", [RU, KK])
def test_a_removed_detail_never_reaches_the_letter_wherever_it_recurs(text):
    details = find_details(text)
    removed = [detail for detail in details if detail.kind != DetailKind.CELL]
    kept = [detail for detail in details if detail.kind == DetailKind.CELL]
    letter = redact(text, removed)
    for detail in removed:
        assert detail.text.casefold() not in letter.casefold(), detail
    for detail in kept:
        assert detail.text in letter
    assert REMOVED_MARK in letter


def test_a_name_removed_once_is_removed_at_the_start_of_a_sentence_too():
    text = "Дежурный Ахметов вывел его. Ахметов потом сказал, что ничего не было."
    first = find_details(text)[0]
    assert first.text == "Ахметов"
    assert "Ахметов" not in redact(text, [first])


@pytest.mark.parametrize(
    ("text", "name", "gone", "kept"),
    [
        (
            "Данияра избили. Данияру не дали врача. ДАНИЯР сказал, что Даниярда синяки.",
            "Данияра",
            ["Данияра", "Данияру", "ДАНИЯР", "Даниярда"],
            ["избили", "врача"],
        ),
        (
            "Інім Ерлан ауырды. Ерланға дәрігер келмеді, Ерланды ұрды, ерланның телефонын алды.",
            "Ерлан",
            ["Ерлан", "Ерланға", "Ерланды", "ерланның"],
            ["Інім", "дәрігер"],
        ),
        (
            "Петров И.И. ударил его. Петрову никто не возразил, с Петровым был Сидоров.",
            "Петров И.И.",
            ["Петров", "Петрову", "Петровым"],
            ["Сидоров", "ударил"],
        ),
    ],
)
def test_a_removed_name_goes_in_every_case_form_and_letter_case(text, name, gone, kept):
    start = text.index(name)
    letter = redact(text, [Detail(start, start + len(name), DetailKind.NAME, name)])
    words = set(re.findall(r"\w+", letter))
    for form in gone:
        assert form not in words, form
    for word in kept:
        assert word in words, word


def test_a_short_name_or_a_number_is_not_stretched_to_other_words():
    text = "Дежурный Ли ударил. Лида видела. В камере № 12 и в камере № 125 было темно."
    details = find_details(text)
    cell = next(d for d in details if d.text == "камере № 12")
    assert "камере № 125" in redact(text, [cell])  # a cell number is removed as written
    maria = Detail(0, 5, DetailKind.NAME, "Мария")
    assert (
        redact("Мария, Марии и Марию. Март, в марте.", [maria]) == "[…], […] и […]. Март, в марте."
    )
