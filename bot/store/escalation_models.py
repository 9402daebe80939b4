"""Escalations and their notification outbox: everything that must happen once lives in these rows.

An escalation's next step is due at `next_due_at`; a ticker advances it with a conditional
UPDATE on `step` (and FOR UPDATE SKIP LOCKED on PostgreSQL), so several replicas never
advance it twice. Each message to send is an outbox row with a unique idempotency key,
written in the same transaction as the step, and sent under a short lease: a crash can at
worst repeat a message whose sending was not yet recorded, never lose one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base
from bot.store.outbox_models import OutboxColumns


class Escalation(Base):
    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity: Mapped[str] = mapped_column(String(300))
    team: Mapped[str | None] = mapped_column(String(100))
    problem: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    requester: Mapped[str] = mapped_column(String(32))  # Slack user ID of who raised it
    # where it was raised: a channel (and the thread of a mention); the status message goes there
    channel: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    status_ts: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, acknowledged, resolved, unanswered
    step: Mapped[int] = mapped_column(Integer, default=-1)  # -1 until the first page goes out
    ack_timeout_seconds: Mapped[int] = mapped_column(Integer)
    repeats: Mapped[int] = mapped_column(Integer)
    # the holders of each letter when it was raised: {"R": [{"handle", "name", "slack_id", "role"}], ...}
    owners: Mapped[dict[str, Any]] = mapped_column(JSON)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)  # "level 1 skipped: nobody to page", ...
    next_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ix_escalations_due", "status", "next_due_at"),)


class Notification(OutboxColumns, Base):
    """One message to send for an escalation, keyed so that it is sent once (kinds: page, status, fyi, requester)."""

    __tablename__ = "escalation_notifications"

    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    # (escalation, kind, level, round, recipient): the idempotency key
    key: Mapped[str] = mapped_column(String(200), unique=True)
    level: Mapped[int] = mapped_column(Integer, default=0)
    round: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_escalation_notifications_due", "state", "next_attempt_at"),)
