"""Review periods: fixed windows of `settings.review.every`, counted from one epoch (every replica agrees)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.raci_file.schedule import parse_duration
from bot.review.limits import EPOCH


@dataclass(frozen=True)
class Period:
    """One review window [start, start + every)."""

    start: datetime
    every: timedelta

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def previous_start(self) -> datetime:
        return self.start - self.every


def every_of(text: str | None) -> timedelta | None:
    """settings.review.every as a duration; None when reviews are off (or the stored text is unusable)."""
    if not text:
        return None
    try:
        return parse_duration(text)
    except ValueError:
        return None


def period_at(every: timedelta, now: datetime) -> Period:
    """The period `now` falls in."""
    return Period(EPOCH + every * ((now - EPOCH) // every), every)
