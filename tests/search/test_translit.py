"""Kazakh in the 2021 Latin alphabet and in plain ASCII meets Cyrillic on one key."""

import pytest

from portal.search.keys import word_keys
from portal.search.translit import fold, has_kazakh_letters, is_latin, to_cyrillic

#: Latin as written → Cyrillic.
TO_CYRILLIC = {
    "qarağandy": "қарағанды",
    "qaraghandy": "қарағанды",
    "karagandy": "караганды",
    "öskemen": "өскемен",
    "ūrdy": "ұрды",
    "urdy": "урды",
    "jedel": "жедел",
    "järdem": "жәрдем",
    "zhedel": "жедел",
    "sherbakty": "шербакты",
    "chimkent": "чимкент",
    "kostanay": "костанай",
    "aytty": "айтты",
    "politsiya": "политсия",
    "policiya": "полиция",
    "tergeushining": "тергеушиниң",
    "söndırulı": "сөндірулі",
    "taiaqpen": "таяқпен",
    "advokatsyz": "адвокатсыз",
    "khabarlamady": "хабарламады",
    "ışınde": "ішінде",
    "ǵimarat": "ғимарат",
}

#: Latin or ASCII spelling → the Cyrillic word it must meet in the index.
SAME_KEY = [
    ("ūrdy", "ұрды"),
    ("urdy", "ұрды"),
    ("urdi", "ұрды"),
    ("urip", "ұрып"),
    ("ūrğan", "ұрған"),
    ("urgan", "ұрған"),
    ("soqqy", "соққы"),
    ("sokky", "соққы"),
    ("kamerada", "камерада"),
    ("kameraga", "камераға"),
    ("kamerağa", "камераға"),
    ("kamerasynda", "камерасында"),
    ("advokatsyz", "адвокатсыз"),
    ("advokatqa", "адвокатқа"),
    ("elektroşokermen", "электрошокермен"),
    ("elektroshokermen", "электрошокермен"),
    ("dubinkamen", "дубинкамен"),
    ("prokuraturağa", "прокуратураға"),
    ("prokuraturaga", "прокуратураға"),
    ("tergeuşı", "тергеуші"),
    ("tergeushi", "тергеуші"),
    ("tergeushige", "тергеушіге"),
    ("kezekshi", "кезекші"),
    ("därıger", "дәрігер"),
    ("dariger", "дәрігер"),
    ("därı", "дәрі"),
    ("dari", "дәрі"),
    ("aqsha", "ақша"),
    ("aqşa", "ақша"),
    ("aksha", "ақша"),
    ("qamauda", "қамауда"),
    ("kamauda", "қамауда"),
    ("tūtqyn", "тұтқын"),
    ("tutkyn", "тұтқын"),
    ("türmede", "түрмеде"),
    ("turmede", "түрмеде"),
    ("jazba", "жазба"),
    ("zhazba", "жазба"),
    ("öşırıldı", "өшірілді"),
    ("oshirildi", "өшірілді"),
    ("söndırılgen", "сөндірілген"),
    ("sondirilgen", "сөндірілген"),
    ("aştyq", "аштық"),
    ("ashtyq", "аштық"),
    ("azaptady", "азаптады"),
    ("qorqytty", "қорқытты"),
    ("korkytty", "қорқытты"),
    ("därethanağa", "дәретханаға"),
    ("daretkhanaga", "дәретханаға"),
    ("jedel", "жедел"),
    ("järdem", "жәрдем"),
    ("zhardem", "жәрдем"),
    ("polisiiağa", "полицияға"),
    ("politsiyaga", "полицияға"),
    ("policiyaga", "полицияға"),
    ("polisiyaga", "полицияға"),
    ("bölmede", "бөлмеде"),
    ("bolmede", "бөлмеде"),
    ("kisenmen", "кісенмен"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), sorted(TO_CYRILLIC.items()))
def test_to_cyrillic(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), SAME_KEY)
def test_latin_and_ascii_meet_cyrillic(latin, cyrillic):
    latin_keys, cyrillic_keys = word_keys(latin), word_keys(cyrillic)
    assert latin_keys.kk == cyrillic_keys.kk


@pytest.mark.parametrize(
    ("one", "other"),
    [("ұр", "ур"), ("соққы", "сокы"), ("жәрдем", "жардем"), ("көрді", "корди"), ("қамау", "камау")],
)
def test_fold_merges_what_ascii_cannot_tell_apart(one, other):
    assert fold(one) == fold(other)


def test_fold_keeps_russian_y_apart_from_i():
    assert fold("был") != fold("бил")


def test_fold_drops_trailing_vowels_and_devoices():
    assert fold("камера") == "камер"
    assert fold("кітабы") == fold("кітап")
    assert fold("соғ") == fold("соқ")
    assert fold("полиция") == fold("полиц")


def test_scripts_are_told_apart():
    assert is_latin("qamau")
    assert not is_latin("қамау")
    assert not is_latin("2024")
    assert has_kazakh_letters("қамау")
    assert not has_kazakh_letters("камера")
