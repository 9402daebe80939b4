"""The schema comes only from Alembic: a database of any age reaches head, and models match migrations."""

from __future__ import annotations

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
