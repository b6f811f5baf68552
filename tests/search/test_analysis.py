"""The complaint analyzer: the terms that index and query text become."""

import pickle

from portal.search.analysis import complaint_analyzer


def terms(text: str) -> list[str]:
    return [token.text for token in complaint_analyzer()(text)]


def test_russian_forms_share_a_stem():
    assert terms("избили")[0] == terms("избил")[0]
    assert terms("камере") == terms("камеры")


def test_kazakh_letters_and_hyphenated_names_are_kept():
    assert "city:astana" in terms("Нұр-Сұлтан")


def test_case_and_yo_are_folded():
    assert terms("ЁЛКА") == terms("елка")


def test_the_analyzer_pickles():
    analyzer = pickle.loads(pickle.dumps(complaint_analyzer()))  # noqa: S301 - our own bytes
    assert [token.text for token in analyzer("камеры")] == terms("камеры")
