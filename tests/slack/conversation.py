"""Talking to the in-process app as a Slack user does: a slash command or a button click, answered once."""

from __future__ import annotations

from tests.fakes.slack_api import Call
from tests.fakes.slack_requests import block_actions, unique
from tests.slack.block_kit import check_message
from tests.slack.in_process import InProcessApp

ASKER = "U0ASKER01"


def command(app: InProcessApp, text: str, *, channel: str, user: str = ASKER) -> Call:
    """`/raci text` from `user` in `channel`: the one reply to its response URL (valid Block Kit)."""
    name = unique("cmd")
    assert app.sender().command(text, response_url=app.slack.response_url(name), user=user,
                                channel=channel).status == 200
    [reply] = app.slack.response(name)
    check_message(reply.params.get("text"), reply.params.get("blocks", []))
    return reply


def click(app: InProcessApp, action_id: str, value: str, *, user: str, channel: str) -> Call:
    """A click on a button of a posted (not ephemeral) message: the one reply to its response URL."""
    name = unique("act")
    payload = block_actions(action_id, value, response_url=app.slack.response_url(name), user=user,
                            channel=channel, ephemeral=False)
    assert app.sender().action(payload).status == 200
    [reply] = app.slack.response(name)
    return reply
