"""Pacing sends to Slack: about one message per second per channel, a workspace-wide rate, and Retry-After."""

from __future__ import annotations

import time
from collections.abc import Callable

PER_CHANNEL_SECONDS = 1.0  # chat.postMessage: about one message per second per channel
MESSAGES_PER_SECOND = 4.0  # and "several hundred per minute" per workspace: stay well under


class Pacer:
    """Decides how long to wait before the next message; one per sending process."""

    def __init__(self, *, per_channel_seconds: float = PER_CHANNEL_SECONDS,
                 messages_per_second: float = MESSAGES_PER_SECOND,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_channel_seconds = per_channel_seconds
        self.interval = 1.0 / messages_per_second if messages_per_second > 0 else 0.0
        self.monotonic = monotonic
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._next_any = 0.0
        self._paused_until = 0.0

    def wait(self, channel: str) -> float:
        """Sleep until a message to `channel` may go; returns how long it slept."""
        now = self.monotonic()
        ready = max(self._next_any, self._paused_until,
                    self._last.get(channel, float("-inf")) + self.per_channel_seconds)
        if ready <= now:
            return 0.0
        self.sleep(ready - now)
        return ready - now

    def sent(self, channel: str) -> None:
        """A message to `channel` has just been answered."""
        now = self.monotonic()
        if len(self._last) > 10_000:  # forget channels that are long past their interval
            self._last = {c: t for c, t in self._last.items() if t + self.per_channel_seconds > now}
        self._last[channel] = now
        self._next_any = now + self.interval

    def back_off(self, seconds: float) -> None:
        """Slack answered 429: nobody sends for `seconds`."""
        self._paused_until = max(self._paused_until, self.monotonic() + max(0.0, seconds))
