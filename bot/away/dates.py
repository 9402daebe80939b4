"""When someone is back: "2026-12-24", "friday", "dec 24", "24 december", "tomorrow", "in 2 weeks".

Dates are calendar days in the person's time zone; being away "until Dec 24" lasts to the end of
that day there. Anything else is refused with what is understood, never guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.away.limits import MAX_AWAY, MAX_DATE_TEXT

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_IN = re.compile(r"in (\d{1,3}) (day|days|week|weeks)")
_MONTH_DAY = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?(?:,? (\d{4}))?")
HOW = "Write the date as 2026-12-24, friday, dec 24, tomorrow or in 2 weeks."


class DateError(ValueError):
    """A date that cannot be understood, or is in the past or too far ahead."""


def _month(word: str) -> int | None:
    if len(word) < 3:
        return None
    found = [i for i, name in enumerate(MONTHS, 1) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def _weekday(word: str) -> int | None:
    if len(word) < 3:
        return None
    found = [i for i, name in enumerate(WEEKDAYS) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def _day(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"“{text}” is not a day of the calendar.") from None


def _month_day(month: int, day: int, year: str | None, today: date, text: str) -> date:
    if year:
        return _day(int(year), month, day, text)
    found = _day(today.year, month, day, text) if (month, day) != (2, 29) else None
    if found is None or found < today:  # "dec 24" said in January means this December; in December after it, next
        found = _day(today.year + 1, month, day, text) if (month, day) != (2, 29) else None
    if found is None:
        raise DateError("Give the year with February 29, e.g. 2028-02-29.")
    return found


def parse_day(text: str, *, today: date) -> date:
    """The last day away, from what someone typed, relative to `today` (their local date)."""
    words = " ".join(text.casefold().replace(",", " ").split())
    if not words or len(words) > MAX_DATE_TEXT:
        raise DateError(f"I need a date. {HOW}")
    if words == "today":
        return today
    if words == "tomorrow":
        return today + timedelta(days=1)
    if m := _ISO.fullmatch(words):
        return _day(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _IN.fullmatch(words):
        return today + timedelta(days=int(m[1]) * (7 if m[2].startswith("week") else 1))
    day_word = words.removeprefix("next ")
    if (weekday := _weekday(day_word)) is not None:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)  # the next one, never today
    if (m := _MONTH_DAY.fullmatch(words)) and (month := _month(m[1])):
        return _month_day(month, int(m[2]), m[3], today, text)
    if (m := _DAY_MONTH.fullmatch(words)) and (month := _month(m[2])):
        return _month_day(month, int(m[1]), m[3], today, text)
    raise DateError(f"I don't understand “{text}” as a date. {HOW}")


def away_until(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """The end of the last day away (midnight after it, in `tz`), checked to be ahead and within a year."""
    today = now.astimezone(tz).date()
    last = parse_day(text, today=today)
    if last < today:
        raise DateError(f"{last:%b %-d, %Y} is in the past. {HOW}")
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    if end - now > MAX_AWAY:
        raise DateError(f"{last:%b %-d, %Y} is more than a year away; the matrix is the place for that.")
    return end
