"""The reviewers' query language, parsed safely into Whoosh query objects.

The language (docs/SEARCH.md, "Query language"):

* words: ``избили дубинкой`` finds complaints with every word, in any form
  the analyzer knows (case, Kazakh and Russian endings, script);
* "phrases" in double quotes: the words next to each other, in that order;
* ``OR`` between two words or phrases (also ``ИЛИ``, ``НЕМЕСЕ``): either;
* ``-word`` or ``-"a phrase"``: complaints without it;
* a complaint's reference (``AB-7Q2K4M``) or the sender's case number is found
  as typed.

Nothing else has a meaning: there is no field syntax (``narrative:x`` is two
words), no wildcard, no range, no boost, no "match everything". Whoosh's own
``QueryParser`` would need its field, wildcard, range, boost and "every"
plugins removed and still has no ``-`` that mixes with ``OR``, so the grammar
is parsed here and handed to Whoosh as query objects. Length and word count
are capped before any analysis; a query that breaks a rule raises
:class:`QueryError` with a code the page translates (:mod:`portal.search.messages`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from whoosh.analysis import Analyzer
from whoosh.query import And, AndNot, Every, Or, Query, Sequence, Term

from portal.search.schema import REFS_FIELD, TEXT_FIELDS
from portal.search.synonyms import related

#: Longest query accepted, in characters.
MAX_LENGTH = 300
#: Most words (in phrases too) a query may have.
MAX_WORDS = 16
#: Most different terms one word may stand for after analysis (forms, scripts, synonyms).
MAX_VARIANTS = 24
#: Words that join two alternatives (upper case only: "или" is an ordinary word).
OR_WORDS = frozenset({"OR", "ИЛИ", "НЕМЕСЕ"})
#: Weight of each free-text field in the score.
FIELD_BOOSTS = {"narrative": 1.0, "place_text": 1.5, "messages": 0.7}
#: Weight of a reference or case number typed in full: it names one complaint.
REF_BOOST = 20.0

_CHUNKS = re.compile(r'(?P<minus>(?<!\S)-)?"(?P<phrase>[^"]*)(?P<closed>"?)|(?P<word>[^\s"]+)')
_WILDCARD = "*?"
_PUNCTUATION = ".,;:!?()[]{}«»\"'"


class QueryError(Exception):
    """The query cannot be run; ``code`` names why (see :data:`portal.search.messages`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class ParsedQuery:
    """A query split the way the service evaluates it.

    ``required``: one Whoosh query per word, phrase or OR-group, all of which a
    complaint must match; ``excluded``: queries a complaint must not match;
    ``terms``: the analysed text terms of the required part, for highlighting.
    An empty ``required`` with no ``excluded`` means "every complaint".
    ``parts``: the required clauses with each phrase split into its words, for
    the complaints that follow the complete matches (a phrase's words apart,
    or some of the words).
    """

    required: list[Query] = field(default_factory=list)
    excluded: list[Query] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)
    parts: list[Query] = field(default_factory=list)

    @property
    def has_phrase(self) -> bool:
        """True when a required clause is a phrase (its words may also be found apart)."""
        return len(self.parts) > len(self.required)

    @property
    def is_empty(self) -> bool:
        """True for a query without words: every complaint (filters still apply)."""
        return not self.required and not self.excluded

    def whoosh(self) -> Query:
        """The whole query as one Whoosh query object."""
        positive: Query = (
            Every()
            if not self.required
            else self.required[0]
            if len(self.required) == 1
            else And(self.required)
        )
        if not self.excluded:
            return positive
        return AndNot(positive, Or(self.excluded) if len(self.excluded) > 1 else self.excluded[0])


@dataclass
class _Item:
    text: str
    phrase: bool
    negated: bool


def _items(text: str) -> list[_Item | str]:
    """Phrases, words and OR markers, in order; raises QueryError for broken syntax."""
    found: list[_Item | str] = []
    for match in _CHUNKS.finditer(text):
        if match.group("word") is not None:
            word = match.group("word")
            if word in OR_WORDS:
                found.append("OR")
                continue
            negated = word.startswith("-") and len(word) > 1
            word = word[1:] if negated else word
            if word[0] in _WILDCARD:
                raise QueryError("leading_wildcard")
            found.append(_Item(word.strip(_WILDCARD), phrase=False, negated=negated))
        else:
            if not match.group("closed"):
                raise QueryError("unclosed_quote")
            negated = match.group("minus") is not None
            found.append(_Item(match.group("phrase"), phrase=True, negated=negated))
    return found


def _groups(items: list[_Item | str]) -> list[list[_Item]]:
    """Items joined by OR become one group; raises QueryError for a dangling OR."""
    groups: list[list[_Item]] = []
    joining = False
    for item in items:
        if item == "OR":
            if not groups or joining:
                raise QueryError("dangling_or")
            joining = True
            continue
        assert isinstance(item, _Item)
        if joining:
            groups[-1].append(item)
        else:
            groups.append([item])
        joining = False
    if joining:
        raise QueryError("dangling_or")
    return groups


class Parser:
    """Turns query text into a :class:`ParsedQuery` with the index's analyzer."""

    def __init__(self, analyzer: Analyzer, fields: Iterable[str] = TEXT_FIELDS) -> None:
        self.analyzer = analyzer
        self.fields = tuple(fields)
        self._words = 0

    def _analysed(self, text: str, terms: set[str]) -> list[tuple[list[str], int]]:
        """The analysed variants of ``text`` grouped by position, each with its first character."""
        grouped: dict[int, tuple[list[str], int]] = {}
        for token in self.analyzer(text, mode="query", positions=True, chars=True):
            variants, _start = grouped.setdefault(token.pos, ([], token.startchar))
            if token.text not in variants and len(variants) < MAX_VARIANTS:
                variants.append(token.text)
        positions = [grouped[pos] for pos in sorted(grouped)]
        self._words += len(positions)
        if self._words > MAX_WORDS:
            raise QueryError("too_many_words")
        for variants, _start in positions:
            terms.update(variants)
        return positions

    def _positions(self, text: str, terms: set[str]) -> list[list[str]]:
        """The analysed variants of ``text``, grouped by position."""
        return [variants for variants, _start in self._analysed(text, terms)]

    def _clause(
        self, variants: list[str], terms: set[str] | None = None, expand: bool = True
    ) -> Query:
        """One analysed position, in any free-text field, with its related concepts.

        A concept's related concepts (:func:`portal.search.synonyms.related`) are
        alternatives with a lower weight, so their complaints come after the ones
        naming the concept itself; they are added to ``terms`` for highlighting.
        An excluded word (``expand=False``) excludes only itself.
        """
        weighted = [(variant, 1.0) for variant in variants]
        for variant in variants if expand else ():
            weighted += [pair for pair in related(variant) if pair[0] not in variants]
        if terms is not None:
            terms.update(variant for variant, _weight in weighted)
        return self._per_field(
            lambda name: _alternatives(name, weighted, FIELD_BOOSTS.get(name, 1.0))
        )

    def _words_together(
        self, words: list[str], terms: set[str], expand: bool = True
    ) -> list[Query]:
        """Plain words typed one after another: analysed together, one clause per position.

        Together, so that a term of several words (``жедел жәрдем``, ``Нур Султан``)
        becomes its one concept or place token. A word with a digit may also be a
        reference or case number: its clauses or the reference.
        """
        text, spans = "", []
        for word in words:
            start = len(text) + (1 if text else 0)
            text = f"{text} {word}" if text else word
            spans.append((start, len(text)))
        owner: dict[int, list[Query]] = {index: [] for index in range(len(words))}
        clauses: list[tuple[int, Query]] = []
        for variants, start in self._analysed(text, terms):
            index = next(
                i for i, (low, high) in enumerate(spans) if start < high or i == len(spans) - 1
            )
            clause = self._clause(variants, terms, expand)
            owner[index].append(clause)
            clauses.append((index, clause))
        result: list[Query] = []
        done: set[int] = set()
        for index, clause in clauses:
            if not any(char.isdigit() for char in words[index]):
                result.append(clause)
            elif index not in done:
                done.add(index)
                own = owner[index]
                result.append(Or([own[0] if len(own) == 1 else And(own), _reference(words[index])]))
        for index, word in enumerate(words):
            if not owner[index] and any(char.isdigit() for char in word):
                result.append(_reference(word))
        return result

    def _per_field(self, build: Callable[[str], Query]) -> Query:
        queries = [build(name) for name in self.fields]
        return queries[0] if len(queries) == 1 else Or(queries)

    def _word(self, text: str, terms: set[str], expand: bool = True) -> Query | None:
        """One word on its own (joined by OR, or excluded): all its clauses, or a reference."""
        clauses = self._words_together([text], terms, expand)
        return clauses[0] if len(clauses) == 1 else And(clauses) if clauses else None

    def _phrase(self, text: str, terms: set[str], parts: list[Query] | None = None):
        """A quoted phrase: its words next to each other, in order, in one field.

        Its words, each in any field, are added to ``parts``.
        """
        positions = self._positions(text, terms)
        if len(positions) < 2:
            query = self._word(text, terms, expand=False) if positions else None
            if parts is not None and query is not None:
                parts.append(query)
            return query

        def one_field(name: str) -> Query:
            boost = FIELD_BOOSTS.get(name, 1.0)
            return Sequence(
                [
                    _alternatives(name, [(variant, 1.0) for variant in variants], boost)
                    for variants in positions
                ]
            )

        if parts is not None:
            parts.extend(self._clause(variants) for variants in positions)
        return Or([self._per_field(one_field), _reference(text)])

    def parse(self, text: str) -> ParsedQuery:
        """Parse ``text``; raises :class:`QueryError` when it breaks a rule."""
        text = text.strip()
        if len(text) > MAX_LENGTH:
            raise QueryError("too_long")
        self._words = 0
        parsed = ParsedQuery()
        groups = _groups(_items(text))
        plain = [
            group[0].text
            for group in groups
            if len(group) == 1 and not group[0].phrase and not group[0].negated
        ]
        if plain:
            parsed.required.extend(self._words_together(plain, parsed.terms))
            parsed.parts.extend(parsed.required)
        for group in groups:
            if len(group) == 1 and not group[0].phrase and not group[0].negated:
                continue  # analysed together above
            negated = len(group) == 1 and group[0].negated
            if len(group) == 1 and group[0].phrase and not negated:
                query = self._phrase(group[0].text, parsed.terms, parsed.parts)
                if query is not None:
                    parsed.required.append(query)
                continue
            terms: set[str] = set()
            queries = [
                query
                for item in group
                if (
                    query := self._phrase(item.text, terms)
                    if item.phrase
                    else self._word(item.text, terms, expand=not negated)
                )
                is not None
            ]
            if not queries:
                continue
            query = queries[0] if len(queries) == 1 else Or(queries)
            if negated:
                parsed.excluded.append(query)
            else:
                parsed.required.append(query)
                parsed.parts.append(query)
                parsed.terms.update(terms)
        if text and parsed.is_empty:
            raise QueryError("no_words")
        return parsed


def _reference(text: str) -> Query:
    """A reference or case number typed in full (as indexed: lower case)."""
    return Term(REFS_FIELD, " ".join(text.strip(_PUNCTUATION).lower().split()), boost=REF_BOOST)


def _alternatives(name: str, variants: list[tuple[str, float]], boost: float) -> Query:
    """Any of ``variants`` (term, weight) in one field."""
    terms = [Term(name, variant, boost=boost * weight) for variant, weight in variants]
    return terms[0] if len(terms) == 1 else Or(terms)
