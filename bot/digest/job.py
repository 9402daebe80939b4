"""The digest as the ticker and the CLI use it: start the period's run when due, then deliver; previews."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.digest.impact import impact
from bot.digest.model import Impact, OrgSummary, PersonDigest
from bot.digest.pacing import Pacer
from bot.digest.period import DigestNotScheduled, schedule_of
from bot.digest.runs import (
    LATE_LIMIT,
    DepartureCheck,
    Renderer,
    RunStart,
    digest_settings,
    prepare,
    read_week,
    start_run,
)
from bot.digest.sender import DigestTransport, SendReport, deliver, failures, pending, retry_failed
from bot.errors import UnknownPerson
from bot.ownership.matrix import load_ownership
from bot.store.db import Store
from bot.store.digest_models import DigestDelivery

TICK_BUDGET_SECONDS = 45.0  # one `raci tick` sends for at most this long; the rest goes next tick


@dataclass(frozen=True)
class DigestReport:
    start: RunStart
    sent: SendReport
    pending: int  # deliveries of this period still to go
    failures: tuple[tuple[str, str, str | None, str], ...] = ()  # failed for good: (kind, recipient, handle, why)
    requeued: int = 0  # failed deliveries put back by --retry-failed

    def __str__(self) -> str:
        if self.start.status == "unscheduled":
            return "digest: not scheduled (settings.digest.schedule is unset)"
        when = self.start.period.isoformat(timespec="minutes") if self.start.period else "?"
        head = {"started": f"digest {when}: prepared {self.start.deliveries} messages",
                "exists": f"digest {when}", "too_late": f"digest {when}: skipped, more than a day late"
                }[self.start.status]
        s = self.sent
        again = f"; retrying {self.requeued} that failed" if self.requeued else ""
        lines = [f"{head}{again}; sent {s.sent}, failed {s.failed}, skipped {s.skipped}, "
                 f"rate limited {s.rate_limited}, {self.pending} still to send"]
        for kind, recipient, handle, why in self.failures:
            who = f"DM to @{handle} ({recipient})" if kind == "person" else f"summary to {recipient}"
            lines.append(f"  not delivered: {who}: {why}")
        if self.failures:
            lines.append("  fix the cause, then `raci digest send --retry-failed` sends these again")
        return "\n".join(lines)


@dataclass
class Digests:
    """The digest part of the ticker; every replica may run it, the store decides who does what.

    A step of the ticker's loop, so it holds the Store and opens its own transactions (as the outbox does).
    """

    store: Store
    transport: DigestTransport
    renderer: Renderer
    directory: DepartureCheck | None = None
    pacer: Pacer = field(default_factory=Pacer)
    budget: float | None = TICK_BUDGET_SECONDS
    late_limit: timedelta | None = LATE_LIMIT

    def run(self, clock: Callable[[], datetime], *, send_late: bool = False, retry: bool = False,
            stop: Callable[[], bool] | None = None) -> DigestReport:
        """Start this period's run if due (and nobody has), then send what is due for at most `budget` seconds;
        `retry` first puts back this period's deliveries that failed for good."""
        started = start_run(self.store, now=clock(), renderer=self.renderer, directory=self.directory,
                            late_limit=None if send_late else self.late_limit)
        sent, left, failed, requeued = SendReport(), 0, [], 0
        if retry and started.key is not None:
            with self.store.session() as session:
                requeued = retry_failed(session, started.key, now=clock())
        if started.status != "unscheduled":
            sent = deliver(self.store, self.transport, clock=clock, pacer=self.pacer, budget=self.budget, stop=stop)
        if started.key is not None:
            with self.store.session() as session:
                left, failed = pending(session, started.key), failures(session, started.key)
        return DigestReport(started, sent, left, tuple(failed), requeued)


def preview(*, session: Session, now: datetime, handle: str | None = None,
            directory: DepartureCheck | None = None) -> PersonDigest | OrgSummary:
    """This period's digest of one person (handle, @handle or Slack ID), or the summary, as it would go out now."""
    schedule = schedule_of(digest_settings(session))
    ownership = load_ownership(session=session)
    period = schedule.period(now) if schedule else now
    person = ownership.person(handle) if handle else None
    week = read_week(session=session, ownership=ownership, schedule=schedule, period=period, now=now)
    prepared = prepare(ownership, week, schedule=schedule, period=period,
                       directory=directory if person is None else None)
    if person is None:
        return prepared.summary
    found = next((d for d in prepared.digests if d.handle == person.handle), None)
    if found is None:
        raise UnknownPerson(f"{person.handle} is not active in the matrix, so gets no digest")
    return found


def person_impact(*, session: Session, handle: str) -> Impact:
    """`raci impact HANDLE`: what if this person leaves."""
    ownership = load_ownership(session=session)
    return impact(ownership, ownership.person(handle))


def require_schedule(*, session: Session) -> None:
    """DigestNotScheduled unless settings.digest.schedule is set."""
    if schedule_of(digest_settings(session)) is None:
        raise DigestNotScheduled("no digest is scheduled: set settings.digest.schedule in the RACI file "
                                 "(e.g. \"0 9 * * MON\") and import it")


def delivery_counts(session: Session) -> dict[str, int]:
    """How many digest deliveries there are in each state (pending, sent, failed, ...)."""
    return {state: count for state, count in session.execute(
        select(DigestDelivery.state, func.count()).group_by(DigestDelivery.state))}
