"""A Slack outage is logged once per transport, reminded at most once a minute, and its end is logged.

The transports send to the fake Slack API; the DeliveryLog's clock is injected, so minutes pass without sleeping.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.digest.sender import OutgoingDigest
from bot.slack.app import for_outbox
from bot.slack.digest_sender import SlackDigestTransport
from bot.slack.outbox_transport import SlackMessageTransport
from bot.store.db import Store
from bot.store.outbox import OutgoingMessage
from tests.fakes.slack_api import FakeSlackApi


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as api:
        yield api


def client(slack: FakeSlackApi) -> WebClient:
    return for_outbox(WebClient(token="xoxb-test", base_url=slack.base_url))  # the outbox's production client


def digest(n: int) -> OutgoingDigest:
    return OutgoingDigest(n, "2026-11-23T09:00", "person", f"U0PERSON{n:02d}", None, {"text": "your week"})


def test_a_slack_outage_of_150_tries_is_one_line_two_reminders_and_the_recovery(
    slack: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    transport = SlackDigestTransport(client(slack), clock=clock)
    slack.fail("chat.postMessage", "internal_error", times=150)
    with caplog.at_level(logging.INFO, logger="bot.slack"):
        for second in range(150):
            clock.now = float(second)
            assert not transport.send(digest(second % 7)).ok
        clock.now = 150.0
        assert transport.send(digest(1)).ok
        assert transport.send(digest(2)).ok
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "sending digests to Slack failed (digest person to U0PERSON00: internal_error); "
        "retrying quietly until it recovers",
        "sending digests to Slack still failing after 60 s (61 attempts): digest person to U0PERSON04: internal_error",
        "sending digests to Slack still failing after 120 s (121 attempts): "
        "digest person to U0PERSON01: internal_error",
        "sending digests to Slack recovered after 150 s (150 failed attempts)",
    ]
    assert all(r.exc_info is None for r in caplog.records)  # Slack's answer says it all: no tracebacks


def test_each_transport_has_its_own_outage_and_a_permanent_refusal_is_no_outage(
    slack: FakeSlackApi, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    digests = SlackDigestTransport(client(slack), clock=clock)
    messages = SlackMessageTransport(client(slack), store, clock=clock)
    dm = OutgoingMessage(1, "phrase_approval", "U0ANA0001", {"phrase_id": 1, "phrase": "who pages",
                                                              "activity": "On-call", "asker": "U0BO00001"})
    slack.fail("chat.postMessage", "account_inactive")  # this person's problem, not Slack's: the outbox reports it
    with caplog.at_level(logging.INFO, logger="bot.slack"):
        assert not digests.send(digest(1)).ok
        slack.fail("chat.postMessage", "service_unavailable", times=2)
        assert not digests.send(digest(2)).ok
        assert not messages.send(dm).ok
        assert messages.send(dm).ok
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3
    assert lines[0].startswith("sending digests to Slack failed (digest person to U0PERSON02: service_unavailable)")
    assert lines[1].startswith("sending outbox messages to Slack failed (outbox message 1 (phrase_approval)")
    assert lines[2] == "sending outbox messages to Slack recovered after 0 s (1 failed attempts)"
