"""Away and delegation end to end: signed requests to the real app in process, Slack faked at the network; SQLite
and PostgreSQL.

ana goes away with cy as delegate -> answers say "away until … — ask @cy" -> an escalation pages cy,
not ana; dee's :palm_tree: status marks her away; a delegation ends by itself at its date (the clock
is injected where the store decides it, as every replica does).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.away.marking import page_targets
from bot.away.store import active_away, people_by_handle
from bot.ownership.answers import Holder
from tests.fakes.slack_api import Call, FakeSlackApi
from tests.slack import conversation
from tests.slack.conftest import FIXTURES
from tests.slack.conversation import click
from tests.slack.in_process import InProcessApp, in_process_app

ORG = FIXTURES / "away_org.yaml"
ANA, BO, CY, DEE, AD = "U0ANA0001", "U0BO00001", "U0CY00001", "U0DEE0001", "U0AD00001"
PROFILES = {ANA: {"real_name": "Ana", "tz": "Europe/Berlin"}, BO: {"real_name": "Bo"}, CY: {"real_name": "Cy"},
            DEE: {"real_name": "Dee", "status_emoji": ":palm_tree:", "status_text": "",
                  "status_expiration": int((datetime.now(UTC) + timedelta(days=3)).timestamp())},
            AD: {"real_name": "Ad"}}


@pytest.fixture(scope="module")
def slack(app_db_url: str) -> Iterator[FakeSlackApi]:
    del app_db_url
    with FakeSlackApi(profiles=PROFILES) as fake:
        yield fake


@pytest.fixture(scope="module")
def app(app_db_url: str, slack: FakeSlackApi) -> Iterator[InProcessApp]:
    """The app on the away organisation, in process: a request's pages are sent when its `post` returns."""
    with in_process_app(app_db_url, slack, raci_file=ORG) as running:
        yield running


def command(app: InProcessApp, text: str, *, user: str, channel: str = "C0AWAY001") -> Call:
    return conversation.command(app, text, user=user, channel=channel)


def shown(call: Call) -> str:
    return json.dumps(call.params, ensure_ascii=False)


def test_away_with_delegate_shows_in_answers_and_pages_the_delegate(app: InProcessApp) -> None:
    reply = command(app, "away until in 2 weeks delegate <@U0CY00001>", user=ANA)
    assert "You're away until" in reply.params["text"] and f"ask <@{CY}>" in reply.params["text"]
    answer = shown(command(app, "who owns deploys", user="U0ASKER01"))
    assert f"<@{ANA}> (Developer) — away until" in answer and f"— ask <@{CY}>" in answer

    command(app, "escalate deploys: production deploy is stuck", user="U0ASKER01")
    [page] = app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == CY)
    assert "Deploys" in shown(page)
    app.tick()  # and the ticker's next pass pages nobody else
    assert not app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == ANA)
    assert app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == "C0AWAY001" and
                           "Ana Away is away: paged their delegate Cy Cover" in c.blocks_text())

    ack = next(e for b in page.params["blocks"] if b["type"] == "actions" for e in b["elements"]
               if e["text"]["text"] == "Acknowledge")
    done = click(app, ack["action_id"], ack["value"], user=CY, channel="D0CY00001")
    assert "acknowledged" in done.params["text"]  # the delegate paged for it may take it
    assert app.slack.calls("chat.update", lambda c: f"Acknowledged by <@{CY}>" in c.blocks_text())

    assert "Welcome back" in command(app, "back", user=ANA).params["text"]
    assert "away until" not in shown(command(app, "who owns deploys", user="U0ASKER01"))


def test_a_holder_away_by_slack_status_is_skipped_when_paging_and_the_status_says_why(app: InProcessApp) -> None:
    command(app, "escalate beach volleyball: the net is torn", user="U0ASKER03", channel="C0AWAY002")
    [page] = app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == BO and
                             "the net is torn" in shown(c))
    assert "Accountable" in page.blocks_text()  # straight to level 2: dee is on the beach
    app.tick()
    assert not app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == DEE)
    assert app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == "C0AWAY002" and
                           "level 1 skipped: every one is away" in c.blocks_text())


def test_only_admins_set_someone_else_away_and_bad_dates_are_explained(app: InProcessApp) -> None:
    refused = command(app, "away <@U0BO00001> until friday", user=CY)
    assert "Only an admin" in refused.params["text"]
    assert "don't understand “someday”" in command(app, "away until someday", user=ANA).params["text"]
    assert "in the past" in command(app, "away until 2020-01-01", user=ANA).params["text"]
    done = command(app, "away <@U0BO00001> until friday delegate @cy", user=AD)
    assert "Bo Boss is away until" in done.params["text"]
    assert "away until" in shown(command(app, "who owns deploys", user="U0ASKER01"))
    command(app, "back <@U0BO00001>", user=AD)


def test_a_palm_tree_status_marks_a_holder_away(app: InProcessApp) -> None:
    before = len(app.slack.calls("users.profile.get", lambda c: c.params.get("user") == DEE))
    answer = shown(command(app, "who owns beach volleyball", user="U0ASKER02"))
    assert f"<@{DEE}> — away until" in answer and "ask" not in answer.split(f"<@{DEE}>")[1].split("\\n")[0]
    command(app, "who owns beach volleyball", user="U0ASKER02")
    after = len(app.slack.calls("users.profile.get", lambda c: c.params.get("user") == DEE))
    assert after - before <= 1  # cached (shared with paging): at most one read per holder for both answers


def test_a_delegation_ends_by_itself_at_its_date(app: InProcessApp) -> None:
    command(app, "away until tomorrow delegate <@U0CY00001>", user=ANA)
    with app.store.session() as session:
        [until] = [a.until for a in active_away(session, now=datetime.now(UTC)).values() if a.handle == "ana"]
        ana = Holder(role="dev", handle="ana", name="Ana Away", slack_id=ANA)
        people = people_by_handle(session)
        during = page_targets((ana,), active_away(session, now=until - timedelta(seconds=1)), people)
        after = page_targets((ana,), active_away(session, now=until), people)
    assert until.astimezone(UTC).hour in (22, 23)  # the end of "tomorrow" in Berlin, her Slack time zone
    assert during[0] == [CY] and after == ([ANA], [])
