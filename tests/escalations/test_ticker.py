"""The escalation policy end to end below Slack's edge: real store, real Web API client, fake Slack server.

The clock is the `now` each call is given, so timeouts are crossed without waiting.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.escalations import engine
from bot.escalations.policy import Policy
from bot.escalations.ticker import advance_due, deliver_pending, outbox, tick
from bot.ownership.index import Ownership
from bot.raci_file import load_yaml
from bot.slack.notifier import SlackNotifier
from bot.store.db import Store
from bot.store.outbox import SendReport
from tests.fakes.slack_api import FakeSlackApi
from tests.sessions import committed

ORG = """
people:
  - {handle: lena, name: Lena, slack_id: U0LENA001}
  - {handle: max, name: Max, slack_id: U0MAX0001}
  - {handle: raj, name: Raj, slack_id: U0RAJ0001}
  - {handle: ana, name: Ana, slack_id: U0ANA0001}
  - {handle: ivo, name: Ivo, slack_id: U0IVO0001}
  - {handle: ghost, name: Ghost, email: ghost@example.com}
roles:
  - {key: mle, name: ML Engineer, members: [lena, max]}
  - {key: mlops, name: MLOps Engineer, members: [raj]}
  - {key: ds, name: Data Scientist, members: [ana]}
  - {key: de, name: Data Engineer, members: [ivo]}
  - {key: qa, name: QA Engineer, members: []}
  - {key: ops, name: Ops, members: [ghost]}
activities:
  - {name: Docker packaging, raci: {R: [mle], A: [mlops], C: [ds], I: [de]}}
  - {name: Release testing, raci: {R: [qa], A: [mlops]}}
  - {name: Orphaned thing, raci: {R: [qa], A: [ops]}}
"""
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
POLICY = Policy(ack_timeout=timedelta(minutes=15), repeats=1)
REQUESTER = "U0ASKER01"


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        yield fake


@pytest.fixture
def notifier(slack: FakeSlackApi) -> SlackNotifier:
    return SlackNotifier(WebClient(token="xoxb-test", base_url=slack.base_url))


@pytest.fixture
def ownership() -> Ownership:
    doc, findings = load_yaml(ORG, source="org.yaml")
    assert not [f for f in findings if f.kind == "error"]
    return Ownership(doc)


def raise_one(store: Store, ownership: Ownership, activity: str = "Docker packaging", *,
              channel: str | None = "C0INCIDENT", policy: Policy = POLICY) -> engine.EscalationView:
    return committed(
        store, engine.raise_escalation, answer=ownership.answer_activity(activity),
        problem="image build fails on main", link=None,
        requester=REQUESTER, channel=channel, thread_ts="1700000000.000100", policy=policy, now=T0)


def dms(slack: FakeSlackApi, user: str) -> list:
    return slack.calls("chat.postMessage", lambda c: c.params.get("channel") == user)


def test_level_one_pages_every_responsible_and_posts_the_status(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    esc = raise_one(store, ownership)
    report = tick(store, notifier, now=T0)
    assert report.advanced == 1 and report.failed == 0
    for user in ("U0LENA001", "U0MAX0001"):
        (dm,) = dms(slack, user)
        text = dm.blocks_text()
        assert "image build fails on main" in text and f"<@{REQUESTER}>" in text and "Responsible" in text
        assert {"Acknowledge", "Resolve"} <= set(text.splitlines())
    assert dms(slack, "U0RAJ0001") == []  # the Accountable one waits for the timeout
    (status,) = slack.calls("chat.postMessage", lambda c: c.params.get("channel") == "C0INCIDENT")
    assert status.params["thread_ts"] == "1700000000.000100"
    assert "<@U0ANA0001>" in status.blocks_text()  # Consulted are mentioned where it was raised
    assert "goes to <@U0RAJ0001> (Accountable)" in status.blocks_text()
    assert committed(store, engine.get, escalation_id=esc.id).level == 1


def test_timeout_goes_to_accountable_then_repeats_then_unanswered(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    esc = raise_one(store, ownership)
    tick(store, notifier, now=T0)
    tick(store, notifier, now=T0 + timedelta(minutes=14))
    assert dms(slack, "U0RAJ0001") == []
    tick(store, notifier, now=T0 + timedelta(minutes=15))
    assert len(dms(slack, "U0RAJ0001")) == 1 and "Accountable" in dms(slack, "U0RAJ0001")[0].blocks_text()
    assert "level 2" in slack.calls("chat.update")[-1].blocks_text()
    tick(store, notifier, now=T0 + timedelta(minutes=30))  # round 2: R again
    assert len(dms(slack, "U0LENA001")) == 2
    tick(store, notifier, now=T0 + timedelta(minutes=45))  # round 2: A again
    assert len(dms(slack, "U0RAJ0001")) == 2
    assert dms(slack, REQUESTER) == []
    tick(store, notifier, now=T0 + timedelta(minutes=60))
    assert committed(store, engine.get, escalation_id=esc.id).status == "unanswered"
    (told,) = dms(slack, REQUESTER)
    assert "Nobody acknowledged" in told.params["text"]
    tick(store, notifier, now=T0 + timedelta(hours=5))
    assert len(slack.calls("chat.postMessage", lambda c: c.params.get("channel") != "C0INCIDENT")) == 7


def test_acknowledge_stops_the_clock_and_strangers_are_refused(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    esc = raise_one(store, ownership)
    tick(store, notifier, now=T0)
    refused = committed(store, engine.acknowledge, escalation_id=esc.id, by="U0STRANGE", now=T0 + timedelta(minutes=1))
    assert not refused.changed and "Only the Responsible or Accountable" in refused.message
    assert committed(store, engine.get, escalation_id=esc.id).status == "open"
    done = committed(store, engine.acknowledge, escalation_id=esc.id, by="U0MAX0001", now=T0 + timedelta(minutes=4))
    assert done.changed and done.escalation.status == "acknowledged"
    tick(store, notifier, now=T0 + timedelta(hours=1))
    assert dms(slack, "U0RAJ0001") == []  # never escalated to A
    assert "<@U0MAX0001> acknowledged" in dms(slack, REQUESTER)[0].params["text"]
    assert "Acknowledged by <@U0MAX0001> after 4 min" in slack.calls("chat.update")[-1].blocks_text()
    again = committed(store, engine.acknowledge, escalation_id=esc.id, by="U0LENA001", now=T0 + timedelta(minutes=5))
    assert not again.changed and "already acknowledged" in again.message


def test_resolve_tells_the_informed_once(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    esc = raise_one(store, ownership)
    tick(store, notifier, now=T0)
    informed = committed(store, engine.resolve, escalation_id=esc.id, by="U0IVO0001", now=T0)
    assert informed.changed is False  # Informed may not resolve
    assert committed(store, engine.resolve, escalation_id=esc.id, by="U0RAJ0001",
                     now=T0 + timedelta(minutes=2)).changed
    tick(store, notifier, now=T0 + timedelta(minutes=3))
    tick(store, notifier, now=T0 + timedelta(minutes=30))
    (fyi,) = dms(slack, "U0IVO0001")
    assert fyi.params["text"].startswith("FYI") and "resolved by <@U0RAJ0001>" in fyi.params["text"]
    assert committed(store, engine.get, escalation_id=esc.id).status == "resolved"


def test_requester_can_cancel_but_not_acknowledge(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    esc = raise_one(store, ownership)
    tick(store, notifier, now=T0)
    assert not committed(store, engine.acknowledge, escalation_id=esc.id, by=REQUESTER, now=T0).changed
    assert not committed(store, engine.cancel, escalation_id=esc.id, by="U0LENA001", now=T0).changed
    outcome = committed(store, engine.cancel, escalation_id=esc.id, by=REQUESTER, now=T0 + timedelta(minutes=1))
    assert outcome.changed and outcome.escalation.status == "resolved"
    assert any("cancelled" in n for n in outcome.escalation.notes)


def test_vacant_responsible_skips_to_accountable_at_once(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    esc = raise_one(store, ownership, "Release testing")
    tick(store, notifier, now=T0)
    assert len(dms(slack, "U0RAJ0001")) == 1
    view = committed(store, engine.get, escalation_id=esc.id)
    assert view.level == 2 and any("level 1 skipped" in n for n in view.notes)
    (status,) = slack.calls("chat.postMessage", lambda c: c.params.get("channel") == "C0INCIDENT")
    assert "level 1 skipped: no Responsible holder to page" in status.blocks_text()


def test_nobody_to_page_is_unanswered_straight_away(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    esc = raise_one(store, ownership, "Orphaned thing")
    tick(store, notifier, now=T0)
    view = committed(store, engine.get, escalation_id=esc.id)
    assert view.status == "unanswered" and "nobody to page" in view.notes
    assert slack.calls("chat.postMessage", lambda c: c.params.get("channel", "").startswith("U")) == []


def test_slack_failures_are_retried_or_recorded_and_never_stop_others(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    first = raise_one(store, ownership, channel=None)
    second = raise_one(store, ownership, "Release testing", channel=None)
    slack.fail("chat.postMessage", "account_inactive", times=1)  # lena left: permanent
    slack.rate_limit("chat.postMessage", times=3, retry_after=1)  # then Slack says slow down
    report = tick(store, notifier, now=T0)
    assert report.advanced == 2
    tick(store, notifier, now=T0 + timedelta(seconds=30))
    tick(store, notifier, now=T0 + timedelta(minutes=2))
    delivered = Counter(c.params["channel"] for c in slack.calls("chat.postMessage"))
    assert delivered["U0MAX0001"] >= 1 and delivered["U0RAJ0001"] >= 1
    assert any("could not reach <@U0LENA001>" in n for n in committed(store, engine.get, escalation_id=first.id).notes)
    assert committed(store, engine.get, escalation_id=second.id).level == 2


def test_a_crash_between_claim_and_send_loses_nothing(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    raise_one(store, ownership, channel=None)
    advance_due(store, now=T0)
    claimed = outbox(store, notifier).claim(now=T0, batch=50)  # this "process" dies before sending
    assert len(claimed) == 2
    assert deliver_pending(store, notifier, now=T0 + timedelta(seconds=10)) == SendReport()  # still leased
    assert deliver_pending(store, notifier, now=T0 + timedelta(seconds=61)) == SendReport(sent=2)
    assert deliver_pending(store, notifier, now=T0 + timedelta(seconds=200)) == SendReport()
    assert sorted(c.params["channel"] for c in slack.calls("chat.postMessage")) == ["U0LENA001", "U0MAX0001"]


@pytest.mark.parametrize("tickers", [4])
def test_concurrent_tickers_send_each_notification_once(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier, tickers: int
) -> None:
    for _ in range(15):
        raise_one(store, ownership, channel=None)
    barrier = threading.Barrier(tickers)
    errors: list[BaseException] = []

    def run(at: datetime) -> None:
        try:
            barrier.wait()
            tick(store, notifier, now=at)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    for at in (T0, T0 + timedelta(minutes=15)):
        threads = [threading.Thread(target=run, args=(at,)) for _ in range(tickers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    sent = Counter(c.params["channel"] for c in slack.calls("chat.postMessage"))
    assert sent == {"U0LENA001": 15, "U0MAX0001": 15, "U0RAJ0001": 15}


def test_a_status_change_while_the_first_status_post_is_in_flight_is_not_posted_twice(
    store: Store, ownership: Ownership, slack: FakeSlackApi, notifier: SlackNotifier
) -> None:
    esc = raise_one(store, ownership)
    advance_due(store, now=T0)
    first = outbox(store, notifier)
    in_flight = [c for c in first.claim(now=T0, batch=50) if c.message.kind == "status"]
    assert len(in_flight) == 1  # one ticker is posting the first status message...
    # ...when it changes
    committed(store, engine.acknowledge, escalation_id=esc.id, by="U0MAX0001", now=T0 + timedelta(seconds=1))
    deliver_pending(store, notifier, now=T0 + timedelta(seconds=2))
    assert slack.calls("chat.postMessage", lambda c: c.params.get("channel") == "C0INCIDENT") == []
    first.send(in_flight[0], clock=lambda: T0 + timedelta(seconds=3), report=SendReport())  # lands, ts recorded
    deliver_pending(store, notifier, now=T0 + timedelta(seconds=4))
    posts = slack.calls("chat.postMessage", lambda c: c.params.get("channel") == "C0INCIDENT")
    updates = slack.calls("chat.update", lambda c: c.params.get("channel") == "C0INCIDENT")
    assert len(posts) == 1 and len(updates) == 1
    assert "Acknowledged by <@U0MAX0001>" in updates[0].blocks_text()
