"""Mentions, direct messages, App Home, and what Slack requires: retries, failures (in process; the signature and
HTTP surface are tests/slack/test_security_e2e.py's)."""

from __future__ import annotations

import re
import time

from tests.fakes.slack_api import Call
from tests.fakes.slack_requests import app_mention, block_actions, direct_message, home_opened, unique
from tests.slack.block_kit import check_message
from tests.slack.in_process import InProcessApp


def new_ts() -> str:
    return f"{time.time():.6f}"


def posted(app: InProcessApp, channel: str, *, method: str = "chat.postMessage", count: int = 1) -> list[Call]:
    calls = app.slack.wait_for(method, lambda c: c.params.get("channel") == channel, count=count)
    for call in calls:
        check_message(call.params.get("text"), call.params.get("blocks", []))
    return calls


def mention(app: InProcessApp, text: str, **kwargs: object) -> tuple[str, str]:
    """Mention the bot in a fresh channel; returns (channel, the message's ts)."""
    channel, ts = unique("C"), new_ts()
    assert app.sender().event(app_mention(text, channel=channel, ts=ts), **kwargs).status == 200
    return channel, ts


def test_mention_is_answered_in_a_thread_under_it(bolt_app: InProcessApp) -> None:
    channel, ts = mention(bolt_app, "who owns the feature store?")
    [reply] = posted(bolt_app, channel)
    assert reply.params["thread_ts"] == ts
    assert reply.auth == "Bearer xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
    assert "*Responsible:* <@U0OMAR001>" in reply.blocks_text()
    assert "Share in channel" not in reply.blocks_text()  # already visible to everyone


def test_mention_in_a_teams_channel_is_answered_for_the_team(bolt_app: InProcessApp) -> None:
    ts = new_ts()
    event = app_mention("who is responsible for model training code", channel="C0SEARCH01", ts=ts)
    assert bolt_app.sender().event(event).status == 200
    [reply] = bolt_app.slack.wait_for("chat.postMessage", lambda c: c.params.get("thread_ts") == ts)
    assert "*Responsible:* <@U0BEA0001>" in reply.blocks_text()
    assert "Search product team" in reply.blocks_text()


def test_direct_message_is_answered_in_the_dm(bolt_app: InProcessApp) -> None:
    channel = unique("D")
    event = direct_message("docker packaging", channel=channel, ts=new_ts())
    assert bolt_app.sender().event(event).status == 200
    [reply] = posted(bolt_app, channel)
    assert "thread_ts" not in reply.params
    assert "<!subteam^S0MLENG01>" in reply.blocks_text()


def test_bot_and_edited_messages_in_a_dm_get_no_reply(bolt_app: InProcessApp) -> None:
    channel = unique("D")
    own = {**direct_message("my own reply", channel=channel, ts=new_ts()), "bot_id": "B0RACIBOT"}
    edit = {**direct_message("edited", channel=channel, ts=new_ts()), "subtype": "message_changed"}
    for event in (own, edit):
        assert bolt_app.sender().event(event).status == 200
    sentinel = direct_message("help", channel=channel, ts=new_ts())
    assert bolt_app.sender().event(sentinel).status == 200
    [reply] = posted(bolt_app, channel)
    assert "/raci list" in reply.blocks_text()  # the only reply is to the sentinel
    # every request was handled to the end when its post returned: a second reply would be here already
    assert len(bolt_app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == channel)) == 1


def test_a_retry_and_a_duplicate_delivery_get_200_and_no_second_reply(bolt_app: InProcessApp) -> None:
    channel, ts, event_id = unique("C"), new_ts(), unique("Ev")
    event = app_mention("docker", channel=channel, ts=ts)
    sender = bolt_app.sender()
    assert sender.event(event, event_id=event_id).status == 200
    posted(bolt_app, channel)
    assert sender.event(event, event_id=event_id, retry=1).status == 200
    assert sender.event(event, event_id=event_id).status == 200  # a duplicate delivery without retry headers
    # a later event in the same channel is answered: by then the duplicates would have been too
    later = app_mention("feature store", channel=channel, ts=new_ts())
    assert sender.event(later).status == 200
    replies = posted(bolt_app, channel, count=2)
    assert [r.params["thread_ts"] for r in replies] == [ts, later["ts"]]
    assert len(bolt_app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == channel)) == 2


def test_app_home_shows_what_the_viewer_owns(bolt_app: InProcessApp) -> None:
    assert bolt_app.sender().event(home_opened("U0LENA001")).status == 200
    [call] = bolt_app.slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "U0LENA001")
    view = call.params["view"]
    check_message(None, view["blocks"], view=True)
    assert view["type"] == "home"
    text = call.blocks_text()
    assert "What you own" in text
    assert "*Responsible for* (1)" in text and "*Docker packaging* — as ML Engineer" in text
    assert "*Accountable for* (1)" in text and "*Model training code* — as ML Engineer" in text
    assert "*Consulted on* (1): Feature store mgmt" in text
    assert "*Roles:* ML Engineer" in text


def test_app_home_finds_someone_by_their_slack_email(bolt_app: InProcessApp) -> None:
    assert bolt_app.sender().event(home_opened("U0NOOR001")).status == 200
    [call] = bolt_app.slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "U0NOOR001")
    assert "*Incident response* — as Site Reliability Engineer" in call.blocks_text()


def test_app_home_for_someone_not_in_the_matrix_is_a_friendly_note(bolt_app: InProcessApp) -> None:
    assert bolt_app.sender().event(home_opened("U0STRANGER")).status == 200
    [call] = bolt_app.slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "U0STRANGER")
    assert "not in the RACI matrix yet" in call.blocks_text()


def test_rate_limited_post_is_retried_after_retry_after(bolt_app: InProcessApp) -> None:
    bolt_app.slack.rate_limit("chat.postMessage", 1, retry_after=1)
    channel, _ = mention(bolt_app, "docker")
    calls = bolt_app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == channel, count=2)
    assert calls[1].at - calls[0].at >= 0.9


def test_not_in_channel_tells_the_asker_privately_and_the_app_keeps_working(bolt_app: InProcessApp) -> None:
    bolt_app.slack.fail("chat.postMessage", "not_in_channel")
    channel, _ = mention(bolt_app, "docker")
    [note] = posted(bolt_app, channel, method="chat.postEphemeral")
    assert note.params["user"] == "U0ASKER01"
    assert "Invite me with `/invite @raci`" in note.blocks_text()
    again, _ = mention(bolt_app, "docker")
    posted(bolt_app, again)


def test_a_failure_shows_one_friendly_message_with_the_error_id_that_is_in_the_log(bolt_app: InProcessApp) -> None:
    name = unique("act")
    bolt_app.slack.fail("views.open", "internal_error")  # the Escalate button's modal cannot open
    broken = block_actions("raci_escalate", '{"activity": "Docker packaging"}',
                           response_url=bolt_app.slack.response_url(name))
    assert bolt_app.sender().action(broken).status == 200  # acknowledged before the failure
    [message] = bolt_app.slack.response(name)
    assert message.params["response_type"] == "ephemeral"
    error_id = re.search(r"error id `([0-9a-f]+)`", message.blocks_text()).group(1)
    assert error_id in message.params["text"]
    log = bolt_app.output()
    assert f"error {error_id}: Slack API error internal_error while handling block_actions" in log
    assert "Traceback" in log.split(f"error {error_id}")[1][:300]
