"""How holders appear in Slack (<@U…>, <!subteam^S…>, a name) and finding Slack IDs by email, once."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers import Answer, Holder
from bot.raci_file.model import Person
from bot.service import OwnershipService
from bot.slack.blocks.kit import escape

log = logging.getLogger(__name__)

# Someone not found in Slack is not asked about again for this long (per process).
NOT_FOUND_TTL_SECONDS = 3600.0
_NOT_FOUND = {"users_not_found", "user_not_found", "not in the matrix"}


def holder_mention(holder: Holder) -> str:
    """A holder as Slack shows it: the role's user group, the person's mention, or their name."""
    if holder.slack_usergroup:
        return f"<!subteam^{holder.slack_usergroup}>"
    if holder.vacant:
        return f"_{escape(holder.role_name or holder.role or 'a role')} (vacant)_"
    if holder.slack_id:
        return f"<@{holder.slack_id}>"
    return escape(holder.name or holder.handle or "someone")


def holders_text(holders: Iterable[Holder], *, with_roles: bool = False) -> str:
    """Holders of one letter, each once, comma-separated; "nobody" when there are none."""
    seen: list[str] = []
    for holder in holders:
        token = holder_mention(holder)
        if with_roles and holder.role_name and not holder.vacant:
            token += f" ({escape(holder.role_name)})"
        if token not in seen:
            seen.append(token)
    return ", ".join(seen) or "_nobody_"


class Directory:
    """Finds people in Slack: Slack IDs by email (users.lookupByEmail) and people by Slack user (users.info)."""

    def __init__(self, service: OwnershipService, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.service = service
        self._clock = clock
        self._not_found: dict[str, float] = {}
        self._lock = threading.Lock()

    def resolve(self, answer: Answer, client: WebClient) -> Answer:
        """The answer with every holder's Slack ID filled in where an email finds one."""
        if answer.status != "match":
            return answer
        fix = {letter: tuple(self.resolve_holder(h, client) for h in answer.holders(letter)) for letter in "RACI"}
        return dataclasses.replace(answer, responsible=fix["R"], accountable=fix["A"],
                                   consulted=fix["C"], informed=fix["I"])

    def resolve_holder(self, holder: Holder, client: WebClient) -> Holder:
        """One holder, with its Slack ID looked up by email if needed."""
        if holder.slack_usergroup or holder.vacant or holder.slack_id or not holder.email or not holder.handle:
            return holder
        slack_id = self.slack_id_by_email(holder.handle, holder.email, client)
        return dataclasses.replace(holder, slack_id=slack_id) if slack_id else holder

    def slack_id_by_email(self, handle: str, email: str, client: WebClient) -> str | None:
        """Ask Slack once for the user with this email and remember the ID in the store."""
        if self._recently_missing(email):
            return None
        try:
            response = client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            self._missing(email, exc)
            return None
        slack_id = response["user"]["id"]
        self.service.learn_slack_id(handle, slack_id)
        log.info("learned the Slack ID of %s from their email", handle)
        return slack_id

    def person_for_user(self, user_id: str, client: WebClient) -> Person | None:
        """The matrix's person for a Slack user: by Slack ID, else by the email Slack has for them."""
        ownership = self.service.current
        if user_id in ownership.by_slack_id:
            return ownership.by_slack_id[user_id]
        if self._recently_missing(user_id):
            return None
        try:
            profile = client.users_info(user=user_id)["user"].get("profile", {})
        except SlackApiError as exc:
            self._missing(user_id, exc)
            return None
        email = (profile.get("email") or "").casefold()
        person = next((p for p in ownership.people.values() if email and (p.email or "").casefold() == email), None)
        if person is None:
            self._missing(user_id, None)
            return None
        if person.slack_id is None:
            self.service.learn_slack_id(person.handle, user_id)
        return person

    def _recently_missing(self, key: str) -> bool:
        with self._lock:
            until = self._not_found.get(key)
            return until is not None and until > self._clock()

    def _missing(self, key: str, error: SlackApiError | None) -> None:
        """Remember a "not found" for a while; any other failure is logged and retried next time."""
        reason = error.response.get("error") if error is not None else "not in the matrix"
        if reason not in _NOT_FOUND:
            log.warning("Slack lookup failed (%s); showing names instead of mentions", reason)
            return
        with self._lock:
            self._not_found[key] = self._clock() + NOT_FOUND_TTL_SECONDS
