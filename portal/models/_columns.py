"""Column helpers shared by the models."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import DateTime, Enum


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (stored as such on every backend)."""
    return datetime.now(timezone.utc)


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """Store a Python enum by its value as VARCHAR with a CHECK constraint.

    Values rather than names keep the database readable and the same on SQLite
    and PostgreSQL; a new member needs a migration that widens the constraint.
    """
    return Enum(
        enum_class,
        name=enum_class.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


Timestamp = DateTime(timezone=True)
