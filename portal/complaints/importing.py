"""``flask --app wsgi import-complaints FILE.jsonl``: NGOs move their existing case files in.

One JSON object per line, with the report form's fields: ``narrative``
(required), ``language`` (``kk``, ``ru``, or absent: Kazakh when the text has a
letter only Kazakh uses), ``incident_date`` (``YYYY-MM-DD``, or ``YYYY-MM`` when
the day is unknown), ``categories`` (category slugs), ``region`` (slug),
``facility`` (slug, or any of its names and former names), ``place_text``,
``relation``, the camera answers (``camera_present``, ``camera_working``,
``out_of_view``: ``yes``, ``no``, ``dont_know``), ``received_at`` (ISO 8601;
Kazakhstan time when no offset is given) and ``ref``, the sender's own case
number (required), kept as the complaint's ``external_ref``.

The same rules as the form: text cleaned by
:func:`portal.complaints.sanitize.clean_text` and held to the form's lengths,
known categories, a facility in the chosen region, no date in the future. Every
line is checked before anything is written, and every problem is reported with
its line and field; one problem and nothing is imported. The rest goes in as
one unit of work. A case number already imported from the same source is
skipped, so importing a file twice adds nothing. Imported complaints have no
receipt and no contact; their index work queues itself at commit like any
other change (:mod:`portal.search.tracking`).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.complaints.forms import NARRATIVE_MAX, NARRATIVE_MIN, PLACE_MAX
from portal.complaints.sanitize import clean_text
from portal.models import (
    Answer,
    Category,
    Complaint,
    ComplaintCategory,
    DatePrecision,
    Facility,
    FacilityAlias,
    Region,
    Relation,
    Status,
    StatusChange,
)

#: Fields a line may have; anything else is reported (a misspelt field would be lost).
FIELDS = frozenset(
    {
        "ref",
        "narrative",
        "language",
        "incident_date",
        "categories",
        "region",
        "facility",
        "place_text",
        "relation",
        "camera_present",
        "camera_working",
        "out_of_view",
        "received_at",
    }
)
REF_MAX = 64
LANGUAGES = ("kk", "ru")
#: Letters only Kazakh uses (Cyrillic, and the 2021 Latin alphabet's own letters).
KAZAKH_LETTERS = frozenset("әғқңөұүһіáǵıńóúý")
#: Problems listed at most; the count of the rest follows.
MAX_REPORTED = 50


@dataclass(frozen=True)
class Problem:
    """Why one line cannot be imported."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field '{self.field}'" if self.field else "")
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Outcome:
    """What an import did (or, in a dry run, would do)."""

    lines: int = 0
    added: list[Complaint] = field(default_factory=list)
    already_imported: int = 0


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("ё", "е").split())


class _Places:
    """Regions by slug, facilities by slug and by every name, read once per import."""

    def __init__(self, db: Session) -> None:
        self.regions = dict(db.execute(select(Region.slug, Region.id)).all())
        self.facilities: dict[str, set[tuple[int, int]]] = {}
        for facility in db.scalars(select(Facility)):
            place = (facility.id, facility.region_id)
            for name in (facility.slug, facility.name_kk, facility.name_ru, facility.name_en):
                self.facilities.setdefault(_fold(name), set()).add(place)
        rows = db.execute(
            select(FacilityAlias.name, Facility.id, Facility.region_id).join(FacilityAlias.facility)
        )
        for name, facility_id, region_id in rows:
            self.facilities.setdefault(_fold(name), set()).add((facility_id, region_id))


class _Line:
    """One line's values, checked field by field; problems are collected, not raised."""

    def __init__(self, number: int, data: dict[str, Any], places: _Places) -> None:
        self.number, self.data, self.places = number, data, places
        self.problems: list[Problem] = []

    def problem(self, name: str | None, message: str) -> None:
        self.problems.append(Problem(self.number, name, message))

    def text(self, name: str, *, required: bool, low: int = 0, high: int) -> str | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.problem(name, "is missing")
            return None
        if not isinstance(value, str):
            self.problem(name, "must be text")
            return None
        cleaned = clean_text(value) or ""
        if required and not cleaned:
            self.problem(name, "is empty once cleaned")
        elif not low <= len(cleaned) <= high:
            self.problem(name, f"must have {low} to {high} characters, not {len(cleaned)}")
        return cleaned or None

    def choice(self, name: str, choices: type, default: Any = None) -> Any:
        value = self.data.get(name)
        if value is None:
            if default is None:
                self.problem(name, "is missing")
            return default
        try:
            return choices(value)
        except ValueError:
            allowed = ", ".join(item.value for item in choices)
            self.problem(name, f"must be one of {allowed}, not {value!r}")
            return default

    def incident(self) -> tuple[date | None, DatePrecision]:
        value = self.data.get("incident_date")
        if value in (None, ""):
            return None, DatePrecision.DAY
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
            value, precision = f"{value}-01", DatePrecision.MONTH
        else:
            precision = DatePrecision.DAY
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.problem("incident_date", f"use YYYY-MM-DD or YYYY-MM, not {value!r}")
            return None, precision
        today = clock.today()
        if day > today:
            self.problem("incident_date", "is in the future")
        elif day.year < today.year - 100:
            self.problem("incident_date", "is more than 100 years ago")
        return day, precision

    def received(self) -> datetime:
        value = self.data.get("received_at")
        if value in (None, ""):
            return clock.now()
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None:
            self.problem("received_at", f"use a time such as 2024-05-23T16:32, not {value!r}")
            return clock.now()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=clock.KAZAKHSTAN)
        if moment > clock.now():
            self.problem("received_at", "is in the future")
        return moment

    def categories(self) -> list[Category]:
        value = self.data.get("categories")
        if not isinstance(value, list) or not value:
            self.problem("categories", "must be a list of at least one category slug")
            return []
        found = []
        for item in dict.fromkeys(value):
            try:
                found.append(Category(item))
            except ValueError:
                allowed = ", ".join(category.value for category in Category)
                self.problem("categories", f"unknown category {item!r}; use {allowed}")
        return found

    def place(self) -> tuple[int | None, int | None]:
        region_slug, facility_name = self.data.get("region"), self.data.get("facility")
        region_id = None
        if region_slug not in (None, ""):
            region_id = self.places.regions.get(region_slug)
            if region_id is None:
                self.problem("region", f"no region with the slug {region_slug!r}")
        if facility_name in (None, ""):
            return region_id, None
        if not isinstance(facility_name, str):
            self.problem("facility", "must be text")
            return region_id, None
        matches = self.places.facilities.get(_fold(facility_name), set())
        if region_id is not None:
            matches = {match for match in matches if match[1] == region_id} or matches
        if not matches:
            self.problem("facility", f"no facility has the slug or name {facility_name!r}")
            return region_id, None
        if len(matches) > 1:
            self.problem("facility", f"{facility_name!r} names several facilities; use a slug")
            return region_id, None
        [(facility_id, facility_region)] = matches
        if region_id is not None and facility_region != region_id:
            self.problem("facility", "is not in the region given")
        return facility_region if region_id is None else region_id, facility_id


def detect_language(text: str) -> str:
    """``kk`` when the text has a letter only Kazakh uses, else ``ru``."""
    return "kk" if KAZAKH_LETTERS.intersection(text.casefold()) else "ru"


def _complaint(line: _Line, source: str) -> Complaint | None:
    """The complaint of one line, or None when the line has problems."""
    data = line.data
    unknown = sorted(set(data) - FIELDS)
    for name in unknown:
        line.problem(name, "is not a field of a complaint")
    ref = line.text("ref", required=True, low=1, high=REF_MAX)
    narrative = line.text("narrative", required=True, low=NARRATIVE_MIN, high=NARRATIVE_MAX)
    place_text = line.text("place_text", required=False, high=PLACE_MAX)
    language = data.get("language")
    if language is None:
        language = detect_language(narrative or "")
    elif language not in LANGUAGES:
        line.problem("language", f"must be kk or ru (or absent), not {language!r}")
    incident, precision = line.incident()
    received = line.received()
    categories = line.categories()
    region_id, facility_id = line.place()
    relation = line.choice("relation", Relation)
    answers = {
        name: line.choice(name, Answer, Answer.DONT_KNOW)
        for name in ("camera_present", "camera_working", "out_of_view")
    }
    if line.problems:
        return None
    complaint = Complaint(
        facility_id=facility_id,
        region_id=region_id,
        place_text=place_text,
        incident_date=incident,
        incident_date_precision=precision,
        narrative=narrative,
        relation=relation,
        language=language,
        status=Status.NEW,
        created_at=received,
        import_source=source,
        external_ref=ref,
        **answers,
    )
    complaint.categories = [ComplaintCategory(category=category) for category in categories]
    complaint.status_changes = [StatusChange(old_status=None, new_status=Status.NEW, at=received)]
    return complaint


def read_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | Problem]]:
    """(line number, object) per non-blank line, or a problem for a line that is not one."""
    with path.open(encoding="utf-8-sig") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
            except ValueError as error:
                yield number, Problem(number, None, f"is not valid JSON ({error.msg})")
                continue
            if not isinstance(data, dict):
                yield number, Problem(number, None, "must be one JSON object")
                continue
            yield number, data


def _references(db: Session, count: int) -> list[str]:
    """``count`` new complaint references (``AB-`` and six letters or digits), none in use."""
    fresh: set[str] = set()
    while len(fresh) < count:
        wanted = {
            "AB-" + base64.b32encode(secrets.token_bytes(5)).decode("ascii")[:6]
            for _ in range(count - len(fresh))
        }
        taken = set(db.scalars(select(Complaint.reference).where(Complaint.reference.in_(wanted))))
        fresh |= wanted - taken
    return sorted(fresh)


def plan(db: Session, lines: Iterable[tuple[int, dict | Problem]], source: str) -> Outcome:
    """Check every line and build the new complaints (not added to ``db``).

    Raises :class:`ImportRefused` with every problem found; case numbers already
    imported from ``source`` are counted and skipped.
    """
    places = _Places(db)
    known = set(db.scalars(select(Complaint.external_ref).where(Complaint.import_source == source)))
    outcome, problems, seen = Outcome(), [], {}
    for number, data in lines:
        outcome.lines += 1
        if isinstance(data, Problem):
            problems.append(data)
            continue
        line = _Line(number, data, places)
        complaint = _complaint(line, source)
        problems.extend(line.problems)
        if complaint is None:
            continue
        ref = complaint.external_ref
        if ref in seen:
            problems.append(Problem(number, "ref", f"{ref!r} is also on line {seen[ref]}"))
        seen[ref] = number
        if ref in known:
            outcome.already_imported += 1
        else:
            outcome.added.append(complaint)
    if problems:
        raise ImportRefused(problems)
    for complaint, reference in zip(
        outcome.added, _references(db, len(outcome.added)), strict=True
    ):
        complaint.reference = reference
    return outcome
