"""Buttons: share an answer in the channel, pick a candidate, turn a page of `/raci list`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.blocks.learning import Asked, unescape
from bot.slack.blocks.payloads import ActivityRef, AnswerAction, ListAction, ListPage, decode

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps


def register(app: App, deps: SlackDeps) -> None:
    """The answer's buttons and the list's page buttons."""

    @app.action(AnswerAction.SHARE.value)
    def share(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        ref = ActivityRef.from_value(decode(action.get("value")))
        message = deps.replies.activity(ref.activity, team=ref.team, client=client, shareable=False,
                                        shared_by=body["user"]["id"])
        respond(response_type="in_channel", replace_original=False, **message.kwargs())

    @app.action(re.compile(rf"^{AnswerAction.PICK}_\d+$"))
    def pick(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        value = decode(action.get("value"))
        ref = ActivityRef.from_value(value)
        container = body.get("container", {})
        ephemeral = bool(container.get("is_ephemeral"))
        question = value.get("question")
        if isinstance(question, str):  # an answer to a question we could not answer: the pick also teaches it
            asked = Asked(question=unescape(question), team=ref.team)
            message = deps.replies.learning.asker_picked(asked, ref.activity, user=body["user"]["id"],
                                                         channel=container.get("channel_id"), client=client,
                                                         shareable=ephemeral)
        else:
            message = deps.replies.activity(ref.activity, team=ref.team, client=client, shareable=ephemeral)
        respond(replace_original=True, **message.kwargs())

    @app.action(re.compile(rf"^{ListAction.PAGE}_(prev|next)$"))
    def turn_page(ack: Ack, action: dict[str, Any], respond: Respond) -> None:
        ack()
        wanted = ListPage.from_value(decode(action.get("value")))
        message = deps.replies.activities(wanted.filter, page=wanted.page)
        respond(replace_original=True, **message.kwargs())
