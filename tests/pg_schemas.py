"""Throwaway PostgreSQL schemas: one per test (or benchmark run), so nothing shares state through the database."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import sqlalchemy as sa


def new_schema(base_url: str, *, prefix: str = "t_") -> tuple[str, str]:
    """Create an empty schema; return (its name, a URL whose search_path points at it)."""
    schema = prefix + uuid.uuid4().hex[:12]
    engine = sa.create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base_url else "?"
    return schema, base_url + sep + "options=" + quote(f"-csearch_path={schema}")


def drop_schema(base_url: str, schema: str) -> None:
    """Drop a schema made by new_schema, with everything in it."""
    engine = sa.create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()
