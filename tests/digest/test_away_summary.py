"""The digest summary names who is away and which R/A holdings nobody covers meanwhile."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient

from bot.away.store import set_away
from bot.store.db import Store
from tests.digest.fakes import DigestSlackApi, FakeTime
from tests.digest.org import CHANNEL, with_history
from tests.digest.test_runs import client, digests, posts, slack, time  # noqa: F401 - the shared fixtures
from tests.slack.block_kit import check_message


def test_summary_lists_who_is_away_and_what_nobody_covers(
    store: Store, slack: DigestSlackApi, client: WebClient, time: FakeTime  # noqa: F811
) -> None:
    with_history(store, time.now())
    with store.session() as session:
        # lena is one of two ML Engineers and has a delegate; raj alone holds MLOps and leaves no one
        set_away(session, handle="lena", until=time.now() + timedelta(days=5), delegate="max", actor="lena",
                 now=time.now())
        set_away(session, handle="raj", until=time.now() + timedelta(days=9), delegate=None, actor="raj",
                 now=time.now())
        set_away(session, handle="ana", until=time.now() - timedelta(days=1), delegate=None, actor="ana",
                 now=time.now() - timedelta(days=3))  # over: not listed
    digests(store, client, time).run(time.now)
    (summary,) = posts(slack, CHANNEL)
    check_message(summary.params["text"], summary.params["blocks"])
    text = summary.blocks_text()
    assert "*Away* (2)" in text
    assert "• Lena Roth (@lena) until" in text and "Max Ode covers" in text
    assert "• Raj Patel (@raj) until" in text and "no delegate" in text
    assert "Ana Lima (@ana)" not in text
    assert "*Responsible or Accountable with nobody covering* (4)" in text
    assert "• Docker packaging (A): Raj Patel away, no delegate" in text
    assert "• Model serving (R): Raj Patel away" in text
    assert "Model serving (A)" not in text  # ana, also Accountable, is here
    assert "Docker packaging (R)" not in text  # max is here
