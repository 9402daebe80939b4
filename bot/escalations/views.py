"""Plain values of escalations, and the Notifier protocol the Slack edge implements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.escalations.policy import step_letter, step_level, step_round
from bot.ownership.answers import Holder
from bot.store.outbox import Delivery

STATUSES = ("open", "acknowledged", "resolved", "unanswered")


@dataclass(frozen=True)
class DeliveryProblem:
    """A message of an escalation not delivered: "waiting" (retried until its deadline) or "failed" (for good)."""

    kind: str  # page, status, fyi, requester
    recipient: str
    state: str  # waiting or failed
    error: str
    next_attempt_at: datetime | None = None  # when waiting

    def describe(self, escape: Callable[[str], str] = str) -> str:
        """One line for `raci escalations` and /raci escalations (Slack IDs as mentions; `escape` for the error)."""
        who = f"<@{self.recipient}>" if self.recipient[:1] in ("U", "W") else f"<#{self.recipient}>"
        if self.state == "failed":
            return f"{self.kind} to {who} failed: {escape(self.error)}"
        when = f", next try {self.next_attempt_at:%H:%M} UTC" if self.next_attempt_at else ""
        return f"{self.kind} to {who} waiting for Slack ({escape(self.error)}){when}"


@dataclass(frozen=True)
class EscalationView:
    id: int
    activity: str
    team: str | None
    problem: str
    link: str | None
    requester: str
    channel: str | None
    thread_ts: str | None
    status_ts: str | None
    status: str
    step: int
    ack_timeout: timedelta
    repeats: int
    owners: dict[str, tuple[Holder, ...]]
    notes: tuple[str, ...]
    next_due_at: datetime | None
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    closed_at: datetime | None
    closed_by: str | None
    deliveries: tuple[DeliveryProblem, ...] = ()  # filled by list_escalations: what is not delivered
    paged: tuple[str, ...] = ()  # Slack IDs paged so far (delegates of away holders among them)

    @property
    def level(self) -> int:
        """1 while the Responsible holders are paged, 2 for the Accountable; 0 before the first page."""
        return step_level(self.step) if self.step >= 0 else 0

    @property
    def round(self) -> int:
        return step_round(self.step) if self.step >= 0 else 0

    @property
    def letter(self) -> str | None:
        return step_letter(self.step) if self.step >= 0 else None

    def pageable(self, letter: str) -> tuple[Holder, ...]:
        """The holders of a letter that can be sent a DM."""
        return tuple(o for o in self.owners.get(letter, ()) if o.slack_id)

    def is_owner(self, user: str) -> bool:
        """Whether this Slack user holds R or A for it, or was paged for it (a delegate covering for an away
        holder): they may acknowledge (and resolve) it."""
        holders = (o for letter in ("R", "A") for o in self.owners.get(letter, ()))
        return user in self.paged or any(o.slack_id == user for o in holders)

    def may_resolve(self, user: str) -> bool:
        """The owners, and whoever raised it, may resolve it."""
        return user == self.requester or self.is_owner(user)

    @property
    def time_to_ack(self) -> timedelta | None:
        return self.acknowledged_at - self.created_at if self.acknowledged_at else None


@dataclass(frozen=True)
class Outgoing:
    """One message to send: its kind says what it is, the escalation says what it says."""

    id: int
    kind: str  # page (a DM to an owner), status (the message where it was raised), fyi, requester
    recipient: str
    level: int
    round: int
    escalation: EscalationView


class Notifier(Protocol):
    """The escalations' outbox transport (bot/slack/notifier.SlackNotifier)."""

    def send(self, message: Outgoing) -> Delivery: ...
