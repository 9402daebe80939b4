"""Learning's listeners: the picker's options and picks, "None of these", "Not an activity", Approve and Reject."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.blocks.payloads import Asked, LearnAction, PhraseRef, decode
from bot.slack.home import from_home, publish_home

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps
    from bot.slack.learning_desk import LearningDesk

_DECISION = re.compile(rf"^({LearnAction.APPROVE}|{LearnAction.REJECT})(_\d+)?$")


def register(app: App, deps: SlackDeps) -> None:
    """Every learning surface; each listener acks first and hands plain values to the desk."""
    _register_picker(app, deps.replies.learning)
    _register_post_buttons(app, deps)


def _register_picker(app: App, desk: LearningDesk) -> None:
    """The "which activity did you mean?" picker: its options, and a pick."""

    @app.options(LearnAction.PICK)
    def picker_options(ack: Ack, body: dict[str, Any]) -> None:
        ack(options=desk.options(str(body.get("value") or "")))

    @app.action(LearnAction.PICK)
    def picked(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        asked = Asked.decode(action.get("block_id"))
        activity = str((action.get("selected_option") or {}).get("value") or "")
        if asked is None or not activity:
            return
        user = body["user"]["id"]
        if asked.asker:  # the learning channel's post
            respond(replace_original=True, **desk.helper_picked(asked, activity, user=user, client=client).kwargs())
            return
        container = body.get("container", {})
        message = desk.asker_picked(asked, activity, user=user, channel=container.get("channel_id"), client=client,
                                    shareable=bool(container.get("is_ephemeral")))
        respond(replace_original=True, **message.kwargs())


def _register_post_buttons(app: App, deps: SlackDeps) -> None:
    """"None of these", "Not an activity", and Approve/Reject of a learned phrase."""
    desk = deps.replies.learning

    @app.action(LearnAction.NONE)
    def none_of_these(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient,
                      respond: Respond) -> None:
        ack()
        asked = Asked.decode(action.get("value"))
        if asked is not None:
            channel = body.get("container", {}).get("channel_id")
            message = desk.none_of_these(asked, user=body["user"]["id"], channel=channel, client=client)
            respond(replace_original=True, **message.kwargs())

    @app.action(LearnAction.CLOSE)
    def not_an_activity(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient,
                        respond: Respond) -> None:
        ack()
        asked = Asked.decode(action.get("value"))
        if asked is not None:
            respond(replace_original=True, **desk.close(asked, user=body["user"]["id"], client=client).kwargs())

    @app.action(_DECISION)
    def decide(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        phrase = PhraseRef.from_value(decode(action.get("value")))
        if not phrase.phrase_id:
            return
        approve = action["action_id"].startswith(LearnAction.APPROVE)
        message, replace = desk.decide(phrase.phrase_id, approve=approve, user=body["user"]["id"], client=client)
        if from_home(body):  # App Home has no response URL: show it again, with what is still pending
            publish_home(deps, client, user=body["user"]["id"])
            return
        respond(replace_original=replace, response_type="ephemeral", **message.kwargs())
