"""What a person owns (`/raci who`, App Home) and who holds a role (`/raci role`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.ownership.answers import Holder, Involvement
from bot.raci_file.model import LETTER_NAMES
from bot.slack.blocks.kit import (
    MAX_VIEW_BLOCKS,
    Block,
    Message,
    context,
    escape,
    fit,
    header,
    section,
    sections_of_lines,
    truncate,
)
from bot.slack.mentions import holders_text

MAX_LISTED = 50  # R and A activities listed one per line before "…and N more"
COLLAPSED_CHARS = 1800  # C and I activities named on one context line before "and N more"


@dataclass(frozen=True)
class Profile:
    """A person's involvements with the names needed to show them."""

    name: str
    involvements: tuple[Involvement, ...]
    roles: tuple[tuple[str, str | None], ...] = ()  # (role key, team key or None for org-wide)
    role_names: Mapping[str, str] = field(default_factory=dict)
    team_names: Mapping[str, str] = field(default_factory=dict)

    def via(self, role: str | None, team: str | None) -> str:
        """ "as ML Engineer in Search product team", or "directly"."""
        if role is None:
            return "directly"
        where = f" in {self.team_names.get(team, team)}" if team else ""
        return f"as {self.role_names.get(role, role)}{where}"

    def activities(self, letter: str) -> dict[str, list[str]]:
        """Activity -> the ways the person holds `letter` for it, in matrix order."""
        out: dict[str, list[str]] = {}
        for inv in self.involvements:
            if inv.letter == letter:
                ways = out.setdefault(inv.activity, [])
                if (way := self.via(inv.role, inv.team)) not in ways:
                    ways.append(way)
        return out


@dataclass(frozen=True)
class RoleView:
    key: str
    name: str
    description: str | None
    slack_usergroup: str | None
    holders: tuple[Holder, ...]
    team_holders: tuple[tuple[str, tuple[Holder, ...]], ...] = ()  # (team name, holders)


def _owned_blocks(profile: Profile, *, subject: str) -> list[Block]:
    blocks: list[Block] = []
    for letter in ("R", "A"):
        owned = profile.activities(letter)
        if owned:
            title = f"*{LETTER_NAMES[letter]} for* ({len(owned)})"
            lines = [f"• *{escape(truncate(a, 300))}* — {escape(truncate(', '.join(ways), 300))}"
                     for a, ways in list(owned.items())[:MAX_LISTED]]
            if len(owned) > MAX_LISTED:
                lines.append(f"…and {len(owned) - MAX_LISTED} more")
            blocks += sections_of_lines([title, *lines])
    if not blocks:
        blocks.append(section(f"{subject} not Responsible or Accountable for any activity."))
    collapsed = [_collapsed(profile, "C", "Consulted on"), _collapsed(profile, "I", "Informed of")]
    if any(collapsed):
        blocks.append(context(*collapsed))
    if profile.roles:
        roles = "; ".join(profile.via(r, t).removeprefix("as ") for r, t in profile.roles)
        blocks.append(context(f"*Roles:* {escape(roles)}"))
    return blocks


def _collapsed(profile: Profile, letter: str, label: str) -> str:
    names = [escape(truncate(n, 200)) for n in profile.activities(letter)]
    if not names:
        return ""
    shown: list[str] = []
    while len(shown) < len(names) and sum(len(n) + 2 for n in shown) + len(names[len(shown)]) <= COLLAPSED_CHARS:
        shown.append(names[len(shown)])
    more = f" and {len(names) - len(shown)} more" if len(shown) < len(names) else ""
    return f"*{label}* ({len(names)}): {', '.join(shown)}{more}"


def who_message(profile: Profile) -> Message:
    """`/raci who @someone`: what they are R and A for, C and I in short, their roles."""
    blocks = [header(f"What {profile.name} owns"), *_owned_blocks(profile, subject=f"{escape(profile.name)} is")]
    counts = {letter: len(profile.activities(letter)) for letter in "RACI"}
    text = f"{escape(profile.name)}: R {counts['R']}, A {counts['A']}, C {counts['C']}, I {counts['I']} activities"
    return Message(text, fit(blocks))


def home_view(profile: Profile) -> dict[str, Any]:
    """App Home for someone in the matrix: what they own."""
    blocks = [header("What you own"), *_owned_blocks(profile, subject="You are"),
              context("Ask `/raci <question>` to find who owns anything else, or `/raci help`.")]
    return {"type": "home", "blocks": fit(blocks, limit=MAX_VIEW_BLOCKS)}


def not_in_matrix_view() -> dict[str, Any]:
    """App Home for someone the matrix does not know yet."""
    return {"type": "home", "blocks": [
        header("What you own"),
        section("You're not in the RACI matrix yet, so there is nothing to show here. :wave:\n"
                "Ask whoever maintains the matrix to add you with your Slack member ID or work email."),
        context("Meanwhile, `/raci <question>` finds who owns anything, and `/raci help` shows how."),
    ]}


def role_message(role: RoleView) -> Message:
    """`/raci role <role>`: who holds it org-wide and in each team that staffs it."""
    blocks = [header(role.name)]
    if role.description:
        blocks.append(context(escape(role.description)))
    blocks.append(section(f"*Held by:* {holders_text(role.holders) if role.holders else '_nobody (vacant)_'}"))
    lines = [f"• *{escape(team)}:* {holders_text(holders)}" for team, holders in role.team_holders]
    if lines:
        blocks += sections_of_lines(["*In teams*", *lines])
    if role.slack_usergroup:
        blocks.append(context(f"Slack group: <!subteam^{role.slack_usergroup}>"))
    text = f"{escape(role.name)}: {holders_text(role.holders)}"
    return Message(truncate(text, 3000), fit(blocks))
