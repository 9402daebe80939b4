"""The review run of a period: claimed in the database once, then one DM per Accountable holder via the outbox.

The run is claimed by inserting the period's review_runs row (its primary key), so two replicas or a
restart never send a period twice; each DM's outbox key is (period, person) as well.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.ownership.index import Ownership
from bot.ownership.matrix import load_ownership
from bot.raci_file.model import name_key
from bot.review.limits import DEADLINE, MAX_LISTED, SPACING
from bot.review.periods import Period
from bot.review.store import accountable_for, confirmed_since, review_period
from bot.store.db import Store
from bot.store.outbox import enqueue_message
from bot.store.people_models import ReviewRun

log = logging.getLogger(__name__)
REQUEST = "review_request"


def request_key(period_key: str, handle: str) -> str:
    return f"review:{period_key}:{handle}"


@dataclass(frozen=True)
class ReviewStart:
    """What a pass did: "off", "exists" (someone ran this period) or "started" with how many DMs."""

    status: str
    period: str | None = None
    recipients: int = 0


def run_review(store: Store, *, now: datetime) -> ReviewStart:
    """Claim this period's review if nobody has, and queue each Accountable holder's DM."""
    with store.session() as session:
        period = review_period(session, now=now)
        if period is None:
            return ReviewStart("off")
        if session.get(ReviewRun, period.key) is not None:
            return ReviewStart("exists", period.key)
    try:
        with store.session() as session:
            run = ReviewRun(period=period.key, created_at=now, recipients=0)
            session.add(run)
            session.flush()  # the claim: a second inserter fails here, before queueing anything
            run.recipients = _enqueue(session, load_ownership(session=session), period, now=now)
    except IntegrityError:
        return ReviewStart("exists", period.key)
    log.info("review %s: %d owners asked to confirm what they own", period.key, run.recipients)
    return ReviewStart("started", period.key, run.recipients)


def _enqueue(session: Session, ownership: Ownership, period: Period, *, now: datetime) -> int:
    confirmed = confirmed_since(session, period.start)
    sent = 0
    for person in ownership.doc.people:
        if not person.active or not person.slack_id:
            continue
        todo = [a for a in accountable_for(ownership, person.handle) if name_key(a) not in confirmed]
        if not todo:
            continue
        payload = request_payload(ownership, person.handle, todo, period=period.key)
        if enqueue_message(session, kind=REQUEST, key=request_key(period.key, person.handle),
                           recipient=person.slack_id, payload=payload, now=now, not_before=now + SPACING * sent,
                           deadline=now + DEADLINE):
            sent += 1
    return sent


def request_payload(ownership: Ownership, handle: str, activities: list[str], *, period: str) -> dict[str, Any]:
    """What a review DM lists: each activity with its holders' names by letter (at most MAX_LISTED)."""
    listed = []
    for name in activities[:MAX_LISTED]:
        answer = ownership.answer_activity(name)
        listed.append({"name": name, **{letter: [h.name or f"{h.role_name} (vacant)"
                                                       for h in answer.holders(letter)]
                                        for letter in "RACI"}})
    return {"period": period, "handle": handle, "activities": listed, "more": max(0, len(activities) - MAX_LISTED)}
