"""Case work on one complaint: status, assignment, tags, notes, messages, contact, files.

Views call these functions; each action is one unit of work that changes the
complaint and records exactly one audit event (never content: no narrative,
note, message, tag or contact in it), and the search index hears of every
change through the outbox that the commit fills (:mod:`portal.search.tracking`).
A complaint is only ever found through :func:`portal.auth.access.complaint_filter`,
so nothing here can reach one outside the user's scope. Refusals raise
:class:`CaseError` with a translated message for the page.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from portal import audit, clock, files
from portal.auth import access
from portal.complaints.crypto import decrypt_contact
from portal.db import session
from portal.models import (
    Attachment,
    AuditEvent,
    ClosingReason,
    Complaint,
    ComplaintTag,
    Message,
    MessageDirection,
    Note,
    Status,
    StatusChange,
    User,
)
from portal.unit_of_work import unit_of_work

#: The workflow: where a complaint may go from each status (closing needs a reason).
TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    Status.NEW: (Status.IN_REVIEW, Status.CLOSED),
    Status.IN_REVIEW: (Status.REFERRED, Status.CLOSED),
    Status.REFERRED: (Status.IN_REVIEW, Status.CLOSED),
    Status.CLOSED: (Status.IN_REVIEW,),
}
#: Bounds of what reviewers type.
TAG_MAX = 32
TAGS_PER_COMPLAINT = 20
NOTE_MAX = 4000
MESSAGE_MAX = 4000
REASON_MIN = 10
REASON_MAX = 300
REFERENCE_MAX = 32
#: Audit actions shown as the case's activity (views and downloads are not changes).
ACTIVITY = (
    "complaint.status_changed",
    "complaint.assigned",
    "complaint.tag_added",
    "complaint.tag_removed",
    "complaint.note_added",
    "complaint.message_sent",
    "complaint.contact_revealed",
)
ACTIVITY_SHOWN = 100


class CaseError(Exception):
    """An action was refused; ``message`` says why, ``field`` names the form field at fault."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


# --- finding ---------------------------------------------------------------------------------


def by_reference(user: User, reference: str) -> Complaint | None:
    """The complaint with this reference (any case, spaces ignored) that ``user`` may read."""
    wanted = "".join((reference or "").split()).upper()[:REFERENCE_MAX]
    if not wanted:
        return None
    return session.scalars(
        select(Complaint).where(Complaint.reference == wanted, access.complaint_filter(user))
    ).first()


def duplicates_of(user: User, complaint: Complaint) -> list[Complaint]:
    """Complaints the user may read that were closed as duplicates of ``complaint``."""
    return list(
        session.scalars(
            select(Complaint)
            .where(Complaint.duplicate_of_id == complaint.id, access.complaint_filter(user))
            .order_by(Complaint.created_at)
        )
    )


# --- viewing ---------------------------------------------------------------------------------


def open_case(user: User, complaint: Complaint) -> set[int]:
    """Record the view and mark the complainant's unread messages read; return their ids."""
    with unit_of_work():
        unread = {
            message.id
            for message in complaint.messages
            if message.direction == MessageDirection.FROM_COMPLAINANT and message.read_at is None
        }
        moment = clock.now()
        for message in complaint.messages:
            if message.id in unread:
                message.read_at = moment
        audit.record("complaint.viewed", complaint, actor=user)
    return unread


@dataclass(frozen=True)
class Activity:
    """One change on the case, from the audit trail: who, when, what (no content)."""

    event: AuditEvent
    detail: dict


def activity(complaint: Complaint) -> list[Activity]:
    """The latest changes made to the case by staff, newest first."""
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.object_type == "complaint",
            AuditEvent.object_id == complaint.id,
            AuditEvent.action.in_(ACTIVITY),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(ACTIVITY_SHOWN)
    )
    return [Activity(event, json.loads(event.detail) if event.detail else {}) for event in events]


def users_by_id(ids) -> dict[int, User]:
    """Staff accounts by id, for naming the people in a case's history."""
    wanted = {ident for ident in ids if isinstance(ident, int)}
    if not wanted:
        return {}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(wanted)))}


# --- status ----------------------------------------------------------------------------------


def _duplicate_target(user: User, complaint: Complaint, reference: str | None) -> Complaint:
    if not (reference or "").strip():
        raise CaseError(_l("Give the reference of the complaint this one repeats."), "duplicate_of")
    target = by_reference(user, reference)
    if target is None:
        raise CaseError(
            _l("No complaint you can read has this reference. Check it and try again."),
            "duplicate_of",
        )
    if target.id == complaint.id:
        raise CaseError(_l("A complaint cannot be a duplicate of itself."), "duplicate_of")
    if target.duplicate_of_id is not None:
        raise CaseError(
            _l("That complaint is itself a duplicate: give the reference of the original one."),
            "duplicate_of",
        )
    return target


def change_status(
    user: User,
    complaint: Complaint,
    new_value: str,
    reason_value: str | None = None,
    duplicate_reference: str | None = None,
) -> None:
    """Move the complaint along the workflow, recording who did it and why it closed."""
    try:
        new = Status(new_value)
    except ValueError:
        raise CaseError(_l("Choose the new status."), "status") from None
    old = complaint.status
    if new not in TRANSITIONS.get(old, ()):
        raise CaseError(_l("This change of status is not possible from the current one."), "status")
    reason = None
    target = None
    if new == Status.CLOSED:
        try:
            reason = ClosingReason(reason_value or "")
        except ValueError:
            raise CaseError(_l("Choose why the complaint is closed."), "closing_reason") from None
        if reason == ClosingReason.DUPLICATE:
            target = _duplicate_target(user, complaint, duplicate_reference)
    with unit_of_work():
        complaint.status = new
        complaint.closing_reason = reason
        complaint.duplicate_of = target
        complaint.status_changes.append(
            StatusChange(
                old_status=old,
                new_status=new,
                closing_reason=reason,
                actor_id=user.id,
                at=clock.now(),
            )
        )
        detail = {"from": old.value, "to": new.value}
        if reason is not None:
            detail["reason"] = reason.value
        if target is not None:
            detail["duplicate_of"] = target.id
        audit.record("complaint.status_changed", complaint, detail, actor=user)


# --- assignment ------------------------------------------------------------------------------


def assignable(complaint: Complaint) -> list[User]:
    """Active staff who would read ``complaint`` once it is assigned to them, by name."""
    users = session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.username))
    return [user for user in users if access.may_be_assigned(user, complaint)]


def _set_assignee(user: User, complaint: Complaint, assignee: User | None) -> None:
    old = complaint.assignee_id
    with unit_of_work():
        complaint.assignee = assignee
        detail = {"from": old, "to": None if assignee is None else assignee.id}
        audit.record("complaint.assigned", complaint, detail, actor=user)


def assign(user: User, complaint: Complaint, assignee_value: str | None) -> None:
    """A coordinator assigns the complaint to someone whose scope covers it (or to nobody)."""
    if not access.can(user, access.Permission.ASSIGN):
        raise CaseError(_l("Only coordinators assign complaints."), "assignee")
    assignee = None
    if assignee_value:
        try:
            assignee = session.get(User, int(assignee_value))
        except ValueError:
            assignee = None
        if assignee is None or not assignee.is_active:
            raise CaseError(_l("Choose a person from the list."), "assignee")
        if not access.may_be_assigned(assignee, complaint):
            raise CaseError(
                _l("This person's regions do not include this complaint's region."), "assignee"
            )
    if (assignee.id if assignee else None) == complaint.assignee_id:
        raise CaseError(_l("The complaint is already assigned so."), "assignee")
    _set_assignee(user, complaint, assignee)


def take(user: User, complaint: Complaint) -> None:
    """A reviewer takes an unassigned complaint of their scope."""
    if complaint.assignee_id is not None:
        raise CaseError(_l("Someone has already been assigned this complaint."))
    if not access.may_be_assigned(user, complaint):
        raise CaseError(_l("Your regions do not include this complaint's region."))
    _set_assignee(user, complaint, user)


# --- tags and notes --------------------------------------------------------------------------


def normalise_tag(text: str | None) -> str | None:
    """A tag as stored: NFKC, lower case, words joined by hyphens; None when nothing is left.

    Letters of any script, digits, ``-`` and ``_`` are kept; anything else separates words.
    """
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    kept = "".join(char if char.isalnum() or char in "-_" else " " for char in folded)
    tag = "-".join(kept.split()).strip("-_")
    return tag or None


def add_tag(user: User, complaint: Complaint, text: str | None) -> str:
    """Add a tag (normalised, bounded); returns the tag as stored."""
    tag = normalise_tag(text)
    if tag is None:
        raise CaseError(_l("Write a tag: letters, digits or hyphens."), "tag")
    if len(tag) > TAG_MAX:
        raise CaseError(
            lazy_ngettext(
                "A tag has at most %(num)d character.",
                "A tag has at most %(num)d characters.",
                TAG_MAX,
            ),
            "tag",
        )
    existing = {link.tag for link in complaint.tags}
    if tag in existing:
        raise CaseError(_l("The complaint already has this tag."), "tag")
    if len(existing) >= TAGS_PER_COMPLAINT:
        raise CaseError(
            lazy_ngettext(
                "A complaint has at most %(num)d tag.",
                "A complaint has at most %(num)d tags.",
                TAGS_PER_COMPLAINT,
            ),
            "tag",
        )
    with unit_of_work():
        complaint.tags.append(ComplaintTag(tag=tag))
        audit.record("complaint.tag_added", complaint, actor=user)
    return tag


def remove_tag(user: User, complaint: Complaint, text: str | None) -> None:
    """Remove one of the complaint's tags."""
    found = next((link for link in complaint.tags if link.tag == (text or "")), None)
    if found is None:
        raise CaseError(_l("The complaint has no such tag."), "tag")
    with unit_of_work():
        complaint.tags.remove(found)
        audit.record("complaint.tag_removed", complaint, actor=user)


def add_note(user: User, complaint: Complaint, body: str) -> None:
    """Add an internal note (never shown to the complainant)."""
    with unit_of_work():
        complaint.notes.append(Note(author_id=user.id, body=body, created_at=clock.now()))
        audit.record("complaint.note_added", complaint, actor=user)


# --- the complainant -------------------------------------------------------------------------


def can_message(complaint: Complaint) -> bool:
    """True when the complainant can read messages: they hold a receipt code."""
    return complaint.receipt_hash is not None


def send_message(user: User, complaint: Complaint, body: str) -> None:
    """Write to the complainant, who reads it with the receipt code on the follow-up page."""
    if not can_message(complaint):
        raise CaseError(
            _l("This complaint has no receipt code, so its complainant cannot read messages."),
            "body",
        )
    with unit_of_work():
        complaint.messages.append(
            Message(
                direction=MessageDirection.TO_COMPLAINANT,
                author_id=user.id,
                body=body,
                created_at=clock.now(),
            )
        )
        audit.record("complaint.message_sent", complaint, actor=user)


def reveal_contact(user: User, complaint: Complaint, reason: str) -> str:
    """The complainant's contact in clear, for this response only; the reveal is audited."""
    if complaint.contact_encrypted is None:
        raise CaseError(_l("The complainant left no contact details."), "reason")
    try:
        contact = decrypt_contact(complaint.contact_encrypted)
    except InvalidToken:
        raise CaseError(
            _l("The contact details cannot be decrypted with the keys configured."), "reason"
        ) from None
    with unit_of_work():
        audit.record("complaint.contact_revealed", complaint, {"reason": reason}, actor=user)
    return contact


def download(user: User, complaint: Complaint, attachment_id: int) -> tuple[Attachment, bytes]:
    """An attachment of ``complaint`` and its bytes; LookupError when it has no such file."""
    found = session.scalars(
        select(Attachment).where(
            Attachment.id == attachment_id, Attachment.complaint_id == complaint.id
        )
    ).first()
    if found is None:
        raise LookupError(attachment_id)
    try:
        data = files.open_stored(found.storage_name)
    except (OSError, ValueError) as error:
        raise LookupError(attachment_id) from error
    with unit_of_work():
        audit.record("attachment.downloaded", found, {"complaint": complaint.id}, actor=user)
    return found, data
