"""The answer to "who owns X?": a match, a "did you mean", or "I don't know"."""

from __future__ import annotations

from bot.ownership.answers import Answer
from bot.slack.blocks.changes import suggest_button
from bot.slack.blocks.escalation_forms import escalate_button
from bot.slack.blocks.kit import (
    Block,
    Message,
    actions,
    button,
    context,
    escape,
    header,
    section,
    truncate,
)
from bot.slack.blocks.learning import learnable, picker_block
from bot.slack.blocks.payloads import ActivityRef, AnswerAction, Asked, CandidatePick
from bot.slack.mentions import holders_text

MAX_CANDIDATES = 5


def build_answer_blocks(answer: Answer, *, shareable: bool = True, shared_by: str | None = None,
                        suggest: bool = True, file_url: str | None = None) -> list[Block]:
    """A match: the activity, Responsible and Accountable as mentions, C and I smaller, the team."""
    blocks: list[Block] = [header(answer.activity or answer.query)]
    if answer.description:
        blocks.append(context(escape(answer.description)))
    blocks.append(section(f"*Responsible:* {holders_text(answer.responsible, with_roles=True)}\n"
                          f"*Accountable:* {holders_text(answer.accountable, with_roles=True)}"))
    blocks.append(context(f"*Consulted:* {holders_text(answer.consulted)}",
                          f"*Informed:* {holders_text(answer.informed)}"))
    notes = []
    if answer.team_name:
        notes.append(f"Team: *{escape(answer.team_name)}*")
    if shared_by:
        notes.append(f"Shared by <@{shared_by}>")
    if notes:
        blocks.append(context(*notes))
    if answer.activity:
        buttons = [escalate_button(answer.activity, answer.team),
                   suggest_button(answer.activity, answer.team, enabled=suggest, file_url=file_url)]
        if shareable:
            buttons.insert(0, button("Share in channel", action_id=AnswerAction.SHARE,
                                     value=ActivityRef(answer.activity, answer.team).to_value()))
        blocks.append(actions(*buttons))
    return blocks


def answer_text(answer: Answer) -> str:
    """The notification text of a match."""
    team = f" ({escape(answer.team_name)})" if answer.team_name else ""
    return truncate(f"{escape(answer.activity or '')}{team}: Responsible {holders_text(answer.responsible)}; "
                    f"Accountable {holders_text(answer.accountable)}", 3000)


def _candidate_buttons(answer: Answer) -> Block:
    # The question rides along (when short enough to learn), so a click also teaches it.
    question = answer.query if learnable(answer.query) else None
    return actions(*(button(c.activity, action_id=f"{AnswerAction.PICK}_{i}",
                            value=CandidatePick(c.activity, answer.team, question).to_value())
                     for i, c in enumerate(answer.candidates[:MAX_CANDIDATES])))


def _picker(answer: Answer) -> list[Block]:
    """The searchable picker over every activity and "None of these", when the question can be learned."""
    picker = picker_block(Asked(question=answer.query, team=answer.team))
    return [picker] if picker is not None else []


def build_ambiguous_blocks(answer: Answer) -> list[Block]:
    """Several activities fit equally well: "Did you mean …?" with a button for each."""
    names = " or ".join(f"*{escape(c.activity)}*" for c in answer.candidates[:MAX_CANDIDATES])
    return [section(f"Did you mean {names}?"), _candidate_buttons(answer), *_picker(answer),
            context(f"You asked: “{escape(truncate(answer.query, 300))}”")]


def build_none_blocks(answer: Answer) -> list[Block]:
    """Nothing fits: say so kindly, offer suggestions, point at `/raci list`; never mention anyone."""
    blocks = [section(f"I don't know who owns “{escape(truncate(answer.query, 300))}”. :thinking_face:")]
    if answer.candidates:
        blocks.append(section("Maybe one of these?"))
        blocks.append(_candidate_buttons(answer))
    blocks += _picker(answer)
    blocks.append(context("Pick the activity you meant and I'll learn the question; "
                          "`/raci list` shows every activity I know."))
    return blocks


def answer_message(answer: Answer, *, shareable: bool = True, shared_by: str | None = None, suggest: bool = True,
                   file_url: str | None = None) -> Message:
    """The whole message for any answer status; `suggest`/`file_url` say how the change button reads."""
    if answer.status == "match":
        return Message(answer_text(answer), build_answer_blocks(answer, shareable=shareable, shared_by=shared_by,
                                                                suggest=suggest, file_url=file_url))
    if answer.status == "ambiguous":
        names = ", ".join(escape(c.activity) for c in answer.candidates[:MAX_CANDIDATES])
        return Message(truncate(f"Did you mean: {names}?", 3000), build_ambiguous_blocks(answer))
    return Message("I don't know who owns that. Try /raci list.", build_none_blocks(answer))
