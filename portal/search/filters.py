"""What a reviewer narrows a search to (Filters), and what the caller may see (Scope).

Both are plain values the search service turns into per-segment bitmasks of
the index's filter fields (:mod:`portal.search.service`). Search knows no
users: the page decides the scope and passes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from portal.search.schema import NONE, incident_value, naive_utc, received_value

#: Beyond every date column value.
_HIGHEST = 2**62


@dataclass(frozen=True)
class Filters:
    """What the reviewer narrowed the search to; empty tuples and None filter nothing.

    Regions, facilities and assignees are ids (None stands for "unknown" or
    "nobody"); the others are the stored values (``Category``, ``Status``,
    ``Answer``, ``Relation``, ``FacilityType`` values, language codes). Dates
    are inclusive; a ``date`` is a whole UTC day, an aware ``datetime`` an instant.
    """

    regions: tuple[int | None, ...] = ()
    facilities: tuple[int | None, ...] = ()
    facility_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    camera_present: tuple[str, ...] = ()
    camera_working: tuple[str, ...] = ()
    out_of_view: tuple[str, ...] = ()
    assignees: tuple[int | None, ...] = ()
    incident_from: date | datetime | None = None
    incident_to: date | datetime | None = None
    received_from: date | datetime | None = None
    received_to: date | datetime | None = None

    def terms(self) -> dict[str, list[str]]:
        """Filter field → the index terms chosen, for the fields with a choice."""
        chosen = {
            "region": self.regions,
            "facility": self.facilities,
            "facility_type": self.facility_types,
            "categories": self.categories,
            "status": self.statuses,
            "language": self.languages,
            "relation": self.relations,
            "camera_present": self.camera_present,
            "camera_working": self.camera_working,
            "out_of_view": self.out_of_view,
            "assignee": self.assignees,
        }
        return {
            name: [NONE if value is None else str(value) for value in values]
            for name, values in chosen.items()
            if values
        }

    def dates(self) -> dict[str, tuple[int, int]]:
        """Date column → inclusive (low, high) column values, for the columns with a range."""
        ranges = {}
        if self.incident_from is not None or self.incident_to is not None:
            low = incident_value(_start(self.incident_from)) if self.incident_from else 1
            high = incident_value(_end(self.incident_to)) if self.incident_to else _HIGHEST
            ranges["incident"] = (max(low, 1), high)  # 0 is "unknown": outside every range
        if self.received_from is not None or self.received_to is not None:
            low = received_value(_start(self.received_from)) if self.received_from else 0
            high = received_value(_end(self.received_to)) if self.received_to else _HIGHEST
            ranges["received"] = (low, high)
        return ranges


@dataclass(frozen=True)
class Scope:
    """The regions whose complaints the caller may see: ``None`` for every region."""

    regions: frozenset[int] | None = None
    #: Whether complaints with no known region are visible too (ignored when regions is None).
    include_unknown_region: bool = False
    #: A user id: complaints with no known region assigned to this user are visible too
    #: (a reviewer sees the ones a coordinator gave them). Ignored when regions is None.
    unknown_region_assignee: int | None = None

    def terms(self) -> list[str] | None:
        """The region terms in scope, or None for no restriction."""
        if self.regions is None:
            return None
        terms = [str(region) for region in sorted(self.regions)]
        return [*terms, NONE] if self.include_unknown_region else terms


def _start(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return naive_utc(value)
    return datetime.combine(value, time())


def _end(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return naive_utc(value)
    return datetime.combine(value, time()) + timedelta(days=1) - timedelta(microseconds=1)
