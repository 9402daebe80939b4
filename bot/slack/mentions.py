"""How holders appear in Slack: <@U…>, <!subteam^S…>, or a name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

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


def away_text(until: datetime, cover: str | None) -> str:
    """ "away until Dec 24 — ask @delegate": the last day away, in the reader's own time zone."""
    last = until - timedelta(seconds=1)
    day = f"<!date^{int(last.timestamp())}^{{date_short}}|{last:%b %-d}>"
    return f"away until {day} — ask {cover}" if cover else f"away until {day}"


def holder_away(holder: Holder) -> str:
    """The note after an away holder's name; "" when they are not away."""
    if holder.away_until is None:
        return ""
    return " — " + away_text(holder.away_until, holder_mention(holder.cover) if holder.cover else None)


def holders_text(holders: Iterable[Holder], *, with_roles: bool = False) -> str:
    """Holders of one letter, each once, comma-separated; "nobody" when there are none."""
    seen: list[str] = []
    for holder in holders:
        token = holder_mention(holder)
        if with_roles and holder.role_name and not holder.vacant:
            token += f" ({escape(holder.role_name)})"
        token += holder_away(holder)
        if token not in seen:
            seen.append(token)
    return ", ".join(seen) or "_nobody_"
