"""What the bot answers: plain values shared by the CLI and the Slack edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.raci_file.model import Person, Role

Status = Literal["match", "ambiguous", "none"]


@dataclass(frozen=True)
class Holder:
    """One holder of a letter: a person through a role or directly, or a vacant role."""

    role: str | None  # role key; None for a person assigned directly ("@handle")
    role_name: str | None = None
    handle: str | None = None  # None when the role is vacant
    name: str | None = None
    slack_id: str | None = None
    email: str | None = None
    slack_usergroup: str | None = None  # the role's Slack user group, if any
    vacant: bool = False
    away_until: datetime | None = None  # away (bot/away): until then, `cover` (a delegate) answers for them
    cover: Holder | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Holder:
        """A holder as stored with an escalation (or printed by to_json)."""
        return cls(handle=data.get("handle"), name=data.get("name"), slack_id=data.get("slack_id"),
                   role=data.get("role"), role_name=data.get("role_name"), vacant=bool(data.get("vacant")))

    def to_json(self) -> dict[str, Any]:
        if self.vacant:
            return {"handle": None, "role": self.role, "vacant": True}
        return {
            "handle": self.handle,
            "name": self.name,
            "slack_id": self.slack_id,
            "email": self.email,
            "role": self.role,
            **({"away_until": self.away_until.isoformat(), "cover": self.cover.handle if self.cover else None}
               if self.away_until else {}),
        }


def holder_of(person: Person, role: Role | None, *, usergroup: str | None = None) -> Holder:
    """A person holding a letter through `role` (None: assigned directly), mentioned as `usergroup` if given."""
    return Holder(
        role=role.key if role else None, role_name=role.name if role else None,
        handle=person.handle, name=person.name, slack_id=person.slack_id, email=person.email,
        slack_usergroup=usergroup,
    )


@dataclass(frozen=True)
class Suggestion:
    activity: str
    score: float


@dataclass(frozen=True)
class Answer:
    """The answer to "who owns QUERY?", optionally scoped to a team."""

    query: str
    status: Status
    activity: str | None = None
    description: str | None = None
    score: float = 0.0
    team: str | None = None
    team_name: str | None = None
    responsible: tuple[Holder, ...] = ()
    accountable: tuple[Holder, ...] = ()
    consulted: tuple[Holder, ...] = ()
    informed: tuple[Holder, ...] = ()
    candidates: tuple[Suggestion, ...] = field(default=())
    via: str | None = None      # why it matched: "name", "alias", "description", "words" (or "learned")
    truncated: bool = False     # the question was too long; only its first part was read

    def holders(self, letter: str) -> tuple[Holder, ...]:
        return {"R": self.responsible, "A": self.accountable, "C": self.consulted, "I": self.informed}[letter]

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "status": self.status,
            "activity": self.activity,
            "score": round(self.score, 3),
            "team": self.team,
            "responsible": [h.to_json() for h in self.responsible],
            "accountable": [h.to_json() for h in self.accountable],
            "consulted": [h.to_json() for h in self.consulted],
            "informed": [h.to_json() for h in self.informed],
            "candidates": [{"activity": c.activity, "score": round(c.score, 3)} for c in self.candidates],
            "via": self.via,
            "truncated": self.truncated,
        }


@dataclass(frozen=True)
class Involvement:
    """One activity a person is involved in, and how (for `raci who` and App Home)."""

    activity: str
    letter: str  # R, A, C or I
    role: str | None  # the role through which, None when assigned directly
    team: str | None = None  # the team whose membership gives it, None org-wide
