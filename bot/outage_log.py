"""Logging a loop that fails every pass (a database outage): one traceback, then a reminder a minute, then recovery.

The ticker and the index reloader run every second; during an outage each pass used to log a full
traceback, burying everything else. One OutageLog per loop remembers that it is in an outage.
The Slack transports keep one each too (bot/slack/delivery_log.py): a Slack outage is one line per
transport, not one per message tried.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

# Often enough that an operator tailing the log sees the outage is still on; rare enough (60 lines an hour)
# not to drown the log during a long one.
REMINDER_SECONDS = 60.0


class OutageLog:
    """Tells the log when a repeating task starts failing, that it still is (once a minute), and when it recovers."""

    def __init__(self, logger: logging.Logger, task: str, *, reminder_seconds: float = REMINDER_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.logger = logger
        self.task = task
        self.reminder_seconds = reminder_seconds
        self.clock = clock
        self.since: float | None = None
        self.reminded_at = 0.0
        self.failures = 0

    def failed(self, error: BaseException | str) -> None:
        """A failed pass: the first of an outage with its traceback, later ones as a periodic one-line reminder.

        A string is an error already understood (a Slack answer turned into a Delivery): one line, no traceback.
        """
        now = self.clock()
        self.failures += 1
        if self.since is None:
            self.since = self.reminded_at = now
            if isinstance(error, str):
                self.logger.warning("%s failed (%s); retrying quietly until it recovers", self.task, error)
            else:
                self.logger.error("%s failed; retrying quietly until it recovers", self.task, exc_info=error)
        elif now - self.reminded_at >= self.reminder_seconds:
            self.reminded_at = now
            self.logger.warning("%s still failing after %.0f s (%d attempts): %s", self.task, now - self.since,
                                self.failures, _one_line(error))

    def succeeded(self) -> None:
        """A pass that worked: one line if it ends an outage."""
        if self.since is not None:
            self.logger.warning("%s recovered after %.0f s (%d failed attempts)", self.task,
                                self.clock() - self.since, self.failures)
        self.since, self.failures = None, 0


def _one_line(error: BaseException | str) -> str:
    if isinstance(error, str):
        return error.splitlines()[0] if error else ""
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
