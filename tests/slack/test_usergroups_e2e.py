"""A Slack handle per role, end to end: the app's ticker sets each role's user group to its holders (+ delegates),
and a paid_teams_only failure is reported once (log, /readyz, digest summary), never retried in a loop."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient

from bot.digest.job import preview
from bot.slack.blocks.digest import summary_message
from bot.slack.usergroups import SlackUsergroups
from bot.store.db import Store
from bot.usergroups.sync import sync_usergroups
from tests.fakes.slack_api import Call, FakeSlackApi
from tests.fakes.slack_requests import unique
from tests.sessions import committed
from tests.slack.conftest import FIXTURES, RunningApp, launched

ORG = FIXTURES / "usergroups_org.yaml"
ANA, BO, CY = "U0ANA0001", "U0BO00001", "U0CY00001"
UPDATE = "usergroups.users.update"


@pytest.fixture(scope="module")
def slack(app_db_url: str) -> Iterator[FakeSlackApi]:
    del app_db_url
    with FakeSlackApi(profiles={u: {"real_name": u} for u in (ANA, BO, CY)}) as fake:
        yield fake


@pytest.fixture(scope="module")
def app(app_db_url: str, slack: FakeSlackApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    workdir = tmp_path_factory.mktemp("usergroups-app")
    with launched(app_db_url, slack, workdir, RACI_FILE=str(ORG), RACI_TICK_SECONDS="1") as running:
        yield running


def command(app: RunningApp, text: str, *, user: str) -> Call:
    name = unique("cmd")
    assert app.sender().command(text, response_url=app.slack.response_url(name), user=user,
                                channel="C0GROUPS1").status == 200
    [reply] = app.slack.response(name)
    return reply


def ready(app: RunningApp) -> dict:
    with urllib.request.urlopen(app.url + "/readyz", timeout=10) as response:
        return json.load(response)


def members(call: Call) -> list[str]:
    return sorted(str(call.params["users"]).split(","))


def updates(app: RunningApp, group: str) -> list[Call]:
    return app.slack.calls(UPDATE, lambda c: c.params.get("usergroup") == group)


def test_each_role_group_gets_its_holders_and_a_delegate_while_covering(app: RunningApp) -> None:
    [dev] = app.slack.wait_for(UPDATE, lambda c: c.params.get("usergroup") == "S0DEV0001", timeout=20)
    [lead] = app.slack.wait_for(UPDATE, lambda c: c.params.get("usergroup") == "S0LEAD001", timeout=20)
    assert members(dev) == [ANA] and members(lead) == [BO]  # dan has no Slack ID yet: not a member

    command(app, "away until in 2 weeks delegate <@U0CY00001>", user=ANA)
    app.slack.wait_for(UPDATE, lambda c: c.params.get("usergroup") == "S0DEV0001" and members(c) == [ANA, CY],
                       timeout=20)
    assert len(updates(app, "S0LEAD001")) == 1  # unchanged: not set again


def test_paid_teams_only_is_reported_once_and_not_retried(app: RunningApp) -> None:
    before = len(updates(app, "S0DEV0001"))
    app.slack.fail(UPDATE, "paid_teams_only")
    command(app, "back", user=ANA)  # the delegation ends: the group should lose cy, but Slack refuses
    app.slack.wait_for(UPDATE, lambda c: c.params.get("usergroup") == "S0DEV0001" and members(c) == [ANA],
                       count=1, timeout=20)
    store = Store.open(app.db_url)
    try:
        body = ready(app)
        deadline = time.monotonic() + 20
        while body["usergroups"] == "ok" and time.monotonic() < deadline:  # the failure is recorded after the call
            time.sleep(0.1)
            body = ready(app)
        assert body["ready"] is True and body["usergroups"] == "S0DEV0001 (dev): paid_teams_only"

        client = WebClient(token="xoxb-test", base_url=app.slack.base_url)
        report = sync_usergroups(store, SlackUsergroups(client), now=datetime.now(UTC))  # another replica's pass
        assert (report.synced, report.failed) == (0, 0)  # failed for good: not tried again until a change or a day
        assert len(updates(app, "S0DEV0001")) == before + 1

        summary = summary_message(committed(store, preview, now=datetime.now(UTC)))
        shown = json.dumps(summary.blocks)
        assert "*User groups not kept in sync* (1)" in shown and "paid_teams_only" in shown
    finally:
        store.close()
    assert app.output().count("not synced: paid_teams_only") == 1
