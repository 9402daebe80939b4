"""The one place failures become a friendly message with an error id; the log gets the traceback and the id."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime.logs import bind
from bot.slack.blocks.kit import Message
from bot.slack.blocks.notes import failure_message, note_message
from bot.slack.observability import mark_failed
from bot.slack.request_gate import was_verified

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps

log = logging.getLogger(__name__)

# Slack API errors that say something the user can act on, rather than "something broke".
SLACK_ERROR_NOTES = {
    "not_in_channel": "I'm not in this channel, so I can't answer here. Invite me with `/invite @raci` and ask again.",
    "channel_not_found": "I can't see this channel. Invite me with `/invite @raci`, or ask me in a direct message.",
    "ratelimited": "Slack is asking me to slow down. Please try again in a minute.",
}


# Event ids we apologised for, so Slack's retries of a failing event (up to 3, within minutes) get no second
# "Sorry". In memory, not in the database: the failure being apologised for is usually the database being down.
# 10,000 ids of ~20 bytes cover any burst of failures within Slack's retry window; the oldest are forgotten.
APOLOGY_MEMORY = 10_000
_apologised: OrderedDict[str, None] = OrderedDict()
_apologised_lock = threading.Lock()


def first_apology(event_id: str | None) -> bool:
    """True unless we already told the user about this event id (a retry of the same event)."""
    if not event_id:
        return True
    with _apologised_lock:
        if event_id in _apologised:
            return False
        _apologised[event_id] = None
        while len(_apologised) > APOLOGY_MEMORY:
            _apologised.popitem(last=False)
        return True


def new_error_id() -> str:
    return uuid.uuid4().hex[:10]


def message_for(error: Exception, error_id: str) -> Message:
    """What the user sees: a known Slack problem explained, else an apology with the id."""
    code = error.response.get("error") if isinstance(error, SlackApiError) else None
    if code in SLACK_ERROR_NOTES:
        return note_message(f"{SLACK_ERROR_NOTES[code]} (error id {error_id})")
    return failure_message(error_id)


def handle_error(error: Exception, body: dict[str, Any], client: WebClient, respond: Respond | None,
                 request: BoltRequest | None = None) -> BoltResponse:
    """Log once with an id, tell the user once, and never let the failure escape the worker."""
    if not was_verified(request):
        # Never act on what an unverified body names (its response_url, its channel): that would let anyone
        # make the bot post, or POST to any URL. The gate refuses such requests; this holds even if it did not.
        log.warning("ignored a %s on a request that was not verified", type(error).__name__)
        return BoltResponse(status=401, body="")
    error_id = new_error_id()
    bind(error_id=error_id)
    mark_failed(body)
    kind = body.get("event", {}).get("type") or body.get("type") or body.get("command") or "request"
    if isinstance(error, SlackApiError):
        log.warning("error %s: Slack API error %s while handling %s", error_id, error.response.get("error"), kind,
                    exc_info=error)
    else:
        log.error("error %s while handling %s", error_id, kind, exc_info=error)
    if not first_apology(body.get("event_id")):
        log.info("error %s: a retry of event %s, whose user was already told", error_id, body.get("event_id"))
        return BoltResponse(status=500, body="")
    try:
        tell_user(message_for(error, error_id), body=body, client=client, respond=respond)
    except SlackApiError as exc:
        log.warning("error %s: could not tell the user either: %s", error_id, exc.response.get("error"))
    return BoltResponse(status=500, body="")


def tell_user(message: Message, *, body: dict[str, Any], client: WebClient, respond: Respond | None) -> None:
    """Reach the person who asked: through the response URL, ephemerally in the channel, or in their DM."""
    if respond is not None and (body.get("response_url") or body.get("response_urls")):
        respond(response_type="ephemeral", replace_original=False, **message.kwargs())
        return
    event = body.get("event") or {}
    user, channel = event.get("user"), event.get("channel")
    if not user:
        return
    if event.get("type") == "app_home_opened":
        return  # the home tab keeps its previous content; the log has the id
    if event.get("channel_type") == "im" and channel:
        client.chat_postMessage(channel=channel, **message.kwargs())
    elif channel:
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=event.get("thread_ts") or event.get("ts"),
                                  **message.kwargs())


def register(app: App, deps: SlackDeps) -> None:
    """Install the global error handler."""
    del deps
    app.error(handle_error)
