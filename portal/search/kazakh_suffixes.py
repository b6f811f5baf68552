"""The Kazakh suffixes the stemmer strips, with the sounds each may follow.

Each row is ``(suffix, rank, after, flags)``:

- *rank* is the suffix's slot, counted from the end of the word: a word is
  stripped from the right, and each suffix removed must belong to a slot further
  inside than the one before (person → relative → case → possessive → plural →
  participle → converb → negation → passive → causative → verb-forming), so ``ұрмағандарын``
  comes apart as ``ұр-ма-ған-дар-ын`` and never in an impossible order;
- *after* names the sounds the suffix may follow (consonant assimilation: ``-да``
  after vowels and voiced sounds, ``-та`` after voiceless ones, ``-ның`` after
  vowels and м н ң, ``-дың`` after р л й у з ж…);
- *flags*: ``v`` verbal (opens negation, passive and verb-forming suffixes),
  ``n`` needs a verbal suffix outside it (no bare ``-ма`` or ``-л`` is stripped),
  ``w`` is surely verbal (unlike -ды/-ты, which may be the accusative), ``m``
  needs such a suffix outside it (the causative -т: ұйықта-т-па-ды, not адвока-т-ты),
  ``c`` opens a converb vowel (ұра-мын, ұра-ды), ``k`` needs that opening,
  ``s`` suffix of the form
  possessive + case (камера-сында), which uses up the possessive slot too,
  ``p`` plural + possessive (камера-лары), which uses up the plural slot too,
  ``x`` strip only if something further inside then comes off (ұрған-ы, but
  соққы stays).

Vowel harmony is read from the suffix's own vowels (back а ы о ұ, front ә е і ө ү);
-мен/-бен/-пен has none.
"""

from __future__ import annotations

PERSON, RELATIVE, CASE, POSSESSIVE, PLURAL, NONFINITE = 1, 2, 3, 4, 5, 6
CONVERB, NEGATION, PASSIVE, CAUSATIVE, VERBALIZER = 8, 9, 10, 11, 12

VOWELS = frozenset("аәеоөұүыіиэюяё")
SEMIVOWELS = frozenset("уй")
SONORANTS = frozenset("рл")
NASALS = frozenset("мнң")
Z_J = frozenset("зж")
VOICELESS = frozenset("кқпстшфхцчщһбвгғд")

_CONSONANTS = SEMIVOWELS | SONORANTS | NASALS | Z_J | VOICELESS

#: Named sets of sounds a suffix may follow.
AFTER: dict[str, frozenset[str]] = {
    "any": VOWELS | _CONSONANTS,
    "V": VOWELS,
    "C": _CONSONANTS,
    "Cnl": _CONSONANTS - {"л"},
    "L": frozenset("л"),
    "VL": VOICELESS,
    "voiced": VOWELS | SEMIVOWELS | SONORANTS | NASALS | Z_J,
    "VSR": VOWELS | SEMIVOWELS | SONORANTS,
    "LNZ": frozenset("л") | NASALS | Z_J,
    "NZ": NASALS | Z_J,
    "VSRN": VOWELS | SEMIVOWELS | SONORANTS | NASALS,
    "VN": VOWELS | NASALS,
    "RLZ": SEMIVOWELS | SONORANTS | Z_J,
    "N": NASALS,
    "abl": VOWELS | SEMIVOWELS | SONORANTS | Z_J,
    "SR": SEMIVOWELS | SONORANTS,
}

#: (back form, front form, rank, after, flags); a None form does not exist.
_PAIRS: tuple[tuple[str | None, str | None, int, str, str], ...] = (
    # Person and predicate endings (-мын "I am", -сыз "you are" / "without").
    ("мын", "мін", PERSON, "VSRN", "c"),
    ("бын", "бін", PERSON, "NZ", "c"),
    ("пын", "пін", PERSON, "VL", "c"),
    ("сың", "сің", PERSON, "any", "c"),
    ("сыз", "сіз", PERSON, "any", ""),
    ("мыз", "міз", PERSON, "VSRN", "c"),
    ("быз", "біз", PERSON, "NZ", "c"),
    ("пыз", "піз", PERSON, "VL", "c"),
    ("сыңдар", "сіңдер", PERSON, "any", "c"),
    ("сыздар", "сіздер", PERSON, "any", ""),
    # Relative (-дағы "which is in"), similative (-дай "like").
    ("дағы", "дегі", RELATIVE, "voiced", ""),
    ("тағы", "тегі", RELATIVE, "VL", ""),
    ("сындағы", "сіндегі", RELATIVE, "V", "s"),
    ("ындағы", "індегі", RELATIVE, "C", "s"),
    ("дай", "дей", RELATIVE, "voiced", ""),
    ("тай", "тей", RELATIVE, "VL", ""),
    # Genitive.
    ("ның", "нің", CASE, "VN", ""),
    ("дың", "дің", CASE, "RLZ", "v"),
    ("тың", "тің", CASE, "VL", "v"),
    ("сының", "сінің", CASE, "V", "s"),
    ("ының", "інің", CASE, "C", "s"),
    # Accusative (and the past tense -ды/-ты, which looks the same).
    ("ны", "ні", CASE, "V", ""),
    ("ды", "ді", CASE, "voiced", "vc"),
    ("ты", "ті", CASE, "VL", "vc"),
    ("сын", "сін", CASE, "V", "s"),
    ("ын", "ін", CASE, "C", "s"),
    # Dative.
    ("ға", "ге", CASE, "voiced", ""),
    ("қа", "ке", CASE, "VL", ""),
    ("сына", "сіне", CASE, "V", "s"),
    ("ына", "іне", CASE, "C", "s"),
    ("ма", "ме", CASE, "V", "s"),
    ("ыма", "іме", CASE, "C", "s"),
    ("ыңа", "іңе", CASE, "C", "s"),
    # Locative.
    ("да", "де", CASE, "voiced", ""),
    ("та", "те", CASE, "VL", ""),
    ("сында", "сінде", CASE, "V", "s"),
    ("ында", "інде", CASE, "C", "s"),
    # Ablative.
    ("дан", "ден", CASE, "abl", ""),
    ("нан", "нен", CASE, "N", ""),
    ("тан", "тен", CASE, "VL", ""),
    ("сынан", "сінен", CASE, "V", "s"),
    ("ынан", "інен", CASE, "C", "s"),
    # Instrumental (no harmony).
    ("мен", None, CASE, "VSRN", ""),
    ("бен", None, CASE, "NZ", ""),
    ("пен", None, CASE, "VL", ""),
    ("менен", None, CASE, "VSRN", ""),
    ("бенен", None, CASE, "NZ", ""),
    ("пенен", None, CASE, "VL", ""),
    # Adjectives "with" (-лы; -ды/-ты as above).
    ("лы", "лі", CASE, "VSR", ""),
    # Past tense with person endings.
    ("дым", "дім", CASE, "voiced", "v"),
    ("тым", "тім", CASE, "VL", "v"),
    ("дыңыз", "діңіз", CASE, "voiced", "v"),
    ("тыңыз", "тіңіз", CASE, "VL", "v"),
    ("дыңдар", "діңдер", CASE, "voiced", "v"),
    ("тыңдар", "тіңдер", CASE, "VL", "v"),
    # Possessive.
    ("сы", "сі", POSSESSIVE, "V", ""),
    ("ы", "і", POSSESSIVE, "C", "x"),
    ("ым", "ім", POSSESSIVE, "C", ""),
    ("м", "м", POSSESSIVE, "V", ""),
    ("ымыз", "іміз", POSSESSIVE, "C", ""),
    ("мыз", "міз", POSSESSIVE, "V", ""),
    ("ыңыз", "іңіз", POSSESSIVE, "C", ""),
    ("ың", "ің", POSSESSIVE, "C", ""),
    ("ңыз", "ңіз", POSSESSIVE, "V", ""),
    ("лары", "лері", POSSESSIVE, "VSR", "p"),
    ("дары", "дері", POSSESSIVE, "LNZ", "p"),
    ("тары", "тері", POSSESSIVE, "VL", "p"),
    # Plural.
    ("лар", "лер", PLURAL, "VSR", ""),
    ("дар", "дер", PLURAL, "LNZ", ""),
    ("тар", "тер", PLURAL, "VL", ""),
    # Participles and the verbal noun.
    ("ған", "ген", NONFINITE, "voiced", "vw"),
    ("қан", "кен", NONFINITE, "VL", "vw"),
    ("атын", "етін", NONFINITE, "C", "vw"),
    ("йтын", "йтін", NONFINITE, "V", "vw"),
    ("у", "у", NONFINITE, "any", "v"),
    # Converbs.
    ("ып", "іп", CONVERB, "C", "vw"),
    ("п", "п", CONVERB, "V", "v"),
    ("а", "е", CONVERB, "C", "vk"),
    ("й", "й", CONVERB, "V", "vk"),
    # Negation.
    ("ма", "ме", NEGATION, "VSR", "nw"),
    ("ба", "бе", NEGATION, "NZ", "nw"),
    ("па", "пе", NEGATION, "VL", "nw"),
    ("май", "мей", NEGATION, "VSR", "nw"),
    ("бай", "бей", NEGATION, "NZ", "nw"),
    ("пай", "пей", NEGATION, "VL", "nw"),
    # Passive (-ыл, -л after a vowel, -ын after л).
    ("ыл", "іл", PASSIVE, "Cnl", "nw"),
    ("л", "л", PASSIVE, "V", "nw"),
    ("ын", "ін", PASSIVE, "L", "nw"),
    # Causative -т after a vowel (ұйықта-т-па-ды "did not let sleep").
    ("т", "т", CAUSATIVE, "V", "m"),
    # Verb-forming -ла/-да/-та (азап → азапта-, тұтқын → тұтқында-).
    ("ла", "ле", VERBALIZER, "VSR", "n"),
    ("да", "де", VERBALIZER, "LNZ", "n"),
    ("та", "те", VERBALIZER, "VL", "n"),
)

BACK_VOWELS = frozenset("аоұыя")
FRONT_VOWELS = frozenset("әеөүіэ")


def _harmony(suffix: str) -> str:
    """'back', 'front' or '' (no harmonic vowel) for a suffix."""
    if suffix in ("мен", "бен", "пен", "менен", "бенен", "пенен"):
        return ""
    for char in reversed(suffix):
        if char in BACK_VOWELS:
            return "back"
        if char in FRONT_VOWELS:
            return "front"
    return ""


def suffix_rows() -> list[tuple[str, int, str, str, str]]:
    """Every suffix as ``(text, rank, after, flags, harmony)`` in Cyrillic."""
    rows = []
    for back, front, rank, after, flags in _PAIRS:
        for form in dict.fromkeys(form for form in (back, front) if form):
            rows.append((form, rank, after, flags, _harmony(form)))
    return rows
