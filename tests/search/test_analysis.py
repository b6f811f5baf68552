"""The complaint analyzer: the terms that index and query text become."""

import pickle
from collections import defaultdict

import pytest

from portal.search.analysis import complaint_analyzer, split_words
from portal.search.translit import fold


def positions(text: str, mode: str = "index") -> list[list[str]]:
    """The terms at each position."""
    found: dict[int, list[str]] = defaultdict(list)
    for token in complaint_analyzer()(text, positions=True, mode=mode):
        found[token.pos].append(token.text)
    return [found[pos] for pos in sorted(found)]


def index_terms(text: str) -> set[str]:
    return {term for terms in positions(text) for term in terms}


def query_terms(text: str) -> list[str]:
    return [term for terms in positions(text, "query") for term in terms]


def test_russian_forms_share_a_stem():
    assert query_terms("избили") == query_terms("избил")
    assert query_terms("камере") == query_terms("камеры") == query_terms("камерой")
    assert query_terms("наручниками") == query_terms("наручники")


def test_case_and_yo_are_folded():
    assert query_terms("ЁЛКА") == query_terms("елка")
    assert query_terms("ТЕРГЕУШІ") == query_terms("тергеуші")


def test_kazakh_letters_are_kept():
    assert split_words("Ұлымды қамауға алды")[0][0] == "Ұлымды"
    assert query_terms("ұрды") != query_terms("урд")


def test_hyphenated_place_names_take_one_position():
    assert positions("Нұр-Сұлтан") == [["city:astana", "нур", "султан"]]
    assert len(positions("в Усть-Каменогорске избили")) == 2


def test_a_kazakh_ending_after_a_hyphen_stays_with_its_word():
    assert positions("СИЗО-ға") == positions("СИЗО")
    assert positions("ИВС-те") == positions("ИВС")


def test_hyphenated_words_are_cut_into_parts():
    assert len(positions("қол-аяғын байлады")) == 3
    # A thesaurus term of two words (ұрып-соғу) takes one position, in any form.
    assert positions("ұрып-соқты") == positions("ұрып-соғу")
    assert "syn:beating" in positions("ұрып-соқты")[0]


def test_function_words_are_left_out():
    assert query_terms("не вызвали скорую") == query_terms("вызвали скорую")
    assert query_terms("пакет на голову") == query_terms("пакет голову")
    assert query_terms("адвокат мен тергеуші") == query_terms("адвокат тергеуші")


@pytest.mark.parametrize(
    "query",
    [
        "избили дубинкой",
        "камерада ұрды",
        "kamerada urdy",
        "жедел жәрдем шақырмады",
        "в Нур-Султане",
        "адвокатсыз тергеді",
        "camera söndırulı",
        "пара талап етті",
    ],
)
def test_a_query_writes_one_term_per_position(query):
    assert all(len(terms) == 1 for terms in positions(query, "query"))


@pytest.mark.parametrize(
    "text",
    [
        "Оны камерада ұрды, адвокатсыз тергеді.",
        "Меня избили в камере дубинкой.",
        "оны дубинкамен ұрған, потом скорую даже не вызвали",
        "Men Qaraghandy qalasynda ustaldym, kamerada urdy.",
        "камерада правда города страны",
    ],
)
def test_every_word_finds_itself(text):
    indexed = positions(text)
    queried = positions(text, "query")
    assert len(indexed) == len(queried)
    for index_terms_here, (query_term,) in zip(indexed, queried, strict=True):
        assert query_term in index_terms_here


def test_a_word_of_unknown_language_is_indexed_both_ways():
    # камерада: Kazakh камера + -да, or a Russian-looking word: both stems at one position.
    mixed = positions("камерада")[0]
    assert "камер" in mixed and "камерад" in mixed
    # Kazakh typed without Kazakh letters (камерага) reads as Kazakh in Kazakh
    # text, and as Russian in a plainly Russian sentence.
    assert "камер" in index_terms("Оны камерага қамады")
    assert "камер" not in index_terms("Его избили, потом камерага его не пустили")


def test_kazakh_typed_on_a_russian_keyboard_is_read_as_kazakh_in_kazakh_text():
    terms = index_terms("мени камерага камады, адвокатты киргизбеди")
    assert "камер" in terms
    assert "syn:admit" in terms


def test_loanwords_meet_their_russian_forms():
    assert set(query_terms("прокуратураға")) == set(query_terms("прокуратуры"))
    assert set(query_terms("электрошокермен")) & index_terms("электрошокером")
    assert query_terms("полицияда")[0] in index_terms("в полиции")


def test_unanalysed_text_is_folded_only():
    analyzer = complaint_analyzer()
    assert [t.text for t in analyzer("Қамау", tokenize=False)] == [fold("қамау")]
    assert [t.text for t in analyzer("qamau", tokenize=False)] == [fold("қамау")]


def test_characters_point_back_into_the_text():
    text = "Меня избили в Нур-Султане"
    tokens = [(t.text, t.startchar, t.endchar) for t in complaint_analyzer()(text, chars=True)]
    assert ("syn:beating", 5, 11) in tokens
    assert ("city:astana", 14, 25) in tokens


def test_the_analyzer_pickles():
    analyzer = pickle.loads(pickle.dumps(complaint_analyzer()))  # noqa: S301 - our own bytes
    assert {token.text for token in analyzer("камеры")} == index_terms("камеры")
    assert analyzer == complaint_analyzer()
