"""Complaints from citizens, and everything attached to them.

A complaint's free text and its contact details are never published. Contact
details are stored encrypted (``contact_encrypted``) and never indexed.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.models._columns import Timestamp, enum_column, utcnow
from portal.models.base import Base

if TYPE_CHECKING:
    from portal.models.geo import Facility, Region
    from portal.models.user import User


class Category(enum.StrEnum):
    """What happened, as the complainant describes it (one or more per complaint)."""

    PHYSICAL_VIOLENCE = "physical_violence"
    TORTURE = "torture"
    THREATS = "threats"
    SEXUAL_VIOLENCE = "sexual_violence"
    MEDICAL_DENIAL = "medical_denial"
    LAWYER_FAMILY_DENIAL = "lawyer_family_denial"
    EXTORTION = "extortion"
    FORCED_CONFESSION = "forced_confession"
    DEGRADING_CONDITIONS = "degrading_conditions"
    CAMERA_ISSUE = "camera_issue"
    OTHER = "other"


class Status(enum.StrEnum):
    """Where a complaint is in its workflow: new → in review → referred → closed.

    A closed complaint says why in :class:`ClosingReason` (``closing_reason``);
    "duplicate" and "unfounded" were statuses of their own before migration 0005.
    """

    NEW = "new"
    IN_REVIEW = "in_review"
    REFERRED = "referred"
    CLOSED = "closed"


class ClosingReason(enum.StrEnum):
    """Why a complaint was closed (required when it is)."""

    RESOLVED = "resolved"
    UNFOUNDED = "unfounded"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"


class Answer(enum.StrEnum):
    """An answer to a camera question."""

    YES = "yes"
    NO = "no"
    DONT_KNOW = "dont_know"


class Relation(enum.StrEnum):
    """Who the reporter is to the person affected."""

    SELF = "self"
    RELATIVE = "relative"
    LAWYER = "lawyer"
    WITNESS = "witness"


class DatePrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"  # the day is unknown: incident_date is the 1st of the month


class MessageDirection(enum.StrEnum):
    TO_COMPLAINANT = "to_complainant"
    FROM_COMPLAINANT = "from_complainant"


class Complaint(Base):
    """A report of a custody incident."""

    __tablename__ = "complaints"
    #: A unique index, not a constraint: SQLite adds it without copying the table.
    __table_args__ = (
        Index(
            "ix_complaints_import_source_external_ref", "import_source", "external_ref", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short reference reviewers use between themselves; not a secret, not the receipt.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilities.id", ondelete="SET NULL"), index=True
    )
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    #: Free-text place when the facility is unknown or not in the list.
    place_text: Mapped[str | None] = mapped_column(String(500))
    incident_date: Mapped[date | None] = mapped_column(Date, index=True)
    incident_date_precision: Mapped[DatePrecision] = mapped_column(
        enum_column(DatePrecision), default=DatePrecision.DAY
    )
    narrative: Mapped[str] = mapped_column(Text)
    camera_present: Mapped[Answer] = mapped_column(
        enum_column(Answer, "camera_present"), default=Answer.DONT_KNOW
    )
    camera_working: Mapped[Answer] = mapped_column(
        enum_column(Answer, "camera_working"), default=Answer.DONT_KNOW
    )
    out_of_view: Mapped[Answer] = mapped_column(
        enum_column(Answer, "out_of_view"), default=Answer.DONT_KNOW
    )
    relation: Mapped[Relation] = mapped_column(enum_column(Relation))
    #: The language the complaint was written in (kk, ru or en).
    language: Mapped[str] = mapped_column(String(8))
    #: Contact details, encrypted with PORTAL_CONTACT_KEY; never indexed or logged.
    contact_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Which key encrypted the contact, so that keys can be rotated.
    contact_key_id: Mapped[str | None] = mapped_column(String(16))
    reply_language: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.NEW, index=True)
    #: Why a closed complaint was closed; None while it is open (and for complaints closed
    #: before reasons were recorded).
    closing_reason: Mapped[ClosingReason | None] = mapped_column(
        enum_column(ClosingReason, "closing_reason")
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="SET NULL"), index=True
    )
    #: Argon2id hash of the receipt code; the code itself is never stored.
    receipt_hash: Mapped[str | None] = mapped_column(String(200))
    #: Keyed digest that finds the complaint for a receipt before the slow hash is checked.
    receipt_lookup: Mapped[str | None] = mapped_column(String(64), unique=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Who sent an imported complaint (``import-complaints --source``); None for the form.
    import_source: Mapped[str | None] = mapped_column(String(64))
    #: The sender's own case number, shown and searchable; unique per ``import_source``.
    external_ref: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(
        Timestamp, default=utcnow, onupdate=utcnow, index=True
    )

    facility: Mapped[Facility | None] = relationship()
    region: Mapped[Region | None] = relationship()
    assignee: Mapped[User | None] = relationship()
    duplicate_of: Mapped[Complaint | None] = relationship(remote_side=[id])
    categories: Mapped[list[ComplaintCategory]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan"
    )
    tags: Mapped[list[ComplaintTag]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan"
    )
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="StatusChange.at"
    )
    messages: Mapped[list[Message]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="Message.created_at"
    )
    notes: Mapped[list[Note]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="Note.created_at"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan"
    )

    @property
    def category_values(self) -> list[Category]:
        return [link.category for link in self.categories]


class ComplaintCategory(Base):
    __tablename__ = "complaint_categories"

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[Category] = mapped_column(enum_column(Category), primary_key=True)

    complaint: Mapped[Complaint] = relationship(back_populates="categories")


class ComplaintTag(Base):
    """A reviewer's free label on a complaint, for grouping cases."""

    __tablename__ = "complaint_tags"

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)

    complaint: Mapped[Complaint] = relationship(back_populates="tags")


class StatusChange(Base):
    """One step in a complaint's status history, shown to the complainant too."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    old_status: Mapped[Status | None] = mapped_column(enum_column(Status, "old_status"))
    new_status: Mapped[Status] = mapped_column(enum_column(Status, "new_status"))
    #: Why, when this step closed the complaint.
    closing_reason: Mapped[ClosingReason | None] = mapped_column(
        enum_column(ClosingReason, "closing_reason")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()


class Message(Base):
    """A message between reviewers and the complainant, through the receipt channel."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[MessageDirection] = mapped_column(enum_column(MessageDirection))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(Timestamp)

    complaint: Mapped[Complaint] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(back_populates="message")


class Note(Base):
    """A reviewer's internal note; never shown to the complainant."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class Attachment(Base):
    """A file sent with a complaint or a message.

    The file lives outside the static folder under ``storage_name``, a random
    name; its original name is not kept, because it may identify the sender.
    """

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("storage_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    storage_name: Mapped[str] = mapped_column(String(64))
    #: The type found by reading the content, not the one claimed by the name.
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")
    message: Mapped[Message | None] = relationship(back_populates="attachments")


@event.listens_for(Session, "before_flush")
def _touch_recategorised(db: Session, _context: Any, _instances: Any) -> None:
    """A stored complaint's ``updated_at`` moves whenever its categories change.

    Adding or removing a category writes only ``complaint_categories``; the
    published statistics notice edits to the complaints they count by their
    latest ``updated_at`` (:func:`portal.stats.schedule.fingerprint`), so the
    complaint itself is touched here.
    """
    touched: set[Complaint] = set()
    with db.no_autoflush:
        for link in (*db.new, *db.deleted):
            if isinstance(link, ComplaintCategory):
                owner = link.complaint or (
                    db.get(Complaint, link.complaint_id) if link.complaint_id else None
                )
                if owner is not None:
                    touched.add(owner)
        for obj in db.dirty:
            if isinstance(obj, Complaint) and inspect(obj).attrs.categories.history.has_changes():
                touched.add(obj)
    for complaint in touched:
        if inspect(complaint).persistent and complaint not in db.deleted:
            complaint.updated_at = utcnow()
