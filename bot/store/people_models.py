"""People's availability and upkeep of ownership: away periods, confirmations, review runs, user-group syncs.

Every time here is UTC and compared with the caller's clock, so all replicas agree on who is away
and when a delegation ended (nothing is decided in a process's memory).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base


class AwayPeriod(Base):
    """Someone away until a time, optionally with a delegate; ended early by /raci back (ended_at)."""

    __tablename__ = "away_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(100))
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delegate: Mapped[str | None] = mapped_column(String(100))  # a handle
    set_by: Mapped[str] = mapped_column(String(200))  # who said so (a handle, or a Slack user ID)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_away_periods_handle_until", "handle", "until"),)


class OwnershipConfirmation(Base):
    """An Accountable holder confirmed an activity's R/A/C/I as correct (history: the latest counts)."""

    __tablename__ = "ownership_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_key: Mapped[str] = mapped_column(String(300))  # name_key(activity name)
    activity: Mapped[str] = mapped_column(String(300))
    handle: Mapped[str] = mapped_column(String(100))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_ownership_confirmations_activity", "activity_key", "confirmed_at"),)


class ReviewRun(Base):
    """One review period's DMs, claimed by whichever ticker inserts its row first (the primary key)."""

    __tablename__ = "review_runs"

    period: Mapped[str] = mapped_column(String(40), primary_key=True)  # the period's start, ISO 8601 UTC
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recipients: Mapped[int] = mapped_column(default=0)


class UsergroupSync(Base):
    """The last sync of one Slack user group: the members set, or the error that stopped it."""

    __tablename__ = "usergroup_syncs"

    usergroup: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(100))
    members: Mapped[list[str]] = mapped_column(JSON, default=list)  # Slack user IDs as last set
    synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)  # the failure, until a sync succeeds
    error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
