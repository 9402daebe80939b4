"""Sync user groups: decide in the database which groups are due, set their members, record success or failure.

Due: a group never synced, whose wanted members differ from those last set (an import, a delegation
starting or ending), or last tried more than REPAIR_EVERY ago. Each due group's row is locked while it is
set (FOR UPDATE SKIP LOCKED on PostgreSQL), so replicas never set the same group at once. A failure is
logged once (when it first appears or changes), kept on the row for /readyz and the digest, and tried
again only when the members change or a day has passed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.away.store import Away, active_away
from bot.ownership.index import Ownership
from bot.ownership.matrix import load_ownership
from bot.store import models as m
from bot.store.db import Store
from bot.store.outbox import skip_locked
from bot.store.people_models import UsergroupSync
from bot.store.times import aware
from bot.usergroups.limits import MAX_MEMBERS, REPAIR_EVERY, RETRY_TRANSIENT, TRANSIENT

log = logging.getLogger(__name__)


class UsergroupWriter(Protocol):
    """Sets a Slack user group's members (bot/slack/usergroups.py); returns the Slack error, None when done."""

    def set_members(self, usergroup: str, members: list[str]) -> str | None: ...


@dataclass(frozen=True)
class Wanted:
    role: str
    members: list[str]  # Slack user IDs, sorted


@dataclass(frozen=True)
class SyncReport:
    synced: int = 0
    failed: int = 0


def sync_enabled(session: Session) -> bool:
    """settings.usergroups.sync (off unless true)."""
    value = session.scalar(select(m.OrgSetting.value).where(m.OrgSetting.key == "usergroups")) or {}
    return value.get("sync") is True


def wanted_members(ownership: Ownership, away: Mapping[str, Away]) -> dict[str, Wanted]:
    """Each role's user group -> its org-wide holders' Slack IDs, plus the delegates of those away."""
    people = ownership.people
    found: dict[str, Wanted] = {}
    for role in ownership.doc.roles:
        if not role.slack_usergroup:
            continue
        handles = list(role.members)
        handles += [a.delegate for h in role.members if (a := away.get(h)) is not None and a.delegate]
        ids = {people[h].slack_id for h in handles if h in people and people[h].active and people[h].slack_id}
        found[role.slack_usergroup] = Wanted(role.key, sorted(i for i in ids if i))
    return found


def sync_usergroups(store: Store, writer: UsergroupWriter, *, now: datetime) -> SyncReport:
    """One pass: set every due group's members."""
    with store.session() as session:
        if not sync_enabled(session):
            return SyncReport()
        wanted = wanted_members(load_ownership(session=session), active_away(session, now=now))
    synced = failed = 0
    for usergroup, want in wanted.items():
        _ensure_row(store, usergroup, want.role)
        with store.session() as session:
            row = session.scalar(skip_locked(select(UsergroupSync).where(UsergroupSync.usergroup == usergroup),
                                             session))
            if row is None or not _due(row, want, now=now):
                continue
            error = _set(writer, usergroup, want)
            _record(row, want, error, now=now)
            synced, failed = (synced + 1, failed) if error is None else (synced, failed + 1)
    return SyncReport(synced, failed)


def _ensure_row(store: Store, usergroup: str, role: str) -> None:
    try:
        with store.session() as session:
            if session.get(UsergroupSync, usergroup) is None:
                session.add(UsergroupSync(usergroup=usergroup, role=role, members=[]))
                session.flush()
    except IntegrityError:
        pass  # another replica created it first


def _due(row: UsergroupSync, want: Wanted, *, now: datetime) -> bool:
    tried = max((t for t in (aware(row.synced_at), aware(row.error_at)) if t is not None), default=None)
    wait = RETRY_TRANSIENT if (row.error or "").startswith(TRANSIENT) else REPAIR_EVERY
    return tried is None or sorted(row.members or []) != want.members or now - tried >= wait


def _set(writer: UsergroupWriter, usergroup: str, want: Wanted) -> str | None:
    if not want.members:
        return "no_holders: the role has nobody with a Slack ID (Slack keeps a group's last members)"
    if len(want.members) > MAX_MEMBERS:
        return f"too_many_members: {len(want.members)} holders, more than {MAX_MEMBERS}"
    return writer.set_members(usergroup, want.members)


def _record(row: UsergroupSync, want: Wanted, error: str | None, *, now: datetime) -> None:
    row.role, row.members = want.role, want.members
    if error is None:
        row.synced_at, row.error, row.error_at = now, None, None
        return
    if error != row.error and not error.startswith(TRANSIENT):  # once: the same failure again is not news
        log.warning("user group %s (role %s) not synced: %s; tried again when its members change or in a day",
                    row.usergroup, want.role, error)
    row.error, row.error_at = error, now


def failures(session: Session) -> list[tuple[str, str, str]]:
    """(user group, role, error) of the groups whose last sync failed."""
    rows = session.scalars(select(UsergroupSync).where(UsergroupSync.error.is_not(None))
                           .order_by(UsergroupSync.usergroup))
    return [(r.usergroup, r.role, r.error or "") for r in rows]
