"""Escalations end to end: raised through the real HTTP endpoint, timed out by a tick with a chosen clock.

The app answers clicks and commands with its own clock; a timeout is crossed by running the
ticker (as `raci tick` does) in this process against the same database with `now` in the future.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.escalations import engine
from bot.escalations.ticker import tick
from bot.slack.notifier import SlackNotifier
from bot.store.db import Store
from tests.fakes.slack_api import Call
from tests.fakes.slack_requests import app_mention, block_actions, unique, view_submission
from tests.sessions import committed
from tests.slack.block_kit import check_message
from tests.slack.conversation import click, command
from tests.slack.in_process import InProcessApp

LENA, PAT, ANA, OMAR, RAJ, NOOR = "U0LENA001", "U0PAT0001", "U0ANA0001", "U0OMAR001", "U0RAJ0001", "U0NOOR001"


@pytest.fixture
def store(bolt_app: InProcessApp) -> Iterator[Store]:
    s = Store.open(bolt_app.db_url)
    yield s
    s.close()


def posts_to(app: InProcessApp, channel: str, *, containing: str = "", count: int = 1) -> list[Call]:
    """Messages the app posted to a channel or user, whose text or blocks contain `containing`."""
    found = app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == channel and (
        containing in c.params.get("text", "") or containing in c.blocks_text()), count=count)
    for call in found:
        check_message(call.params.get("text"), call.params.get("blocks", []))
    return found


def buttons(call: Call) -> dict[str, dict]:
    return {e["text"]["text"]: e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]}


def latest(store: Store) -> engine.EscalationView:
    return committed(store, engine.list_escalations)[0]


def test_command_pages_responsible_then_accountable_then_owner_acknowledges(
    bolt_app: InProcessApp, store: Store
) -> None:
    channel = "C0ESCAL001"
    reply = command(bolt_app, "escalate docker packaging: image build fails on main", channel=channel)
    assert reply.params["response_type"] == "ephemeral"
    assert reply.params["text"] == (f"Escalated to <@{LENA}> (Responsible for Docker packaging). If nobody "
                                    f"acknowledges within 15 min it goes to <@{PAT}> (Accountable).")
    [dm] = posts_to(bolt_app, LENA, containing="image build fails on main")
    assert "image build fails on main" in dm.blocks_text() and "<@U0ASKER01>" in dm.blocks_text()
    assert {"Acknowledge", "Resolve"} <= set(buttons(dm))
    [status] = posts_to(bolt_app, channel, containing="Escalation #")
    assert f"<@{ANA}>" in status.blocks_text()  # Consulted, kept in the loop where it was raised

    esc = latest(store)
    notifier = SlackNotifier(WebClient(token="xoxb-test", base_url=bolt_app.slack.base_url))
    tick(store, notifier, now=datetime.now(UTC) + timedelta(minutes=16))
    [dm_a] = posts_to(bolt_app, PAT, containing="image build fails on main")
    assert "Accountable" in dm_a.blocks_text()
    assert committed(store, engine.get, escalation_id=esc.id).level == 2

    ack = buttons(dm)["Acknowledge"]
    refused = click(bolt_app, ack["action_id"], ack["value"], user="U0STRANGER", channel="D0STRANGER")
    assert refused.params["response_type"] == "ephemeral"
    assert "Only the Responsible or Accountable" in refused.params["text"]
    assert committed(store, engine.get, escalation_id=esc.id).status == "open"

    done = click(bolt_app, ack["action_id"], ack["value"], user=LENA, channel="D0LENA0001")
    assert done.params.get("replace_original") is True and "acknowledged" in done.params["text"]
    assert committed(store, engine.get, escalation_id=esc.id).status == "acknowledged"
    bolt_app.slack.wait_for("chat.update", lambda c: "Acknowledged by <@U0LENA001>" in c.blocks_text())
    [told] = posts_to(bolt_app, "U0ASKER01", containing="acknowledged your escalation")
    assert f"<@{LENA}> acknowledged" in told.params["text"]

    resolve = buttons(dm)["Resolve"]
    click(bolt_app, resolve["action_id"], resolve["value"], user=PAT, channel="D0PAT00001")
    [fyi] = posts_to(bolt_app, OMAR, containing="FYI")  # Informed
    assert fyi.params["text"].startswith("FYI") and f"resolved by <@{PAT}>" in fyi.params["text"]
    listed = committed(store, engine.get, escalation_id=esc.id)
    assert (listed.status, listed.acknowledged_by, listed.closed_by) == ("resolved", LENA, PAT)


def test_escalate_button_opens_a_modal_and_submitting_raises(bolt_app: InProcessApp, store: Store) -> None:
    channel = "C0ESCAL002"
    answer = command(bolt_app, "feature store", channel=channel)
    escalate = buttons(answer)["Escalate"]
    # the modal opens through views.open with the click's trigger_id, not through the response URL
    payload = block_actions(escalate["action_id"], escalate["value"], response_url=bolt_app.slack.response_url(
        unique("act")), user="U0ASKER02", channel=channel)
    assert bolt_app.sender().action(payload).status == 200
    [opened] = bolt_app.slack.wait_for("views.open", lambda c: c.params.get("trigger_id") == payload["trigger_id"])
    view = opened.params["view"]
    assert view["callback_id"] == "escalation_modal" and "Feature store mgmt" in json.dumps(view)

    empty = view_submission("escalation_modal", private_metadata=view["private_metadata"], user="U0ASKER02",
                            values={"problem": {"problem_input": {"type": "plain_text_input", "value": " "}}})
    rejected = bolt_app.sender().action(empty)
    assert rejected.status == 200 and json.loads(rejected.body)["response_action"] == "errors"

    submitted = view_submission("escalation_modal", private_metadata=view["private_metadata"], user="U0ASKER02",
                                values={"problem": {"problem_input": {"type": "plain_text_input",
                                                                      "value": "online store is stale"}},
                                        "link": {"link_input": {"type": "url_text_input",
                                                                "value": "https://grafana.example/d/1"}}})
    assert bolt_app.sender().action(submitted).status == 200
    [preview] = bolt_app.slack.wait_for("chat.postEphemeral", lambda c: c.params.get("user") == "U0ASKER02")
    assert preview.params["text"].startswith(f"Escalated to <@{OMAR}> (Responsible for Feature store mgmt).")
    [dm] = posts_to(bolt_app, OMAR, containing="online store is stale")
    assert "online store is stale" in dm.blocks_text() and "https://grafana.example/d/1" in dm.blocks_text()


def test_ambiguous_activity_is_asked_back_never_guessed(bolt_app: InProcessApp, store: Store) -> None:
    before = len(committed(store, engine.list_escalations))
    reply = command(bolt_app, "escalate monitoring: dashboards are empty", channel="C0ESCAL003",
                    user="U0ASKER03")
    assert "Which activity" in reply.params["text"] and len(committed(store, engine.list_escalations)) == before
    choice = buttons(reply)["Data monitoring"]
    picked = click(bolt_app, choice["action_id"], choice["value"], user="U0ASKER03", channel="C0ESCAL003")
    assert picked.params["text"].startswith(f"Escalated to <@{OMAR}> (Responsible for Data monitoring)")
    assert latest(store).problem == "dashboards are empty"
    unknown = command(bolt_app, "escalate the coffee machine: it is empty", channel="C0ESCAL003")
    assert "haven't escalated" in unknown.params["text"]


def test_mention_escalates_in_its_thread_with_team_scope(bolt_app: InProcessApp, store: Store) -> None:
    ts = "1700000123.000200"
    event = app_mention("escalate docker packaging: search ranking image is broken", channel="C0SEARCH01", ts=ts)
    assert bolt_app.sender().event(event).status == 200
    [reply] = bolt_app.slack.wait_for("chat.postMessage", lambda c: c.params.get("thread_ts") == ts
                                         and "(Accountable)" in c.params.get("text", ""))
    # the search team staffs ML Engineer with carl, whom Slack does not know: level 1 is skipped
    assert f"<@{PAT}> (Accountable)" in reply.params["text"]
    [status] = bolt_app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C0SEARCH01"
                                          and "Escalation #" in c.params.get("text", ""))
    assert status.params["thread_ts"] == ts and "level 1 skipped" in status.blocks_text()
    esc = latest(store)
    assert esc.team == "search" and esc.level == 2


def test_vacant_responsible_goes_to_the_accountable_found_by_email(bolt_app: InProcessApp, store: Store) -> None:
    reply = command(bolt_app, "escalate release testing: the suite hangs", channel="C0ESCAL004")
    assert f"went straight to <@{RAJ}> (Accountable)" in reply.params["text"]
    [dm] = posts_to(bolt_app, RAJ, containing="the suite hangs")
    assert "the suite hangs" in dm.blocks_text()


def test_listing_open_escalations(bolt_app: InProcessApp, store: Store) -> None:
    command(bolt_app, "escalate incident response: pager is silent", channel="C0ESCAL005", user=NOOR)
    reply = command(bolt_app, "escalations", channel="C0ESCAL005", user=NOOR)
    assert "Incident response" in json.dumps(reply.params["blocks"])
    usage = command(bolt_app, "escalate docker packaging", channel="C0ESCAL005")
    assert "separated by a colon" in usage.params["text"]
