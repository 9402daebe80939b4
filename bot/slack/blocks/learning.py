"""Block Kit for learning: the activity picker, "None of these", the learning channel post and approval DMs.

What a picker needs to know later (the question, the asker, where it was asked) rides in its
block_id or button value as small JSON with descriptive keys, so no click needs server-side state.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from bot.learning.limits import MAX_PHRASE_CHARS
from bot.slack.blocks.kit import Block, Message, actions, button, context, escape, section, truncate

MAX_BLOCK_ID = 255
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150


class LearnAction(StrEnum):
    PICK = "raci_learn_pick"          # the external_select over every activity
    NONE = "raci_learn_none"          # "None of these"
    CLOSE = "raci_learn_close"        # "Not an activity", in the learning channel
    APPROVE = "raci_learn_approve"
    REJECT = "raci_learn_reject"


@dataclass(frozen=True)
class Asked:
    """A question someone asked: what the picker and "None of these" carry."""

    question: str
    team: str | None = None
    asker: str | None = None    # set in the learning channel: whom to answer by DM
    channel: str | None = None  # where it was asked

    def encode(self) -> str:
        # Escaped even here, where Slack shows nothing: a payload never carries a live mention.
        fields = {k: escape(v) if k == "question" else v for k, v in asdict(self).items() if v is not None}
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def decode(cls, text: str | None) -> Asked | None:
        """The question in a block_id or value; None when it holds none (another block)."""
        try:
            raw = json.loads(text or "")
        except ValueError:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("question"), str):
            return None
        fields = {k: raw[k] if isinstance(raw.get(k), str) else None for k in ("team", "asker", "channel")}
        return cls(question=unescape(raw["question"]), **fields)


def unescape(text: str) -> str:
    """The text `escape` was given."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def learnable(question: str) -> bool:
    """A question short enough to carry and learn."""
    return 0 < len(" ".join(question.split())) <= MAX_PHRASE_CHARS


def picker_block(asked: Asked, *, none_button: bool = True, close_button: bool = False) -> Block | None:
    """An external_select over every activity (options come from the matcher as one types), and buttons."""
    block_id = asked.encode()
    if not learnable(asked.question) or len(block_id) > MAX_BLOCK_ID:
        return None
    select = {"type": "external_select", "action_id": LearnAction.PICK, "min_query_length": 0,
              "placeholder": {"type": "plain_text", "text": "Pick the activity…"}}
    elements: list[Block] = [select]
    value = json.loads(block_id)
    if none_button:
        elements.append(button("None of these", action_id=LearnAction.NONE, value=value))
    if close_button:
        elements.append(button("Not an activity", action_id=LearnAction.CLOSE, value=value))
    return actions(*elements, block_id=block_id)


def activity_options(names: list[str]) -> list[dict[str, Any]]:
    """Options for the picker; names too long for an option's value are left to the suggestion buttons."""
    return [{"text": {"type": "plain_text", "text": truncate(name, MAX_OPTION_TEXT)}, "value": name}
            for name in names if len(name) <= MAX_OPTION_VALUE]


def channel_question_message(asked: Asked) -> Message:
    """The learning channel's post: who asked what, and the picker for whoever knows."""
    quoted = escape(truncate(asked.question, 300))
    text = f"<@{asked.asker}> asked: “{quoted}” — I couldn't find the activity."
    blocks = [section(text)]
    picker = picker_block(asked, none_button=False, close_button=True)
    if picker is not None:
        blocks.append(picker)
    blocks.append(context("Pick the activity it is about: I'll answer them, and learn the question."))
    return Message(f"<@{asked.asker}> asked: “{truncate(asked.question, 300)}”", blocks)


def channel_closed_message(asked: Asked, *, by: str, activity: str | None) -> Message:
    """The learning channel's post once someone answered it or closed it."""
    quoted = escape(truncate(asked.question, 300))
    outcome = (f"<@{by}> answered it: *{escape(activity)}*." if activity
               else f"<@{by}> closed it: not an activity.")
    return Message(f"Answered: {truncate(asked.question, 300)}",
                   [section(f"<@{asked.asker}> asked: “{quoted}”\n{outcome}")])


def sent_to_channel_message(channel: str) -> Message:
    text = f"I've asked in <#{channel}>. I'll send you a direct message when someone there knows."
    return Message(text, [section(text)])


def no_channel_message() -> Message:
    text = ("I couldn't find it, and no learning channel is set up. Ask the Accountable holders named in "
            "`/raci list` — and next time, pick the activity so I learn the question.")
    return Message(text, [section(text)])


def helper_answer_intro(helper: str, channel: str | None) -> str:
    where = f" (you asked in <#{channel}>)" if channel and channel[0] in "CG" else ""
    return f"<@{helper}> found who owns your question{where}:"


def not_an_activity_message(asked: Asked) -> Message:
    quoted = escape(truncate(asked.question, 300))
    text = (f"About your question “{quoted}”: nobody could match it to an activity of the RACI matrix. "
            "Maybe `/raci list` helps, or ask your manager.")
    return Message(text, [section(text)])


def approval_message(payload: dict[str, Any], *, suffix: str = "") -> Message:
    """The DM to an Accountable holder: approve or reject a pending phrase (payload from the outbox)."""
    asker = payload.get("asker") or ""
    who = f"<@{asker}>" if asker[:1] in "UW" and asker.isalnum() else escape(asker or "Someone")
    phrase = escape(truncate(str(payload.get("phrase", "")), 300))
    activity = escape(str(payload.get("activity", "")))
    text = (f"{who} asked “{phrase}” and picked *{activity}*. "
            "Should I answer that question with it from now on?")
    value = {"phrase_id": payload.get("phrase_id")}
    return Message(truncate(text, 3000), [section(text), actions(
        button("Approve", action_id=LearnAction.APPROVE + suffix, value=value, style="primary"),
        button("Reject", action_id=LearnAction.REJECT + suffix, value=value, style="danger"))])


def decided_message(payload: dict[str, Any]) -> Message:
    """The approval DM once anyone decided: what was decided, and by whom; no buttons."""
    phrase = escape(truncate(str(payload.get("phrase", "")), 300))
    activity = escape(str(payload.get("activity", "")))
    by = str(payload.get("decided_by") or "")
    who = f"<@{by}>" if by[:1] in "UW" and by.isalnum() else escape(by or "someone")
    if payload.get("status") == "active":
        text = f"“{phrase}” now answers with *{activity}* (approved by {who})."
    else:
        text = f"“{phrase}” will not answer with *{activity}* (rejected by {who})."
    return Message(truncate(text, 3000), [section(text)])


def pending_home_blocks(pending: list[dict[str, Any]], more: int) -> list[Block]:
    """App Home: the pending phrases of the activities the person is Accountable for, with the DM's buttons."""
    if not pending:
        return []
    blocks: list[Block] = [section("*Questions waiting for your approval*")]
    for number, payload in enumerate(pending):
        message = approval_message(payload, suffix=f"_{number}")  # action ids unique within the view
        blocks.extend(message.blocks)
    if more:
        blocks.append(context(f"…and {more} more: `raci learned --pending` lists them all."))
    return blocks
