"""The long-running app's view of ownership: the current index, reloaded when the store changes."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from bot.outage_log import OutageLog
from bot.ownership.answers import Answer
from bot.ownership.index import Ownership
from bot.ownership.matrix import load_ownership, store_revision
from bot.raci_file.diff import Change
from bot.store import models as m
from bot.store.audit import record_changes
from bot.store.db import Store, rows_changed

log = logging.getLogger(__name__)


class OwnershipService:
    """Holds the in-memory Ownership index; answers never touch the database.

    Another process (a replica, an admin's `raci import`) may change the store: `current`
    checks the store's revision at most every `reload_seconds` and rebuilds the index when it
    moved. Readers keep using the old index while a new one is built.
    """

    def __init__(self, store: Store, *, reload_seconds: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.reload_seconds = reload_seconds
        self._clock = clock
        self._lock = threading.Lock()
        with store.session() as session:
            self._ownership = load_ownership(session=session)
        self._checked_at = clock()
        self._background = False
        self._reload_error: str | None = None  # why the last reload failed; None when it worked

    @property
    def snapshot(self) -> Ownership:
        """The index as it is now, without checking the store (for probes)."""
        return self._ownership

    @property
    def current(self) -> Ownership:
        if not self._background and self._clock() - self._checked_at >= self.reload_seconds:
            self.refresh()
        return self._ownership

    def start_reloader(self) -> threading.Event:
        """Check for changes in a daemon thread instead of on the request path; set the event to stop it."""
        stop = threading.Event()
        self._background = True

        def loop() -> None:
            outage = OutageLog(log, "reloading the ownership index")
            while not stop.wait(self.reload_seconds):
                try:
                    self.refresh()
                except Exception as exc:  # noqa: BLE001 - keep serving the index we have; retry next period
                    outage.failed(exc)
                else:
                    outage.succeeded()

        threading.Thread(target=loop, name="raci-index-reloader", daemon=True).start()
        return stop

    def refresh(self, *, force: bool = False) -> bool:
        """Rebuild the index if the store changed (or always with force); True when rebuilt."""
        # A forced refresh follows a write of ours: it waits for a rebuild already under way (which may have
        # read the store before our commit) and then rebuilds, so this replica answers with the write at once.
        if not self._lock.acquire(blocking=force):
            return False  # another thread is already rebuilding; keep serving the old index
        try:
            self._checked_at = self._clock()
            with self.store.session() as session:
                revision = store_revision(session)
                if not force and revision == self._ownership.revision:
                    self._reload_error = None
                    return False
                self._ownership = load_ownership(session=session)
            self._reload_error = None
            return True
        except Exception as exc:
            self._reload_error = type(exc).__name__  # shown by /readyz; the caller logs the traceback
            raise
        finally:
            self._lock.release()

    def refresh_after_commit(self, session: Session) -> None:
        """Rebuild the index when `session`'s transaction commits (a rollback leaves it as it is)."""
        event.listen(session, "after_commit", lambda _session: self.refresh(force=True), once=True)

    def answer(self, query: str, *, team: str | None = None, channel: str | None = None) -> Answer:
        """Answer free text; in a team's channel the team's role holders answer."""
        ownership = self.current
        if team is None and channel is not None:
            scoped = ownership.team_by_channel.get(channel)
            team = scoped.key if scoped else None
        return ownership.answer(query, team=team)

    def team_for_channel(self, channel: str | None) -> str | None:
        if channel is None:
            return None
        team = self.current.team_by_channel.get(channel)
        return team.key if team else None

    def learn_slack_id(self, handle: str, slack_id: str, *, actor: str = "raci-bot") -> None:
        """Remember a Slack ID found by email: in the store (audited, once) and in a new snapshot of the index."""
        with self.store.session() as session:
            learned = rows_changed(
                session,
                update(m.Person).where(m.Person.handle == handle, m.Person.slack_id.is_(None))
                .values(slack_id=slack_id, slack_id_source="lookup"))
            if learned:  # another replica may have learned it first: then there is nothing to audit
                record_changes(session, [Change("person", handle, "changed", {"slack_id": [None, slack_id]})],
                               actor=actor, source="users.lookupByEmail", action="slack_id_learned")
        person = self._ownership.people.get(handle)
        if person is not None and person.slack_id is None:
            self._ownership = self._ownership.with_slack_id(handle, slack_id)

    def index_status(self) -> str:
        """ "ok" while the index follows the store; what went wrong when its last reload failed."""
        if self._reload_error is None:
            return "ok"
        return f"stale at revision {self._ownership.revision}: reloading failed ({self._reload_error})"
