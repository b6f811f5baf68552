"""Demo complaints: who wrote, about which facility, when, what happened, and their status.

Complaints are drawn first as light :class:`Spec` records, sorted by the time
they were received so that ids, statuses and duplicate links follow time, and
only then written out (narratives included) batch by batch, so that 100,000
complaints never sit in memory as text at once.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from portal.demo import lexicon as lx
from portal.demo.common import TODAY, batches, weighted
from portal.demo.facilities import POPULATION, FacilityPlan, region_forms
from portal.demo.narratives import Story, write
from portal.models import (
    Answer,
    Category,
    ClosingReason,
    DatePrecision,
    FacilityType,
    Region,
    Relation,
    Status,
)

C = Category
START = TODAY.replace(year=TODAY.year - 3) + timedelta(days=1)
REFERENCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

#: How many complaints a facility draws, per unit of size.
TYPE_WEIGHT = {
    FacilityType.POLICE: 1.0,
    FacilityType.IVS: 1.3,
    FacilityType.SIZO: 2.5,
    FacilityType.COLONY: 1.6,
    FacilityType.SPECIAL_DETENTION: 0.4,
}

CATEGORY_WEIGHT = {
    C.PHYSICAL_VIOLENCE: 30,
    C.TORTURE: 10,
    C.THREATS: 16,
    C.SEXUAL_VIOLENCE: 3,
    C.MEDICAL_DENIAL: 10,
    C.LAWYER_FAMILY_DENIAL: 10,
    C.EXTORTION: 7,
    C.FORCED_CONFESSION: 9,
    C.DEGRADING_CONDITIONS: 14,
    C.CAMERA_ISSUE: 12,
    C.OTHER: 5,
}
#: Per facility type, categories more or less likely there.
TYPE_BIAS = {
    FacilityType.POLICE: {
        C.FORCED_CONFESSION: 1.8,
        C.PHYSICAL_VIOLENCE: 1.3,
        C.DEGRADING_CONDITIONS: 0.4,
    },
    FacilityType.IVS: {C.FORCED_CONFESSION: 1.3, C.LAWYER_FAMILY_DENIAL: 1.4},
    FacilityType.SIZO: {C.DEGRADING_CONDITIONS: 1.8, C.EXTORTION: 1.5},
    FacilityType.COLONY: {
        C.DEGRADING_CONDITIONS: 2.0,
        C.EXTORTION: 1.8,
        C.MEDICAL_DENIAL: 1.5,
        C.FORCED_CONFESSION: 0.3,
    },
    FacilityType.SPECIAL_DETENTION: {
        C.DEGRADING_CONDITIONS: 2.5,
        C.MEDICAL_DENIAL: 1.5,
        C.TORTURE: 0.3,
        C.FORCED_CONFESSION: 0.1,
    },
}
#: A category that makes another more likely in the same complaint.
PAIRS = {
    C.FORCED_CONFESSION: {C.PHYSICAL_VIOLENCE: 3, C.TORTURE: 3},
    C.EXTORTION: {C.THREATS: 3},
    C.PHYSICAL_VIOLENCE: {C.MEDICAL_DENIAL: 2, C.CAMERA_ISSUE: 1.5},
    C.TORTURE: {C.FORCED_CONFESSION: 2, C.CAMERA_ISSUE: 1.5},
}

#: Share of Kazakh-language complaints by region (south and west write more in Kazakh).
KK_SHARE = {
    **dict.fromkeys(("turkistan", "kyzylorda", "shymkent", "jambyl", "mangystau", "atyrau"), 0.6),
    **dict.fromkeys(
        ("north-kazakhstan", "kostanay", "pavlodar", "karaganda", "east-kazakhstan", "akmola"), 0.2
    ),
}

RELATIONS = (
    (Relation.SELF, 45),
    (Relation.RELATIVE, 35),
    (Relation.LAWYER, 8),
    (Relation.WITNESS, 12),
)
RELATIVE_WEIGHTS = (
    ("son", 20),
    ("younger_brother", 15),
    ("husband", 15),
    ("elder_brother", 8),
    ("nephew", 6),
    ("cousin", 5),
    ("father", 5),
    ("grandson", 4),
    ("daughter", 6),
    ("sister", 5),
    ("wife", 4),
)
CLIENT_WEIGHTS = (("client_m", 60), ("principal", 30), ("client_f", 10))
STRANGER_WEIGHTS = (
    ("cellmate", 35),
    ("young_man", 25),
    ("old_man", 15),
    ("student", 15),
    ("young_woman", 10),
)
#: Ages (low, high, most likely) of the people complaints are about, when not the default.
AGES = {
    "old_man": (58, 76, 64),
    "father": (45, 72, 55),
    "grandson": (18, 26, 20),
    "student": (18, 24, 20),
    "young_man": (18, 30, 22),
    "young_woman": (18, 28, 21),
    "son": (18, 40, 22),
    "daughter": (18, 35, 21),
    "nephew": (18, 35, 22),
}
ANSWERS = ((Answer.YES, 40), (Answer.NO, 25), (Answer.DONT_KNOW, 35))


@dataclass(slots=True)
class Spec:
    """One complaint before it is written out."""

    created_at: datetime
    facility: FacilityPlan | None
    region_id: int
    place_text: str | None
    story: Story
    id: int = 0
    reference: str = ""
    status: Status = Status.NEW
    closing_reason: ClosingReason | None = None
    duplicate_of: int | None = None
    updated_at: datetime | None = None


def _categories(rng: random.Random, kind: FacilityType) -> list[Category]:
    weights = {c: w * TYPE_BIAS.get(kind, {}).get(c, 1.0) for c, w in CATEGORY_WEIGHT.items()}
    count = weighted(rng, ((1, 50), (2, 35), (3, 15)))
    chosen: list[Category] = []
    for _ in range(count):
        options = [(c, w) for c, w in weights.items() if c not in chosen]
        pick = weighted(rng, options)
        chosen.append(pick)
        for other, boost in PAIRS.get(pick, {}).items():
            weights[other] *= boost
    return chosen


def _cameras(rng: random.Random, categories: list[Category]) -> tuple[Answer, Answer, Answer, str]:
    """Answers to the three camera questions, consistent with a camera_issue category."""
    issue = weighted(rng, (("absent", 40), ("off", 35), ("withheld", 25)))
    if C.CAMERA_ISSUE in categories:
        if issue == "absent":
            return Answer.NO, Answer.DONT_KNOW, Answer.YES, issue
        if issue == "off":
            out_of_view = weighted(rng, ((Answer.YES, 3), (Answer.DONT_KNOW, 1)))
            return Answer.YES, Answer.NO, out_of_view, issue
        working = weighted(rng, ((Answer.YES, 2), (Answer.DONT_KNOW, 1)))
        return Answer.YES, working, weighted(rng, ((Answer.NO, 2), (Answer.DONT_KNOW, 1))), issue
    present = weighted(rng, ANSWERS)
    working = weighted(rng, ANSWERS) if present == Answer.YES else Answer.DONT_KNOW
    if present == Answer.NO:
        out_of_view = weighted(rng, ((Answer.YES, 7), (Answer.DONT_KNOW, 3)))
    else:
        out_of_view = weighted(rng, ANSWERS)
    return present, working, out_of_view, issue


def _victim(rng: random.Random, relation: Relation) -> tuple[str, int, int | None]:
    """(victim key, author gender, name index or None)."""
    if relation == Relation.SELF:
        return "self", weighted(rng, ((0, 88), (1, 12))), None
    if relation == Relation.RELATIVE:
        key = weighted(rng, RELATIVE_WEIGHTS)
        author = {"husband": 1, "wife": 0}.get(key, weighted(rng, ((0, 35), (1, 65))))
        gender = lx.RELATIVES[key][0]
        names = lx.FEMALE_NAMES if gender else lx.MALE_NAMES
        return key, author, rng.randrange(len(names)) if rng.random() < 0.4 else None
    if relation == Relation.LAWYER:
        return weighted(rng, CLIENT_WEIGHTS), rng.randint(0, 1), None
    return weighted(rng, STRANGER_WEIGHTS), weighted(rng, ((0, 75), (1, 25))), None


def _dates(rng: random.Random) -> tuple[date, bool, datetime]:
    """Incident date, whether only its month is known, and when the complaint arrived."""
    span = (TODAY - START).days
    incident = START + timedelta(days=int(span * rng.random() ** 0.8))
    delay = weighted(rng, (((0, 3), 40), ((4, 30), 40), ((31, 180), 20)))
    days = min(rng.randint(*delay), (TODAY - incident).days)
    moment = time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
    created = datetime.combine(incident + timedelta(days=days), moment, UTC)
    return incident, rng.random() < 0.2, created


def draw_specs(
    rng: random.Random, count: int, facilities: list[FacilityPlan], regions: list[Region]
) -> list[Spec]:
    """``count`` complaint specs, sorted by arrival time."""
    weights = [TYPE_WEIGHT[f.type] * f.size for f in facilities]
    region_weights = [POPULATION.get(r.slug, 5) for r in regions]
    by_region = {r.id: r for r in regions}
    specs: list[Spec] = []
    for _ in range(count):
        facility: FacilityPlan | None = None
        place_text = None
        if rng.random() < 0.08 or not facilities:
            region = rng.choices(regions, region_weights)[0]
            free = rng.randrange(len(lx.FREE_PLACES))
            kind, forms = FacilityType.POLICE, _free_forms(region, free)
        else:
            facility = rng.choices(facilities, weights)[0]
            region = by_region[facility.region_id]
            kind, forms = facility.type, {"ru": facility.ru, "kk": facility.kk}
        kk_share = KK_SHARE.get(region.slug, 0.4)
        mixed = rng.random() < 0.05
        lang = "kk" if rng.random() < kk_share else "ru"
        if facility is None:
            place_text = forms[lang]["PLACE_TEXT"]
        relation = weighted(rng, RELATIONS)
        victim, author, name = _victim(rng, relation)
        categories = _categories(rng, kind)
        present, working, out_of_view, issue = _cameras(rng, categories)
        incident, month_only, created = _dates(rng)
        story = Story(
            lang=lang,
            mixed=mixed,
            relation=relation,
            victim=victim,
            author_gender=author,
            name=name,
            perp=rng.choice(lx.PERPS_BY_TYPE[kind]),
            place=rng.choice(lx.PLACES_BY_TYPE[kind]) if facility else "free",
            time=rng.choice(lx.TIMES_BY_TYPE[kind]),
            amount=rng.randrange(len(lx.AMOUNTS)),
            age=int(rng.triangular(*AGES.get(victim, (18, 65, 27)))),
            categories=categories,
            camera_present=present,
            camera_working=working,
            out_of_view=out_of_view,
            camera_issue=issue,
            incident=incident,
            month_only=month_only,
            kind="free" if facility is None else kind.value,
            forms=forms,
        )
        specs.append(Spec(created, facility, region.id, place_text, story))
    specs.sort(key=lambda spec: spec.created_at)
    return specs


def _free_forms(region: Region, index: int) -> dict[str, dict[str, str]]:
    text_ru, prep_ru, text_kk, loc_kk = lx.FREE_PLACES[index]
    city = region_forms(region)
    return {
        "ru": {
            "FACprep": f"{prep_ru} {city['ru']['CITYprep']}",
            "FACacc": "в отдел полиции",
            "FACgen": "из отдела полиции",
            "FACshort": "в отделе",
            "CITYprep": city["ru"]["CITYprep"],
            "PL": prep_ru,
            "PLACE_TEXT": f"{text_ru} ({city['ru']['CITY']})",
        },
        "kk": {
            "FACloc": f"{city['kk']['CITYattr']} {loc_kk}",
            "FACdat": "полиция бөліміне",
            "FACabl": "полиция бөлімінен",
            "FACshort": "бөлімде",
            "CITYloc": city["kk"]["CITYloc"],
            "PL": loc_kk,
            "PLACE_TEXT": f"{text_kk} ({city['kk']['CITY']})",
        },
    }


#: A closed complaint and why.
_RESOLVED = (Status.CLOSED, ClosingReason.RESOLVED)
_DUPLICATE = (Status.CLOSED, ClosingReason.DUPLICATE)
_UNFOUNDED = (Status.CLOSED, ClosingReason.UNFOUNDED)


def _status(rng: random.Random, created: datetime) -> tuple[Status, ClosingReason | None]:
    age = (TODAY - created.date()).days
    if age < 30:
        table = (
            ((Status.NEW, None), 70),
            ((Status.IN_REVIEW, None), 25),
            (_DUPLICATE, 3),
            (_UNFOUNDED, 2),
        )
    elif age < 180:
        table = (
            ((Status.NEW, None), 30),
            ((Status.IN_REVIEW, None), 40),
            ((Status.REFERRED, None), 12),
            (_RESOLVED, 5),
            (_DUPLICATE, 5),
            (_UNFOUNDED, 8),
        )
    else:
        table = (
            ((Status.NEW, None), 18),
            ((Status.IN_REVIEW, None), 35),
            ((Status.REFERRED, None), 17),
            (_RESOLVED, 17),
            (_DUPLICATE, 5),
            (_UNFOUNDED, 8),
        )
    return weighted(rng, table)


def settle(rng: random.Random, specs: list[Spec], first_id: int, taken: set[str]) -> None:
    """Give the sorted specs ids, references, statuses and duplicate links.

    A duplicate repeats an earlier complaint about the same facility: same
    incident, people and categories, told again in other words.
    """
    last_by_facility: dict[int, Spec] = {}
    end_of_today = datetime.combine(TODAY, time(23, 59, 59), UTC)
    for offset, spec in enumerate(specs):
        spec.id = first_id + offset
        while True:
            reference = "D-" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(6))
            if reference not in taken:
                taken.add(reference)
                spec.reference = reference
                break
        spec.status, spec.closing_reason = _status(rng, spec.created_at)
        key = spec.facility.id if spec.facility else None
        earlier = last_by_facility.get(key) if key is not None else None
        if (
            spec.closing_reason == ClosingReason.DUPLICATE
            and earlier is not None
            and rng.random() < 0.85
        ):
            spec.duplicate_of = earlier.id
            spec.story = replace(
                earlier.story,
                lang=spec.story.lang,
                mixed=spec.story.mixed,
                categories=list(earlier.story.categories),
            )
        if key is not None:
            last_by_facility[key] = spec
        if spec.status == Status.NEW:
            spec.updated_at = spec.created_at
        else:
            later = spec.created_at + timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 9))
            spec.updated_at = min(later, end_of_today)


def rows(rng: random.Random, specs: list[Spec]) -> Iterator[tuple[list[dict], list[dict]]]:
    """Complaint rows and complaint_categories rows, batch by batch, narratives included."""
    for chunk in batches(specs):
        complaints, categories = [], []
        for spec in chunk:
            story = spec.story
            complaints.append(
                {
                    "id": spec.id,
                    "reference": spec.reference,
                    "facility_id": spec.facility.id if spec.facility else None,
                    "region_id": spec.region_id,
                    "place_text": spec.place_text,
                    "incident_date": story.incident.replace(day=1)
                    if story.month_only
                    else story.incident,
                    "incident_date_precision": DatePrecision.MONTH
                    if story.month_only
                    else DatePrecision.DAY,
                    "narrative": write(story, rng),
                    "camera_present": story.camera_present,
                    "camera_working": story.camera_working,
                    "out_of_view": story.out_of_view,
                    "relation": story.relation,
                    "language": story.lang,
                    "contact_encrypted": None,
                    "contact_key_id": None,
                    "reply_language": None,
                    "status": spec.status,
                    "closing_reason": spec.closing_reason,
                    "assignee_id": None,
                    "duplicate_of_id": spec.duplicate_of,
                    "receipt_hash": None,
                    "receipt_lookup": None,
                    "is_demo": True,
                    "created_at": spec.created_at,
                    "updated_at": spec.updated_at,
                }
            )
            categories.extend({"complaint_id": spec.id, "category": c} for c in story.categories)
        yield complaints, categories


def status_rows(specs: list[Spec]) -> Iterator[list[dict]]:
    """Status history rows, batch by batch: the filing step, and the reviewers' step if any.

    Every complaint was filed as new when received; one whose status moved on got
    there at its ``updated_at`` (no actor: demo reviewers are not people), so the
    follow-up page's history and the time to first response agree with the status.
    """
    for chunk in batches(specs):
        changes = []
        for spec in chunk:
            changes.append(
                {
                    "complaint_id": spec.id,
                    "old_status": None,
                    "new_status": Status.NEW,
                    "actor_id": None,
                    "at": spec.created_at,
                }
            )
            if spec.status != Status.NEW:
                changes.append(
                    {
                        "complaint_id": spec.id,
                        "old_status": Status.NEW,
                        "new_status": spec.status,
                        "actor_id": None,
                        "at": spec.updated_at,
                    }
                )
        yield changes
