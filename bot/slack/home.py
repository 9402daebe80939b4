"""App Home: "What you own" for whoever opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps


def register(app: App, deps: SlackDeps) -> None:
    """app_home_opened."""

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab needs nothing from us
        view = deps.replies.home(event["user"], client=client)
        client.views_publish(user_id=event["user"], view=view)
