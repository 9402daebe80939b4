"""Databases at the newest schema for tests, without running Alembic for each test.

Alembic runs once per test process: SQLite migrates a template file that each test copies; PostgreSQL
renders the migrations as one SQL script (Alembic's offline mode) that a new schema runs in one round trip.
Either way the schema is exactly what `alembic upgrade head` makes (tests/store/test_migrations.py compares
them with a database Alembic migrated online, and `alembic check` runs in CI).

A PostgreSQL schema a test used is emptied afterwards (every row deleted, sequences restarted) and handed to the
next test of the same process, which cannot tell it from a new one; a schema that cannot be emptied cleanly
(locks held too long, tables changed) is dropped instead.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from bot.store.db import Store, alembic_config, schema_head
from bot.store.models import Base
from tests.pg_schemas import admin_engine, drop_schema, new_schema, schema_url


@cache
def _sqlite_template() -> Path:
    directory = Path(tempfile.mkdtemp(prefix="raci-template-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    path = directory / "raci.db"
    Store.open(f"sqlite:///{path}").close()  # the last connection closing folds the WAL into the file
    return path


def migrated_sqlite(path: Path) -> None:
    """Make `path` a SQLite file at head (in WAL mode, as Store.open leaves it)."""
    shutil.copyfile(_sqlite_template(), path)


@cache
def _postgres_script(base_url: str) -> str:
    cfg = alembic_config(base_url)
    cfg.output_buffer = io.StringIO()
    # migrations/env.py reads the URL of offline mode from the environment, as the `alembic` command does
    with _environment(DATABASE_URL=base_url):
        command.upgrade(cfg, "head", sql=True)
    return cfg.output_buffer.getvalue()


def migrate_postgres_schema(base_url: str, schema: str) -> None:
    """Bring the empty `schema` to head in one round trip."""
    script = _postgres_script(base_url)
    raw = admin_engine(base_url).raw_connection()
    try:
        with raw.cursor() as cursor:
            # no parameters: psycopg sends the whole script as one simple query
            cursor.execute(f'SET search_path TO "{schema}";\n{script}\nRESET search_path;')
        raw.commit()
    finally:
        raw.close()


_emptied: dict[str, list[str]] = {}  # base URL -> schemas at head with no rows, for the next test of this process


@contextlib.contextmanager
def migrated_postgres(base_url: str, *, prefix: str) -> Iterator[str]:
    """A URL of a PostgreSQL schema of its own at head with no rows, for as long as the block runs."""
    ready = _emptied.setdefault(base_url, [])
    if ready:
        schema = ready.pop()
    else:
        schema, _ = new_schema(base_url, prefix=prefix)
        migrate_postgres_schema(base_url, schema)
    try:
        yield schema_url(base_url, schema)
    finally:
        if _empty(base_url, schema):
            ready.append(schema)
        else:
            drop_schema(base_url, schema)


# children before parents, so deleting never trips a foreign key
_TABLES = [table.name for table in reversed(Base.metadata.sorted_tables)]

# everything a test could have added to its schema: relations (tables, indexes, sequences, views), functions,
# triggers, types
_OBJECTS = sa.text("""
    SELECT 'relation ' || c.relkind::text || ' ' || c.relname FROM pg_class c
        WHERE c.relnamespace = CAST(:s AS regnamespace)
    UNION ALL SELECT 'function ' || p.proname FROM pg_proc p WHERE p.pronamespace = CAST(:s AS regnamespace)
    UNION ALL SELECT 'trigger ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = CAST(:s AS regnamespace) AND NOT t.tgisinternal
    UNION ALL SELECT 'type ' || y.typname FROM pg_type y WHERE y.typnamespace = CAST(:s AS regnamespace)
""")


def _objects(conn: sa.Connection, schema: str) -> list[str]:
    return sorted(conn.scalars(_OBJECTS, {"s": schema}))


@cache
def _objects_at_head(base_url: str) -> tuple[str, ...]:
    """What the script makes in a new schema (names of its own objects do not depend on the schema's name)."""
    schema, _ = new_schema(base_url, prefix="t_shape_")
    try:
        migrate_postgres_schema(base_url, schema)
        with admin_engine(base_url).connect() as conn:
            return tuple(_objects(conn, schema))
    finally:
        drop_schema(base_url, schema)


def _empty(base_url: str, schema: str) -> bool:
    """Delete every row and restart every sequence of `schema`; False when it is not as the script made it."""
    expected = _objects_at_head(base_url)
    try:
        with admin_engine(base_url).begin() as conn:
            conn.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
            version = conn.scalar(sa.text(f'SELECT version_num FROM "{schema}".alembic_version'))
            if tuple(_objects(conn, schema)) != expected or version != schema_head():
                return False
            for table in _TABLES:
                conn.execute(sa.text(f'DELETE FROM "{schema}"."{table}"'))
            conn.execute(sa.text("SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false) "
                                 "FROM pg_sequences WHERE schemaname = :s"), {"s": schema})
    except sa.exc.DBAPIError:
        return False
    return True


def _drop_emptied() -> None:
    for base_url, schemas in _emptied.items():
        for schema in schemas:
            with contextlib.suppress(sa.exc.DBAPIError):
                drop_schema(base_url, schema)


atexit.register(_drop_emptied)


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
