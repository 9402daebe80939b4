"""Sends `outbox_messages` rows (bot/store/outbox.py's MessageQueue): each kind's renderer makes the message.

A row whose payload names an `update_key` edits the message sent for that key (chat.update)
instead of posting a new one: the learned-phrase approval DMs are updated this way once decided.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.changes import notices as change_notices
from bot.learning import notices
from bot.review.job import REQUEST as REVIEW_REQUEST
from bot.slack.blocks import changes as change_blocks
from bot.slack.blocks import learning as learning_blocks
from bot.slack.blocks.kit import Message
from bot.slack.blocks.payloads import PhraseApproval, PhraseDecision
from bot.slack.blocks.review import review_message
from bot.slack.delivery_log import DeliveryLog
from bot.slack.notifier import api_failure, network_failure
from bot.store.db import Store
from bot.store.outbox import Delivery, MessageQueue, Outbox, OutgoingMessage
from bot.store.outbox_models import OutboxMessage

log = logging.getLogger(__name__)

# Each kind's payload is parsed into its typed structure (bot/slack/blocks/payloads.py), then rendered.
RENDERERS: dict[str, Callable[[dict[str, Any]], Message]] = {
    notices.APPROVAL: lambda payload: learning_blocks.approval_message(PhraseApproval.from_value(payload)),
    notices.DECIDED: lambda payload: learning_blocks.decided_message(PhraseDecision.from_value(payload)),
    change_notices.APPROVAL: change_blocks.approval_message,
    change_notices.DECIDED: change_blocks.decided_message,
    change_notices.ACCEPT: change_blocks.accept_message,
    change_notices.ANSWERED: change_blocks.answered_message,
    change_notices.OUTCOME: change_blocks.outcome_message,
    change_notices.APPLIED: change_blocks.applied_message,
    change_notices.FYI: change_blocks.fyi_message,
    REVIEW_REQUEST: review_message,
}


class SlackMessageTransport:
    """Posts (or updates) one rendered message; every failure comes back as a Delivery."""

    def __init__(self, client: WebClient, store: Store, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.store = store
        self.deliveries = DeliveryLog(log, "outbox messages", clock=clock)

    def send(self, message: OutgoingMessage) -> Delivery:
        """Send one message; how it went is logged once per outage, never once per try."""
        what = f"outbox message {message.id} ({message.kind}) to {message.recipient}"
        return self.deliveries.record(self._send(message), what=what)

    def _send(self, message: OutgoingMessage) -> Delivery:
        render = RENDERERS.get(message.kind)
        if render is None:
            return Delivery(ok=False, error=f"unknown message kind {message.kind!r}", permanent=True)
        rendered = render(message.payload)
        try:
            update_key = message.payload.get("update_key")
            if update_key:
                return self._update(str(update_key), message.recipient, rendered)
            response = self.client.chat_postMessage(channel=message.recipient, **rendered.kwargs())
            return Delivery(ok=True, ts=response.get("ts"))
        except SlackApiError as exc:
            delivery = api_failure(exc)
        except (OSError, ValueError) as exc:
            delivery = network_failure(exc)
        return delivery

    def _update(self, key: str, recipient: str, rendered: Message) -> Delivery:
        with self.store.session() as session:
            original = session.execute(select(OutboxMessage.state, OutboxMessage.ts)
                                       .where(OutboxMessage.key == key)).first()
        if original is None or original.state not in ("pending", "sent"):
            return Delivery(ok=True)  # never sent and never will be: nothing to update
        if original.ts is None:
            return Delivery(ok=False, error="the message to update is not sent yet")  # retried later
        # A DM's ts belongs to the IM channel, which chat.update needs (a user ID is not enough).
        channel = self.client.conversations_open(users=recipient)["channel"]["id"]
        self.client.chat_update(channel=channel, ts=original.ts, **rendered.kwargs())
        return Delivery(ok=True, ts=original.ts)


def slack_messages(store: Store, client: WebClient) -> Outbox[OutgoingMessage]:
    """The outbox of `outbox_messages`, sending through Slack."""
    return Outbox(store, MessageQueue(), SlackMessageTransport(client, store))
