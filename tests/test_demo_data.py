"""Demo data: a developer runs ``demo-data`` on an empty portal and gets a believable, labelled set.

Small sizes (40 facilities, 300 complaints) keep each generation well under a
second; every property checked here holds for any seed, and the seed used is
fixed, so a failure is reproducible.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import groupby, pairwise

import pytest
from sqlalchemy import func, select

from portal.demo import DemoDataExists, generate
from portal.demo.common import quarter_ends
from portal.demo.grammar import Expander, compile_pools, kk_case, kk_poss_case
from portal.demo.narratives import POOLS
from portal.models import (
    Authority,
    ClosingReason,
    Complaint,
    ComplaintCategory,
    CoverageSnapshot,
    DatasetFact,
    DatePrecision,
    Facility,
    FacilityAlias,
    FacilityType,
    IndexTask,
    Region,
    Source,
    Status,
    ZoneCoverage,
    ZoneType,
)
from portal.stats.dataset import DEMO_FACT

SIZES = {"facilities": 40, "complaints": 300}
KAZAKH_LETTERS = set("әғқңөұүһі")


def _generate(app, seed: int = 7, **sizes) -> dict:
    from portal.db import session

    with app.app_context():
        counts = generate(session, seed=seed, **{**SIZES, **sizes})
        session.commit()
    return counts


@pytest.fixture
def demo(app):
    """The app, with a small demo set generated and committed; yields its session."""
    from portal.db import session

    _generate(app)
    with app.app_context():
        yield session


def _digest(app) -> str:
    """A fingerprint of everything generated: names, figures, narratives, dates."""
    from portal.db import session

    parts: list[str] = []
    with app.app_context():
        for row in session.execute(
            select(
                Facility.slug, Facility.type, Facility.name_ru, Facility.name_kk, Facility.name_en
            ).order_by(Facility.slug)
        ):
            parts.append(repr(tuple(row)))
        for row in session.execute(
            select(
                Facility.slug,
                CoverageSnapshot.as_of,
                CoverageSnapshot.source,
                ZoneCoverage.zone_type,
                ZoneCoverage.zones_total,
                ZoneCoverage.zones_covered,
                ZoneCoverage.cameras_installed,
                ZoneCoverage.cameras_working,
                ZoneCoverage.retention_days,
            )
            .join(CoverageSnapshot, CoverageSnapshot.facility_id == Facility.id)
            .join(ZoneCoverage, ZoneCoverage.snapshot_id == CoverageSnapshot.id)
            .order_by(
                Facility.slug,
                CoverageSnapshot.as_of,
                CoverageSnapshot.source,
                ZoneCoverage.zone_type,
            )
        ):
            parts.append(repr(tuple(row)))
        for complaint in session.scalars(select(Complaint).order_by(Complaint.reference)):
            parts.append(
                repr(
                    (
                        complaint.reference,
                        complaint.narrative,
                        complaint.language,
                        complaint.status,
                        complaint.incident_date,
                        complaint.created_at.replace(tzinfo=None),
                        sorted(complaint.category_values),
                    )
                )
            )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def test_same_seed_gives_the_same_data_and_another_seed_does_not(app_factory):
    first, second, other = app_factory(), app_factory(), app_factory()
    _generate(first, seed=11)
    _generate(second, seed=11)
    _generate(other, seed=12)
    assert _digest(first) == _digest(second)
    assert _digest(first) != _digest(other)


def test_every_type_and_every_region_gets_facilities(demo):
    types = Counter(demo.scalars(select(Facility.type)))
    assert set(types) == set(FacilityType)
    assert types[FacilityType.POLICE] == max(types.values())
    regions = set(demo.scalars(select(Facility.region_id)))
    assert regions == set(demo.scalars(select(Region.id)))
    assert len(regions) == 20
    for facility in demo.scalars(select(Facility)):
        kuis = facility.type in (FacilityType.COLONY, FacilityType.SIZO)
        assert facility.authority == (Authority.KUIS if kuis else Authority.POLICE)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", facility.slug)


def test_names_are_grammatical_and_aliases_keep_former_names(demo):
    names = {f.slug: f for f in demo.scalars(select(Facility))}
    colony = next(f for f in names.values() if f.type == FacilityType.COLONY)
    number = re.search(r"№ (\d+)", colony.name_ru).group(1)
    assert colony.name_ru.startswith(f"Исправительная колония № {number} (")
    assert colony.name_kk.startswith(f"№ {number} түзеу колониясы (")
    assert colony.name_en.startswith(f"Correctional colony No. {number} (")
    astana = [f for f in names.values() if f.name_ru.endswith("(Астана)")]
    assert astana
    for facility in astana:
        former = {a.lang: a.name for a in facility.aliases if a.is_former}
        assert former["ru"] == facility.name_ru.replace("Астана", "Нур-Султан")
        assert former["kk"] == facility.name_kk.replace("Астана", "Нұр-Сұлтан")
        assert "Nur-Sultan" in former["en"]
    codes = demo.scalars(select(FacilityAlias.name).where(FacilityAlias.lang.is_(None))).all()
    assert codes
    assert all(re.fullmatch(r"[А-Я]{2}-\d{3}/\d+", code) for code in codes)


def test_everything_generated_is_labelled_demo(demo):
    assert demo.scalar(select(func.count()).select_from(Facility).where(~Facility.is_demo)) == 0
    assert demo.scalar(select(func.count()).select_from(Complaint).where(~Complaint.is_demo)) == 0
    snapshots = demo.scalars(select(CoverageSnapshot)).all()
    assert snapshots
    assert all(s.is_demo and s.source_note.startswith("Демо-данные") for s in snapshots)
    fact = demo.get(DatasetFact, DEMO_FACT)
    assert fact is not None
    value = json.loads(fact.value)
    assert value["seed"] == 7
    assert value["facilities"] == 40
    assert value["complaints"] == 300
    assert value["version"] >= 1
    assert demo.scalar(select(func.count()).select_from(IndexTask)) == 0


def test_each_facility_has_twelve_quarters_of_consistent_official_figures(demo):
    expected_dates = quarter_ends()
    assert len(expected_dates) == 12
    zones_by_type = {
        FacilityType.COLONY: set(ZoneType),
        FacilityType.SIZO: set(ZoneType),
        FacilityType.IVS: set(ZoneType) - {ZoneType.DISCIPLINARY},
    }
    layout: dict[tuple[int, ZoneType], set[int]] = defaultdict(set)
    for facility in demo.scalars(select(Facility)):
        official = sorted(
            (s for s in facility.snapshots if s.source == Source.OFFICIAL), key=lambda s: s.as_of
        )
        assert [s.as_of for s in official] == expected_dates
        for snapshot in official:
            kinds = {zone.zone_type for zone in snapshot.zones}
            if facility.type in zones_by_type:
                assert kinds == zones_by_type[facility.type]
            if facility.type == FacilityType.SPECIAL_DETENTION:
                assert not kinds & {
                    ZoneType.INTERROGATION,
                    ZoneType.DISCIPLINARY,
                    ZoneType.TRANSPORT,
                }
            for zone in snapshot.zones:
                assert 0 <= zone.zones_covered <= zone.zones_total
                assert 0 <= zone.cameras_working <= zone.cameras_installed
                assert zone.retention_days in (None, 7, 14, 30, 60, 90)
                layout[facility.id, zone.zone_type].add(zone.zones_total)
    assert all(len(totals) == 1 for totals in layout.values()), "a facility's layout changed"


def test_trajectories_improve_stall_and_slip_and_monitors_disagree(demo):
    series: dict[int, dict[date, int]] = defaultdict(dict)
    figures: dict[tuple[int, date, Source], tuple[int, int]] = {}
    rows = demo.execute(
        select(
            CoverageSnapshot.facility_id,
            CoverageSnapshot.as_of,
            CoverageSnapshot.source,
            func.sum(ZoneCoverage.zones_covered),
            func.sum(ZoneCoverage.cameras_working),
            func.sum(ZoneCoverage.zones_total),
        )
        .join(ZoneCoverage, ZoneCoverage.snapshot_id == CoverageSnapshot.id)
        .group_by(
            CoverageSnapshot.id,
            CoverageSnapshot.facility_id,
            CoverageSnapshot.as_of,
            CoverageSnapshot.source,
        )
    )
    totals = {}
    for facility_id, as_of, source, covered, working, total in rows:
        figures[facility_id, as_of, source] = (int(covered), int(working))
        totals[facility_id] = int(total)
        if source == Source.OFFICIAL:
            series[facility_id][as_of] = int(covered)

    improves = stalls = slips = complete = 0
    for facility_id, by_date in series.items():
        values = [by_date[d] for d in sorted(by_date)]
        improves += values[-1] > values[0]
        slips += any(b < a for a, b in pairwise(values))
        complete += values[-1] == totals[facility_id]
        runs = [len(list(g)) for g in _runs(values)]
        stalls += max(runs) >= 5 and values[-1] < totals[facility_id]
    assert improves >= len(series) // 2
    assert stalls >= 1
    assert slips >= 1
    assert complete >= 1

    independent = [key for key in figures if key[2] == Source.INDEPENDENT]
    assert 1 <= len({key[0] for key in independent}) <= len(series) // 4 + 1
    disagreeing = [
        key for key in independent if figures[key] != figures[key[0], key[1], Source.OFFICIAL]
    ]
    assert disagreeing
    for key in disagreeing:  # monitors find less, never more, than reported
        official = figures[key[0], key[1], Source.OFFICIAL]
        assert figures[key][0] <= official[0]
        assert figures[key][1] <= official[1]


def _runs(values: list[int]):
    return (group for _, group in groupby(values))


def test_complaints_are_in_russian_and_kazakh_with_rich_distinct_narratives(demo):
    complaints = demo.scalars(select(Complaint)).all()
    assert len(complaints) == 300
    languages = Counter(c.language for c in complaints)
    assert set(languages) == {"ru", "kk"}
    assert 0.4 <= languages["ru"] / len(complaints) <= 0.75
    kazakh = [c.narrative for c in complaints if c.language == "kk"]
    assert all(KAZAKH_LETTERS & set(text.lower()) for text in kazakh)
    mixed = [c for c in complaints if c.language == "ru" and KAZAKH_LETTERS & set(c.narrative)]
    assert mixed, "some people switch between Russian and Kazakh"

    narratives = [c.narrative for c in complaints]
    assert len(set(narratives)) / len(narratives) > 0.95
    lengths = [len(text.split()) for text in narratives]
    assert min(lengths) >= 40
    assert max(lengths) <= 200
    words = Counter(w for text in narratives for w in re.findall(r"\w+", text.lower()))
    assert len(words) > 1000
    # Russian inflection: one noun in several cases, verbs in several forms.
    for forms in (("камера", "камере", "камеры"), ("избили", "избил"), ("меня", "мне")):
        assert all(form in words for form in forms), forms


def test_complaint_fields_are_plausible(demo):
    complaints = demo.scalars(select(Complaint).order_by(Complaint.id)).all()
    references = [c.reference for c in complaints]
    assert len(set(references)) == len(references)
    assert all(re.fullmatch(r"D-[A-Z2-7]{6}", r) for r in references)
    ids = {c.id for c in complaints}
    months = 0
    for c in complaints:
        assert c.contact_encrypted is None and c.receipt_hash is None
        assert c.receipt_lookup is None
        assert c.region_id is not None
        assert (c.facility_id is None) == (c.place_text is not None)
        assert c.created_at.date() >= c.incident_date
        assert c.created_at.utcoffset() in (None, timedelta(0))
        assert 1 <= len(c.categories) <= 3
        if c.incident_date_precision == DatePrecision.MONTH:
            months += 1
            assert c.incident_date.day == 1
        if c.duplicate_of_id is not None:
            assert c.duplicate_of_id in ids and c.duplicate_of_id < c.id
    assert 0.1 <= months / len(complaints) <= 0.3
    assert any(c.facility_id is None for c in complaints)
    assert len({c.status for c in complaints}) == len(Status)
    closed = [c for c in complaints if c.status == Status.CLOSED]
    assert len({c.closing_reason for c in closed}) >= 3 and None not in {
        c.closing_reason for c in closed
    }
    assert all(c.closing_reason is None for c in complaints if c.status != Status.CLOSED)
    assert all(c.closing_reason == ClosingReason.DUPLICATE for c in complaints if c.duplicate_of_id)
    assert demo.scalar(select(func.count()).select_from(ComplaintCategory)) >= len(complaints)


def test_new_rows_can_follow_demo_rows(demo):
    """The portal's own inserts get fresh ids after demo data (sequences moved on PostgreSQL)."""
    region = demo.scalars(select(Region)).first()
    facility = Facility(
        slug="real-facility",
        region=region,
        type=FacilityType.IVS,
        authority=Authority.POLICE,
        name_kk="x",
        name_ru="x",
        name_en="x",
    )
    demo.add(facility)
    demo.flush()
    assert facility.id > demo.scalar(select(func.min(Facility.id)))


def test_a_second_set_is_refused(demo):
    with pytest.raises(DemoDataExists):
        generate(demo, facilities=5, complaints=5, seed=1)


def test_cli_prints_a_summary_and_if_empty_does_nothing_the_second_time(app, runner):
    result = runner.invoke(
        args=["demo-data", "--facilities", "30", "--complaints", "60", "--seed", "3", "--if-empty"]
    )
    assert result.exit_code == 0, result.output
    assert "30 facilities" in result.output
    assert "60 complaints" in result.output

    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "no demo data generated" in again.output
    refused = runner.invoke(args=["demo-data", "--complaints", "10"])
    assert refused.exit_code != 0
    from portal.db import session

    with app.app_context():
        assert session.scalar(select(func.count()).select_from(Facility)) == 30
        assert session.scalar(select(func.count()).select_from(Complaint)) == 60


@pytest.mark.parametrize(
    ("word", "case", "expected"),
    [
        ("Қарағанды", "loc", "Қарағандыда"),
        ("Шымкент", "loc", "Шымкентте"),
        ("Қонаев", "dat", "Қонаевқа"),
        ("Өскемен", "locattr", "Өскемендегі"),
        ("Астана", "gen", "Астананың"),
        ("жігіт", "acc", "жігітті"),
        ("адам", "abl", "адамнан"),
        ("қыз", "ins", "қызбен"),
        ("Көкшетау", "dat", "Көкшетауға"),
        ("Атырау", "gen", "Атыраудың"),
    ],
)
def test_kazakh_case_endings(word, case, expected):
    assert kk_case(word, case) == expected


def test_kazakh_possessive_nouns_take_the_pronominal_n():
    assert kk_poss_case("№ 7 түзеу колониясы", "loc") == "№ 7 түзеу колониясында"
    assert kk_poss_case("полиция бөлімі", "dat") == "полиция бөліміне"
    assert kk_poss_case("арнаулы қабылдау орны", "abl") == "арнаулы қабылдау орнынан"


def test_templates_agree_with_person_and_gender():
    import random

    pools = compile_pools({"s": ["{V} {g:упал|упала}[ на пол| у стены]."]})
    rng = random.Random(1)  # noqa: S311
    expander = Expander(rng, {"V": "сестра", "g": 1}, pools)
    assert expander.pool("s") in ("Сестра упала на пол.", "Сестра упала у стены.")


def test_both_languages_have_the_same_template_pools():
    assert set(POOLS["ru"]) == set(POOLS["kk"])


def test_every_template_expands_for_every_kind_of_story():
    """No template refers to a slot that some story lacks, in either language."""
    import random
    from dataclasses import replace

    from portal.demo.complaints import draw_specs
    from portal.demo.facilities import plan_facilities
    from portal.demo.narratives import contexts
    from portal.models import Relation
    from portal.reference import read_regions

    regions = [
        Region(id=i, **{k: v for k, v in row.items() if k != "kind"})
        for i, row in enumerate(read_regions(), start=1)
    ]
    rng = random.Random(5)  # noqa: S311
    plans = plan_facilities(rng, regions, 40, 1, set())
    specs = draw_specs(rng, 400, plans, regions)
    stories = {(s.story.kind, s.story.relation, s.story.victim == "self"): s.story for s in specs}
    for relation in Relation:  # every relation, in a facility and in a free-text place
        stories.setdefault(("x", relation, False), replace(specs[0].story, relation=relation))
    for story in stories.values():
        ctx = contexts(story, rng)
        for lang in ("ru", "kk"):
            expander = Expander(rng, ctx[lang], POOLS[lang])
            for name, templates in POOLS[lang].items():
                for _ in range(3 * len(templates)):
                    text = expander.pool(name)
                    assert text and not set(text) & set("[]{}|"), (lang, name, text)
