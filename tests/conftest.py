"""Fixtures shared by every test: a fresh store per test, on SQLite and on PostgreSQL.

PostgreSQL tests run where RACI_TEST_POSTGRES_URL points at a server (`.ci/run` sets it);
each test gets a schema of its own, with no rows from any other test. A test's database starts at the
newest schema (tests/migrated.py: Alembic runs once per process, not once per test, and a used PostgreSQL
schema is emptied for the next test); `empty_db_url` is for the tests of migrating itself.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.store.db import Store
from tests.migrated import migrated_postgres, migrated_sqlite
from tests.pg_schemas import drop_schema, new_schema

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POSTGRES_URL = os.environ.get("RACI_TEST_POSTGRES_URL", "").strip()
POSTGRES_REQUIRED = os.environ.get("RACI_TEST_POSTGRES_REQUIRED", "") == "1"


def _postgres_unavailable() -> str | None:
    if not POSTGRES_URL:
        return "PostgreSQL tests are off: set RACI_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError as exc:
        reason = f"PostgreSQL at {POSTGRES_URL} is not reachable: {str(exc.orig).strip().splitlines()[0]}"
        if POSTGRES_REQUIRED:
            pytest.fail(reason)
        return reason
    return None


@pytest.fixture(scope="session")
def postgres_skip_reason() -> str | None:
    return _postgres_unavailable()


@contextlib.contextmanager
def fresh_database(kind: str, directory: Path, skip_reason: str | None, *, migrated: bool = True) -> Iterator[str]:
    """A URL of a database of its own, at the newest schema with no rows (or `migrated=False`: empty):
    a SQLite file in `directory`, or a PostgreSQL schema (emptied for reuse or dropped after)."""
    if kind == "sqlite":
        path = directory / "raci.db"
        if migrated:
            migrated_sqlite(path)
        yield f"sqlite:///{path}"
        return
    if skip_reason:
        pytest.skip(skip_reason)
    # the xdist worker's id in the name tells whose a leftover schema was
    prefix = f"t_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_"
    if migrated:
        with migrated_postgres(POSTGRES_URL, prefix=prefix) as url:
            yield url
        return
    schema, url = new_schema(POSTGRES_URL, prefix=prefix)
    try:
        yield url
    finally:
        drop_schema(POSTGRES_URL, schema)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_skip_reason: str | None) -> Iterator[str]:
    """A URL of a database at the newest schema, with no rows, for one test, on each backend."""
    with fresh_database(request.param, tmp_path, postgres_skip_reason) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_skip_reason: str | None) -> Iterator[str]:
    """A URL of an empty database (no schema yet) for one test, on each backend: for tests of migrating."""
    with fresh_database(request.param, tmp_path, postgres_skip_reason, migrated=False) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A store at the newest schema, with no rows."""
    s = Store.open(db_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point the CLI at the test database and run it from an empty directory."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("RACI_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    return db_url
