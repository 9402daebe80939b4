"""Event ids are remembered in the store: the first delivery is new, any later one is not; old ids go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.slack.dedup import event_id_of
from bot.store.db import Store
from bot.store.slack_events import Deduplicator, prune_events, remember_event


def test_first_time_only_once_even_across_instances(store: Store) -> None:
    replica_a, replica_b = Deduplicator(store), Deduplicator(store)
    assert replica_a.first_time("Ev1") is True
    assert replica_b.first_time("Ev1") is False
    assert replica_a.first_time("Ev1") is False
    assert replica_b.first_time("Ev2") is True


def test_prune_forgets_only_old_events(store: Store) -> None:
    now = datetime.now(UTC)
    with store.session() as session:
        assert remember_event(session, event_id="old", now=now - timedelta(days=2))
        assert remember_event(session, event_id="new", now=now)
    assert Deduplicator(store).prune() == 1
    with store.session() as session:
        assert remember_event(session, event_id="old") is True
        assert remember_event(session, event_id="new") is False
        assert prune_events(session, before=now - timedelta(days=3)) == 0


def test_only_event_callbacks_carry_an_event_id() -> None:
    assert event_id_of({"type": "event_callback", "event_id": "Ev9"}) == "Ev9"
    assert event_id_of({"type": "block_actions", "event_id": "x"}) is None
    assert event_id_of({"command": "/raci"}) is None
