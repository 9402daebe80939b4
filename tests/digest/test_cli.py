"""`raci digest preview|send`, `raci impact` and `raci tick` with the digest, through the real CLI."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from bot.store.db import Store
from tests.digest.fakes import DigestSlackApi
from tests.digest.org import CHANNEL, DEACTIVATED, PROFILES, with_history


@pytest.fixture
def org(cli_env: str) -> str:
    store = Store.open(cli_env)
    try:
        with_history(store, datetime.now(UTC) - timedelta(seconds=1))
    finally:
        store.close()
    return cli_env


def test_preview_prints_a_persons_digest_and_the_summary(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "preview", "lena"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Digest for Lena Roth (@lena), period Mon ")
    assert "  Responsible for (1):\n    Docker packaging (ML Engineer)" in out
    assert "No longer Responsible for Pipelines (alice@laptop" in out
    assert main(["digest", "preview"]) == 0
    out = capsys.readouterr().out
    assert "  Ownership gaps (3):\n    Model serving: several accountable (MLOps Engineer, Data Scientist)" in out
    assert "(Slack accounts not checked: add --check-slack)" in out
    assert main(["digest", "preview", "nobody"]) == 1
    assert "'nobody' is not in the RACI matrix" in capsys.readouterr().err


def test_impact_says_what_loses_its_last_owner(org: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["impact", "raj"]) == 0
    out = capsys.readouterr().out
    assert "3 activities lose their last Accountable:\n    Docker packaging\n    Release testing\n    Pipelines" in out
    assert "MLOps Engineer (org-wide): they are its only member" in out
    assert main(["impact", "--json", "@ivo"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [a["activity"] for a in found["last_responsible"]] == ["Data quality", "Feature store", "Pipelines"]


def test_send_sends_this_period_once_and_tick_then_has_nothing_left(
    org: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with DigestSlackApi(profiles=PROFILES, deactivated=DEACTIVATED) as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_API_URL", slack.base_url)
        assert main(["digest", "send"]) == 0
        assert "sent 6, failed 0" in capsys.readouterr().out
        assert main(["digest", "send"]) == 0
        assert "sent 0, failed 0" in capsys.readouterr().out
        assert main(["tick"]) == 0
        assert "sent 0, failed 0, skipped 0, rate limited 0, 0 still to send" in capsys.readouterr().out
        delivered = slack.delivered(digests_only=True)
    assert delivered[CHANNEL] == 1 and set(delivered.values()) == {1} and len(delivered) == 6
    assert Counter(c.method for c in slack.calls())["users.info"] == 8  # holders with a Slack ID, once each


def test_send_without_a_schedule_says_how_to_set_one(cli_env: str, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    store = Store.open(cli_env)
    store.close()
    assert main(["digest", "send"]) == 1
    assert "no digest is scheduled: set settings.digest.schedule" in capsys.readouterr().err
