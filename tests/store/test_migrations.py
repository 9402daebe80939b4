"""The schema comes only from Alembic: a database of any age reaches head, and models match migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.store.db import Store, alembic_config, current_revision, migrate, schema_head
from bot.store.models import Base


def test_empty_database_reaches_head_with_every_table(store: Store) -> None:
    with store.engine.connect() as conn:
        assert current_revision(conn) == schema_head()
    tables = set(inspect(store.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_models_and_migrations_do_not_drift(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_older_database_is_upgraded_and_migrating_twice_is_harmless(store: Store) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    with store.engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert "activities" not in inspect(store.engine).get_table_names()
    reopened = Store.open(url)
    try:
        migrate(reopened.engine)
        with reopened.engine.connect() as conn:
            assert current_revision(conn) == schema_head()
    finally:
        reopened.close()


def test_a_sqlite_file_another_process_is_writing_is_waited_for_then_switched_to_wal(tmp_path: Path) -> None:
    """SQLite refuses to switch a rollback-journal file to WAL at once while another connection writes
    (no busy wait): opening the store must wait for that writer, not fail with "database is locked"."""
    import sqlite3
    import threading

    path = tmp_path / "raci.db"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE other_tool (x)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO other_tool VALUES (1)")
    finishing = threading.Timer(0.3, lambda: writer.execute("COMMIT"))  # the writer finishes a moment later
    finishing.start()
    try:
        store = Store.open(f"sqlite:///{path}")
    finally:
        finishing.join()
        writer.close()
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert current_revision(conn) == schema_head()
    finally:
        store.close()
