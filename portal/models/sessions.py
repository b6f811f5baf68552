"""Server-side sessions: a browser holds only a random token, the database only its hash.

Deleting a row ends the session at once, wherever its cookie has been copied to.
No row ever holds an IP address, a user agent or anything else about the browser.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
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
