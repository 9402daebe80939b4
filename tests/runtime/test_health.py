"""GET /readyz's checks: the database, the schema, and an index that follows the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.ownership.live import OwnershipService
from bot.ownership.matrix import import_file
from bot.runtime.health import Readiness
from bot.store.db import Store

ORG = Path(__file__).resolve().parents[1] / "fixtures" / "org.yaml"


def test_a_healthy_replica_is_ready(store: Store) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    ready, details = Readiness(store, OwnershipService(store))()
    assert ready and details["index"] == "ok" and details["activities"] > 0


def test_an_index_that_cannot_reload_is_reported_and_not_ready(store: Store) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    service = OwnershipService(store)
    with store.session() as session:  # the index can no longer read the matrix's revision
        session.execute(text("ALTER TABLE audit_log RENAME TO audit_log_gone"))
    with pytest.raises(SQLAlchemyError):
        service.refresh()
    ready, details = Readiness(store, service)()
    assert details["database"] == "ok" and details["schema"] == "ok"
    assert details["index"].startswith("stale at revision") and "reloading failed" in details["index"]
    assert ready is False
