"""Slack's vocabulary as plain data: ID and mention syntax, channel kinds, "not found" error codes.

Pure (no slack_sdk): the RACI file's checks, the ownership index and the Slack edge all read
Slack IDs, and each rule here is written once.
"""

from __future__ import annotations

import re

USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")  # U… (workspace) or W… (Enterprise Grid) user IDs
USERGROUP_ID = re.compile(r"S[A-Z0-9]+")
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]+")  # public (C…) or private (G…, older) channels; D… are DMs
USER_MENTION = re.compile(rf"<@({USER_ID.pattern})(?:\|[^>]*)?>")  # "<@U123>" or "<@U123|lena>"
_LEADING_MENTION = re.compile(rf"^\s*{USER_MENTION.pattern}[\s:,]*")

# users.info, users.lookupByEmail: the person is not (or no longer) in this workspace
USER_NOT_FOUND = frozenset({"user_not_found", "users_not_found"})
# chat.postEphemeral and friends: the bot cannot post where it was asked
CHANNEL_UNREACHABLE = frozenset({"channel_not_found", "not_in_channel"})


def mentioned_user(text: str) -> str | None:
    """The user ID of a text that is exactly one Slack mention ("<@U123|lena>" -> "U123"), else None."""
    found = USER_MENTION.fullmatch(text.strip())
    return found.group(1) if found else None


def strip_leading_mention(text: str) -> str:
    """The text without a leading mention (the "@raci" of an app mention) and its punctuation."""
    return _LEADING_MENTION.sub("", text or "", count=1).strip()


def is_channel(channel_id: str | None) -> bool:
    """Whether a conversation ID is a channel (public or private), not a DM or a group DM."""
    return channel_id is not None and channel_id[:1] in ("C", "G")


def is_dm_channel(channel_id: str | None) -> bool:
    """Whether a conversation ID is a direct message with the bot."""
    return channel_id is not None and channel_id.startswith("D")
