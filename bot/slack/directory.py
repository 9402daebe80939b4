"""Finding people in Slack: Slack IDs by email, matrix people by Slack user, and who has left Slack."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Collection

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.ownership.answers import Answer, Holder
from bot.ownership.live import OwnershipService
from bot.raci_file.model import Person
from bot.slack_syntax import USER_NOT_FOUND

log = logging.getLogger(__name__)

# Someone not found in Slack is not asked about again for this long (per process).
NOT_FOUND_TTL_SECONDS = 3600.0
_NOT_FOUND = USER_NOT_FOUND | {"not in the matrix"}


class PeopleDirectory:
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
        slack_id: str = response["user"]["id"]
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


class SlackDepartureCheck:
    """Who is gone from Slack: deactivated ("deleted") or not found ("unknown").

    Many people are checked with users.list (200 a page) rather than one users.info each, which
    Slack's rate limits would stretch over many minutes; users.info then confirms only those the
    list lacks (people of other workspaces in a shared channel are not listed). Any other failure
    (a rate limit the client's retries did not absorb, a network error) leaves that person out of
    the finding rather than accusing them of having left.
    """

    LIST_FROM = 50  # from this many people one users.list walk beats a users.info call each
    PAGE = 200

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def gone(self, slack_ids: Collection[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(slack_ids))
        listed = self._listed() if len(wanted) >= self.LIST_FROM else None
        if listed is None:
            return self._by_info(wanted)
        found = {user_id: "deleted" for user_id in wanted if listed.get(user_id)}
        found.update(self._by_info([user_id for user_id in wanted if user_id not in listed]))
        return found

    def _listed(self) -> dict[str, bool] | None:
        """Every user of the workspace -> deactivated?; None when the walk could not finish."""
        users: dict[str, bool] = {}
        try:
            for page in self.client.users_list(limit=self.PAGE):  # a SlackResponse pages itself by cursor
                users.update({m["id"]: bool(m.get("deleted")) for m in page.get("members") or []})
            return users
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            log.warning("users.list failed (%s): checking people one by one", error)
            return None

    def _by_info(self, slack_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for user_id in slack_ids:
            try:
                user = self.client.users_info(user=user_id)["user"]
            except SlackApiError as exc:
                error = exc.response.get("error") if exc.response is not None else None
                if error in USER_NOT_FOUND:
                    found[user_id] = "unknown"
                else:
                    log.warning("users.info %s failed (%s): not counted as gone", user_id, error)
                continue
            if user.get("deleted"):
                found[user_id] = "deleted"
        return found
