"""The outbox's retry rule for pages: Slack incidents are waited out until the deadline; permanent errors fail.

Time is the `now` each tick is given, and the fake Slack API is down by that same clock: no sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.cli_output import escalations_text
from bot.escalations import engine as service
from bot.escalations.ticker import tick
from bot.ownership.index import Ownership
from bot.raci_file import load_yaml
from bot.slack.app import for_outbox
from bot.slack.notifier import SlackNotifier
from bot.store.db import Store
from tests.escalations.test_ticker import ORG, T0, dms, raise_one
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_outage import OutageSlackApi
from tests.sessions import committed


@pytest.fixture
def ownership() -> Ownership:
    return Ownership(load_yaml(ORG, source="org.yaml")[0])


class Clock:
    def __init__(self) -> None:
        self.now = T0


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outage(clock: Clock) -> Iterator[OutageSlackApi]:
    with OutageSlackApi(down=lambda: clock.now < T0 + timedelta(minutes=5)) as fake:
        yield fake


def notifier_for(slack: FakeSlackApi) -> SlackNotifier:
    # the production client configuration: what the ticker sends with
    return SlackNotifier(for_outbox(WebClient(token="xoxb-test", base_url=slack.base_url)))


def test_a_five_minute_slack_outage_delays_the_page_and_never_loses_or_repeats_it(
    store: Store, ownership: Ownership, outage: OutageSlackApi, clock: Clock
) -> None:
    esc = raise_one(store, ownership, channel=None)
    notifier = notifier_for(outage)
    waiting = []
    while clock.now <= T0 + timedelta(minutes=12):  # the app ticks every 10 s; level 2 is due at 15 min
        report = tick(store, notifier, now=clock.now)
        waiting.append(report.waiting)
        if clock.now == T0 + timedelta(minutes=2):
            (listed,) = committed(store, service.list_escalations)
            shown = escalations_text([listed])
            assert "page to <@U0LENA001> waiting for Slack (http_503), next try 09:0" in shown
        clock.now += timedelta(seconds=10)
    assert len(outage.refused) >= 2 and any(waiting)
    assert len(dms(outage, "U0LENA001")) == 1 and len(dms(outage, "U0MAX0001")) == 1
    (listed,) = committed(store, service.list_escalations)
    assert listed.deliveries == () and listed.status == "open" and listed.id == esc.id
    assert "could not reach" not in " ".join(listed.notes)


def test_a_permanent_error_fails_the_page_and_is_reported(store: Store, ownership: Ownership) -> None:
    with FakeSlackApi() as slack:
        esc = raise_one(store, ownership, channel=None)
        slack.fail("chat.postMessage", "account_inactive", times=1)  # lena left
        report = tick(store, notifier_for(slack), now=T0)
        assert (report.sent, report.failed) == (1, 1)
        tick(store, notifier_for(slack), now=T0 + timedelta(minutes=10))
        assert len(slack.calls("chat.postMessage", lambda c: c.params["channel"] == "U0LENA001")) == 1  # no retry
    (listed,) = committed(store, service.list_escalations)
    assert "page to <@U0LENA001> failed: account_inactive" in escalations_text([listed])
    assert "could not reach <@U0LENA001>: account_inactive" in committed(store, service.get, escalation_id=esc.id).notes


def test_a_page_is_given_up_at_its_deadline_with_the_reason(store: Store, ownership: Ownership) -> None:
    with OutageSlackApi(down=lambda: True) as slack:  # Slack never comes back
        raise_one(store, ownership, "Release testing", channel=None)
        notifier = notifier_for(slack)
        at: datetime = T0
        ticks = 0
        while at <= T0 + timedelta(hours=25, minutes=10):  # the last page goes out at 60 min: its deadline is 25 h
            tick(store, notifier, now=at)
            ticks += 1
            # every 5 minutes for the first hour (the escalation's steps), then every 20 (the back-off's cap is 5)
            at += timedelta(minutes=5 if at < T0 + timedelta(hours=1) else 20)
        tries = len(slack.refused)
        tick(store, notifier, now=at + timedelta(hours=1))
        assert len(slack.refused) == tries  # nothing left to try
    (listed,) = committed(store, service.list_escalations)
    (page,) = [d for d in listed.deliveries if d.recipient == "U0RAJ0001" and d.kind == "page"][:1]
    assert page.state == "failed" and "still failing at the deadline (2026-11-27 09:00 UTC)" in page.error
    assert tries <= 5 * ticks  # 5 messages, each tried at most once a pass: no hot loop
