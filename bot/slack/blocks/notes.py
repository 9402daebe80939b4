"""Short notes: a mistake the user can fix, and the one message a failure shows."""

from __future__ import annotations

from bot.slack.blocks.kit import Message, context, escape, section


def note_message(text: str) -> Message:
    """A one-line explanation of what went wrong and how to fix it (an unknown role, person, team)."""
    return Message(escape(text), [section(escape(text)), context("`/raci help` shows what I understand.")])


def failure_message(error_id: str) -> Message:
    """Something broke on our side: apologise once, with an id the user can quote."""
    text = f"Sorry, something went wrong on my side. If it keeps happening, tell the admins: error id {error_id}."
    return Message(text, [section(f":warning: Sorry, something went wrong on my side. "
                                  f"If it keeps happening, tell the admins and quote error id `{error_id}`.")])
