"""Block Kit for the weekly digests: a person's DM, the organisation summary, the `/raci digest` reply.

Pure builders. Long lists stop after a few lines with a count and a pointer to `raci check`,
`raci impact` or `/raci who`, so a message stays short and within Block Kit's limits whatever
the size of the organisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.digest.model import EscalationStats, GroupedInvolvement, OrgSummary, PersonDigest
from bot.escalations.policy import format_duration
from bot.slack.blocks.kit import MAX_SECTION_TEXT, Block, Message, context, escape, fit, header, section, truncate

MAX_OWNED = 12  # R and A activities listed in a DM before "…and N more"
MAX_CHANGES = 8
MAX_FINDINGS = 8  # lines per finding kind in the summary
COLLAPSED_CHARS = 600
_BUDGET = MAX_SECTION_TEXT - 200  # room for the "…and N more" line
GAP_TEXT = {"no_accountable": "no Accountable", "several_accountable": "{n} Accountable ({names})",
            "no_responsible": "no Responsible"}


def _day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}"


def _listing(title: str, lines: Sequence[str], *, total: int | None = None, more: str, limit: int) -> Block:
    """A titled list; beyond `limit` lines (or the section's size) a count and where to see the rest."""
    total = len(lines) if total is None else total
    shown: list[str] = []
    size = len(title)
    for line in lines[:limit]:
        if size + len(line) + 1 > _BUDGET:
            break
        shown.append(line)
        size += len(line) + 1
    text = "\n".join([title, *shown])
    if total > len(shown):
        text += f"\n_…and {total - len(shown)} more — {more}_"
    return section(text)


# -- a person's DM -----------------------------------------------------------------------------------


def _holding(h: GroupedInvolvement) -> str:
    ways = ", ".join("directly" if way == "directly" else f"as {escape(way)}" for way in h.via)
    where = f" in {escape(h.team)}" if h.team else ""
    return f"• *{escape(h.activity)}* — {ways}{where}"


def _collapsed(label: str, holdings: Sequence[GroupedInvolvement]) -> str:
    names = ", ".join(dict.fromkeys(escape(h.activity) for h in holdings))
    return f"*{label}* ({len(holdings)}): {truncate(names, COLLAPSED_CHARS)}"


def escalation_line(stats: EscalationStats) -> str:
    """"3 raised · 2 acknowledged (median 6 min) · 1 still open"."""
    parts = [f"{stats.raised} raised", f"{stats.acknowledged} acknowledged"]
    if stats.median_time_to_ack is not None:
        parts[-1] += f" (median {format_duration(stats.median_time_to_ack)})"
    if stats.unanswered:
        parts.append(f"{stats.unanswered} unanswered")
    parts.append(f"{stats.still_open} still open")
    return " · ".join(parts)


def person_blocks(d: PersonDigest) -> list[Block]:
    blocks: list[Block] = [header("Your ownership this week"),
                           context(f"Week of {_day(d.period)} · changes since {_day(d.since)} {d.since:%H:%M}")]
    for label, held in (("Accountable for", d.accountable), ("Responsible for", d.responsible)):
        if held:
            blocks.append(_listing(f"*{label}* ({len(held)})", [_holding(h) for h in held],
                                   more="`/raci who` lists them all", limit=MAX_OWNED))
    collapsed = [_collapsed(label, held) for label, held in (("Consulted on", d.consulted),
                                                             ("Informed of", d.informed)) if held]
    if collapsed:
        blocks.append(context(*collapsed))
    if not (d.accountable or d.responsible):
        blocks.append(section("You are not Responsible or Accountable for any activity now."))
    if d.escalations.raised:
        top = ", ".join(escape(a) for a in d.escalated_activities[:5])
        blocks.append(section(f":rotating_light: *Escalations about your activities:* {escalation_line(d.escalations)}"
                              f"\nAbout: {top}"))
    if d.changes:
        lines = [f"• {escape(c.describe())} — _{escape(c.actor)}, {_day(c.at)}_" for c in d.changes]
        blocks.append(_listing("*Changed since the last digest*", lines, more="`raci history` has them all",
                               limit=MAX_CHANGES))
    blocks.append(context("Not useful? `/raci digest off` stops these; `/raci digest on` brings them back."))
    return fit(blocks)


def person_message(d: PersonDigest) -> Message:
    """The weekly DM: what they own, the week's escalations about it, what changed for them."""
    text = (f"Your ownership this week: Accountable for {len(d.accountable)}, Responsible for "
            f"{len(d.responsible)} activities")
    if d.escalations.raised:
        text += f"; {d.escalations.raised} escalations"
    if d.changes:
        text += f"; {len(d.changes)} changes"
    return Message(text=text, blocks=person_blocks(d))


# -- the organisation summary ------------------------------------------------------------------------


def _gap_line(gap: Any) -> str:
    what = GAP_TEXT[gap.problem].format(n=len(gap.holders), names=", ".join(escape(h) for h in gap.holders))
    return f"• *{escape(gap.activity)}*: {what}"


def _vacancy_line(v: Any) -> str:
    where = f"in {escape(v.team)}" if v.team else "org-wide"
    line = f"• *{escape(v.role_name)}* ({where})"
    if v.ownerless:
        names = ", ".join(f"{escape(a)} ({letter})" for a, letter in v.ownerless[:4])
        extra = f" and {len(v.ownerless) - 4} more" if len(v.ownerless) > 4 else ""
        line += f": leaves {names}{extra} without an owner"
    return line


def _overview(s: OrgSummary) -> str:
    counts = [(len(s.gaps), "ownership gaps"), (len(s.vacancies), "vacant roles"),
              (len(s.gone), "people gone from Slack"), (len(s.unreachable), "people Slack cannot find"),
              (len(s.single_points), "single points of failure"),
              (len(s.uncovered), "holdings nobody covers"), (len(s.stale), "activities with stale ownership"),
              (len(s.usergroup_failures), "user groups not in sync"), (len(s.away), "people away")]
    found = " · ".join(f"{n} {label}" for n, label in counts if n)
    status = found or ":white_check_mark: ownership is healthy"
    return f"*{s.people} people · {s.activities} activities* — {status}"


def summary_blocks(s: OrgSummary) -> list[Block]:
    blocks: list[Block] = [header(f"Ownership health — week of {_day(s.period)}"), section(_overview(s))]
    if s.gaps:
        blocks.append(_listing(f"*Activities without exactly one Accountable, or without a Responsible* "
                               f"({len(s.gaps)})", [_gap_line(g) for g in s.gaps],
                               more="`raci check` lists them all", limit=MAX_FINDINGS))
    if s.vacancies:
        blocks.append(_listing(f"*Vacant roles* ({len(s.vacancies)})", [_vacancy_line(v) for v in s.vacancies],
                               more="`raci check` lists them all", limit=MAX_FINDINGS))
    if s.gone:
        lines = [f"• *{escape(g.name)}* (@{g.handle}, {g.reason}): {escape(', '.join(g.roles) or 'direct only')}; "
                 f"last owner of {g.last_owner_of} activities — `raci impact {g.handle}`" for g in s.gone]
        blocks.append(_listing(f"*No longer in Slack but still holding roles* ({len(s.gone)})", lines,
                               more="`raci impact HANDLE` shows each", limit=MAX_FINDINGS))
    if s.unreachable:
        lines = [f"• {escape(u.name)} (@{u.handle})" for u in s.unreachable]
        blocks.append(_listing(f"*Without a Slack ID or email* ({len(s.unreachable)})", lines,
                               more="`raci check` lists them all", limit=MAX_FINDINGS))
    if s.single_points:
        lines = [f"• *{escape(p.name)}* (@{p.handle}): only Responsible for {p.only_responsible}, only "
                 f"Accountable for {p.only_accountable} — `raci impact {p.handle}`" for p in s.single_points]
        blocks.append(_listing(f"*Single points of failure* ({len(s.single_points)})", lines,
                               more="`raci impact HANDLE` shows each", limit=MAX_FINDINGS))
    blocks += _away_blocks(s)
    blocks.append(section(_escalations(s)))
    blocks.append(_changes(s))
    notes = ["`raci check` lists every finding; `raci impact HANDLE` shows what a departure would leave."]
    if not s.slack_checked:
        notes.insert(0, "Slack accounts were not checked this time.")
    blocks.append(context(*notes))
    return fit(blocks)


def _away_blocks(s: OrgSummary) -> list[Block]:
    blocks = []
    if s.away:
        lines = [f"• {escape(p.name)} (@{p.handle}) until {_day(p.until)}"
                 + (f" — {escape(p.delegate)} covers" if p.delegate else " — no delegate") for p in s.away]
        blocks.append(_listing(f"*Away* ({len(s.away)})", lines, more="the App Home of each shows it",
                               limit=MAX_FINDINGS))
    if s.uncovered:
        lines = [f"• {escape(u.activity)} ({u.letter}): {escape(', '.join(u.away))} away, no delegate"
                 for u in s.uncovered]
        blocks.append(_listing(f"*Responsible or Accountable with nobody covering* ({len(s.uncovered)})", lines,
                               more="`/raci away … delegate @someone` names a cover", limit=MAX_FINDINGS))
    if s.stale:
        lines = [f"• {escape(c.activity)} — " + (f"last confirmed {_day(c.at)} {c.at:%Y} by @{escape(c.handle or '')}"
                                                 if c.at else "never confirmed") for c in s.stale]
        blocks.append(_listing(f"*Stale ownership: unconfirmed for more than one review period* ({len(s.stale)})",
                               lines, more="`raci check --stale` lists them all", limit=MAX_FINDINGS))
    if s.usergroup_failures:
        lines = [f"• `{escape(group)}` ({escape(role)}): {escape(error)}"
                 for group, role, error in s.usergroup_failures]
        blocks.append(_listing(f"*User groups not kept in sync* ({len(s.usergroup_failures)})", lines,
                               more="`/readyz` lists them all", limit=MAX_FINDINGS))
    return blocks


def _escalations(s: OrgSummary) -> str:
    e = s.escalations
    if not e.raised:
        return "*Escalations this week:* none"
    median = f" · median time to acknowledge {format_duration(e.median_time_to_ack)}" if e.median_time_to_ack else ""
    text = (f"*Escalations this week:* {e.raised} raised · {e.acknowledged_in_time} acknowledged within the timeout"
            f" · {e.unanswered} unanswered · {e.still_open} still open{median}")
    slow = []
    for row in s.slowest:
        bits = [f"{row.unanswered} of {row.raised} unanswered"] if row.unanswered else []
        if row.median_time_to_ack is not None:
            bits.append(f"median {format_duration(row.median_time_to_ack)}")
        slow.append(f"{escape(row.activity)} ({', '.join(bits)})")
    if slow:
        text += "\nSlowest: " + "; ".join(slow)
    return text


def _changes(s: OrgSummary) -> Block:
    c = s.changes
    if not c.total:
        return section("*Changes to the matrix:* none since the last digest")
    who = ", ".join(escape(a) for a in c.actors[:3]) + (f" and {len(c.actors) - 3} more" if len(c.actors) > 3 else "")
    title = f"*Changes to the matrix:* {c.added} added, {c.changed} changed, {c.removed} removed, by {who}"
    return _listing(title, [f"`{escape(line)}`" for line in c.lines], total=c.total,
                    more="`raci history` lists them all", limit=MAX_CHANGES)


def summary_message(s: OrgSummary) -> Message:
    """The organisation summary for settings.digest.channel."""
    text = f"Ownership health, week of {_day(s.period)}: " + _overview(s).split(" — ", 1)[1].replace(
        ":white_check_mark: ", "")
    return Message(text=text, blocks=summary_blocks(s))


class BlockKitRenderer:
    """The digests as the payloads stored on each delivery: {"text": ..., "blocks": [...]}."""

    def person(self, digest: PersonDigest) -> dict[str, Any]:
        return person_message(digest).kwargs()

    def summary(self, summary: OrgSummary) -> dict[str, Any]:
        return summary_message(summary).kwargs()


# -- /raci digest off|on -------------------------------------------------------------------------------


def preference_reply(*, enabled: bool, changed: bool) -> Message:
    """The ephemeral answer to `/raci digest off` or `/raci digest on`."""
    if enabled:
        text = ("Your weekly ownership digest is on: I'll DM you what you own and what changed."
                if changed else "Your weekly ownership digest was already on.")
        text += " `/raci digest off` stops it."
    else:
        text = ("Done: no more weekly ownership digests for you." if changed
                else "Your weekly ownership digest was already off.")
        text += " `/raci digest on` brings it back."
    return Message(text=text, blocks=[section(text)])
