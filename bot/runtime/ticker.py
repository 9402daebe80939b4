"""The ticker: everything time-driven, run in-process every RACI_TICK_SECONDS or once by `raci tick`.

Each pass is safe beside other replicas and cron runs: what must happen once is claimed in
the database by the jobs themselves, never decided in this process's memory. Escalations go
first; the weekly digest (when given) follows, and in the app runs in its own thread so that a
long digest never delays a page.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.away.marking import StatusSource
from bot.digest.job import DigestReport, Digests
from bot.escalations.ticker import TickReport
from bot.escalations.ticker import tick as tick_escalations
from bot.escalations.views import Notifier
from bot.outage_log import OutageLog
from bot.review.job import run_review
from bot.store.db import Store
from bot.store.outbox import Outbox, OutgoingMessage

log = logging.getLogger(__name__)
# SIGTERM waits this long for the pass in progress (Kubernetes gives 30 s; gunicorn's own grace is 10 s).
SHUTDOWN_SECONDS = 10.0


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
    # due work of features that only queue messages (expiring change requests): run before the outbox sends
    chores: tuple[Callable[[datetime], object], ...] = ()
    statuses: StatusSource | None = None  # Slack statuses that mark holders away when paging
    reviews: bool = False  # queue each review period's DMs (settings.review.every) before sending
    usergroups: Callable[[datetime], object] | None = None  # bot/usergroups/step.UsergroupStep
    _stop: threading.Event | None = field(default=None, init=False, repr=False)

    def run_once(self) -> TickSummary:
        """One pass over everything that is due now: escalations, then the digest."""
        escalations = self.run_escalations()
        return TickSummary(escalations, self.run_digest())

    def run_escalations(self) -> TickReport:
        """Escalations, then the outbox's other messages (short DMs, sent beside the pages)."""
        report = tick_escalations(self.store, self.notifier, now=self.clock(), statuses=self.statuses)
        for chore in self.chores:
            chore(self.clock())
        if self.reviews:
            run_review(self.store, now=self.clock())  # claimed in the database: once per period
        if self.usergroups is not None:
            self.usergroups(self.clock())
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
        outage = OutageLog(log, f"{name} pass")
        while not stop.is_set():
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - the next pass retries; the outage log tells once
                outage.failed(exc)
            else:
                outage.succeeded()
            stop.wait(interval)

    def start(self, interval: float) -> Running:
        """Run in daemon threads (escalations, and the digest beside them); `Running.stop` ends and joins them."""
        stop = self._stop = threading.Event()
        steps: list[tuple[Callable[[], object], str, str]] = [(self.run_escalations, "ticker", "raci-ticker")]
        if self.digests is not None:
            steps.append((self.run_digest, "digest", "raci-digest"))
        threads = tuple(threading.Thread(target=self.run_forever, args=(interval, stop, step, name),
                                         name=thread_name, daemon=True) for step, name, thread_name in steps)
        for thread in threads:
            thread.start()
        return Running(threads, stop)


@dataclass(frozen=True)
class Running:
    """The ticker's threads and the event that stops them."""

    threads: tuple[threading.Thread, ...]
    stop_event: threading.Event

    def stop(self, *, timeout: float) -> None:
        """Ask every thread to stop, then wait (up to `timeout` in all) for their passes in progress to end."""
        self.stop_event.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


class TickerThread:
    """The in-process ticker, every `interval` seconds (0: a cron job runs `raci tick` instead)."""

    def __init__(self, ticker: Ticker, *, interval: float) -> None:
        self.ticker = ticker
        self.interval = interval
        self.running: Running | None = None

    def start(self) -> None:
        """Start ticking in the background, unless the interval is 0."""
        if self.interval > 0:
            self.running = self.ticker.start(self.interval)

    def stop(self) -> None:
        """Let the pass in progress finish its claimed steps (their leases would free them anyway)."""
        if self.running is not None:
            self.running.stop(timeout=SHUTDOWN_SECONDS)
            self.running = None
