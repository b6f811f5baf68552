"""How complaint text becomes index terms, for indexing and querying alike.

:func:`complaint_analyzer` is the analyzer of the free-text fields
(``narrative``, ``place_text``). The chain, for each document or query:

1. :class:`ComplaintTokenizer` cuts words: letters (Kazakh ә ғ қ ң ө ұ ү һ і
   included) and digits; a hyphenated word is cut into its parts at successive
   positions (ұрып-соғу), except that a Kazakh case ending written after a
   hyphen stays with its word (СИЗО-ға is СИЗО). Case and ё/е are folded.
2. :class:`ComplaintFilter` finds the language of each sentence
   (:mod:`portal.search.language`), gives each word its keys — Kazakh stem,
   Russian Snowball stem, or both when the word could be either, Latin turned
   back into Cyrillic, all folded to one reduced key (:mod:`portal.search.keys`)
   — and adds at the same position the token of a place name in any of its
   forms (``city:astana``, :mod:`portal.search.places`) and of a thesaurus
   concept (``syn:beating``, :mod:`portal.search.synonyms`). A name or term of
   several words (Нур-Султан, жедел жәрдем) takes one position.

Indexing writes every candidate key at a position; a query (``mode="query"``)
writes exactly one term per position — a word's best key, or the place or
concept token when the word names one — so word queries and phrases work with
any query-parser settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from whoosh.analysis import Analyzer, Filter, Token, Tokenizer

from portal.search.kazakh_suffixes import PLURAL, suffix_rows
from portal.search.keys import Labelled, WordKeys, index_keys, word_keys
from portal.search.language import Context, context_of
from portal.search.lexicon import Entry
from portal.search.places import place_lexicon
from portal.search.synonyms import thesaurus
from portal.search.translit import fold, is_latin, to_cyrillic

WORD = re.compile(r"\w+(?:[-‐‑]\w+)*")
_HYPHENS = re.compile(r"[-‐‑]")
_SENTENCE_END = re.compile(r"[.!?;\n]")

#: Kazakh endings written after a hyphen (СИЗО-ға, ИВС-те, 2021-жылы is not one).
HYPHEN_ENDINGS = frozenset(
    [text for text, rank, _after, _flags, _harmony in suffix_rows() if rank <= PLURAL]
    + [
        "лары",
        "лері",
        "тары",
        "тері",
        "дары",
        "дері",
        "ларда",
        "лерде",
        "тарда",
        "терде",
        "ларға",
        "лерге",
        "тарға",
        "терге",
    ]
    + ["на", "не", "нда", "нде", "нан", "нен", "ның", "нің"]
)


class _Word(NamedTuple):
    """A word as the filter sees it."""

    text: str
    start: int
    end: int
    capital: bool
    sentence: int


def _parts(match: re.Match[str]) -> Iterator[tuple[str, int, int]]:
    """The parts of a (possibly hyphenated) word: (text, start, end)."""
    raw = match.group()
    start = match.start()
    pieces: list[tuple[str, int, int]] = []
    offset = 0
    for piece in _HYPHENS.split(raw):
        pieces.append((piece, start + offset, start + offset + len(piece)))
        offset += len(piece) + 1
    if len(pieces) > 1 and pieces[-1][0].casefold() in HYPHEN_ENDINGS:
        text, first, _end = pieces[-2]
        pieces[-2:] = [(text, first, pieces[-1][2])]
    yield from pieces


class ComplaintTokenizer(Tokenizer):
    """Words of complaint text, case- and ё-folded, with sentence numbers and capitals."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        """Yield one token per word (one reused Token object, as Whoosh does)."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        token.whole = not tokenize
        if not tokenize:
            token.original = value
            token.text = value.casefold().replace("ё", "е")
            token.capital, token.sentence = False, 0
            token.pos, token.startchar, token.endchar = (
                start_pos,
                start_char,
                start_char + len(value),
            )
            yield token
            return
        position = start_pos
        sentence = 0
        last_end = 0
        for match in WORD.finditer(value):
            if _SENTENCE_END.search(value, last_end, match.start()):
                sentence += 1
            last_end = match.end()
            for text, start, end in _parts(match):
                token.original = text
                token.text = text.casefold().replace("ё", "е")
                token.capital = text[:1].isupper()
                token.sentence = sentence
                token.pos = position
                token.startchar, token.endchar = start_char + start, start_char + end
                position += 1
                yield token


def _contexts(words: list[_Word], keys: list[WordKeys]) -> list[Context | None]:
    """The language context of each sentence, the document's where a sentence has no signal."""
    by_sentence: dict[int, list[int]] = {}
    for word, word_key in zip(words, keys, strict=True):
        by_sentence.setdefault(word.sentence, []).append(word_key.signal)
    document = context_of(signal for signals in by_sentence.values() for signal in signals)
    contexts = {number: context_of(signals) or document for number, signals in by_sentence.items()}
    return [contexts[word.sentence] for word in words]


def _match(
    labels: list[list[Labelled]], words: list[_Word], index: int, query: bool
) -> tuple[int, Entry] | None:
    """The longest place name or thesaurus term at word ``index``."""
    place = place_lexicon().match(labels, index)
    if place is not None and (query or not place[1].capital or words[index].capital):
        return place
    return thesaurus().match(labels, index)


def _query_labels(keys: WordKeys) -> list[Labelled]:
    """A query word's labels: its guess first, then every reading (a query has no context)."""
    labels = [keys.guess, ("kk", keys.kk), ("kk", keys.loose), ("=", keys.surface)]
    if keys.ru:
        labels.append(("ru", keys.ru))
    return list(dict.fromkeys(labels))


def _folded_whole(text: str) -> str:
    """A single term given unanalysed (prefix and wildcard text): script and letters folded."""
    return fold(to_cyrillic(text) if is_latin(text) else text)


class ComplaintFilter(Filter):
    """Keys, places and thesaurus concepts of the words of one text (see the module doc)."""

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        """Re-emit the words' tokens as index or query terms."""
        words: list[_Word] = []
        token = None
        start_pos = 0
        for token in tokens:
            if not words:
                start_pos = token.pos
            if getattr(token, "whole", False):
                token.text = _folded_whole(token.text)
                yield token
                return
            words.append(
                _Word(
                    token.text,
                    token.startchar if token.chars else 0,
                    token.endchar if token.chars else 0,
                    token.capital,
                    token.sentence,
                )
            )
        if token is None:
            return
        query = token.mode == "query"
        keys = [word_keys(word.text) for word in words]
        if query:
            labels = [_query_labels(key) for key in keys]
        else:
            contexts = _contexts(words, keys)
            labels = [
                [*index_keys(key, context), ("=", key.surface)]
                for key, context in zip(keys, contexts, strict=True)
            ]
        yield from self._emit(token, words, labels, query, start_pos)

    def _emit(
        self, token: Token, words: list[_Word], labels: list[list[Labelled]], query: bool, pos: int
    ) -> Iterator[Token]:
        """Yield the terms, position by position."""
        index = 0
        while index < len(words):
            found = _match(labels, words, index, query)
            span = found[0] if found else 1
            first, last = words[index], words[index + span - 1]
            token.pos = pos
            if found and query:
                texts = [(found[1].tokens[0], first.start, last.end)]
            elif query:
                texts = [(labels[index][0][1], first.start, first.end)]
            else:
                texts = [
                    (key, word.start, word.end)
                    for word, word_labels in zip(
                        words[index : index + span], labels[index : index + span], strict=True
                    )
                    for path, key in word_labels
                    if path != "="
                ]
                if found:
                    texts += [(text, first.start, last.end) for text in found[1].tokens]
            seen: set[str] = set()
            for text, start, end in texts:
                if text in seen:
                    continue
                seen.add(text)
                token.text, token.startchar, token.endchar = text, start, end
                yield token
            index += span
            pos += 1


def complaint_analyzer() -> Analyzer:
    """The analyzer of free-text complaint fields, for indexing and query parsing alike."""
    return ComplaintTokenizer() | ComplaintFilter()


def query_labels(text: str) -> list[list[Labelled]]:
    """The query-mode labelled keys of each word of ``text`` (for lookups outside the index)."""
    tokens = ComplaintTokenizer()(text)
    return [_query_labels(word_keys(token.text)) for token in tokens]
