"""Each Slack event is handled once: Slack's retries and duplicate deliveries are acknowledged and dropped.

The event id goes into the store (store/slack_events.py, a primary key), so the rule holds across
replicas and restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.slack.deps import SlackDeps
from bot.slack.observability import mark_duplicate

log = logging.getLogger(__name__)


def event_id_of(body: dict[str, Any]) -> str | None:
    """The id Slack keeps across retries of one event (Events API over HTTP or Socket Mode)."""
    if body.get("type") != "event_callback":
        return None
    return body.get("event_id")


def register(app: App, deps: SlackDeps) -> None:
    """Drop an event seen before with a plain 200, so Slack stops retrying it."""

    @app.middleware
    def drop_duplicate_events(body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = event_id_of(body)
        if event_id is None or deps.dedup.first_time(event_id):
            return next()
        log.info("event %s was already handled; acknowledging the duplicate", event_id)
        mark_duplicate()
        return BoltResponse(status=200, body="")
