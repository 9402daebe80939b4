"""`/raci …`: acknowledge at once, then answer ephemerally through the response URL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.blocks.kit import Message
from bot.slack.changes import open_change_modal
from bot.slack.queries import ChangeOwners, parse_query
from bot.slack.replies import Asker

if TYPE_CHECKING:
    from bot.slack.deps import SlackDeps

COMMAND = "/raci"


def register(app: App, deps: SlackDeps) -> None:
    """The slash command."""

    @app.command(COMMAND)
    def raci_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()  # nothing before this: Slack gives us 3 seconds
        asker = Asker(user=command["user_id"], channel=command.get("channel_id"))
        query = parse_query(command.get("text") or "")
        if isinstance(query, ChangeOwners) and query.activity.strip() and command.get("trigger_id"):
            opened = open_change_modal(deps, client, trigger_id=command["trigger_id"],
                                       activity=deps.replies.change_target(query.activity))
            if opened is not None:
                respond(response_type="ephemeral", **opened.kwargs())
            return

        def on_its_way(note: Message) -> None:
            respond(response_type="ephemeral", **note.kwargs())

        message = deps.replies.to_text(command.get("text") or "", asker=asker, client=client, progress=on_its_way)
        respond(response_type="ephemeral", **message.kwargs())
