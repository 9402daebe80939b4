"""The organisation summary: where ownership is broken, the week's escalations, the week's changes.

Pure, like `content`: the set of Slack users who are gone comes from the edge, already looked up.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.away.store import Away
from bot.digest.away_findings import away_people, uncovered
from bot.digest.content import escalation_stats, median_duration
from bot.digest.impact import Scopes, impact, single_points
from bot.digest.model import (
    ActivityGap,
    AuditEntry,
    GonePerson,
    MatrixChanges,
    OrgSummary,
    SlowActivity,
    Unreachable,
    VacantRole,
)
from bot.escalations.views import EscalationView
from bot.ownership.index import Ownership
from bot.raci_file.model import Activity, Team, person_ref
from bot.raci_file.rules import activity_gaps
from bot.review.store import Confirmation

OWNING = ("R", "A")
SLOWEST = 5
CHANGE_LINES = 20
GONE_REASONS = {"deleted": "deactivated in Slack", "unknown": "unknown to Slack"}


def org_summary(
    ownership: Ownership, *, escalations: Sequence[EscalationView], audit: Sequence[AuditEntry],
    gone: Mapping[str, str], period: datetime, since: datetime, slack_checked: bool = True,
    away: Mapping[str, Away] | None = None, stale: Sequence[Confirmation] = (),
    usergroup_failures: Sequence[tuple[str, str, str]] = (),
) -> OrgSummary:
    """Every finding about the matrix and the week; `gone` maps Slack user IDs to "deleted" or "unknown"."""
    scopes = Scopes(ownership)
    return OrgSummary(
        period=period, since=since, people=len(ownership.doc.people), activities=len(ownership.doc.activities),
        gaps=tuple(gaps(ownership)), vacancies=tuple(vacancies(ownership, scopes)),
        gone=tuple(gone_people(ownership, gone, scopes)), unreachable=tuple(unreachable(ownership)),
        single_points=tuple(single_points(ownership, scopes=scopes)),
        escalations=escalation_stats(escalations), slowest=tuple(slowest(escalations)),
        changes=matrix_changes(audit), slack_checked=slack_checked,
        away=tuple(away_people(ownership, away or {})), uncovered=tuple(uncovered(ownership, away or {}, scopes)),
        stale=tuple(stale), usergroup_failures=tuple(usergroup_failures),
    )


def gaps(ownership: Ownership) -> list[ActivityGap]:
    """RACI's own rule, as `raci check` applies it: exactly one Accountable, at least one Responsible."""
    return [ActivityGap(activity.name, kind, tuple(_ref_name(ownership, ref) for ref in refs))
            for activity in ownership.doc.activities for kind, refs in activity_gaps(activity)]


def _ref_name(ownership: Ownership, ref: str) -> str:
    handle = person_ref(ref)
    if handle is not None:
        return ownership.people[handle].name if handle in ownership.people else handle
    return ownership.roles[ref].name if ref in ownership.roles else ref


def vacancies(ownership: Ownership, scopes: Scopes) -> list[VacantRole]:
    """Roles nobody holds org-wide (nor in any team), or that a team staffs with nobody; what they leave ownerless."""
    uses: dict[str, list[tuple[Activity, str]]] = defaultdict(list)
    for activity in ownership.doc.activities:
        for letter in OWNING:
            for ref in dict.fromkeys(activity.refs(letter)):
                uses[ref].append((activity, letter))
    staffed = {key for team in ownership.doc.teams for key, handles in team.members.items() if handles}
    found = []
    for role in ownership.doc.roles:
        if not role.members and role.key not in staffed:
            found.append(VacantRole(role.key, role.name, None, _ownerless(scopes, uses[role.key], None)))
    for team in ownership.doc.teams:
        for key, handles in team.members.items():
            if not handles and key in ownership.roles:
                role = ownership.roles[key]
                found.append(VacantRole(key, role.name, team.name, _ownerless(scopes, uses[key], team)))
    return found


def _ownerless(scopes: Scopes, uses: list[tuple[Activity, str]], team: Team | None) -> tuple[tuple[str, str], ...]:
    return tuple((a.name, letter) for a, letter in uses if not scopes.holders(a, letter, team))


def gone_people(ownership: Ownership, gone: Mapping[str, str], scopes: Scopes) -> list[GonePerson]:
    """People whose Slack account is deactivated or unknown but who still hold a role or an activity."""
    found = []
    for person in ownership.doc.people:
        if not person.slack_id or person.slack_id not in gone:
            continue
        roles = ownership.roles_of(person)
        involvements = ownership.involvements(person)
        if not roles and not involvements:
            continue
        hit = impact(ownership, person, scopes=scopes)
        last = {name for name, _team in (*hit.last_responsible, *hit.last_accountable)}
        names = tuple(role.name + (f" in {ownership.teams[team].name}" if team else "") for role, team in roles)
        found.append(GonePerson(person.handle, person.name, person.slack_id,
                                GONE_REASONS.get(gone[person.slack_id], gone[person.slack_id]), names,
                                len({i.activity for i in involvements}), len(last)))
    return found


def unreachable(ownership: Ownership) -> list[Unreachable]:
    """Active people the bot cannot find in Slack at all: neither a Slack ID nor an email."""
    return [Unreachable(p.handle, p.name) for p in ownership.doc.people
            if p.active and not p.slack_id and not p.email]


def slowest(escalations: Sequence[EscalationView], *, limit: int = SLOWEST) -> list[SlowActivity]:
    """The activities whose escalations went unanswered most, then took longest to acknowledge."""
    by_activity: dict[str, list[EscalationView]] = defaultdict(list)
    for esc in escalations:
        by_activity[esc.activity].append(esc)
    rows = []
    for activity, listed in by_activity.items():
        took = [e.time_to_ack for e in listed if e.time_to_ack is not None]
        unanswered = sum(1 for e in listed if e.status == "unanswered")
        median = median_duration(took) if took else None
        if unanswered or median is not None:
            rows.append(SlowActivity(activity, len(listed), unanswered, median))
    rows.sort(key=lambda r: (-r.unanswered, -(r.median_time_to_ack.total_seconds() if r.median_time_to_ack else 0),
                             r.activity))
    return rows[:limit]


def matrix_changes(audit: Sequence[AuditEntry], *, lines: int = CHANGE_LINES) -> MatrixChanges:
    """Counts of what the week's imports changed, and the newest changes as lines."""
    # a Slack change request's own steps are bookkeeping: its activity entry is the change
    entries = [e for e in audit if e.subject_type not in ("escalation", "change_request")]
    kinds = Counter(e.change for e in entries)
    types = Counter(e.subject_type for e in entries)
    sign = {"added": "+", "changed": "~", "removed": "-"}
    newest = sorted(entries, key=lambda e: e.at, reverse=True)[:lines]
    return MatrixChanges(
        added=kinds["added"], changed=kinds["changed"], removed=kinds["removed"],
        by_type=tuple(types.most_common()), actors=tuple(dict.fromkeys(e.actor for e in entries)),
        lines=tuple(f"{sign.get(e.change, '*')} {e.subject_type} {e.subject}"
                    + (f" (by {e.actor})" if e.action == "slack_change" else "") for e in newest),
    )
