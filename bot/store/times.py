"""Datetimes read back from the store: SQLite returns them naive, PostgreSQL aware; everything stored is UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
@overload
def aware(value: datetime | None) -> datetime | None: ...
def aware(value: datetime | None) -> datetime | None:
    """The stored UTC time as an aware datetime, whichever database read it."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
