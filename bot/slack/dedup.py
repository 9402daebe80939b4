"""Each Slack event is handled once: Slack's retries and duplicate deliveries are acknowledged and dropped.

The event id goes into the store (primary key), so the rule holds across replicas and restarts.
Old ids are pruned now and then, off the request path.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse

from bot.slack.observability import mark_duplicate
from bot.store.db import Store
from bot.store.slack_events import prune_events, remember_event

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps

log = logging.getLogger(__name__)

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


def event_id_of(body: dict[str, Any]) -> str | None:
    """The id Slack keeps across retries of one event (Events API over HTTP or Socket Mode)."""
    if body.get("type") != "event_callback":
        return None
    return body.get("event_id")


def register(app: App, deps: SlackDeps) -> None:
    """Drop an event seen before with a plain 200, so Slack stops retrying it."""

    @app.middleware
    def drop_duplicate_events(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = event_id_of(body)
        if event_id is None or deps.dedup.first_time(event_id):
            return next()
        log.info("event %s was already handled; acknowledging the duplicate", event_id)
        mark_duplicate()
        return BoltResponse(status=200, body="")
