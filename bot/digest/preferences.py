"""`/raci digest off|on`: a person's choice, keyed by Slack user ID so that imports never touch it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.digest_models import DigestPreference


def set_digest_enabled(*, session: Session, slack_user_id: str, enabled: bool, now: datetime) -> bool:
    """Turn a person's weekly digest on or off; returns whether that changed anything."""
    was = session.scalar(select(DigestPreference.enabled).where(DigestPreference.slack_user_id == slack_user_id))
    # An upsert: two first clicks at once both insert, and the later one updates instead of failing.
    dialect_insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    upsert = dialect_insert(DigestPreference).values(slack_user_id=slack_user_id, enabled=enabled, updated_at=now)
    session.execute(upsert.on_conflict_do_update(
        index_elements=[DigestPreference.slack_user_id],
        set_={"enabled": upsert.excluded.enabled, "updated_at": upsert.excluded.updated_at}))
    return (True if was is None else was) != enabled


def digest_enabled(*, session: Session, slack_user_id: str) -> bool:
    """Whether this person gets their weekly digest (everyone does until they turn it off)."""
    row = session.get(DigestPreference, slack_user_id)
    return True if row is None else row.enabled


def opted_out(session: Session, slack_user_ids: Collection[str] | None = None) -> set[str]:
    """The Slack user IDs (among `slack_user_ids`, or all) that turned their digest off."""
    query = select(DigestPreference.slack_user_id).where(DigestPreference.enabled.is_(False))
    if slack_user_ids is not None:
        if not slack_user_ids:
            return set()
        query = query.where(DigestPreference.slack_user_id.in_(list(slack_user_ids)))
    return set(session.scalars(query))
