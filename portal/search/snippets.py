"""Highlighted snippets: where the query's words appear in a complaint's narrative.

The narrative is stored in the index for this (the contact never is: it is not
even read, see :mod:`portal.search.schema`). Whoosh's highlighter analyses the
text with the index's analyzer, so a word is marked in whatever form it was
found (``избили`` for a query ``избить``). The result is safe HTML: the text
escaped, matches in ``<mark>``, fragments joined by an ellipsis.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape
from whoosh.analysis import Analyzer
from whoosh.highlight import ContextFragmenter, Formatter, get_text, highlight, htmlescape

#: Characters around the matches shown, and at most in a snippet.
SURROUND, MAX_CHARS = 60, 240
#: Fragments shown at most.
TOP = 2
ELLIPSIS = "…"


class _WordFragmenter(ContextFragmenter):
    """Whoosh's context fragments, widened to whole words."""

    def fragment_tokens(self, text, tokens):
        """Each fragment starts and ends at a space (or the text's ends)."""
        for fragment in super().fragment_tokens(text, tokens):
            start = fragment.startchar
            while start > 0 and not text[start - 1].isspace() and fragment.startchar - start < 30:
                start -= 1
            end = fragment.endchar
            while end < len(text) and not text[end].isspace() and end - fragment.endchar < 30:
                end += 1
            fragment.startchar, fragment.endchar = start, end
            yield fragment


class _MarkFormatter(Formatter):
    """Matches in ``<mark>``, everything escaped, an ellipsis where text was left out."""

    between = " "

    def _text(self, text: str) -> str:
        return htmlescape(text, quote=False)

    def format_token(self, text, token, replace=False) -> str:
        """One match, escaped, in ``<mark>``."""
        return f"<mark>{htmlescape(get_text(text, token, replace), quote=False)}</mark>"

    def format_fragment(self, fragment, replace=False) -> str:
        """One fragment, with an ellipsis on each side that does not reach the text's end."""
        body = super().format_fragment(fragment, replace=replace).strip()
        before = f"{ELLIPSIS} " if fragment.startchar > 0 else ""
        after = f" {ELLIPSIS}" if fragment.endchar < len(fragment.text) else ""
        return before + body + after


def _opening(text: str) -> Markup:
    """The start of the text, cut at a word, for a complaint found by another field."""
    if len(text) <= MAX_CHARS:
        return escape(text)
    cut = text[:MAX_CHARS].rsplit(None, 1)[0]
    return escape(cut + ELLIPSIS)


def snippet(text: str, terms: Iterable[str], analyzer: Analyzer) -> Markup:
    """The parts of ``text`` with the analysed query ``terms``, marked; else its start."""
    terms = frozenset(terms)
    if not text:
        return Markup("")
    if terms:
        fragmenter = _WordFragmenter(maxchars=MAX_CHARS, surround=SURROUND)
        marked = highlight(text, terms, analyzer, fragmenter, _MarkFormatter(), top=TOP)
        if marked:
            return Markup(marked)  # noqa: S704 - built by _MarkFormatter, which escapes the text
    return _opening(text)
