"""Sends escalation messages through the Slack Web API; failures become Deliveries, never exceptions."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.escalations.views import Delivery, Outgoing
from bot.slack.blocks.escalation import fyi_message, page_message, requester_message, status_message
from bot.slack.blocks.kit import Message
from bot.slack_syntax import CHANNEL_UNREACHABLE, USER_NOT_FOUND

log = logging.getLogger(__name__)

# Errors that will not go away by retrying: record them on the escalation and move on.
PERMANENT = USER_NOT_FOUND | CHANNEL_UNREACHABLE | {
    "account_inactive", "user_disabled", "cannot_dm_bot", "is_archived", "msg_too_long", "invalid_blocks",
    "restricted_action", "message_not_found", "cant_update_message",
}


def api_failure(exc: SlackApiError) -> Delivery:
    """How a Slack API error should be handled: later (429 with Retry-After), or never again."""
    error = str(exc.response.get("error", "unknown_error")) if exc.response is not None else "unknown_error"
    if exc.response is not None and exc.response.status_code == 429:
        retry = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after") or "30"
        return Delivery(ok=False, error="ratelimited", retry_after=float(retry))
    return Delivery(ok=False, error=error, permanent=error in PERMANENT)


class SlackNotifier:
    """Implements escalations' Notifier with chat.postMessage and chat.update."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def send(self, message: Outgoing) -> Delivery:
        esc = message.escalation
        try:
            if message.kind == "page":
                return self._post(message.recipient, page_message(esc, letter="R" if message.level == 1 else "A"))
            if message.kind == "fyi":
                return self._post(message.recipient, fyi_message(esc))
            if message.kind == "requester":
                return self._post(message.recipient, requester_message(esc))
            if message.kind == "status":
                return self._status(message)
        except SlackApiError as exc:
            delivery = api_failure(exc)
            log.warning("escalation %s: %s to %s failed: %s", esc.id, message.kind, message.recipient,
                        delivery.error)
            return delivery
        return Delivery(ok=False, error=f"unknown message kind {message.kind!r}", permanent=True)

    def _post(self, channel: str, msg: Message, thread_ts: str | None = None) -> Delivery:
        response = self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, **msg.kwargs())
        return Delivery(ok=True, ts=response.get("ts"))

    def _status(self, message: Outgoing) -> Delivery:
        esc = message.escalation
        msg = status_message(esc)
        if esc.status_ts:
            self.client.chat_update(channel=message.recipient, ts=esc.status_ts, **msg.kwargs())
            return Delivery(ok=True, ts=esc.status_ts)
        return self._post(message.recipient, msg, thread_ts=esc.thread_ts)
