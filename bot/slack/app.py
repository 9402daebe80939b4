"""The Bolt app: a WebClient pointed at SLACK_API_URL, the dedup middleware, the error handler, the listeners."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from datetime import datetime
from functools import partial

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.changes.service import Changes
from bot.ownership.live import OwnershipService
from bot.runtime.ticker import Ticker
from bot.settings import Settings
from bot.slack import (
    actions,
    away,
    changes,
    commands,
    dedup,
    errors,
    escalations,
    events,
    home,
    learning,
    observability,
    review,
)
from bot.slack.away_status import ClientStatuses, SlackStatusCheck
from bot.slack.deps import SlackDeps
from bot.slack.digest_sender import slack_digests
from bot.slack.directory import PeopleDirectory
from bot.slack.escalation_desk import EscalationDesk
from bot.slack.notifier import SlackNotifier
from bot.slack.observability import CountingRateLimitHandler, InstrumentedWebClient
from bot.slack.outbox_transport import slack_messages
from bot.slack.replies import Replies
from bot.slack.usergroups import SlackUsergroups
from bot.store.db import Store
from bot.store.slack_events import Deduplicator
from bot.usergroups.step import UsergroupStep

WEB_API_TIMEOUT_SECONDS = 10


def web_client(settings: Settings) -> WebClient:
    """The listeners' Web API client: retries a dropped connection, and a 429 after its Retry-After."""
    return InstrumentedWebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_base_url,
        timeout=WEB_API_TIMEOUT_SECONDS,
        retry_handlers=[ConnectionErrorRetryHandler(), CountingRateLimitHandler(max_retry_count=2)],
    )


def build_ticker(store: Store, client: WebClient, service: OwnershipService | None = None) -> Ticker:
    """The ticker the app runs in-process and `raci tick` runs once: escalations, expiring change requests, then
    the digest, via the outbox's client (see `for_outbox`)."""
    sender = for_outbox(client)
    changes = Changes(service or OwnershipService(store))
    return Ticker(store, SlackNotifier(sender), digests=slack_digests(store, sender),
                  messages=slack_messages(store, sender), statuses=ClientStatuses(SlackStatusCheck(), sender),
                  reviews=True, usergroups=UsergroupStep(store, SlackUsergroups(sender)),
                  chores=(partial(expire_changes, store, changes),))


def expire_changes(store: Store, changes: Changes, now: datetime) -> int:
    """The ticker's chore: close the change requests that waited too long, in one transaction."""
    with store.session() as session:
        return changes.expire(session=session, now=now)


def outbox_client(settings: Settings) -> WebClient:
    """The outbox's client (the ticker, `raci tick`, `raci digest send`): see `for_outbox`."""
    return for_outbox(web_client(settings))


def for_outbox(client: WebClient) -> WebClient:
    """The same client without the in-call 429 wait: the outbox records Retry-After and lets the message go,
    instead of sleeping inside a send while holding its lease (and the pacer never hearing of it)."""
    return InstrumentedWebClient(token=client.token, base_url=client.base_url, timeout=client.timeout,
                                 retry_handlers=[ConnectionErrorRetryHandler()])


def create_app(settings: Settings, service: OwnershipService, store: Store, *,
               client: WebClient | None = None, listener_executor: Executor | None = None) -> App:
    """A Bolt app with every listener registered; checks the bot token with auth.test.

    `listener_executor` runs the listeners after their ack (Bolt's thread pool by default); the tests pass one
    that runs them inline, so a dispatched request is fully handled when `dispatch` returns."""
    client = client or web_client(settings)
    app = App(
        name="raci-bot",
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=False,  # ack first, answer in a background thread
        logger=logging.getLogger("slack_bolt"),
        listener_executor=listener_executor,
    )
    directory = PeopleDirectory(service)
    statuses = ClientStatuses(SlackStatusCheck(), client)  # one cache for answers and pages
    desk = EscalationDesk(service=service, store=store, directory=directory,
                          notifier=SlackNotifier(for_outbox(client)), statuses=statuses)
    deps = SlackDeps(service=service, store=store, replies=Replies(service, directory, desk),
                     dedup=Deduplicator(store), escalations=desk)
    observability.register(app)  # first: every later middleware and listener logs with the request's ids
    for module in (errors, dedup, commands, events, actions, escalations, home, learning, changes, away, review):
        module.register(app, deps)
    return app
