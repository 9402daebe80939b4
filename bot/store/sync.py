"""Make the store equal to a RaciDocument, touching only what changed, and audit every change.

Rows keep their ids across imports (people by handle, roles and teams by key, activities by
name ignoring case), so later tables can refer to them; memberships and assignments of a
changed item are rewritten whole. Everything runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from bot.raci_file.diff import Change, diff_definitions, diff_extras
from bot.raci_file.model import RaciDocument
from bot.raci_file.people_settings import people_settings_rows
from bot.store import models as m
from bot.store.activity_sync import plan_activities, write_activities
from bot.store.audit import AuditWriter
from bot.store.batching import IN_LIST
from bot.store.bulk import insert_rows
from bot.store.snapshot import read_names, stored_document

Progress = Callable[[str], None]


def _quiet(_phase: str) -> None:
    pass


def _chunks(items: Sequence[Any], size: int = IN_LIST) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def write_document(
    session: Session, new: RaciDocument, *, actor: str, source: str | None, action: str = "import",
    progress: Progress = _quiet,
) -> list[Change]:
    """Sync the store to `new`; returns the changes, which are also written to the audit log."""
    old = stored_document(session, activities=False)
    names = read_names(session)
    learned = keep_learned_slack_ids(session, new)
    ids = _Ids(session)
    definitions = diff_definitions(old, new)
    plan = plan_activities(session, names=names, existing=ids.activities, activities=new.activities,
                           progress=progress)
    extras = diff_extras(old, new)
    touched = {(c.subject_type, c.subject) for c in definitions}
    _sync_people(session, ids, new, touched, learned)
    _sync_roles(session, ids, new, touched)
    _sync_teams(session, ids, new, touched)
    audit = AuditWriter(session, actor=actor, source=source, action=action)
    audit.write(definitions)
    activities = write_activities(session, plan=plan, existing=ids.activities, activities=new.activities,
                                  people=ids.people, roles=ids.roles, audit=audit, progress=progress)
    if any(c.subject_type == "synonyms" for c in extras) or old.synonyms != new.synonyms:
        session.execute(delete(m.Synonym))
        _insert(session, m.Synonym, [{"terms": g, "position": i} for i, g in enumerate(new.synonyms)])
    if any(c.subject_type == "settings" for c in extras):
        _write_settings(session, new)
    progress(f"auditing {len(definitions) + len(activities) + len(extras)} changes")
    audit.write(extras)
    return definitions + activities + extras


def _insert(session: Session, model: type[m.Base], rows: list[dict[str, Any]]) -> None:
    if rows:
        columns = list(rows[0])
        insert_rows(session, model.__table__, columns, (tuple(row[c] for c in columns) for row in rows))


def _insert_returning_ids(
    session: Session, model: Any, key_column: Any, rows: list[dict[str, Any]]
) -> dict[str, int]:
    """Bulk insert and return {natural key: new id}, read back in one query (cheaper than RETURNING)."""
    if not rows:
        return {}
    _insert(session, model, rows)
    wanted = {row[key_column.key] for row in rows}
    return {key: rid for key, rid in session.execute(select(key_column, model.id)) if key in wanted}


class _Ids:
    """Natural key -> id maps of what is in the store right now."""

    def __init__(self, session: Session) -> None:
        self.people = dict(session.execute(select(m.Person.handle, m.Person.id)).all())
        self.roles = dict(session.execute(select(m.Role.key, m.Role.id)).all())
        self.teams = dict(session.execute(select(m.Team.key, m.Team.id)).all())
        # in store (file) order: removed activities are reported in that order
        self.activities = dict(session.execute(select(m.Activity.name_key, m.Activity.id)
                                               .order_by(m.Activity.position, m.Activity.id)).all())


def _sync_keyed(session: Session, model: Any, key_column: Any, existing: dict[str, int],
                desired: dict[str, dict[str, Any]], changed: set[str]) -> set[str]:
    """Delete, update and insert rows of one table by natural key; returns the keys (re)written."""
    gone = [k for k in existing if k not in desired]
    for chunk in _chunks([existing[k] for k in gone]):
        session.execute(delete(model).where(model.id.in_(chunk)))
    for k in gone:
        del existing[k]
    updates = [{"id": existing[k], **row} for k, row in desired.items() if k in existing and k in changed]
    if updates:
        session.execute(update(model), updates)
    added = [row for k, row in desired.items() if k not in existing]
    new_ids = _insert_returning_ids(session, model, key_column, added)
    existing.update(new_ids)
    return set(new_ids) | {k for k in desired if k in changed}


def _positions(session: Session, model: Any, key_column: Any, existing: dict[str, int],
               order: list[str]) -> None:
    """Bring `position` in line with the file order where it differs (order alone is no change)."""
    current: dict[str, int] = dict(session.execute(select(key_column, model.position)).all())
    moves = [{"id": existing[k], "position": i} for i, k in enumerate(order) if current.get(k) != i]
    if moves:
        session.execute(update(model), moves)


def keep_learned_slack_ids(session: Session, new: RaciDocument) -> set[str]:
    """Fill in Slack IDs the bot found by email where the file gives none for that person and email.

    Returns the handles filled in. Without this, every import (RACI_SYNC_ON_START at each start)
    would forget them and the bot would ask Slack again.
    """
    learned = {handle: (slack_id, (email or "").casefold()) for handle, slack_id, email in session.execute(
        select(m.Person.handle, m.Person.slack_id, m.Person.email).where(m.Person.slack_id_source == "lookup"))}
    kept = set()
    for person in new.people:
        found = learned.get(person.handle)
        if person.slack_id is None and found and person.email and found[1] == person.email.casefold():
            person.slack_id = found[0]
            kept.add(person.handle)
    return kept


def _sync_people(session: Session, ids: _Ids, new: RaciDocument, touched: set[tuple[str, str]],
                 learned: set[str]) -> None:
    desired = {p.handle: {"handle": p.handle, "name": p.name, "slack_id": p.slack_id, "email": p.email,
                          "slack_id_source": "lookup" if p.handle in learned else ("file" if p.slack_id else None),
                          "active": p.active, "position": i} for i, p in enumerate(new.people)}
    changed = {s for t, s in touched if t == "person"}
    _sync_keyed(session, m.Person, m.Person.handle, ids.people, desired, changed)
    _positions(session, m.Person, m.Person.handle, ids.people, list(desired))


def _sync_roles(session: Session, ids: _Ids, new: RaciDocument, touched: set[tuple[str, str]]) -> None:
    desired = {r.key: {"key": r.key, "name": r.name, "aliases": list(r.aliases), "description": r.description,
                       "slack_usergroup": r.slack_usergroup, "position": i} for i, r in enumerate(new.roles)}
    changed = {s for t, s in touched if t == "role"}
    rewritten = _sync_keyed(session, m.Role, m.Role.key, ids.roles, desired, changed)
    _positions(session, m.Role, m.Role.key, ids.roles, list(desired))
    role_ids = [ids.roles[k] for k in rewritten]
    for chunk in _chunks(role_ids):
        session.execute(delete(m.RoleMember).where(m.RoleMember.role_id.in_(chunk)))
    _insert(session, m.RoleMember, [
        {"role_id": ids.roles[r.key], "person_id": ids.people[h], "position": i}
        for r in new.roles if r.key in rewritten for i, h in enumerate(dict.fromkeys(r.members))
    ])


def _sync_teams(session: Session, ids: _Ids, new: RaciDocument, touched: set[tuple[str, str]]) -> None:
    desired = {t.key: {"key": t.key, "name": t.name, "channels": list(t.channels), "position": i}
               for i, t in enumerate(new.teams)}
    changed = {s for t, s in touched if t == "team"}
    rewritten = _sync_keyed(session, m.Team, m.Team.key, ids.teams, desired, changed)
    _positions(session, m.Team, m.Team.key, ids.teams, list(desired))
    for chunk in _chunks([ids.teams[k] for k in rewritten]):
        session.execute(delete(m.TeamRole).where(m.TeamRole.team_id.in_(chunk)))
    for team in new.teams:
        if team.key not in rewritten:
            continue
        for pos, (role_key, handles) in enumerate(team.members.items()):
            team_role_id = session.scalar(insert(m.TeamRole).returning(m.TeamRole.id).values(
                team_id=ids.teams[team.key], role_id=ids.roles[role_key], position=pos))
            _insert(session, m.TeamRoleMember, [
                {"team_role_id": team_role_id, "person_id": ids.people[h], "position": i}
                for i, h in enumerate(dict.fromkeys(handles))
            ])


def _write_settings(session: Session, new: RaciDocument) -> None:
    session.execute(delete(m.OrgSetting))
    esc, digest = new.settings.escalation, new.settings.digest
    rows = []
    if not esc.is_empty():
        rows.append({"key": "escalation", "value": {"ack_timeout": esc.ack_timeout, "repeats": esc.repeats}})
    if not digest.is_empty():
        rows.append({"key": "digest", "value": {
            "schedule": digest.schedule, "timezone": digest.timezone, "channel": digest.channel,
            "direct_messages": digest.direct_messages}})
    if new.settings.admins:
        rows.append({"key": "admins", "value": {"handles": list(new.settings.admins)}})
    learning = new.settings.learning
    if not learning.is_empty():
        rows.append({"key": "learning", "value": {"channel": learning.channel,
                                                  "confirmations": learning.confirmations}})
    changes = new.settings.changes
    if not changes.is_empty():
        rows.append({"key": "changes", "value": {"from_slack": changes.from_slack,
                                                 "expire_after": changes.expire_after, "file_url": changes.file_url}})
    rows += people_settings_rows(new.settings)
    _insert(session, m.OrgSetting, rows)
