"""The Bolt app: a WebClient pointed at SLACK_API_URL, the dedup middleware, the error handler, the listeners."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.service import OwnershipService
from bot.settings import Settings
from bot.slack import actions, commands, dedup, errors, events, home
from bot.slack.dedup import Deduplicator
from bot.slack.deps import SlackDeps
from bot.slack.mentions import Directory
from bot.slack.replies import Replies
from bot.store.db import Store

WEB_API_TIMEOUT_SECONDS = 10


def web_client(settings: Settings) -> WebClient:
    """The bot's Web API client: retries a dropped connection, and a 429 after its Retry-After."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_base_url,
        timeout=WEB_API_TIMEOUT_SECONDS,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=2)],
    )


def create_app(settings: Settings, service: OwnershipService, store: Store) -> App:
    """A Bolt app with every listener registered; checks the bot token with auth.test."""
    app = App(
        name="raci-bot",
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=False,  # ack first, answer in a background thread
        logger=logging.getLogger("slack_bolt"),
    )
    deps = SlackDeps(service=service, store=store, replies=Replies(service, Directory(service)),
                     dedup=Deduplicator(store))
    for module in (errors, dedup, commands, events, actions, home):
        module.register(app, deps)
    return app
