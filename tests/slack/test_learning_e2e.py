"""Learning end to end: signed requests to the real app in process, Slack faked at the network; SQLite and PostgreSQL.

A question nobody understands -> the picker's options -> a pick answers and proposes it -> the
Accountable holder's DM through the outbox -> Approve -> everyone gets the answer directly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from slack_sdk.models.blocks import Block

from tests.fakes.slack_api import Call, FakeSlackApi
from tests.fakes.slack_requests import block_actions, unique
from tests.slack.block_kit import check_message
from tests.slack.conftest import FIXTURES
from tests.slack.in_process import InProcessApp, in_process_app

ORG = FIXTURES / "learning_org.yaml"
PAGERDUTY = "PagerDuty rotation mgmt"
ANA, PAT, BO, EVE = "U0ANA0001", "U0PAT0001", "U0BO00001", "U0EVE0001"


@pytest.fixture(scope="module")
def app(app_db_url: str, slack: FakeSlackApi) -> Iterator[InProcessApp]:
    """The app on the learning organisation, in process: the outbox's DMs go out when a test ticks."""
    with in_process_app(app_db_url, slack, raci_file=ORG) as running:
        yield running


def checked(call: Call) -> Call:
    check_message(call.params.get("text"), call.params.get("blocks", []))
    for block in call.params.get("blocks", []):
        Block.parse(block).validate_json()  # slack_sdk's own models agree it is valid Block Kit
    return call


def ask(app: InProcessApp, text: str, *, user: str = "U0ASKER01") -> Call:
    name = unique("cmd")
    assert app.sender().command(text, response_url=app.slack.response_url(name), user=user).status == 200
    [answer] = app.slack.response(name)
    return checked(answer)


def header(call: Call) -> str | None:
    return next((b["text"]["text"] for b in call.params["blocks"] if b["type"] == "header"), None)


def picker(call: Call) -> dict:
    [block] = [b for b in call.params["blocks"] if b["type"] == "actions"
               and any(e["type"] == "external_select" for e in b["elements"])]
    return block


def element(block: dict, action_id: str) -> dict:
    return next(e for e in block["elements"] if e["action_id"] == action_id)


def options(app: InProcessApp, block: dict, typed: str, *, user: str = "U0ASKER01") -> list[str]:
    """What the picker lists as someone types: Slack's block_suggestion request, answered synchronously."""
    payload = {"type": "block_suggestion", "user": {"id": user, "team_id": "T0TEST001"},
               "team": {"id": "T0TEST001", "domain": "test"}, "api_app_id": "A0RACIAPP",
               "token": "legacy-verification-token", "action_id": "raci_learn_pick", "block_id": block["block_id"],
               "value": typed, "container": {"type": "message", "is_ephemeral": True}}
    reply = app.sender().action(payload)
    assert reply.status == 200
    return [o["value"] for o in json.loads(reply.body)["options"]]


def select(app: InProcessApp, block: dict, activity: str, *, user: str, channel: str = "C0GENERAL1",
           ephemeral: bool = True) -> Call:
    """Pick an activity in the picker; return what the app put in place of the message."""
    name = unique("pick")
    payload = block_actions("raci_learn_pick", "", response_url=app.slack.response_url(name), user=user,
                            channel=channel, ephemeral=ephemeral)
    payload["actions"] = [{"type": "external_select", "action_id": "raci_learn_pick", "block_id": block["block_id"],
                           "selected_option": {"text": {"type": "plain_text", "text": activity}, "value": activity},
                           "action_ts": f"{time.time():.6f}"}]
    assert app.sender().action(payload).status == 200
    [answer] = app.slack.response(name)
    return checked(answer)


def click(app: InProcessApp, button: dict, *, user: str, channel: str = "C0GENERAL1", ephemeral: bool = True) -> Call:
    name = unique("act")
    payload = block_actions(button["action_id"], button["value"], response_url=app.slack.response_url(name),
                            user=user, channel=channel, ephemeral=ephemeral)
    assert app.sender().action(payload).status == 200
    [answer] = app.slack.response(name)
    return checked(answer)


def dm(app: InProcessApp, user: str, containing: str) -> Call:
    """The DM the outbox sends on the ticker's next pass (the running app's ticker thread makes it)."""
    app.tick()
    [call] = app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == user
                                and containing in json.dumps(c.params, ensure_ascii=False))
    return checked(call)


def test_pick_answers_the_accountable_approves_and_then_everyone_gets_the_answer(app: InProcessApp) -> None:
    question = "who gets paged at night"
    first = ask(app, question)
    assert "I don't know who owns" in json.dumps(first.params)
    block = picker(first)
    assert PAGERDUTY in options(app, block, "pager")
    assert options(app, block, "")[:3] == [PAGERDUTY, "Laptop provisioning", "Office plants"]

    picked = select(app, block, PAGERDUTY, user="U0ASKER01")
    assert picked.params["replace_original"] is True and header(picked) == PAGERDUTY
    assert "*Accountable:* <@U0ANA0001>" in json.dumps(picked.params)

    request = dm(app, ANA, "who gets paged at night")
    assert request.params["text"].startswith("<@U0ASKER01> asked “who gets paged at night” and picked "
                                             f"*{PAGERDUTY}*. Should I answer that question with it from now on?")
    buttons = {b["text"]["text"]: b for b in picker_free_buttons(request)}
    assert set(buttons) == {"Approve", "Reject"}

    refused = click(app, buttons["Approve"], user=EVE, channel="D0EVE0001", ephemeral=False)
    assert refused.params["replace_original"] is False and "can't take that from you" in refused.params["text"]
    assert header(ask(app, question, user="U0ASKER02")) is None  # still pending: a stranger changed nothing

    approved = click(app, buttons["Approve"], user=ANA, channel="D0ANA0001", ephemeral=False)
    assert approved.params["replace_original"] is True and "now answers with" in approved.params["text"]
    for asked in (question, "hey, who gets paged at night?", "Who gets PAGED at night??"):
        assert header(ask(app, asked, user="U0ASKER02")) == PAGERDUTY
    app.tick()
    updated = app.slack.wait_for("chat.update", lambda c: "approved by" in c.params.get("text", ""))
    assert updated[0].params["channel"] == "D0ANA0001"


def picker_free_buttons(call: Call) -> list[dict]:
    return [e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"]


def test_two_different_pickers_confirm_a_phrase(app: InProcessApp) -> None:
    question = "who keeps the green things alive"
    assert header(ask(app, question)) is None
    select(app, picker(ask(app, question, user="U0ASKER03")), "Office plants", user="U0ASKER03")
    assert header(ask(app, question, user="U0ASKER05")) is None  # one picker is not enough
    select(app, picker(ask(app, question, user="U0ASKER04")), "Office plants", user="U0ASKER04")
    assert header(ask(app, "hey who keeps the green things alive?", user="U0ASKER05")) == "Office plants"


def test_none_of_these_goes_to_the_learning_channel_where_an_admins_pick_answers_and_teaches(
    app: InProcessApp,
) -> None:
    question = "who hands out new macbooks"
    first = ask(app, question, user="U0ASKER06")
    sent = click(app, element(picker(first), "raci_learn_none"), user="U0ASKER06")
    assert sent.params["replace_original"] is True and "<#C0LEARN01>" in sent.params["text"]
    [post] = app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C0LEARN01"
                                and question in c.params.get("text", ""))
    checked(post)
    assert post.params["text"].startswith("<@U0ASKER06> asked: “who hands out new macbooks”")
    closed = select(app, picker(post), "Laptop provisioning", user=BO, channel="C0LEARN01", ephemeral=False)
    assert "<@U0BO00001> answered it: *Laptop provisioning*" in closed.params["text"] + json.dumps(closed.params)
    answer = dm(app, "U0ASKER06", "Laptop provisioning")
    assert "<@U0PAT0001>" in json.dumps(answer.params)  # its R and A
    assert header(ask(app, question, user="U0ASKER07")) == "Laptop provisioning"  # an admin's pick approves


def test_not_an_activity_closes_the_question_politely(app: InProcessApp) -> None:
    question = "who brings the cake on fridays"
    sent = click(app, element(picker(ask(app, question, user="U0ASKER08")), "raci_learn_none"), user="U0ASKER08")
    assert "<#C0LEARN01>" in sent.params["text"]
    [post] = app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C0LEARN01"
                                and question in c.params.get("text", ""))
    closed = click(app, element(picker(post), "raci_learn_close"), user=EVE, channel="C0LEARN01", ephemeral=False)
    assert "closed it: not an activity" in json.dumps(closed.params)
    dm(app, "U0ASKER08", "nobody could match it to an activity")


def test_teach_is_refused_for_someone_neither_admin_nor_accountable_and_works_for_an_owner(app: InProcessApp) -> None:
    refused = ask(app, f"teach who rotates the on-call = {PAGERDUTY}", user=EVE)
    assert f"Only an Accountable holder of {PAGERDUTY} or an admin" in refused.params["text"]
    assert header(ask(app, "who rotates the on-call")) is None
    taught = ask(app, f"teach who rotates the on-call = {PAGERDUTY}", user=ANA)
    assert "Learned: “who rotates the on-call” now answers with" in taught.params["text"]
    assert header(ask(app, "who rotates the on-call?")) == PAGERDUTY
    assert "Forgot" in ask(app, "forget who rotates the on-call", user=BO).params["text"]
    assert header(ask(app, "who rotates the on-call?")) is None


def test_app_home_shows_an_accountable_holder_the_pending_phrases_with_the_buttons(app: InProcessApp) -> None:
    question = "who swaps broken chargers"
    select(app, picker(ask(app, question, user="U0ASKER09")), "Laptop provisioning", user="U0ASKER09")
    dm(app, PAT, question)
    assert app.sender().event({"type": "app_home_opened", "user": PAT, "channel": "D0PAT0001", "tab": "home",
                               "event_ts": f"{time.time():.6f}"}).status == 200
    [view] = app.slack.wait_for("views.publish", lambda c: c.params.get("user_id") == PAT
                                and question in json.dumps(c.params, ensure_ascii=False))
    blocks = view.params["view"]["blocks"]
    check_message(None, blocks, view=True)
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "Questions waiting for your approval" in shown and "Approve" in shown and "Reject" in shown


def test_a_suggestion_button_answers_and_proposes_the_question_too(app: InProcessApp) -> None:
    question = "office laptops"
    first = ask(app, question, user="U0ASKER10")
    suggestion = next(b for b in picker_free_buttons(first) if b["text"]["text"] == "Laptop provisioning")
    picked = click(app, suggestion, user="U0ASKER10")
    assert picked.params["replace_original"] is True and header(picked) == "Laptop provisioning"
    request = dm(app, PAT, "“office laptops” and picked *Laptop provisioning*")
    approved = click(app, {**picker_free_buttons(request)[0]}, user=BO, channel="D0PAT0001", ephemeral=False)
    assert "approved by <@U0BO00001>" in approved.params["text"]  # an admin may decide for any activity
    assert header(ask(app, "Office laptops?", user="U0ASKER11")) == "Laptop provisioning"
