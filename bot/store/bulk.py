"""Bulk inserts in the caller's transaction: batched Core inserts, COPY on PostgreSQL for large batches."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import JSON, insert
from sqlalchemy.orm import Session

from bot.store import models as m

CHUNK = 5000  # rows per IN (...) list: keeps statements under SQLite's and psycopg's parameter limits


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


COPY_THRESHOLD = 2000  # rows from which PostgreSQL's COPY beats batched INSERTs


def insert_rows(session: Session, model: type[m.Base], rows: list[dict[str, Any]]) -> None:
    """Insert `rows` into `model`'s table in the session's transaction."""
    if not rows:
        return
    table = model.__table__
    if len(rows) >= COPY_THRESHOLD and session.get_bind().dialect.name == "postgresql":
        _copy(session, table, rows)
        return
    # Core inserts on the table: executemany straight to the driver, no ORM bookkeeping per row.
    for chunk in chunks(rows):
        session.execute(insert(table), list(chunk))


def _copy(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Bulk load with COPY on the session's own connection (same transaction)."""
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = session.connection().connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns and row[c] is not None else row[c]
                            for c in columns])
