"""How holders appear in Slack: <@U…>, <!subteam^S…>, or a name."""

from __future__ import annotations

from collections.abc import Iterable

from bot.ownership.answers import Holder
from bot.slack.blocks.kit import escape


def holder_mention(holder: Holder) -> str:
    """A holder as Slack shows it: the role's user group, the person's mention, or their name."""
    if holder.slack_usergroup:
        return f"<!subteam^{holder.slack_usergroup}>"
    if holder.vacant:
        return f"_{escape(holder.role_name or holder.role or 'a role')} (vacant)_"
    if holder.slack_id:
        return f"<@{holder.slack_id}>"
    return escape(holder.name or holder.handle or "someone")


def holders_text(holders: Iterable[Holder], *, with_roles: bool = False) -> str:
    """Holders of one letter, each once, comma-separated; "nobody" when there are none."""
    seen: list[str] = []
    for holder in holders:
        token = holder_mention(holder)
        if with_roles and holder.role_name and not holder.vacant:
            token += f" ({escape(holder.role_name)})"
        if token not in seen:
            seen.append(token)
    return ", ".join(seen) or "_nobody_"
