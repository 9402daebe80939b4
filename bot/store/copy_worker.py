"""PostgreSQL COPY in the background, so the server's work on one batch overlaps the building of the next.

A first import of 100,000 activities keeps the server busy for ~7 s (index entries and a foreign-key
check per assignment row), and the client for as long building the rows: one after the other they
took twice as long as side by side. One worker thread per connection runs its COPY statements in
order; the connection's next statement, commit or rollback first waits for all of them (engine
events), so nothing reads a table before its rows are in, and a COPY that failed is raised there.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from bot.store.batching import QUEUED_COPIES

Copy = Callable[[Any], None]  # runs one COPY on the DBAPI connection it is given

_WORKER = "raci_copy_worker"  # the key of a connection's worker in its info dict


class CopyWorker:
    """Runs COPY statements on one DBAPI connection, in the order given, in a thread of its own."""

    def __init__(self, dbapi_connection: Any) -> None:
        self.dbapi_connection = dbapi_connection
        self.copies: queue.Queue[Copy | None] = queue.Queue(maxsize=QUEUED_COPIES)  # bounds the rows held
        self.error: BaseException | None = None
        self.abandoned = False
        self.thread = threading.Thread(target=self._run, name="raci-copy", daemon=True)
        self.thread.start()

    def put(self, copy: Copy) -> None:
        """Queue a COPY; waits while QUEUED_COPIES are already waiting."""
        self.copies.put(copy)

    def _run(self) -> None:
        while (copy := self.copies.get()) is not None:
            if self.error is None and not self.abandoned:
                try:
                    copy(self.dbapi_connection)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread by finish()
                    self.error = exc

    def finish(self, *, abandon: bool = False) -> None:
        """Wait for the queued COPYs (skipping those not started when `abandon`); raise the first failure."""
        self.abandoned = abandon
        self.copies.put(None)
        self.thread.join()
        if self.error is not None and not abandon:
            raise self.error


def copy_in_background(session: Session, copy: Copy) -> None:
    """Run `copy` on the session's connection after the COPYs queued before it, without waiting for it."""
    connection = session.connection()
    worker = connection.info.get(_WORKER)
    if worker is None:
        _listen(connection.engine)
        worker = CopyWorker(connection.connection.dbapi_connection)
        connection.info[_WORKER] = worker
    worker.put(copy)


def finish_copies(connection: Connection, *, abandon: bool = False) -> None:
    """Wait for the connection's background COPYs, if any; raise the first that failed unless `abandon`."""
    worker: CopyWorker | None = connection.info.pop(_WORKER, None)
    if worker is not None:
        worker.finish(abandon=abandon)


def _listen(engine: Engine) -> None:
    if not event.contains(engine, "before_cursor_execute", _before_statement):
        event.listen(engine, "before_cursor_execute", _before_statement)
        event.listen(engine, "commit", finish_copies)
        event.listen(engine, "rollback", _before_rollback)


def _before_statement(connection: Connection, *_args: Any) -> None:
    finish_copies(connection)


def _before_rollback(connection: Connection) -> None:
    finish_copies(connection, abandon=True)  # rolled back anyway: what failed no longer matters
