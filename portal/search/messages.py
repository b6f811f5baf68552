"""What a reviewer reads when a search cannot run: one translated sentence per error code.

The search service knows no language; it returns a code
(:attr:`portal.search.service.SearchResult.error`), and the page shows
:func:`error_message` of it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ERRORS = {
    "too_long": _l("The search is too long. Use at most 300 characters."),
    "too_many_words": _l("The search has too many words. Use at most 16 words."),
    "leading_wildcard": _l(
        "A word cannot start with * or ?. Type the word itself: other forms of it are found too."
    ),
    "unclosed_quote": _l('A quotation mark is not closed. Close the phrase with a second ".'),
    "dangling_or": _l("OR must stand between two words or phrases."),
    "no_words": _l("Type at least one word, phrase or case number."),
    "unavailable": _l("Search is catching up with the latest changes. Try again in a minute."),
}


def error_message(code: str):
    """The translated sentence for a search error code (a general one for unknown codes)."""
    return ERRORS.get(code, ERRORS["unavailable"])
