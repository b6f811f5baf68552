"""Column helpers shared by the models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (stored as such on every backend)."""
    return datetime.now(UTC)


def enum_column(enum_class: type[enum.Enum], name: str | None = None) -> Enum:
    """Store a Python enum by its value as VARCHAR with a CHECK constraint.

    Values rather than names keep the database readable and the same on SQLite
    and PostgreSQL; a new member needs a migration that widens the constraint.
    ``name`` names the constraint; give one when a table has two columns of the
    same enum, because constraint names must be unique within a table.
    """
    return Enum(
        enum_class,
        name=name or enum_class.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL keeps the zone itself; SQLite has none, so values are stored as
    naive UTC and made aware again when read. Naive values are refused on the
    way in, because their meaning would depend on the server's clock settings.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


Timestamp = UTCDateTime()
