"""Away periods in the store: set, end, and who is away now (compared with the caller's clock, so replicas agree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.raci_file.diff import Change
from bot.raci_file.model import Person
from bot.store import models as m
from bot.store.audit import record_changes
from bot.store.db import rows_changed
from bot.store.people_models import AwayPeriod
from bot.store.times import aware

AUDIT_ACTION = "away"  # not a matrix action: the matrix revision does not move


@dataclass(frozen=True)
class Away:
    """Someone away until a time; `delegate` (a handle) covers; `source` is "raci" or "slack status"."""

    handle: str
    until: datetime
    delegate: str | None = None
    source: str = "raci"


def active_away(session: Session, *, now: datetime) -> dict[str, Away]:
    """Everyone away at `now` (handle -> Away); a period ends by itself at its `until`."""
    rows = session.scalars(select(AwayPeriod).where(AwayPeriod.until > now, AwayPeriod.ended_at.is_(None))
                           .order_by(AwayPeriod.id))
    return {r.handle: Away(r.handle, aware(r.until), r.delegate) for r in rows}


def set_away(session: Session, *, handle: str, until: datetime, delegate: str | None, actor: str,
             now: datetime) -> Away:
    """Start (or replace) `handle`'s away period; audited with who set it."""
    until = until.astimezone(UTC)  # SQLite keeps wall time without the zone: store UTC, as everything else
    _end(session, handle, actor=actor, now=now)
    session.add(AwayPeriod(handle=handle, until=until, delegate=delegate, set_by=actor, created_at=now))
    details = {"away_until": until.isoformat(), "delegate": delegate}
    record_changes(session, [Change("person", handle, "changed", details)], actor=actor, source="slack",
                   action=AUDIT_ACTION)
    return Away(handle, until, delegate)


def end_away(session: Session, *, handle: str, actor: str, now: datetime) -> bool:
    """End `handle`'s away period now (/raci back, the App Home button); False when they were not away."""
    ended = _end(session, handle, actor=actor, now=now)
    if ended:
        record_changes(session, [Change("person", handle, "changed", {"back": now.isoformat()})], actor=actor,
                       source="slack", action=AUDIT_ACTION)
    return ended > 0


def _end(session: Session, handle: str, *, actor: str, now: datetime) -> int:
    return rows_changed(session, update(AwayPeriod).where(
        AwayPeriod.handle == handle, AwayPeriod.ended_at.is_(None), AwayPeriod.until > now,
    ).values(ended_at=now, ended_by=actor))


def delegations_of(session: Session, *, delegate: str, now: datetime) -> list[Away]:
    """The active periods `delegate` covers for."""
    rows = session.scalars(select(AwayPeriod).where(AwayPeriod.delegate == delegate, AwayPeriod.until > now,
                                                    AwayPeriod.ended_at.is_(None)))
    return [Away(r.handle, aware(r.until), r.delegate) for r in rows]


def statuses_count(session: Session) -> bool:
    """Whether Slack statuses mark people away (`settings.away.from_slack_status`, true unless set false)."""
    value = session.scalar(select(m.OrgSetting.value).where(m.OrgSetting.key == "away")) or {}
    return value.get("from_slack_status") is not False


def people_by_handle(session: Session) -> dict[str, Person]:
    """The matrix's people as stored (for pages: delegates' Slack IDs)."""
    rows = session.scalars(select(m.Person))
    return {r.handle: Person(r.handle, r.name, r.slack_id, r.email, r.active) for r in rows}
