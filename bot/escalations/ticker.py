"""The ticker: advance escalations whose step is due, then send what the outbox holds.

Safe with several replicas and a cron job ticking at once:
- a due escalation is advanced by a conditional UPDATE on its `step` (and claimed with
  FOR UPDATE SKIP LOCKED on PostgreSQL), in the same transaction that writes its messages
  to the outbox, so each step happens once;
- its messages go through the one outbox (bot/store/outbox.py): claimed under a lease, sent,
  recorded; Slack outages are retried until the message's deadline (a day for a page), and a
  crash between send and record re-sends it when the lease expires — never loses it.

Like the outbox, this is a loop that owns its transactions (one per batch); the engine's
functions, and `advance_batch`, take the caller's session.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.away.marking import StatusSource, page_targets, with_statuses
from bot.away.store import Away, active_away, people_by_handle, statuses_count
from bot.escalations.engine import audit, enqueue, enqueue_status, to_view
from bot.escalations.policy import format_duration, step_count, step_letter, step_level, step_round
from bot.escalations.views import EscalationView, Notifier, Outgoing
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


def tick(store: Store, notifier: Notifier, *, now: datetime, statuses: StatusSource | None = None) -> TickReport:
    """One pass: advance everything due (away people by Slack status too, with `statuses`), then deliver."""
    advanced = advance_due(store, now=now, statuses=statuses)
    sent = deliver_pending(store, notifier, now=now)
    return TickReport(advanced=advanced, sent=sent.sent, failed=sent.failed,
                      waiting=sent.retried + sent.rate_limited)


def advance_due(store: Store, *, now: datetime, batch: int = 100, statuses: StatusSource | None = None) -> int:
    """Move every due open escalation to its next step, one committed transaction per batch.

    This is the ticker's loop, so it opens its own transactions: a batch's claims (row locks on
    PostgreSQL) are released as soon as its messages are in the outbox, not at the end of the pass.
    Slack statuses (`statuses`) are read first, before any row is locked.
    """
    if statuses is not None:
        _read_statuses(store, statuses, now=now, batch=batch)
    total = 0
    while True:
        with store.session() as session:
            found, moved = advance_batch(session=session, now=now, batch=batch, statuses=statuses)
        total += moved
        if found < batch or moved == 0:
            return total


def advance_batch(*, session: Session, now: datetime, batch: int = 100,
                  statuses: StatusSource | None = None) -> tuple[int, int]:
    """Advance up to `batch` due escalations (a step with nobody to page is skipped at once): (found, moved)."""
    query = (select(Escalation).where(Escalation.status == "open", Escalation.next_due_at <= now)
             .order_by(Escalation.next_due_at, Escalation.id).limit(batch))
    rows = list(session.scalars(skip_locked(query, session)))
    return len(rows), sum(_advance(session, row, now=now, statuses=statuses) for row in rows)


def _read_statuses(store: Store, statuses: StatusSource, *, now: datetime, batch: int) -> None:
    """Read the due escalations' holders' Slack statuses before any row is locked: the source caches them, so
    the locked pass below never waits on Slack while holding a row."""
    with store.session() as session:
        if not statuses_count(session):
            return
        owners = [to_view(row).owners for row in session.scalars(
            select(Escalation).where(Escalation.status == "open", Escalation.next_due_at <= now).limit(batch))]
    with_statuses({}, (h for found in owners for x in ("R", "A") for h in found.get(x, ())), statuses, now=now)


def _away_of(session: Session, view: EscalationView, *, statuses: StatusSource | None, now: datetime
             ) -> dict[str, Away]:
    """Who of the escalation's R and A holders is away now: by /raci away, and by Slack status with `statuses`."""
    away = active_away(session, now=now)
    if statuses is not None and statuses_count(session):
        # the source caches each person's status, so a pass reads it once per holder however many escalations
        away = with_statuses(away, (h for x in ("R", "A") for h in view.owners.get(x, ())), statuses, now=now)
    return away


def _advance(session: Session, row: Escalation, *, now: datetime, statuses: StatusSource | None = None) -> int:
    """Advance one escalation as far as it goes right now; 0 when another ticker got there first."""
    view = to_view(row)
    away, people = _away_of(session, view, statuses=statuses, now=now), people_by_handle(session)
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
        recipients, why = page_targets(view.owners.get(letter, ()), away, people)
        notes += [w for w in why if w not in notes]
        if not recipients:
            who = "Responsible" if letter == "R" else "Accountable"
            reason = "every one is away with no one covering" if why else f"no {who} holder to page"
            notes.append(f"level {step_level(step)} skipped: {reason}")
            if not any(page_targets(view.owners.get(x, ()), away, people)[0] for x in ("R", "A")):
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
