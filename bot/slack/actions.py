"""Buttons: share an answer in the channel, pick a candidate, turn a page of `/raci list`."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.blocks.answer import PICK_ACTION, SHARE_ACTION
from bot.slack.blocks.learning import Asked
from bot.slack.blocks.listing import PAGE_ACTION

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps


def button_value(action: dict[str, Any]) -> dict[str, Any]:
    """The small JSON our builders put in a button's value."""
    value = json.loads(action.get("value") or "{}")
    return value if isinstance(value, dict) else {}


def register(app: App, deps: SlackDeps) -> None:
    """The answer's buttons and the list's page buttons."""

    @app.action(SHARE_ACTION)
    def share(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        value = button_value(action)
        message = deps.replies.activity(value.get("a", ""), team=value.get("t"), client=client, shareable=False,
                                        shared_by=body["user"]["id"])
        respond(response_type="in_channel", replace_original=False, **message.kwargs())

    @app.action(re.compile(rf"^{PICK_ACTION}_\d+$"))
    def pick(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        value = button_value(action)
        container = body.get("container", {})
        ephemeral = bool(container.get("is_ephemeral"))
        asked = Asked.decode(json.dumps({"question": value["question"], "team": value.get("t")})
                             ) if isinstance(value.get("question"), str) else None
        if asked is not None:  # an answer to a question we could not answer: the pick also teaches it
            message = deps.replies.learning.asker_picked(asked, str(value.get("a", "")), user=body["user"]["id"],
                                                         channel=container.get("channel_id"), client=client,
                                                         shareable=ephemeral)
        else:
            message = deps.replies.activity(value.get("a", ""), team=value.get("t"), client=client,
                                            shareable=ephemeral)
        respond(replace_original=True, **message.kwargs())

    @app.action(re.compile(rf"^{PAGE_ACTION}_(prev|next)$"))
    def turn_page(ack: Ack, action: dict[str, Any], respond: Respond) -> None:
        ack()
        value = button_value(action)
        message = deps.replies.activities(str(value.get("f", "")), page=int(value.get("p", 0)))
        respond(replace_original=True, **message.kwargs())
