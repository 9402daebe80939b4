"""What the Slack listeners need, handed to each `register(app, deps)`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ownership.live import OwnershipService
from bot.slack.escalation_desk import EscalationDesk
from bot.slack.replies import Replies
from bot.store.db import Store
from bot.store.slack_events import Deduplicator


@dataclass(frozen=True)
class SlackDeps:
    service: OwnershipService
    store: Store
    replies: Replies
    dedup: Deduplicator
    escalations: EscalationDesk
