"""`/raci list [filter]`: the activities, a page at a time, with previous/next buttons."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.blocks.kit import Message, actions, button, context, escape, header, sections_of_lines, truncate
from bot.slack.blocks.payloads import ListAction, ListPage

PAGE_SIZE = 25
MAX_FILTER = 100


@dataclass(frozen=True)
class ActivityRow:
    """One line of the list: an activity and the roles (or people) Responsible and Accountable."""

    name: str
    responsible: tuple[str, ...] = ()
    accountable: tuple[str, ...] = ()


def _line(row: ActivityRow) -> str:
    owners = f"R: {', '.join(row.responsible) or '—'} · A: {', '.join(row.accountable) or '—'}"
    return f"• *{escape(truncate(row.name, 200))}* — {escape(truncate(owners, 300))}"


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // page_size))


def list_message(rows: list[ActivityRow], *, filter: str = "", page: int = 0, page_size: int = PAGE_SIZE) -> Message:
    """One page of activities; past the last page shows the last one."""
    pages = page_count(len(rows), page_size)
    page = min(max(page, 0), pages - 1)
    shown = rows[page * page_size:(page + 1) * page_size]
    title = f"Activities matching “{truncate(filter, MAX_FILTER)}”" if filter else "Activities"  # plain text
    if not rows:
        hint = "Try a shorter filter, or `/raci list` for everything." if filter else "The matrix is empty."
        return Message("No activities found.", [header(title), context(f"No activities found. {hint}")])
    blocks = [header(title), *sections_of_lines([_line(r) for r in shown])]
    blocks.append(context(f"Page {page + 1} of {pages} · {len(rows)} activities · "
                          "ask `/raci <activity>` for the people"))
    buttons = []
    kept = truncate(filter, MAX_FILTER)
    if page > 0:
        buttons.append(button("◀ Previous", action_id=f"{ListAction.PAGE}_prev",
                              value=ListPage(kept, page - 1).to_value()))
    if page < pages - 1:
        buttons.append(button("Next ▶", action_id=f"{ListAction.PAGE}_next",
                              value=ListPage(kept, page + 1).to_value()))
    if buttons:
        blocks.append(actions(*buttons))
    return Message(f"{escape(title)}: page {page + 1} of {pages}", blocks)
