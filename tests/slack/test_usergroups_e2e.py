"""A Slack handle per role, end to end (the app in process; tests tick where its ticker thread would): the ticker
sets each role's user group to its holders (+ delegates), and a paid_teams_only failure is reported once (log,
/readyz, digest summary), never retried in a loop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient

from bot.digest.job import preview
from bot.runtime.health import Readiness
from bot.slack.blocks.digest import summary_message
from bot.slack.usergroups import SlackUsergroups
from bot.store.db import Store
from bot.usergroups.sync import sync_usergroups
from tests.fakes.slack_api import Call, FakeSlackApi
from tests.sessions import committed
from tests.slack import conversation
from tests.slack.conftest import FIXTURES
from tests.slack.in_process import InProcessApp, in_process_app

ORG = FIXTURES / "usergroups_org.yaml"
ANA, BO, CY = "U0ANA0001", "U0BO00001", "U0CY00001"
UPDATE = "usergroups.users.update"


@pytest.fixture(scope="module")
def slack(app_db_url: str) -> Iterator[FakeSlackApi]:
    del app_db_url
    with FakeSlackApi(profiles={u: {"real_name": u} for u in (ANA, BO, CY)}) as fake:
        yield fake


@pytest.fixture(scope="module")
def app(app_db_url: str, slack: FakeSlackApi) -> Iterator[InProcessApp]:
    """The app on the user-groups organisation, in process: groups are synced when a test ticks."""
    with in_process_app(app_db_url, slack, raci_file=ORG) as running:
        yield running


def command(app: InProcessApp, text: str, *, user: str) -> Call:
    return conversation.command(app, text, user=user, channel="C0GROUPS1")


def ready(app: InProcessApp) -> dict:
    """The body of the app's GET /readyz (app.py serves this Readiness)."""
    return Readiness(app.store, app.service)()[1]


def members(call: Call) -> list[str]:
    return sorted(str(call.params["users"]).split(","))


def updates(app: InProcessApp, group: str) -> list[Call]:
    return app.slack.calls(UPDATE, lambda c: c.params.get("usergroup") == group)


def test_each_role_group_gets_its_holders_and_a_delegate_while_covering(app: InProcessApp) -> None:
    app.tick()
    [dev], [lead] = updates(app, "S0DEV0001"), updates(app, "S0LEAD001")
    assert members(dev) == [ANA] and members(lead) == [BO]  # dan has no Slack ID yet: not a member

    command(app, "away until in 2 weeks delegate <@U0CY00001>", user=ANA)
    app.tick()
    assert [members(c) for c in updates(app, "S0DEV0001")] == [[ANA], [ANA, CY]]
    assert len(updates(app, "S0LEAD001")) == 1  # unchanged: not set again


def test_paid_teams_only_is_reported_once_and_not_retried(app: InProcessApp) -> None:
    before = len(updates(app, "S0DEV0001"))
    app.slack.fail(UPDATE, "paid_teams_only")
    command(app, "back", user=ANA)  # the delegation ends: the group should lose cy, but Slack refuses
    app.tick()
    assert [members(c) for c in updates(app, "S0DEV0001")[before:]] == [[ANA]]
    body = ready(app)
    assert body["ready"] is True and body["usergroups"] == "S0DEV0001 (dev): paid_teams_only"

    app.tick()  # the app's next pass
    client = WebClient(token="xoxb-test", base_url=app.slack.base_url)
    store = Store.open(app.db_url)
    try:
        report = sync_usergroups(store, SlackUsergroups(client), now=datetime.now(UTC))  # another replica's pass
        assert (report.synced, report.failed) == (0, 0)  # failed for good: not tried again until a change or a day
        assert len(updates(app, "S0DEV0001")) == before + 1

        summary = summary_message(committed(store, preview, now=datetime.now(UTC)))
        shown = json.dumps(summary.blocks)
        assert "*User groups not kept in sync* (1)" in shown and "paid_teams_only" in shown
    finally:
        store.close()
    assert app.output().count("not synced: paid_teams_only") == 1
