"""The DMs of ownership changes, through the one outbox (bot/store/outbox.py); rendered by bot/slack/blocks/changes.py.

Kinds:
- "change_approval": to each Accountable holder and admin, with Approve / Reject (or, for a holder
  who cannot approve an ownership gap, why only an admin can);
- "change_decided": each approval DM updated in place (`update_key`) once anyone decided;
- "change_accept": to each person who would become Responsible or Accountable, Accept / Decline;
- "change_answered": each accept DM updated in place once answered (or the request closed);
- "change_outcome": to the proposer: applied, rejected, declined, expired or stale, and why;
- "change_applied": to the old and new Responsible and Accountable holders;
- "change_fyi": one line to the Informed holders.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.store.outbox import enqueue_message

APPROVAL, DECIDED, ACCEPT, ANSWERED = "change_approval", "change_decided", "change_accept", "change_answered"
OUTCOME, APPLIED, FYI = "change_outcome", "change_applied", "change_fyi"
KINDS = (APPROVAL, DECIDED, ACCEPT, ANSWERED, OUTCOME, APPLIED, FYI)


def approval_key(change_id: int, handle: str) -> str:
    return f"change:{change_id}:approval:{handle}"


def accept_key(change_id: int, handle: str) -> str:
    return f"change:{change_id}:accept:{handle}"


def send(session: Session, *, kind: str, change_id: int, recipients: dict[str, str], payload: dict[str, Any],
         now: datetime, update: str | None = None) -> int:
    """One message of `kind` per recipient (handle -> Slack ID); `update` names the key family to edit in place."""
    added = 0
    for handle, slack_id in recipients.items():
        body = dict(payload)
        if update == "approval":
            body["update_key"] = approval_key(change_id, handle)
        elif update == "accept":
            body["update_key"] = accept_key(change_id, handle)
        key = {APPROVAL: approval_key(change_id, handle), ACCEPT: accept_key(change_id, handle)}.get(
            kind, f"change:{change_id}:{kind}:{handle}")
        added += enqueue_message(session, kind=kind, key=key, recipient=slack_id, payload=body, now=now)
    return added
