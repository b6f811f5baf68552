"""Finding names however people type them: Kazakh in Cyrillic or Latin, Russian, English."""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

LATIN_TABLE = Path(__file__).parent / "data" / "kk-latin-2021.csv"


@cache
def _latin_map() -> dict[str, str]:
    with LATIN_TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    mapping = {}
    for row in rows:
        mapping[row["cyrillic_lower"]] = row["latin_lower"]
        mapping[row["cyrillic_upper"]] = row["latin_upper"]
    return mapping


def to_kk_latin(text: str) -> str:
    """Transliterate Kazakh Cyrillic to the 2021 Latin alphabet (Қарағанды → Qarağandy)."""
    table = _latin_map()
    return "".join(table.get(char, char) for char in text)


_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """Fold case, ё/е and punctuation so that "Нур-Султан" matches "нур султан"."""
    folded = text.casefold().replace("ё", "е").replace("i̇", "i")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def strip_marks(text: str) -> str:
    """Latin without diacritics, as typed without a Kazakh keyboard (Qarağandy → Qaragandy).

    Only Latin letters lose their marks: Cyrillic й and ё stay what they are.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    kept = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def search_key(*names: str | None) -> str:
    """One searchable string for a thing with many names, including their Latin spellings."""
    parts = [name for name in names if name]
    latin = [to_kk_latin(name) for name in parts]
    parts += latin + [strip_marks(name) for name in latin]
    return " | ".join(dict.fromkeys(normalise(part) for part in parts))


def matches(key: str, query: str) -> bool:
    """True when every word of ``query`` occurs in ``key`` (made by :func:`search_key`)."""
    words = normalise(query).split()
    return all(word in key for word in words)
