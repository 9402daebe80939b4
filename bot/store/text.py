"""Text from Slack made storable on every backend: PostgreSQL refuses NUL in text columns, SQLite keeps it."""

from __future__ import annotations

NUL = "\x00"


def storable(text: str) -> str:
    """`text` without NUL characters, which no person means to type and PostgreSQL cannot store."""
    return text.replace(NUL, "") if NUL in text else text


def storable_or_none(text: str | None) -> str | None:
    """storable() for optional fields."""
    return None if text is None else storable(text)
