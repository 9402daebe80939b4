"""Insert many rows fast, in the caller's transaction: COPY on PostgreSQL (in the background), executemany elsewhere.

Rows are tuples in the order of `columns`, so a batch of 10,000 costs tuples rather than dicts,
and they bypass the ORM and SQLAlchemy's per-row parameter handling (most of an import's time).
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import JSON, Table, func, select, text
from sqlalchemy.orm import Session

from bot.store.batching import IN_LIST, ROW_BATCH
from bot.store.copy_worker import copy_in_background

Row = tuple[Any, ...]


def batches(items: Iterable[Any], size: int = IN_LIST) -> Iterator[list[Any]]:
    """`items` in lists of at most `size`."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def insert_rows(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """Insert `rows` (tuples of Python values in `columns` order) into `table`."""
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        _copy(session, table, columns, rows)
        return
    processors = _processors(table, columns, dialect)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
    connection = session.connection()
    converted = [(i, p) for i, p in enumerate(processors) if p is not None]
    for batch in batches(rows, ROW_BATCH):
        if converted:
            batch = [_converted(row, converted) for row in batch]
        connection.exec_driver_sql(sql, batch)


def _converted(row: Row, processors: list[tuple[int, Callable[[Any], Any]]]) -> Row:
    values = list(row)
    for i, process in processors:
        values[i] = process(values[i])
    return tuple(values)


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` new ids for `table`'s rows, to insert them with: nobody else is given them.

    PostgreSQL takes them from the id column's sequence. SQLite gives a new row the largest id
    plus one, so these follow the largest id: the caller holds the write lock (imports do).
    """
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # the sequence looked up once: pg_get_serial_sequence per id costs 6x as much as nextval
        sequence = session.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name})
        query = text("SELECT nextval(CAST(:sequence AS regclass)) FROM generate_series(1, :n)")
        return list(session.scalars(query, {"sequence": sequence, "n": count}))
    largest = session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
    return list(range(largest + 1, largest + 1 + count))


def _processors(table: Table, columns: Sequence[str], dialect: Any) -> list[Callable[[Any], Any] | None]:
    """Each column's conversion to what the driver stores (JSON text, SQLite's datetime text, ...)."""
    result: list[Callable[[Any], Any] | None] = []
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, JSON):
            result.append(to_json)
        else:
            result.append(column_type.dialect_impl(dialect).bind_processor(dialect))
    return result


def _copy(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """COPY on the session's own connection (same transaction), in the background; JSON columns go as JSON text."""
    json_at = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'COPY "{table.name}" ({names}) FROM STDIN'
    json_processors: list[tuple[int, Callable[[Any], Any]]] = [(i, to_json) for i in json_at]
    for batch in batches(rows, ROW_BATCH):
        if json_at:
            batch = [_converted(row, json_processors) for row in batch]
        copy_in_background(session, functools.partial(_copy_rows, sql, batch))


def _copy_rows(sql: str, rows: list[Row], dbapi_connection: Any) -> None:
    with dbapi_connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def to_json(value: Any) -> str | None:
    """JSON text of a value (as json.dumps writes it); None stays SQL NULL. Keys that JSON cannot take become text."""
    if value is None:
        return None
    if value == []:
        return "[]"  # most aliases and channels
    try:
        return _encode(value)
    except TypeError:  # e.g. a tuple as a key: rare, so only then is the value copied
        return json.dumps(_jsonable(value))


def _encoder() -> Callable[[Any], str]:
    """json.dumps with its default options, without building an encoder per value (3x faster on an audit row)."""
    make = getattr(json.encoder, "c_make_encoder", None)  # CPython's accelerator, as json.dumps uses it
    if make is None:  # no C accelerator: the documented way
        return json.JSONEncoder(check_circular=False).encode
    chunks = make(None, json.JSONEncoder().default, json.encoder.encode_basestring_ascii, None, ": ", ", ",
                  False, False, True)
    return lambda value: "".join(chunks(value, 0))


_encode = _encoder()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
