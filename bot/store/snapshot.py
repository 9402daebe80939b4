"""Read the whole store back as a RaciDocument (for export, check, diffing and the in-memory index)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.raci_file.model import (
    Activity,
    DigestSettings,
    EscalationPolicy,
    LearningSettings,
    OrgSettings,
    Person,
    RaciDocument,
    Role,
    Team,
)
from bot.store import learning_models as lm
from bot.store import models as m


def is_empty(session: Session) -> bool:
    """True when the store holds no matrix at all (a fresh database)."""
    counts = [session.scalar(select(func.count()).select_from(t)) for t in (m.Activity, m.Role, m.Person)]
    return not any(counts)


def read_document(session: Session) -> RaciDocument:
    """Everything the store holds, in file order."""
    people_by_id: dict[int, str] = {}
    people: list[Person] = []
    for pid, handle, name, slack_id, email, active in session.execute(
        select(m.Person.id, m.Person.handle, m.Person.name, m.Person.slack_id, m.Person.email,
               m.Person.active).order_by(m.Person.position, m.Person.id)
    ):
        people_by_id[pid] = handle
        people.append(Person(handle=handle, name=name, slack_id=slack_id, email=email, active=bool(active)))

    roles = _read_roles(session, people_by_id)
    role_keys = {rid: role.key for rid, role in roles.items()}
    return RaciDocument(
        people=people,
        roles=list(roles.values()),
        teams=_read_teams(session, people_by_id, role_keys),
        activities=_read_activities(session, people_by_id, role_keys),
        synonyms=[list(t) for (t,) in session.execute(
            select(m.Synonym.terms).order_by(m.Synonym.position, m.Synonym.id))],
        settings=_read_settings(session),
    )


def _read_roles(session: Session, people_by_id: dict[int, str]) -> dict[int, Role]:
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
    return roles


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


def _read_activities(
    session: Session, people_by_id: dict[int, str], role_keys: dict[int, str]
) -> list[Activity]:
    activities: dict[int, Activity] = {}
    for aid, name, aliases, description, ack_timeout, repeats in session.execute(
        select(m.Activity.id, m.Activity.name, m.Activity.aliases, m.Activity.description,
               m.Activity.ack_timeout, m.Activity.repeats).order_by(m.Activity.position, m.Activity.id)
    ):
        escalation = EscalationPolicy(ack_timeout=ack_timeout, repeats=repeats)
        activities[aid] = Activity(name=name, aliases=list(aliases or []), description=description,
                                   escalation=None if escalation.is_empty() else escalation)
    letters: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for aid, letter, rid, pid in session.execute(
        select(m.Assignment.activity_id, m.Assignment.letter, m.Assignment.role_id,
               m.Assignment.person_id).order_by(m.Assignment.activity_id, m.Assignment.position)
    ):
        ref = role_keys[rid] if rid is not None else "@" + people_by_id[pid]
        letters[aid].setdefault(letter, []).append(ref)
    for aid, raci in letters.items():
        activities[aid].raci = {k: raci[k] for k in ("R", "A", "C", "I") if k in raci}
    for aid, phrase in session.execute(
        select(lm.LearnedPhrase.activity_id, lm.LearnedPhrase.phrase)
        .where(lm.LearnedPhrase.status == lm.ACTIVE).order_by(lm.LearnedPhrase.id)
    ):
        activity = activities[aid]
        activity.learned = [*(activity.learned or []), phrase]
    return list(activities.values())


def _read_settings(session: Session) -> OrgSettings:
    values = dict(session.execute(select(m.OrgSetting.key, m.OrgSetting.value)).all())
    escalation = values.get("escalation") or {}
    digest = values.get("digest") or {}
    learning = values.get("learning") or {}
    return OrgSettings(
        escalation=EscalationPolicy(ack_timeout=escalation.get("ack_timeout"),
                                    repeats=escalation.get("repeats")),
        digest=DigestSettings(schedule=digest.get("schedule"), timezone=digest.get("timezone"),
                              channel=digest.get("channel"), direct_messages=digest.get("direct_messages")),
        admins=list((values.get("admins") or {}).get("handles") or []),
        learning=LearningSettings(channel=learning.get("channel"), confirmations=learning.get("confirmations")),
    )
