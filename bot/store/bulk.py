"""Insert many rows fast, in the caller's transaction: COPY on PostgreSQL, executemany elsewhere.

Rows are tuples in the order of `columns`, so a batch of 10,000 costs tuples rather than dicts,
and they bypass the ORM and SQLAlchemy's per-row parameter handling (most of an import's time).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session

from bot.store.batching import IN_LIST, ROW_BATCH

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
    """COPY on the session's own connection (same transaction); JSON columns go as JSON text."""
    json_at = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = session.connection().connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            if json_at:
                values = list(row)
                for i in json_at:
                    values[i] = to_json(values[i])
                copy.write_row(values)
            else:
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
