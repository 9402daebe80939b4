"""Block Kit for ownership reviews: the DM asking an Accountable holder to confirm what they own."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import Any

from bot.slack.blocks.kit import Block, Message, actions, button, context, escape, fit, section, truncate


class ReviewAction(StrEnum):
    ALL = "raci_review_all"          # All correct: confirms every listed activity
    CONFIRM = "raci_review_confirm"  # one per activity: raci_review_confirm_0, …
    SUGGEST = "raci_review_suggest"  # one per activity: raci_review_suggest_0, …


LETTERS = (("R", "Responsible"), ("A", "Accountable"), ("C", "Consulted"), ("I", "Informed"))


def _holders(names: Any) -> str:
    listed = [escape(str(n)) for n in names] if isinstance(names, list) else []
    return ", ".join(listed) or "—"


def review_message(payload: dict[str, Any], confirmed: Collection[str] = ()) -> Message:
    """The review DM (payload from the outbox); activities already confirmed this period say so, without buttons."""
    key = f"review:{payload.get('period')}:{payload.get('handle')}"
    listed = [a for a in payload.get("activities", []) if isinstance(a, dict)]
    done = sum(1 for a in listed if a.get("name") in set(confirmed))
    intro = (f"Please check who owns the {len(listed)} activit{'y' if len(listed) == 1 else 'ies'} you are "
             "Accountable for. Is each still right?")
    blocks: list[Block] = [section(intro)]
    for index, activity in enumerate(listed):
        name = str(activity.get("name", ""))
        lines = " · ".join(f"{letter}: {_holders(activity.get(letter))}" for letter, _ in LETTERS)
        mark = " :white_check_mark: confirmed" if name in set(confirmed) else ""
        blocks.append(section(truncate(f"*{escape(name)}*{mark}\n{lines}", 2900)))
        if not mark:
            value = {"key": key, "activity": name}
            blocks.append(actions(button("Confirm", action_id=f"{ReviewAction.CONFIRM}_{index}", value=value),
                                  button("Suggest a change", action_id=f"{ReviewAction.SUGGEST}_{index}",
                                         value=value)))
    more = int(payload.get("more") or 0)
    if more:
        blocks.append(context(f"…and {more} more: `/raci who me` lists everything you own."))
    if done < len(listed):
        blocks.append(actions(button("All correct", action_id=ReviewAction.ALL, value={"key": key},
                                     style="primary")))
    else:
        blocks.append(context("Thank you: every activity here is confirmed for this period."))
    return Message(truncate(intro, 3000), fit(blocks))
