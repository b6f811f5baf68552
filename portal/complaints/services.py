"""Filing complaints and following them up: the one transaction behind each citizen action.

Views call these functions; each is one unit of work (:mod:`portal.unit_of_work`):
a complaint is committed with its categories, first status step and attachment
rows before the receipt is shown, its search-index work queues itself in the same
commit, and the index catches up after the response, so a broken index never
loses, blocks or slows a complaint.
"""

from __future__ import annotations

import base64
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from portal import clock, files
from portal.complaints import receipts
from portal.complaints.crypto import encrypt_contact
from portal.complaints.forms import OTHER_PLACE, ComplaintForm
from portal.db import session
from portal.models import (
    Attachment,
    Category,
    Complaint,
    ComplaintCategory,
    DatePrecision,
    Facility,
    Message,
    MessageDirection,
    Region,
    Relation,
    Status,
    StatusChange,
)
from portal.unit_of_work import unit_of_work

#: A resubmitted form shows its receipt again only this long after the first submission.
RESUBMIT_WINDOW = timedelta(minutes=15)


def now() -> datetime:
    """The current time in UTC, from :func:`portal.clock.now` (tests replace either)."""
    return clock.now()


def today() -> date:
    """Today's date in Kazakhstan, where incidents happen (:func:`portal.clock.today`)."""
    return clock.kazakhstan_date(now())


def regions_and_facilities() -> tuple[list[Region], dict[int, list[Facility]]]:
    """Regions in name order and their facilities, for the form's lists."""
    regions = list(session.scalars(select(Region).order_by(Region.name_kk)))
    grouped: dict[int, list[Facility]] = defaultdict(list)
    for facility in session.scalars(select(Facility).order_by(Facility.region_id, Facility.slug)):
        grouped[facility.region_id].append(facility)
    return regions, grouped


# --- receipts and resubmission ------------------------------------------------------------


def find_by_code(code: str) -> Complaint | None:
    """The complaint whose receipt is ``code``, checked against the slow hash; else None.

    When the look-up finds nothing, a dummy check takes the same time, so a
    wrong code cannot be told from a right one by how long the answer takes.
    """
    digests = receipts.lookup_digests(code)
    found = session.scalars(select(Complaint).where(Complaint.receipt_lookup.in_(digests))).first()
    if found is None or not found.receipt_hash:
        receipts.dummy_verify()
        return None
    return found if receipts.verify_code(found.receipt_hash, code) else None


def find_by_submission(token: str) -> Complaint | None:
    """The complaint already filed from the form with this submission token, if any."""
    digests = receipts.lookup_digests(receipts.code_for_token(token))
    return session.scalars(select(Complaint).where(Complaint.receipt_lookup.in_(digests))).first()


def within_resubmit_window(complaint: Complaint) -> bool:
    """True while a resubmission may still show the receipt code again."""
    return now() - complaint.created_at <= RESUBMIT_WINDOW


# --- attachments ----------------------------------------------------------------------------


class AttachmentError(Exception):
    """Files could not be accepted; ``message`` says why, in the user's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def check_files(uploads: Iterable[FileStorage]) -> list:
    """Check every chosen file; nothing is stored yet. Raises :class:`AttachmentError`."""
    chosen = [upload for upload in uploads if not files.is_empty(upload)]
    try:
        files.check_count(len(chosen))
        return files.clean_uploads(chosen)
    except files.AttachmentRejected as error:
        raise AttachmentError(error.message) from error


def _attachment_rows(stored: list, message: Message | None = None) -> list[Attachment]:
    return [
        Attachment(
            storage_name=item.storage_name,
            media_type=item.media_type,
            size_bytes=item.size_bytes,
            sha256=item.sha256,
            message=message,
        )
        for item in stored
    ]


# --- filing ---------------------------------------------------------------------------------


@dataclass
class Filed:
    """What the receipt page needs: the complaint and, when it may be shown, the code."""

    complaint: Complaint
    code: str | None
    resubmitted: bool = False


def _new_reference() -> str:
    for _ in range(10):
        reference = "AB-" + base64.b32encode(secrets.token_bytes(5)).decode("ascii")[:6]
        if session.scalar(select(Complaint.id).where(Complaint.reference == reference)) is None:
            return reference
    raise RuntimeError("could not find a free complaint reference")


def _build(form: ComplaintForm, lang: str, code: str) -> Complaint:
    facility_id = None if form.facility.data == OTHER_PLACE else int(form.facility.data)
    incident = form.incident_value()
    complaint = Complaint(
        reference=_new_reference(),
        facility_id=facility_id,
        region_id=int(form.region.data),
        place_text=form.place_text.data or None,
        incident_date=incident,
        incident_date_precision=(
            DatePrecision.MONTH if form.date_kind.data == "approximate" else DatePrecision.DAY
        ),
        narrative=form.narrative.data,
        camera_present=form.answer(form.camera_present),
        camera_working=form.answer(form.camera_working),
        out_of_view=form.answer(form.out_of_view),
        relation=Relation(form.relation.data),
        language=lang,
        reply_language=form.reply_language.data,
        status=Status.NEW,
        receipt_hash=receipts.hash_code(code),
        receipt_lookup=receipts.lookup_digests(code)[0],
        created_at=now(),
    )
    if form.contact.data:
        complaint.contact_encrypted, complaint.contact_key_id = encrypt_contact(form.contact.data)
    complaint.categories = [
        ComplaintCategory(category=Category(value)) for value in dict.fromkeys(form.categories.data)
    ]
    complaint.status_changes = [StatusChange(old_status=None, new_status=Status.NEW, at=now())]
    return complaint


def file_complaint(form: ComplaintForm, lang: str, cleaned_files: list) -> Filed:
    """Store a validated complaint with its files in one transaction and return its receipt.

    Files are written first and removed again if the transaction fails. When the
    same form was sent twice at once, the second transaction hits the unique
    receipt look-up and the complaint of the first is returned instead.
    """
    token = form.submission.data
    code = receipts.code_for_token(token)
    try:
        with unit_of_work(cleaned_files) as stored:
            complaint = _build(form, lang, code)
            complaint.attachments = _attachment_rows(stored)
            session.add(complaint)
    except IntegrityError:
        existing = find_by_submission(token)
        if existing is None:
            raise
        return Filed(existing, code if within_resubmit_window(existing) else None, True)
    return Filed(complaint, code)


def resubmitted(token: str) -> Filed | None:
    """The earlier result when this form was already sent, else None."""
    existing = find_by_submission(token)
    if existing is None:
        return None
    code = receipts.code_for_token(token) if within_resubmit_window(existing) else None
    return Filed(existing, code, True)


# --- follow-up ------------------------------------------------------------------------------


def add_reply(complaint: Complaint, body: str, cleaned_files: list) -> Message:
    """Store the complainant's answer and files in one transaction."""
    with unit_of_work(cleaned_files) as stored:
        message = Message(
            complaint=complaint,
            direction=MessageDirection.FROM_COMPLAINANT,
            body=body,
            created_at=now(),
        )
        for row in _attachment_rows(stored, message):
            row.complaint = complaint
        session.add(message)
    return message


def read_questions(complaint: Complaint) -> set[int]:
    """Mark the reviewers' messages read now that the complainant sees them; return their ids.

    The reviewers' case page shows each of their messages as read or not yet read.
    """
    unread = {
        message.id
        for message in complaint.messages
        if message.direction == MessageDirection.TO_COMPLAINANT and message.read_at is None
    }
    if unread:
        with unit_of_work():
            moment = now()
            for message in complaint.messages:
                if message.id in unread:
                    message.read_at = moment
    return unread


def complaint_by_id(complaint_id: int) -> Complaint | None:
    """The complaint the follow-up session points at."""
    return session.get(Complaint, complaint_id)
