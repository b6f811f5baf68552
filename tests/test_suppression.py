"""Small-count suppression: no count 1-9 is published, and none can be worked out from the rest.

Property-based: random hierarchies (geography trees of 1-4 levels crossed
with periods split into years and quarters) with many small counts go through
``suppress``; an exact rational null-space computation written here, apart
from the implementation, checks that no hidden count is determined.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.stats.suppression import (
    THRESHOLD,
    Published,
    SuppressionError,
    determined,
    display,
    suppress,
)

Relation = tuple[Hashable, Sequence[Hashable]]


# --- an independent exact audit -----------------------------------------------------------


def determined_by_null_space(hidden: Iterable[Hashable], relations: Iterable[Relation]) -> set:
    """Hidden keys fixed by the relations, the shown values being constants.

    Gauss-Jordan elimination of the hidden columns with Fractions (sparse rows,
    pivots in column order), then a basis of the null space written out: a
    hidden key that is 0 in every basis vector has no other solution.
    """
    columns = list(dict.fromkeys(hidden))
    where = {key: i for i, key in enumerate(columns)}
    reduced: dict[int, dict[int, Fraction]] = {}  # pivot column -> its row, pivot 1
    for total, parts in relations:
        row: dict[int, Fraction] = {}
        for key, sign in ((total, 1), *((p, -1) for p in parts)):
            if key in where:
                row[where[key]] = row.get(where[key], Fraction(0)) + sign
        for column, pivot_row in reduced.items():
            if row.get(column):
                factor = row[column]
                for c, v in pivot_row.items():
                    row[c] = row.get(c, Fraction(0)) - factor * v
        row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        pivot = min(row)
        row = {c: v / row[pivot] for c, v in row.items()}
        for other in reduced.values():
            if other.get(pivot):
                factor = other[pivot]
                for c, v in row.items():
                    other[c] = other.get(c, Fraction(0)) - factor * v
                    if not other[c]:
                        del other[c]
        reduced[pivot] = row
    basis = []
    for free in (c for c in range(len(columns)) if c not in reduced):
        vector = {free: Fraction(1)}
        for pivot, row in reduced.items():
            if row.get(free):
                vector[pivot] = -row[free]
        basis.append(vector)
    return {columns[c] for c in range(len(columns)) if all(not v.get(c) for v in basis)}


# --- random hierarchies ---------------------------------------------------------------------

counts = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 40))


@st.composite
def tables(draw) -> tuple[dict[tuple, int], list[Relation]]:
    """A geography tree crossed with a period tree, leaves drawn, every total summed."""
    levels = draw(st.integers(1, 4))
    geo: dict[tuple, list[tuple]] = {}
    frontier: list[tuple] = [()]
    for _ in range(levels - 1):
        following = []
        for node in frontier:
            if len(geo) + len(following) >= 7:
                break
            geo[node] = [(*node, i) for i in range(draw(st.integers(1, 3)))]
            following.extend(geo[node])
        frontier = following
    period: dict[str, list[str]] = {"all": []}
    for y in range(draw(st.integers(1, 3))):
        year = f"y{y}"
        period["all"].append(year)
        quarters = draw(st.integers(0, 3))  # 0: a year not split; 1: a one-quarter year
        if quarters:
            period[year] = [f"{year}q{q}" for q in range(quarters)]
    places = [()]
    for node in places:
        places.extend(geo.get(node, []))
    periods = ["all", *(p for kids in period.values() for p in kids)]
    leaves = {
        (g, p): draw(counts) for g in places if g not in geo for p in periods if p not in period
    }

    def value(g: tuple, p: str) -> int:
        if g in geo:
            return sum(value(child, p) for child in geo[g])
        if p in period:
            return sum(value(g, child) for child in period[p])
        return leaves[(g, p)]

    values = {(g, p): value(g, p) for g in places for p in periods}
    relations: list[Relation] = [
        ((g, p), [(child, p) for child in kids]) for g, kids in geo.items() for p in periods
    ]
    relations += [
        ((g, p), [(g, child) for child in kids]) for g in places for p, kids in period.items()
    ]
    return values, relations


def hidden_keys(published: dict) -> set:
    return {key for key, value in published.items() if value is None}


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_random_hierarchies_are_safe(table) -> None:
    values, relations = table
    published = suppress(values, relations)
    assert published.keys() == values.keys()
    hidden = hidden_keys(published)
    for key, shown in published.items():
        # (a) nothing from 1 to 9 is shown, (b) what is shown is true
        assert shown is None or shown == values[key]
        assert shown is None or not 0 < shown < THRESHOLD
        assert not (shown is None and values[key] == 0)  # zeros are kept visible
    # (c) no hidden count follows from the shown ones, by an independent computation
    assert determined_by_null_space(hidden, relations) == set()
    assert determined(hidden, relations) == set()
    for total, parts in relations:
        nodes = [total, *parts]
        # (d) every relation has no hidden count, or at least two
        assert sum(published[n] is None for n in nodes) != 1
        # and a shown total never gives away a small sum of hidden parts
        if published[total] is not None and any(published[p] is None for p in parts):
            assert sum(values[p] for p in parts if published[p] is None) >= THRESHOLD
    # (e) deterministic
    assert suppress(dict(values), list(relations)) == published


@settings(max_examples=100, deadline=None)
@given(tables())
def test_zeros_can_be_left_out(table) -> None:
    """Leaving zero counts out of the input (as the complaint statistics do) changes nothing."""
    values, relations = table
    non_zero = {key: value for key, value in values.items() if value}
    kept = [(total, [p for p in parts if values[p]]) for total, parts in relations if values[total]]
    full = suppress(values, relations)
    assert suppress(non_zero, kept) == {key: full[key] for key in non_zero}
    assert all(full[key] == 0 for key in values if not values[key])


@settings(max_examples=150, deadline=None)
@given(tables(), st.data())
def test_the_two_audits_agree(table, data) -> None:
    """The implementation's audit and the one above agree on any set of hidden counts."""
    values, relations = table
    hidden = data.draw(st.sets(st.sampled_from(sorted(values))))
    assert determined(hidden, relations) == determined_by_null_space(hidden, relations)


# --- hand-made cases --------------------------------------------------------------------------


def test_a_single_small_cell_in_a_row_forces_a_second_one_hidden() -> None:
    values = {"total": 183, "a": 50, "b": 3, "c": 60, "d": 70}
    published = suppress(values, [("total", ["a", "b", "c", "d"])])
    assert published == {"total": 183, "a": None, "b": None, "c": 60, "d": 70}


def test_a_region_of_seven_over_facilities_zero_zero_seven() -> None:
    values = {
        "country": 102,
        "r1": 7,
        "r2": 40,
        "r3": 55,
        "r1.f1": 0,
        "r1.f2": 0,
        "r1.f3": 7,
    }
    relations = [("country", ["r1", "r2", "r3"]), ("r1", ["r1.f1", "r1.f2", "r1.f3"])]
    published = suppress(values, relations)
    assert published == {
        "country": 102,
        "r1": None,
        "r2": None,  # else country - r2 - r3 = r1
        "r3": 55,
        "r1.f1": 0,
        "r1.f2": 0,
        "r1.f3": None,
    }


def test_neighbouring_quarters_cannot_give_away_a_hidden_one() -> None:
    values = {"2025": 87, "Q1": 12, "Q2": 5, "Q3": 30, "Q4": 40}
    published = suppress(values, [("2025", ["Q1", "Q2", "Q3", "Q4"])])
    assert published["2025"] == 87
    assert published["Q2"] is None
    assert sum(published[q] is None for q in ("Q1", "Q2", "Q3", "Q4")) >= 2
    assert published == {"2025": 87, "Q1": None, "Q2": None, "Q3": 30, "Q4": 40}


def test_hidden_parts_must_not_add_up_to_a_small_count() -> None:
    """Two hidden 1s under a shown total: total minus the rest is 2, so both would be 1."""
    values = {"total": 62, "a": 1, "b": 1, "c": 10, "d": 50}
    published = suppress(values, [("total", ["a", "b", "c", "d"])])
    assert published == {"total": 62, "a": None, "b": None, "c": None, "d": 50}


def test_zero_is_published_as_zero() -> None:
    values = {"total": 0, "a": 0, "b": 0}
    assert suppress(values, [("total", ["a", "b"])]) == values
    assert suppress({"x": 0, "y": 10, "z": 9}, []) == {"x": 0, "y": 10, "z": None}


def test_the_audit_catches_what_pairwise_rules_miss() -> None:
    """Every relation has two hidden counts, yet x = (a + b - c) / 2: the audit must act."""
    values = {"a": 11, "b": 12, "c": 13, "x": 5, "y": 6, "z": 7}
    relations = [("a", ["x", "y"]), ("b", ["x", "z"]), ("c", ["y", "z"])]
    assert determined({"x", "y", "z"}, relations) == {"x", "y", "z"}
    published = suppress(values, relations)
    assert published["a"] is None  # the smallest shown neighbour
    assert published["b"] == 12 and published["c"] == 13
    assert determined_by_null_space(hidden_keys(published), relations) == set()


def test_the_audit_in_a_place_by_quarter_table() -> None:
    """A case found by search: rules per relation pass, the combination reveals g2's 1.

    g1 + g2 over the whole year is 29, g1 and g2 in the third quarter are 18,
    and g1's other quarters are shown (0 and 10): so g2's first quarter is 1.
    """
    quarters = {
        "g0": (1, 10, 20),
        "g1": (0, 10, 10),
        "g2": (1, 0, 8),
    }
    values: dict[tuple[str, str], int] = {}
    for place, numbers in quarters.items():
        values.update({(place, f"q{i}"): n for i, n in enumerate(numbers)})
        values[(place, "y")] = values[(place, "all")] = sum(numbers)
    for period in ("q0", "q1", "q2", "y", "all"):
        values[("T", period)] = sum(values[(p, period)] for p in quarters)
    relations: list[Relation] = [
        (("T", period), [(p, period) for p in quarters])
        for period in ("q0", "q1", "q2", "y", "all")
    ]
    for place in ("T", *quarters):
        relations.append(((place, "y"), [(place, q) for q in ("q0", "q1", "q2")]))
        relations.append(((place, "all"), [(place, "y")]))
    after_pairwise_rules = {
        ("T", "q0"), ("T", "q1"), ("g0", "q0"), ("g0", "q1"), ("g1", "all"), ("g1", "y"),
        ("g1", "q2"), ("g2", "all"), ("g2", "y"), ("g2", "q0"), ("g2", "q2"),
    }  # fmt: skip
    assert determined_by_null_space(after_pairwise_rules, relations) == {("g2", "q0")}

    published = suppress(values, relations)
    hidden = hidden_keys(published)
    assert after_pairwise_rules < hidden
    assert determined_by_null_space(hidden, relations) == set()
    assert all(published[key] == 0 for key, value in values.items() if value == 0)


def test_same_input_same_output_and_ties_by_key_order() -> None:
    values = {"total": 40, "a": 5, "b": 10, "c": 10, "d": 15}
    relations = [("total", ["a", "b", "c", "d"])]
    first = suppress(values, relations)
    assert first == {"total": 40, "a": None, "b": None, "c": 10, "d": 15}
    assert suppress(values, relations) == first
    reordered = {"total": 40, "a": 5, "c": 10, "b": 10, "d": 15}
    assert suppress(reordered, relations)["c"] is None


@pytest.mark.parametrize(
    ("values", "relations"),
    [
        ({"a": -1}, []),
        ({"a": 1.5}, []),
        ({"a": True}, []),
        ({"t": 10, "a": 4}, [("t", ["a"])]),
        ({"t": 10}, [("t", ["missing"])]),
        ({"t": 10, "a": 5}, [("t", ["a", "a"])]),
    ],
)
def test_bad_input_is_refused(values, relations) -> None:
    with pytest.raises(SuppressionError):
        suppress(values, relations)


def test_display_and_published() -> None:
    assert display(None) == "<10"
    assert display(0) == "0"
    assert display(1234) == "1234"
    assert str(Published(None)) == "<10"
    assert Published(None).hidden
    assert not Published(0).hidden
    assert str(Published(12)) == "12"
