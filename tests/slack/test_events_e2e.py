"""Mentions, direct messages, App Home, and what Slack requires: signatures, retries, failures, health."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

from tests.fakes.slack_api import Call
from tests.fakes.slack_requests import app_mention, block_actions, direct_message, home_opened, unique
from tests.slack.block_kit import check_message
from tests.slack.conftest import RunningApp


def new_ts() -> str:
    return f"{time.time():.6f}"


def posted(app: RunningApp, channel: str, *, method: str = "chat.postMessage", count: int = 1) -> list[Call]:
    calls = app.slack.wait_for(method, lambda c: c.params.get("channel") == channel, count=count)
    for call in calls:
        check_message(call.params.get("text"), call.params.get("blocks", []))
    return calls


def mention(app: RunningApp, text: str, **kwargs: object) -> tuple[str, str]:
    """Mention the bot in a fresh channel; returns (channel, the message's ts)."""
    channel, ts = unique("C"), new_ts()
    assert app.sender().event(app_mention(text, channel=channel, ts=ts), **kwargs).status == 200
    return channel, ts


def test_mention_is_answered_in_a_thread_under_it(running_app: RunningApp) -> None:
    channel, ts = mention(running_app, "who owns the feature store?")
    [reply] = posted(running_app, channel)
    assert reply.params["thread_ts"] == ts
    assert reply.auth == "Bearer xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
    assert "*Responsible:* <@U0OMAR001>" in reply.blocks_text()
    assert "Share in channel" not in reply.blocks_text()  # already visible to everyone


def test_mention_in_a_teams_channel_is_answered_for_the_team(running_app: RunningApp) -> None:
    ts = new_ts()
    event = app_mention("who is responsible for model training code", channel="C0SEARCH01", ts=ts)
    assert running_app.sender().event(event).status == 200
    [reply] = running_app.slack.wait_for("chat.postMessage", lambda c: c.params.get("thread_ts") == ts)
    assert "*Responsible:* <@U0BEA0001>" in reply.blocks_text()
    assert "Search product team" in reply.blocks_text()


def test_direct_message_is_answered_in_the_dm(running_app: RunningApp) -> None:
    channel = unique("D")
    event = direct_message("docker packaging", channel=channel, ts=new_ts())
    assert running_app.sender().event(event).status == 200
    [reply] = posted(running_app, channel)
    assert "thread_ts" not in reply.params
    assert "<!subteam^S0MLENG01>" in reply.blocks_text()


def test_bot_and_edited_messages_in_a_dm_get_no_reply(running_app: RunningApp) -> None:
    channel = unique("D")
    own = {**direct_message("my own reply", channel=channel, ts=new_ts()), "bot_id": "B0RACIBOT"}
    edit = {**direct_message("edited", channel=channel, ts=new_ts()), "subtype": "message_changed"}
    for event in (own, edit):
        assert running_app.sender().event(event).status == 200
    sentinel = direct_message("help", channel=channel, ts=new_ts())
    assert running_app.sender().event(sentinel).status == 200
    [reply] = posted(running_app, channel)
    assert "/raci list" in reply.blocks_text()  # the only reply is to the sentinel
    time.sleep(0.2)
    assert len(running_app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == channel)) == 1


def test_a_retry_and_a_duplicate_delivery_get_200_and_no_second_reply(running_app: RunningApp) -> None:
    channel, ts, event_id = unique("C"), new_ts(), unique("Ev")
    event = app_mention("docker", channel=channel, ts=ts)
    sender = running_app.sender()
    assert sender.event(event, event_id=event_id).status == 200
    posted(running_app, channel)
    assert sender.event(event, event_id=event_id, retry=1).status == 200
    assert sender.event(event, event_id=event_id).status == 200  # a duplicate delivery without retry headers
    # a later event in the same channel is answered: by then the duplicates would have been too
    later = app_mention("feature store", channel=channel, ts=new_ts())
    assert sender.event(later).status == 200
    replies = posted(running_app, channel, count=2)
    assert [r.params["thread_ts"] for r in replies] == [ts, later["ts"]]
    time.sleep(0.2)
    assert len(running_app.slack.calls("chat.postMessage", lambda c: c.params.get("channel") == channel)) == 2


def test_forged_and_stale_requests_get_401_and_cause_nothing(running_app: RunningApp) -> None:
    channel = unique("C")
    forged = running_app.sender(secret="not-the-signing-secret")
    assert forged.event(app_mention("docker", channel=channel, ts=new_ts())).status == 401
    stale = running_app.sender()
    six_minutes_ago = time.time() - 6 * 60
    assert stale.event(app_mention("docker", channel=channel, ts=new_ts()), timestamp=six_minutes_ago).status == 401
    name = unique("cmd")
    reply = forged.command("docker", response_url=running_app.slack.response_url(name), channel=channel)
    assert reply.status == 401
    # a genuine request afterwards is answered; the forged and stale ones never were
    genuine = app_mention("help", channel=channel, ts=new_ts())
    assert running_app.sender().event(genuine).status == 200
    [only] = posted(running_app, channel)
    assert only.params["thread_ts"] == genuine["ts"]
    assert running_app.slack.calls("response", lambda c: c.path.endswith(name)) == []


def test_app_home_shows_what_the_viewer_owns(running_app: RunningApp) -> None:
    assert running_app.sender().event(home_opened("U0LENA001")).status == 200
    [call] = running_app.slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "U0LENA001")
    view = call.params["view"]
    check_message(None, view["blocks"], view=True)
    assert view["type"] == "home"
    text = call.blocks_text()
    assert "What you own" in text
    assert "*Responsible for* (1)" in text and "*Docker packaging* — as ML Engineer" in text
    assert "*Accountable for* (1)" in text and "*Model training code* — as ML Engineer" in text
    assert "*Consulted on* (1): Feature store mgmt" in text
    assert "*Roles:* ML Engineer" in text


def test_app_home_finds_someone_by_their_slack_email(running_app: RunningApp) -> None:
    assert running_app.sender().event(home_opened("U0NOOR001")).status == 200
    [call] = running_app.slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "U0NOOR001")
    assert "*Incident response* — as Site Reliability Engineer" in call.blocks_text()


def test_app_home_for_someone_not_in_the_matrix_is_a_friendly_note(running_app: RunningApp) -> None:
    assert running_app.sender().event(home_opened("U0STRANGER")).status == 200
    [call] = running_app.slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "U0STRANGER")
    assert "not in the RACI matrix yet" in call.blocks_text()


def test_rate_limited_post_is_retried_after_retry_after(running_app: RunningApp) -> None:
    running_app.slack.rate_limit("chat.postMessage", 1, retry_after=1)
    channel, _ = mention(running_app, "docker")
    calls = running_app.slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == channel, count=2)
    assert calls[1].at - calls[0].at >= 0.9


def test_not_in_channel_tells_the_asker_privately_and_the_app_keeps_working(running_app: RunningApp) -> None:
    running_app.slack.fail("chat.postMessage", "not_in_channel")
    channel, _ = mention(running_app, "docker")
    [note] = posted(running_app, channel, method="chat.postEphemeral")
    assert note.params["user"] == "U0ASKER01"
    assert "Invite me with `/invite @raci`" in note.blocks_text()
    again, _ = mention(running_app, "docker")
    posted(running_app, again)


def test_a_failure_shows_one_friendly_message_with_the_error_id_that_is_in_the_log(running_app: RunningApp) -> None:
    name = unique("act")
    running_app.slack.fail("views.open", "internal_error")  # the Escalate button's modal cannot open
    broken = block_actions("raci_escalate", '{"activity": "Docker packaging"}',
                           response_url=running_app.slack.response_url(name))
    assert running_app.sender().action(broken).status == 200  # acknowledged before the failure
    [message] = running_app.slack.response(name)
    assert message.params["response_type"] == "ephemeral"
    error_id = re.search(r"error id `([0-9a-f]+)`", message.blocks_text()).group(1)
    assert error_id in message.params["text"]
    deadline = time.monotonic() + 5
    while f"error {error_id}" not in running_app.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    log = running_app.output()
    assert f"error {error_id}: Slack API error internal_error while handling block_actions" in log
    assert "Traceback" in log.split(f"error {error_id}")[1][:300]


def test_healthz_and_unknown_paths(running_app: RunningApp) -> None:
    with urllib.request.urlopen(running_app.url + "/healthz", timeout=5) as response:
        assert response.status == 200 and json.load(response)["ok"] is True
    for path in ("/", "/slack/install", "/healthz/x"):
        try:
            urllib.request.urlopen(running_app.url + path, timeout=5)
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
        else:
            raise AssertionError(f"{path} should be 404")
