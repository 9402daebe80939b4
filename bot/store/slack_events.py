"""Slack events already handled: one row per event id, shared by every replica."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import SlackEvent


def remember_event(session: Session, *, event_id: str, now: datetime | None = None) -> bool:
    """Record an event id; True the first time it is seen, False for a retry or a duplicate."""
    values = {"event_id": event_id, "received_at": now or datetime.now(UTC)}
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # RETURNING, not rowcount: psycopg reports -1 for a conflict-free INSERT … ON CONFLICT
        statement = insert(SlackEvent).values(**values).on_conflict_do_nothing().returning(SlackEvent.event_id)
        return session.execute(statement).first() is not None
    try:  # other databases: the primary key says it
        with session.begin_nested():
            session.add(SlackEvent(**values))
        return True
    except IntegrityError:
        return False


def prune_events(session: Session, *, before: datetime) -> int:
    """Forget events received before `before`; returns how many rows went."""
    result = session.execute(delete(SlackEvent).where(SlackEvent.received_at < before))
    return result.rowcount or 0
