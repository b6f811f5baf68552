"""Places: every name, alias and former name of a city or region meets on one token.

``portal/data/places.csv`` lists each name (Kazakh, Russian, former: Нұр-Сұлтан,
Нур-Султан, Акмола, Целиноград…) with the tokens it stands for
(``city:astana``; a region adds its own and, when they share a name, its
centre's: ``Павлодар облысы`` → ``region:pavlodar city:pavlodar``). The
analyzer adds those tokens at the position of the name, in any case form and
script (Астанада, в Нур-Султане, Öskemende, Oskemen), so a query naming a
place in any of its forms finds complaints that name it in any other.

Names are read in both languages whatever the row says (Семей is in Russian
text too), and a hyphenated name also matches written as one word (Нурсултан,
Алмаата), and a Russian region adjective with or without область
(Карагандинская, Карагандинской области). A few names are also ordinary
words (орал- 'return', Russian семей 'of families'): those rows say
``capital`` and match complaint text only when written with a capital letter.
"""

from __future__ import annotations

from functools import cache

from portal.search.lexicon import Lexicon, read_rows

PLACES_FILE = "places.csv"


@cache
def place_lexicon() -> Lexicon:
    """The names of places, keyed for matching complaint and query text."""
    entries = []
    for row in read_rows(PLACES_FILE):
        entry = (row["places"].split(), row["capital"] == "yes")
        entries.append((row["name"], "any", *entry))
        if "-" in row["name"]:
            entries.append((row["name"].replace("-", ""), "any", *entry))
        if row["name"].endswith("ская"):
            entries += [(f"{row['name']} {word}", "any", *entry) for word in ("область", "обл")]
    return Lexicon(entries)
