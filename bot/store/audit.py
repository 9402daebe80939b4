"""The audit writer: every change to the matrix (and to escalations) is appended to the audit log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from bot.store import models as m
from bot.store.batching import ROW_BATCH
from bot.store.bulk import batches, insert_rows

_COLUMNS = ("at", "actor", "source", "action", "subject_type", "subject", "change", "details")
SUBJECT_LENGTH = 300  # the audit_log.subject column's width


class AuditRecord(Protocol):
    """What one audit row says: a file diff's Change, or another feature's record of what it did."""

    @property
    def subject_type(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def change(self) -> str: ...
    @property
    def details(self) -> dict[str, Any]: ...


class AuditWriter:
    """Appends changes to the audit log in batches, all stamped with the writer's time."""

    def __init__(self, session: Session, *, actor: str, source: str | None, action: str) -> None:
        self.session = session
        self.stamp = (datetime.now(UTC), actor, source, action)

    def write(self, changes: Iterable[AuditRecord]) -> None:
        """Append `changes` in order; only one batch of rows exists at a time."""
        for batch in batches(changes, ROW_BATCH):
            rows = (self.stamp + (c.subject_type, c.subject[:SUBJECT_LENGTH], c.change, c.details) for c in batch)
            insert_rows(self.session, m.AuditEvent.__table__, _COLUMNS, rows)


def record_changes(
    session: Session, changes: Sequence[AuditRecord], *, actor: str, source: str | None, action: str
) -> None:
    """Append changes to the audit log, all stamped with the same time."""
    AuditWriter(session, actor=actor, source=source, action=action).write(changes)
