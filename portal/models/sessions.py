"""Server-side sessions: a browser holds only a random token, the database only its hash.

Deleting a row ends the session at once, wherever its cookie has been copied to.
No row ever holds an IP address, a user agent or anything else about the browser.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models._columns import Timestamp, utcnow
from portal.models.base import Base


class FollowUpSession(Base):
    """A browser that entered a complaint's receipt code, for as long as it may follow it up.

    Ends when the complainant leaves, after a while without activity, or at the
    latest a fixed time after the code was entered (see
    ``portal.complaints.follow_sessions``). Deleted with its complaint.
    """

    __tablename__ = "follow_up_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of the random token in the browser's cookie; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    #: When the receipt code was entered: the absolute lifetime counts from here.
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    #: The last activity written down (at most once a minute): the idle timeout counts from here.
    last_seen_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class StaffSession(Base):
    """A staff member's browser, signed in (or half-way: password checked, second factor not).

    Ends at sign-out, after 30 minutes idle, 12 hours after sign-in, and with every
    other session of the user when the account is disabled or its second factor reset
    (``portal.auth.sessions``). Deleted with its user.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of the random token in the staff cookie; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The user's ``session_generation`` when the session began; a raised one ends it.
    generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    #: When the second factor was checked; None while only the password is.
    second_factor_at: Mapped[datetime | None] = mapped_column(Timestamp)
