"""App Home: "What you own" for whoever opens it, published again after a click on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps


def publish_home(deps: SlackDeps, client: WebClient, *, user: str) -> None:
    """Publish `user`'s App Home as it is now (on opening it, and after a click on one of its buttons)."""
    client.views_publish(user_id=user, view=deps.replies.home(user, client=client))


def from_home(body: dict[str, Any]) -> bool:
    """True for a click in App Home: it comes with the view and without a response URL to answer."""
    return bool(body.get("view")) and not body.get("response_url")


def register(app: App, deps: SlackDeps) -> None:
    """app_home_opened."""

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab needs nothing from us
        publish_home(deps, client, user=event["user"])
