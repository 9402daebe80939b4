"""The audit log writer: every change to the store, with who made it, from where, and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.raci_file.diff import Change
from bot.store import models as m
from bot.store.bulk import insert_rows


def record_changes(
    session: Session, changes: Sequence[Change], *, actor: str, source: str | None, action: str
) -> None:
    """Append changes to the audit log, all stamped with the same time."""
    now = datetime.now(UTC)
    rows = [
        {"at": now, "actor": actor, "source": source, "action": action, "subject_type": c.subject_type,
         "subject": c.subject[:300], "change": c.change, "details": _jsonable(c.details)}
        for c in changes
    ]
    insert_rows(session, m.AuditEvent, rows)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
