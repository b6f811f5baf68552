"""Published complaint statistics: true where shown, "<10" where small, nothing recoverable.

Every test runs on SQLite and PostgreSQL. True counts are recomputed here the
slow, obvious way from every complaint, apart from the grouped queries.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from itertools import product

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.models import Category, Complaint, Facility, Region
from portal.stats.complaints import (
    CATEGORIES,
    ComplaintStatistics,
    cached_complaint_statistics,
    clear_cache,
    complaint_statistics,
)
from portal.stats.suppression import THRESHOLD
from tests import factories
from tests.test_suppression import determined_by_null_space

PV, TORTURE = Category.PHYSICAL_VIOLENCE, Category.TORTURE


def at(year: int, month: int, day: int = 15, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def add(db, count: int, created_at: datetime, **values) -> None:
    for i in range(count):
        factories.complaint(db, created_at=created_at + timedelta(minutes=i), **values)


def true_counts(db) -> Counter:
    """(level, id, period, category) -> how many complaints, from every complaint row."""
    counts: Counter = Counter()
    query = select(Complaint).options(
        selectinload(Complaint.categories), selectinload(Complaint.facility)
    )
    for complaint in db.scalars(query):
        when = complaint.created_at.astimezone(UTC)
        periods = ("all", str(when.year), f"{when.year}-Q{(when.month - 1) // 3 + 1}")
        if complaint.facility is not None:
            region_id = complaint.facility.region_id
            places = [("facility", complaint.facility_id), ("region", region_id)]
        elif complaint.region_id is not None:
            places = [("unknown_place", complaint.region_id), ("region", complaint.region_id)]
        else:
            places = [("unknown_region", None)]
        places.append(("national", None))
        categories = ["all", *(c.value for c in complaint.category_values)]
        for (level, ident), period, category in product(places, periods, categories):
            counts[(level, ident, period, category)] += 1
    return counts


def row_key(row: dict) -> tuple:
    ident = row["facility_id"] if row["level"] == "facility" else row["region_id"]
    return row["level"], ident, row["period"], row["category"]


def assert_safe_and_true(db, stats: ComplaintStatistics) -> Counter:
    """Shown = true, never 1-9, nothing hidden is recoverable; returns the true counts."""
    truth = true_counts(db)
    rows = list(stats.rows())
    keys = [row_key(row) for row in rows]
    assert len(set(keys)) == len(keys)
    assert {key for key, n in truth.items() if n} <= set(keys)
    for key, row in zip(keys, rows, strict=True):
        shown = row["count"]
        if shown is None:
            assert truth[key] > 0, f"a zero was hidden: {key}"
        else:
            assert shown == truth[key], key
            assert not 0 < shown < THRESHOLD, key
    assert stats.audit() == set()
    return truth


@pytest.fixture
def places(regions):
    """Two regions; three facilities in the first, one in the second."""
    db = regions
    first, second = db.scalars(select(Region).order_by(Region.id).limit(2))
    facilities = [factories.facility(db, region=first) for _ in range(3)]
    facilities.append(factories.facility(db, region=second))
    return db, first, second, facilities


def test_shown_counts_are_true_and_small_ones_hidden(places) -> None:
    db, first, second, (a, b, c, d) = places
    for facility, q1, q2 in ((a, 3, 0), (b, 25, 11), (c, 30, 4), (d, 12, 15)):
        add(db, q1, at(2025, 2), facility=facility)
        add(db, q2, at(2025, 5), facility=facility)
    add(db, 2, at(2025, 5), facility=None, region=second)
    add(db, 10, at(2025, 5), facility=None, region=None)
    db.commit()

    stats = complaint_statistics(db)
    truth = assert_safe_and_true(db, stats)
    assert stats.national() == 112
    assert stats.facility(a.id, "2025-Q1") is None
    assert stats.facility(c.id, "2025-Q2") is None
    assert stats.unknown_place(second.id, "2025-Q2") is None
    assert stats.region(first.id, "2025-Q3") == 0  # no complaints: a true zero, shown
    assert stats.periods() == ["2025-Q1", "2025-Q2"]
    assert stats.years() == ["2025"]

    # Totals are consistent: a shown national count is the sum of the regions'
    # true counts, shown or hidden; nothing outside the relations is counted.
    for period, category in product(["all", "2025", *stats.periods()], CATEGORIES):
        national = stats.national(period, category)
        if national is not None:
            parts = [
                truth[("region", region_id, period, category)] for region_id in stats.region_ids
            ]
            assert national == sum(parts) + truth[("unknown_region", None, period, category)]


def test_three_complaints_in_a_quarter_cannot_be_recovered(places) -> None:
    db, first, _second, (a, b, c, _d) = places
    add(db, 3, at(2025, 8), facility=a)
    add(db, 25, at(2025, 8), facility=b)
    add(db, 30, at(2025, 8), facility=c)
    add(db, 40, at(2025, 11), facility=a)  # a's year and all-time counts are large
    db.commit()

    stats = complaint_statistics(db)
    assert_safe_and_true(db, stats)
    assert stats.facility(a.id, "2025-Q3") is None
    region = stats.region(first.id, "2025-Q3")
    others = [stats.facility(f.id, "2025-Q3") for f in (b, c)]
    # region total minus the other facilities must not give a's 3
    assert region is None or None in others
    # nor a's year minus its other quarter
    year, q4 = stats.facility(a.id, "2025"), stats.facility(a.id, "2025-Q4")
    assert year is None or q4 is None
    # and the exact audit, by an independent computation, finds nothing determined
    assert determined_by_null_space(stats.hidden_nodes(), stats.relations) == set()


def test_a_complaint_counts_once_in_all_and_once_in_each_of_its_categories(places) -> None:
    db, _first, _second, (a, *_rest) = places
    add(db, 12, at(2024, 8), facility=a, categories=(PV, TORTURE))
    db.commit()

    stats = complaint_statistics(db)
    assert_safe_and_true(db, stats)
    assert stats.facility(a.id, "2024-Q3") == 12
    assert stats.facility(a.id, "2024-Q3", PV) == 12
    assert stats.facility(a.id, "2024-Q3", "torture") == 12
    assert stats.facility(a.id, "2024-Q3", Category.THREATS) == 0
    assert stats.national("2024") == 12


def test_complaints_without_a_facility_or_region(places) -> None:
    db, first, _second, (a, *_rest) = places
    add(db, 15, at(2025, 1), facility=a)
    add(db, 12, at(2025, 1), facility=None, region=first)
    add(db, 10, at(2025, 1), facility=None, region=None)
    db.commit()

    stats = complaint_statistics(db)
    assert_safe_and_true(db, stats)
    assert stats.facility(a.id) == 15
    assert stats.unknown_place(first.id) == 12
    assert stats.region(first.id) == 27
    assert stats.unknown_region() == 10
    assert stats.national() == 37
    levels = {row["level"] for row in stats.rows() if row["count"]}
    assert levels == {"national", "region", "facility", "unknown_place", "unknown_region"}


def test_quarters_are_taken_in_utc_and_run_without_gaps(places) -> None:
    db, _first, _second, (a, *_rest) = places
    almaty = timezone(timedelta(hours=5))
    add(db, 10, datetime(2024, 12, 31, 23, 0, tzinfo=UTC), facility=a)
    add(db, 10, datetime(2025, 4, 1, 2, 0, tzinfo=almaty), facility=a)  # 31 March in UTC
    add(db, 10, datetime(2025, 4, 1, 0, 30, tzinfo=UTC), facility=a)
    db.commit()

    stats = complaint_statistics(db)
    assert_safe_and_true(db, stats)
    assert stats.periods() == ["2024-Q4", "2025-Q1", "2025-Q2"]
    assert stats.years() == ["2024", "2025"]
    assert [stats.national(q) for q in stats.periods()] == [10, 10, 10]
    assert stats.national(2025) == 20
    assert stats.national("2023-Q1") == 0
    assert stats.as_of.isoformat() == "2025-04-01"
    rows = list(stats.rows())
    place_count = 2 + 2 * len(stats.region_ids) + len(stats.facility_regions)
    assert len(rows) == place_count * (1 + 2 + 3) * len(CATEGORIES)
    with pytest.raises(ValueError):
        stats.national("2025-Q5")
    with pytest.raises(ValueError):
        stats.national(category="beating")


def test_no_complaints(regions) -> None:
    stats = complaint_statistics(regions)
    assert stats.periods() == [] and stats.years() == []
    assert stats.as_of is None
    assert stats.national() == 0
    assert {row["count"] for row in stats.rows()} == {0}


def test_the_cache_keeps_one_object_until_the_data_changes(places) -> None:
    db, _first, _second, (a, *_rest) = places
    clear_cache()
    add(db, 12, at(2025, 6), facility=a)
    db.commit()

    first = cached_complaint_statistics(db, recheck=0)
    assert cached_complaint_statistics(db, recheck=0) is first
    add(db, 1, at(2025, 6, 20), facility=a)
    db.commit()
    assert cached_complaint_statistics(db) is first  # the version is not asked again at once
    second = cached_complaint_statistics(db, recheck=0)
    assert second is not first
    assert second.national() == 13
    assert cached_complaint_statistics(db, recheck=0) is second
    assert cached_complaint_statistics(db, max_age=0) is not second


def test_demo_data_publishes_nothing_small_or_recoverable(regions) -> None:
    from portal.demo import generate

    db = regions
    generate(db, facilities=40, complaints=600, seed=5)
    db.commit()

    stats = complaint_statistics(db)
    assert len(stats.facility_regions) == len(db.scalars(select(Facility.id)).all())
    assert stats.national() == 600
    assert_safe_and_true(db, stats)
    hidden = stats.hidden_nodes()
    assert hidden
    assert determined_by_null_space(hidden, stats.relations) == set()
