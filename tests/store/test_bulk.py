"""Bulk writes: ids reserved ahead, COPY in the background on PostgreSQL, JSON written as json.dumps writes it."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError

from bot.store import models as m
from bot.store.batching import ROW_BATCH
from bot.store.bulk import insert_rows, reserve_ids, to_json
from bot.store.db import Store

COLUMNS = ("id", "name", "name_key", "aliases", "position")


def rows(ids: list[int], prefix: str = "a") -> list[tuple[Any, ...]]:
    return [(i, f"{prefix}{i}", f"{prefix}{i}", [f"alias {i}"] if i % 2 else [], i) for i in ids]


def test_reserved_ids_are_new_and_never_handed_out_again(store: Store) -> None:
    with store.session() as session:
        insert_rows(session, m.Activity.__table__, COLUMNS[1:], [("first", "first", [], 0)])
        first = session.scalar(select(m.Activity.id))
        ids = reserve_ids(session, m.Activity.__table__, 3)
        assert len(set(ids)) == 3 and first not in ids
        insert_rows(session, m.Activity.__table__, COLUMNS, rows(ids))
        # a row inserted the ordinary way afterwards gets none of them
        session.execute(insert(m.Activity).values(name="later", name_key="later", aliases=[], position=9))
        later = session.scalar(select(m.Activity.id).where(m.Activity.name == "later"))
    assert later not in ids
    assert activity_count(store) == 5


def activity_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(m.Activity)) or 0


def test_rows_written_in_batches_are_all_read_by_the_next_statement(store: Store) -> None:
    with store.session() as session:
        ids = reserve_ids(session, m.Activity.__table__, 2 * ROW_BATCH + 1)
        insert_rows(session, m.Activity.__table__, COLUMNS, rows(ids))
        assert session.scalar(select(func.count()).select_from(m.Activity)) == 2 * ROW_BATCH + 1
        odd = next(i for i in ids[ROW_BATCH:] if i % 2)  # one with an alias, past the first batch
        assert session.scalar(select(m.Activity.aliases).where(m.Activity.id == odd)) == [f"alias {odd}"]
    assert activity_count(store) == 2 * ROW_BATCH + 1


def test_a_failed_background_copy_is_raised_and_rolls_back_the_transaction(store: Store) -> None:
    with pytest.raises((DBAPIError, psycopg.Error)), store.session() as session:
        ids = reserve_ids(session, m.Activity.__table__, 3)
        insert_rows(session, m.Activity.__table__, COLUMNS, rows(ids))
        insert_rows(session, m.Activity.__table__, COLUMNS, rows(ids, prefix="b"))  # the same ids again
        session.execute(select(m.Activity.id))  # the next statement reports the failed COPY
    assert activity_count(store) == 0
    with store.session() as session:  # the connection is usable again: nothing is left waiting on it
        insert_rows(session, m.Activity.__table__, COLUMNS, rows(reserve_ids(session, m.Activity.__table__, 2)))
    assert activity_count(store) == 2


def test_an_error_in_the_caller_abandons_the_queued_copies(store: Store) -> None:
    with pytest.raises(KeyError), store.session() as session:
        insert_rows(session, m.Activity.__table__, COLUMNS, rows(reserve_ids(session, m.Activity.__table__, 3)))
        raise KeyError("the caller failed before committing")
    assert activity_count(store) == 0


@pytest.mark.parametrize("value", [
    None, [], ["a", "é"], {"name": "x", "raci": {"R": ["r1"]}, "escalation": None}, "text\n\"quoted\"",
    1, 2.5, True, {"n": float("nan")}, {"nested": [{"deep": [1, None]}]},
])
def test_json_is_written_as_json_dumps_writes_it(value: Any) -> None:
    assert to_json(value) == (None if value is None else json.dumps(value))


def test_json_keys_it_cannot_take_become_text() -> None:
    assert to_json({(1, 2): "pair"}) == json.dumps({"(1, 2)": "pair"})
