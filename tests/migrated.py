"""Databases at the newest schema for tests, without running Alembic for each test.

Alembic runs once per test process: SQLite migrates a template file that each test copies; PostgreSQL
renders the migrations as one SQL script (Alembic's offline mode) that each test's fresh schema runs in
one round trip. Either way the schema is exactly what `alembic upgrade head` makes (tests in
tests/store/test_migrations.py still migrate online, and `alembic check` runs in CI).
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

from alembic import command

from bot.store.db import Store, alembic_config
from tests.pg_schemas import admin_engine


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
