"""Plain-text renderings for the terminal: short answers a person reads at a glance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.digest.model import EscalationStats, Impact, OrgSummary, PersonDigest
from bot.escalations.policy import format_duration
from bot.escalations.views import EscalationView
from bot.ownership.answers import Answer, Holder, Involvement
from bot.ownership.index import Ownership
from bot.ownership.matrix import ImportReport
from bot.raci_file.findings import Finding
from bot.raci_file.model import LETTER_NAMES, LETTERS, Person
from bot.review.store import Confirmation
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


def change_request_text(details: dict[str, Any]) -> str:
    """A Slack change in `raci history`: its step, who proposed, approved and accepted it, and why."""
    step = details.get("step") or details.get("status")
    parts = [f"#{details.get('change')} {step}", f"proposed by {details.get('proposed_by')}"]
    if details.get("approved_by"):
        parts.append(f"approved by {details['approved_by']}")
    if details.get("acceptors"):
        parts.append("accepted by " + ", ".join(f"@{h}" for h in details["acceptors"]))
    return ", ".join(parts) + f" — “{details.get('reason', '')}”"


def history_text(events: Sequence[AuditEvent]) -> str:
    if not events:
        return "No changes recorded.\n"
    lines = []
    for e in events:
        sign = {"added": "+", "changed": "~", "removed": "-"}.get(e.change, "*")
        source = f" from {e.source}" if e.source else ""
        line = f"{e.at:%Y-%m-%d %H:%M:%S} {e.actor}{source}: {sign} {e.subject_type} {e.subject}"
        if e.subject_type == "learned" and isinstance(e.details, dict):
            verb = "" if e.change in ("added", "changed", "removed") else f" {e.change}"
            line += f":{verb} “{e.details.get('phrase', '')}”"
        elif e.subject_type == "change_request" and isinstance(e.details, dict):
            line += ": " + change_request_text(e.details)
        lines.append(line)
    return "\n".join(lines) + "\n"


def escalation_json(e: EscalationView) -> dict[str, Any]:
    took = e.time_to_ack.total_seconds() if e.time_to_ack else None
    return {"id": e.id, "activity": e.activity, "team": e.team, "status": e.status, "level": e.level,
            "round": e.round, "problem": e.problem, "requester": e.requester,
            "acknowledged_by": e.acknowledged_by, "seconds_to_acknowledge": took,
            "created_at": e.created_at.isoformat(), "closed_by": e.closed_by,
            "next_due_at": e.next_due_at.isoformat() if e.next_due_at else None,
            "deliveries": [{"kind": d.kind, "recipient": d.recipient, "state": d.state, "error": d.error,
                            "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None}
                           for d in e.deliveries]}


def escalations_text(escalations: Sequence[EscalationView]) -> str:
    if not escalations:
        return "No escalations.\n"
    lines = []
    for e in escalations:
        ack = (f", acknowledged by {e.acknowledged_by} after {format_duration(e.time_to_ack)}"
               if e.time_to_ack else "")
        team = f" [team {e.team}]" if e.team else ""
        lines.append(f"#{e.id} {e.created_at:%Y-%m-%d %H:%M} {e.activity}{team}: {e.status}, level {e.level}{ack}"
                     f" — {e.problem[:80]}")
        lines.extend(f"    {problem.describe()}" for problem in e.deliveries)
    return "\n".join(lines) + "\n"


# -- digests and impact ----------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return f"{moment:%a %Y-%m-%d %H:%M %Z}".strip()


def _stats_line(stats: EscalationStats) -> str:
    median = f", median time to acknowledge {format_duration(stats.median_time_to_ack)}" \
        if stats.median_time_to_ack else ""
    return (f"{stats.raised} raised, {stats.acknowledged} acknowledged ({stats.acknowledged_in_time} within the "
            f"timeout), {stats.unanswered} unanswered, {stats.still_open} still open{median}")


def person_digest_text(d: PersonDigest) -> str:
    """`raci digest preview HANDLE`: the DM as plain text."""
    lines = [f"Digest for {d.name} (@{d.handle}), period {_when(d.period)}, changes since {_when(d.since)}"]
    if not d.has_news:
        lines.append("  Nothing to say: no message would be sent.")
    for label, held in (("Accountable for", d.accountable), ("Responsible for", d.responsible),
                        ("Consulted on", d.consulted), ("Informed of", d.informed)):
        if held:
            lines.append(f"  {label} ({len(held)}):")
            lines += [f"    {h.activity} ({', '.join(h.via)}{', team ' + h.team if h.team else ''})" for h in held]
    if d.escalations.raised:
        lines.append(f"  Escalations: {_stats_line(d.escalations)}; about {', '.join(d.escalated_activities)}")
    if d.changes:
        lines.append("  Changed since the last digest:")
        lines += [f"    {c.describe()} ({c.actor}, {c.at:%Y-%m-%d})" for c in d.changes]
    return "\n".join(lines) + "\n"


def summary_text(s: OrgSummary) -> str:
    """`raci digest preview`: the organisation summary as plain text (every finding, no truncation)."""
    lines = [f"Ownership health, period {_when(s.period)} (since {_when(s.since)}): {s.people} people, "
             f"{s.activities} activities"]
    if not s.slack_checked:
        lines.append("  (Slack accounts not checked: add --check-slack)")
    sections: list[tuple[str, list[str]]] = [
        ("Ownership gaps", [f"{g.activity}: {g.problem.replace('_', ' ')}"
                            + (f" ({', '.join(g.holders)})" if g.holders else "") for g in s.gaps]),
        ("Vacant roles", [f"{v.role_name} ({'in ' + v.team if v.team else 'org-wide'})"
                          + (": leaves " + ", ".join(f"{a} ({x})" for a, x in v.ownerless) + " without an owner"
                             if v.ownerless else "") for v in s.vacancies]),
        ("No longer in Slack", [f"{g.name} (@{g.handle}, {g.reason}): {', '.join(g.roles) or 'direct only'}; "
                                f"last owner of {g.last_owner_of}" for g in s.gone]),
        ("Without a Slack ID or email", [f"{u.name} (@{u.handle})" for u in s.unreachable]),
        ("Single points of failure", [f"{p.name} (@{p.handle}): only R of {p.only_responsible}, only A of "
                                      f"{p.only_accountable}" for p in s.single_points]),
        ("Away", [f"{p.name} (@{p.handle}) until {p.until:%Y-%m-%d}" + (f", {p.delegate} covers" if p.delegate
                                                                         else ", no delegate") for p in s.away]),
        ("R/A with nobody covering", [f"{u.activity} ({u.letter}): {', '.join(u.away)} away" for u in s.uncovered]),
        ("Stale ownership", [c.activity + (f": last confirmed {c.at:%Y-%m-%d} by @{c.handle}" if c.at
                                           else ": never confirmed") for c in s.stale]),
        ("User groups not in sync", [f"{group} ({role}): {error}" for group, role, error in s.usergroup_failures]),
    ]
    for title, items in sections:
        if items:
            lines.append(f"  {title} ({len(items)}):")
            lines += [f"    {item}" for item in items]
    lines.append(f"  Escalations: {_stats_line(s.escalations)}")
    lines += [f"    slow: {r.activity} ({r.unanswered} of {r.raised} unanswered"
              + (f", median {format_duration(r.median_time_to_ack)}" if r.median_time_to_ack else "") + ")"
              for r in s.slowest]
    c = s.changes
    lines.append(f"  Changes to the matrix: {c.added} added, {c.changed} changed, {c.removed} removed")
    lines += [f"    {line}" for line in c.lines]
    return "\n".join(lines) + "\n"


def impact_text(i: Impact) -> str:
    """`raci impact HANDLE`: what if this person leaves."""
    lines = [f"If {i.name} (@{i.handle}) leaves ({i.involvements} activities involved):"]
    for label, items in (("lose their last Responsible", i.last_responsible),
                         ("lose their last Accountable", i.last_accountable)):
        lines.append(f"  {len(items)} activities {label}" + (":" if items else ""))
        lines += [f"    {activity}" + (f" (in {team})" if team else "") for activity, team in items]
    if i.seats:
        lines.append("  Roles to refill:")
        lines += [f"    {s.role_name}" + (f" in {s.team}" if s.team else " (org-wide)")
                  + (": they are its only member" if s.sole else "") for s in i.seats]
    if i.direct:
        lines.append("  Assigned to them by name: " + ", ".join(f"{a} ({x})" for a, x in i.direct))
    return "\n".join(lines) + "\n"


def impact_json(i: Impact) -> dict[str, Any]:
    return {"handle": i.handle, "name": i.name, "involvements": i.involvements,
            "last_responsible": [{"activity": a, "team": t} for a, t in i.last_responsible],
            "last_accountable": [{"activity": a, "team": t} for a, t in i.last_accountable],
            "roles": [{"role": s.role, "team": s.team, "only_member": s.sole} for s in i.seats],
            "direct": [{"activity": a, "letter": x} for a, x in i.direct]}


def confirmations_text(found: Sequence[Confirmation]) -> str:
    """`raci confirmations`: each activity, who last confirmed its owners and when."""
    if not found:
        return "No activities.\n"
    width = min(40, max(len(c.activity) for c in found))
    return "".join(f"{c.activity:<{width}}  " + (f"{c.at:%Y-%m-%d %H:%M} UTC by @{c.handle}" if c.at else
                                                  "never confirmed") + "\n" for c in found)


def stale_text(found: Sequence[Confirmation]) -> str:
    """`raci check --stale`: activities unconfirmed for more than one review period, oldest first."""
    if not found:
        return "No stale ownership: every activity was confirmed within the last review period.\n"
    lines = [f"stale: {c.activity}: " + (f"last confirmed {c.at:%Y-%m-%d} by @{c.handle}" if c.at else
                                          "never confirmed") for c in found]
    return "\n".join([*lines, f"{len(found)} activit{'y' if len(found) == 1 else 'ies'} with stale ownership"]) + "\n"
