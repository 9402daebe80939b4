"""Plain-text renderings for the terminal: short answers a person reads at a glance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from bot.answers import Answer, Holder, Involvement
from bot.matrix import ImportReport
from bot.ownership import Ownership
from bot.raci_file.findings import Finding
from bot.raci_file.model import LETTER_NAMES, LETTERS, Person
from bot.store.models import AuditEvent

MAX_CHANGE_LINES = 50


def _holder(h: Holder) -> str:
    if h.vacant:
        return f"{h.role_name or h.role} (vacant)"
    via = f", {h.role_name}" if h.role_name else ""
    return f"{h.name} (@{h.handle}{via})"


def answer_text(answer: Answer) -> str:
    """Who owns it, in four lines; or why there is no answer."""
    if answer.status == "none":
        text = f"I don't know who owns {answer.query.strip()!r}." if answer.query.strip() else \
            "Ask about an activity, e.g. raci ask \"feature store\"."
        if answer.candidates:
            text += " Closest: " + ", ".join(c.activity for c in answer.candidates) + "."
        return text + "\n"
    if answer.status == "ambiguous":
        return "Did you mean: " + ", ".join(c.activity for c in answer.candidates) + "?\n"
    title = answer.activity or ""
    if answer.team:
        title += f"  [team: {answer.team_name or answer.team}]"
    lines = [title]
    for letter in LETTERS:
        holders = answer.holders(letter)
        if holders:
            lines.append(f"  {LETTER_NAMES[letter] + ':':<13}" + "; ".join(_holder(h) for h in holders))
    return "\n".join(lines) + "\n"


def who_text(person: Person, involvements: Sequence[Involvement], ownership: Ownership) -> str:
    roles = ownership.roles_of(person)
    lines = [f"{person.name} (@{person.handle})"]
    if roles:
        lines.append("  Roles: " + ", ".join(
            r.name + (f" in team {team}" if team else "") for r, team in roles))
    by_letter: dict[str, list[str]] = defaultdict(list)
    for inv in involvements:
        via = ownership.roles[inv.role].name if inv.role else "directly"
        if inv.team:
            via += f", team {inv.team}"
        by_letter[inv.letter].append(f"{inv.activity} ({via})")
    for letter in LETTERS:
        if by_letter[letter]:
            lines.append(f"  {LETTER_NAMES[letter]} for:")
            lines += [f"    {item}" for item in by_letter[letter]]
    if not involvements:
        lines.append("  Holds nothing in the matrix.")
    return "\n".join(lines) + "\n"


def who_json(person: Person, involvements: Sequence[Involvement], ownership: Ownership) -> dict[str, Any]:
    return {
        "handle": person.handle, "name": person.name, "slack_id": person.slack_id, "email": person.email,
        "roles": [{"role": r.key, "team": team} for r, team in ownership.roles_of(person)],
        "involvements": [{"activity": i.activity, "letter": i.letter, "role": i.role, "team": i.team}
                         for i in involvements],
    }


def findings_text(findings: Sequence[Finding]) -> str:
    order = {"error": 0, "gap": 1, "warning": 2}
    lines = [str(f) for f in sorted(findings, key=lambda f: order[f.kind])]
    counts = {k: sum(1 for f in findings if f.kind == k) for k in order}
    lines.append(f"{counts['error']} errors, {counts['gap']} ownership gaps, {counts['warning']} warnings")
    return "\n".join(lines) + "\n"


def import_report(report: ImportReport) -> str:
    lines = [str(c) for c in report.changes[:MAX_CHANGE_LINES]]
    if len(report.changes) > MAX_CHANGE_LINES:
        lines.append(f"... and {len(report.changes) - MAX_CHANGE_LINES} more (raci history lists them all)")
    if report.changes:
        added = sum(1 for c in report.changes if c.change == "added")
        changed = sum(1 for c in report.changes if c.change == "changed")
        removed = sum(1 for c in report.changes if c.change == "removed")
        lines.append(f"imported {report.source}: {added} added, {changed} changed, {removed} removed")
    else:
        lines.append(f"imported {report.source}: no changes")
    for finding in report.gaps[:MAX_CHANGE_LINES] + report.warnings[:MAX_CHANGE_LINES]:
        lines.append(str(finding))
    if report.gaps or report.warnings:
        lines.append(f"{len(report.gaps)} ownership gaps, {len(report.warnings)} warnings (raci check lists them)")
    return "\n".join(lines) + "\n"


def history_text(events: Sequence[AuditEvent]) -> str:
    if not events:
        return "No changes recorded.\n"
    lines = []
    for e in events:
        sign = {"added": "+", "changed": "~", "removed": "-"}.get(e.change, "*")
        source = f" from {e.source}" if e.source else ""
        lines.append(f"{e.at:%Y-%m-%d %H:%M:%S} {e.actor}{source}: {sign} {e.subject_type} {e.subject}")
    return "\n".join(lines) + "\n"
