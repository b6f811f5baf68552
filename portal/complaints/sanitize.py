"""The one place where text typed by citizens is cleaned before it is stored.

Every text field of the complaint and follow-up forms passes through
:func:`clean_text` (as a WTForms filter), so reviewers read plain text: no HTML
tags, no control characters that could break a page, a log line or PostgreSQL
(which refuses NUL in text), and one Unicode form, so that the same word typed
on two phones is stored the same way. Output is escaped by Jinja as usual.
"""

from __future__ import annotations

import html
import unicodedata

import bleach

#: Control characters kept because they shape a narrative: line breaks and tabs.
_KEPT_CONTROLS = {"\n", "\t"}
#: bleach escapes ``<`` and ``&``; unescaping and cleaning again converges fast.
_MAX_PASSES = 4


def _drop_controls(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char
        for char in text
        if char in _KEPT_CONTROLS or unicodedata.category(char) not in ("Cc", "Cs")
    )


def _strip_markup(text: str) -> str:
    """Remove tags and comments, also those hidden behind HTML entities (``&lt;b&gt;``)."""
    for _ in range(_MAX_PASSES):
        cleaned = html.unescape(bleach.clean(text, tags=set(), strip=True, strip_comments=True))
        if cleaned == text:
            break
        text = cleaned
    return text


def clean_text(value: str | None) -> str | None:
    """Return ``value`` as plain, NFC-normalised text without markup or control characters.

    ``None`` stays ``None`` (a field that was not sent); surrounding whitespace is
    removed. Safe to call twice: cleaning clean text changes nothing.
    """
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value))
    text = _drop_controls(text)
    text = _strip_markup(text)
    # unescaping may have produced new control characters (&#0; is refused by html.unescape,
    # but &#7; is not) and composed characters; clean once more.
    text = unicodedata.normalize("NFC", _drop_controls(text))
    return text.strip()
