"""``import-complaints``: all lines or none, problems named by line and field, never twice.

NGOs move existing case files in with ``flask --app wsgi import-complaints``.
The file is checked as a whole before anything is stored; a second import of
the same file adds nothing; imported complaints have no receipt or contact and
are found by search, by their words and by the sender's case number.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.complaints.importing import detect_language
from portal.models import (
    Answer,
    Complaint,
    ComplaintCategory,
    DatePrecision,
    IndexTask,
    Relation,
    StatusChange,
)
from portal.search.service import search
from tests import factories


def line(number: int, **values) -> dict:
    """A valid line of an NGO's file."""
    base = {
        "ref": f"NGO-{number:05d}",
        "narrative": f"Задержанного номер {number} избили в ИВС, камера в коридоре не работала.",
        "language": "ru",
        "incident_date": "2024-05",
        "categories": ["physical_violence", "camera_issue"],
        "region": "karaganda",
        "relation": "relative",
        "camera_present": "yes",
        "camera_working": "no",
        "out_of_view": "dont_know",
        "received_at": "2024-06-01T10:30:00+05:00",
    }
    base.update(values)
    return {key: value for key, value in base.items() if value is not None}


def write(path: Path, lines: list) -> Path:
    path.write_text(
        "\n".join(
            item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
            for item in lines
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def sizo(regions):
    db = regions
    karaganda = factories.named_region(db, "karaganda")
    facility = factories.facility(
        db, region=karaganda, slug="karaganda-sizo-1", name_ru="СИЗО № 1 Караганды"
    )
    factories.alias(db, facility=facility, name="Следственный изолятор Караганды")
    db.commit()
    return facility


def test_a_file_with_one_bad_line_changes_nothing_then_imports_once(
    app, db, regions, runner, tmp_path
):
    lines = [line(number) for number in range(1, 1001)]
    lines[736] = line(737, incident_date="2024-13-40")
    path = write(tmp_path / "cases.jsonl", lines)

    refused = runner.invoke(args=["import-complaints", str(path)])
    assert refused.exit_code == 1
    assert "line 737, field 'incident_date'" in refused.output
    assert "Nothing was imported: 1 problem(s)" in refused.output
    assert count(db, Complaint) == 0 and count(db, IndexTask) == 0

    lines[736] = line(737)
    write(path, lines)
    dry = runner.invoke(args=["import-complaints", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1000 new" in dry.output and count(db, Complaint) == 0

    imported = runner.invoke(args=["import-complaints", str(path)])
    assert imported.exit_code == 0, imported.output
    assert "Imported 1000 complaints" in imported.output
    assert "Search index: 1000 written, 0 waiting" in imported.output
    assert count(db, Complaint) == 1000 and count(db, StatusChange) == 1000
    assert count(db, ComplaintCategory) == 2000

    again = runner.invoke(args=["import-complaints", str(path)])
    assert again.exit_code == 0, again.output
    assert "Imported 0 complaints" in again.output and "1000 already imported" in again.output
    assert count(db, Complaint) == 1000

    # Another sender may use the same case numbers.
    other = runner.invoke(args=["import-complaints", str(path), "--source", "other-ngo"])
    assert other.exit_code == 0, other.output
    assert count(db, Complaint) == 2000


def test_imported_complaints_keep_the_fields_and_are_searchable(app, db, sizo, runner, tmp_path):
    path = write(
        tmp_path / "one.jsonl",
        [
            line(
                1,
                ref="HRW/2023/17",
                narrative="Тергеуші камерада ұрды, бейнебақылау өшірулі болды. Шағым берілді.",
                language=None,
                incident_date="2023-11-04",
                facility="  следственный изолятор  КАРАГАНДЫ ",
                place_text="<b>Караганда</b>, СИЗО",
                received_at="2023-11-10T09:00",
            )
        ],
    )
    result = runner.invoke(args=["import-complaints", str(path)])
    assert result.exit_code == 0, result.output

    complaint = db.scalars(select(Complaint)).one()
    assert complaint.external_ref == "HRW/2023/17" and complaint.import_source == "import"
    assert complaint.language == "kk"  # detected from Kazakh letters
    assert complaint.facility_id == sizo.id and complaint.region_id == sizo.region_id
    assert complaint.incident_date == date(2023, 11, 4)
    assert complaint.incident_date_precision is DatePrecision.DAY
    assert complaint.place_text == "Караганда, СИЗО"  # cleaned like the form's text
    assert complaint.created_at == datetime(2023, 11, 10, 4, 0, tzinfo=UTC)  # Kazakhstan time
    assert complaint.relation is Relation.RELATIVE
    assert (complaint.camera_present, complaint.camera_working) == (Answer.YES, Answer.NO)
    assert complaint.receipt_hash is None and complaint.receipt_lookup is None
    assert complaint.contact_encrypted is None
    assert complaint.reference.startswith("AB-")

    with app.test_request_context():
        assert [hit.id for hit in search("hrw/2023/17").hits] == [complaint.id]
        hit = search("шағым").hits[0]
        assert (hit.id, hit.external_ref) == (complaint.id, "HRW/2023/17")


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"narrative": None}, "narrative", "is missing"),
        ({"narrative": "коротко"}, "narrative", "must have 20 to 10000 characters"),
        ({"narrative": "x" * 10_001}, "narrative", "must have 20 to 10000 characters"),
        ({"ref": None}, "ref", "is missing"),
        ({"language": "de"}, "language", "must be kk or ru"),
        ({"incident_date": "17.05.2024"}, "incident_date", "use YYYY-MM-DD or YYYY-MM"),
        ({"incident_date": "2999-01-01"}, "incident_date", "is in the future"),
        ({"categories": []}, "categories", "at least one"),
        ({"categories": ["beating"]}, "categories", "unknown category 'beating'"),
        ({"region": "atlantis"}, "region", "no region with the slug 'atlantis'"),
        ({"facility": "Nowhere"}, "facility", "no facility has the slug or name"),
        ({"relation": None}, "relation", "is missing"),
        ({"relation": "cousin"}, "relation", "must be one of"),
        ({"camera_present": "maybe"}, "camera_present", "must be one of"),
        ({"received_at": "yesterday"}, "received_at", "use a time such as"),
        ({"place_text": "x" * 301}, "place_text", "must have 0 to 300 characters"),
        ({"contact": "+7 701"}, "contact", "is not a field of a complaint"),
    ],
)
def test_each_problem_names_its_line_and_field(db, regions, runner, tmp_path, values, field, words):
    path = write(tmp_path / "bad.jsonl", [line(1), line(2, **values)])
    result = runner.invoke(args=["import-complaints", str(path)])
    assert result.exit_code == 1
    [reported] = [text for text in result.output.splitlines() if text.startswith("line ")]
    assert reported.startswith(f"line 2, field '{field}': ") and words in reported
    assert count(db, Complaint) == 0


def test_broken_json_duplicates_and_a_facility_elsewhere_are_reported_together(
    db, sizo, runner, tmp_path
):
    path = write(
        tmp_path / "bad.jsonl",
        [
            line(1),
            "{not json",
            "[1, 2]",
            "",
            line(1, narrative="Тот же номер дела, другая жалоба о побоях в ИВС."),
            line(6, region="almaty", facility="karaganda-sizo-1"),
        ],
    )
    result = runner.invoke(args=["import-complaints", str(path)])
    assert result.exit_code == 1
    assert "line 2: is not valid JSON" in result.output
    assert "line 3: must be one JSON object" in result.output
    assert "line 5, field 'ref': 'NGO-00001' is also on line 1" in result.output
    assert "line 6, field 'facility': is not in the region given" in result.output
    assert "Nothing was imported: 4 problem(s)" in result.output
    assert count(db, Complaint) == 0


def test_language_detection_uses_letters_only_kazakh_has():
    assert detect_language("Мені ұрды") == "kk"
    assert detect_language("Menı urdy, kameranyń") == "kk"
    assert detect_language("Меня избили в ИВС") == "ru"
