"""Owners confirm what they own, end to end: the app in process, a second replica's ticker, signed clicks, the CLI;
both databases.

The review DM goes out once per (period, person) however many tickers run; All correct records a
confirmation of every listed activity; what nobody confirmed for more than a period is stale in the
digest summary and in `raci check --stale`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.cli import main
from bot.digest.job import preview
from bot.review.job import run_review
from bot.review.limits import SPACING
from bot.review.periods import period_at
from bot.slack.app import build_ticker
from bot.slack.blocks.digest import summary_message
from bot.store.db import Store
from bot.store.people_models import ReviewRun
from tests.fakes.slack_api import Call, FakeSlackApi
from tests.fakes.slack_requests import block_actions, unique
from tests.sessions import committed
from tests.slack.block_kit import check_message
from tests.slack.conftest import FIXTURES
from tests.slack.in_process import InProcessApp, in_process_app

ORG = FIXTURES / "review_org.yaml"
ANA, BO, CY = "U0ANA0001", "U0BO00001", "U0CY00001"


@pytest.fixture(scope="module")
def slack(app_db_url: str) -> Iterator[FakeSlackApi]:
    del app_db_url
    with FakeSlackApi(profiles={u: {"real_name": u} for u in (ANA, BO, CY)}) as fake:
        yield fake


@pytest.fixture(scope="module")
def app(app_db_url: str, slack: FakeSlackApi) -> Iterator[InProcessApp]:
    """The app on the review organisation, in process: review DMs go out when a test ticks."""
    with in_process_app(app_db_url, slack, raci_file=ORG) as running:
        yield running


@pytest.fixture(scope="module")
def store(app: InProcessApp) -> Iterator[Store]:
    """Another replica's store: its own engine and sessions on the app's database."""
    s = Store.open(app.db_url)
    try:
        yield s
    finally:
        s.close()


def dms(app: InProcessApp, user: str) -> list[Call]:
    return app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == user
                           and "Accountable for" in c.params.get("text", ""))


def buttons(call: Call) -> dict[str, dict]:
    return {e["action_id"]: e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]}


def click(app: InProcessApp, button: dict, *, user: str) -> Call:
    name = unique("act")
    payload = block_actions(button["action_id"], button["value"], response_url=app.slack.response_url(name),
                            user=user, channel=f"D{user[1:]}", ephemeral=False)
    assert app.sender().action(payload).status == 200
    [reply] = app.slack.response(name)
    check_message(reply.params.get("text"), reply.params.get("blocks", []))
    return reply


def test_each_accountable_holder_gets_one_review_dm_per_period_across_tickers(app: InProcessApp, store: Store) -> None:
    now = datetime.now(UTC)
    app.tick(at=now)  # claims the period and sends the first DM; the next is queued SPACING later
    [dm] = dms(app, BO)
    check_message(dm.params["text"], dm.params["blocks"])
    text = dm.blocks_text()
    assert "*Deploys*" in text and "*Backups*" in text and "Coffee" not in text
    assert "R: Ana Dev · A: Bo Boss · C: — · I: Cy Cafe" in text
    assert {"raci_review_all", "raci_review_confirm_0", "raci_review_suggest_1"} <= set(buttons(dm))
    assert not dms(app, CY)
    later = now + 2 * SPACING
    app.tick(at=later)
    assert len(dms(app, CY)) == 1

    # another replica's ticker on the same database, at the same time and after: the period is claimed there
    second = build_ticker(store, WebClient(token="xoxb-test", base_url=app.slack.base_url))
    second.clock = lambda: later
    for _ in range(2):
        second.run_once()
    app.tick()
    assert run_review(store, now=datetime.now(UTC)).status == "exists"
    assert (len(dms(app, BO)), len(dms(app, CY)), len(dms(app, ANA))) == (1, 1, 0)


def test_all_correct_records_a_confirmation_and_only_the_recipient_may(app: InProcessApp, store: Store) -> None:
    [dm] = dms(app, BO)
    refused = click(app, buttons(dm)["raci_review_all"], user=CY)
    assert "sent to someone else" in refused.params["text"]

    # "Suggest a change" is the ownership-change flow: its modal opens for that activity
    suggest, before = buttons(dm)["raci_review_suggest_0"], len(app.slack.calls("views.open"))
    payload = block_actions(suggest["action_id"], suggest["value"], response_url=app.slack.response_url(unique("s")),
                            user=BO, channel=f"D{BO[1:]}", ephemeral=False)
    assert app.sender().action(payload).status == 200
    [opened] = app.slack.calls("views.open")[before:]
    assert json.loads(suggest["value"])["activity"] in json.dumps(opened.params["view"], ensure_ascii=False)

    done = click(app, buttons(dm)["raci_review_all"], user=BO)
    assert done.params.get("replace_original") is True
    assert done.blocks_text().count(":white_check_mark: confirmed") == 2
    assert "every activity here is confirmed" in done.blocks_text()


def test_confirmations_and_stale_ownership_in_cli_and_summary(
    app: InProcessApp, store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", app.db_url)
    monkeypatch.delenv("RACI_FILE", raising=False)
    now = datetime.now(UTC)
    assert main(["confirmations", "--json"]) == 0
    rows = {r["activity"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["Deploys"]["confirmed_by"] == "bo" and rows["Backups"]["confirmed_by"] == "bo"
    assert rows["Coffee"]["confirmed_by"] is None

    assert main(["check", "--stale"]) == 0  # reviews began this period: nothing overdue yet
    assert "No stale ownership" in capsys.readouterr().out

    # reviews began two periods ago: cy never confirmed Coffee in all that time
    began = period_at(timedelta(days=90), now).start - timedelta(days=180)
    with store.session() as session:
        session.add(ReviewRun(period=began.isoformat(), created_at=began, recipients=2))
    assert main(["check", "--stale"]) == 1
    out = capsys.readouterr().out
    assert "stale: Coffee: never confirmed" in out and "Deploys" not in out

    summary = summary_message(committed(store, preview, now=now))
    check_message(summary.text, summary.blocks)
    shown = json.dumps(summary.blocks, ensure_ascii=False)
    assert "*Stale ownership: unconfirmed for more than one review period* (1)\\n• Coffee — never confirmed" in shown
    assert "1 activities with stale ownership" in summary.text
