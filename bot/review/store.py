"""Confirmations of ownership in the store: who confirmed which activity when, and what went stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.ownership.index import Ownership
from bot.raci_file.model import name_key
from bot.review.periods import Period, every_of, period_at
from bot.store import models as m
from bot.store.people_models import OwnershipConfirmation, ReviewRun
from bot.store.times import aware


@dataclass(frozen=True)
class Confirmation:
    """The last confirmation of an activity (None fields: never confirmed)."""

    activity: str
    handle: str | None = None
    at: datetime | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"activity": self.activity, "confirmed_by": self.handle,
                "confirmed_at": self.at.isoformat() if self.at else None}


def accountable_for(ownership: Ownership, handle: str) -> list[str]:
    """The activities `handle` is Accountable for (org-wide, through a team or directly), in matrix order."""
    person = ownership.people.get(handle)
    if person is None:
        return []
    names = {i.activity for i in ownership.involvements(person) if i.letter == "A"}
    return [a.name for a in ownership.doc.activities if a.name in names]


def confirm(session: Session, *, activities: list[str], handle: str, now: datetime) -> int:
    """Record `handle` confirming each activity's R/A/C/I as correct; returns how many."""
    session.add_all(OwnershipConfirmation(activity_key=name_key(a), activity=a, handle=handle, confirmed_at=now)
                    for a in activities)
    return len(activities)


def last_confirmations(session: Session, ownership: Ownership) -> list[Confirmation]:
    """Each activity of the matrix with its last confirmation, in matrix order."""
    latest = (select(OwnershipConfirmation.activity_key, func.max(OwnershipConfirmation.id).label("id"))
              .group_by(OwnershipConfirmation.activity_key).subquery())
    rows = session.execute(select(OwnershipConfirmation).join(latest, OwnershipConfirmation.id == latest.c.id))
    found = {r.activity_key: (r.handle, aware(r.confirmed_at)) for (r,) in rows}
    return [Confirmation(a.name, *found.get(name_key(a.name), (None, None))) for a in ownership.doc.activities]


def confirmed_since(session: Session, since: datetime) -> set[str]:
    """The activity keys confirmed at or after `since`."""
    return set(session.scalars(select(OwnershipConfirmation.activity_key).distinct()
                               .where(OwnershipConfirmation.confirmed_at >= since)))


def review_period(session: Session, *, now: datetime) -> Period | None:
    """The review period now, from the stored settings.review.every; None when reviews are off."""
    value = session.scalar(select(m.OrgSetting.value).where(m.OrgSetting.key == "review")) or {}
    every = every_of(value.get("every"))
    return period_at(every, now) if every is not None else None


def stale(session: Session, ownership: Ownership, *, now: datetime) -> list[Confirmation]:
    """Activities unconfirmed for more than one period, oldest first (never confirmed: since reviews began)."""
    period = review_period(session, now=now)
    if period is None:
        return []
    began = aware(session.scalar(select(func.min(ReviewRun.created_at))))
    if began is None or began >= period.previous_start:
        return []  # reviews have not run a whole period yet: nothing can be overdue
    found = [c for c in last_confirmations(session, ownership) if (c.at or began) < period.previous_start]
    return sorted(found, key=lambda c: (c.at or began, c.activity))
