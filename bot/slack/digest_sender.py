"""The digests' Slack edge: posting a delivery (DMs by user ID, the summary to its channel), users.info checks."""

from __future__ import annotations

import logging
from collections.abc import Collection

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.digest.pacing import Pacer
from bot.digest.sender import OutgoingDigest
from bot.digest.service import TICK_BUDGET_SECONDS, Digests
from bot.slack.blocks.digest import BlockKitRenderer
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


class SlackUserDirectory:
    """Who is gone from Slack: deactivated ("deleted") or not found ("unknown").

    Many people are checked with users.list (200 a page) rather than one users.info each, which
    Slack's rate limits would stretch over many minutes; users.info then confirms only those the
    list lacks (people of other workspaces in a shared channel are not listed). Any other failure
    (a rate limit the client's retries did not absorb, a network error) leaves that person out of
    the finding rather than accusing them of having left.
    """

    LIST_FROM = 50  # from this many people one users.list walk beats a users.info call each
    PAGE = 200

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def gone(self, slack_ids: Collection[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(slack_ids))
        listed = self._listed() if len(wanted) >= self.LIST_FROM else None
        if listed is None:
            return self._by_info(wanted)
        found = {user_id: "deleted" for user_id in wanted if listed.get(user_id)}
        found.update(self._by_info([user_id for user_id in wanted if user_id not in listed]))
        return found

    def _listed(self) -> dict[str, bool] | None:
        """Every user of the workspace -> deactivated?; None when the walk could not finish."""
        users: dict[str, bool] = {}
        cursor = None
        try:
            while True:
                page = self.client.users_list(limit=self.PAGE, cursor=cursor)
                users.update({m["id"]: bool(m.get("deleted")) for m in page.get("members") or []})
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return users
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            log.warning("users.list failed (%s): checking people one by one", error)
            return None

    def _by_info(self, slack_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for user_id in slack_ids:
            try:
                user = self.client.users_info(user=user_id)["user"]
            except SlackApiError as exc:
                error = exc.response.get("error") if exc.response is not None else None
                if error in ("user_not_found", "users_not_found"):
                    found[user_id] = "unknown"
                else:
                    log.warning("users.info %s failed (%s): not counted as gone", user_id, error)
                continue
            if user.get("deleted"):
                found[user_id] = "deleted"
        return found


def slack_digests(store: Store, client: WebClient, *, pacer: Pacer | None = None,
                  budget: float | None = TICK_BUDGET_SECONDS) -> Digests:
    """The Ticker's digest step, sending through `client` (the app's web_client(settings)); budget None: no limit."""
    return Digests(store=store, transport=SlackDigestTransport(client), renderer=BlockKitRenderer(),
                   directory=SlackUserDirectory(client), pacer=pacer or Pacer(), budget=budget)
