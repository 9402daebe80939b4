"""Review periods, confirmations and stale ownership, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.ownership.matrix import load_ownership
from bot.raci_file import load_yaml
from bot.review.job import run_review
from bot.review.periods import period_at
from bot.review.store import confirm, last_confirmations, stale
from bot.store.db import Store
from bot.store.outbox_models import OutboxMessage
from bot.store.people_models import ReviewRun
from bot.store.sync import write_document

ORG = """
people:
  - {handle: bo, name: Bo Boss, slack_id: U0BO00001}
roles:
  - {key: lead, name: Lead, members: [bo]}
activities:
  - {name: Alpha, raci: {R: [lead], A: [lead]}}
  - {name: Beta, raci: {R: [lead], A: [lead]}}
  - {name: Gamma, raci: {R: [lead], A: [lead]}}
  - {name: Delta, raci: {R: [lead], A: [lead]}}
settings:
  review: {every: 90d}
"""
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
EVERY = timedelta(days=90)


def load(store: Store) -> None:
    doc, findings = load_yaml(ORG, source="org.yaml")
    assert not [f for f in findings if f.kind == "error"], findings
    with store.session() as session:
        write_document(session, doc, actor="test", source="org.yaml")


def test_periods_are_the_same_for_every_replica_and_move_on_after_every() -> None:
    first = period_at(EVERY, NOW)
    assert first.start <= NOW < first.start + EVERY
    assert period_at(EVERY, first.start) == first == period_at(EVERY, first.start + EVERY - timedelta(seconds=1))
    assert period_at(EVERY, first.start + EVERY).start == first.start + EVERY


def test_stale_lists_what_nobody_confirmed_for_more_than_a_period_oldest_first(store: Store) -> None:
    load(store)
    previous = period_at(EVERY, NOW).previous_start
    with store.session() as session:
        session.add(ReviewRun(period="long ago", created_at=previous - timedelta(days=100), recipients=1))
        confirm(session, activities=["Beta"], handle="bo", now=previous - timedelta(days=10))
        confirm(session, activities=["Alpha"], handle="bo", now=previous - timedelta(days=30))
        confirm(session, activities=["Delta"], handle="bo", now=previous - timedelta(days=40))
        confirm(session, activities=["Delta"], handle="bo", now=NOW - timedelta(days=1))  # the latest counts
    with store.session() as session:
        ownership = load_ownership(session=session)
        found = stale(session, ownership, now=NOW)
        last = {c.activity: c for c in last_confirmations(session, ownership)}
    assert [c.activity for c in found] == ["Gamma", "Alpha", "Beta"]  # never confirmed: since reviews began
    assert last["Delta"].at == NOW - timedelta(days=1) and last["Gamma"].at is None


def test_a_period_is_claimed_once_and_asks_only_for_what_is_unconfirmed(store: Store) -> None:
    load(store)
    with store.session() as session:
        confirm(session, activities=["Alpha", "Beta"], handle="bo", now=period_at(EVERY, NOW).start)
    started = run_review(store, now=NOW)
    assert (started.status, started.recipients) == ("started", 1)
    assert run_review(store, now=NOW + timedelta(days=1)).status == "exists"
    with store.session() as session:
        [row] = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "review_request"))
        assert [a["name"] for a in row.payload["activities"]] == ["Gamma", "Delta"]
        assert row.recipient == "U0BO00001"
    assert run_review(store, now=NOW + EVERY).status == "started"  # the next period asks again
