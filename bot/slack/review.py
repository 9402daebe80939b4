"""Review DM listeners: All correct, Confirm and Suggest a change (each acks first, then hands off to the desk)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.blocks.payloads import decode
from bot.slack.blocks.review import ReviewAction
from bot.slack.changes import open_change_modal

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps

_CONFIRM = re.compile(rf"^({ReviewAction.ALL}|{ReviewAction.CONFIRM}_\d+)$")
_SUGGEST = re.compile(rf"^{ReviewAction.SUGGEST}_\d+$")


def register(app: App, deps: SlackDeps) -> None:
    """The review DM's buttons."""
    desk = deps.replies.review

    @app.action(_CONFIRM)
    def confirmed(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient,
                  respond: Respond) -> None:
        ack()
        value = decode(action.get("value"))
        key, activity = value.get("key"), value.get("activity")
        if not isinstance(key, str):
            return
        one = activity if isinstance(activity, str) and action["action_id"] != ReviewAction.ALL else None
        message, replace = desk.confirm(key, one, user=body["user"]["id"], client=client)
        respond(replace_original=replace, response_type="ephemeral", **message.kwargs())

    @app.action(_SUGGEST)
    def suggest(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        activity = decode(action.get("value")).get("activity")
        if not isinstance(activity, str):
            return
        # the ownership-change flow (issue 13): its modal, or its note when proposals are off in this matrix
        note = open_change_modal(deps, client, trigger_id=body.get("trigger_id", ""), activity=activity)
        if note is not None:
            respond(replace_original=False, response_type="ephemeral", **note.kwargs())
