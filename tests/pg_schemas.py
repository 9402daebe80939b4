"""Throwaway PostgreSQL schemas: one per test (or benchmark run), so nothing shares state through the database."""

from __future__ import annotations

import atexit
import uuid
from functools import cache
from urllib.parse import quote

import sqlalchemy as sa


@cache
def admin_engine(base_url: str) -> sa.Engine:
    """One engine per process for creating and dropping schemas (never a store's engine)."""
    engine = sa.create_engine(base_url, pool_size=1, max_overflow=2)
    atexit.register(engine.dispose)
    return engine


def new_schema(base_url: str, *, prefix: str = "t_") -> tuple[str, str]:
    """Create an empty schema; return (its name, a URL whose search_path points at it)."""
    schema = prefix + uuid.uuid4().hex[:12]
    with admin_engine(base_url).begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    return schema, schema_url(base_url, schema)


def schema_url(base_url: str, schema: str) -> str:
    """A URL whose connections work in `schema` (their search_path)."""
    sep = "&" if "?" in base_url else "?"
    return base_url + sep + "options=" + quote(f"-csearch_path={schema}")


def drop_schema(base_url: str, schema: str) -> None:
    """Drop a schema made by new_schema, with everything in it."""
    with admin_engine(base_url).begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
