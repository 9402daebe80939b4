"""Mentions in channels (answered in a thread) and direct messages (answered in the DM)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.queries import strip_bot_mention
from bot.slack.replies import Asker

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps


def is_direct_message(event: dict[str, Any]) -> bool:
    """A person's own new message in a DM with the bot (not an edit, a join, or a bot's post)."""
    return event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id")


def register(app: App, deps: SlackDeps) -> None:
    """app_mention and message.im."""

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        thread_ts = event.get("thread_ts") or event["ts"]
        asker = Asker(user=event.get("user", ""), channel=event["channel"], shareable=False, thread_ts=thread_ts)
        message = deps.replies.to_text(strip_bot_mention(event.get("text", "")), asker=asker, client=client)
        client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, **message.kwargs())

    @app.event("message")
    def on_message(event: dict[str, Any], client: WebClient) -> None:
        if not is_direct_message(event):
            return
        asker = Asker(user=event.get("user", ""), channel=None, shareable=False)
        message = deps.replies.to_text(strip_bot_mention(event.get("text", "")), asker=asker, client=client)
        client.chat_postMessage(channel=event["channel"], **message.kwargs())
