"""Read the whole store back as a RaciDocument (for export, check, diffing and the in-memory index)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot.raci_file.model import (
    Activity,
    ChangeSettings,
    DigestSettings,
    EscalationPolicy,
    LearningSettings,
    OrgSettings,
    Person,
    RaciDocument,
    Role,
    Team,
)
from bot.raci_file.people_settings import people_settings_from_rows
from bot.store import learning_models as lm
from bot.store import models as m


def is_empty(session: Session) -> bool:
    """True when the store holds no matrix at all (a fresh database)."""
    counts = [session.scalar(select(func.count()).select_from(t)) for t in (m.Activity, m.Role, m.Person)]
    return not any(counts)


def stored_document(session: Session, *, activities: bool = True) -> RaciDocument:
    """Everything the store holds, in file order (without the activities when told: an import streams them)."""
    names = read_names(session)
    roles = _read_roles(session, names.handles)
    return RaciDocument(
        people=names.people,
        roles=roles,
        teams=_read_teams(session, names.handles, names.role_keys),
        activities=_read_activities(session, names, None) if activities else [],
        synonyms=[list(t) for (t,) in session.execute(
            select(m.Synonym.terms).order_by(m.Synonym.position, m.Synonym.id))],
        settings=_read_settings(session),
    )


@dataclass
class Names:
    """The store's people, and the handle and key behind each person and role id."""

    people: list[Person]
    handles: dict[int, str]
    role_keys: dict[int, str]


def read_names(session: Session) -> Names:
    """People in file order, with id -> handle and role id -> key (what assignments refer to)."""
    handles: dict[int, str] = {}
    people: list[Person] = []
    for pid, handle, name, slack_id, email, active in session.execute(
        select(m.Person.id, m.Person.handle, m.Person.name, m.Person.slack_id, m.Person.email,
               m.Person.active).order_by(m.Person.position, m.Person.id)
    ):
        handles[pid] = handle
        people.append(Person(handle=handle, name=name, slack_id=slack_id, email=email, active=bool(active)))
    role_keys = dict(session.execute(select(m.Role.id, m.Role.key)).all())
    return Names(people, handles, role_keys)


def read_activities(session: Session, names: Names, ids: Sequence[int]) -> dict[int, tuple[int, Activity]]:
    """The activities with these ids (at most IN_LIST of them): id -> (position, activity)."""
    found: dict[int, tuple[int, Activity]] = {}
    if not ids:  # the batches of a first import: nothing to ask
        return found
    rows = session.execute(_activity_columns().where(m.Activity.id.in_(ids)))
    for aid, position, activity in _activities(rows):
        found[aid] = (position, activity)
    _add_assignments(session, names, {aid: activity for aid, (_, activity) in found.items()}, ids)
    return found


def _read_roles(session: Session, people_by_id: dict[int, str]) -> list[Role]:
    roles: dict[int, Role] = {}
    for rid, key, name, aliases, description, group in session.execute(
        select(m.Role.id, m.Role.key, m.Role.name, m.Role.aliases, m.Role.description,
               m.Role.slack_usergroup).order_by(m.Role.position, m.Role.id)
    ):
        roles[rid] = Role(key=key, name=name, aliases=list(aliases or []), description=description,
                          slack_usergroup=group)
    for rid, pid in session.execute(
        select(m.RoleMember.role_id, m.RoleMember.person_id).order_by(
            m.RoleMember.role_id, m.RoleMember.position)
    ):
        roles[rid].members.append(people_by_id[pid])
    return list(roles.values())


def _read_teams(session: Session, people_by_id: dict[int, str], role_keys: dict[int, str]) -> list[Team]:
    teams: dict[int, Team] = {}
    for tid, key, name, channels in session.execute(
        select(m.Team.id, m.Team.key, m.Team.name, m.Team.channels).order_by(m.Team.position, m.Team.id)
    ):
        teams[tid] = Team(key=key, name=name, channels=list(channels or []))
    team_roles: dict[int, list[str]] = {}
    for trid, tid, rid in session.execute(
        select(m.TeamRole.id, m.TeamRole.team_id, m.TeamRole.role_id).order_by(
            m.TeamRole.team_id, m.TeamRole.position)
    ):
        team_roles[trid] = teams[tid].members.setdefault(role_keys[rid], [])
    for trid, pid in session.execute(
        select(m.TeamRoleMember.team_role_id, m.TeamRoleMember.person_id).order_by(
            m.TeamRoleMember.team_role_id, m.TeamRoleMember.position)
    ):
        team_roles[trid].append(people_by_id[pid])
    return list(teams.values())


def _activity_columns() -> Select[int, int, str, list[str], str | None, str | None, int | None]:
    return select(m.Activity.id, m.Activity.position, m.Activity.name, m.Activity.aliases,
                  m.Activity.description, m.Activity.ack_timeout, m.Activity.repeats)


def _activities(rows: Iterable[Any]) -> Iterator[tuple[int, int, Activity]]:
    for aid, position, name, aliases, description, ack_timeout, repeats in rows:
        escalation = EscalationPolicy(ack_timeout=ack_timeout, repeats=repeats)
        yield aid, position, Activity(name=name, aliases=list(aliases or []), description=description,
                                      escalation=None if escalation.is_empty() else escalation)


def _read_activities(session: Session, names: Names, ids: Sequence[int] | None) -> list[Activity]:
    rows = session.execute(_activity_columns().order_by(m.Activity.position, m.Activity.id))
    activities = {aid: activity for aid, _, activity in _activities(rows)}
    _add_assignments(session, names, activities, ids)
    return list(activities.values())


def _add_assignments(
    session: Session, names: Names, activities: dict[int, Activity], ids: Sequence[int] | None
) -> None:
    """Fill in the R/A/C/I lists of `activities` (all of them when `ids` is None)."""
    query = select(m.Assignment.activity_id, m.Assignment.letter, m.Assignment.role_id,
                   m.Assignment.person_id).order_by(m.Assignment.activity_id, m.Assignment.position)
    if ids is not None:
        query = query.where(m.Assignment.activity_id.in_(ids))
    letters: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for aid, letter, rid, pid in session.execute(query):
        if rid is not None:
            ref = names.role_keys[rid]
        else:
            assert pid is not None  # the table's check: a role or a person, never neither
            ref = "@" + names.handles[pid]
        letters[aid].setdefault(letter, []).append(ref)
    for aid, raci in letters.items():
        activities[aid].raci = {k: raci[k] for k in ("R", "A", "C", "I") if k in raci}
    learned = select(lm.LearnedPhrase.activity_id, lm.LearnedPhrase.phrase).where(lm.LearnedPhrase.status == lm.ACTIVE)
    if ids is not None:
        learned = learned.where(lm.LearnedPhrase.activity_id.in_(ids))
    for aid, phrase in session.execute(learned.order_by(lm.LearnedPhrase.id)):
        activity = activities[aid]
        activity.learned = [*(activity.learned or []), phrase]


def _read_settings(session: Session) -> OrgSettings:
    values: dict[str, Any] = dict(session.execute(select(m.OrgSetting.key, m.OrgSetting.value)).all())
    escalation = values.get("escalation") or {}
    digest = values.get("digest") or {}
    learning = values.get("learning") or {}
    changes = values.get("changes") or {}
    settings = OrgSettings(
        escalation=EscalationPolicy(ack_timeout=escalation.get("ack_timeout"),
                                    repeats=escalation.get("repeats")),
        digest=DigestSettings(schedule=digest.get("schedule"), timezone=digest.get("timezone"),
                              channel=digest.get("channel"), direct_messages=digest.get("direct_messages")),
        admins=list((values.get("admins") or {}).get("handles") or []),
        learning=LearningSettings(channel=learning.get("channel"), confirmations=learning.get("confirmations")),
        changes=ChangeSettings(from_slack=changes.get("from_slack"), expire_after=changes.get("expire_after"),
                               file_url=changes.get("file_url")),
    )
    people_settings_from_rows(values, settings)
    return settings
