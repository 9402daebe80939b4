"""When a digest is due: the period is the latest scheduled fire time at or before now, in the org's zone."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from bot.errors import RaciError
from bot.raci_file.model import DigestSettings
from bot.raci_file.schedule import CronSpec, parse_cron


class DigestNotScheduled(RaciError):
    """settings.digest.schedule is not set, so no digest goes out."""


@dataclass(frozen=True)
class Schedule:
    cron: CronSpec
    zone: tzinfo
    timezone: str
    channel: str | None
    direct_messages: bool

    def period(self, now: datetime) -> datetime:
        """The period `now` falls in: the last fire time at or before it, in the schedule's zone."""
        return self.cron.previous_at_or_before(now.astimezone(self.zone))

    def previous(self, period: datetime) -> datetime:
        """The fire time before `period`: where a first digest's window starts."""
        return self.cron.previous_at_or_before(period - timedelta(seconds=1))


def schedule_of(settings: DigestSettings) -> Schedule | None:
    """The digest schedule, or None when settings.digest.schedule is unset (no digest)."""
    if not settings.schedule:
        return None
    name = settings.timezone or "UTC"
    try:
        cron = parse_cron(settings.schedule)
        zone = zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
        raise RaciError(f"settings.digest is invalid: {exc}") from None
    direct = True if settings.direct_messages is None else settings.direct_messages
    return Schedule(cron=cron, zone=zone, timezone=name, channel=settings.channel or None, direct_messages=direct)


def period_key(period: datetime) -> str:
    """The period's identity in the store: its instant in UTC, "2026-11-30T08:00Z"."""
    return period.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
