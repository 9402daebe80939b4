"""The columns every outbox table has (see bot/store/outbox.py), and the table of messages that need no other."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base

STATES = ("pending", "sent", "failed", "skipped", "superseded", "expired")


class OutboxColumns:
    """Mixed into a table of messages: what the outbox needs to claim, lease, send and retry a row."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(64))  # a Slack user or channel ID
    state: Mapped[str] = mapped_column(String(20), default="pending")  # one of STATES
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed sends other than 429s
    rate_limited: Mapped[int] = mapped_column(Integer, default=0)  # 429s answered for it
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # retried through transient failures until then; NULL: until sent or superseded
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxMessage(OutboxColumns, Base):
    """A message of a kind that needs no table of its own: its rendered-later payload and idempotency key."""

    __tablename__ = "outbox_messages"

    key: Mapped[str] = mapped_column(String(200), unique=True)  # the feature's idempotency key
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # plain values; the kind's renderer makes the message
    ts: Mapped[str | None] = mapped_column(String(32))  # Slack's ts once sent (to update it later)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_outbox_messages_due", "state", "next_attempt_at"),)
