"""The RACI document: the in-memory form of a RACI file and of the store.

The YAML and CSV loaders produce a `RaciDocument`, the store is synced to one
and exported from one, and the rules in `rules.py` check one. `line` fields
say where in the source file an item was defined (1-based) when known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LETTERS: tuple[str, ...] = ("R", "A", "C", "I")
LETTER_NAMES: dict[str, str] = {
    "R": "Responsible",
    "A": "Accountable",
    "C": "Consulted",
    "I": "Informed",
}


@dataclass
class Person:
    handle: str
    name: str
    slack_id: str | None = None
    email: str | None = None
    active: bool = True
    line: int | None = field(default=None, compare=False)


@dataclass
class Role:
    key: str
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    members: list[str] = field(default_factory=list)
    slack_usergroup: str | None = None
    line: int | None = field(default=None, compare=False)


@dataclass
class Team:
    key: str
    name: str
    channels: list[str] = field(default_factory=list)
    # role key -> handles; replaces the role's org-wide members within this team
    members: dict[str, list[str]] = field(default_factory=dict)
    line: int | None = field(default=None, compare=False)


@dataclass
class EscalationPolicy:
    """Escalation settings; None means "not set here" (inherit)."""

    ack_timeout: str | None = None
    repeats: int | None = None
    line: int | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return self.ack_timeout is None and self.repeats is None


@dataclass
class DigestSettings:
    schedule: str | None = None
    timezone: str | None = None
    channel: str | None = None
    direct_messages: bool | None = None
    line: int | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return all(v is None for v in (self.schedule, self.timezone, self.channel, self.direct_messages))


@dataclass
class LearningSettings:
    channel: str | None = None  # where "None of these" questions go
    confirmations: int | None = None  # different pickers that make a phrase active (default 2)
    line: int | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return self.channel is None and self.confirmations is None


@dataclass
class ChangeSettings:
    """`settings.changes`: ownership changes proposed in Slack (issue 13)."""

    from_slack: bool | None = None  # None: on (the default)
    expire_after: str | None = None  # a duration; None: 7d
    file_url: str | None = None  # where to edit the RACI file when proposals are off
    line: int | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return self.from_slack is None and self.expire_after is None and self.file_url is None


@dataclass
class AwaySettings:
    from_slack_status: bool | None = None  # a Slack status such as :palm_tree: marks someone away (default true)
    line: int | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return self.from_slack_status is None


@dataclass
class ReviewSettings:
    every: str | None = None  # how often Accountable holders confirm what they own ("90d"); off when None
    line: int | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return self.every is None


@dataclass
class UsergroupSettings:
    sync: bool | None = None  # keep each role's slack_usergroup equal to its holders (default false)
    line: int | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return self.sync is None


@dataclass
class OrgSettings:
    escalation: EscalationPolicy = field(default_factory=EscalationPolicy)
    digest: DigestSettings = field(default_factory=DigestSettings)
    # handles of the matrix's admins: they may approve, teach and forget learned phrases anywhere
    admins: list[str] = field(default_factory=list)
    learning: LearningSettings = field(default_factory=LearningSettings)
    changes: ChangeSettings = field(default_factory=ChangeSettings)
    away: AwaySettings = field(default_factory=AwaySettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    usergroups: UsergroupSettings = field(default_factory=UsergroupSettings)
    line: int | None = field(default=None, compare=False)
    admins_line: int | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return (self.escalation.is_empty() and self.digest.is_empty() and not self.admins
                and self.learning.is_empty() and self.changes.is_empty() and self.away.is_empty()
                and self.review.is_empty() and self.usergroups.is_empty())


@dataclass
class Activity:
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    # letter -> references: a role key, or "@handle" for a person assigned directly
    raci: dict[str, list[str]] = field(default_factory=dict)
    escalation: EscalationPolicy | None = None
    line: int | None = field(default=None, compare=False)
    # active learned phrases; None when the file says nothing about them (the store's are kept)
    learned: list[str] | None = field(default=None, compare=False)
    learned_line: int | None = field(default=None, compare=False)

    def refs(self, letter: str) -> list[str]:
        return self.raci.get(letter, [])


@dataclass
class RaciDocument:
    people: list[Person] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)
    settings: OrgSettings = field(default_factory=OrgSettings)


def name_key(text: str) -> str:
    """The identity of an activity name or alias: case and spacing do not matter."""
    return " ".join(text.casefold().split())


def person_ref(ref: str) -> str | None:
    """The handle of a direct assignment ("@omar" -> "omar"), or None for a role key."""
    return ref[1:] if ref.startswith("@") else None
