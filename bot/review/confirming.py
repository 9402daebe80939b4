"""Confirming from a review DM: only its recipient, only activities it listed that they are still Accountable for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.errors import RaciError
from bot.ownership.index import Ownership
from bot.raci_file.model import name_key
from bot.review.job import REQUEST
from bot.review.store import accountable_for, confirm, confirmed_since
from bot.store.db import Store
from bot.store.outbox_models import OutboxMessage


class ReviewRefused(RaciError):
    """A click on a review DM that may not confirm anything (someone else's DM, an activity no longer theirs)."""


@dataclass(frozen=True)
class Reviewed:
    """The DM's payload and the activities of it confirmed in its period so far."""

    payload: dict[str, Any]
    confirmed: frozenset[str]  # activity names
    just_confirmed: tuple[str, ...] = ()


def confirm_from_request(store: Store, ownership: Ownership, *, key: str, slack_user: str, handle: str,
                         activity: str | None, now: datetime) -> Reviewed:
    """Confirm one listed activity (`activity`) or all of them (None) on behalf of the DM's recipient."""
    with store.session() as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key, OutboxMessage.kind == REQUEST))
        if row is None or row.recipient != slack_user or (row.payload or {}).get("handle") != handle:
            raise ReviewRefused("This review was sent to someone else; only they can confirm it.")
        payload = dict(row.payload)
        listed = [str(a.get("name")) for a in payload.get("activities", []) if isinstance(a, dict)]
        chosen = listed if activity is None else [a for a in listed if a == activity]
        if activity is not None and not chosen:
            raise ReviewRefused(f"“{activity}” is not in this review.")
        mine = set(accountable_for(ownership, handle))
        allowed = [a for a in chosen if a in mine]
        if not allowed:
            raise ReviewRefused("You are no longer Accountable for " + ("it." if activity else "these activities."))
        confirm(session, activities=allowed, handle=handle, now=now)
        session.flush()
        done = confirmed_since(session, datetime.fromisoformat(str(payload.get("period"))))
    return Reviewed(payload, frozenset(a for a in listed if name_key(a) in done), tuple(allowed))
