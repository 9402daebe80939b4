"""One outbox: every message the bot must deliver once, whatever the replicas, crashes and Slack incidents.

How it works, the same for every kind of message:

- **claim**: due rows (pending, `next_attempt_at` reached, no live lease) are selected with
  `skip_locked()` and leased to this sender's token by a conditional UPDATE that re-checks those
  conditions, so two senders never both win a row (SQLite has no row locks: the UPDATE decides);
- **lease**: a claim lasts `outbox_policy.LEASE` and is renewed before each send when it runs
  low; a renewal that fails means another sender took the row over after our lease ran out, so
  we leave it to them;
- **send** through a `Transport` (the Slack edge), which turns every answer into a `Delivery`;
- **record**: sent; or a transient failure (HTTP 5xx, timeout, connection error, 429, any error
  not known to be permanent) retried with capped back-off until the row's `deadline`; or failed
  for good (a permanent error, or the deadline passed) with the reason in `last_error`.

A crash between a send and its record can repeat that one message; nothing is ever lost.

Transactions: the features' services take the caller's session, but the outbox holds the `Store`
and opens its own short transactions by design. A claim must commit before the send, so that
other senders see the lease; each record commits on its own, so no transaction (or row lock) is
held while Slack answers, and a crash costs at most one record. Messages are *enqueued* in the
caller's transaction (`enqueue_message(session, ...)`), with the change that decided them.

Adding a kind of message (learned-phrase approval DMs, ownership-change approvals, delegation
notices, review DMs) is meant to take a kind and a renderer, nothing else:

1. in the feature, in the transaction that decides the message:
   `enqueue_message(session, kind="phrase_approval", key=f"phrase:{id}:{approver}", recipient=slack_id,
   payload={...plain values...}, now=now)`; the key makes it idempotent, the deadline defaults to a day;
2. at the Slack edge, a renderer for the kind (`payload -> Message`) in the transport that sends
   `MessageQueue` (`Outbox(store, MessageQueue(), transport)`), which the ticker runs beside the
   escalations' queue. NOT WIRED YET: the first feature that enqueues a message adds that
   transport (a dict kind -> renderer) and one `deliver()` call in the ticker.

A feature whose messages need their own table (they are rendered from live rows, superseded or
skipped by rules of their own, as escalations and digests are) mixes `OutboxColumns` into it and
writes a `Queue`: `message()` builds what the transport gets, and the hooks `triage()`, `sent()`
and `failed()` carry its rules (escalations: a status update waits for the first status post in
flight and then edits it; digests: people who opted out after the run was prepared are skipped).
Two tables were kept rather than merged into one: their rows carry different keys (an escalation
and level; a period and a rendered payload) that their features query, and moving live rows
between tables during a rolling deploy would risk the very "sent once" this module guarantees.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, Generic, Literal, Protocol, TypeVar

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from bot.store import outbox_policy as policy
from bot.store.db import Store, rows_changed
from bot.store.outbox_models import OutboxColumns, OutboxMessage
from bot.store.times import aware

log = logging.getLogger(__name__)

M = TypeVar("M")
M_contra = TypeVar("M_contra", contravariant=True)  # a transport only takes messages in
Verdict = Literal["send", "hold", "skip"]


def skip_locked(query: Select[Any], session: Session) -> Select[Any]:
    """FOR UPDATE SKIP LOCKED on PostgreSQL (rows another sender holds are passed over); as is elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


@dataclass(frozen=True)
class Delivery:
    """How sending went: ok, or a failure to retry later (the default), or a permanent one."""

    ok: bool
    error: str | None = None
    retry_after: float | None = None  # Slack's Retry-After (a 429)
    permanent: bool = False  # only errors retrying cannot fix: the transport's one list decides
    ts: str | None = None  # the message's ts (to update it in place later)


class Transport(Protocol[M_contra]):
    """Sends one message; every failure comes back as a Delivery, never as an exception."""

    def send(self, message: M_contra) -> Delivery: ...


@dataclass(frozen=True)
class Claimed(Generic[M]):
    """A row leased to us: its id, the lease's end, and what the transport will send."""

    id: int
    until: datetime
    message: M


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # for good: a permanent error or the deadline passed
    skipped: int = 0  # turned off after it was prepared, or taken over by another sender
    rate_limited: int = 0
    retried: int = 0  # transient failures, to try again later

    def add(self, other: SendReport) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


class Queue(Generic[M]):
    """A feature's messages in the outbox: its table and its rules. Subclasses set `model` and `message()`."""

    model: type[OutboxColumns]
    name: str = "outbox"

    def order(self) -> Sequence[Any]:
        """Which due rows go first."""
        return (self.model.id,)

    def triage(self, session: Session, rows: Sequence[Any], *, now: datetime) -> dict[int, tuple[Verdict, str]]:
        """Rows not to send now: "hold" leaves them due, "skip" closes them with the reason. Default: send all."""
        return {}

    def message(self, session: Session, row: Any) -> M:
        """What the transport gets for a claimed row."""
        raise NotImplementedError

    def sent(self, session: Session, row: Any, delivery: Delivery, message: M) -> None:
        """After Slack took it (e.g. remember its ts)."""

    def failed(self, session: Session, row: Any, delivery: Delivery, message: M) -> None:
        """After it failed for good (e.g. say so where the feature is shown)."""


def _due(model: type[OutboxColumns], now: datetime) -> tuple[Any, ...]:
    return (model.state == "pending", model.next_attempt_at <= now,
            or_(model.claimed_until.is_(None), model.claimed_until < now))


@dataclass
class Outbox(Generic[M]):
    """Claims, leases, sends, records and retries one queue's messages; any number may run at once."""

    store: Store
    queue: Queue[M]
    transport: Transport[M]
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def claim(self, *, now: datetime, batch: int, report: SendReport | None = None) -> list[Claimed[M]]:
        """Lease up to `batch` due rows to this outbox's token, in the queue's order, after its triage."""
        model, report = self.queue.model, report if report is not None else SendReport()
        with self.store.session() as session:
            query = select(model).where(*_due(model, now)).order_by(*self.queue.order()).limit(batch)
            rows = list(session.scalars(skip_locked(query, session)))
            verdicts = self.queue.triage(session, rows, now=now)
            for row in rows:
                verdict, reason = verdicts.get(row.id, ("send", ""))
                if verdict == "skip":
                    report.skipped += self._close(session, row.id, now=now, state="skipped", reason=reason)
            wanted = [row for row in rows if verdicts.get(row.id, ("send", ""))[0] == "send"]
            until = now + policy.LEASE
            won = []
            for row in wanted:
                # Re-checked in the UPDATE itself: another sender may have claimed or even sent it since our SELECT.
                if rows_changed(session, update(model).where(model.id == row.id, *_due(model, now))
                                   .values(claimed_until=until, claim_token=self.token)
                                   .execution_options(synchronize_session=False)):
                    session.refresh(row)
                    won.append(Claimed(row.id, until, self.queue.message(session, row)))
            return won

    def _close(self, session: Session, row_id: int, *, now: datetime, state: str, reason: str) -> int:
        model = self.queue.model
        return rows_changed(session, update(model).where(model.id == row_id, *_due(model, now))
                               .values(state=state, last_error=reason)
                               .execution_options(synchronize_session=False))

    def release(self, claimed: Sequence[Claimed[M]]) -> None:
        """Give back rows we claimed but will not send now, so that the next sender needs no lease expiry."""
        if not claimed:
            return
        model = self.queue.model
        with self.store.session() as session:
            session.execute(update(model).where(model.id.in_([c.id for c in claimed]),
                                                model.claim_token == self.token, model.state == "pending")
                            .values(claimed_until=None, claim_token=None).execution_options(synchronize_session=False))

    def renew(self, claimed: Claimed[M], *, now: datetime) -> Claimed[M] | None:
        """The claim with a fresh lease if it runs low; None when another sender has taken the row over."""
        if claimed.until - now > policy.RENEW_BEFORE:
            return claimed
        model, until = self.queue.model, now + policy.LEASE
        with self.store.session() as session:
            won = rows_changed(session, update(model).where(model.id == claimed.id, model.claim_token == self.token,
                                                      model.state == "pending")
                                  .values(claimed_until=until).execution_options(synchronize_session=False))
        return Claimed(claimed.id, until, claimed.message) if won else None

    def send(self, claimed: Claimed[M], *, clock: Callable[[], datetime], report: SendReport) -> Delivery | None:
        """Renew, send and record one claimed message; None when it was no longer ours to send."""
        renewed = self.renew(claimed, now=clock())
        if renewed is None:
            report.skipped += 1
            return None
        try:
            delivery = self.transport.send(renewed.message)
        except Exception as exc:  # a transport bug must not stop the others; retried as transient
            log.exception("%s message %s: sending raised", self.queue.name, claimed.id)
            delivery = Delivery(ok=False, error=f"{type(exc).__name__}: {exc}")
        self.record(renewed, delivery, now=clock(), report=report)
        return delivery

    def record(self, claimed: Claimed[M], delivery: Delivery, *, now: datetime, report: SendReport) -> None:
        """Write down how sending went: sent, later (transient or 429), or failed for good."""
        with self.store.session() as session:
            row = session.get_one(self.queue.model, claimed.id)
            if row.claim_token != self.token:
                log.warning("%s message %s: lease lost while sending", self.queue.name, row.id)
            row.claimed_until, row.claim_token = None, None
            if row.state != "pending":
                return  # another sender took it over after our lease ran out and has finished it
            if delivery.ok:
                row.state, row.sent_at, row.last_error = "sent", now, None
                self.queue.sent(session, row, delivery, claimed.message)
                report.sent += 1
                return
            row.last_error = delivery.error or "unknown error"
            outcome = _retry_or_fail(row, delivery, now=now)
            if outcome == "failed":
                row.state = "failed"
                self.queue.failed(session, row, delivery, claimed.message)
                log.warning("%s message %s to %s failed for good: %s", self.queue.name, row.id, row.recipient,
                            row.last_error)
            setattr(report, outcome, getattr(report, outcome) + 1)

    def seconds_to_next(self, *, now: datetime) -> float | None:
        """How long until a pending row nobody holds becomes due (a Retry-After, a retry); None if none."""
        model = self.queue.model
        with self.store.session() as session:
            earliest = session.scalar(select(func.min(model.next_attempt_at)).where(
                model.state == "pending", or_(model.claimed_until.is_(None), model.claimed_until < now)))
        if earliest is None:
            return None
        return max(0.0, ((aware(earliest) or earliest) - now).total_seconds())

    def deliver(self, *, clock: Callable[[], datetime], batch: int = 50, pacer: Pacing | None = None,
                budget: float | None = None, stop: Callable[[], bool] | None = None) -> SendReport:
        """Send what is due. Without a pacer: one pass over what is due now. With one: pace the sends and wait
        for retries, until nothing is left, `budget` seconds (of the pacer's clock) are spent, or `stop()`."""
        report = SendReport()
        started = pacer.monotonic() if pacer else 0.0

        def left() -> float:
            if stop is not None and stop():
                return 0.0
            return float("inf") if budget is None or pacer is None else budget - (pacer.monotonic() - started)

        while left() > 0:
            claimed = self.claim(now=clock(), batch=batch, report=report)
            if not claimed:
                wait = self.seconds_to_next(now=clock()) if pacer else None
                if pacer is None or wait is None or wait >= left():
                    break
                pacer.sleep(wait)
                continue
            for index, one in enumerate(claimed):
                if left() <= 0:
                    self.release(claimed[index:])
                    break
                self._paced_send(one, clock=clock, pacer=pacer, report=report)
            if pacer is None and len(claimed) < batch:
                break
        return report

    def _paced_send(self, claimed: Claimed[M], *, clock: Callable[[], datetime], pacer: Pacing | None,
                    report: SendReport) -> None:
        recipient = getattr(claimed.message, "recipient", "")
        if pacer is not None:
            pacer.wait(recipient)
        delivery = self.send(claimed, clock=clock, report=report)
        if pacer is not None and delivery is not None:
            pacer.sent(recipient)
            if delivery.retry_after is not None:
                pacer.back_off(delivery.retry_after)


class Pacing(Protocol):
    """Spaces sends out (bot/digest/pacing.Pacer): per-recipient and workspace rates, Retry-After pauses."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    def wait(self, channel: str) -> float: ...

    def sent(self, channel: str) -> None: ...

    def back_off(self, seconds: float) -> None: ...


def _retry_or_fail(row: OutboxColumns, delivery: Delivery, *, now: datetime) -> Literal["failed", "rate_limited",
                                                                                          "retried"]:
    """The retry rule: permanent errors fail at once; anything else is retried until the row's deadline."""
    if delivery.permanent:
        row.attempts += 1
        return "failed"
    deadline = aware(row.deadline)
    if deadline is not None and now >= deadline:
        row.attempts += 1
        row.last_error = f"still failing at the deadline ({deadline:%Y-%m-%d %H:%M} UTC): {row.last_error}"
        return "failed"
    if delivery.retry_after is not None:
        row.rate_limited += 1
        wait = timedelta(seconds=max(0.0, delivery.retry_after))
        outcome: Literal["rate_limited", "retried"] = "rate_limited"
    else:
        row.attempts += 1
        wait = policy.backoff(row.attempts)
        outcome = "retried"
    # The last try is at the deadline itself, so a message is never given up while it might still go.
    row.next_attempt_at = min(now + wait, deadline) if deadline is not None else now + wait
    return outcome


# -- messages without a table of their own -----------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingMessage:
    """One outbox_messages row as the transport gets it: the kind's renderer turns the payload into text."""

    id: int
    kind: str
    recipient: str
    payload: dict[str, Any]


class MessageQueue(Queue[OutgoingMessage]):
    """The `outbox_messages` table: kinds that need nothing but a renderer (see the module docstring)."""

    model = OutboxMessage
    name = "message"

    def message(self, session: Session, row: OutboxMessage) -> OutgoingMessage:
        return OutgoingMessage(row.id, row.kind, row.recipient, dict(row.payload))

    def sent(self, session: Session, row: OutboxMessage, delivery: Delivery, message: OutgoingMessage) -> None:
        row.ts = delivery.ts


def enqueue_message(session: Session, *, kind: str, key: str, recipient: str, payload: dict[str, Any],
                    now: datetime, deadline: datetime | None = None, not_before: datetime | None = None) -> bool:
    """Add a message to the outbox in the caller's transaction unless its key is there; True if added.
    `not_before` spaces out a batch queued at once (review DMs), so a pass sends them paced."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return False
    session.add(OutboxMessage(kind=kind, key=key, recipient=recipient, payload=payload, state="pending",
                              attempts=0, rate_limited=0, next_attempt_at=not_before or now,
                              deadline=deadline if deadline is not None else now + policy.PAGE_DEADLINE,
                              created_at=now))
    return True
