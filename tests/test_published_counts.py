"""No complaint-derived count from 1 to 9 is published anywhere, on the demo data set."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.models import Facility, Region

CELL = re.compile(r'class="[^"]*\bcomplaint-count\b[^"]*">([^<]*)<')


@pytest.fixture
def demo(db):
    from portal.demo import generate

    generate(db, facilities=40, complaints=600, seed=5)
    db.commit()
    return db


def _published_cells(html: str) -> list[str]:
    return [
        cell.replace("\xa0", "").replace("\u202f", "").replace(",", "")
        for cell in CELL.findall(html)
    ]


def test_no_page_shows_a_complaint_count_from_1_to_9(client, demo):
    paths = ["/ru/", "/kk/"]
    paths += [f"/ru/regions/{slug}" for slug in demo.scalars(select(Region.slug))]
    paths += [f"/kk/facilities/{slug}" for slug in demo.scalars(select(Facility.slug))]
    seen = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        cells = _published_cells(response.get_data(as_text=True))
        assert cells, f"{path} shows no complaint statistics"
        seen += cells
        small = [cell for cell in cells if cell.isdigit() and 1 <= int(cell) <= 9]
        assert small == [], path
    assert "&lt;10" in seen, "the demo data should hide some small counts"
    assert any(cell.isdigit() and int(cell) >= 10 for cell in seen)
