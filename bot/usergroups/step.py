"""The ticker's user-group step: runs the sync when something it depends on changed, or hourly for the daily repair.

What is due is decided in the database (bot/usergroups/sync.py); this only spares a pass the work of
loading the matrix when no import, away period or delegation changed since the last look.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from bot.away.store import active_away
from bot.store import models as m
from bot.store.db import Store
from bot.usergroups.limits import CHECK_EVERY_SECONDS
from bot.usergroups.sync import SyncReport, UsergroupWriter, sync_usergroups


class UsergroupStep:
    """Callable with the ticker's clock: syncs due user groups when the inputs changed or an hour passed."""

    def __init__(self, store: Store, writer: UsergroupWriter, *,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.writer = writer
        self.monotonic = monotonic
        self._seen: tuple[object, ...] | None = None
        self._checked_at = float("-inf")

    def __call__(self, now: datetime) -> SyncReport | None:
        """Sync now if anything changed; None when the pass was skipped."""
        with self.store.session() as session:
            audit = session.scalar(select(func.max(m.AuditEvent.id)))  # imports and /raci away are audited
            away = sorted((a.handle, a.delegate) for a in active_away(session, now=now).values())
        seen = (audit, tuple(away))
        if seen == self._seen and self.monotonic() - self._checked_at < CHECK_EVERY_SECONDS:
            return None
        report = sync_usergroups(self.store, self.writer, now=now)
        self._seen, self._checked_at = seen, self.monotonic()
        return report
