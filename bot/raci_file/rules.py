"""The RACI file's rules: errors (broken file), ownership gaps (broken RACI) and warnings."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass, field
from typing import Literal

from bot.raci_file import limits
from bot.raci_file.findings import Finding, Kind
from bot.raci_file.hints import did_you_mean
from bot.raci_file.model import Activity, EscalationPolicy, RaciDocument, name_key, person_ref
from bot.raci_file.schedule import parse_cron, parse_duration
from bot.raci_file.storable import storable_findings

_SHOWN_ACTIVITIES = 5  # a warning lists this many activities, then "and N more"


def check(doc: RaciDocument, *, source: str | None = None) -> list[Finding]:
    """Every error, gap and warning in a document, in that order and in document order within a kind."""
    rules = _Rules(doc, source)
    rules.definitions()
    rules.storable()
    rules.references()
    rules.activity_names()
    rules.learned_phrases()
    rules.admins()
    rules.team_channels()
    rules.schedules()
    rules.gaps()
    rules.warnings()
    order = {"error": 0, "gap": 1, "warning": 2}
    return sorted(rules.findings, key=lambda finding: order[finding.kind])


def activity_subject(activity: Activity) -> str:
    """How findings name an activity: activity "Docker packaging"."""
    return f'activity "{activity.name}"'


@dataclass
class _Rules:
    doc: RaciDocument
    source: str | None
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.handles = {person.handle for person in self.doc.people}
        self.role_keys = {role.key for role in self.doc.roles}
        self.role_names = {role.name: role.key for role in self.doc.roles}

    def add(self, kind: Kind, subject: str, message: str, line: int | None) -> None:
        self.findings.append(Finding(kind, subject, message, line, self.source))

    # -- errors --------------------------------------------------------------------------

    def definitions(self) -> None:
        """A handle or key defined twice."""
        for kind, items in (
            ("person", [(person.handle, person.line) for person in self.doc.people]),
            ("role", [(role.key, role.line) for role in self.doc.roles]),
            ("team", [(team.key, team.line) for team in self.doc.teams]),
        ):
            first: dict[str, int | None] = {}
            for ident, line in items:
                if ident in first:
                    where = f" (first at line {first[ident]})" if first[ident] is not None else ""
                    self.add("error", f"{kind} {ident}", f"{kind} {ident!r} is defined twice{where}", line)
                else:
                    first[ident] = line

    def storable(self) -> None:
        """Text every database can hold: no NUL or control characters, lengths that fit the store."""
        for subject, message, line in storable_findings(self.doc):
            self.add("error", subject, message, line)

    def references(self) -> None:
        """Every role key and handle referred to is defined."""
        for role in self.doc.roles:
            for handle in role.members:
                self.person_exists(handle, f"role {role.key}", role.line, "in members")
        for team in self.doc.teams:
            for key, handles in team.members.items():
                self.role_exists(key, f"team {team.key}", team.line, "in members")
                for handle in handles:
                    self.person_exists(handle, f"team {team.key}", team.line, f"in members of role {key}")
        for activity in self.doc.activities:
            self.activity_references(activity)

    def activity_references(self, activity: Activity) -> None:
        role_keys = self.role_keys
        for letter, refs in activity.raci.items():
            for ref in refs:
                if ref in role_keys and not ref.startswith("@"):
                    continue  # a defined role, the common case: decided at once
                person = person_ref(ref)
                where = f"in raci {letter}"
                if person is None:
                    self.role_exists(ref, activity_subject(activity), activity.line, where)
                else:
                    self.person_exists(person, activity_subject(activity), activity.line, where)

    def person_exists(self, handle: str, subject: str, line: int | None, where: str) -> None:
        if handle not in self.handles:
            hint = did_you_mean(handle, self.handles)
            self.add("error", subject, f"person {handle!r} ({where}) is not defined{hint}", line)

    def role_exists(self, key: str, subject: str, line: int | None, where: str) -> None:
        if key in self.role_keys:
            return
        if key in self.role_names:
            hint = f" (did you mean {self.role_names[key]!r}, the key of {key}?)"
        elif key in self.handles:
            hint = f" (did you mean '@{key}', the person?)"
        else:
            hint = did_you_mean(key, self.role_keys)
        self.add("error", subject, f"role {key!r} ({where}) is not defined{hint}", line)

    def activity_names(self) -> None:
        """No name or alias is shared by two activities (ignoring case and spacing)."""
        owner: dict[str, Activity] = {}
        for activity in self.doc.activities:
            names = {name_key(activity.name): activity.name}
            for alias in activity.aliases:
                names.setdefault(name_key(alias), alias)
            for key, spelled in names.items():
                other = owner.get(key)
                if other is None:
                    owner[key] = activity
                    continue
                kind = "name" if key == name_key(activity.name) else "alias"
                where = f" (line {other.line})" if other.line is not None else ""
                message = f'{kind} "{spelled}" is already used by activity "{other.name}"{where}'
                self.add("error", activity_subject(activity), message, activity.line)

    def learned_phrases(self) -> None:
        """A learned phrase is never another activity's name or alias (those always win)."""
        if not any(activity.learned for activity in self.doc.activities):
            return
        named = {name_key(n): a for a in self.doc.activities for n in (a.name, *a.aliases)}
        for activity in self.doc.activities:
            for phrase in activity.learned or ():
                other = named.get(name_key(phrase))
                if other is not None and other is not activity:
                    message = (f'learned "{phrase}" is the name or an alias of activity "{other.name}"; '
                               "remove it (the name or alias already answers it)")
                    self.add("error", activity_subject(activity), message, activity.learned_line)

    def admins(self) -> None:
        """Every admin is a person of the matrix."""
        for handle in self.doc.settings.admins:
            self.person_exists(handle, "settings", self.doc.settings.admins_line, "in settings.admins")

    def team_channels(self) -> None:
        """A channel belongs to at most one team."""
        claimed: dict[str, str] = {}
        for team in self.doc.teams:
            for channel in team.channels:
                if channel in claimed and claimed[channel] != team.key:
                    message = f"channel {channel} is already the channel of team {claimed[channel]}"
                    self.add("error", f"team {team.key}", message, team.line)
                claimed.setdefault(channel, team.key)

    def schedules(self) -> None:
        """Durations, the digest's cron schedule and its time zone are valid."""
        settings = self.doc.settings
        self.escalation(settings.escalation, "settings", None, "settings.escalation")
        for activity in self.doc.activities:
            if activity.escalation is not None:
                self.escalation(activity.escalation, activity_subject(activity), activity.line, "escalation")
        digest = settings.digest
        if digest.schedule is not None:
            try:
                parse_cron(digest.schedule)
            except ValueError as exc:
                self.add("error", "settings", f"settings.digest.schedule: {exc}", None)
        if digest.timezone is not None and not _is_time_zone(digest.timezone):
            hint = did_you_mean(digest.timezone, _zone_names())
            message = f"settings.digest.timezone {digest.timezone!r} is not an IANA time zone{hint}"
            self.add("error", "settings", message, None)

    def escalation(self, policy: EscalationPolicy, subject: str, line: int | None, where: str) -> None:
        if policy.ack_timeout is not None:
            try:
                parse_duration(policy.ack_timeout)
            except ValueError as exc:
                self.add("error", subject, f"{where}.ack_timeout: {exc}", line)
        if policy.repeats is not None and policy.repeats < 0:
            self.add("error", subject, f"{where}.repeats must be 0 or more, not {policy.repeats}", line)
        elif policy.repeats is not None and policy.repeats > limits.REPEATS_MAX:
            self.add("error", subject, f"{where}.repeats must be at most {limits.REPEATS_MAX}", line)

    # -- gaps ----------------------------------------------------------------------------

    def gaps(self) -> None:
        """Exactly one Accountable holder and at least one Responsible per activity."""
        for activity in self.doc.activities:
            accountable, responsible = activity.raci.get("A"), activity.raci.get("R")
            if responsible and accountable and len(accountable) == 1:
                continue  # one Accountable, some Responsible: no gap (activity_gaps, decided at once)
            for kind, refs in activity_gaps(activity):
                message = {"no_accountable": "no Accountable: RACI wants exactly one",
                           "several_accountable": f"{len(refs)} Accountable ({', '.join(refs)}): "
                                                  "RACI wants exactly one",
                           "no_responsible": "no Responsible: nobody does the work"}[kind]
                self.add("gap", activity_subject(activity), message, activity.line)

    # -- warnings ------------------------------------------------------------------------

    def warnings(self) -> None:
        """Roles nobody holds, people Slack cannot reach, people who hold nothing."""
        staffed = {key for team in self.doc.teams for key, handles in team.members.items() if handles}
        for role in self.doc.roles:
            if not role.members and role.key not in staffed:
                self.add("warning", f"role {role.key}", self.vacant_message(role.key), role.line)
        holding = self.holding_handles()
        for person in self.doc.people:
            if not person.active:
                continue  # someone who left is expected to be unreachable and to hold nothing
            subject = f"person {person.handle}"
            if not person.slack_id and not person.email:
                message = "has neither slack_id nor email: the bot cannot find them in Slack"
                self.add("warning", subject, message, person.line)
            if person.handle not in holding:
                message = "holds nothing: no role (org-wide or in a team) and no direct assignment"
                self.add("warning", subject, message, person.line)

    def vacant_message(self, key: str) -> str:
        uses = [
            f'"{activity.name}" ({"/".join(letter for letter, refs in activity.raci.items() if key in refs)})'
            for activity in self.doc.activities
            if any(key in refs for refs in activity.raci.values())
        ]
        message = "has no members, org-wide or in any team"
        if not uses:
            return message
        shown = ", ".join(uses[:_SHOWN_ACTIVITIES])
        more = f" and {len(uses) - _SHOWN_ACTIVITIES} more" if len(uses) > _SHOWN_ACTIVITIES else ""
        return f"{message}: nobody holds its part in {shown}{more}"

    def holding_handles(self) -> set[str]:
        return holding_handles(self.doc)


GapKind = Literal["no_accountable", "several_accountable", "no_responsible"]


def activity_gaps(activity: Activity) -> list[tuple[GapKind, tuple[str, ...]]]:
    """RACI's own rule: exactly one Accountable, at least one Responsible; the gaps, with the Accountable refs."""
    found: list[tuple[GapKind, tuple[str, ...]]] = []
    accountable = tuple(dict.fromkeys(activity.refs("A")))  # a role counts once however many members it has
    if not accountable:
        found.append(("no_accountable", ()))
    elif len(accountable) > 1:
        found.append(("several_accountable", accountable))
    if not activity.refs("R"):
        found.append(("no_responsible", ()))
    return found


def holding_handles(doc: RaciDocument) -> set[str]:
    """People who hold something: a role (org-wide or in a team) or a direct assignment."""
    holding = {handle for role in doc.roles for handle in role.members}
    holding.update(handle for team in doc.teams for handles in team.members.values() for handle in handles)
    for activity in doc.activities:
        for refs in activity.raci.values():
            for ref in refs:
                if ref.startswith("@"):  # person_ref, inline: 400,000 refs in a big matrix
                    holding.add(ref[1:])
    return holding


def _is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA zone ("Europe/Berlin", "UTC"); not a directory or a file path."""
    if _zone_names():
        return name in _zone_names()
    try:  # no listable time zone database: ask zoneinfo itself
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
