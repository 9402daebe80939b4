"""App Home's "I'm back" button: ends the away period and shows the Home again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.away_desk import BACK_ACTION

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps


def register(app: App, deps: SlackDeps) -> None:
    """The App Home button."""

    @app.action(BACK_ACTION)
    def back(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        deps.replies.away.back("", user=user, client=client)
        client.views_publish(user_id=user, view=deps.replies.home(user, client=client))
