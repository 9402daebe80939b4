"""Ownership-change listeners: "Suggest a change" and its modal, Approve/Reject, Accept/Decline.

`open_change_modal(deps, client, trigger_id=…, activity=…)` is what other surfaces call to offer
the same flow (review DMs, App Home).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.blocks.changes import NOTE_BLOCK, NOTE_INPUT, REASON_BLOCK, ChangeAction, reject_modal, sent_view
from bot.slack.blocks.kit import Message
from bot.slack.blocks.payloads import ActivityRef, decode
from bot.slack.home import from_home, publish_home

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps

_ROLE_PICKERS = re.compile(rf"^{ChangeAction.ROLES}_[RACI]$")
_SUFFIX = re.compile(r"_\d+$")  # App Home's "_<n>" on the DMs' action ids


def open_change_modal(deps: SlackDeps, client: WebClient, *, trigger_id: str, activity: str,
                      team: str | None = None) -> Message | None:
    """Open the "Suggest a change" modal for an activity; returns the note to show instead when it cannot."""
    return deps.replies.changes.open_modal(client, trigger_id=trigger_id, activity=activity, team=team)


def _change_id(action: dict[str, Any]) -> int | None:
    found = decode(action.get("value")).get("change")
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def register(app: App, deps: SlackDeps) -> None:
    """Every change surface; each listener acks first (a submission acks with its outcome)."""
    _register_proposals(app, deps)
    _register_decisions(app, deps)


def _register_proposals(app: App, deps: SlackDeps) -> None:
    """Suggest a change: the button, the modal's pickers and its submission."""
    desk = deps.replies.changes

    @app.action(ChangeAction.SUGGEST.value)
    def suggest(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        ref = ActivityRef.from_value(decode(action.get("value")))
        note = open_change_modal(deps, client, trigger_id=body["trigger_id"], activity=ref.activity, team=ref.team)
        if note is not None:
            respond(response_type="ephemeral", replace_original=False, **note.kwargs())

    @app.options(_ROLE_PICKERS)
    def role_options(ack: Ack, body: dict[str, Any]) -> None:
        ack(options=desk.typed_options(str(body.get("value") or "")))

    @app.action(re.compile(rf"^({ChangeAction.ROLES}|{ChangeAction.PEOPLE})_[RACI]$"))
    def picked(ack: Ack) -> None:
        ack()  # the modal's pickers: their values arrive with the submission

    @app.view(ChangeAction.MODAL.value)
    def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        error, confirmation = desk.submit(view, user=body["user"]["id"], client=client)
        if error is not None:
            ack(response_action="errors", errors={REASON_BLOCK: error[:300]})
            return
        ack(response_action="update", view=sent_view(confirmation))


def _reply(deps: SlackDeps, client: WebClient, body: dict[str, Any], respond: Respond, message: Message,
           replace: bool) -> None:
    """Replace the clicked DM; from App Home (no response URL) publish it again, and DM a refusal."""
    if not from_home(body):
        respond(replace_original=replace, response_type="ephemeral", **message.kwargs())
        return
    user = body["user"]["id"]
    if not replace:
        client.chat_postMessage(channel=user, **message.kwargs())
    publish_home(deps, client, user=user)


def _register_decisions(app: App, deps: SlackDeps) -> None:
    """Approve / Reject (with its reason modal) by the deciders, Accept / Decline by the new owners.

    App Home shows the same buttons with a "_<n>" suffix (unique within its view)."""
    desk = deps.replies.changes

    @app.action(re.compile(rf"^({ChangeAction.APPROVE}|{ChangeAction.REJECT})(_\d+)?$"))
    def decide(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        change_id = _change_id(action)
        if change_id is None:
            return
        if _SUFFIX.sub("", action["action_id"]) == ChangeAction.REJECT and body.get("trigger_id"):
            client.views_open(trigger_id=body["trigger_id"], view=reject_modal(change_id, from_home=from_home(body)))
            return
        message, replace = desk.decide(change_id, approve=True, user=body["user"]["id"], client=client)
        _reply(deps, client, body, respond, message, replace)

    @app.view(ChangeAction.REJECT_MODAL.value)
    def rejected(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        ack()
        change_id = decode(view.get("private_metadata")).get("change")
        if not isinstance(change_id, int) or isinstance(change_id, bool):
            return
        state = (view.get("state") or {}).get("values") or {}
        note = ((state.get(NOTE_BLOCK) or {}).get(NOTE_INPUT) or {}).get("value")
        user = body["user"]["id"]
        message, _ = desk.decide(change_id, approve=False, user=user, client=client,
                                 note=note if isinstance(note, str) else None)
        client.chat_postMessage(channel=user, **message.kwargs())
        if decode(view.get("private_metadata")).get("home") is True:
            publish_home(deps, client, user=user)

    @app.action(re.compile(rf"^({ChangeAction.ACCEPT}|{ChangeAction.DECLINE})(_\d+)?$"))
    def answer(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        change_id = _change_id(action)
        if change_id is None:
            return
        accept = _SUFFIX.sub("", action["action_id"]) == ChangeAction.ACCEPT
        message, replace = desk.answer(change_id, accept=accept, user=body["user"]["id"], client=client)
        _reply(deps, client, body, respond, message, replace)
