"""Escalation listeners: the Escalate button and its modal, "which activity?" picks, Acknowledge/Resolve/Cancel."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.escalations.engine import EscalationNotFound
from bot.slack.blocks.escalation_forms import (
    PROBLEM_BLOCK,
    modal_values,
    modal_view,
)
from bot.slack.blocks.kit import Message
from bot.slack.blocks.notes import note_message
from bot.slack.blocks.payloads import ActivityRef, EscalationAction, EscalationDraft, EscalationRef, decode
from bot.slack.escalation_desk import Origin, dm_after, outcome_note
from bot.slack_syntax import CHANNEL_UNREACHABLE, is_channel, is_dm_channel

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps

VERBS = {EscalationAction.ACK: "ack", EscalationAction.RESOLVE: "resolve", EscalationAction.CANCEL: "cancel"}


def channel_of(body: dict[str, Any]) -> str | None:
    """The public or private channel a click came from; None in a DM (no status message there)."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return channel if is_channel(channel) else None


def tell(client: WebClient, *, user: str, channel: str | None, message: Message) -> None:
    """An ephemeral note in the channel, or a DM when there is no channel (or the bot is not in it)."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user, **message.kwargs())
            return
        except SlackApiError as exc:
            if exc.response.get("error") not in CHANNEL_UNREACHABLE:
                raise
    client.chat_postMessage(channel=user, **message.kwargs())


def register(app: App, deps: SlackDeps) -> None:
    """Everything with a button or a modal in the escalation flow."""
    desk = deps.escalations

    @app.action(EscalationAction.ESCALATE.value)
    def open_modal(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        ref = ActivityRef.from_value(decode(action.get("value")))
        thread_ts = (body.get("container") or {}).get("thread_ts")
        client.views_open(trigger_id=body["trigger_id"], view=modal_view(
            activity=ref.activity, team=ref.team, channel=channel_of(body), thread_ts=thread_ts))

    @app.view(EscalationAction.MODAL.value)
    def submit_modal(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        draft, link = modal_values(view)
        if not draft.problem:
            ack(response_action="errors", errors={PROBLEM_BLOCK: "Say what is wrong, so the owners can act."})
            return
        ack()
        user = body["user"]["id"]
        origin = Origin(user=user, channel=draft.channel, thread_ts=draft.thread_ts)
        message = desk.raise_for(draft.activity, team=draft.team, problem=draft.problem, link=link,
                                 origin=origin, client=client)
        tell(client, user=user, channel=origin.channel, message=message)

    @app.action(re.compile(rf"^{EscalationAction.PICK}_\d+$"))
    def pick_activity(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient,
                      respond: Respond) -> None:
        ack()
        draft = EscalationDraft.from_value(decode(action.get("value")))
        origin = Origin(user=body["user"]["id"], channel=draft.channel, thread_ts=draft.thread_ts)
        message = desk.raise_for(draft.activity, team=draft.team, problem=draft.problem,
                                 link=None, origin=origin, client=client)
        respond(replace_original=True, **message.kwargs())

    @app.action(re.compile(rf"^({EscalationAction.ACK}|{EscalationAction.RESOLVE}|{EscalationAction.CANCEL})$"))
    def act(ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond) -> None:
        ack()
        user, verb = body["user"]["id"], VERBS[action["action_id"]]
        try:
            outcome = desk.act(verb, EscalationRef.from_value(decode(action.get("value"))).escalation, user=user)
        except EscalationNotFound as exc:
            respond(response_type="ephemeral", replace_original=False, **note_message(str(exc)).kwargs())
            return
        in_dm = is_dm_channel((body.get("channel") or {}).get("id"))
        if outcome.changed and in_dm and verb != "cancel":
            respond(replace_original=True, **dm_after(outcome, verb, user).kwargs())
            return
        respond(response_type="ephemeral", replace_original=False, **outcome_note(outcome).kwargs())
