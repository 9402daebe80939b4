"""The app's ticker runs escalations and the digest in one pass; without a digest it works as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient

from bot.digest.pacing import Pacer
from bot.runtime.ticker import Ticker
from bot.slack.digest_sender import slack_digests
from bot.slack.notifier import SlackNotifier
from bot.store.db import Store
from tests.digest.fakes import DigestSlackApi, FakeTime
from tests.digest.org import DEACTIVATED, PROFILES, with_history


def test_one_pass_pages_then_sends_the_digest(store: Store) -> None:
    time = FakeTime(datetime.now(UTC) + timedelta(minutes=1))
    with_history(store, time.now())
    with DigestSlackApi(profiles=PROFILES, deactivated=DEACTIVATED) as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)
        digests = slack_digests(store, client, pacer=pacer)
        digests.late_limit = None
        plain = Ticker(store, SlackNotifier(client), clock=time.now).run_once()
        assert plain.digest is None and plain.sent == 6  # the week's pages and notes, delivered late
        summary = Ticker(store, SlackNotifier(client), clock=time.now, digests=digests).run_once()
        assert summary.advanced == 0 and summary.digest is not None
        assert summary.digest.start.status == "started" and summary.digest.sent.sent == 6
        assert "sent 6, failed 0" in str(summary.digest)



def test_a_stopped_digest_prepares_but_leaves_the_sending_to_the_next_pass(store: Store) -> None:
    time = FakeTime(datetime.now(UTC) + timedelta(minutes=1))
    with_history(store, time.now())
    with DigestSlackApi(profiles=PROFILES, deactivated=DEACTIVATED) as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        digests = slack_digests(store, client, pacer=Pacer(monotonic=time.monotonic, sleep=time.sleep))
        digests.late_limit = None
        stopped = digests.run(time.now, stop=lambda: True)  # the app is shutting down
        assert (stopped.start.status, stopped.sent.sent, stopped.pending) == ("started", 0, 6)
        assert slack.delivered(digests_only=True) == {}
        resumed = digests.run(time.now)
        assert (resumed.start.status, resumed.sent.sent, resumed.pending) == ("exists", 6, 0)
