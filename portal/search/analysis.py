"""How complaint text becomes index terms, for indexing and querying alike.

:func:`complaint_analyzer` is the analyzer of the free-text fields
(``narrative``, ``place_text``). For each document or query,
:class:`ComplaintAnalyzer`:

1. cuts words: letters (Kazakh ә ғ қ ң ө ұ ү һ і included) and digits; a
   hyphenated word is cut into its parts at successive positions (ұрып-соғу),
   except that a Kazakh ending written after a hyphen stays with its word
   (СИЗО-ға is СИЗО); case and ё/е are folded;
2. finds the language of each sentence (:mod:`portal.search.language`) and
   leaves out function words that cannot match across languages (не, в, мен, да);
3. gives each word its keys — Kazakh stem, Russian Snowball stem, or both when
   the word could be either, Latin turned back into Cyrillic, all folded to one
   reduced key (:mod:`portal.search.keys`);
4. adds, at the same position, the token of a place named in any of its forms
   (``city:astana``, :mod:`portal.search.places`) and of a thesaurus concept
   (``syn:beating``, :mod:`portal.search.synonyms`), and of a concept stated
   with a number (a minor's age, the cold, a sum: :mod:`portal.search.numbers`)
   or with function words (``не было``, ``без``: :mod:`portal.search.absence`);
   a name or term of several words (Нур-Султан, жедел жәрдем) takes one position.

Indexing writes every candidate key of a position; a query (``mode="query"``)
writes one term per position — the word's best key, or the place or concept
token when the word names one; a loanword whose Kazakh ending also reads as a
verb form (адвокатын) adds its noun stem as a second term at the same position,
which every query parser reads as alternatives. Everything per word is cached,
so a document costs little more than a dictionary lookup per word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Analyzer, Token

from portal.search.absence import absences
from portal.search.kazakh_suffixes import PLURAL, suffix_rows
from portal.search.keys import Labelled, WordKeys, index_keys, word_keys
from portal.search.language import Context, decide
from portal.search.lexicon import Entry
from portal.search.numbers import stated_concepts
from portal.search.places import place_lexicon
from portal.search.synonyms import thesaurus
from portal.search.translit import fold, is_latin, to_cyrillic

WORD = re.compile(r"\w+(?:[-‐‑]\w+)*")
_HYPHENS = re.compile(r"[-‐‑]")
_SCAN = re.compile(r"(\w+(?:[-‐‑]\w+)*)|[.!?;\n]+")

#: Kazakh endings written after a hyphen (СИЗО-ға, ИВС-те; 2021-жылы is two words).
HYPHEN_ENDINGS = frozenset(
    [text for text, rank, _after, _flags, _harmony in suffix_rows() if rank <= PLURAL]
    + ["лары", "лері", "тары", "тері", "дары", "дері", "ларда", "лерде", "тарда", "терде"]
    + ["ларға", "лерге", "тарға", "терге", "на", "не", "нда", "нде", "нан", "нен", "ның", "нің"]
)

#: A word: (original text, start, end, sentence number).
Word = tuple[str, int, int, int]


def split_words(text: str) -> list[Word]:
    """The words of a text, hyphenated words cut into parts, with their sentence numbers."""
    words: list[Word] = []
    sentence = 0
    for match in _SCAN.finditer(text):
        raw = match.group(1)
        if raw is None:
            sentence += 1
            continue
        start, end = match.span()
        if "-" not in raw and "‐" not in raw and "‑" not in raw:
            words.append((raw, start, end, sentence))
            continue
        parts: list[Word] = []
        offset = start
        for piece in _HYPHENS.split(raw):
            parts.append((piece, offset, offset + len(piece), sentence))
            offset += len(piece) + 1
        if len(parts) > 1 and parts[-1][0].casefold() in HYPHEN_ENDINGS:
            parts[-2:] = [(parts[-2][0], parts[-2][1], end, sentence)]
        words.extend(parts)
    return words


@lru_cache(maxsize=20_000)
def keys_of(raw: str) -> WordKeys:
    """The keys of a word as written (case and ё folded first)."""
    return word_keys(raw.casefold().replace("ё", "е"))


def _starts_entry(labels: tuple[Labelled, ...]) -> bool:
    """Whether a place name or thesaurus term may start at a word with these labels."""
    places, terms = place_lexicon().longest, thesaurus().longest
    return any(label in places or label in terms for label in labels)


@lru_cache(maxsize=20_000)
def _index_word(
    keys: WordKeys, context: Context | None
) -> tuple[tuple[str, ...], tuple[Labelled, ...], bool]:
    """(terms, labels, may start an entry) of a word indexed in a sentence of this language."""
    labels = (*index_keys(keys, context), ("=", keys.surface))
    if keys.nominal and context != "ru":
        labels += (("kk", keys.nominal),)
    terms = tuple(dict.fromkeys(text for path, text in labels if path != "="))
    return terms, labels, _starts_entry(labels)


@lru_cache(maxsize=5_000)
def _query_word(keys: WordKeys) -> tuple[tuple[str, ...], tuple[Labelled, ...], bool]:
    """(terms, labels, may start an entry) of a query word: one term, every reading as a label.

    A query has no sentence to tell its language, so a name or term matches in
    any reading of the word; the term written is the word's guess.
    """
    texts = [keys.guess[1], keys.kk, keys.loose] + ([keys.ru] if keys.ru else [])
    if keys.nominal:
        texts.append(keys.nominal)
    labels = (
        keys.guess,
        *dict.fromkeys((path, text) for text in texts for path in ("kk", "ru")),
        ("=", keys.surface),
    )
    terms = (keys.guess[1], keys.nominal) if keys.nominal else (keys.guess[1],)
    return terms, labels, _starts_entry(labels)


def _stated_or(keys: WordKeys, concept: str | None, record, *args):
    """A word's record, or for a function word that states a concept, that concept alone."""
    if concept is not None and keys.stop:
        return (concept,), (), False
    return record(keys, *args)


def _contexts(words: list[Word], keys: list[WordKeys]) -> list[Context | None]:
    """Each word's sentence language (the document's where a sentence has no signal)."""
    counts: dict[int, list[int]] = {}
    for word, word_key in zip(words, keys, strict=True):
        if word_key.signal:
            pair = counts.setdefault(word[3], [0, 0])
            pair[0 if word_key.signal > 0 else 1] += 1
    kazakh = sum(pair[0] for pair in counts.values())
    russian = sum(pair[1] for pair in counts.values())
    document = decide(kazakh, russian)
    by_sentence = {number: decide(*pair) or document for number, pair in counts.items()}
    return [by_sentence.get(word[3], document) for word in words]


def _match(
    labels: list[tuple[Labelled, ...]], words: list[Word], index: int, query: bool
) -> tuple[int, Entry] | None:
    """The longest place name, else thesaurus term, starting at word ``index``."""
    place = place_lexicon().match(labels, index)
    if place is not None and (query or not place[1].capital or words[index][0][:1].isupper()):
        return place
    return thesaurus().match(labels, index)


class ComplaintAnalyzer(Analyzer):
    """The complaint-text analyzer (see the module doc); stateless, so it pickles small."""

    is_morph = True

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
        """Yield the terms of ``value`` (one reused Token, as Whoosh does)."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if not tokenize:
            token.original = value
            folded = value.casefold().replace("ё", "е")
            token.text = fold(to_cyrillic(folded) if is_latin(folded) else folded)
            token.pos, token.startchar, token.endchar = (
                start_pos,
                start_char,
                start_char + len(value),
            )
            yield token
            return
        query = mode == "query"
        words = split_words(value)
        keys = [keys_of(word[0]) for word in words]
        stated = absences([word[0] for word in words], query=query)
        if not query:
            stated.update(stated_concepts(value, [(word[0], word[1]) for word in words]))
        kept = [index for index, key in enumerate(keys) if not key.stop or index in stated]
        if query:
            records = [_stated_or(keys[index], stated.get(index), _query_word) for index in kept]
        else:
            contexts = _contexts(words, keys)
            records = [
                _stated_or(keys[index], stated.get(index), _index_word, contexts[index])
                for index in kept
            ]
        words = [words[index] for index in kept]
        labels = [record[1] for record in records]
        pos = start_pos
        index = 0
        while index < len(words):
            found = _match(labels, words, index, query) if records[index][2] else None
            span = found[0] if found else 1
            first = words[index]
            token.pos = pos
            if found is None:
                start, end = first[1], first[2]
                token.startchar, token.endchar = start_char + start, start_char + end
                for text in records[index][0]:
                    token.text = text
                    yield token
            else:
                yield from self._entry(
                    token,
                    found[1],
                    records[index : index + span],
                    words[index : index + span],
                    query,
                    start_char,
                )
            for at in range(index, index + span) if stated else ():
                if kept[at] in stated and stated[kept[at]] not in records[at][0]:
                    token.text = stated[kept[at]]
                    yield token
            index += span
            pos += 1

    @staticmethod
    def _entry(
        token: Token, entry: Entry, records: list, words: list[Word], query: bool, start_char: int
    ) -> Iterator[Token]:
        """The terms of a matched place name or thesaurus term (one position)."""
        token.startchar, token.endchar = start_char + words[0][1], start_char + words[-1][2]
        texts = [entry.tokens[0]] if query else list(entry.tokens)
        if not query:
            texts += [text for record in records for text in record[0]]
        for text in dict.fromkeys(texts):
            token.text = text
            yield token


def complaint_analyzer() -> Analyzer:
    """The analyzer of free-text complaint fields, for indexing and query parsing alike."""
    return ComplaintAnalyzer()


def query_labels(text: str) -> list[tuple[Labelled, ...]]:
    """The query-mode labelled keys of each content word of ``text`` (lookups outside the index)."""
    keys = [keys_of(word[0]) for word in split_words(text)]
    return [_query_word(key)[1] for key in keys if not key.stop]


def place_tokens(name: str) -> tuple[str, ...]:
    """The tokens a place name stands for (``"Нур-Султане"`` → ``("city:astana",)``)."""
    labels = query_labels(name)
    found = place_lexicon().match(labels, 0) if labels else None
    if found is None or found[0] != len(labels):
        return ()
    return found[1].tokens
