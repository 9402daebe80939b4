"""`raci tick` and `raci escalations` with the app's configuration, against the fake Slack API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.escalations import engine
from bot.escalations.policy import Policy
from bot.ownership.matrix import import_file, load_ownership
from bot.store.db import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.sessions import committed

ORG = Path(__file__).resolve().parents[1] / "fixtures" / "org.yaml"


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        yield fake


def test_tick_sends_what_is_due_and_escalations_lists_it(
    cli_env: str, store: Store, slack: FakeSlackApi, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    with store.session() as session:
        import_file(session=session, path=ORG, actor="t")
    with store.session() as session:
        answer = load_ownership(session=session).answer_activity("Docker packaging")
    raised = committed(store, engine.raise_escalation, answer=answer, problem="registry push fails", link=None,
                                      requester="U0ASKER01", channel=None, thread_ts=None,
                                      policy=Policy(timedelta(minutes=15), 1),
                                      now=datetime.now(UTC) - timedelta(minutes=1))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-abc")
    monkeypatch.setenv("SLACK_API_URL", slack.base_url)
    assert main(["tick"]) == 0
    assert "advanced 1 escalations, sent 1 messages, 0 failed" in capsys.readouterr().out
    [dm] = slack.calls("chat.postMessage")
    assert dm.params["channel"] == "U01LENAB01" and dm.auth == "Bearer xoxb-1-2-abc"
    assert main(["tick"]) == 0  # nothing more is due
    assert len(slack.calls("chat.postMessage")) == 1
    capsys.readouterr()

    assert main(["escalations", "--json", "--open"]) == 0
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {k: row[k] for k in ("id", "activity", "status", "level", "acknowledged_by")} == {
        "id": raised.id, "activity": "Docker packaging", "status": "open", "level": 1, "acknowledged_by": None}
    committed(store, engine.acknowledge, escalation_id=raised.id, by="U01LENAB01", now=datetime.now(UTC))
    assert main(["escalations"]) == 0
    assert "acknowledged, level 1, acknowledged by U01LENAB01 after 1 min" in capsys.readouterr().out


def test_tick_without_a_token_is_one_clear_line(
    cli_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    assert main(["tick"]) == 1
    assert capsys.readouterr().err.startswith("raci: error: SLACK_BOT_TOKEN is not set")
