"""Housekeeping tables: pending search-index work and facts about the data set."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models._columns import Timestamp, enum_column, utcnow
from portal.models.base import Base


class IndexAction(enum.StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"


class IndexTask(Base):
    """A complaint whose search-index entry must be written or removed.

    Written in the same transaction as the complaint, so the database always
    knows what the index still lacks; ``search catch-up`` works the queue off.
    """

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Deliberately no foreign key: the task to remove a deleted complaint from the index
    #: must outlive the complaint's row.
    complaint_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[IndexAction] = mapped_column(enum_column(IndexAction))
    enqueued_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class DatasetFact(Base):
    """A key/value fact about the data set, e.g. that demo data was generated, with which seed."""

    __tablename__ = "dataset_facts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
