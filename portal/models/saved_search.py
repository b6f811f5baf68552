"""A reviewer's saved searches: a name and the query string of the search form.

Each belongs to one staff member, who alone lists, runs and deletes it. The
query string may hold the words searched for, so it is never written to the
audit log (``portal.audit`` refuses it), only the saved search's id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models._columns import Timestamp, utcnow
from portal.models.base import Base


class SavedSearch(Base):
    """One named search of one staff member (the search page's query string, re-checked on use)."""

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: The search form's query string, as the page itself wrote it (known fields only).
    query: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
