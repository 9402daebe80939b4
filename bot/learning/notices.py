"""The approval DMs of learned phrases, through the one outbox (bot/store/outbox.py).

Kinds (rendered at the Slack edge by bot/slack/blocks/learning.py):
- "phrase_approval": one DM per pending phrase per Accountable holder, with Approve and Reject;
- "phrase_decided": once anyone decided, each of those DMs is updated in place (`update_key`
  names the approval message whose ts the transport edits) to say what was decided and by whom.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.store.outbox import enqueue_message

APPROVAL, DECIDED = "phrase_approval", "phrase_decided"


def approval_key(phrase_id: int, handle: str) -> str:
    return f"phrase:{phrase_id}:approval:{handle}"


def enqueue_approval_requests(session: Session, *, phrase_id: int, phrase: str, activity: str, asker: str,
                              recipients: dict[str, str], now: datetime) -> int:
    """Ask each Accountable holder (handle -> Slack user ID) once; returns how many were enqueued."""
    payload = {"phrase_id": phrase_id, "phrase": phrase, "activity": activity, "asker": asker}
    return sum(enqueue_message(session, kind=APPROVAL, key=approval_key(phrase_id, handle), recipient=slack_id,
                               payload=payload, now=now)
               for handle, slack_id in recipients.items())


def enqueue_decided_updates(session: Session, *, phrase_id: int, phrase: str, activity: str, status: str,
                            decided_by: str, recipients: dict[str, str], now: datetime) -> int:
    """Update every approval DM of this phrase to say how it was decided."""
    added = 0
    for handle, slack_id in recipients.items():
        payload = {"phrase_id": phrase_id, "phrase": phrase, "activity": activity, "status": status,
                   "decided_by": decided_by, "update_key": approval_key(phrase_id, handle)}
        added += enqueue_message(session, kind=DECIDED, key=f"phrase:{phrase_id}:decided:{handle}",
                                 recipient=slack_id, payload=payload, now=now)
    return added
