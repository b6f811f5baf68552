"""Small-count suppression: the one gate every published complaint-derived number goes through.

Why: a count of complaints from 1 to 9 about one facility in one quarter can
point at the person who complained. Such counts are published as "<10".
Hiding them is not enough on its own: if a region's total and all but one of
its facilities are shown, the hidden one is the difference. So hiding works
in three steps, over every number published together (cells *and* totals):

1. **Primary**: every count from 1 to ``THRESHOLD - 1`` is hidden. Zero is
   published: a true zero says nothing about anybody.
2. **Secondary**, repeated until nothing changes: in every additive relation
   ``total == sum(parts)``, if exactly one number is hidden, one more is hidden
   (the smallest visible non-zero part; if there is none, the total); and if
   the total is shown, the hidden parts together must add up to at least
   ``THRESHOLD``, otherwise "total minus the shown parts" would itself publish
   a small count (and, since zeros are published, pin them down: two hidden
   parts that add up to 2 are both 1).
3. **Audit**, exact: the hidden numbers are unknowns, the shown numbers
   constants, the relations linear equations. A hidden number is *determined*
   when every solution of the homogeneous system has 0 in its place, i.e. when
   its unit vector lies in the row space of the hidden columns. This is
   checked with exact integer (fraction-free) Gauss-Jordan elimination on each
   connected component of hidden numbers separately; a determined number gets
   a neighbour hidden, and steps 2-3 repeat.

Everything here is pure Python: no Flask, no database. The audit proves that
no hidden number follows *linearly* from what is shown; it does not compute
feasible intervals under non-negativity (the residual rule of step 2 covers
the common case of that).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import gcd
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

#: Counts from 1 to THRESHOLD - 1 are never published.
THRESHOLD = 10
#: How a hidden count is shown, everywhere (pages, CSV, JSON, feeds).
HIDDEN_TEXT = "<10"


class SuppressionError(ValueError):
    """The numbers given to :func:`suppress` are not valid counts or break their relations."""


def display(value: int | None) -> str:
    """The text of a published count: ``"<10"`` when hidden (None), else the number itself.

    Locale-aware digit grouping is the caller's job (the templates' ``number``
    filter); this is the plain form used in CSV, JSON and feeds.
    """
    return HIDDEN_TEXT if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Published:
    """A count as it may be published: ``value`` is the number, or None when hidden.

    ``str()`` gives the public text (``"<10"`` or the number); ``hidden`` tells
    templates and serialisers which of the two they have.
    """

    value: int | None

    @property
    def hidden(self) -> bool:
        """True when the count is suppressed and must be shown as "<10"."""
        return self.value is None

    def __str__(self) -> str:
        return display(self.value)


# --- the algorithm, on integer node indices ----------------------------------------------


class _Table:
    """Values, hidden flags and relations, with nodes numbered in input order."""

    def __init__(self, values: Sequence[int], relations: list[tuple[int, tuple[int, ...]]]):
        self.values = values
        self.relations = relations
        self.hidden = [0 < v < THRESHOLD for v in values]
        self.newly_hidden: list[int] = []
        self.relations_of: list[list[int]] = [[] for _ in values]
        for number, (total, parts) in enumerate(relations):
            self.relations_of[total].append(number)
            for part in parts:
                self.relations_of[part].append(number)

    def candidate(self, relation: int) -> int | None:
        """The node of ``relation`` to hide next: smallest shown non-zero part, else the total."""
        total, parts = self.relations[relation]
        values, hidden = self.values, self.hidden
        shown = [(values[p], p) for p in parts if not hidden[p] and values[p] > 0]
        if shown:
            return min(shown)[1]
        if not hidden[total]:
            return total
        zeros = [p for p in parts if not hidden[p]]
        return min(zeros) if zeros else None

    def relief(self, node: int) -> int | None:
        """A shown node to hide next because the hidden ``node`` is determined (the audit rechecks).

        The nearest relations first: those containing ``node``, then those
        containing the hidden nodes these reach, and so on; within a ring the
        smallest non-zero candidate. A zero is hidden only when no non-zero
        candidate is left anywhere in the component.
        """
        ring, seen_nodes, seen_relations = [node], {node}, set()
        while ring:
            options: list[tuple[int, int]] = []
            following: list[int] = []
            for current in ring:
                for relation in self.relations_of[current]:
                    if relation in seen_relations:
                        continue
                    seen_relations.add(relation)
                    candidate = self.candidate(relation)
                    if candidate is not None and self.values[candidate] > 0:
                        options.append((self.values[candidate], candidate))
                    total, parts = self.relations[relation]
                    for other in (total, *parts):
                        if self.hidden[other] and other not in seen_nodes:
                            seen_nodes.add(other)
                            following.append(other)
            if options:
                return min(options)[1]
            ring = following
        zeros = [c for r in self.relations_of[node] if (c := self.candidate(r)) is not None]
        return min(zeros) if zeros else None

    def needs_more(self, relation: int) -> bool:
        """True when ``relation`` would let a hidden number, or a small sum of them, be computed."""
        total, parts = self.relations[relation]
        hidden = self.hidden
        count = hidden[total] + sum(hidden[p] for p in parts)
        if count == 0:
            return False
        if count == 1:
            return True
        if hidden[total]:
            return False
        shown = sum(self.values[p] for p in parts if not hidden[p])
        return self.values[total] - shown < THRESHOLD

    def hide(self, node: int, queue: deque[int], queued: set[int]) -> None:
        self.hidden[node] = True
        self.newly_hidden.append(node)
        for relation in self.relations_of[node]:
            if relation not in queued:
                queued.add(relation)
                queue.append(relation)

    def secondary(self, relations: Iterable[int]) -> None:
        """Hide more nodes until every relation is safe (step 2)."""
        queue = deque(relations)
        queued = set(queue)
        while queue:
            relation = queue.popleft()
            queued.discard(relation)
            if self.needs_more(relation):
                node = self.candidate(relation)
                if node is not None:
                    self.hide(node, queue, queued)
                    if relation not in queued:
                        queued.add(relation)
                        queue.append(relation)

    def components(self, starts: Iterable[int]) -> list[tuple[list[int], list[int]]]:
        """Groups of hidden nodes reached from ``starts``, with the relations touching them.

        Two hidden nodes are connected when a relation contains both; the
        equations then split into independent blocks, one per group.
        """
        hidden, relations, relations_of = self.hidden, self.relations, self.relations_of
        seen: set[int] = set()
        visited: set[int] = set()
        groups: list[tuple[list[int], list[int]]] = []
        for start in starts:
            if start in seen or not hidden[start]:
                continue
            seen.add(start)
            nodes, touching, stack = [start], [], [start]
            while stack:
                for relation in relations_of[stack.pop()]:
                    if relation in visited:
                        continue
                    visited.add(relation)
                    touching.append(relation)
                    total, parts = relations[relation]
                    for node in (total, *parts):
                        if hidden[node] and node not in seen:
                            seen.add(node)
                            nodes.append(node)
                            stack.append(node)
            groups.append((nodes, touching))
        return groups

    def row(self, relation: int) -> dict[int, int]:
        """The relation as an equation over hidden nodes: total - sum(parts) = constant."""
        total, parts = self.relations[relation]
        row: dict[int, int] = {}
        if self.hidden[total]:
            row[total] = 1
        for part in parts:
            if self.hidden[part]:
                row[part] = row.get(part, 0) - 1
        return {node: c for node, c in row.items() if c}


def _combine(
    row: dict[int, int], pivot_row: dict[int, int], column: int
) -> tuple[dict[int, int], set[int], set[int]]:
    """``row`` with ``column`` eliminated by ``pivot_row``, kept integral and primitive.

    Returns the new row and the columns it lost and gained.
    """
    a, b = row[column], pivot_row[column]
    g = gcd(a, b)
    a, b = a // g, b // g
    new = {c: b * v for c, v in row.items()} if b != 1 else dict(row)
    lost: set[int] = set()
    gained: set[int] = set()
    for c, v in pivot_row.items():
        old = new.get(c, 0)
        value = old - a * v
        if value:
            new[c] = value
            if not old:
                gained.add(c)
        elif old:
            del new[c]
            lost.add(c)
    content = 0
    for v in new.values():
        content = gcd(content, v)
        if content == 1:
            break
    if content > 1:
        new = {c: v // content for c, v in new.items()}
    return new, lost, gained


def _determined_in(rows: list[dict[int, int]]) -> list[int]:
    """Columns whose unit vector lies in the row space of ``rows`` (exact, over the rationals).

    Gauss-Jordan elimination with integer rows divided by their content after
    each step, so no rounding and no modular shortcut. In reduced row echelon
    form a column is determined exactly when it is a pivot whose row has no
    other entry (every other column of a pivot row is free).
    """
    weight: dict[int, int] = defaultdict(int)
    for row in rows:
        for column in row:
            weight[column] += 1
    pivots: dict[int, dict[int, int]] = {}
    # column -> pivot columns whose rows contain it (only ever non-pivot columns)
    holders: dict[int, set[int]] = defaultdict(set)
    for original in sorted(rows, key=len):
        row = original
        for column in [c for c in original if c in pivots]:
            if column in row:
                row = _combine(row, pivots[column], column)[0]
        if not row:
            continue
        pivot = min(row, key=lambda c: (weight[c], c))
        for other in holders.pop(pivot, ()):
            updated, lost, gained = _combine(pivots[other], row, pivot)
            pivots[other] = updated
            for c in lost:
                if c != pivot:
                    holders[c].discard(other)
            for c in gained:
                holders[c].add(other)
        pivots[pivot] = row
        for c in row:
            if c != pivot:
                holders[c].add(pivot)
    return [column for column, row in pivots.items() if len(row) == 1]


def _audit(table: _Table, starts: Iterable[int], *, first_only: bool = False) -> list[int]:
    """Hidden nodes, in the components reached from ``starts``, that shown numbers determine.

    With ``first_only``, one per component: fixing it may free the others.
    """
    found: list[int] = []
    for _nodes, relations in table.components(starts):
        fixed = _determined_in([table.row(r) for r in relations])
        found.extend(sorted(fixed)[:1] if first_only else fixed)
    return sorted(found)


def _validate(
    values: Mapping[K, int], constraints: Iterable[tuple[K, Sequence[K]]]
) -> tuple[list[K], list[int], list[tuple[int, tuple[int, ...]]]]:
    keys = list(values)
    index = {key: i for i, key in enumerate(keys)}
    numbers: list[int] = []
    for key in keys:
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SuppressionError(f"{key!r}: a count must be an integer >= 0, not {value!r}")
        numbers.append(value)
    relations: list[tuple[int, tuple[int, ...]]] = []
    position, number = index.__getitem__, numbers.__getitem__
    for total_key, part_keys in constraints:
        try:
            total = position(total_key)
            parts = tuple(map(position, part_keys))
        except KeyError as error:
            raise SuppressionError(f"a relation names {error.args[0]!r}, not in values") from None
        if numbers[total] != sum(map(number, parts)):
            raise SuppressionError(f"{total_key!r} is not the sum of its parts")
        if total in parts or len(set(parts)) != len(parts):
            raise SuppressionError(f"{total_key!r}: a node appears twice in one relation")
        relations.append((total, parts))
    return keys, numbers, relations


def suppress(
    values: Mapping[K, int], constraints: Iterable[tuple[K, Sequence[K]]]
) -> dict[K, int | None]:
    """Decide which counts may be published; return them, with None for every hidden one.

    ``values`` holds every count that will be published anywhere, cells and
    totals alike; ``constraints`` lists the relations ``(total, parts)``
    meaning ``values[total] == sum(values[p] for p in parts)``. Counts 1-9 are
    hidden, then more are hidden until no hidden count can be computed from
    the shown ones through the relations (see the module docstring). Shown
    counts are returned unchanged; zeros stay shown.

    Deterministic: ties are broken by the order of the keys in ``values``.
    Raises :class:`SuppressionError` for a negative or non-integer count, a
    relation naming an unknown key, or a total that is not the sum of its parts.
    """
    keys, numbers, relations = _validate(values, constraints)
    table = _Table(numbers, relations)
    table.secondary(range(len(relations)))
    # The first audit covers every hidden node; later ones only the components
    # that grew (every other component passed already and has not changed).
    starts = [i for i, flag in enumerate(table.hidden) if flag]
    while determined := _audit(table, starts, first_only=True):
        table.newly_hidden = []
        queue: deque[int] = deque()
        queued: set[int] = set()
        for node in determined:
            if (extra := table.relief(node)) is not None and not table.hidden[extra]:
                table.hide(extra, queue, queued)
        table.secondary(queue)
        if not table.newly_hidden:
            # Only possible when the relations alone force the value (to 0):
            # every node around it is hidden already, nothing is left to hide.
            break
        starts, table.newly_hidden = table.newly_hidden, []
    return {key: None if table.hidden[i] else numbers[i] for i, key in enumerate(keys)}


def determined(hidden: Collection[K], constraints: Iterable[tuple[K, Sequence[K]]]) -> set[K]:
    """The hidden keys whose value follows from the shown ones and the relations (exact audit).

    ``hidden`` lists the suppressed keys; every other key in a relation counts
    as shown. An empty result means no hidden count can be recovered by
    combining published totals, sibling cells or neighbouring periods. Used by
    :func:`suppress` and available to tests and monitoring.
    """
    hidden_set = set(hidden)
    numbered: dict[K, int] = {}
    relations: list[tuple[int, tuple[int, ...]]] = []
    for total, parts in constraints:
        ids = [numbered.setdefault(k, len(numbered)) for k in (total, *parts)]
        relations.append((ids[0], tuple(ids[1:])))
    keys = list(numbered)
    table = _Table([0] * len(keys), relations)
    table.hidden = [key in hidden_set for key in keys]
    return {keys[i] for i in _audit(table, range(len(keys)))}
