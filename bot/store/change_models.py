"""Ownership changes proposed in Slack, and the files imported: what keeps Slack and git from undoing each other.

A change request is *pending* until an Accountable holder (or an admin) decides; *approved* while
it waits for the new Responsible/Accountable holders to accept; then *applied*, or closed as
*rejected*, *declined*, *expired* or *stale* (the activity changed since it was proposed).
Requests name their activity by text, not by id: an import that removes the activity must not
erase the record of who changed it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base

PENDING, APPROVED, APPLIED = "pending", "approved", "applied"
REJECTED, DECLINED, EXPIRED, STALE = "rejected", "declined", "expired", "stale"
OPEN = (PENDING, APPROVED)
STATES = (PENDING, APPROVED, APPLIED, REJECTED, DECLINED, EXPIRED, STALE)


class ChangeRequest(Base):
    __tablename__ = "change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity: Mapped[str] = mapped_column(String(300))
    activity_key: Mapped[str] = mapped_column(String(300), index=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)  # letter -> refs when proposed (staleness)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)   # letter -> refs proposed
    new_people: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{handle, name, slack_id}]
    reason: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[str] = mapped_column(String(200))  # "@dana", or a Slack user ID
    proposer_slack: Mapped[str | None] = mapped_column(String(32))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    admins_only: Mapped[bool] = mapped_column(default=False)  # it would leave an ownership gap
    approved_by: Mapped[str | None] = mapped_column(String(200))
    awaiting: Mapped[list[str]] = mapped_column(JSON, default=list)  # handles asked to accept
    accepted: Mapped[list[str]] = mapped_column(JSON, default=list)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closing_note: Mapped[str | None] = mapped_column(Text)  # a rejection's reason, why it expired, ...
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'applied', 'rejected', 'declined', 'expired', 'stale')",
                        name="status"),
        Index("ix_change_requests_status", "status"),
    )


class FileImport(Base):
    """One import of a RACI file: its content hash, so an unchanged file is not imported over Slack changes."""

    __tablename__ = "file_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    source: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
