"""Each person's digest: what they own, the week's escalations about it, what changed for them.

Pure: an Ownership, the week's escalations and the audit entries since the last digest in,
PersonDigest values out. Built for whole organisations at once (indexes first, then one pass
per person), so 10,000 people take seconds, not minutes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta

from bot.digest.model import AuditEntry, EscalationStats, GroupedInvolvement, OwnershipChange, PersonDigest
from bot.escalations.views import EscalationView
from bot.ownership.answers import Involvement
from bot.ownership.index import Ownership
from bot.raci_file.model import LETTERS, Person, name_key, person_ref

OWNING = ("R", "A")


def median_duration(durations: Collection[timedelta]) -> timedelta:
    """The median of some durations, as statistics.median computes it (its types admit only numbers)."""
    ordered = sorted(durations)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def escalation_stats(escalations: Iterable[EscalationView]) -> EscalationStats:
    """Raised, acknowledged (and within the first timeout), unanswered, still open, median time to ack."""
    listed = list(escalations)
    took = [e.time_to_ack for e in listed if e.time_to_ack is not None]
    return EscalationStats(
        raised=len(listed),
        acknowledged=len(took),
        acknowledged_in_time=sum(1 for e in listed if e.time_to_ack is not None and e.time_to_ack <= e.ack_timeout),
        unanswered=sum(1 for e in listed if e.status == "unanswered"),
        still_open=sum(1 for e in listed if e.status != "resolved"),
        median_time_to_ack=median_duration(took) if took else None,
    )


class Week:
    """The week's escalations and ownership changes, indexed for per-person lookups."""

    def __init__(self, ownership: Ownership, escalations: Sequence[EscalationView],
                 audit: Sequence[AuditEntry]) -> None:
        self.escalations = list(escalations)
        self.by_activity: dict[str, list[EscalationView]] = defaultdict(list)
        self.by_owner: dict[str, list[EscalationView]] = defaultdict(list)
        for esc in self.escalations:
            self.by_activity[name_key(esc.activity)].append(esc)
            for letter in OWNING:
                for owner in esc.owners.get(letter, ()):
                    if owner.handle:
                        self.by_owner[owner.handle].append(esc)
        self.changes = ownership_changes(ownership, audit)

    def about(self, person: Person, involvements: Sequence[Involvement]) -> list[EscalationView]:
        """Escalations that paged them, or about an activity they are R or A for (in the same team scope)."""
        found = {e.id: e for e in self.by_owner.get(person.handle, ())}
        for inv in involvements:
            if inv.letter in OWNING:
                found.update((e.id, e) for e in self.by_activity.get(name_key(inv.activity), ()) if e.team == inv.team)
        return sorted(found.values(), key=lambda e: e.id)


def person_digests(
    ownership: Ownership, *, escalations: Sequence[EscalationView], audit: Sequence[AuditEntry],
    period: datetime, since: datetime, people: Collection[Person] | None = None,
) -> list[PersonDigest]:
    """The digest of every active person (or of `people`), in matrix order, whether or not it has news."""
    week = Week(ownership, escalations, audit)
    chosen = people if people is not None else [p for p in ownership.doc.people if p.active]
    return [_digest(ownership, week, person, period=period, since=since) for person in chosen]


def _digest(ownership: Ownership, week: Week, person: Person, *, period: datetime, since: datetime) -> PersonDigest:
    involvements = ownership.involvements(person)
    holdings = _holdings(ownership, involvements)
    about = week.about(person, involvements)
    escalated = Counter(e.activity for e in about)
    return PersonDigest(
        handle=person.handle, name=person.name, slack_id=person.slack_id, period=period, since=since,
        accountable=holdings["A"], responsible=holdings["R"], consulted=holdings["C"], informed=holdings["I"],
        escalations=escalation_stats(about),
        escalated_activities=tuple(name for name, _ in escalated.most_common()),
        changes=tuple(week.changes.get(person.handle, ())),
    )


def _holdings(ownership: Ownership, involvements: Sequence[Involvement]) -> dict[str, tuple[GroupedInvolvement, ...]]:
    """Involvements grouped by (activity, letter, team), each with every way it is held."""
    grouped: dict[str, dict[tuple[str, str | None], list[str]]] = {letter: {} for letter in LETTERS}
    for inv in involvements:
        ways = grouped[inv.letter].setdefault((inv.activity, inv.team), [])
        way = ownership.roles[inv.role].name if inv.role else "directly"
        if way not in ways:
            ways.append(way)
    return {
        letter: tuple(GroupedInvolvement(activity, letter, tuple(ways), ownership.teams[team].name if team else None)
                      for (activity, team), ways in by_key.items())
        for letter, by_key in grouped.items()
    }


# -- changes from the audit log ------------------------------------------------------------------


class _Changes:
    """Per-person changes, netted: gaining then losing the same thing within the window says nothing."""

    def __init__(self) -> None:
        self.by_handle: dict[str, dict[tuple[str, str, str | None, str | None], OwnershipChange]] = \
            defaultdict(dict)

    def add(self, handle: str, change: OwnershipChange) -> None:
        family = "letter" if change.kind in ("gained", "lost") else "role"
        key = (family, change.subject, change.letter, change.team)
        mine = self.by_handle[handle]
        previous = mine.pop(key, None)
        if previous is None or previous.kind == change.kind:
            mine[key] = change


def ownership_changes(ownership: Ownership, audit: Sequence[AuditEntry]) -> dict[str, list[OwnershipChange]]:
    """handle -> what changed in their roles and R/A/C/I since the last digest, oldest first.

    Role references are expanded with today's memberships (the log keeps no older ones), so a
    change to an activity's letters is attributed to whoever holds those roles now.
    """
    members: dict[str, set[str]] = {key: set(role.members) for key, role in ownership.roles.items()}
    for team in ownership.doc.teams:
        for key, handles in team.members.items():
            members.setdefault(key, set()).update(handles)
    role_name = {key: role.name for key, role in ownership.roles.items()}
    team_name = {key: team.name for key, team in ownership.teams.items()}
    out = _Changes()
    for entry in audit:
        if entry.subject_type == "role":
            _role_entry(out, entry, role_name)
        elif entry.subject_type == "team":
            _team_entry(out, entry, role_name, team_name)
        elif entry.subject_type == "activity":
            _activity_entry(out, entry, members)
    return {handle: list(changes.values()) for handle, changes in out.by_handle.items() if changes}


def _before_after(entry: AuditEntry, field: str, empty: object) -> tuple[object, object]:
    """A field's value before and after an added, changed or removed entry."""
    details = entry.details or {}
    if entry.change == "added":
        return empty, details.get(field, empty)
    if entry.change == "removed":
        return details.get(field, empty), empty
    pair = details.get(field)
    return (pair[0], pair[1]) if isinstance(pair, list) and len(pair) == 2 else (empty, empty)


def _membership(out: _Changes, entry: AuditEntry, old: object, new: object, role: str, team: str | None) -> None:
    old_set = set(old) if isinstance(old, list) else set()
    new_set = set(new) if isinstance(new, list) else set()
    for handle in sorted(new_set - old_set):
        out.add(handle, OwnershipChange(entry.at, entry.actor, "role_joined", role, team=team))
    for handle in sorted(old_set - new_set):
        out.add(handle, OwnershipChange(entry.at, entry.actor, "role_left", role, team=team))


def _role_entry(out: _Changes, entry: AuditEntry, role_name: dict[str, str]) -> None:
    old, new = _before_after(entry, "members", [])
    _membership(out, entry, old, new, role_name.get(entry.subject, entry.subject), None)


def _team_entry(out: _Changes, entry: AuditEntry, role_name: dict[str, str], team_name: dict[str, str]) -> None:
    old, new = _before_after(entry, "members", {})
    old_map = old if isinstance(old, dict) else {}
    new_map = new if isinstance(new, dict) else {}
    team = team_name.get(entry.subject, entry.subject)
    for key in dict.fromkeys([*old_map, *new_map]):
        _membership(out, entry, old_map.get(key, []), new_map.get(key, []), role_name.get(key, key), team)


def _activity_entry(out: _Changes, entry: AuditEntry, members: dict[str, set[str]]) -> None:
    old, new = _before_after(entry, "raci", {})
    old_raci = old if isinstance(old, dict) else {}
    new_raci = new if isinstance(new, dict) else {}
    for letter in LETTERS:
        before = _expand(old_raci.get(letter, []), members)
        after = _expand(new_raci.get(letter, []), members)
        for handle in sorted(after - before):
            out.add(handle, OwnershipChange(entry.at, entry.actor, "gained", entry.subject, letter=letter))
        for handle in sorted(before - after):
            out.add(handle, OwnershipChange(entry.at, entry.actor, "lost", entry.subject, letter=letter))


def _expand(refs: Iterable[str], members: dict[str, set[str]]) -> set[str]:
    out: set[str] = set()
    for ref in refs:
        handle = person_ref(ref)
        if handle is not None:
            out.add(handle)
        else:
            out.update(members.get(ref, ()))
    return out
