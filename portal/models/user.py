"""Staff accounts and the audit trail of what they did."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models._columns import Timestamp, enum_column, utcnow
from portal.models.base import Base
from portal.models.geo import Region


class Role(enum.StrEnum):
    """What a staff account may do (``portal/auth/access.py`` says what each role reaches)."""

    REVIEWER = "reviewer"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    ADMIN = "admin"


user_regions = Table(
    "user_regions",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    """A reviewer, coordinator, analyst or administrator. Citizens have no accounts."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    #: An administrator's reviewing role (reviewer or coordinator), or None: without one an
    #: administrator reads no complaint.
    reviewing_role: Mapped[Role | None] = mapped_column(enum_column(Role, "reviewing_role"))
    #: Argon2id hash.
    password_hash: Mapped[str] = mapped_column(String(200))
    #: TOTP secret, encrypted; the second factor is mandatory for staff.
    totp_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: When the owner proved they hold the secret (first sign-in); None: enrolment pending.
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    #: The time step of the last code accepted: a code of this step or an older one is refused.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Raised to revoke every session of the user at once.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(Timestamp)

    regions: Mapped[list[Region]] = relationship(secondary=user_regions)

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the account holds: its role and an administrator's reviewing role."""
        return frozenset(role for role in (self.role, self.reviewing_role) if role is not None)


class RecoveryCode(Base):
    """One of a staff member's ten one-time recovery codes, stored as a SHA-256 digest.

    The codes are random (80 bits), so a fast digest cannot be reversed by guessing;
    each is used at most once (``used_at``).
    """

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(Timestamp)


class AuditEvent(Base):
    """Something a staff member did that others must be able to check later.

    No IP address or user agent is recorded, and never a complaint's content. Written
    only by ``portal.audit.record``; nothing in the application updates or deletes one.
    """

    __tablename__ = "audit_events"
    #: Sign-in failures of one account in the last minute, or since its last sign-in.
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: What was done, e.g. "complaint.view", "complaint.reveal_contact", "export".
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    #: Extra facts as JSON text (filters of an export, old and new status).
    detail: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship()
