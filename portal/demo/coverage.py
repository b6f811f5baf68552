"""Demo coverage: 12 quarterly official snapshots per facility, and a few independent checks.

A facility's layout (zones per zone type) stays fixed; the share of zones under
cameras follows a trajectory: most improve, some reach 100 %, some stall for
many quarters, some slip back for a while. Independent snapshots (monitoring
visits) usually find fewer zones covered and more broken cameras than the
official figure of the same quarter.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from portal.demo.common import DEMO_NOTE, QUARTERS, quarter_ends, weighted
from portal.demo.facilities import FacilityPlan
from portal.models import FacilityType, Source, ZoneType

Z = ZoneType

#: Zone types per facility type: (zones_total range for size 1.0, cameras per covered zone).
ZONES: dict[FacilityType, dict[ZoneType, tuple[int, int, float]]] = {
    FacilityType.POLICE: {
        Z.CELLS: (1, 4, 1.0),
        Z.CORRIDORS: (3, 12, 1.5),
        Z.INTERROGATION: (3, 14, 1.0),
        Z.DUTY_INTAKE: (1, 3, 3.0),
        Z.TRANSPORT: (2, 10, 2.0),
        Z.PERIMETER: (2, 6, 2.0),
        Z.BODYCAMS: (10, 50, 1.0),
    },
    FacilityType.IVS: {
        Z.CELLS: (6, 30, 1.0),
        Z.CORRIDORS: (3, 10, 1.5),
        Z.INTERROGATION: (2, 8, 1.0),
        Z.DUTY_INTAKE: (1, 2, 3.0),
        Z.EXERCISE_YARDS: (1, 4, 1.5),
        Z.MEDICAL: (1, 2, 1.0),
        Z.VISITING: (1, 3, 1.0),
        Z.TRANSPORT: (1, 4, 2.0),
        Z.PERIMETER: (2, 6, 2.0),
        Z.BODYCAMS: (5, 20, 1.0),
    },
    FacilityType.SPECIAL_DETENTION: {
        Z.CELLS: (6, 24, 1.0),
        Z.CORRIDORS: (2, 8, 1.5),
        Z.DUTY_INTAKE: (1, 2, 2.0),
        Z.EXERCISE_YARDS: (1, 4, 1.5),
        Z.MEDICAL: (1, 2, 1.0),
        Z.VISITING: (1, 2, 1.0),
        Z.PERIMETER: (2, 6, 2.0),
        Z.BODYCAMS: (4, 15, 1.0),
    },
    FacilityType.SIZO: {
        Z.CELLS: (60, 250, 1.0),
        Z.CORRIDORS: (20, 70, 2.0),
        Z.INTERROGATION: (10, 40, 1.0),
        Z.DUTY_INTAKE: (2, 4, 3.0),
        Z.EXERCISE_YARDS: (8, 30, 1.5),
        Z.MEDICAL: (3, 10, 1.5),
        Z.VISITING: (4, 16, 1.0),
        Z.DISCIPLINARY: (4, 16, 1.0),
        Z.TRANSPORT: (3, 10, 2.0),
        Z.PERIMETER: (8, 24, 3.0),
        Z.BODYCAMS: (30, 120, 1.0),
    },
    FacilityType.COLONY: {
        Z.CELLS: (20, 80, 2.0),
        Z.CORRIDORS: (15, 60, 2.0),
        Z.INTERROGATION: (2, 6, 1.0),
        Z.DUTY_INTAKE: (2, 4, 3.0),
        Z.EXERCISE_YARDS: (3, 12, 2.0),
        Z.MEDICAL: (3, 10, 1.5),
        Z.VISITING: (3, 10, 1.5),
        Z.DISCIPLINARY: (8, 30, 1.0),
        Z.TRANSPORT: (2, 6, 2.0),
        Z.PERIMETER: (10, 30, 4.0),
        Z.BODYCAMS: (20, 90, 1.0),
    },
}

#: How hard a zone type is to cover: the exponent applied to the facility's share.
DIFFICULTY = {
    Z.PERIMETER: 0.5,
    Z.DUTY_INTAKE: 0.6,
    Z.CORRIDORS: 0.8,
    Z.VISITING: 0.9,
    Z.CELLS: 1.0,
    Z.MEDICAL: 1.1,
    Z.EXERCISE_YARDS: 1.1,
    Z.DISCIPLINARY: 1.3,
    Z.BODYCAMS: 1.3,
    Z.INTERROGATION: 1.6,
    Z.TRANSPORT: 1.7,
}

#: Trajectory kinds and their shares.
TRAJECTORIES = (("improve", 0.50), ("complete", 0.15), ("stall", 0.18), ("slip", 0.17))

RETENTION = ((30, 50), (60, 15), (90, 12), (14, 12), (7, 6))
_ROMAN = {3: "I", 6: "II", 9: "III", 12: "IV"}


@dataclass
class CoverageRows:
    """Rows for ``coverage_snapshots`` and ``zone_coverage``."""

    snapshots: list[dict[str, object]]
    zones: list[dict[str, object]]
    #: facility id → trajectory kind (for reports and tests).
    trajectories: dict[int, str]


def _start(rng: random.Random, kind: FacilityType) -> float:
    bias = {FacilityType.COLONY: 0.12, FacilityType.SIZO: 0.12, FacilityType.IVS: 0.05}
    return min(0.85, rng.uniform(0.15, 0.6) + bias.get(kind, -0.05))


def _climb(rng: random.Random, start: float, end: float, steps: int) -> list[float]:
    """``steps`` + 1 non-decreasing values from ``start`` to ``end``, with some flat steps."""
    weights = [0.0 if rng.random() < 0.25 else rng.expovariate(1.0) for _ in range(steps)]
    whole = sum(weights) or 1.0
    values, level = [start], start
    for weight in weights:
        level += (end - start) * weight / whole
        values.append(level)
    return values


def trajectory(rng: random.Random, kind: str, ftype: FacilityType) -> list[float]:
    """The facility's share of covered zones for each of the 12 quarters (0..1)."""
    r0 = _start(rng, ftype)
    last = QUARTERS - 1
    if kind == "complete":
        reach = rng.randint(4, last - 1)
        return _climb(rng, r0, 1.0, reach) + [1.0] * (last - reach)
    if kind == "stall":
        until = rng.randint(0, 4)
        values = _climb(rng, r0, min(0.9, r0 + rng.uniform(0.03, 0.15)), until)
        values += [values[-1]] * (last - until)
        if rng.random() < 0.4:  # a late, small move after years of nothing
            values[-1] = min(0.95, values[-1] + rng.uniform(0.05, 0.1))
        return values
    if kind == "slip":
        peak_at = rng.randint(3, 6)
        values = _climb(rng, r0, min(0.95, r0 + rng.uniform(0.15, 0.35)), peak_at)
        low = max(0.05, values[-1] - rng.uniform(0.12, 0.3))
        down = rng.randint(2, 4)
        values += [low] * down
        rest = last - peak_at - down
        if rest > 0:
            values += _climb(rng, low, min(0.97, low + rng.uniform(0.0, 0.3)), rest)[1:]
        return values[:QUARTERS]
    return _climb(rng, r0, min(0.97, r0 + rng.uniform(0.15, 0.5)), last)


def _note_official(as_of: date, ftype: FacilityType) -> str:
    who = "КУИС" if ftype in (FacilityType.COLONY, FacilityType.SIZO) else "МВД"
    return f"{DEMO_NOTE} ({who}, отчет за {_ROMAN[as_of.month]} кв. {as_of.year})"


def plan_coverage(
    rng: random.Random, facilities: list[FacilityPlan], first_snapshot: int, first_zone: int
) -> CoverageRows:
    """Snapshots and zone rows for ``facilities``, with ids from the given starts."""
    dates = quarter_ends()
    if not facilities:
        return CoverageRows([], [], {})
    kinds = [
        name for name, share in TRAJECTORIES for _ in range(max(1, round(share * len(facilities))))
    ]
    while len(kinds) < len(facilities):
        kinds.append("improve")
    rng.shuffle(kinds)
    kinds = kinds[: len(facilities)]
    if len(facilities) >= len(TRAJECTORIES):  # small sets still show every kind
        for i, (name, _) in enumerate(TRAJECTORIES):
            if name not in kinds:
                kinds[i] = name

    visited = _pick_visited(rng, facilities)
    rows = CoverageRows([], [], {})
    for plan, kind in zip(facilities, kinds, strict=True):
        rows.trajectories[plan.id] = kind
        shares = trajectory(rng, kind, plan.type)
        layout = _layout(rng, plan)
        broken_max = weighted(rng, ((0.03, 4), (0.1, 4), (0.25, 2)))
        retention = weighted(rng, RETENTION)
        upgrade_at = None
        if retention <= 30 and rng.random() < 0.4:
            upgrade_at = rng.randint(2, QUARTERS - 1)
        official: dict[int, list[dict[str, object]]] = {}
        for q, as_of in enumerate(dates):
            if upgrade_at is not None and q == upgrade_at:
                retention = {7: 14, 14: 30, 30: 60}[retention]
            slipping = kind == "slip" and q > 0 and shares[q] < shares[q - 1] - 1e-9
            snapshot_id = first_snapshot + len(rows.snapshots)
            rows.snapshots.append(
                {
                    "id": snapshot_id,
                    "facility_id": plan.id,
                    "as_of": as_of,
                    "source": Source.OFFICIAL,
                    "source_note": _note_official(as_of, plan.type),
                    "is_demo": True,
                    "imported_at": _imported(rng, as_of),
                }
            )
            zones = []
            for zone, total, per_zone, difficulty, extra in layout:
                covered = min(total, round(total * shares[q] ** difficulty))
                installed = math.ceil(covered * per_zone) + (extra if covered < total else 0)
                spoil = broken_max * (2.0 if slipping else 1.0)
                broken = min(installed, round(installed * rng.uniform(0, spoil)))
                keep = min(retention, 30) if zone == Z.BODYCAMS else retention
                zones.append(
                    {
                        "id": first_zone + len(rows.zones) + len(zones),
                        "snapshot_id": snapshot_id,
                        "zone_type": zone,
                        "zones_total": total,
                        "zones_covered": covered,
                        "cameras_installed": installed,
                        "cameras_working": installed - broken,
                        "retention_days": keep if installed else None,
                    }
                )
            rows.zones.extend(zones)
            official[q] = zones
        for number, q in enumerate(visited.get(plan.id, [])):
            must_differ = (plan.id == facilities[0].id and number == 0) or rng.random() < 0.8
            _independent(
                rng, rows, plan, dates[q], official[q], must_differ, first_snapshot, first_zone
            )
    return rows


def _pick_visited(rng: random.Random, facilities: list[FacilityPlan]) -> dict[int, list[int]]:
    """About 12 % of facilities get 1–3 monitoring visits in the last eight quarters.

    The first facility is always visited, so that even a tiny data set shows
    an independent figure that disagrees with the official one.
    """
    count = max(1, round(len(facilities) * rng.uniform(0.10, 0.15)))
    chosen = [facilities[0], *rng.sample(facilities[1:], min(count - 1, len(facilities) - 1))]
    return {
        plan.id: sorted(rng.sample(range(QUARTERS - 8, QUARTERS), rng.randint(1, 3)))
        for plan in chosen
    }


Layout = list[tuple[ZoneType, int, float, float, int]]


def _layout(rng: random.Random, plan: FacilityPlan) -> Layout:
    """The facility's fixed zones: (type, total, cameras per zone, difficulty, extra cameras)."""
    layout = []
    for zone, (low, high, per_zone) in ZONES[plan.type].items():
        total = max(1, round(rng.uniform(low, high) * plan.size))
        difficulty = DIFFICULTY[zone] * rng.uniform(0.8, 1.25)
        cameras = per_zone * rng.uniform(0.9, 1.4)
        layout.append((zone, total, cameras, difficulty, rng.randint(0, 2)))
    return layout


def _imported(rng: random.Random, as_of: date) -> datetime:
    day = as_of + timedelta(days=rng.randint(15, 45))
    return datetime.combine(day, time(rng.randint(5, 12), rng.randint(0, 59)), UTC)


def _independent(
    rng: random.Random,
    rows: CoverageRows,
    plan: FacilityPlan,
    as_of: date,
    official: list[dict[str, object]],
    must_differ: bool,
    first_snapshot: int,
    first_zone: int,
) -> None:
    """An independent snapshot for the same quarter, usually finding less than reported."""
    snapshot_id = first_snapshot + len(rows.snapshots)
    month = as_of.month - rng.randint(0, 2)
    rows.snapshots.append(
        {
            "id": snapshot_id,
            "facility_id": plan.id,
            "as_of": as_of,
            "source": Source.INDEPENDENT,
            "source_note": f"{DEMO_NOTE} (мониторинговый визит, {month:02d}.{as_of.year})",
            "is_demo": True,
            "imported_at": _imported(rng, as_of),
        }
    )
    differs = False
    for zone in official:
        covered, installed, working = (
            int(zone["zones_covered"]),
            int(zone["cameras_installed"]),
            int(zone["cameras_working"]),
        )
        if must_differ:
            covered -= round(covered * rng.uniform(0.1, 0.4))
            working = min(working, round(working * rng.uniform(0.5, 0.9)))
            if covered != zone["zones_covered"] or working != zone["cameras_working"]:
                differs = True
        rows.zones.append(
            {
                **zone,
                "id": first_zone + len(rows.zones),
                "snapshot_id": snapshot_id,
                "zones_covered": covered,
                "cameras_working": working,
                "cameras_installed": installed,
            }
        )
    if must_differ and not differs:  # nothing to take away: count one camera as broken
        for zone in rows.zones[-len(official) :]:
            if zone["cameras_working"]:
                zone["cameras_working"] -= 1  # type: ignore[operator]
                break
            if zone["zones_covered"]:
                zone["zones_covered"] -= 1  # type: ignore[operator]
                break
