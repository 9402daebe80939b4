"""A Slack status such as :palm_tree: or "OOO" marks someone away until it expires (users.profile.get, cached)."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.away.limits import AWAY_EMOJI, AWAY_WORDS, STATUS_CACHE_SECONDS, STATUS_WITHOUT_EXPIRY
from bot.away.store import Away

log = logging.getLogger(__name__)
_AWAY_TEXT = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in AWAY_WORDS) + r")s?\b")


def status_means_away(emoji: str, text: str) -> bool:
    """Whether a status emoji or text says "away" (emoji exactly; words on word boundaries, any case)."""
    if emoji.strip() in AWAY_EMOJI:
        return True
    return _AWAY_TEXT.search(" ".join(text.casefold().split())[:500]) is not None


class ClientStatuses:
    """A SlackStatusCheck bound to a client: the escalation ticker's StatusSource."""

    def __init__(self, check: SlackStatusCheck, client: WebClient) -> None:
        self.check = check
        self.client = client

    def away(self, handle: str, slack_id: str, *, now: datetime) -> Away | None:
        """As SlackStatusCheck.away, through the bound client."""
        return self.check.away(handle, slack_id, self.client, now=now)


class SlackStatusCheck:
    """Who is away by their Slack status; each person's status is read at most once per cache period."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._cache: dict[str, tuple[float, datetime | None]] = {}
        self._lock = threading.Lock()

    def away(self, handle: str, slack_id: str, client: WebClient, *, now: datetime) -> Away | None:
        """An Away (no delegate) when their status says so and has not expired at `now`."""
        until = self._until(slack_id, client, now=now)
        return Away(handle, until, None, source="slack status") if until is not None and until > now else None

    def _until(self, slack_id: str, client: WebClient, *, now: datetime) -> datetime | None:
        with self._lock:
            cached = self._cache.get(slack_id)
            if cached is not None and cached[0] > self._clock():
                return cached[1]
        until = self._read(slack_id, client, now=now)
        with self._lock:
            self._cache[slack_id] = (self._clock() + STATUS_CACHE_SECONDS, until)
        return until

    def _read(self, slack_id: str, client: WebClient, *, now: datetime) -> datetime | None:
        try:
            profile = client.users_profile_get(user=slack_id).get("profile") or {}
        except SlackApiError as exc:  # missing scope, user gone: not away by status (cached like any answer)
            log.warning("users.profile.get %s failed (%s): status not counted", slack_id, exc.response.get("error"))
            return None
        if not status_means_away(str(profile.get("status_emoji") or ""), str(profile.get("status_text") or "")):
            return None
        expiration = int(profile.get("status_expiration") or 0)
        return datetime.fromtimestamp(expiration, UTC) if expiration > 0 else now + STATUS_WITHOUT_EXPIRY
