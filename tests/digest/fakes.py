"""The fake Slack Web API with what digests need: deactivated users, 429 now and then, one message per second
per channel enforced; and a fake clock whose sleeps pass at once."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from tests.fakes.slack_api import Call, FakeSlackApi


class DigestSlackApi(FakeSlackApi):
    """users.info says `deleted` for `deactivated` users; chat.postMessage answers 429 every `limit_every`-th
    call, and (with `per_channel_seconds`) whenever a channel gets a second message too soon."""

    def __init__(self, *, deactivated: set[str] | None = None, limit_every: int = 0, retry_after: float = 1,
                 per_channel_seconds: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deactivated = set(deactivated or ())
        self.limit_every = limit_every
        self.retry_after = retry_after
        self.per_channel_seconds = per_channel_seconds
        self._posts = 0
        self._last_post: dict[str, float] = {}
        self.limited: list[str] = []  # channels answered with 429

    def _record(self, call: Call) -> tuple[int, dict[str, str], Any]:
        if call.method == "chat.postMessage":
            with self._changed:
                self._posts += 1
                channel = str(call.params.get("channel"))
                now = time.monotonic()
                too_soon = now - self._last_post.get(channel, float("-inf")) < self.per_channel_seconds
                if (self.limit_every and self._posts % self.limit_every == 0) or too_soon:
                    self.limited.append(channel)
                    self._calls.append(call)
                    self._changed.notify_all()
                    return 429, {"Retry-After": str(self.retry_after)}, {"ok": False, "error": "ratelimited"}
                self._last_post[channel] = now
        return super()._record(call)

    def _user(self, user_id: str) -> dict[str, Any]:
        answer = super()._user(user_id)
        if user_id in self.deactivated:
            answer["user"]["deleted"] = True
        return answer

    def delivered(self, *, digests_only: bool = False) -> Counter[str]:
        """Messages Slack accepted, per channel (429s left out); only the digests' with `digests_only`."""
        limited = Counter(self.limited)
        posted = Counter(str(c.params.get("channel")) for c in self.calls("chat.postMessage")
                         if not digests_only or (c.params.get("metadata") or {}).get("event_type") == "raci_digest")
        return posted - limited


class FakeTime:
    """A wall clock and a monotonic clock that move only when someone sleeps."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += seconds

    def advance(self, delta: timedelta) -> None:
        self.elapsed += delta.total_seconds()
