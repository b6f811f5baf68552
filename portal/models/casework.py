"""Case work on a complaint: referrals to other bodies, letters issued, a follow-up reminder.

Each row belongs to one complaint and goes with it (``ON DELETE CASCADE``), so
retention removes a letter's text together with the complaint it quotes.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models._columns import Timestamp, enum_column, utcnow
from portal.models.base import Base


class Recipient(enum.StrEnum):
    """Who a case is referred to (or a letter is addressed to)."""

    PROSECUTOR = "prosecutor"
    OMBUDSMAN = "ombudsman"  # the Ombudsman and the National Preventive Mechanism
    OTHER = "other"  # another body, named in ``recipient_name``


class LetterKind(enum.StrEnum):
    """What an outgoing letter asks for."""

    FOOTAGE = "footage"  # preserve the recordings of an incident
    REFERRAL = "referral"  # examine the case (sent with a referral)


class Referral(Base):
    """A case sent to a body that must answer: to whom, when, by when, and what came back."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[Recipient] = mapped_column(enum_column(Recipient))
    #: The body's own name (required for "other"; e.g. the prosecutor's office of a district).
    recipient_name: Mapped[str | None] = mapped_column(String(300))
    sent_on: Mapped[date] = mapped_column(Date)
    response_due: Mapped[date | None] = mapped_column(Date, index=True)
    response_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)


class Letter(Base):
    """An outgoing letter as it was issued, in Kazakh and Russian; never edited afterwards."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id", ondelete="SET NULL"))
    kind: Mapped[LetterKind] = mapped_column(enum_column(LetterKind))
    #: Whom it is addressed to, as printed (one line per addressee).
    addressee: Mapped[str] = mapped_column(String(1000))
    body_kk: Mapped[str] = mapped_column(Text)
    body_ru: Mapped[str] = mapped_column(Text)
    #: How many details the reviewer removed from the narrative excerpt before issuing.
    removed_details: Mapped[int] = mapped_column(Integer, default=0)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class CaseReminder(Base):
    """The day a reviewer wants to look at a case again (one per complaint)."""

    __tablename__ = "case_reminders"

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True
    )
    remind_on: Mapped[date] = mapped_column(Date, index=True)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
