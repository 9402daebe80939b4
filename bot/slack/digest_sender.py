"""The digests' Slack edge: posting a delivery (DMs by user ID, the summary to its channel)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.digest.job import TICK_BUDGET_SECONDS, Digests
from bot.digest.pacing import Pacer
from bot.digest.sender import OutgoingDigest
from bot.digest.trend import health_history, trend_chart
from bot.slack.blocks.digest import BlockKitRenderer
from bot.slack.delivery_log import DeliveryLog
from bot.slack.directory import SlackDepartureCheck
from bot.slack.notifier import api_failure, network_failure
from bot.store.db import Store
from bot.store.outbox import Delivery

log = logging.getLogger(__name__)

METADATA_EVENT = "raci_digest"  # on every digest message: a repeat after a crash can be recognised in Slack


TrendChart = Callable[[str], bytes | None]  # period key -> the summary's health chart PNG, or None


class SlackDigestTransport:
    """Sends one stored delivery with chat.postMessage; Slack errors become Deliveries, never exceptions.

    After a summary, `trend_chart` may add its ownership-health chart as a file in the same channel.
    """

    def __init__(self, client: WebClient, *, trend_chart: TrendChart | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.trend_chart = trend_chart
        self.deliveries = DeliveryLog(log, "digests", clock=clock)

    def send(self, message: OutgoingDigest) -> Delivery:
        """Post one digest; a Slack outage is logged once for all of them, not once per try."""
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
            if message.kind == "summary" and self.trend_chart is not None:
                self._upload_chart(message, channel=response.get("channel") or message.recipient)
            delivery = Delivery(ok=True, ts=response.get("ts"))
        return self.deliveries.record(delivery, what=f"digest {message.kind} to {message.recipient}")

    def _upload_chart(self, message: OutgoingDigest, *, channel: str) -> None:
        """The chart is extra: the summary went out, so a failed upload is logged, never retried (no second summary)."""
        chart = self.trend_chart(message.period) if self.trend_chart is not None else None
        if chart is None:
            return
        try:
            self.client.files_upload_v2(file=chart, filename="ownership-health.png", channel=channel,
                                        title="Ownership health, last weeks",
                                        initial_comment="Ownership health over the last weekly digests: activities "
                                                        "with gaps, vacant roles, departed holders.")
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            log.warning("digest %s: health chart not uploaded to %s (%s)", message.period, channel, error)
        except (OSError, ValueError) as exc:  # the network: still never a reason to send the summary again
            log.warning("digest %s: health chart not uploaded to %s (%s)", message.period, channel,
                        type(exc).__name__)


def stored_trend_chart(store: Store) -> TrendChart:
    """The summary's chart of a period, from the health counts in the store."""
    def chart(period: str) -> bytes | None:
        with store.session() as session:
            points = health_history(session=session, period=period)
        return trend_chart(points)  # drawn with no transaction open

    return chart


def slack_digests(store: Store, client: WebClient, *, pacer: Pacer | None = None,
                  budget: float | None = TICK_BUDGET_SECONDS) -> Digests:
    """The Ticker's digest step, sending through `client` (the app's web_client(settings)); budget None: no limit."""
    transport = SlackDigestTransport(client, trend_chart=stored_trend_chart(store))
    return Digests(store=store, transport=transport, renderer=BlockKitRenderer(),
                   directory=SlackDepartureCheck(client), pacer=pacer or Pacer(), budget=budget)
