"""Review clicks from Slack: confirm on behalf of the DM's recipient, then show the DM with what is confirmed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from slack_sdk import WebClient

from bot.ownership.live import OwnershipService
from bot.review.confirming import ReviewRefused, confirm_from_request
from bot.slack.blocks.kit import Message, escape, section
from bot.slack.blocks.review import review_message
from bot.slack.directory import PeopleDirectory


class ReviewDesk:
    """All correct / Confirm / Suggest a change."""

    def __init__(self, service: OwnershipService, directory: PeopleDirectory, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.service = service
        self.directory = directory
        self.clock = clock

    def confirm(self, key: str, activity: str | None, *, user: str, client: WebClient) -> tuple[Message, bool]:
        """The DM re-rendered with what is confirmed (replace it), or why not (an ephemeral note)."""
        person = self.directory.person_for_user(user, client)
        if person is None:
            return _note("You're not in the RACI matrix, so there is nothing for you to confirm."), False
        try:
            reviewed = confirm_from_request(self.service.store, self.service.current, key=key, slack_user=user,
                                            handle=person.handle, activity=activity, now=self.clock())
        except ReviewRefused as exc:
            return _note(escape(str(exc))), False
        return review_message(reviewed.payload, reviewed.confirmed), True


def _note(text: str) -> Message:
    return Message(text, [section(text)])
