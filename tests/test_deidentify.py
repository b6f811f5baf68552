"""Identifying details are found before a letter leaves, and removed ones never reach it."""

from __future__ import annotations

import itertools

import pytest

from portal.casework.deidentify import REMOVED_MARK, DetailKind, find_details, redact

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
