"""Learned phrases: questions the bot was taught to answer with an activity.

A phrase is *pending* until an Accountable holder or an admin approves it, or enough different
people picked the same activity for it; then *active* (the matcher answers it like an alias).
A *rejected* phrase is kept so it is never proposed again for that activity. Phrases belong to
their activity: removing the activity (by an import) removes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base

PENDING, ACTIVE, REJECTED = "pending", "active", "rejected"


class LearnedPhrase(Base):
    __tablename__ = "learned_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    phrase: Mapped[str] = mapped_column(String(300))  # as first asked (or taught), trimmed
    # the question as the matcher reads it: equal keys are the same question
    phrase_key: Mapped[str] = mapped_column(String(300), index=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    pickers: Mapped[list[str]] = mapped_column(JSON, default=list)  # distinct people who picked it
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str | None] = mapped_column(Text)  # where it was asked: channel, link, "raci-cli"
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'active', 'rejected')", name="status"),
        Index("uq_learned_phrases_activity_key", "activity_id", "phrase_key", unique=True),
    )
