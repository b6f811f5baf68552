"""The national page shows the latest official coverage figures, formatted for the language."""

from __future__ import annotations

import unicodedata
from datetime import date

from portal.models import FacilityType, Source, ZoneType
from portal.stats.coverage import coverage_data
from tests import factories


def _plain(text: str) -> str:
    """Babel separates thousands with no-break spaces; compare with ordinary ones."""
    return unicodedata.normalize("NFKC", text).replace("\u202f", " ").replace("\xa0", " ")


def _two_facilities(db):
    colony = factories.facility(db, type=FacilityType.COLONY)
    police = factories.facility(db, type=FacilityType.POLICE, region=colony.region)
    factories.snapshot(
        db, facility=colony, as_of=date(2026, 3, 31), zones={ZoneType.CELLS: (1000, 400)}
    )
    factories.snapshot(
        db,
        facility=colony,
        as_of=date(2026, 6, 30),
        zones={ZoneType.CELLS: (1000, 600), ZoneType.MEDICAL: (200, 200)},
    )
    factories.snapshot(
        db,
        facility=colony,
        as_of=date(2026, 6, 30),
        source=Source.INDEPENDENT,
        zones={ZoneType.CELLS: (1000, 100)},
    )
    factories.snapshot(
        db, facility=police, as_of=date(2026, 5, 31), zones={ZoneType.DUTY_INTAKE: (300, 34)}
    )
    factories.facility(db, type=FacilityType.IVS, region=colony.region)  # no figures yet
    db.commit()


def test_totals_use_each_facilitys_latest_official_snapshot(app, db):
    _two_facilities(db)
    with app.test_request_context("/ru/"):
        data = coverage_data()
        total = data.total(data.select())
        assert (total.facilities, total.zones_total, total.zones_covered) == (2, 1500, 834)
        assert total.blind_spots == 666
        assert data.total(data.select(kind=FacilityType.COLONY)).zones_covered == 800
        assert data.total(data.select(kind=FacilityType.IVS)).zones_total == 0
        # on an earlier date the colony still has its March figure, the police station none
        march = data.total(data.select(), on=date(2026, 3, 31))
        assert (march.facilities, march.zones_covered) == (1, 400)
        assert [day for day, _ in data.trend(data.select())] == [
            date(2026, 3, 31),
            date(2026, 5, 31),
            date(2026, 6, 30),
        ]


def test_national_page_formats_numbers_and_dates_per_language(client, db):
    _two_facilities(db)
    kk = _plain(client.get("/kk/").get_data(as_text=True))
    ru = _plain(client.get("/ru/").get_data(as_text=True))
    en = _plain(client.get("/en/").get_data(as_text=True))
    assert "834 / 1 500" in kk and "834 / 1 500" in ru and "834 / 1,500" in en
    assert "55,6%" in kk and "55,6 %" in ru and "55.6%" in en
    assert "2026 ж. 30 маусым" in kk and "30 июня 2026 г." in ru and "June 30, 2026" in en


def test_national_page_uses_plural_forms(client, db):
    _two_facilities(db)
    assert "данные предоставляют 2 учреждения" in _plain(client.get("/ru/").get_data(as_text=True))
    assert "1 учреждение пока не имеет официальных данных" in _plain(
        client.get("/ru/").get_data(as_text=True)
    )


def test_national_page_without_data_says_so(client):
    assert "Әзірге деректер жоқ" in client.get("/kk/").get_data(as_text=True)


def test_demo_data_is_labelled(client, db):
    assert "Демо-данные" not in client.get("/ru/").get_data(as_text=True)
    factories.dataset_fact(db)
    db.commit()
    assert "Демо-данные" in client.get("/ru/").get_data(as_text=True)
    assert "Демо деректер" in client.get("/kk/").get_data(as_text=True)


def test_every_stored_value_has_its_own_label(app):
    """Two enums share the value "police"; each must still get its own label."""
    from portal.labels import LABELS, label
    from portal.models import Authority

    with app.test_request_context("/ru/"):
        app.preprocess_request()
        for enum_class, labels in LABELS.items():
            assert set(labels) == set(enum_class), enum_class
        assert label(FacilityType.POLICE) == "Отдел (управление) полиции"
        assert label(Authority.POLICE) == "Министерство внутренних дел (МВД)"


def test_the_date_sentence_reads_well(client, db):
    _two_facilities(db)
    page = _plain(client.get("/ru/").get_data(as_text=True))
    assert "По состоянию на 30 июня 2026 г. данные предоставляют 2 учреждения." in page
    assert "г.." not in page
