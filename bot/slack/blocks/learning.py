"""Block Kit for learning: the activity picker, "None of these", the learning channel post and approval DMs.

What a picker needs to know later (the question, the asker, where it was asked) rides in its
block_id or button value as small JSON with descriptive keys, so no click needs server-side state;
those values, the action ids and the outbox payloads these DMs are rendered from are the typed
structures of bot/slack/blocks/payloads.py.
"""

from __future__ import annotations

from typing import Any

from bot.learning.limits import MAX_PHRASE_CHARS
from bot.slack.blocks.kit import Block, Message, actions, button, context, escape, section, truncate
from bot.slack.blocks.payloads import Asked, LearnAction, PhraseApproval, PhraseDecision, PhraseRef

MAX_BLOCK_ID = 255
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150


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
    value = asked.to_value()
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


def approval_message(approval: PhraseApproval, *, suffix: str = "") -> Message:
    """The DM to an Accountable holder: approve or reject a pending phrase."""
    asker = approval.asker
    who = f"<@{asker}>" if asker[:1] in "UW" and asker.isalnum() else escape(asker or "Someone")
    phrase = escape(truncate(approval.phrase, 300))
    activity = escape(approval.activity)
    text = (f"{who} asked “{phrase}” and picked *{activity}*. "
            "Should I answer that question with it from now on?")
    value = PhraseRef(approval.phrase_id).to_value()
    return Message(truncate(text, 3000), [section(text), actions(
        button("Approve", action_id=LearnAction.APPROVE + suffix, value=value, style="primary"),
        button("Reject", action_id=LearnAction.REJECT + suffix, value=value, style="danger"))])


def decided_message(decision: PhraseDecision) -> Message:
    """The approval DM once anyone decided: what was decided, and by whom; no buttons."""
    phrase = escape(truncate(decision.phrase, 300))
    activity = escape(decision.activity)
    by = decision.decided_by
    who = f"<@{by}>" if by[:1] in "UW" and by.isalnum() else escape(by or "someone")
    if decision.status == "active":
        text = f"“{phrase}” now answers with *{activity}* (approved by {who})."
    else:
        text = f"“{phrase}” will not answer with *{activity}* (rejected by {who})."
    return Message(truncate(text, 3000), [section(text)])


def pending_home_blocks(pending: list[PhraseApproval], more: int) -> list[Block]:
    """App Home: the pending phrases of the activities the person is Accountable for, with the DM's buttons."""
    if not pending:
        return []
    blocks: list[Block] = [section("*Questions waiting for your approval*")]
    for number, approval in enumerate(pending):
        message = approval_message(approval, suffix=f"_{number}")  # action ids unique within the view
        blocks.extend(message.blocks)
    if more:
        blocks.append(context(f"…and {more} more: `raci learned --pending` lists them all."))
    return blocks
