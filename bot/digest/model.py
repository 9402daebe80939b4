"""Plain values of the digests, shared by the CLI, the Slack builders and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.raci_file.model import LETTER_NAMES
from bot.raci_file.rules import GapKind
from bot.review.store import Confirmation


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log, detached from the database."""

    at: datetime
    actor: str
    action: str
    subject_type: str
    subject: str
    change: str  # added, changed, removed
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupedInvolvement:
    """One activity a person holds a letter for; `via` is the role name (None: assigned directly)."""

    activity: str
    letter: str
    via: tuple[str, ...] = ()
    team: str | None = None  # the team's name when the holding comes from a team's membership


@dataclass(frozen=True)
class EscalationStats:
    raised: int = 0
    acknowledged: int = 0
    acknowledged_in_time: int = 0  # within the first ack timeout
    unanswered: int = 0
    still_open: int = 0  # not resolved yet
    median_time_to_ack: timedelta | None = None


_PREPOSITION = {"R": "for", "A": "for", "C": "on", "I": "of"}
OwnershipChangeKind = Literal["gained", "lost", "role_joined", "role_left"]


@dataclass(frozen=True)
class OwnershipChange:
    """Something that changed in one person's ownership, from the audit log."""

    at: datetime
    actor: str
    kind: OwnershipChangeKind
    subject: str  # the activity or role name
    letter: str | None = None
    team: str | None = None

    def describe(self) -> str:
        """"Now Accountable for Docker packaging", "No longer holds role QA Engineer in team Search"."""
        where = f" in {self.team}" if self.team else ""
        if self.kind in ("gained", "lost"):
            letter = self.letter or "R"
            return f"{'Now' if self.kind == 'gained' else 'No longer'} {LETTER_NAMES[letter]} {_PREPOSITION[letter]} " \
                   f"{self.subject}"
        if self.kind == "role_joined":
            return f"Now holds role {self.subject}{where}"
        return f"No longer holds role {self.subject}{where}"


@dataclass(frozen=True)
class PersonDigest:
    handle: str
    name: str
    slack_id: str | None
    period: datetime
    since: datetime
    accountable: tuple[GroupedInvolvement, ...] = ()
    responsible: tuple[GroupedInvolvement, ...] = ()
    consulted: tuple[GroupedInvolvement, ...] = ()
    informed: tuple[GroupedInvolvement, ...] = ()
    escalations: EscalationStats = EscalationStats()
    escalated_activities: tuple[str, ...] = ()  # the activities escalated this week, most often first
    changes: tuple[OwnershipChange, ...] = ()

    @property
    def has_news(self) -> bool:
        """Nothing to say means no message: no R or A, no escalation and no change."""
        return bool(self.accountable or self.responsible or self.escalations.raised or self.changes)




@dataclass(frozen=True)
class ActivityGap:
    activity: str
    problem: GapKind
    holders: tuple[str, ...] = ()  # the Accountable roles/people when there are several


@dataclass(frozen=True)
class VacantRole:
    role: str  # key
    role_name: str
    team: str | None  # the team whose own membership is empty; None: vacant org-wide
    ownerless: tuple[tuple[str, str], ...] = ()  # (activity, letter) left with no R or no A holder


@dataclass(frozen=True)
class GonePerson:
    """Someone Slack says was deleted (or does not know) who still holds something."""

    handle: str
    name: str
    slack_id: str
    reason: str  # "deactivated in Slack" or "unknown to Slack"
    roles: tuple[str, ...]
    activities: int  # activities they are involved in
    last_owner_of: int  # activities that lose their last R or A without them


@dataclass(frozen=True)
class Unreachable:
    handle: str
    name: str


@dataclass(frozen=True)
class SinglePoint:
    handle: str
    name: str
    only_responsible: int
    only_accountable: int

    @property
    def total(self) -> int:
        return self.only_responsible + self.only_accountable


@dataclass(frozen=True)
class SlowActivity:
    activity: str
    raised: int
    unanswered: int
    median_time_to_ack: timedelta | None


@dataclass(frozen=True)
class MatrixChanges:
    added: int = 0
    changed: int = 0
    removed: int = 0
    by_type: tuple[tuple[str, int], ...] = ()  # ("activity", 12), ...
    actors: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()  # newest first: "~ activity Docker packaging"

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


@dataclass(frozen=True)
class OrgSummary:
    period: datetime
    since: datetime
    people: int
    activities: int
    gaps: tuple[ActivityGap, ...] = ()
    vacancies: tuple[VacantRole, ...] = ()
    gone: tuple[GonePerson, ...] = ()
    unreachable: tuple[Unreachable, ...] = ()
    single_points: tuple[SinglePoint, ...] = ()
    escalations: EscalationStats = EscalationStats()
    slowest: tuple[SlowActivity, ...] = ()
    changes: MatrixChanges = MatrixChanges()
    slack_checked: bool = True  # False when nobody asked Slack who is still there
    away: tuple[AwayPerson, ...] = ()
    uncovered: tuple[UncoveredHolding, ...] = ()
    stale: tuple[Confirmation, ...] = ()  # unconfirmed for more than one review period, oldest first
    usergroup_failures: tuple[tuple[str, str, str], ...] = ()  # (user group, role, error) not synced

    @property
    def healthy(self) -> bool:
        return not (self.gaps or self.vacancies or self.gone or self.unreachable or self.single_points
                    or self.uncovered)


@dataclass(frozen=True)
class Seat:
    """A role a person holds, and whether they are its only member there."""

    role: str
    role_name: str
    team: str | None
    sole: bool


@dataclass(frozen=True)
class Impact:
    """What if this person leaves: activities that lose their last R or A, and the roles to refill."""

    handle: str
    name: str
    last_responsible: tuple[tuple[str, str | None], ...]  # (activity, team name or None)
    last_accountable: tuple[tuple[str, str | None], ...]
    seats: tuple[Seat, ...]
    direct: tuple[tuple[str, str], ...]  # (activity, letter) assigned to them by name
    involvements: int


@dataclass(frozen=True)
class AwayPerson:
    """Someone away (`/raci away`) when the digest was prepared, and who covers for them."""

    handle: str
    name: str
    until: datetime
    delegate: str | None  # the delegate's name


@dataclass(frozen=True)
class UncoveredHolding:
    """An activity's R or A with every holder away and no delegate among them: nobody to ask or page."""

    activity: str
    letter: str
    away: tuple[str, ...]  # the names of its holders, all away
