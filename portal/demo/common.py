"""Constants and helpers shared by the demo-data modules.

Everything generated is derived from the seed and from :data:`TODAY`, a fixed
date, never from the wall clock: the same seed and sizes give the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TypeVar

#: Bumped whenever the generator's output changes for the same seed and sizes.
GENERATOR_VERSION = 2

#: The demo data's "today": the last quarter end of the three years covered.
TODAY = date(2026, 9, 30)

#: How many quarterly official snapshots every facility gets.
QUARTERS = 12

#: Rows per INSERT batch.
BATCH = 5000

#: Prefix of every generated snapshot's source note; the portal shows it.
DEMO_NOTE = "Демо-данные: сгенерировано"

T = TypeVar("T")


def quarter_ends(today: date = TODAY, count: int = QUARTERS) -> list[date]:
    """The last ``count`` quarter ends up to ``today`` (itself a quarter end), oldest first."""
    ends: list[date] = []
    year, month = today.year, today.month
    for _ in range(count):
        day = 31 if month in (3, 12) else 30
        ends.append(date(year, month, day))
        month -= 3
        if month <= 0:
            month += 12
            year -= 1
    return ends[::-1]


def stream(seed: int, part: str) -> random.Random:
    """An independent random generator for one part of the data (facilities, complaints…).

    Separate streams keep, for example, the facilities identical whatever the
    number of complaints asked for.
    """
    return random.Random(f"ashyq-baqylau-demo:{seed}:{part}")


def weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    """One of ``options`` ((value, weight) pairs), drawn by weight."""
    total = sum(weight for _, weight in options)
    point = rng.random() * total
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    counts = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
