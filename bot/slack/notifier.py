"""Sends escalation messages through the Slack Web API; failures become Deliveries, never exceptions."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.escalations.views import Outgoing
from bot.slack.blocks.escalation import fyi_message, page_message, requester_message, status_message
from bot.slack.blocks.kit import Message
from bot.slack.delivery_log import DeliveryLog
from bot.slack_syntax import CHANNEL_UNREACHABLE, USER_NOT_FOUND
from bot.store.outbox import Delivery
from bot.store.outbox_policy import DEFAULT_RETRY_AFTER

log = logging.getLogger(__name__)

# The one list of Slack errors that retrying cannot fix: a delivery that gets one fails and is reported
# where its escalation or digest is shown. Every other failure (5xx, timeouts, connection errors, 429,
# errors not listed here) is retried by the outbox until the message's deadline.
PERMANENT = USER_NOT_FOUND | CHANNEL_UNREACHABLE | frozenset({
    "account_inactive", "user_disabled", "cannot_dm_bot",
    "is_archived", "msg_too_long", "invalid_blocks",
    "restricted_action", "message_not_found", "cant_update_message",
})


def api_failure(exc: SlackApiError) -> Delivery:
    """How a Slack API error should be handled: later (429 with Retry-After, 5xx, unknown), or never again."""
    response = exc.response
    status = response.status_code if response is not None else 0
    if status == 429:
        return Delivery(ok=False, error="ratelimited", retry_after=_retry_after(response.headers))
    error = str(response.get("error") or "") if response is not None and isinstance(response.data, dict) else ""
    if status >= 500:
        return Delivery(ok=False, error=f"http_{status}")  # the body is an error page, or says no more
    error = error or "unknown_error"
    return Delivery(ok=False, error=error, permanent=error in PERMANENT)


def network_failure(exc: OSError | ValueError) -> Delivery:
    """A timeout, a dropped connection or an answer that is not Slack's JSON (a 5xx error page): transient."""
    return Delivery(ok=False, error=f"{type(exc).__name__}: {exc}"[:200])


def _retry_after(headers: dict[str, Any]) -> float:
    raw = headers.get("Retry-After") or headers.get("retry-after")
    if not isinstance(raw, str | bytes | int | float):  # missing, or not a value float() reads
        return DEFAULT_RETRY_AFTER.total_seconds()
    try:
        return max(0.0, float(raw))
    except ValueError:
        return DEFAULT_RETRY_AFTER.total_seconds()


class SlackNotifier:
    """Implements escalations' Notifier with chat.postMessage and chat.update."""

    def __init__(self, client: WebClient, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.deliveries = DeliveryLog(log, "escalation messages", clock=clock)

    def send(self, message: Outgoing) -> Delivery:
        """Send one escalation message; a Slack outage is logged once for all of them, not once per try."""
        what = f"escalation {message.escalation.id}: {message.kind} to {message.recipient}"
        return self.deliveries.record(self._send(message), what=what)

    def _send(self, message: Outgoing) -> Delivery:
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
        except (OSError, ValueError) as exc:
            delivery = network_failure(exc)
        else:
            return Delivery(ok=False, error=f"unknown message kind {message.kind!r}", permanent=True)
        return delivery

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
