"""Digests through Slack trouble, with the client the app and the CLI send with (`outbox_client`).

Time is a FakeTime: Retry-After, back-off and pacing pass at once; the outage is on that clock too.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.cli import main
from bot.digest.pacing import Pacer
from bot.digest.service import Digests
from bot.settings import Settings
from bot.slack.app import outbox_client
from bot.slack.blocks.digest import BlockKitRenderer
from bot.slack.digest_sender import SlackDigestTransport
from bot.store.db import Store
from tests.digest.fakes import DigestSlackApi, FakeTime
from tests.digest.org import CHANNEL, DEACTIVATED, PROFILES, with_history
from tests.fakes.slack_outage import OutageSlackApi


def production_client(base_url: str) -> WebClient:
    return outbox_client(Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": base_url}))


def digests(store: Store, client: WebClient, time: FakeTime) -> Digests:
    return Digests(store=store, transport=SlackDigestTransport(client), renderer=BlockKitRenderer(), directory=None,
                   pacer=Pacer(monotonic=time.monotonic, sleep=time.sleep), budget=None, late_limit=None)


@pytest.fixture
def time() -> FakeTime:
    return FakeTime(datetime.now(UTC) + timedelta(minutes=1))


def test_the_production_client_leaves_429s_to_the_outbox_which_waits_them_out(store: Store, time: FakeTime) -> None:
    with_history(store, time.now())
    with DigestSlackApi(profiles=PROFILES, limit_every=3, retry_after=7) as slack:
        report = digests(store, production_client(slack.base_url), time).run(time.now)
        assert report.sent.failed == 0 and report.pending == 0 and report.sent.sent == report.start.deliveries
        # every 429 reached the outbox (none was slept on inside the client, holding the lease)...
        assert report.sent.rate_limited == len(slack.limited) >= 2
        assert set(slack.delivered().values()) == {1}
    assert sum(1 for s in time.sleeps if s >= 7) >= len(slack.limited)  # ...and was waited out on our clock


def test_a_digest_survives_two_minutes_of_slack_errors(store: Store, time: FakeTime) -> None:
    with_history(store, time.now())
    with OutageSlackApi(down=lambda: time.elapsed < 120, profiles=PROFILES) as slack:
        report = digests(store, production_client(slack.base_url), time).run(time.now)
        assert len(slack.refused) >= 6  # the old sender gave up after 6 failures (~62 s)
        assert (report.sent.sent, report.sent.failed, report.pending) == (report.start.deliveries, 0, 0)
        delivered = Counter(c.params["channel"] for c in slack.calls("chat.postMessage"))
    assert delivered[CHANNEL] == 1 and set(delivered.values()) == {1} and len(delivered) == report.start.deliveries


def test_send_reports_a_permanent_failure_and_retry_failed_sends_it_once_fixed(
    cli_env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(cli_env)
    with_history(store, datetime.now(UTC) - timedelta(seconds=1))
    store.close()
    with DigestSlackApi(profiles=PROFILES, deactivated=DEACTIVATED) as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_API_URL", slack.base_url)
        slack.fail("chat.postMessage", "not_in_channel")  # the summary goes first; the bot was not invited
        assert main(["digest", "send"]) == 1
        out = capsys.readouterr().out
        assert "sent 5, failed 1" in out and f"not delivered: summary to {CHANNEL}: not_in_channel" in out
        assert "raci digest send --retry-failed" in out
        assert main(["digest", "send"]) == 1  # without the flag, nothing is sent again
        assert "sent 0, failed 0" in capsys.readouterr().out
        assert main(["digest", "send", "--retry-failed"]) == 0  # the bot has been invited
        out = capsys.readouterr().out
        assert "retrying 1 that failed; sent 1, failed 0" in out and "not delivered" not in out
        delivered = slack.delivered(digests_only=True)
    assert delivered.pop(CHANNEL) == 2 and set(delivered.values()) == {1}  # refused once, then taken once
