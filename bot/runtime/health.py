"""Readiness: the database answers, its schema is at head, and the matcher index follows the store.

A replica whose index cannot reload (while its database answers) would serve a stale matrix:
it reports not ready, so that the replicas that can reload take its traffic.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.ownership.live import OwnershipService
from bot.store.db import Store, current_revision, schema_head
from bot.usergroups.sync import failures


def _failure_text(failed: list[tuple[str, str, str]]) -> str:
    return "ok" if not failed else "; ".join(f"{group} ({role}): {error}" for group, role, error in failed)


class Readiness:
    """Callable for GET /readyz: (ready, details)."""

    def __init__(self, store: Store, service: OwnershipService, *, sync_warning: str | None = None) -> None:
        self.store = store
        self.service = service
        self.sync_warning = sync_warning  # a refused RACI_SYNC_ON_START: still ready, serving the store
        self.head = schema_head()  # read once: the migration scripts do not change while running

    def __call__(self) -> tuple[bool, dict[str, Any]]:
        details: dict[str, Any] = {}
        try:
            with self.store.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                revision = current_revision(conn)
            details["database"] = "ok"
            details["usergroups"] = self._usergroups()
            details["schema"] = "ok" if revision == self.head else f"at {revision}, expected {self.head}"
        except SQLAlchemyError as exc:
            details["database"] = f"unreachable: {type(exc).__name__}"
            details["schema"] = "unknown"
        details["index"] = self.service.index_status()
        details["activities"] = len(self.service.snapshot.activities)
        if self.sync_warning:
            details["sync"] = self.sync_warning
        # a user group Slack refused (free plan, missing scope) is reported here, but does not stop serving
        ready = all(details[check] == "ok" for check in ("database", "schema", "index"))
        return ready, {"ready": ready, **details}

    def _usergroups(self) -> str:
        """"ok", or each user group whose last sync failed and why."""
        with self.store.session() as session:
            return _failure_text(failures(session))
