"""The ticker: everything time-driven, run in-process every RACI_TICK_SECONDS or once by `raci tick`.

Each pass is safe beside other replicas and cron runs: what must happen once is claimed in
the database by the jobs themselves, never decided in this process's memory. Escalations go
first; the weekly digest (when given) follows, and in the app runs in its own thread so that a
long digest never delays a page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.digest.service import DigestReport, Digests
from bot.escalations.ticker import TickReport
from bot.escalations.ticker import tick as tick_escalations
from bot.escalations.views import Notifier
from bot.store.db import Store
from bot.store.outbox import Outbox, OutgoingMessage

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TickSummary:
    """One pass: the escalations' report, and the digest's when the ticker has one."""

    escalations: TickReport
    digest: DigestReport | None = None

    # what `raci tick` printed before digests existed
    @property
    def advanced(self) -> int:
        return self.escalations.advanced

    @property
    def sent(self) -> int:
        return self.escalations.sent

    @property
    def failed(self) -> int:
        return self.escalations.failed


@dataclass
class Ticker:
    store: Store
    notifier: Notifier
    clock: Callable[[], datetime] = utcnow
    digests: Digests | None = None
    messages: Outbox[OutgoingMessage] | None = None  # outbox_messages: learned-phrase approval DMs, ...
    _stop: threading.Event | None = field(default=None, init=False, repr=False)

    def run_once(self) -> TickSummary:
        """One pass over everything that is due now: escalations, then the digest."""
        escalations = self.run_escalations()
        return TickSummary(escalations, self.run_digest())

    def run_escalations(self) -> TickReport:
        """Escalations, then the outbox's other messages (short DMs, sent beside the pages)."""
        report = tick_escalations(self.store, self.notifier, now=self.clock())
        if self.messages is not None:
            self.messages.deliver(clock=self.clock)
        return report

    def run_digest(self) -> DigestReport | None:
        """The digest step; a started ticker's stop event ends its sending between two messages."""
        if self.digests is None:
            return None
        return self.digests.run(self.clock, stop=self._stop.is_set if self._stop is not None else None)

    def run_forever(self, interval: float, stop: threading.Event,
                    step: Callable[[], object] | None = None, name: str = "ticker") -> None:
        """Run `step` (default: a whole pass) every `interval` seconds until `stop`; a failing pass never ends it."""
        step = step or self.run_once
        while not stop.is_set():
            try:
                step()
            except Exception:  # noqa: BLE001 - the next pass retries; the traceback goes to the log
                log.exception("%s pass failed", name)
            stop.wait(interval)

    def start(self, interval: float) -> tuple[threading.Thread, threading.Event]:
        """Run in daemon threads (escalations, and the digest beside them); set the returned event to stop."""
        stop = self._stop = threading.Event()
        thread = threading.Thread(target=self.run_forever, args=(interval, stop, self.run_escalations, "ticker"),
                                  name="raci-ticker", daemon=True)
        thread.start()
        if self.digests is not None:
            threading.Thread(target=self.run_forever, args=(interval, stop, self.run_digest, "digest"),
                             name="raci-digest", daemon=True).start()
        return thread, stop
