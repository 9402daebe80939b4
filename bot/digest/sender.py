"""Delivering a run's messages: each claimed under a lease, paced, marked sent once Slack took it.

A delivery is claimed (FOR UPDATE SKIP LOCKED on PostgreSQL, and a conditional UPDATE everywhere)
with a token and a lease; the lease is renewed before sending when it is about to run out, and a
renewal that fails means another sender has it, so we skip it. The only repeat a crash can cause
is of a message Slack took but whose sending was not yet recorded.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.digest.pacing import Pacer
from bot.digest.preferences import opted_out
from bot.escalations.views import Delivery, aware
from bot.store.db import Store
from bot.store.digest_models import DigestDelivery

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
RENEW_BEFORE = timedelta(seconds=30)  # renew a lease that has less than this left before sending
MAX_ATTEMPTS = 6  # failures other than 429, which never count


@dataclass(frozen=True)
class OutgoingDigest:
    id: int
    period: str
    kind: str  # person (a DM) or summary (the channel)
    recipient: str
    handle: str | None
    payload: dict[str, Any]
    claimed_until: datetime


class DigestTransport(Protocol):
    def send(self, message: OutgoingDigest) -> Delivery: ...


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # turned off after the run was prepared, or taken over by another sender
    rate_limited: int = 0
    retried: int = 0  # transient failures to try again later

    def add(self, other: SendReport) -> None:
        for name in ("sent", "failed", "skipped", "rate_limited", "retried"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _due(now: datetime):  # noqa: ANN202 - a SQL expression
    return (DigestDelivery.state == "pending", DigestDelivery.next_attempt_at <= now,
            or_(DigestDelivery.claimed_until.is_(None), DigestDelivery.claimed_until < now))


def deliver(store: Store, transport: DigestTransport, *, clock: Callable[[], datetime], pacer: Pacer,
            budget: float | None = None, batch: int = 25, stop: Callable[[], bool] | None = None) -> SendReport:
    """Send what is due until nothing is left, `budget` seconds are spent or `stop()`; waits out Retry-After."""
    report = SendReport()
    token = uuid.uuid4().hex
    started = pacer.monotonic()

    def left() -> float:
        if stop is not None and stop():
            return 0.0
        return float("inf") if budget is None else budget - (pacer.monotonic() - started)

    while left() > 0:
        claimed = claim(store, token=token, now=clock(), batch=batch, report=report)
        if not claimed:
            wait = seconds_to_next(store, now=clock())
            if wait is None or wait >= left():
                break
            pacer.sleep(wait)
            continue
        for index, message in enumerate(claimed):
            if left() <= 0:
                release(store, token=token, ids=[m.id for m in claimed[index:]])
                break
            _send_one(store, transport, message, token=token, clock=clock, pacer=pacer, report=report)
    return report


def claim(store: Store, *, token: str, now: datetime, batch: int, report: SendReport | None = None
          ) -> list[OutgoingDigest]:
    """Lease up to `batch` due deliveries to `token` (the summary first); opted-out people are skipped."""
    with store.session() as session:
        query = (select(DigestDelivery.id, DigestDelivery.kind, DigestDelivery.recipient)
                 .where(*_due(now)).order_by(DigestDelivery.kind.desc(), DigestDelivery.id).limit(batch))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        candidates = session.execute(query).all()
        refused = opted_out(session, {r for _id, kind, r in candidates if kind == "person"})
        skip = [i for i, kind, r in candidates if kind == "person" and r in refused]
        if skip:
            session.execute(update(DigestDelivery).where(DigestDelivery.id.in_(skip), *_due(now))
                            .values(state="skipped", last_error="turned off with /raci digest off")
                            .execution_options(synchronize_session=False))
            if report is not None:
                report.skipped += len(skip)
        wanted = [i for i, _kind, _r in candidates if i not in set(skip)]
        if not wanted:
            return []
        until = now + LEASE
        session.execute(update(DigestDelivery).where(DigestDelivery.id.in_(wanted), *_due(now))
                        .values(claimed_until=until, claim_token=token)
                        .execution_options(synchronize_session=False))
        rows = session.scalars(select(DigestDelivery).where(DigestDelivery.id.in_(wanted),
                                                            DigestDelivery.claim_token == token)
                               .order_by(DigestDelivery.kind.desc(), DigestDelivery.id))
        return [OutgoingDigest(r.id, r.period, r.kind, r.recipient, r.handle, r.payload, until) for r in rows]


def release(store: Store, *, token: str, ids: list[int]) -> None:
    """Give back deliveries we claimed but will not send now, so that the next sender needs no lease expiry."""
    if not ids:
        return
    with store.session() as session:
        session.execute(update(DigestDelivery).where(DigestDelivery.id.in_(ids), DigestDelivery.claim_token == token,
                                                     DigestDelivery.state == "pending")
                        .values(claimed_until=None, claim_token=None).execution_options(synchronize_session=False))


def seconds_to_next(store: Store, *, now: datetime) -> float | None:
    """How long until a pending delivery nobody holds becomes due (a Retry-After, a retry); None if none."""
    with store.session() as session:
        earliest = session.scalar(select(func.min(DigestDelivery.next_attempt_at)).where(
            DigestDelivery.state == "pending",
            or_(DigestDelivery.claimed_until.is_(None), DigestDelivery.claimed_until < now)))
    if earliest is None:
        return None
    return max(0.0, ((aware(earliest) or earliest) - now).total_seconds())


def _renew(store: Store, message: OutgoingDigest, *, token: str, now: datetime) -> OutgoingDigest | None:
    if message.claimed_until - now > RENEW_BEFORE:
        return message
    until = now + LEASE
    with store.session() as session:
        won = session.execute(update(DigestDelivery).where(
            DigestDelivery.id == message.id, DigestDelivery.claim_token == token, DigestDelivery.state == "pending")
            .values(claimed_until=until).execution_options(synchronize_session=False)).rowcount
    if not won:
        return None
    return OutgoingDigest(message.id, message.period, message.kind, message.recipient, message.handle,
                          message.payload, until)


def _send_one(store: Store, transport: DigestTransport, message: OutgoingDigest, *, token: str,
              clock: Callable[[], datetime], pacer: Pacer, report: SendReport) -> None:
    pacer.wait(message.recipient)
    renewed = _renew(store, message, token=token, now=clock())
    if renewed is None:  # our lease ran out during a long back-off and another sender took it
        report.skipped += 1
        return
    try:
        result = transport.send(renewed)
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the others
        log.exception("sending digest delivery %s failed", message.id)
        result = Delivery(ok=False, error=f"{type(exc).__name__}: {exc}")
    pacer.sent(message.recipient)
    if result.retry_after is not None:
        pacer.back_off(result.retry_after)
    record(store, message, result, token=token, now=clock(), report=report)


def record(store: Store, message: OutgoingDigest, result: Delivery, *, token: str, now: datetime,
           report: SendReport) -> None:
    """Write down how sending went: sent, later (429 or transient), or failed for good."""
    with store.session() as session:
        row = session.get_one(DigestDelivery, message.id)
        if row.claim_token != token:
            log.warning("digest delivery %s: lease lost while sending to %s", row.id, row.recipient)
        row.claimed_until, row.claim_token = None, None
        if result.ok:
            row.state, row.sent_at, row.ts, row.last_error = "sent", now, result.ts, None
            report.sent += 1
        elif result.retry_after is not None:
            row.rate_limited += 1
            row.next_attempt_at = now + timedelta(seconds=result.retry_after)
            report.rate_limited += 1
        else:
            _failed(row, result, now=now, report=report)


def _failed(row: DigestDelivery, result: Delivery, *, now: datetime, report: SendReport) -> None:
    row.attempts += 1
    row.last_error = result.error
    if result.permanent or row.attempts >= MAX_ATTEMPTS:
        row.state = "failed"
        report.failed += 1
        log.warning("digest to %s failed for good: %s", row.recipient, result.error)
    else:
        row.next_attempt_at = now + timedelta(seconds=min(300, 2 ** row.attempts))
        report.retried += 1


def pending(session: Session, key: str) -> int:
    """Deliveries of the period `key` not sent, failed or skipped yet."""
    return session.scalar(select(func.count()).select_from(DigestDelivery).where(
        DigestDelivery.period == key, DigestDelivery.state == "pending")) or 0
