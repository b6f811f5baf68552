"""A tiny template language for inflected demo narratives, and Kazakh case endings.

Template syntax (compiled once, expanded many times):

* ``[a|b|c]`` picks one alternative at random; an alternative may be empty;
* ``{name}`` inserts the context value ``name`` (a string);
* ``{@pool}`` expands a random template of the pool ``pool``;
* ``{key:a|b|c}`` picks the alternative numbered by the context integer ``key``
  (grammatical agreement: gender, person, number).

Alternatives nest freely, so one line of template yields many sentences whose
words agree with the people and places of the complaint.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: A compiled template: a tuple of str, Choice, Slot, Pool and Agree nodes.
Seq = tuple


@dataclass(frozen=True, slots=True)
class Choice:
    """``[a|b]``: one alternative at random."""

    options: tuple[Seq, ...]


@dataclass(frozen=True, slots=True)
class Slot:
    """``{name}``: a context value."""

    name: str


@dataclass(frozen=True, slots=True)
class Pool:
    """``{@name}``: a random template from a pool."""

    name: str


@dataclass(frozen=True, slots=True)
class Agree:
    """``{key:a|b}``: the alternative chosen by a context integer."""

    key: str
    options: tuple[Seq, ...]


_AGREE = re.compile(r"([a-z_]+):")


def _parse(text: str, pos: int, stops: str) -> tuple[list[Seq], int]:
    """Parse alternatives separated by ``|`` until a character of ``stops``."""
    options: list[Seq] = []
    nodes: list = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            nodes.append("".join(buffer))
            buffer.clear()

    while pos < len(text):
        char = text[pos]
        if char in stops:
            break
        if char == "|":
            flush()
            options.append(tuple(nodes))
            nodes = []
            pos += 1
        elif char == "[":
            flush()
            inner, pos = _parse(text, pos + 1, "]")
            nodes.append(Choice(tuple(inner)))
            pos += 1
        elif char == "{":
            flush()
            match = _AGREE.match(text, pos + 1)
            if text.startswith("@", pos + 1):
                end = text.index("}", pos)
                nodes.append(Pool(text[pos + 2 : end]))
                pos = end + 1
            elif match:
                inner, pos = _parse(text, match.end(), "}")
                nodes.append(Agree(match.group(1), tuple(inner)))
                pos += 1
            else:
                end = text.index("}", pos)
                nodes.append(Slot(text[pos + 1 : end]))
                pos = end + 1
        else:
            buffer.append(char)
            pos += 1
    flush()
    options.append(tuple(nodes))
    return options, pos


def compile_template(text: str) -> Seq:
    """Compile one template; raises ValueError on unbalanced brackets."""
    options, pos = _parse(text, 0, "")
    if pos != len(text) or len(options) != 1:
        raise ValueError(f"unbalanced template: {text!r}")
    return options[0]


def compile_pools(pools: Mapping[str, Sequence[str]]) -> dict[str, tuple[Seq, ...]]:
    """Compile every template of every pool."""
    return {name: tuple(compile_template(line) for line in lines) for name, lines in pools.items()}


class Expander:
    """Expands compiled templates against a context with one random generator."""

    __slots__ = ("ctx", "pools", "rng", "used")

    def __init__(
        self, rng: random.Random, ctx: Mapping[str, object], pools: Mapping[str, tuple[Seq, ...]]
    ) -> None:
        self.rng = rng
        self.ctx = ctx
        self.pools = pools
        #: Templates already used per pool, so that repeated draws say different things.
        self.used: dict[str, set[int]] = {}

    def pool(self, name: str) -> str:
        """A random template of ``name`` not used yet (while any is left), expanded and tidied."""
        options = self.pools[name]
        used = self.used.setdefault(name, set())
        if len(used) >= len(options):
            used.clear()
        index = self.rng.randrange(len(options))
        while index in used:
            index = (index + 1) % len(options)
        used.add(index)
        out: list[str] = []
        self._expand(options[index], out)
        return tidy("".join(out))

    def _expand(self, seq: Seq, out: list[str]) -> None:
        for node in seq:
            if type(node) is str:
                out.append(node)
            elif type(node) is Choice:
                self._expand(self.rng.choice(node.options), out)
            elif type(node) is Slot:
                out.append(self.ctx[node.name])  # type: ignore[arg-type]
            elif type(node) is Agree:
                index = self.ctx[node.key]
                self._expand(node.options[min(index, len(node.options) - 1)], out)  # type: ignore[index]
            else:
                self._expand(self.rng.choice(self.pools[node.name]), out)


_SPACES = re.compile(r"\s+")
_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)])")


def tidy(sentence: str) -> str:
    """Collapse spaces, remove spaces before punctuation, capitalise the first letter."""
    sentence = _BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", sentence)).strip()
    sentence = sentence.replace(",.", ".").replace("..", ".")
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


# --- Kazakh case endings -------------------------------------------------------------------

_BACK = set("аоұыуяё")
_FRONT = set("әөүіеэи")
_VOWELS = _BACK | _FRONT
_NASAL = set("мнң")
_SONORANT = set("лрйузж")


def is_front(word: str) -> bool:
    """True when the last vowel of ``word`` is a front vowel (Kazakh vowel harmony).

    Russian surname endings (-ев, -ов) follow the stem's vowels: "Қонаевқа".
    """
    word = word.lower()
    if word.endswith(("ев", "ов", "ёв")) and any(c in _BACK for c in word[:-2]):
        word = word[:-2]
    for char in reversed(word):
        if char in _FRONT:
            return True
        if char in _BACK:
            return False
    return False


def _final(word: str) -> str:
    """The class of the last sound: vowel, nasal, sonorant or voiceless."""
    char = word.lower().rstrip()[-1]
    if char in "уй":
        return "sonorant"
    if char in _VOWELS:
        return "vowel"
    if char in _NASAL:
        return "nasal"
    if char in _SONORANT:
        return "sonorant"
    return "voiceless"


_ENDINGS = {
    # case: {final class: (back, front)}
    "gen": {
        "vowel": ("ның", "нің"),
        "nasal": ("ның", "нің"),
        "sonorant": ("дың", "дің"),
        "voiceless": ("тың", "тің"),
    },
    "acc": {
        "vowel": ("ны", "ні"),
        "nasal": ("ды", "ді"),
        "sonorant": ("ды", "ді"),
        "voiceless": ("ты", "ті"),
    },
    "dat": {
        "vowel": ("ға", "ге"),
        "nasal": ("ға", "ге"),
        "sonorant": ("ға", "ге"),
        "voiceless": ("қа", "ке"),
    },
    "loc": {
        "vowel": ("да", "де"),
        "nasal": ("да", "де"),
        "sonorant": ("да", "де"),
        "voiceless": ("та", "те"),
    },
    "abl": {
        "vowel": ("дан", "ден"),
        "nasal": ("нан", "нен"),
        "sonorant": ("дан", "ден"),
        "voiceless": ("тан", "тен"),
    },
}


def kk_case(word: str, case: str) -> str:
    """``word`` (a bare noun or name, not possessive) in a Kazakh case.

    Cases: gen, acc, dat, loc, abl, ins (instrumental) and ``locattr`` (the
    locative attribute ``-дағы``: "Қарағандыдағы"). Vowel harmony follows the
    last vowel; the consonant of the ending follows the last sound.
    """
    if case == "ins":
        last = word.lower()[-1]
        if last in "зж":
            return word + "бен"
        return word + ("мен" if _final(word) != "voiceless" else "пен")
    if case == "locattr":
        return kk_case(word, "loc") + ("гі" if is_front(word) else "ғы")
    front = is_front(word)
    return word + _ENDINGS[case][_final(word)][int(front)]


def kk_poss_case(word: str, case: str) -> str:
    """``word`` ending in the 3rd-person possessive (-ы/-і/-сы/-сі) in a case.

    Such nouns take the pronominal ``н``: "колониясында", "бөліміне", "орнынан".
    """
    front = is_front(word)
    endings = {
        "gen": ("ның", "нің"),
        "acc": ("н", "н"),
        "dat": ("на", "не"),
        "loc": ("нда", "нде"),
        "abl": ("нан", "нен"),
    }
    if case == "ins":
        return word + "мен"
    if case == "locattr":
        return word + ("ндегі" if front else "ндағы")
    return word + endings[case][int(front)]
