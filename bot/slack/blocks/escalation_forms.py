"""Block Kit for starting an escalation: usage, "which activity?", the Escalate button and its modal."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from bot.ownership.answers import Answer
from bot.slack.blocks.kit import Block, Message, actions, button, context, escape, section, truncate
from bot.slack.blocks.payloads import ActivityRef, EscalationAction, EscalationDraft, decode
from bot.store.text import storable

PROBLEM_BLOCK, PROBLEM_INPUT = "problem", "problem_input"
LINK_BLOCK, LINK_INPUT = "link", "link_input"
MAX_CANDIDATES = 5

USAGE = ("Tell me the activity and what is wrong, separated by a colon:\n"
         "`/raci escalate docker packaging: image build fails on main`\n"
         "or mention me: `@raci escalate feature store: online store is stale`.")


def usage_message() -> Message:
    return Message(USAGE, [section(USAGE)])


def escalate_button(activity: str, team: str | None) -> Block:
    """The "Escalate" button on an answer."""
    return button("Escalate", action_id=EscalationAction.ESCALATE, value=ActivityRef(activity, team).to_value(),
                  style="danger")


def choose_activity_message(answer: Answer, *, problem: str, origin_channel: str | None,
                            thread_ts: str | None) -> Message:
    """The query was ambiguous or unknown: ask which activity, never guess."""
    buttons = [
        button(c.activity, action_id=f"{EscalationAction.PICK}_{i}",
               value=EscalationDraft(c.activity, answer.team, problem, origin_channel, thread_ts).to_value())
        for i, c in enumerate(answer.candidates[:MAX_CANDIDATES])
    ]
    if answer.status == "ambiguous":
        text = "Which activity should I escalate? Several fit equally well:"
    else:
        text = f"I don't know which activity “{escape(truncate(answer.query, 200))}” is, so I haven't escalated it."
        if buttons:
            text += " Did you mean one of these?"
    blocks = [section(text)]
    if buttons:
        blocks.append(actions(*buttons))
    blocks.append(context("Nothing was sent. `/raci list` shows every activity I know."))
    return Message(text, blocks)


def modal_view(*, activity: str, team: str | None, channel: str | None, thread_ts: str | None) -> dict[str, Any]:
    """The modal the Escalate button opens: what is wrong, and an optional link."""
    metadata = json.dumps(EscalationDraft(activity, team, channel=channel, thread_ts=thread_ts).to_value(),
                          separators=(",", ":"))
    return {
        "type": "modal",
        "callback_id": EscalationAction.MODAL.value,
        "private_metadata": metadata[:3000],
        "title": {"type": "plain_text", "text": "Escalate"},
        "submit": {"type": "plain_text", "text": "Escalate"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(f"Page the owners of *{escape(truncate(activity, 200))}*"
                    + (f" (team {escape(team)})" if team else "") + ": Responsible first, then Accountable."),
            {"type": "input", "block_id": PROBLEM_BLOCK, "label": {"type": "plain_text", "text": "What is wrong?"},
             "element": {"type": "plain_text_input", "action_id": PROBLEM_INPUT, "multiline": True,
                         "max_length": 2000}},
            {"type": "input", "block_id": LINK_BLOCK, "optional": True,
             "label": {"type": "plain_text", "text": "Link (dashboard, alert, thread)"},
             "element": {"type": "url_text_input", "action_id": LINK_INPUT}},
        ],
    }


def modal_values(view: dict[str, Any]) -> tuple[EscalationDraft, str | None]:
    """(the draft with the problem typed in, link) from a submitted modal."""
    state = view.get("state", {}).get("values", {})
    problem = storable(state.get(PROBLEM_BLOCK, {}).get(PROBLEM_INPUT, {}).get("value") or "").strip()
    link = storable(state.get(LINK_BLOCK, {}).get(LINK_INPUT, {}).get("value") or "").strip() or None
    draft = EscalationDraft.from_value(decode(view.get("private_metadata")))
    return dataclasses.replace(draft, problem=problem), link
