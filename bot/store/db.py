"""Engine, sessions and schema migrations for the store (SQLite embedded, PostgreSQL in production)."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, CursorResult, Engine, Executable, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from bot.errors import StoreUnavailable

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# Any fixed 64-bit number: replicas starting together migrate one at a time under it.
MIGRATION_LOCK_ID = 0x7261_6369_6D69_67  # "racimig"
# An advisory lock is per database; a store is per schema: the key mixes in the schema, so stores in two
# schemas of one database (tests, or two installations) never wait for each other.
PER_SCHEMA_LOCK = "CAST(:id AS bigint) # hashtext(current_schema())::bigint"
# How long a SQLite connection waits for another process's write before giving up.
SQLITE_BUSY_SECONDS = 30.0


def safe_url(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def create_store_engine(url: str) -> Engine:
    """An engine with the settings each backend needs for several processes to share it.

    hide_parameters: a database error's message never carries the values bound to it (an escalation's
    problem, people's names and emails), so logging the error cannot leak them.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(f"DATABASE_URL is not a database URL: {url!r}") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS}, hide_parameters=True)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(f"unsupported database URL {safe_url(url)}: {exc}") from None


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # Per connection: foreign keys are off by default in SQLite. The journal mode is not set here: it is a
    # property of the file, and switching it while another process opens the same new file fails with
    # "database is locked" at once, without waiting (see _use_wal).
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@functools.cache  # the migrations on disk do not change while the process runs
def schema_head() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


_MIGRATING = threading.Lock()  # Alembic's context is process-global: one migration per process at a time


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """Processes sharing one SQLite file migrate one at a time (a lock file beside it)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _use_wal(engine: Engine) -> None:
    """Put a SQLite file in WAL mode (the app and a CLI then read while another writes), once and under the lock.

    WAL persists in the file, so later connections inherit it; a file already in WAL is left alone.
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    pause = 0.01
    with _MIGRATING, _sqlite_file_lock(engine), engine.connect() as conn:
        while str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() != "wal":
            try:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            except OperationalError as exc:
                # SQLite refuses the switch at once, without its busy wait, while another connection
                # writes to a rollback-journal file: wait for that writer as the busy timeout would.
                if "locked" not in str(exc.orig) or time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.5)


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema, one process (and one thread) at a time."""
    _use_wal(engine)
    head = schema_head()
    with engine.connect() as conn:
        if current_revision(conn) == head:
            return
    with _MIGRATING, _sqlite_file_lock(engine), engine.connect() as conn:
        postgres = engine.dialect.name == "postgresql"
        if postgres:
            conn.execute(text(f"SELECT pg_advisory_lock({PER_SCHEMA_LOCK})"), {"id": MIGRATION_LOCK_ID})
            conn.commit()
        try:
            cfg = alembic_config(engine.url.render_as_string(hide_password=False))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")  # a no-op when another process got there while we waited
            conn.commit()
        finally:
            if postgres:
                conn.execute(text(f"SELECT pg_advisory_unlock({PER_SCHEMA_LOCK})"), {"id": MIGRATION_LOCK_ID})
                conn.commit()


class Store:
    """The database: an engine, a session factory, and the schema kept at head."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, migrate_schema: bool = True) -> Store:
        """Connect, and migrate unless told not to; unreachable databases raise StoreUnavailable."""
        engine = create_store_engine(url)
        try:
            if migrate_schema:
                migrate(engine)
            else:
                with engine.connect():
                    pass
        except (OperationalError, ProgrammingError) as exc:
            engine.dispose()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreUnavailable(f"cannot use database {safe_url(url)}: {reason}") from None
        return cls(engine)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def rows_changed(session: Session, statement: Executable) -> int:
    """Run an INSERT, UPDATE or DELETE and return how many rows it changed."""
    result = session.execute(statement)
    # a data change always answers with a cursor result; only it carries rowcount
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(statement).__name__} returned no row count")
    return result.rowcount
