"""The ticker: advance escalations whose step is due, then send what the outbox holds.

Safe with several replicas and a cron job ticking at once:
- a due escalation is advanced by a conditional UPDATE on its `step` (and claimed with
  FOR UPDATE SKIP LOCKED on PostgreSQL), in the same transaction that writes its messages
  to the outbox, so each step happens once;
- an outbox message is claimed under a lease before it is sent and marked sent after; a
  crash in between re-sends it when the lease expires — never loses it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.escalations.engine import audit, enqueue, enqueue_status, to_view
from bot.escalations.policy import format_duration, step_count, step_letter, step_level, step_round
from bot.escalations.views import Delivery, Notifier, Outgoing
from bot.store.db import Store
from bot.store.escalation_models import Escalation, Notification

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class TickReport:
    advanced: int
    sent: int
    failed: int


def _skip_locked(query, session: Session):  # noqa: ANN001, ANN202 - a Select
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def tick(store: Store, notifier: Notifier, *, now: datetime) -> TickReport:
    """One pass: advance everything due, then deliver pending messages."""
    advanced = advance_due(store, now=now)
    sent, failed = deliver_pending(store, notifier, now=now)
    return TickReport(advanced=advanced, sent=sent, failed=failed)


def advance_due(store: Store, *, now: datetime, batch: int = 100) -> int:
    """Move every due open escalation to its next step; a step with nobody to page is skipped at once."""
    total = 0
    while True:
        with store.session() as session:
            query = (select(Escalation).where(Escalation.status == "open", Escalation.next_due_at <= now)
                     .order_by(Escalation.next_due_at, Escalation.id).limit(batch))
            rows = list(session.scalars(_skip_locked(query, session)))
            moved = sum(_advance(session, row, now=now) for row in rows)
        total += moved
        if len(rows) < batch or moved == 0:
            return total


def _advance(session: Session, row: Escalation, *, now: datetime) -> int:
    """Advance one escalation as far as it goes right now; 0 when another ticker got there first."""
    view = to_view(row)
    step, notes, status, due = row.step, list(row.notes or []), "open", now
    steps = step_count(row.repeats)
    pages: list[tuple[int, int, str]] = []
    while due is not None and due <= now and status == "open":
        step += 1
        if step >= steps:
            status, due = "unanswered", None
            notes.append("nobody acknowledged: unanswered" if pages or row.step >= 0 else "nobody to page")
            break
        letter = step_letter(step)
        recipients = [o.slack_id for o in view.pageable(letter) if o.slack_id]
        if not recipients:
            who = "Responsible" if letter == "R" else "Accountable"
            notes.append(f"level {step_level(step)} skipped: no {who} holder to page")
            if not any(view.pageable(x) for x in ("R", "A")):
                status, due = "unanswered", None
                notes.append("nobody to page")
                break
            continue
        pages += [(step_level(step), step_round(step), r) for r in recipients]
        due = now + view.ack_timeout
    claimed = session.execute(
        update(Escalation).where(Escalation.id == row.id, Escalation.step == row.step,
                                 Escalation.status == "open")
        .values(step=step, status=status, next_due_at=due, notes=notes)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return 0
    session.refresh(row)
    for level, round_, recipient in pages:
        enqueue(session, row, kind="page", recipient=recipient, now=now, level=level, round_=round_)
    enqueue_status(session, row, now=now)
    if status == "unanswered":
        if view.step >= 0:  # with nobody ever paged, the requester was told when raising it
            enqueue(session, row, kind="requester", recipient=row.requester, now=now, seq="unanswered")
        audit(session, row, "changed", {"status": ["open", "unanswered"]}, actor="raci-bot")
    elif pages:
        audit(session, row, "changed", {"level": step_level(step), "round": step_round(step),
                                         "paged": [p[2] for p in pages],
                                         "next": format_duration(view.ack_timeout)}, actor="raci-bot")
    return 1


def deliver_pending(store: Store, notifier: Notifier, *, now: datetime, batch: int = 50) -> tuple[int, int]:
    """Send what is due in the outbox, each message claimed under a lease; returns (sent, failed)."""
    sent = failed = 0
    while True:
        claimed = _claim(store, now=now, batch=batch)
        for message in claimed:
            ok = _send(store, notifier, message, now=now)
            sent += ok
            failed += not ok
        if len(claimed) < batch:
            return sent, failed


def _claim(store: Store, *, now: datetime, batch: int) -> list[Outgoing]:
    with store.session() as session:
        query = (select(Notification).where(
            Notification.state == "pending", Notification.next_attempt_at <= now,
            or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))
            .order_by(Notification.id).limit(batch))
        out = []
        for note in session.scalars(_skip_locked(query, session)):
            if note.kind == "status" and _status_in_flight(session, note, now=now):
                continue  # after that one records the message's ts, this one updates it instead of posting
            won = session.execute(
                # Re-checked in the UPDATE itself: another ticker may have claimed or even sent it
                # since our SELECT (SQLite has no row locks to keep it from doing so).
                update(Notification).where(
                    Notification.id == note.id, Notification.state == "pending",
                    or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))
                .values(claimed_until=now + LEASE, attempts=Notification.attempts + 1)
                .execution_options(synchronize_session=False)).rowcount
            if won:
                escalation = to_view(session.get_one(Escalation, note.escalation_id))
                out.append(Outgoing(id=note.id, kind=note.kind, recipient=note.recipient, level=note.level,
                                    round=note.round, escalation=escalation))
        return out


def _status_in_flight(session: Session, note: Notification, *, now: datetime) -> bool:
    """Another status message of the same escalation is being sent right now (by anyone)."""
    return session.scalar(select(Notification.id).where(
        Notification.escalation_id == note.escalation_id, Notification.kind == "status",
        Notification.state == "pending", Notification.id != note.id, Notification.claimed_until >= now,
    ).limit(1)) is not None


def _send(store: Store, notifier: Notifier, message: Outgoing, *, now: datetime) -> bool:
    try:
        result = notifier.send(message)
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the ticker for the others
        log.exception("sending escalation message %s failed", message.id)
        result = Delivery(ok=False, error=f"{type(exc).__name__}: {exc}")
    with store.session() as session:
        note = session.get_one(Notification, message.id)
        if result.ok:
            note.state, note.sent_at, note.claimed_until, note.last_error = "sent", now, None, None
            if message.kind == "status" and result.ts:
                session.execute(update(Escalation).where(Escalation.id == message.escalation.id,
                                                         Escalation.status_ts.is_(None))
                                .values(status_ts=result.ts))
            return True
        note.last_error, note.claimed_until = result.error, None
        if result.permanent or note.attempts >= MAX_ATTEMPTS:
            note.state = "failed"
            row = session.get_one(Escalation, message.escalation.id)
            row.notes = [*(row.notes or []), f"could not reach <@{message.recipient}>: {result.error}"]
        else:
            backoff = result.retry_after if result.retry_after is not None else min(300, 2 ** note.attempts)
            note.next_attempt_at = now + timedelta(seconds=backoff)
        return False
