"""Weekly digests: one run per scheduled period, one delivery per (period, kind, recipient), opt-outs.

A run is claimed by inserting its `digest_runs` row (the period is the primary key); the
transaction that wins also writes every delivery row with its rendered message, so the
recipients and what they get are decided once. Deliveries then go out under a short lease,
like the escalation outbox, and are marked sent after Slack took them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base
from bot.store.outbox_models import OutboxColumns


class DigestRun(Base):
    """One scheduled period's digest; whoever inserts this row prepares and owns its deliveries."""

    __tablename__ = "digest_runs"

    period: Mapped[str] = mapped_column(String(40), primary_key=True)  # the fire time in UTC, ISO 8601
    fires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the window's start (the last digest)
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    deliveries: Mapped[int] = mapped_column(Integer, default=0)


class DigestDelivery(OutboxColumns, Base):
    """One message of a run: a person's DM or the organisation summary; (period, kind, recipient) is unique."""

    __tablename__ = "digest_deliveries"

    period: Mapped[str] = mapped_column(ForeignKey("digest_runs.period", ondelete="CASCADE"))
    # kind: person (a DM) or summary (the channel)
    handle: Mapped[str | None] = mapped_column(String(100))  # the person, for kind "person"
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the message as rendered when the run was claimed
    ts: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        UniqueConstraint("period", "kind", "recipient", name="uq_digest_deliveries_period_kind_recipient"),
        Index("ix_digest_deliveries_due", "state", "next_attempt_at"),
    )


class DigestPreference(Base):
    """`/raci digest off|on`, keyed by Slack user ID so that it survives any import of the matrix."""

    __tablename__ = "digest_preferences"

    slack_user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
