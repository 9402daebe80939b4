"""The digests' Slack edge: posting a delivery (DMs by user ID, the summary to its channel)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.digest.job import TICK_BUDGET_SECONDS, Digests
from bot.digest.pacing import Pacer
from bot.digest.sender import OutgoingDigest
from bot.slack.blocks.digest import BlockKitRenderer
from bot.slack.directory import SlackDepartureCheck
from bot.slack.notifier import api_failure, network_failure
from bot.store.db import Store
from bot.store.outbox import Delivery

log = logging.getLogger(__name__)

METADATA_EVENT = "raci_digest"  # on every digest message: a repeat after a crash can be recognised in Slack


class SlackDigestTransport:
    """Sends one stored delivery with chat.postMessage; Slack errors become Deliveries, never exceptions."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def send(self, message: OutgoingDigest) -> Delivery:
        payload = message.payload
        try:
            response = self.client.chat_postMessage(
                channel=message.recipient, text=payload.get("text", ""), blocks=payload.get("blocks"),
                unfurl_links=False, unfurl_media=False,
                metadata={"event_type": METADATA_EVENT,
                          "event_payload": {"period": message.period, "kind": message.kind}})
        except SlackApiError as exc:
            delivery = api_failure(exc)
        except (OSError, ValueError) as exc:
            delivery = network_failure(exc)
        else:
            return Delivery(ok=True, ts=response.get("ts"))
        log.warning("digest %s to %s: %s", message.kind, message.recipient, delivery.error)
        return delivery


def slack_digests(store: Store, client: WebClient, *, pacer: Pacer | None = None,
                  budget: float | None = TICK_BUDGET_SECONDS) -> Digests:
    """The Ticker's digest step, sending through `client` (the app's web_client(settings)); budget None: no limit."""
    return Digests(store=store, transport=SlackDigestTransport(client), renderer=BlockKitRenderer(),
                   directory=SlackDepartureCheck(client), pacer=pacer or Pacer(), budget=budget)
