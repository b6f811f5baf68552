"""How complaint text becomes index terms, for indexing and querying alike.

First version: words (Kazakh letters and hyphenated names kept), case and ё/е
folded, Russian Snowball stemming. Kazakh stemming, transliteration, places and
the thesaurus build on this.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import Analyzer, Filter, RegexTokenizer
from whoosh.lang.snowball.russian import RussianStemmer

#: A word: letters and digits, with inner hyphens (Нұр-Сұлтан, Усть-Каменогорск).
WORD_PATTERN = r"\w+(?:[-‐‑]\w+)*"

_RUSSIAN = RussianStemmer()


@lru_cache(maxsize=200_000)
def fold_case(word: str) -> str:
    """Lower case with ё as е (the way reviewers type)."""
    return word.casefold().replace("ё", "е")


@lru_cache(maxsize=200_000)
def russian_stem(word: str) -> str:
    """The Russian Snowball stem of a lower-case word."""
    return _RUSSIAN.stem(word)


class FoldFilter(Filter):
    """Folds case and ё/е."""

    def __call__(self, tokens):
        """Fold each token's text."""
        for token in tokens:
            token.text = fold_case(token.text)
            yield token


class StemmingFilter(Filter):
    """Replaces each token's text with its stem."""

    def __call__(self, tokens):
        """Stem each token's text."""
        for token in tokens:
            token.text = russian_stem(token.text)
            yield token


def complaint_analyzer() -> Analyzer:
    """The analyzer of free-text complaint fields, for indexing and query parsing."""
    return RegexTokenizer(re.compile(WORD_PATTERN)) | FoldFilter() | StemmingFilter()
