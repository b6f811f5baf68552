"""What a complaint looks like inside the search index, and what never goes in.

Reviewers search complaints by words of the narrative and the free-text place,
and filter them by facility, region, category, status, language, relation,
camera answers and dates. The document is built from an explicit list of
columns, so the encrypted contact, the receipt hash and the receipt lookup are
never even read from the database here, let alone written to the index.

The analyzers are plain for now; Kazakh and Russian analyzers come later and
need a ``search rebuild``, because an index keeps the (pickled) schema it was
created with and every writer uses that one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema

from portal.models import Complaint, ComplaintCategory


def build_schema() -> Schema:
    """The fields of a complaint document (a new index is always created with this)."""
    return Schema(
        id=ID(unique=True, stored=True),
        reference=ID(stored=True),
        narrative=TEXT(stored=False),
        place_text=TEXT(stored=False),
        facility_id=ID(stored=True),
        region_id=ID(stored=True),
        categories=KEYWORD(commas=True, lowercase=True, scorable=False),
        status=ID(stored=True),
        language=ID,
        relation=ID,
        camera_present=ID,
        camera_working=ID,
        out_of_view=ID,
        created_at=DATETIME(stored=True),
        incident_date=DATETIME,
    )


SCHEMA = build_schema()

#: The only complaint columns the index is built from. Never add contact_encrypted,
#: contact_key_id, receipt_hash or receipt_lookup here.
INDEXED_COLUMNS = (
    Complaint.id,
    Complaint.reference,
    Complaint.narrative,
    Complaint.place_text,
    Complaint.facility_id,
    Complaint.region_id,
    Complaint.status,
    Complaint.language,
    Complaint.relation,
    Complaint.camera_present,
    Complaint.camera_working,
    Complaint.out_of_view,
    Complaint.created_at,
    Complaint.incident_date,
)

_ID_FIELDS = (
    "reference",
    "facility_id",
    "region_id",
    "status",
    "language",
    "relation",
    "camera_present",
    "camera_working",
    "out_of_view",
)


def _naive_utc(value: datetime | date | None) -> datetime | None:
    """Whoosh's DATETIME cannot compare aware datetimes: store naive UTC instead."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return datetime.combine(value, time())


def to_document(row: Row[Any], categories: Iterable[str]) -> dict[str, Any]:
    """The index document of one complaint row (as selected with :data:`INDEXED_COLUMNS`)."""
    document: dict[str, Any] = {
        "id": str(row.id),
        "narrative": row.narrative or "",
        "categories": ",".join(sorted(str(category) for category in categories)),
    }
    if row.place_text:
        document["place_text"] = row.place_text
    for name in _ID_FIELDS:
        value = getattr(row, name)
        if value is not None:
            document[name] = str(value)
    for name in ("created_at", "incident_date"):
        value = _naive_utc(getattr(row, name))
        if value is not None:
            document[name] = value
    return document


def load_documents(db: Session, complaint_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The documents of the given complaints that still exist, keyed by complaint id."""
    if not complaint_ids:
        return {}
    rows = db.execute(select(*INDEXED_COLUMNS).where(Complaint.id.in_(complaint_ids))).all()
    found = [row.id for row in rows]
    categories: dict[int, list[str]] = defaultdict(list)
    if found:
        links = db.execute(
            select(ComplaintCategory.complaint_id, ComplaintCategory.category).where(
                ComplaintCategory.complaint_id.in_(found)
            )
        )
        for complaint_id, category in links:
            categories[complaint_id].append(category)
    return {row.id: to_document(row, categories[row.id]) for row in rows}


def iter_documents(db: Session, batch_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Every complaint's document, in id order, read in batches to keep memory flat."""
    last_id = 0
    while True:
        ids = list(
            db.scalars(
                select(Complaint.id)
                .where(Complaint.id > last_id)
                .order_by(Complaint.id)
                .limit(batch_size)
            )
        )
        if not ids:
            return
        documents = load_documents(db, ids)
        for complaint_id in ids:
            if complaint_id in documents:
                yield documents[complaint_id]
        last_id = ids[-1]
