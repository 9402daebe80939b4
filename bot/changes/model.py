"""Plain values of ownership changes: the view of a request, its diff per letter, and the proposal's checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.changes.limits import MAX_HOLDERS_PER_LETTER, MAX_REASON_CHARS
from bot.errors import RaciError
from bot.ownership.index import Ownership
from bot.raci_file.model import LETTERS, Activity, person_ref
from bot.store import change_models as cm
from bot.store.text import NUL
from bot.store.times import aware

HANDLE = re.compile(r"[a-z0-9._-]{1,100}")
SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,31}")

Letters = dict[str, list[str]]


class ChangeRefused(RaciError):
    """A change request that is not allowed or not possible; the message says why."""


class NothingToChange(ChangeRefused):
    """The proposal equals the activity's current owners."""


@dataclass(frozen=True)
class NewPerson:
    """Someone picked in Slack who is not in the matrix yet: added with their Slack ID and profile name."""

    handle: str
    name: str
    slack_id: str

    def to_json(self) -> dict[str, str]:
        return {"handle": self.handle, "name": self.name, "slack_id": self.slack_id}


@dataclass(frozen=True)
class Waiting:
    """The open requests waiting for one person, as their DMs' payloads, oldest first."""

    approvals: list[dict[str, object]]  # pending, and they may approve or reject it now
    accepts: list[dict[str, object]]  # approved, and it waits for them to accept or decline


def normalized(raci: dict[str, Any]) -> Letters:
    """Letters in R, A, C, I order, without empty ones or repeats: what "the same owners" compares."""
    out: Letters = {}
    for letter in LETTERS:
        refs = [r for r in raci.get(letter) or [] if isinstance(r, str)]
        if refs:
            out[letter] = list(dict.fromkeys(refs))
    return out


def letter_diff(before: Letters, after: Letters) -> dict[str, dict[str, list[str]]]:
    """letter -> {"added": refs, "removed": refs}, only for letters that change."""
    out = {}
    for letter in LETTERS:
        old, new = before.get(letter, []), after.get(letter, [])
        added, removed = [r for r in new if r not in old], [r for r in old if r not in new]
        if added or removed:
            out[letter] = {"added": added, "removed": removed}
    return out


@dataclass(frozen=True)
class ChangeView:
    """A change request as the CLI, Slack and the DMs show it."""

    id: int
    activity: str
    status: str
    before: Letters
    after: Letters
    reason: str
    proposed_by: str
    proposed_at: datetime
    admins_only: bool
    approved_by: str | None
    awaiting: tuple[str, ...]
    accepted: tuple[str, ...]
    closed_by: str | None
    closing_note: str | None
    applied_at: datetime | None

    @property
    def diff(self) -> dict[str, dict[str, list[str]]]:
        return letter_diff(self.before, self.after)

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "activity": self.activity, "status": self.status, "before": self.before,
                "after": self.after, "diff": self.diff, "reason": self.reason, "proposed_by": self.proposed_by,
                "proposed_at": self.proposed_at.isoformat(), "admins_only": self.admins_only,
                "approved_by": self.approved_by, "awaiting": list(self.awaiting), "accepted": list(self.accepted),
                "closed_by": self.closed_by, "closing_note": self.closing_note,
                "applied_at": self.applied_at.isoformat() if self.applied_at else None}


def view_of(row: cm.ChangeRequest) -> ChangeView:
    return ChangeView(row.id, row.activity, row.status, normalized(row.before), normalized(row.after), row.reason,
                      row.proposed_by, aware(row.proposed_at) or row.proposed_at, bool(row.admins_only),
                      row.approved_by, tuple(row.awaiting or ()), tuple(row.accepted or ()), row.closed_by,
                      row.closing_note, aware(row.applied_at))


def clean_reason(reason: str) -> str:
    """The "why", trimmed; refused when empty, too long, or carrying NUL characters."""
    if NUL in reason:
        raise ChangeRefused("The reason contains a NUL character; type it again without it.")
    text = reason.strip()
    if not text:
        raise ChangeRefused("Say why: the approvers decide on your reason.")
    if len(text) > MAX_REASON_CHARS:
        raise ChangeRefused(f"Keep the reason under {MAX_REASON_CHARS} characters (it has {len(text)}).")
    return text


def check_refs(ownership: Ownership, letters: Letters, new_people: list[NewPerson]) -> Letters:
    """The proposed letters, normalized; refused when a reference is unknown or a letter holds too many."""
    known_people = set(ownership.people) | {p.handle for p in new_people}
    for person in new_people:
        if not HANDLE.fullmatch(person.handle) or not SLACK_USER.fullmatch(person.slack_id) or NUL in person.name:
            raise ChangeRefused(f"{person.handle[:100]!r} cannot be added to the matrix.")
    out = normalized(letters)
    for letter, refs in out.items():
        if len(refs) > MAX_HOLDERS_PER_LETTER:
            raise ChangeRefused(f"At most {MAX_HOLDERS_PER_LETTER} holders per letter ({letter} has {len(refs)}).")
        for ref in refs:
            handle = person_ref(ref)
            if (handle is None and ref not in ownership.roles) or (handle is not None and handle not in known_people):
                raise ChangeRefused(f"{ref[:100]!r} is neither a role nor a person of the RACI matrix.")
    return out


def holders(ownership: Ownership, refs: list[str]) -> set[str]:
    """The handles behind references: direct people, and every member of a role (org-wide and in teams)."""
    out: set[str] = set()
    for ref in refs:
        handle = person_ref(ref)
        if handle is not None:
            out.add(handle)
            continue
        role = ownership.roles.get(ref)
        if role is not None:
            out.update(role.members)
        for team in ownership.doc.teams:
            out.update(team.members.get(ref, []))
    return out


def newly_owning(ownership: Ownership, before: Letters, after: Letters) -> dict[str, list[str]]:
    """handle -> the letters (R, A) they would hold after the change and do not hold now."""
    out: dict[str, list[str]] = {}
    for letter in ("R", "A"):
        for handle in sorted(holders(ownership, after.get(letter, [])) - holders(ownership, before.get(letter, []))):
            out.setdefault(handle, []).append(letter)
    return out


def as_activity(name: str, letters: Letters) -> Activity:
    return Activity(name=name, raci={k: list(v) for k, v in letters.items()})
