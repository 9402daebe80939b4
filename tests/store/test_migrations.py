"""The schema comes only from Alembic: a database of any age reaches head, and models match migrations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Inspector

from bot.store.db import Store, alembic_config, current_revision, migrate, schema_head
from bot.store.models import Base


@pytest.fixture
def migrated_online(empty_db_url: str) -> Iterator[Store]:
    """A store Alembic itself migrated from nothing (other tests copy a migrated template; see tests/migrated.py)."""
    store = Store.open(empty_db_url)
    try:
        yield store
    finally:
        store.close()


def test_empty_database_reaches_head_with_every_table(migrated_online: Store) -> None:
    store = migrated_online
    with store.engine.connect() as conn:
        assert current_revision(conn) == schema_head()
    tables = set(inspect(store.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_models_and_migrations_do_not_drift(migrated_online: Store) -> None:
    with migrated_online.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_older_database_is_upgraded_and_migrating_twice_is_harmless(migrated_online: Store) -> None:
    store = migrated_online
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


@pytest.mark.parametrize(("db_url", "empty_db_url"), [
    ("sqlite", "sqlite"), pytest.param("postgresql", "postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_the_tests_template_schema_is_what_alembic_makes(migrated_online: Store, db_url: str) -> None:
    """Tests start from a copied or scripted schema (tests/migrated.py); it must be Alembic's head exactly."""
    copied = Store.open(db_url)
    try:
        for store in (migrated_online, copied):
            with store.engine.connect() as conn:
                assert current_revision(conn) == schema_head()
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                assert compare_metadata(context, Base.metadata) == []
        online, scripted = inspect(migrated_online.engine), inspect(copied.engine)
        assert sorted(online.get_table_names()) == sorted(scripted.get_table_names())
        for table in online.get_table_names():
            assert _shape(online, table) == _shape(scripted, table), table
    finally:
        copied.close()


def _shape(inspector: Inspector, table: str) -> tuple[object, ...]:
    def names(items: list[Any]) -> list[str]:
        return sorted(str(item.get("name")) for item in items)

    return (sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)),
            names(inspector.get_indexes(table)), names(inspector.get_unique_constraints(table)),
            names(inspector.get_foreign_keys(table)), inspector.get_pk_constraint(table).get("name"))


def test_a_reused_postgres_schema_is_as_good_as_a_new_one(postgres_skip_reason: str | None) -> None:
    """tests/migrated.py hands a used schema to the next test once emptied: no rows, ids from 1 again."""
    from tests.conftest import POSTGRES_URL
    from tests.migrated import migrated_postgres

    if postgres_skip_reason:
        pytest.skip(postgres_skip_reason)
    ids, counts, schemas = [], [], []
    for _ in range(2):
        with migrated_postgres(POSTGRES_URL, prefix="t_reuse_") as url:
            store = Store.open(url)
            try:
                with store.engine.begin() as conn:
                    counts.append(conn.exec_driver_sql("SELECT count(*) FROM activities").scalar())
                    ids.append(conn.exec_driver_sql(
                        "INSERT INTO activities (name, name_key, aliases, position) "
                        "VALUES ('A', 'a', '[]', 0) RETURNING id").scalar())
                    schemas.append(conn.exec_driver_sql("SELECT current_schema()").scalar())
            finally:
                store.close()
    assert schemas[0] == schemas[1]  # the second use got the first one's schema back
    assert counts == [0, 0] and ids == [1, 1]
    with migrated_postgres(POSTGRES_URL, prefix="t_reuse_") as url:  # a test that adds to its schema...
        store = Store.open(url)
        try:
            with store.engine.begin() as conn:
                conn.exec_driver_sql("CREATE FUNCTION noop() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ "
                                     "LANGUAGE plpgsql")
                conn.exec_driver_sql("CREATE TRIGGER noop BEFORE INSERT ON activities FOR EACH ROW "
                                     "EXECUTE FUNCTION noop()")
        finally:
            store.close()
    with migrated_postgres(POSTGRES_URL, prefix="t_reuse_") as url:  # ...leaves it to be dropped, not reused
        assert schemas[0] not in url
