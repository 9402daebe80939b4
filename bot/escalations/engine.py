"""Raise, acknowledge, resolve and list escalations; every state change is audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.escalations.policy import Policy, step_level
from bot.escalations.views import DeliveryProblem, EscalationView
from bot.ownership.answers import Answer, Holder
from bot.raci_file.diff import Change, ChangeKind
from bot.store.audit import record_changes
from bot.store.escalation_models import Escalation, Notification
from bot.store.outbox_policy import PAGE_DEADLINE
from bot.store.text import storable, storable_or_none
from bot.store.times import aware


class EscalationNotFound(LookupError):
    """No escalation has this id."""


@dataclass(frozen=True)
class Outcome:
    """What a click did: `changed` False means refused or already done, with the reason in `message`."""

    changed: bool
    message: str
    escalation: EscalationView


def _owner_json(h: Holder) -> dict[str, object]:
    return {"handle": h.handle, "name": h.name, "slack_id": h.slack_id, "role": h.role,
            "role_name": h.role_name, "vacant": h.vacant}


def to_view(row: Escalation) -> EscalationView:
    owners = {letter: tuple(Holder.from_json(o) for o in row.owners.get(letter, [])) for letter in "RACI"}
    return EscalationView(
        id=row.id, activity=row.activity, team=row.team, problem=row.problem, link=row.link,
        requester=row.requester, channel=row.channel, thread_ts=row.thread_ts, status_ts=row.status_ts,
        status=row.status, step=row.step, ack_timeout=timedelta(seconds=row.ack_timeout_seconds),
        repeats=row.repeats, owners=owners, notes=tuple(row.notes or ()), next_due_at=aware(row.next_due_at),
        created_at=aware(row.created_at), acknowledged_at=aware(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by, closed_at=aware(row.closed_at), closed_by=row.closed_by,
    )


def audit(session: Session, row: Escalation, change: ChangeKind, details: dict[str, object], *, actor: str) -> None:
    """Every state change of an escalation goes to the audit log."""
    record_changes(session, [Change("escalation", f"#{row.id} {row.activity}", change, details)],
                   actor=actor, source=None, action="escalation")


def enqueue(session: Session, row: Escalation, *, kind: str, recipient: str, now: datetime,
            level: int = 0, round_: int = 0, seq: str | None = None) -> None:
    """Add a message to the outbox unless one with the same idempotency key exists."""
    key = f"{row.id}:{kind}:{level}:{round_}:{recipient}" + (f":{seq}" if seq else "")
    exists = session.scalar(select(Notification.id).where(Notification.key == key))
    if exists is None:
        session.add(Notification(escalation_id=row.id, key=key, kind=kind, recipient=recipient, level=level,
                                 round=round_, state="pending", attempts=0, rate_limited=0, next_attempt_at=now,
                                 deadline=now + PAGE_DEADLINE, created_at=now))


def enqueue_status(session: Session, row: Escalation, *, now: datetime) -> None:
    """(Re)render the status message where the escalation was raised, if it was raised in a channel."""
    if row.channel:
        # Only the newest state matters: an update not yet picked up is replaced by this one.
        session.execute(update(Notification).where(
            Notification.escalation_id == row.id, Notification.kind == "status", Notification.state == "pending",
            or_(Notification.claimed_until.is_(None), Notification.claimed_until < now),
        ).values(state="superseded").execution_options(synchronize_session=False))
        # one row per state change: the sender renders the escalation as it is when it sends
        enqueue(session, row, kind="status", recipient=row.channel, now=now,
                seq=f"{row.status}-{row.step}-{len(row.notes or [])}")


def raise_escalation(
    *, session: Session, answer: Answer, problem: str, link: str | None, requester: str, channel: str | None,
    thread_ts: str | None, policy: Policy, now: datetime,
) -> EscalationView:
    """Record a new escalation; its first step is due at once (the caller ticks it once this commits)."""
    owners = {"R": answer.responsible, "A": answer.accountable, "C": answer.consulted, "I": answer.informed}
    row = Escalation(
        activity=storable(answer.activity or answer.query), team=storable_or_none(answer.team),
        problem=storable(problem).strip(), link=storable_or_none(link), requester=storable(requester),
        channel=storable_or_none(channel), thread_ts=storable_or_none(thread_ts), status="open", step=-1,
        ack_timeout_seconds=int(policy.ack_timeout.total_seconds()), repeats=policy.repeats,
        owners={k: [_owner_json(h) for h in v] for k, v in owners.items()}, notes=[],
        next_due_at=now, created_at=now,
    )
    session.add(row)
    session.flush()
    audit(session, row, "added", {"status": "open", "problem": row.problem, "team": row.team}, actor=requester)
    return to_view(row)


def paged_users(session: Session, escalation_id: int) -> tuple[str, ...]:
    """The Slack IDs paged for an escalation so far (queued or sent): they may act on it."""
    return tuple(session.scalars(select(Notification.recipient).distinct().where(
        Notification.escalation_id == escalation_id, Notification.kind == "page")))


def with_paged(session: Session, row: Escalation) -> EscalationView:
    """The view with who was paged, for the authority checks (a delegate paged may acknowledge)."""
    return replace(to_view(row), paged=paged_users(session, row.id))


def _locked(session: Session, escalation_id: int) -> Escalation:
    query = select(Escalation).where(Escalation.id == escalation_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise EscalationNotFound(f"escalation #{escalation_id} does not exist")
    return row


def acknowledge(*, session: Session, escalation_id: int, by: str, now: datetime) -> Outcome:
    """A Responsible or Accountable holder takes it: the clock stops."""
    row = _locked(session, escalation_id)
    view = with_paged(session, row)
    if not view.is_owner(by):
        return Outcome(False, "Only the Responsible or Accountable people of "
                       f"{row.activity} can acknowledge this escalation.", view)
    if row.status not in ("open", "unanswered"):
        return Outcome(False, f"Escalation #{row.id} is already {row.status}.", view)
    old = row.status
    row.status, row.acknowledged_at, row.acknowledged_by, row.next_due_at = "acknowledged", now, by, None
    session.flush()
    audit(session, row, "changed", {"status": [old, "acknowledged"], "by": by}, actor=by)
    enqueue_status(session, row, now=now)
    enqueue(session, row, kind="requester", recipient=row.requester, now=now, seq="acknowledged")
    return Outcome(True, f"You acknowledged escalation #{row.id} ({row.activity}).", to_view(row))


def cancel(*, session: Session, escalation_id: int, by: str, now: datetime) -> Outcome:
    """Whoever raised it calls it off: the clock stops and it is closed."""
    row = _locked(session, escalation_id)
    view = to_view(row)
    if by != row.requester:
        return Outcome(False, f"Only <@{row.requester}>, who raised it, can cancel escalation #{row.id}.", view)
    if row.status == "resolved":
        return Outcome(False, f"Escalation #{row.id} is already resolved.", view)
    return _close(session, row, by=by, now=now, note=f"cancelled by <@{by}>")


def resolve(*, session: Session, escalation_id: int, by: str, now: datetime) -> Outcome:
    """Close it; the Informed holders get a one-line FYI."""
    row = _locked(session, escalation_id)
    view = with_paged(session, row)
    if not view.may_resolve(by):
        return Outcome(False, "Only the Responsible or Accountable people of "
                       f"{row.activity} (or whoever raised it) can resolve it.", view)
    if row.status == "resolved":
        return Outcome(False, f"Escalation #{row.id} is already resolved.", view)
    return _close(session, row, by=by, now=now, note=None)


def _close(session: Session, row: Escalation, *, by: str, now: datetime, note: str | None) -> Outcome:
    old = row.status
    row.status, row.closed_at, row.closed_by, row.next_due_at = "resolved", now, by, None
    row.notes = [*(row.notes or []), *([note] if note else [])]
    if row.acknowledged_at is None and with_paged(session, row).is_owner(by):
        row.acknowledged_at, row.acknowledged_by = now, by  # resolving it is the strongest acknowledgement
    session.flush()
    audit(session, row, "changed", {"status": [old, "resolved"], "by": by, **({"note": note} if note else {})},
          actor=by)
    enqueue_status(session, row, now=now)
    for owner in to_view(row).pageable("I"):
        enqueue(session, row, kind="fyi", recipient=owner.slack_id or "", now=now)
    if by != row.requester:
        enqueue(session, row, kind="requester", recipient=row.requester, now=now, seq="resolved")
    verb = "cancelled" if note else "resolved"
    return Outcome(True, f"Escalation #{row.id} ({row.activity}) is {verb}.", to_view(row))


def get(*, session: Session, escalation_id: int) -> EscalationView:
    """One escalation by id; EscalationNotFound when there is none."""
    row = session.get(Escalation, escalation_id)
    if row is None:
        raise EscalationNotFound(f"escalation #{escalation_id} does not exist")
    return to_view(row)


def list_escalations(*, session: Session, open_only: bool = False, limit: int = 200) -> list[EscalationView]:
    """Newest first, with their undelivered messages; `open_only` keeps those open or acknowledged."""
    query = select(Escalation).order_by(Escalation.id.desc()).limit(limit)
    if open_only:
        query = query.where(Escalation.status.in_(("open", "acknowledged")))
    views = [to_view(r) for r in session.scalars(query)]
    problems = delivery_problems(session, [v.id for v in views])
    return [replace(v, deliveries=tuple(problems.get(v.id, ()))) for v in views]


def delivery_problems(session: Session, escalation_ids: list[int]) -> dict[int, list[DeliveryProblem]]:
    """Messages that failed for good, or are waiting after a failure, by escalation."""
    if not escalation_ids:
        return {}
    rows = session.scalars(select(Notification).where(
        Notification.escalation_id.in_(escalation_ids), Notification.last_error.is_not(None),
        Notification.state.in_(("pending", "failed"))).order_by(Notification.id))
    found: dict[int, list[DeliveryProblem]] = {}
    for n in rows:
        waiting = n.state == "pending"
        found.setdefault(n.escalation_id, []).append(DeliveryProblem(
            kind=n.kind, recipient=n.recipient, state="waiting" if waiting else "failed", error=n.last_error or "",
            next_attempt_at=aware(n.next_attempt_at) if waiting else None))
    return found


def counts_by_status_and_level(session: Session) -> dict[tuple[str, int], int]:
    """How many escalations there are by (status, level); level 0 before the first page."""
    counts: dict[tuple[str, int], int] = {}
    for status, step, count in session.execute(select(Escalation.status, Escalation.step, func.count())
                                               .group_by(Escalation.status, Escalation.step)):
        key = (status, 0 if step < 0 else step_level(step))
        counts[key] = counts.get(key, 0) + count
    return counts


def oldest_due(session: Session, *, now: datetime) -> datetime | None:
    """When the oldest step or message that is due and not done fell due; None when nothing is late."""
    due_step = session.scalar(select(func.min(Escalation.next_due_at)).where(
        Escalation.status == "open", Escalation.next_due_at <= now))
    due_note = session.scalar(select(func.min(Notification.next_attempt_at)).where(
        Notification.state == "pending", Notification.next_attempt_at <= now))
    return min((t for t in (aware(due_step), aware(due_note)) if t is not None), default=None)
