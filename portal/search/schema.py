"""What a complaint looks like inside the search index, and what never goes in.

Reviewers search complaints by the words of the narrative, the free-text place
and the messages exchanged about it, and by its reference or the sender's own
case number; they filter by region, facility, facility type, category, status,
language, relation, camera answers, assigned reviewer and dates. Free text is
analysed by :func:`portal.search.analysis.complaint_analyzer`; every filter is
a plain term field, so filters and facet counts read postings, never stored
documents. The document is built from an explicit list of columns, so the
encrypted contact, the receipt hash and the receipt lookup are never even read
from the database here, let alone written to the index.

An index keeps the (pickled) schema it was created with, and every writer uses
that one. :func:`signature` names this code's schema (its version and what the
analyzer makes of a probe text); an index with another signature is refused
(:class:`portal.search.store.SchemaMismatch`) until ``search rebuild``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from portal.models import Complaint, ComplaintCategory, Facility, Message
from portal.search.analysis import complaint_analyzer

#: Raise when fields or their meaning change; an index of another version needs a rebuild.
SCHEMA_VERSION = 3
#: Words the analyzer fingerprint is taken from: a changed analyzer changes their terms.
PROBE_TEXT = (
    "Камерасында ұрып-соққан, адвокатсыз; электрошокермен Нур-Султан Нұр-Сұлтан Астана "
    "Qonaev Qaraǵandy Oskemen kamerasynda ozderi shagym Избили дубинкой, видеозапись "
    "удалили, скорую не вызвали; аштық жариялады; ёлка ЁЖ 2026 ИВС-2. Адвокатын "
    "кіргізбеді, ему 16 лет, в камере +8, требовали 300 тысяч, заклеили"
)
#: Free-text fields, searched by every query word.
TEXT_FIELDS = ("narrative", "place_text", "messages")
#: Exact-match field for the complaint's reference and the sender's case number.
REFS_FIELD = "refs"
#: Filter fields: one or more plain terms per document, counted for facets.
FILTER_FIELDS = (
    "region",
    "facility",
    "facility_type",
    "categories",
    "status",
    "language",
    "relation",
    "camera_present",
    "camera_working",
    "out_of_view",
    "assignee",
)
#: The term of a filter field whose value is not known (no region, no facility, nobody).
NONE = "none"
#: Date columns, read per segment for ranges and sorting (no terms: a date indexed as a
#: NUMERIC field costs Whoosh eight terms per document, 15 % of a rebuild's postings).
#: ``incident``: days since 1970-01-01 plus one (0: unknown); ``received``: microseconds
#: since 1970-01-01 UTC.
DATE_FIELDS = ("incident", "received")
EPOCH = datetime(1970, 1, 1)


def build_schema() -> Schema:
    """The fields of a complaint document (a new index is always created with this)."""
    analyzer = complaint_analyzer()
    schema = Schema(
        id=ID(unique=True, stored=True),
        reference=STORED,
        external_ref=STORED,
        refs=KEYWORD(lowercase=True, commas=True, scorable=False),
        narrative=TEXT(analyzer=analyzer, stored=True),
        place_text=TEXT(analyzer=analyzer, stored=True),
        messages=TEXT(analyzer=analyzer),
        categories=KEYWORD(commas=True, scorable=False),
        incident=COLUMN(NumericColumn("q", default=0)),
        received=COLUMN(NumericColumn("q", default=0)),
        **{name: ID for name in FILTER_FIELDS if name != "categories"},
    )
    schema.portal_signature = signature()
    return schema


@lru_cache(maxsize=1)
def signature() -> str:
    """This code's schema: its version and a fingerprint of the analyzer's terms."""
    terms = [token.text for token in complaint_analyzer()(PROBE_TEXT, mode="index")]
    digest = hashlib.sha256("\x1f".join(terms).encode("utf-8")).hexdigest()[:16]
    return f"{SCHEMA_VERSION}-{digest}"


def signature_of(schema: Schema) -> str | None:
    """The signature an index was created with (None for indexes older than signatures)."""
    return getattr(schema, "portal_signature", None)


SCHEMA = build_schema()

#: The only complaint columns the index is built from. Never add contact_encrypted,
#: contact_key_id, receipt_hash or receipt_lookup here.
INDEXED_COLUMNS = (
    Complaint.id,
    Complaint.reference,
    Complaint.external_ref,
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
    Complaint.assignee_id,
    Complaint.created_at,
    Complaint.incident_date,
    Facility.type.label("facility_type"),
)

#: Filter fields read straight from a column (None becomes :data:`NONE`).
_COLUMN_FILTERS = {
    "region": "region_id",
    "facility": "facility_id",
    "facility_type": "facility_type",
    "status": "status",
    "language": "language",
    "relation": "relation",
    "camera_present": "camera_present",
    "camera_working": "camera_working",
    "out_of_view": "out_of_view",
    "assignee": "assignee_id",
}


def naive_utc(value: datetime | date | None) -> datetime | None:
    """Whoosh's DATETIME cannot compare aware datetimes: store naive UTC instead."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return datetime.combine(value, time())


def to_document(
    row: Row[Any], categories: Iterable[str], messages: Iterable[str] = ()
) -> dict[str, Any]:
    """The index document of one complaint row (as selected with :data:`INDEXED_COLUMNS`)."""
    refs = [value for value in (row.reference, row.external_ref) if value]
    document: dict[str, Any] = {
        "id": str(row.id),
        "reference": row.reference,
        "narrative": row.narrative or "",
        "categories": ",".join(sorted(str(category) for category in categories)),
        "refs": ",".join(ref.replace(",", " ") for ref in refs),
    }
    if row.external_ref:
        document["external_ref"] = row.external_ref
    if row.place_text:
        document["place_text"] = row.place_text
    bodies = [body for body in messages if body]
    if bodies:
        document["messages"] = "\n".join(bodies)
    for field, column in _COLUMN_FILTERS.items():
        value = getattr(row, column)
        document[field] = NONE if value is None else str(value)
    document["received"] = received_value(row.created_at)
    document["incident"] = incident_value(row.incident_date)
    return document


def received_value(moment: datetime | date | None) -> int:
    """The ``received`` column's value of a moment (microseconds since 1970, UTC)."""
    value = naive_utc(moment)
    return 0 if value is None else (value - EPOCH) // timedelta(microseconds=1)


def incident_value(day: date | datetime | None) -> int:
    """The ``incident`` column's value of a date (days since 1970 plus one; 0: unknown)."""
    value = naive_utc(day)
    return 0 if value is None else (value - EPOCH).days + 1


def _grouped(db: Session, statement) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for complaint_id, value in db.execute(statement):
        grouped[complaint_id].append(value)
    return grouped


def load_documents(db: Session, complaint_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The documents of the given complaints that still exist, keyed by complaint id."""
    if not complaint_ids:
        return {}
    rows = db.execute(
        select(*INDEXED_COLUMNS)
        .outerjoin(Facility, Facility.id == Complaint.facility_id)
        .where(Complaint.id.in_(complaint_ids))
    ).all()
    found = [row.id for row in rows]
    categories: dict[int, list[Any]] = {}
    messages: dict[int, list[Any]] = {}
    if found:
        categories = _grouped(
            db,
            select(ComplaintCategory.complaint_id, ComplaintCategory.category).where(
                ComplaintCategory.complaint_id.in_(found)
            ),
        )
        messages = _grouped(
            db,
            select(Message.complaint_id, Message.body)
            .where(Message.complaint_id.in_(found))
            .order_by(Message.complaint_id, Message.id),
        )
    return {
        row.id: to_document(row, categories.get(row.id, ()), messages.get(row.id, ()))
        for row in rows
    }


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
