"""Durations ("15m") and five-field cron schedules ("0 9 * * MON") of the RACI file's settings.

We parse cron ourselves only to explain a mistake precisely (which field, which value); when a
schedule runs is computed by `cronsim`, with Debian cron's daylight-saving rule: in the spring
gap, a time that does not exist runs when the clock jumps (02:30 -> 03:00 in Europe/Berlin); in
the autumn fold, a fixed time that happens twice runs once, at its first occurrence, while a
job with a wildcard or stepped hour ("0 * * * *") runs in both repeated hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from cronsim import CronSim, CronSimError

from bot.raci_file.limits import DURATION_MAX

_DURATION = re.compile(r"([0-9]+)([smhd])")
_DURATION_MAX_SECONDS = int(DURATION_MAX.total_seconds())
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February as in a leap year



@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    name_base: int = 0


_FIELDS = (
    _Field("minute", 0, 59),
    _Field("hour", 0, 23),
    _Field("day of month", 1, 31),
    _Field("month", 1, 12, _MONTHS, 1),
    _Field("day of week", 0, 7, _WEEKDAYS, 0),
)


def parse_duration(text: str) -> timedelta:
    """Parse a duration like "30s", "15m", "2h" or "1d" (a whole number > 0 and a unit)."""
    match = _DURATION.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not a duration: use a whole number and a unit s, m, h or d, e.g. 15m")
    amount = int(match.group(1))
    if amount <= 0:
        raise ValueError(f"{text!r} is not a duration: the number must be greater than 0")
    if amount > _DURATION_MAX_SECONDS:  # also keeps timedelta() from overflowing
        raise ValueError(f"{text!r} is too long: at most {DURATION_MAX.days}d")
    duration = timedelta(**{_UNITS[match.group(2)]: amount})
    if duration > DURATION_MAX:
        raise ValueError(f"{text!r} is too long: at most {DURATION_MAX.days}d")
    return duration


@dataclass(frozen=True)
class CronSpec:
    """A parsed five-field cron expression; times are matched on the wall clock of a time zone."""

    expression: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    day_restricted: bool
    weekday_restricted: bool

    def matches_day(self, day: date) -> bool:
        """Whether cron runs on this date (day of month and day of week OR-ed when both are set)."""
        if day.month not in self.months:
            return False
        in_days = day.day in self.days
        in_weekdays = (day.weekday() + 1) % 7 in self.weekdays
        if self.day_restricted and self.weekday_restricted:
            return in_days or in_weekdays
        return in_days and in_weekdays

    def next_after(self, dt: datetime) -> datetime:
        """The first run strictly after `dt`, in dt's time zone."""
        return self._first(dt, reverse=False)

    def previous_at_or_before(self, dt: datetime) -> datetime:
        """The last run at or before `dt`, in dt's time zone."""
        # cronsim walks back from strictly before its start: start a second later to include `dt` itself.
        return self._first(dt.replace(second=0, microsecond=0) + timedelta(minutes=1), reverse=True)

    def _first(self, dt: datetime, *, reverse: bool) -> datetime:
        zone = _zone_of(dt)
        try:
            found = next(CronSim(self.expression, dt, reverse=reverse))
        except (StopIteration, CronSimError) as exc:  # parse_cron has already refused what cronsim refuses
            word = "before" if reverse else "after"
            raise ValueError(f"cron {self.expression!r} has no run {word} {dt.isoformat()}") from exc
        return found.astimezone(zone)


def _zone_of(dt: datetime) -> tzinfo:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("cron times must be timezone-aware datetimes")
    return dt.tzinfo


def parse_cron(text: str) -> CronSpec:
    """Parse a five-field cron expression: minute hour day-of-month month day-of-week."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a cron expression")
    parts = text.split()
    if len(parts) != 5:
        raise ValueError(
            f"{text!r} is not a five-field cron expression (minute hour day-of-month month day-of-week), "
            f"it has {len(parts)} field{'s' if len(parts) != 1 else ''}"
        )
    values = [_parse_field(part, spec, text) for part, spec in zip(parts, _FIELDS, strict=True)]
    weekdays = frozenset(0 if day == 7 else day for day in values[4])
    cron = CronSpec(
        expression=text,
        minutes=values[0],
        hours=values[1],
        days=values[2],
        months=values[3],
        weekdays=weekdays,
        day_restricted=not parts[2].startswith("*"),
        weekday_restricted=not parts[4].startswith("*"),
    )
    _check_possible(cron, text)
    return cron


def _check_possible(cron: CronSpec, text: str) -> None:
    if cron.weekday_restricted and cron.day_restricted:
        return  # OR rule: any weekday in the months will do
    if not any(day <= _DAYS_IN_MONTH[month - 1] for month in cron.months for day in cron.days):
        raise ValueError(f"cron {text!r} never runs: those days do not occur in those months")


def _parse_field(part: str, spec: _Field, text: str) -> frozenset[int]:
    values: set[int] = set()
    for item in part.split(","):
        try:
            values.update(_parse_item(item, spec))
        except ValueError as exc:
            raise ValueError(f"cron {text!r}: {spec.name} field {part!r}: {exc}") from None
    return frozenset(values)


def _parse_item(item: str, spec: _Field) -> range:
    base, slash, step_text = item.partition("/")
    step = 1
    if slash:
        if not _is_number(step_text) or int(step_text) == 0:
            raise ValueError(f"step {step_text!r} must be a whole number greater than 0")
        step = int(step_text)
    if base == "*":
        low, high = spec.low, spec.high
    elif "-" in base:
        first, _, last = base.partition("-")
        low, high = _value(first, spec), _value(last, spec)
        if low > high:
            raise ValueError(f"range {base!r} runs backwards")
    else:
        low = _value(base, spec)
        high = spec.high if slash else low  # "5/15" means from 5 to the end, every 15
    return range(low, high + 1, step)


def _value(token: str, spec: _Field) -> int:
    upper = token.upper()
    if upper in spec.names:
        return spec.names.index(upper) + spec.name_base
    if not _is_number(token):
        hint = f" or a name {spec.names[0]}..{spec.names[-1]}" if spec.names else ""
        raise ValueError(f"{token!r} is not a number{hint}")
    value = int(token)
    if not spec.low <= value <= spec.high:
        raise ValueError(f"{value} is out of range {spec.low}-{spec.high}")
    return value


def _is_number(token: str) -> bool:
    return token.isascii() and token.isdigit()
