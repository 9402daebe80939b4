"""How the Slack transports log their sends: an outage once per transport, a refused message once.

During a Slack outage every pass of the ticker tries every due message again, and each try used to
log a warning: hundreds of lines a minute saying the same thing. A transient failure (5xx, timeout,
connection error, 429) now goes to the transport's OutageLog: one line when the outage starts, a
reminder at most every `REMINDER_SECONDS`, one line when a send works again. A permanent failure
is about one message (a deactivated user, an archived channel) and is tried once: the outbox logs
it, with the message's id, as failed for good.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.outage_log import OutageLog
from bot.store.outbox import Delivery


class DeliveryLog:
    """One transport's view of Slack for the log: up, or in an outage since when."""

    def __init__(self, logger: logging.Logger, transport: str, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.logger = logger
        self.outage = OutageLog(logger, f"sending {transport} to Slack", clock=clock)

    def record(self, delivery: Delivery, *, what: str) -> Delivery:
        """Log how sending `what` went (quietly while an outage goes on); returns `delivery`."""
        if delivery.ok:
            self.outage.succeeded()
        elif not delivery.permanent:  # a permanent one is the outbox's to log: "failed for good"
            self.outage.failed(f"{what}: {delivery.error}")
        return delivery
