"""Block Kit for ownership changes: the "Suggest a change" button and modal, the DMs, and `/raci changes`.

Renderers take the outbox payloads of bot/changes/notices.py (plain values) and escape every
piece of user text; a person is a mention only when the payload carries their Slack ID.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from bot.changes.limits import MAX_REASON_CHARS, MAX_STATIC_OPTIONS
from bot.changes.model import ChangeView
from bot.raci_file.model import LETTER_NAMES, LETTERS
from bot.slack.blocks.kit import (
    Block,
    Message,
    actions,
    button,
    context,
    escape,
    section,
    sections_of_lines,
    truncate,
)
from bot.slack.blocks.payloads import ActivityRef, decode
from bot.slack_syntax import USER_ID

REASON_BLOCK, REASON_INPUT = "change_reason", "reason_input"
NOTE_BLOCK, NOTE_INPUT = "reject_note", "note_input"
MAX_OPTION_TEXT = 75


class ChangeAction(StrEnum):
    """Buttons, selects and modals of the change flow."""

    SUGGEST = "raci_change"            # the button on an answer: opens the modal
    MODAL = "change_modal"             # the proposal modal's callback_id
    ROLES = "change_roles"             # per letter: change_roles_R, … (static or external select)
    PEOPLE = "change_people"           # per letter: change_people_R, … (users select)
    APPROVE = "change_approve"
    REJECT = "change_reject"           # opens the reject modal (an optional reason)
    REJECT_MODAL = "change_reject_modal"
    ACCEPT = "change_accept"
    DECLINE = "change_decline"


def who(value: object, slack_id: object = None) -> str:
    """A person for a DM: a mention when a Slack ID is known, else the escaped handle or name."""
    for candidate in (slack_id, value):
        if isinstance(candidate, str) and USER_ID.fullmatch(candidate):
            return f"<@{candidate}>"
    return escape(str(value or "someone"))


def suggest_button(activity: str, team: str | None, *, enabled: bool = True, file_url: str | None = None) -> Block:
    """"Suggest a change" on an answer; with proposals off, "Edit the RACI file in git" (a link when set)."""
    if not enabled:
        block = button("Edit the RACI file in git", action_id=ChangeAction.SUGGEST,
                       value=ActivityRef(activity, team).to_value())
        if file_url:
            block["url"] = file_url
        return block
    return button("Suggest a change", action_id=ChangeAction.SUGGEST, value=ActivityRef(activity, team).to_value())


def edit_in_git_message(file_url: str | None) -> Message:
    where = f" <{file_url}|the RACI file>" if file_url else " the RACI file in git"
    text = f"Ownership changes here are made in{where}: propose them there, as a pull request."
    return Message(text, [section(text)])


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": truncate(label, MAX_OPTION_TEXT)}, "value": value}


def role_options(choices: list[tuple[str, str]], typed: str = "") -> list[dict[str, Any]]:
    """Options (label, ref) of the role pickers, filtered by what was typed."""
    wanted = typed.casefold().strip()
    return [_option(label, ref) for label, ref in choices if wanted in label.casefold() or wanted in ref.casefold()]


def modal_view(*, activity: str, team: str | None, letters: dict[str, list[str]], choices: list[tuple[str, str]],
               people: dict[str, str]) -> dict[str, Any]:
    """The proposal modal: per letter, roles (and people without a Slack ID) plus a people picker; a "why"."""
    labels = dict((ref, label) for label, ref in choices)
    external = len(choices) > MAX_STATIC_OPTIONS
    blocks: list[Block] = [section(f"Suggest new owners for *{escape(truncate(activity, 200))}*. "
                                   "The Accountable holders (or an admin) decide; new owners are asked first.")]
    for letter in LETTERS:
        refs = letters.get(letter, [])
        chosen = [_option(labels.get(r, r), r) for r in refs if r in labels]
        users = [people[r[1:]] for r in refs if r.startswith("@") and r[1:] in people]
        roles: Block = {"type": "multi_external_select" if external else "multi_static_select",
                        "action_id": f"{ChangeAction.ROLES}_{letter}",
                        "placeholder": {"type": "plain_text", "text": "Roles"}}
        if external:
            roles["min_query_length"] = 0
        else:
            roles["options"] = role_options(choices) or [_option("(no roles)", "-")]
        if chosen:
            roles["initial_options"] = chosen
        picker: Block = {"type": "multi_users_select", "action_id": f"{ChangeAction.PEOPLE}_{letter}",
                         "placeholder": {"type": "plain_text", "text": "People"}}
        if users:
            picker["initial_users"] = users
        blocks.append(section(f"*{LETTER_NAMES[letter]}*"))
        blocks.append({"type": "actions", "block_id": f"letter_{letter}", "elements": [roles, picker]})
    blocks.append({"type": "input", "block_id": REASON_BLOCK, "label": {"type": "plain_text", "text": "Why?"},
                   "element": {"type": "plain_text_input", "action_id": REASON_INPUT, "multiline": True,
                               "max_length": MAX_REASON_CHARS}})
    return {"type": "modal", "callback_id": ChangeAction.MODAL.value,
            "private_metadata": json.dumps(ActivityRef(activity, team).to_value(), separators=(",", ":"))[:3000],
            "title": {"type": "plain_text", "text": "Suggest a change"},
            "submit": {"type": "plain_text", "text": "Send for approval"},
            "close": {"type": "plain_text", "text": "Cancel"}, "blocks": blocks}


def modal_values(view: dict[str, Any]) -> tuple[ActivityRef, dict[str, list[str]], dict[str, list[str]], str]:
    """(activity, letter -> role refs, letter -> Slack user IDs, why) from a submitted modal, parsed defensively."""
    state = (view.get("state") or {}).get("values") or {}
    roles: dict[str, list[str]] = {}
    users: dict[str, list[str]] = {}
    for letter in LETTERS:
        block = state.get(f"letter_{letter}") or {}
        picked = (block.get(f"{ChangeAction.ROLES}_{letter}") or {}).get("selected_options") or []
        roles[letter] = [o["value"] for o in picked if isinstance(o, dict) and isinstance(o.get("value"), str)
                         and o["value"] != "-"]
        chosen = (block.get(f"{ChangeAction.PEOPLE}_{letter}") or {}).get("selected_users") or []
        users[letter] = [u for u in chosen if isinstance(u, str) and USER_ID.fullmatch(u)]
    reason = (state.get(REASON_BLOCK) or {}).get(REASON_INPUT) or {}
    value = reason.get("value")
    text = value if isinstance(value, str) else ""
    return ActivityRef.from_value(decode(view.get("private_metadata"))), roles, users, text


def sent_view(text: str) -> dict[str, Any]:
    """What the modal turns into once sent: the confirmation, and a Close button."""
    return {"type": "modal", "title": {"type": "plain_text", "text": "Suggest a change"},
            "close": {"type": "plain_text", "text": "Close"}, "blocks": [section(text)]}


def sent_text(activity: str, approvers: dict[str, str], mentions: dict[str, str], admins_only: bool) -> str:
    """"Sent to @omar (Accountable) for approval": the proposer sees at once who decides."""
    named = [f"{who(h, mentions.get(h))} ({title})" for h, title in approvers.items()
             if not admins_only or title == "admin"]
    to = ", ".join(named) if named else "nobody: the matrix names no Accountable holder or admin for it"
    gap = " It would leave an ownership gap, so only an admin can approve it." if admins_only else ""
    return f"Sent to {to} for approval: your change to *{escape(activity)}*.{gap}"


# -- the DMs -------------------------------------------------------------------------------------


def diff_lines(diff: dict[str, Any]) -> list[str]:
    """"*Accountable:* + @lena  − ML Lead" per changed letter."""
    lines = []
    for letter in LETTERS:
        sides = diff.get(letter) or {}
        parts = [f"+ {_holder(x)}" for x in sides.get("added") or []]
        parts += [f"− {_holder(x)}" for x in sides.get("removed") or []]
        if parts:
            lines.append(f"*{LETTER_NAMES[letter]}:* " + ", ".join(parts))
    return lines


def _holder(label: Any) -> str:
    if isinstance(label, list) and label:
        return who(label[0], label[1] if len(label) > 1 else None)
    return escape(str(label))


def _summary(payload: dict[str, Any]) -> tuple[str, str]:
    activity = escape(truncate(str(payload.get("activity", "")), 200))
    reason = escape(truncate(str(payload.get("reason") or ""), MAX_REASON_CHARS))
    return activity, reason


def approval_message(payload: dict[str, Any], *, suffix: str = "") -> Message:
    """To an Accountable holder or admin: the diff, the proposer's why, Approve / Reject."""
    activity, reason = _summary(payload)
    text = f"{who(payload.get('proposer'))} proposes a change to *{activity}*:"
    body = "\n".join([text, *diff_lines(payload.get("diff") or {}), f"Why: “{reason}”"])
    blocks: list[Block] = [section(body)]
    value = {"change": payload.get("id")}
    if payload.get("can_decide", True):
        if payload.get("admins_only"):
            blocks.append(context("It would leave an ownership gap: only an admin can approve it."))
        blocks.append(actions(button("Approve", action_id=ChangeAction.APPROVE + suffix, value=value,
                                     style="primary"),
                              button("Reject", action_id=ChangeAction.REJECT + suffix, value=value, style="danger")))
    else:
        blocks.append(context("It would leave the activity with no Accountable or no Responsible (an ownership "
                              "gap), so only an admin can approve it; you are told as its Accountable holder."))
    return Message(truncate(f"{text} {reason}", 3000), blocks)


def decided_message(payload: dict[str, Any]) -> Message:
    """An approval DM once anyone decided (or the request closed): what happened, by whom; no buttons."""
    activity = escape(truncate(str(payload.get("activity", "")), 200))
    status, by = str(payload.get("status")), who(payload.get("decided_by"))
    verbs = {"approved": f"approved by {by}", "applied": f"approved by {by} and applied",
             "rejected": f"rejected by {by}", "declined": "declined by a new owner",
             "expired": "expired undecided", "stale": "stale: the activity changed since"}
    note = payload.get("note")
    text = f"Change #{payload.get('id')} to *{activity}*: {verbs.get(status, escape(status))}."
    if note:
        text += f" {escape(truncate(str(note), 1000))}"
    return Message(text, [section(text)])


def accept_message(payload: dict[str, Any], *, suffix: str = "") -> Message:
    """To someone who would become Responsible or Accountable: Accept / Decline."""
    activity, reason = _summary(payload)
    roles = " and ".join(LETTER_NAMES.get(x, x) for x in payload.get("letters") or []) or "an owner"
    text = f"{who(payload.get('proposer'))} proposes that you become {roles} for *{activity}*: “{reason}”"
    value = {"change": payload.get("id")}
    return Message(truncate(text, 3000), [section(text), context("It was approved; it applies once you accept."),
                                          actions(button("Accept", action_id=ChangeAction.ACCEPT + suffix,
                                                         value=value, style="primary"),
                                                  button("Decline", action_id=ChangeAction.DECLINE + suffix,
                                                         value=value))])


def answered_message(payload: dict[str, Any]) -> Message:
    activity = escape(truncate(str(payload.get("activity", "")), 200))
    status = str(payload.get("status"))
    said = {"accepted": "You accepted", "declined": "It was declined"}.get(status, f"It is {escape(status)}")
    text = f"Change #{payload.get('id')} to *{activity}*: {said}."
    return Message(text, [section(text)])


def outcome_message(payload: dict[str, Any]) -> Message:
    """To the proposer: applied, or why it was closed."""
    activity = escape(truncate(str(payload.get("activity", "")), 200))
    status, by = str(payload.get("status")), who(payload.get("by"))
    note = escape(truncate(str(payload.get("note") or ""), 1000))
    texts = {"applied": f"Your change to *{activity}* is applied (approved by {by}).",
             "rejected": f"Your change to *{activity}* was rejected by {by}." + (f" Their reason: “{note}”" if note
                                                                                 else ""),
             "declined": f"Your change to *{activity}* is closed: {note}",
             "expired": f"Your change to *{activity}* expired: {note}",
             "stale": f"Your change to *{activity}* was not applied: {note}"}
    text = texts.get(status, f"Your change to *{activity}* is {escape(status)}.")
    return Message(text, [section(text)])


def applied_message(payload: dict[str, Any]) -> Message:
    """To the old and new Responsible and Accountable holders."""
    activity, reason = _summary(payload)
    text = (f"The owners of *{activity}* changed (by {who(payload.get('proposer'))}, approved by "
            f"{who(payload.get('approved_by'))}):")
    return Message(truncate(f"{text} {reason}", 3000),
                   [section("\n".join([text, *diff_lines(payload.get("diff") or {}), f"Why: “{reason}”"]))])


def fyi_message(payload: dict[str, Any]) -> Message:
    """One line to the Informed holders."""
    activity = escape(truncate(str(payload.get("activity", "")), 200))
    text = (f"FYI: the owners of *{activity}* changed (by {who(payload.get('proposer'))}, approved by "
            f"{who(payload.get('approved_by'))}). `/raci {activity}` shows them.")
    return Message(text, [section(text)])


def reject_modal(change_id: int, *, from_home: bool = False) -> dict[str, Any]:
    """Reject with an optional reason, told to the proposer; `from_home` republishes App Home once sent."""
    return {"type": "modal", "callback_id": ChangeAction.REJECT_MODAL.value,
            "private_metadata": json.dumps({"change": change_id, "home": from_home}),
            "title": {"type": "plain_text", "text": "Reject the change"},
            "submit": {"type": "plain_text", "text": "Reject"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": [{"type": "input", "block_id": NOTE_BLOCK, "optional": True,
                        "label": {"type": "plain_text", "text": "Reason (told to the proposer)"},
                        "element": {"type": "plain_text_input", "action_id": NOTE_INPUT, "max_length": 1000}}]}


def waiting_home_blocks(approvals: list[dict[str, Any]], accepts: list[dict[str, Any]], *,
                        at_most: int) -> list[Block]:
    """App Home: the requests waiting for the viewer as their DMs show them, the same buttons, ids made unique."""
    if not approvals and not accepts:
        return []
    blocks: list[Block] = [section("*Ownership changes waiting for you*")]
    shown = [(approval_message, p) for p in approvals] + [(accept_message, p) for p in accepts]
    for number, (message, payload) in enumerate(shown[:at_most]):
        blocks.extend(message(payload, suffix=f"_{number}").blocks)
    if len(shown) > at_most:
        blocks.append(context(f"…and {len(shown) - at_most} more: `raci changes --open` lists them all."))
    return blocks


def listing_message(changes: list[ChangeView]) -> Message:
    """`/raci changes`: the newest requests and their state."""
    if not changes:
        text = ("No ownership changes were proposed yet. Use *Suggest a change* on an answer, "
                "or `/raci change <activity>`.")
        return Message(text, [section(text)])
    lines = [f"#{c.id} *{escape(truncate(c.activity, 100))}* — {c.status}, proposed by {who(c.proposed_by)} "
             f"on {c.proposed_at:%Y-%m-%d}" for c in changes]
    return Message(f"{len(changes)} ownership changes", [section("*Ownership changes*"),
                                                         *sections_of_lines(lines)[:40]])
