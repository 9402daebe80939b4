"""The ticker: advance escalations whose step is due, then send what the outbox holds.

Safe with several replicas and a cron job ticking at once:
- a due escalation is advanced by a conditional UPDATE on its `step` (and claimed with
  FOR UPDATE SKIP LOCKED on PostgreSQL), in the same transaction that writes its messages
  to the outbox, so each step happens once;
- its messages go through the one outbox (bot/store/outbox.py): claimed under a lease, sent,
  recorded; Slack outages are retried until the message's deadline (a day for a page), and a
  crash between send and record re-sends it when the lease expires — never loses it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.escalations.engine import audit, enqueue, enqueue_status, to_view
from bot.escalations.policy import format_duration, step_count, step_letter, step_level, step_round
from bot.escalations.views import Notifier, Outgoing
from bot.store.db import Store, rows_changed
from bot.store.escalation_models import Escalation, Notification
from bot.store.outbox import Delivery, Outbox, Queue, SendReport, Verdict, skip_locked

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class TickReport:
    advanced: int
    sent: int
    failed: int
    waiting: int = 0  # transient failures (Slack down, 429): retried until their deadline


def tick(store: Store, notifier: Notifier, *, now: datetime) -> TickReport:
    """One pass: advance everything due, then deliver pending messages."""
    advanced = advance_due(store, now=now)
    sent = deliver_pending(store, notifier, now=now)
    return TickReport(advanced=advanced, sent=sent.sent, failed=sent.failed,
                      waiting=sent.retried + sent.rate_limited)


def advance_due(store: Store, *, now: datetime, batch: int = 100) -> int:
    """Move every due open escalation to its next step; a step with nobody to page is skipped at once."""
    total = 0
    while True:
        with store.session() as session:
            query = (select(Escalation).where(Escalation.status == "open", Escalation.next_due_at <= now)
                     .order_by(Escalation.next_due_at, Escalation.id).limit(batch))
            rows = list(session.scalars(skip_locked(query, session)))
            moved = sum(_advance(session, row, now=now) for row in rows)
        total += moved
        if len(rows) < batch or moved == 0:
            return total


def _advance(session: Session, row: Escalation, *, now: datetime) -> int:
    """Advance one escalation as far as it goes right now; 0 when another ticker got there first."""
    view = to_view(row)
    step, notes, status = row.step, list(row.notes or []), "open"
    due: datetime | None = now
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
    claimed = rows_changed(
        session,
        update(Escalation).where(Escalation.id == row.id, Escalation.step == row.step,
                                 Escalation.status == "open")
        .values(step=step, status=status, next_due_at=due, notes=notes)
        .execution_options(synchronize_session=False),
    )
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


class EscalationQueue(Queue[Outgoing]):
    """Escalation messages in the outbox: rendered from the escalation as it is when sent."""

    model = Notification
    name = "escalation"

    def triage(self, session: Session, rows: Sequence[Notification], *, now: datetime
               ) -> dict[int, tuple[Verdict, str]]:
        """A status update waits while the first status post of its escalation is in flight: once that post's
        ts is recorded, this one edits it instead of posting a second message."""
        return {row.id: ("hold", "") for row in rows
                if row.kind == "status" and _status_in_flight(session, row, now=now)}

    def message(self, session: Session, row: Notification) -> Outgoing:
        escalation = to_view(session.get_one(Escalation, row.escalation_id))
        return Outgoing(id=row.id, kind=row.kind, recipient=row.recipient, level=row.level, round=row.round,
                        escalation=escalation)

    def sent(self, session: Session, row: Notification, delivery: Delivery, message: Outgoing) -> None:
        if message.kind == "status" and delivery.ts:
            session.execute(update(Escalation).where(Escalation.id == message.escalation.id,
                                                     Escalation.status_ts.is_(None))
                            .values(status_ts=delivery.ts))

    def failed(self, session: Session, row: Notification, delivery: Delivery, message: Outgoing) -> None:
        escalation = session.get_one(Escalation, message.escalation.id)
        escalation.notes = [*(escalation.notes or []), f"could not reach <@{message.recipient}>: {row.last_error}"]


def _status_in_flight(session: Session, note: Notification, *, now: datetime) -> bool:
    """Another status message of the same escalation is being sent right now (by anyone)."""
    return session.scalar(select(Notification.id).where(
        Notification.escalation_id == note.escalation_id, Notification.kind == "status",
        Notification.state == "pending", Notification.id != note.id, Notification.claimed_until >= now,
    ).limit(1)) is not None


def outbox(store: Store, notifier: Notifier) -> Outbox[Outgoing]:
    """The escalations' outbox, sending through `notifier`."""
    return Outbox(store, EscalationQueue(), notifier)


def deliver_pending(store: Store, notifier: Notifier, *, now: datetime, batch: int = 50) -> SendReport:
    """Send what is due in the outbox now, each message claimed under a lease; transient failures wait."""
    return outbox(store, notifier).deliver(clock=lambda: now, batch=batch)
