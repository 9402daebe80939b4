"""Slack events already handled: one row per event id, shared by every replica; old ids pruned off the request path."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.db import Store, rows_changed
from bot.store.models import SlackEvent

log = logging.getLogger(__name__)


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
    return rows_changed(session, delete(SlackEvent).where(SlackEvent.received_at < before)) or 0


KEEP_FOR = timedelta(days=1)
PRUNE_EVERY_SECONDS = 3600.0


class Deduplicator:
    """Remembers event ids in the store; prunes the old ones at most once per `prune_every` seconds."""

    def __init__(self, store: Store, *, keep_for: timedelta = KEEP_FOR, prune_every: float = PRUNE_EVERY_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.keep_for = keep_for
        self.prune_every = prune_every
        self._clock = clock
        self._next_prune = clock()  # the first event after a start prunes
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """True when this event id was never seen by any replica."""
        with self.store.session() as session:
            new = remember_event(session, event_id=event_id)
        self._maybe_prune()
        return new

    def prune(self) -> int:
        """Forget events older than `keep_for`."""
        with self.store.session() as session:
            return prune_events(session, before=datetime.now(UTC) - self.keep_for)

    def _maybe_prune(self) -> None:
        with self._lock:
            if self._clock() < self._next_prune:
                return
            self._next_prune = self._clock() + self.prune_every
        threading.Thread(target=self._prune_logged, name="slack-events-prune", daemon=True).start()

    def _prune_logged(self) -> None:
        try:
            gone = self.prune()
        except Exception:  # a failed prune only delays the next one; the table stays correct
            log.exception("pruning old Slack event ids failed")
            return
        if gone:
            log.info("pruned %d old Slack event ids", gone)
