"""Delivering a run's messages through the one outbox (bot/store/outbox.py): paced, leased, retried, sent once.

The digest's rules on top of the outbox's: the summary goes first; a person who turned the
digest off after the run was prepared is skipped; a delivery is retried through Slack errors
until its period ends (its deadline); `retry_failed` puts the failed ones of a period back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.digest.pacing import Pacer
from bot.digest.preferences import opted_out
from bot.store.db import Store, rows_changed
from bot.store.digest_models import DigestDelivery
from bot.store.outbox import Delivery, Outbox, Queue, SendReport, Verdict

__all__ = ["DigestQueue", "DigestTransport", "OutgoingDigest", "SendReport", "deliver", "failures", "pending",
           "retry_failed"]

TURNED_OFF = "turned off with /raci digest off"


@dataclass(frozen=True)
class OutgoingDigest:
    id: int
    period: str
    kind: str  # person (a DM) or summary (the channel)
    recipient: str
    handle: str | None
    payload: dict[str, Any]


class DigestTransport(Protocol):
    def send(self, message: OutgoingDigest) -> Delivery: ...


class DigestQueue(Queue[OutgoingDigest]):
    """Digest deliveries in the outbox: the summary first, opted-out people skipped."""

    model = DigestDelivery
    name = "digest"

    def order(self) -> Sequence[Any]:
        return (DigestDelivery.kind.desc(), DigestDelivery.id)  # "summary" sorts after "person"

    def triage(self, session: Session, rows: Sequence[DigestDelivery], *, now: datetime
               ) -> dict[int, tuple[Verdict, str]]:
        refused = opted_out(session, {r.recipient for r in rows if r.kind == "person"})
        return {r.id: ("skip", TURNED_OFF) for r in rows if r.kind == "person" and r.recipient in refused}

    def message(self, session: Session, row: DigestDelivery) -> OutgoingDigest:
        return OutgoingDigest(row.id, row.period, row.kind, row.recipient, row.handle, row.payload)

    def sent(self, session: Session, row: DigestDelivery, delivery: Delivery, message: OutgoingDigest) -> None:
        row.ts = delivery.ts


def deliver(store: Store, transport: DigestTransport, *, clock: Callable[[], datetime], pacer: Pacer,
            budget: float | None = None, batch: int = 25, stop: Callable[[], bool] | None = None) -> SendReport:
    """Send what is due until nothing is left, `budget` seconds are spent or `stop()`; waits out Retry-After."""
    return Outbox(store, DigestQueue(), transport).deliver(clock=clock, batch=batch, pacer=pacer, budget=budget,
                                                           stop=stop)


def pending(session: Session, key: str) -> int:
    """Deliveries of the period `key` not sent, failed or skipped yet."""
    return session.scalar(select(func.count()).select_from(DigestDelivery).where(
        DigestDelivery.period == key, DigestDelivery.state == "pending")) or 0


def failures(session: Session, key: str) -> list[tuple[str, str, str | None, str]]:
    """The period's deliveries that failed for good: (kind, recipient, handle, reason)."""
    rows = session.execute(select(DigestDelivery.kind, DigestDelivery.recipient, DigestDelivery.handle,
                                  DigestDelivery.last_error)
                           .where(DigestDelivery.period == key, DigestDelivery.state == "failed")
                           .order_by(DigestDelivery.id)).all()
    return [(kind, recipient, handle, error or "unknown error") for kind, recipient, handle, error in rows]


def retry_failed(session: Session, key: str, *, now: datetime) -> int:
    """Put the period's failed deliveries back in the outbox (their cause was fixed); returns how many."""
    return rows_changed(session, update(DigestDelivery).where(DigestDelivery.period == key,
                                                        DigestDelivery.state == "failed")
                           .values(state="pending", next_attempt_at=now, attempts=0, claimed_until=None,
                                   claim_token=None)
                           .execution_options(synchronize_session=False))
